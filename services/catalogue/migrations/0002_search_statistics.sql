-- The search plans by how many publications hold each word, read from Postgres' own
-- statistics of the search column (pg_stats.most_common_elems): track ten times the
-- default number of lexemes, so that region names and topics of a national catalogue
-- have their own counts instead of "rarer than the least common tracked".
ALTER TABLE publications ALTER COLUMN search SET STATISTICS 1000;
