-- Verdict schema, version 2 (SQLite): followed feeds and what each sync
-- did with their entries.
--
-- PostgreSQL spelling as in V1 (TIMESTAMPTZ for *_at, BIGINT identities).

-- A followed RSS/Atom feed, with the validators of the last fetch that
-- returned it (sent back as If-None-Match / If-Modified-Since).
CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT    NOT NULL,
    title           TEXT,
    etag            TEXT,
    last_modified   TEXT,
    added_at        TEXT    NOT NULL,
    synced_at       TEXT,
    -- Why the last sync of the feed itself failed; NULL when it did not.
    last_error      TEXT,
    CONSTRAINT feed_url_unique UNIQUE (url),
    CONSTRAINT feed_url_present CHECK (length(url) > 0)
);

-- Every entry a sync has seen, by the key the feed gives it (its id, else
-- its link). An entry stored or found a duplicate is done; a failed one is
-- tried again by later syncs until it has failed `attempts` = 3 times.
CREATE TABLE feed_entries (
    feed_id          INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    entry_key        TEXT    NOT NULL,
    link             TEXT,
    title            TEXT,
    state            TEXT    NOT NULL,
    review_id        INTEGER REFERENCES reviews (id) ON DELETE SET NULL,
    attempts         INTEGER NOT NULL,
    error            TEXT,
    first_seen_at    TEXT    NOT NULL,
    last_attempt_at  TEXT    NOT NULL,
    CONSTRAINT feed_entry_key PRIMARY KEY (feed_id, entry_key),
    CONSTRAINT feed_entry_state_known CHECK (state IN ('stored', 'duplicate', 'failed')),
    CONSTRAINT feed_entry_attempts_range CHECK (attempts >= 1),
    CONSTRAINT feed_entry_error_when_failed CHECK ((state = 'failed') = (error IS NOT NULL))
);

-- A page fetched again by its URL is the review stored from it, even when
-- its bytes changed (ads, timestamps): looked up by source.
CREATE INDEX reviews_source ON reviews (source);
