-- Verdict schema, version 7 (SQLite): a run's reviews are found by reading
-- the table, not through an index of their run.
--
-- V6's index of reviews by run cost every imported row an index entry:
-- about 4 % of an import's CPU (300,000 rows, measured side by side with
-- and without it). Undoing a run is rare and reads the table once (about
-- half a second at a million reviews); importing is what Verdict does all
-- day.
DROP INDEX IF EXISTS reviews_run;
