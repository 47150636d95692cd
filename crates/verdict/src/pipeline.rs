//! Runs documents through the stages and stores the result.
//!
//! [`process`] is everything that needs no database (what `verdict extract`
//! shows); [`ingest`] adds resolution and storage. One document's failure
//! never stops the others, and a failed document writes nothing.

use serde::Serialize;
use verdict_core::{Assessment, Diagnostic, Review};
use verdict_judge::Judge;
use verdict_source::RawDocument;
use verdict_store::{FilmChoice, NewReview, Put, Store};

/// A review read and judged, not yet stored.
#[derive(Debug, Clone, Serialize)]
pub struct Processed {
    pub review: Review,
    /// The headline score, verdict, confidence, whether the judge inferred
    /// it, P(favourable) and the judge's reading of the critic's words
    /// (kept for rated reviews too): [`Judge::assess`], as for exports.
    #[serde(flatten)]
    pub assessment: Assessment,
    pub diagnostics: Vec<Diagnostic>,
    /// The judge's reading the assessment was made from (language,
    /// P(favourable) of the text alone), so that nobody reads the text
    /// again: with the encoder reader a reading costs milliseconds.
    #[serde(skip)]
    pub reading: verdict_judge::Reading,
}

/// Parses, extracts and judges one document as one review (what `verdict
/// judge` reads; a listing page's items are [`process_page`]'s).
pub fn process(
    raw: &RawDocument,
    judge: &Judge,
) -> Result<Processed, verdict_document::DocumentError> {
    let doc = verdict_document::parse(raw)?;
    Ok(assess(verdict_extract::extract(&doc), judge, true))
}

/// A document read, and judged: one review, a listing's reviews, or the
/// reason it holds none.
// One per document, moved once: boxing the review would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "page", rename_all = "lowercase")]
pub enum ProcessedPage {
    Review(Processed),
    Listing {
        reviews: Vec<Processed>,
        published: Vec<verdict_extract::Published>,
        diagnostics: Vec<Diagnostic>,
    },
    Refused(verdict_extract::Refusal),
}

/// Parses, extracts and judges a document, whatever it holds
/// ([`verdict_extract::extract_page`]).
pub fn process_page(
    raw: &RawDocument,
    judge: &Judge,
) -> Result<ProcessedPage, verdict_document::DocumentError> {
    let doc = verdict_document::parse(raw)?;
    Ok(match verdict_extract::extract_page(&doc) {
        verdict_extract::Page::Review(e) => ProcessedPage::Review(assess(e, judge, true)),
        verdict_extract::Page::Listing(l) => ProcessedPage::Listing {
            reviews: l
                .reviews
                .into_iter()
                .map(|e| {
                    // an item with no quote has no text to read
                    let has_text = !e.review.body.trim().is_empty();
                    assess(e, judge, has_text)
                })
                .collect(),
            published: l.published,
            diagnostics: l.diagnostics,
        },
        verdict_extract::Page::Refused(r) => ProcessedPage::Refused(r),
    })
}

/// Judges an extraction: the judge's reading of its passages and the one
/// assessment.
fn assess(extraction: verdict_extract::Extraction, judge: &Judge, has_text: bool) -> Processed {
    let mut diagnostics = extraction.diagnostics;
    let review = extraction.review;
    let reading = judge.read(&review.passages);
    if reading.unsure && reading.words > 0 {
        diagnostics.push(Diagnostic::warning(
            "judge.unsure",
            format!(
                "the text reads as {} but the judge is trained on English reviews: its reading is unsure (p = {:.2})",
                match reading.language {
                    verdict_judge::Language::French => "French",
                    _ => "another language",
                },
                reading.judgement.probability
            ),
        ));
    }
    // A document always has a text to read (an empty one is refused when
    // it is parsed), even when no passage of it is the critic's.
    let kept = reading.clone();
    let assessment = judge.assess(reading, review.rating.as_ref(), has_text, &mut diagnostics);
    Processed {
        review,
        assessment,
        diagnostics,
        reading: kept,
    }
}

pub use verdict_present::{Item, Outcome};

/// Ingests one document: skips it if already stored, else processes,
/// resolves and stores it in one transaction, as part of `run` (the
/// [`Store::begin_run`] of the command doing it) when there is one.
pub fn ingest(
    store: &mut dyn Store,
    judge: &Judge,
    raw: &RawDocument,
    run: Option<i64>,
) -> Outcome {
    match prepare(store, judge, raw) {
        Prepared::Done(outcome) => outcome,
        Prepared::Ready(page) => page.store(store, run),
    }
}

/// A document on its way to the store: what [`prepare`] found.
// One per document, moved once: boxing the review would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Prepared {
    /// Nothing to store: the document is stored already, or it failed
    /// (unreadable, refused), with the reason.
    Done(Outcome),
    /// Read and judged; [`Ready::store`] resolves and stores it.
    Ready(Ready),
}

/// A document read and judged, not yet resolved or stored.
pub struct Ready {
    page: ProcessedPage,
    origin: String,
}

/// The reading half of [`ingest`]: skips a document already stored, else
/// parses, extracts and judges it. Writes nothing, so a caller can still
/// decide not to store what it read (the server, when its client gave up).
pub fn prepare(store: &dyn Store, judge: &Judge, raw: &RawDocument) -> Prepared {
    match try_prepare(store, judge, raw) {
        Ok(prepared) => prepared,
        Err(error) => Prepared::Done(Outcome::Failed { error }),
    }
}

fn try_prepare(store: &dyn Store, judge: &Judge, raw: &RawDocument) -> Result<Prepared, String> {
    if let Some(review_id) = store
        .contains(&raw.content_hash)
        .map_err(|e| e.to_string())?
        && let Some(stored) = store.review(review_id).map_err(|e| e.to_string())?
    {
        return Ok(Prepared::Done(Outcome::Duplicate {
            review_id,
            film_id: stored.film_id,
        }));
    }
    match process_page(raw, judge).map_err(|e| e.to_string())? {
        ProcessedPage::Refused(refusal) => {
            Err(format!("{}: {}; not stored", raw.origin, refusal.reason))
        }
        page => Ok(Prepared::Ready(Ready {
            page,
            origin: raw.origin.clone(),
        })),
    }
}

impl Ready {
    /// The writing half of [`ingest`]: resolves and stores what was read,
    /// as part of `run` when there is one.
    pub fn store(self, store: &mut dyn Store, run: Option<i64>) -> Outcome {
        match self.page {
            ProcessedPage::Review(processed) => store_review(store, &processed, &self.origin, run)
                .unwrap_or_else(|error| Outcome::Failed { error }),
            ProcessedPage::Listing {
                reviews, published, ..
            } => store_listing(store, &reviews, &published, run),
            ProcessedPage::Refused(refusal) => Outcome::Failed {
                error: format!("{}: {}; not stored", self.origin, refusal.reason),
            },
        }
    }
}

/// Stores a listing's items, each on its own (one item's failure costs
/// only itself), then the site's published aggregates on the film of the
/// items about it.
fn store_listing(
    store: &mut dyn Store,
    reviews: &[Processed],
    published: &[verdict_extract::Published],
    run: Option<i64>,
) -> Outcome {
    let mut items = Vec::with_capacity(reviews.len());
    let mut films: Vec<(String, i64)> = Vec::new();
    for processed in reviews {
        let source = processed.review.source.clone();
        let outcome = store_review(store, processed, &source, run)
            .unwrap_or_else(|error| Outcome::Failed { error });
        if let (Some((_, film_id)), Some(title)) = (
            outcome.first_review(),
            processed.review.film_title.as_deref(),
        ) {
            films.push((verdict_core::title::title_key(title), film_id));
        }
        items.push(verdict_present::Item { source, outcome });
    }
    let mut recorded = Vec::new();
    for p in published {
        // the film the aggregate names, else the one film the items are of
        let film = match p.film_title.as_deref() {
            Some(t) => {
                let key = verdict_core::title::title_key(t);
                films.iter().find(|(k, _)| *k == key).map(|(_, id)| *id)
            }
            None => {
                let mut ids: Vec<i64> = films.iter().map(|(_, id)| *id).collect();
                ids.dedup();
                (ids.len() == 1).then(|| ids[0])
            }
        };
        if let Some(film_id) = film
            && store.put_published(film_id, &p.score, run).is_ok()
        {
            recorded.push(p.score.clone());
        }
    }
    Outcome::Listing {
        items,
        published: recorded,
    }
}

/// Resolves and stores one review.
fn store_review(
    store: &mut dyn Store,
    processed: &Processed,
    origin: &str,
    run: Option<i64>,
) -> Result<Outcome, String> {
    let mut diagnostics = processed.diagnostics.clone();
    let keys = verdict_resolve::keys(&processed.review);
    let candidates: Vec<_> = store
        .films_by_keys(&keys)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| r.film)
        .collect();
    let choice = verdict_resolve::resolve(&processed.review, &candidates, &mut diagnostics)
        .map_err(|u| format!("{origin}: {}; not stored", u.reason))?;
    let film_title = match &choice {
        FilmChoice::New { title, .. } => title.clone(),
        FilmChoice::Existing { id, .. } => candidates
            .iter()
            .find(|f| f.id == *id)
            .map(|f| f.title.clone())
            .unwrap_or_default(),
    };
    let new = NewReview {
        review: &processed.review,
        assessment: &processed.assessment,
        diagnostics: &diagnostics,
        run,
    };
    let (review_id, film_id, copy) = match store
        .put(new, choice)
        .map_err(|e| format!("{origin}: {e}"))?
    {
        Put::Inserted { review_id, film_id } => (review_id, film_id, false),
        // another address of a stored review (a syndicated copy)
        Put::Copy { review_id, film_id } => (review_id, film_id, true),
        Put::Duplicate { review_id, film_id } => {
            return Ok(Outcome::Duplicate { review_id, film_id });
        }
    };
    Ok(Outcome::Stored {
        review_id,
        film_id,
        film: film_title,
        score: processed.assessment.score,
        verdict: processed.assessment.verdict,
        inferred: processed.assessment.inferred,
        copy,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use verdict_import::{FilmInfo, Processor, RawRow};
    use verdict_store::SqliteStore;

    use super::*;

    /// The long text: past a pull quote's length, so an export's row gets
    /// the full reading (evidence and all), as a document does.
    const LONG: &str = "The story follows a family over one summer by the sea, \
        and the cast is wonderful from the first scene to the last. \
        The photography of the harbour at night is gorgeous, the two young \
        leads carry scenes that would sink lesser actors, and its quiet final \
        scene, a mother and her son watching the boats come in, earns every \
        one of its tears. A beautifully made, generous and deeply moving film \
        that stays with you; I would happily watch it again next summer.";

    /// A plain-text document: a headline, one paragraph, then the rating
    /// on a line of its own when there is one.
    fn document(text: &str, rating: Option<&str>) -> RawDocument {
        let mut doc = format!("Harbour Lights review\n\n{text}\n");
        if let Some(r) = rating {
            doc.push_str(&format!("\n{r}\n"));
        }
        RawDocument::new("harbour.txt", doc.into_bytes())
    }

    /// An export's row with the same text and the rating the document's
    /// reading found (as written).
    fn row(text: &str, rating: Option<&str>) -> RawRow {
        RawRow {
            origin: Arc::from("reviews.csv"),
            line: 2,
            format: "rt-csv",
            film: Arc::new(FilmInfo {
                title: Some("Harbour Lights".into()),
                ..FilmInfo::default()
            }),
            review_id: None,
            title_seen: None,
            year_seen: None,
            critic: None,
            outlet: None,
            date: None,
            top_critic: None,
            label: None,
            rating: rating.map(str::to_string),
            hint: None,
            reading: None,
            text: text.to_string(),
            quotes: vec![],
            notes: vec![],
        }
    }

    fn disagreement(diagnostics: &[Diagnostic]) -> Vec<&str> {
        diagnostics
            .iter()
            .filter(|d| d.code == "judge.disagrees")
            .map(|d| d.message.as_str())
            .collect()
    }

    /// A document and an export's row with the same rating and the same
    /// words are assessed alike: the same score, verdict, confidence,
    /// P(favourable), judgement and the same disagreement note.
    #[test]
    fn a_document_and_a_row_get_the_same_assessment() {
        let judge = Judge::embedded();
        let processor = Processor::embedded();
        let short = "A wonderful, moving, beautifully acted film.";
        let cases = [
            (LONG, Some("3/4")),
            (LONG, None),
            (LONG, Some("1/4")),
            (LONG, Some("C-")),
            (short, Some("3.5/5")),
            (short, None),
            (short, Some("1/4")),
            ("A dull, lifeless and tedious mess of a film.", None),
        ];
        let mut disagreed = 0;
        for (text, rating) in cases {
            let doc = process(&document(text, rating), judge).unwrap();
            // The document's words are the row's text, one passage; its
            // rating is the row's.
            assert_eq!(doc.review.passages.len(), 1, "{text}");
            assert_eq!(doc.review.passages[0].text, text);
            assert_eq!(doc.review.rating.as_ref().map(|r| r.raw.as_str()), rating);
            let imported = processor.process(row(text, rating)).review;
            let mut want = doc.assessment.clone();
            if text.len() <= 400 {
                // A pull quote is its own evidence: a row's short text is
                // read without picking sentences (the one difference).
                want.judgement.as_mut().unwrap().evidence.clear();
            }
            assert_eq!(imported.assessment, want, "{text} {rating:?}");
            assert!(want.p_positive.is_some());
            assert_eq!(
                disagreement(&imported.diagnostics),
                disagreement(&doc.diagnostics),
                "{text} {rating:?}"
            );
            disagreed += disagreement(&doc.diagnostics).len();
        }
        assert!(disagreed >= 2, "the 1/4 raves disagree with their texts");
    }

    /// A document's P(favourable) is stored with it, as an export row's is.
    #[test]
    fn a_document_stores_its_p_positive() {
        let judge = Judge::embedded();
        for (text, rating) in [(LONG, Some("3/4")), (LONG, None)] {
            // a store each: the same text twice is one review (a copy)
            let mut store = SqliteStore::open_in_memory().unwrap();
            let raw = document(text, rating);
            let processed = process(&raw, judge).unwrap();
            let Outcome::Stored { review_id, .. } = ingest(&mut store, judge, &raw, None) else {
                panic!("not stored");
            };
            let stored = store.review(review_id).unwrap().unwrap();
            let p = processed.assessment.p_positive.expect("a P(favourable)");
            assert!(p > 0.5, "{p}");
            assert_eq!(stored.p_positive, Some(p));
            assert_eq!(stored.score, processed.assessment.score);
            assert_eq!(stored.inferred, rating.is_none());
        }
    }
}
