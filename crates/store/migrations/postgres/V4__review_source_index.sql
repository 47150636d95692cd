-- Verdict schema, version 4 (PostgreSQL): the index of reviews by source
-- covers documents only (as SQLite's V4).
DROP INDEX reviews_source;
CREATE INDEX reviews_source_documents ON reviews (source)
    WHERE format NOT IN ('rt-kaggle-csv', 'rt-csv', 'flatiron-tsv', 'letterboxd', 'csv');
