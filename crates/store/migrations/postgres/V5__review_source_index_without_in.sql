-- Verdict schema, version 5 (PostgreSQL): the same index as SQLite's V5
-- (which spells its condition without IN for SQLite's sake; the rows are
-- the same here).
DROP INDEX reviews_source_documents;
CREATE INDEX reviews_source_documents ON reviews (source)
    WHERE format <> 'rt-kaggle-csv' AND format <> 'rt-csv' AND format <> 'flatiron-tsv'
        AND format <> 'letterboxd' AND format <> 'csv';
