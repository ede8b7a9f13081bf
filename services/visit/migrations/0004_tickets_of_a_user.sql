-- "My tickets": a user's tickets, and those whose visit a scanned visit card linked to them.
CREATE INDEX tickets_user_idx ON tickets (user_id, id DESC) WHERE user_id IS NOT NULL;
CREATE INDEX visits_user_idx ON visits (user_id) WHERE user_id IS NOT NULL;
