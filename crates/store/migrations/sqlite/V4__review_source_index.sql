-- Verdict schema, version 4 (SQLite): the index of reviews by source
-- covers documents only.
--
-- `reviews_source` (V2) finds the review stored from a page fetched again
-- by its URL. Rows of an import are never looked up by source (their
-- source is `file:line`; their identity is the content hash), yet every
-- one of them paid an entry in that index: a sixth of an imported
-- database's size and of the work of writing a row. The index now leaves
-- out the formats of the importers (`verdict_import::IMPORT_FORMATS`;
-- `review_by_source` asks with the same condition, which lets SQLite use
-- this partial index).
DROP INDEX reviews_source;
CREATE INDEX reviews_source_documents ON reviews (source)
    WHERE format NOT IN ('rt-kaggle-csv', 'rt-csv', 'flatiron-tsv', 'letterboxd', 'csv');
