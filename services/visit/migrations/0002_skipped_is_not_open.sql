-- A skipped (no-show) ticket no longer blocks its owner from taking a new number that day:
-- once its grace has passed they are told to take a new one.
DROP INDEX tickets_one_open_per_user;
CREATE UNIQUE INDEX tickets_one_open_per_user ON tickets (user_id, service_day)
    WHERE user_id IS NOT NULL AND status IN ('waiting', 'called', 'serving');
