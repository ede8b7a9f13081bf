-- Public holidays of an office: no numbers are given on these days.
ALTER TABLE offices ADD COLUMN holidays date[] NOT NULL DEFAULT '{}';
