-- The satisfaction index cannot be inflated by downloading one publication again and again:
-- a user rates a publication at most once a month (office-local month of the answer).
ALTER TABLE responses ADD COLUMN publication_id uuid;
ALTER TABLE responses ADD COLUMN rated_month date
    GENERATED ALWAYS AS ((date_trunc('month', response_day::timestamp))::date) STORED;
CREATE UNIQUE INDEX responses_publication_month
    ON responses (user_id, publication_id, rated_month)
    WHERE publication_id IS NOT NULL;
