-- Verdict schema, version 1 (SQLite).
--
-- The data model is meant to carry over to PostgreSQL unchanged; only the
-- spelling of a few types differs there:
--   INTEGER PRIMARY KEY  -> BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
--   DOUBLE PRECISION     -> DOUBLE PRECISION (SQLite gives it REAL affinity)
--   published TEXT       -> DATE         (stored here as ISO 8601 'YYYY-MM-DD')
--   *_at TEXT            -> TIMESTAMPTZ  (stored here as RFC 3339, UTC)
--   inferred INTEGER 0/1 -> BOOLEAN
--   evidence/diagnostics TEXT (JSON) -> JSONB
-- Constraints are named so that a violation says which rule was broken.

CREATE TABLE films (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    title_key   TEXT    NOT NULL,
    year        INTEGER,
    created_at  TEXT    NOT NULL,
    CONSTRAINT film_title_present CHECK (length(title) > 0)
);

CREATE INDEX films_title_key ON films (title_key);

CREATE TABLE film_aliases (
    id          INTEGER PRIMARY KEY,
    film_id     INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    alias       TEXT    NOT NULL,
    alias_key   TEXT    NOT NULL,
    CONSTRAINT film_alias_once UNIQUE (film_id, alias_key)
);

CREATE INDEX film_aliases_alias_key ON film_aliases (alias_key);

CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    film_id            INTEGER NOT NULL REFERENCES films (id) ON DELETE RESTRICT,
    content_hash       TEXT    NOT NULL,
    source             TEXT    NOT NULL,
    format             TEXT    NOT NULL,
    title_seen         TEXT,
    year_seen          INTEGER,
    critic             TEXT,
    outlet             TEXT,
    published          TEXT,
    body               TEXT    NOT NULL,

    score              DOUBLE PRECISION NOT NULL,
    verdict            TEXT    NOT NULL,
    confidence         DOUBLE PRECISION NOT NULL,
    inferred           INTEGER NOT NULL,

    rating_raw         TEXT,
    rating_value       DOUBLE PRECISION,
    rating_best        DOUBLE PRECISION,
    rating_worst       DOUBLE PRECISION,
    rating_score       DOUBLE PRECISION,
    rating_scale       TEXT,
    rating_confidence  TEXT,
    rating_span_start  INTEGER,
    rating_span_end    INTEGER,

    -- The judge's reading, when the review was judged.
    judge_model        TEXT,
    judge_score        DOUBLE PRECISION,
    judge_verdict      TEXT,
    judge_probability  DOUBLE PRECISION,
    evidence           TEXT    NOT NULL DEFAULT '[]',

    diagnostics        TEXT    NOT NULL DEFAULT '[]',
    ingested_at        TEXT    NOT NULL,

    CONSTRAINT review_content_hash_unique UNIQUE (content_hash),
    CONSTRAINT review_content_hash_present CHECK (length(content_hash) > 0),
    CONSTRAINT review_published_iso_date CHECK (published IS NULL OR length(published) = 10),
    CONSTRAINT review_score_range CHECK (score >= 0 AND score <= 100),
    CONSTRAINT review_verdict_known CHECK (verdict IN ('positive', 'mixed', 'negative')),
    CONSTRAINT review_confidence_range CHECK (confidence >= 0 AND confidence <= 1),
    CONSTRAINT review_inferred_boolean CHECK (inferred IN (0, 1)),
    CONSTRAINT review_rating_complete CHECK (
        (rating_raw IS NULL
            AND rating_value IS NULL AND rating_best IS NULL AND rating_worst IS NULL
            AND rating_score IS NULL AND rating_scale IS NULL AND rating_confidence IS NULL
            AND rating_span_start IS NULL AND rating_span_end IS NULL)
        OR
        (rating_raw IS NOT NULL
            AND rating_value IS NOT NULL AND rating_best IS NOT NULL AND rating_worst IS NOT NULL
            AND rating_score IS NOT NULL AND rating_scale IS NOT NULL AND rating_confidence IS NOT NULL)
    ),
    CONSTRAINT review_rating_score_range CHECK (
        rating_score IS NULL OR (rating_score >= 0 AND rating_score <= 100)
    ),
    CONSTRAINT review_rating_confidence_known CHECK (
        rating_confidence IS NULL OR rating_confidence IN ('low', 'medium', 'high')
    ),
    CONSTRAINT review_rating_span CHECK (
        (rating_span_start IS NULL AND rating_span_end IS NULL)
        OR (rating_span_start >= 0 AND rating_span_end >= rating_span_start)
    ),
    CONSTRAINT review_judge_score_range CHECK (
        judge_score IS NULL OR (judge_score >= 0 AND judge_score <= 100)
    ),
    CONSTRAINT review_judge_verdict_known CHECK (
        judge_verdict IS NULL OR judge_verdict IN ('positive', 'mixed', 'negative')
    ),
    CONSTRAINT review_judge_probability_range CHECK (
        judge_probability IS NULL OR (judge_probability >= 0 AND judge_probability <= 1)
    )
);

CREATE INDEX reviews_film_id ON reviews (film_id);

CREATE TABLE review_aspects (
    review_id   INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    raw         TEXT    NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    best        DOUBLE PRECISION NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    span_start  INTEGER,
    span_end    INTEGER,
    CONSTRAINT review_aspect_key PRIMARY KEY (review_id, ord),
    CONSTRAINT review_aspect_ord_range CHECK (ord >= 0),
    CONSTRAINT review_aspect_score_range CHECK (score >= 0 AND score <= 100),
    CONSTRAINT review_aspect_span CHECK (
        (span_start IS NULL AND span_end IS NULL)
        OR (span_start >= 0 AND span_end >= span_start)
    )
);
