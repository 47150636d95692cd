-- Verdict schema, version 3 (SQLite): reviews imported from exports, film
-- catalogues, links between films and the outside world, and the cached
-- cross-film statistics aggregation reads.
--
-- PostgreSQL spelling as in V1 (BOOLEAN for the 0/1 integers, DOUBLE
-- PRECISION, TIMESTAMPTZ for *_at).

-- What the source said about a review, beside our own reading of it.
--   source_verdict: the verdict the export gives (Rotten Tomatoes' fresh /
--                   rotten become 'positive' / 'negative'); NULL when the
--                   source gives none.
--   top_critic:     the source's "top critic" flag; NULL when unknown.
--   p_positive:     our reading's probability that the review is favourable
--                   (from its rating and its text, never from the label).
ALTER TABLE reviews ADD COLUMN source_verdict TEXT
    CONSTRAINT review_source_verdict_known
    CHECK (source_verdict IS NULL OR source_verdict IN ('positive', 'mixed', 'negative'));
ALTER TABLE reviews ADD COLUMN top_critic INTEGER
    CONSTRAINT review_top_critic_boolean
    CHECK (top_critic IS NULL OR top_critic IN (0, 1));
ALTER TABLE reviews ADD COLUMN p_positive DOUBLE PRECISION
    CONSTRAINT review_p_positive_range
    CHECK (p_positive IS NULL OR (p_positive >= 0 AND p_positive <= 1));

-- A film's identity in an export or catalogue ('rt' + 'm/0814255',
-- 'rt-flatiron' + '3'…): the same id always finds the same film. The
-- published numbers are the source's own (the Tomatometer), kept to be
-- checked against, never used in our aggregates.
CREATE TABLE film_external_ids (
    film_id            INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    source             TEXT    NOT NULL,
    external_id        TEXT    NOT NULL,
    published_percent  DOUBLE PRECISION,
    published_count    INTEGER,
    -- How this id was tied to the film: 'new film', or the resolver's rule
    -- ('title and year', 'alias and year', 'title only'), with its confidence.
    match_method       TEXT    NOT NULL,
    match_confidence   DOUBLE PRECISION NOT NULL,
    CONSTRAINT film_external_id_once UNIQUE (source, external_id),
    CONSTRAINT film_external_id_present CHECK (length(source) > 0 AND length(external_id) > 0),
    CONSTRAINT film_external_published_range CHECK (
        published_percent IS NULL OR (published_percent >= 0 AND published_percent <= 100)
    ),
    CONSTRAINT film_external_confidence_range CHECK (
        match_confidence >= 0 AND match_confidence <= 1
    )
);

CREATE INDEX film_external_ids_film ON film_external_ids (film_id);

-- A film catalogue (IMDb title.basics, MovieLens movies.csv): reference
-- films, not reviewed films. `imdb_id` ties entries of different catalogues
-- that are the same film.
CREATE TABLE catalogue (
    id           INTEGER PRIMARY KEY,
    source       TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    year         INTEGER,
    imdb_id      TEXT,
    CONSTRAINT catalogue_entry_once UNIQUE (source, external_id),
    CONSTRAINT catalogue_title_present CHECK (length(title) > 0)
);

CREATE INDEX catalogue_imdb_id ON catalogue (imdb_id);

-- Every title a catalogue entry is known by, with its lookup key:
-- 'primary', 'original' or 'alternative'.
CREATE TABLE catalogue_titles (
    catalogue_id  INTEGER NOT NULL REFERENCES catalogue (id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    title_key     TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    CONSTRAINT catalogue_title_once UNIQUE (catalogue_id, title_key),
    CONSTRAINT catalogue_title_kind CHECK (kind IN ('primary', 'original', 'alternative'))
);

CREATE INDEX catalogue_titles_key ON catalogue_titles (title_key);

-- The catalogue decision for a film: matched (catalogue_id set, with a
-- confidence and the rule) or left unmatched (catalogue_id NULL) with the
-- reason. A film with no row has not been looked up yet.
CREATE TABLE film_catalogue (
    film_id       INTEGER PRIMARY KEY REFERENCES films (id) ON DELETE CASCADE,
    catalogue_id  INTEGER REFERENCES catalogue (id),
    confidence    DOUBLE PRECISION,
    method        TEXT    NOT NULL,
    note          TEXT,
    decided_at    TEXT    NOT NULL,
    CONSTRAINT film_catalogue_confidence CHECK (
        (catalogue_id IS NULL AND confidence IS NULL)
        OR (catalogue_id IS NOT NULL AND confidence >= 0 AND confidence <= 1)
    )
);

-- Cached cross-film statistics, derived from the reviews (see
-- docs/aggregation.md). They are rebuilt whole after every write command;
-- `max_review_id` and `reviews` tell whether they still describe the
-- reviews stored (reviews are never deleted or changed in place, so the
-- pair changes whenever the reviews do).
CREATE TABLE aggregate_stats (
    id              INTEGER PRIMARY KEY,
    reviews         INTEGER NOT NULL,
    max_review_id   INTEGER NOT NULL,
    films           INTEGER NOT NULL,
    mean_score      DOUBLE PRECISION,
    prior_weight    DOUBLE PRECISION,
    within_variance DOUBLE PRECISION,
    between_variance DOUBLE PRECISION,
    computed_at     TEXT    NOT NULL,
    CONSTRAINT aggregate_stats_single CHECK (id = 1)
);

-- Per critic (by folded name): how far their scores sit from the other
-- critics' on the same films.
CREATE TABLE critic_stats (
    critic_key     TEXT    PRIMARY KEY,
    critic         TEXT    NOT NULL,
    reviews        INTEGER NOT NULL,
    films          INTEGER NOT NULL,
    mean_offset    DOUBLE PRECISION NOT NULL,
    shrunk_offset  DOUBLE PRECISION NOT NULL
) WITHOUT ROWID;
