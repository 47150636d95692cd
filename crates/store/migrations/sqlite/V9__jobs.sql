-- Verdict schema, version 9 (SQLite): the queue of work that `verdict
-- work` processes take (feed syncs, page fetches, re-judging, statistics
-- refreshes), so that fetching and judging can run beside the commands
-- and servers, on one machine or many (PostgreSQL).
--
-- A job is queued (run_at: not before), running (a worker holds it until
-- lease_until; a worker that died loses it when the lease runs out, and
-- another takes it), done, or failed (its attempts used up). A failed
-- attempt puts it back in the queue with a later run_at (backoff).
-- `key` names what the job is about ("sync-feed 3"): one job per key is
-- queued or running at a time.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    payload       TEXT    NOT NULL DEFAULT '{}',
    key           TEXT,
    state         TEXT    NOT NULL DEFAULT 'queued',
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    run_at        TEXT    NOT NULL,
    lease_until   TEXT,
    worker        TEXT,
    last_error    TEXT,
    created_at    TEXT    NOT NULL,
    finished_at   TEXT,
    CONSTRAINT job_kind_present CHECK (length(kind) > 0),
    CONSTRAINT job_state_known CHECK (state IN ('queued', 'running', 'done', 'failed')),
    CONSTRAINT job_attempts_range CHECK (attempts >= 0 AND max_attempts >= 1)
);

-- The jobs a worker may take, in the order it takes them.
CREATE INDEX jobs_waiting ON jobs (run_at, id) WHERE state IN ('queued', 'running');

-- One queued or running job per key.
CREATE UNIQUE INDEX jobs_key_open ON jobs (key) WHERE state IN ('queued', 'running');
