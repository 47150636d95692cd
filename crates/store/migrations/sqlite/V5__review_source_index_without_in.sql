-- Verdict schema, version 5 (SQLite): the condition of the index of
-- reviews by source, spelled without IN.
--
-- V4 wrote it `format NOT IN (…)`. SQLite evaluates a partial index's
-- condition on every row written, and an IN list costs it a temporary
-- table each time: 15 % of the work of writing an imported row. The same
-- rows, the same index, with the condition as a chain of `<>`
-- (`review_by_source` asks with the same words, which lets SQLite use it).
DROP INDEX reviews_source_documents;
CREATE INDEX reviews_source_documents ON reviews (source)
    WHERE format <> 'rt-kaggle-csv' AND format <> 'rt-csv' AND format <> 'flatiron-tsv'
        AND format <> 'letterboxd' AND format <> 'csv';
