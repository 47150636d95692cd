-- Verdict schema, version 8 (SQLite): reviews read from pages that list
-- them, and the aggregates those sites publish.
--
-- reviews.link: a listed review's own address (the page it was read from
-- is its source, `PAGE#review-N`).
--
-- published_scores: a site's own aggregate of a film (Rotten Tomatoes'
-- Tomatometer, an average of stars), read from a page that lists reviews;
-- shown beside Verdict's numbers, never counted. One row per film, site and
-- aggregate name (empty when the site gives none): a later reading
-- replaces the earlier one. It goes with its film; removing the run or the
-- page that recorded it removes it too.
ALTER TABLE reviews ADD COLUMN link TEXT;

CREATE TABLE published_scores (
    id        INTEGER PRIMARY KEY,
    film_id   INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    site      TEXT    NOT NULL,
    name      TEXT    NOT NULL DEFAULT '',
    value     DOUBLE PRECISION NOT NULL,
    best      DOUBLE PRECISION NOT NULL,
    worst     DOUBLE PRECISION NOT NULL,
    count     INTEGER,
    percent   INTEGER NOT NULL,
    source    TEXT    NOT NULL,
    run_id    INTEGER,
    seen_at   TEXT    NOT NULL,
    CONSTRAINT published_once UNIQUE (film_id, site, name),
    CONSTRAINT published_site_present CHECK (length(site) > 0),
    CONSTRAINT published_in_range CHECK (worst < best AND value >= worst AND value <= best),
    CONSTRAINT published_percent_boolean CHECK (percent IN (0, 1))
);
