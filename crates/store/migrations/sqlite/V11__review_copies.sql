-- Verdict schema, version 11 (SQLite): syndicated copies — one review,
-- several addresses.
--
-- review_signatures: the MinHash signature of a review's extracted main
-- text (verdict_core::copies: 128 slots of 32 bits as 1,024 hex digits;
-- none for a text under 50 words), so that a later review of the same
-- film is compared with it without its text being read again. Only a
-- review stored through the document pipeline has one.
--
-- review_copies: the other addresses of a review, each a document whose
-- main text is a near-duplicate of the review's (estimated Jaccard of its
-- 5-word shingles ≥ 0.7, same film, no different critic named). A copy is
-- no review: no number counts it. Its content hash is known (ingesting it
-- again changes nothing); it goes with its review; removing its own
-- address or run takes only it, and removing the review's own address
-- while a copy stays makes the oldest copy the review's address.
CREATE TABLE review_signatures (
    review_id  INTEGER PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    signature  TEXT    NOT NULL,
    CONSTRAINT review_signature_size CHECK (length(signature) = 1024)
);

CREATE TABLE review_copies (
    id            INTEGER PRIMARY KEY,
    review_id     INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    content_hash  TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    format        TEXT    NOT NULL,
    critic        TEXT,
    outlet        TEXT,
    link          TEXT,
    similarity    DOUBLE PRECISION NOT NULL,
    run_id        INTEGER REFERENCES runs (id),
    ingested_at   TEXT    NOT NULL,
    CONSTRAINT review_copy_content_hash_unique UNIQUE (content_hash),
    CONSTRAINT review_copy_similarity_range CHECK (similarity >= 0 AND similarity <= 1)
);

CREATE INDEX review_copies_review ON review_copies (review_id);
CREATE INDEX review_copies_source ON review_copies (source);
CREATE INDEX review_copies_run ON review_copies (run_id) WHERE run_id IS NOT NULL;
