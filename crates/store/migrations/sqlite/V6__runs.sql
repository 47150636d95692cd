-- Verdict schema, version 6 (SQLite): runs, so that what one command
-- stored can be undone.
--
-- PostgreSQL spelling as in V1 (BIGINT identities, TIMESTAMPTZ for *_at).

-- One command that writes reviews: an `ingest`, an `import`, a `sync`, a
-- document posted to the server. Runs are never deleted: a removed run's
-- record stays, its reviews gone.
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    command      TEXT    NOT NULL,
    -- What it was given: its command line, or the request.
    args         TEXT    NOT NULL,
    started_at   TEXT    NOT NULL,
    -- NULL while it runs, or when it never finished.
    finished_at  TEXT,
    CONSTRAINT run_command_present CHECK (length(command) > 0)
);

-- The run that stored each review; NULL for reviews stored before runs
-- were recorded.
ALTER TABLE reviews ADD COLUMN run_id INTEGER REFERENCES runs (id);

-- A run's reviews, found without reading the table. Old rows (NULL) are
-- left out; a run's rows are appended at the end of the index, one run
-- after another.
CREATE INDEX reviews_run ON reviews (run_id) WHERE run_id IS NOT NULL;

-- Removing a review sets the feed entries that stored it to NULL
-- (V2's ON DELETE SET NULL): found by this index, not by reading every
-- entry for each review removed.
CREATE INDEX feed_entries_review ON feed_entries (review_id);

-- Reviews can now be removed, so the newest review id alone no longer
-- tells whether the cached statistics describe the reviews stored (V3
-- assumed reviews were never deleted): a removal marks them stale in its
-- own transaction (max_review_id = -1), and the statistics are rebuilt
-- after it.
