-- The base every stamped copy starts with: the upload rewritten without its catalogue and
-- page tree (see pst_watermark::pdf::base), stored under its own SHA-256. NULL for a
-- document stored before bases existed: its plan and base are made again from the upload
-- at its first copy.
ALTER TABLE documents ADD COLUMN base_sha256 text;
