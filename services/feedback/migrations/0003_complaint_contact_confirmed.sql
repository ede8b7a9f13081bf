-- Answers to an anonymous complaint are mailed only to a contact address its owner has
-- confirmed (a link mailed at filing); the addresses already on file keep being used.
ALTER TABLE complaints ADD COLUMN contact_verified_at timestamptz;
ALTER TABLE complaints ADD COLUMN contact_token_hash bytea;
UPDATE complaints SET contact_verified_at = received_at WHERE contact_email <> '';
CREATE UNIQUE INDEX complaints_contact_token ON complaints (contact_token_hash) WHERE contact_token_hash IS NOT NULL;
