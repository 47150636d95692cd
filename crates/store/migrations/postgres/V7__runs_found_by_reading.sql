-- Verdict schema, version 7 (PostgreSQL): as SQLite's V7, a run's reviews
-- are found by reading the table, not through an index of their run.
DROP INDEX IF EXISTS reviews_run;
