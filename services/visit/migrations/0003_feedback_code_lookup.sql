-- A walk-in visitor rates at the kiosk with only the checkout code: find the visit by it.
CREATE INDEX visits_feedback_code ON visits (feedback_code_hash) WHERE feedback_code_hash IS NOT NULL;
