-- Verdict schema, version 10 (PostgreSQL): the passages the judge read,
-- kept (as SQLite's V10).
ALTER TABLE reviews ADD COLUMN passages JSONB;
