-- Verdict schema, version 10 (SQLite): the passages the judge read, kept.
--
-- A document's review is read from its passages, each with its role (the
-- critic's words, a closing verdict, someone else's quoted words), not
-- from its body: a headline that says more than the title is read too,
-- quotes are not. Kept as JSON ([{text, role}]), so that `verdict
-- rejudge` reads a review again exactly as it was read when stored, after
-- the model changed. NULL for an export's row, whose text is read whole.
ALTER TABLE reviews ADD COLUMN passages TEXT;
