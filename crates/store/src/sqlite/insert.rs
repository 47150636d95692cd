//! The one way a review goes into the `reviews` table: one statement (for
//! one row or several) and one binder, for a document's review
//! ([`Store::put`](crate::Store::put)) and an export's rows (batches) alike.

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::Datelike;
use verdict_core::Verdict;

pub(super) use crate::row::ReviewRow;
use crate::row::confidence_str;

use crate::row::COLUMNS;

/// Parameters of one review in the statement.
pub(super) const REVIEW_PARAMS: usize = COLUMNS.len();

/// The parameter of the stamp (`ingested_at`): not bound by
/// [`bind_review`], since it is the same for every review of a batch (and
/// bound once).
pub(super) const STAMP_PARAM: usize = 30;

/// The parameter of the run (`run_id`): like the stamp, the same for every
/// review of a batch, bound once by the caller.
pub(super) const RUN_PARAM: usize = 34;

/// The statement that inserts `rows` reviews at once (`?n` of the first
/// row is `?(k·36 + n)` of row `k`). A review whose content hash is stored
/// already is skipped: the statement reports fewer rows changed.
pub(super) fn insert_reviews_sql(rows: usize) -> String {
    let mut sql = format!("INSERT INTO reviews ({}) VALUES ", COLUMNS.join(", "));
    for k in 0..rows {
        if k > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for n in 1..=REVIEW_PARAMS {
            if n > 1 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "?{}", k * REVIEW_PARAMS + n);
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (content_hash) DO NOTHING");
    sql
}

/// [`insert_reviews_sql`] of one row, built once.
pub(super) fn insert_review_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| insert_reviews_sql(1))
}

/// The texts last bound to a statement's parameters (by index), to bind a
/// text again only when it changed: SQLite copies every text it is given
/// (and frees the copy it replaces), and many columns hold the same few
/// words row after row (the format, the model, verdicts, scales, empty
/// lists).
pub(super) struct TextParams<'a> {
    last: Vec<Option<Option<&'a str>>>,
}

impl<'a> TextParams<'a> {
    /// For a statement of `params` parameters, none bound yet.
    pub(super) fn new(params: usize) -> Self {
        TextParams {
            last: vec![None; params + 1],
        }
    }

    /// Binds `value`, unless it is the text bound last.
    fn bind(
        &mut self,
        stmt: &mut rusqlite::CachedStatement<'_>,
        index: usize,
        value: Option<&'a str>,
    ) -> rusqlite::Result<()> {
        if self.last[index] == Some(value) {
            return Ok(());
        }
        stmt.raw_bind_parameter(index, value)?;
        self.last[index] = Some(value);
        Ok(())
    }

    /// Binds a text that is not kept (the statement holds its own copy).
    fn bind_once(
        &mut self,
        stmt: &mut rusqlite::CachedStatement<'_>,
        index: usize,
        value: Option<&str>,
    ) -> rusqlite::Result<()> {
        stmt.raw_bind_parameter(index, value)?;
        self.last[index] = None;
        Ok(())
    }
}

/// Binds review `r` to the parameters of `st` from `base + 1` on, every
/// column but the stamp and the run ([`STAMP_PARAM`], [`RUN_PARAM`]: bound
/// by the caller).
pub(super) fn bind_review<'a>(
    st: &mut rusqlite::CachedStatement<'_>,
    texts: &mut TextParams<'a>,
    base: usize,
    r: &ReviewRow<'a>,
) -> rusqlite::Result<()> {
    let a = r.assessment;
    let rating = r.rating;
    let judgement = a.judgement.as_ref();
    let at = |n: usize| base + n;
    st.raw_bind_parameter(at(1), r.film_id)?;
    texts.bind(st, at(2), Some(r.content_hash))?;
    texts.bind(st, at(3), Some(r.source))?;
    texts.bind(st, at(4), Some(r.format))?;
    texts.bind(st, at(5), r.title_seen)?;
    st.raw_bind_parameter(at(6), r.year_seen)?;
    texts.bind(st, at(7), r.critic)?;
    texts.bind(st, at(8), r.outlet)?;
    match r.date {
        // YYYY-MM-DD, formatted on the stack.
        Some(d) if (0..=9999).contains(&d.year()) => {
            let mut date = [0u8; 10];
            let mut w = &mut date[..];
            let _ = std::io::Write::write_fmt(
                &mut w,
                format_args!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            );
            texts.bind_once(st, at(9), std::str::from_utf8(&date).ok())?;
        }
        // As chrono writes it (with a sign): refused by the table's rule.
        Some(d) => texts.bind_once(st, at(9), Some(&d.format("%Y-%m-%d").to_string()))?,
        None => texts.bind(st, at(9), None)?,
    }
    texts.bind(st, at(10), Some(r.body))?;
    st.raw_bind_parameter(at(11), a.score)?;
    texts.bind(st, at(12), Some(a.verdict.as_str()))?;
    st.raw_bind_parameter(at(13), a.confidence)?;
    st.raw_bind_parameter(at(14), a.inferred)?;
    texts.bind(st, at(15), rating.map(|x| x.raw.as_str()))?;
    st.raw_bind_parameter(at(16), rating.map(|x| x.value))?;
    st.raw_bind_parameter(at(17), rating.map(|x| x.best))?;
    st.raw_bind_parameter(at(18), rating.map(|x| x.worst))?;
    st.raw_bind_parameter(at(19), rating.map(|x| x.score))?;
    texts.bind(st, at(20), rating.map(|x| x.scale.as_str()))?;
    texts.bind(st, at(21), rating.map(|x| confidence_str(x.confidence)))?;
    st.raw_bind_parameter(at(22), r.rating_span.0)?;
    st.raw_bind_parameter(at(23), r.rating_span.1)?;
    texts.bind(st, at(24), judgement.map(|j| j.model.as_str()))?;
    st.raw_bind_parameter(at(25), judgement.map(|j| j.score))?;
    texts.bind(st, at(26), judgement.map(|j| j.verdict.as_str()))?;
    st.raw_bind_parameter(at(27), judgement.map(|j| j.probability))?;
    // Lists of strings and of plain diagnostics always serialise.
    match judgement {
        Some(j) if !j.evidence.is_empty() => {
            let json = serde_json::to_string(&j.evidence).unwrap_or_else(|_| "[]".into());
            texts.bind_once(st, at(28), Some(&json))?;
        }
        _ => texts.bind(st, at(28), Some("[]"))?,
    }
    if r.diagnostics.is_empty() {
        texts.bind(st, at(29), Some("[]"))?;
    } else {
        let json = serde_json::to_string(r.diagnostics).unwrap_or_else(|_| "[]".into());
        texts.bind_once(st, at(29), Some(&json))?;
    }
    texts.bind(st, at(31), r.source_verdict.map(Verdict::as_str))?;
    st.raw_bind_parameter(at(32), r.top_critic)?;
    st.raw_bind_parameter(at(33), a.p_positive)?;
    texts.bind(st, at(35), r.link)?;
    match r.passages {
        Some(p) if !p.is_empty() => {
            let json = serde_json::to_string(p).unwrap_or_else(|_| "[]".into());
            texts.bind_once(st, at(36), Some(&json))?;
        }
        _ => texts.bind(st, at(36), None)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_is_ingested_at_and_rows_number_on() {
        assert_eq!(COLUMNS[STAMP_PARAM - 1], "ingested_at");
        assert_eq!(COLUMNS[RUN_PARAM - 1], "run_id");
        let one = insert_reviews_sql(1);
        assert!(one.contains("(?1, ?2, "), "{one}");
        assert!(one.ends_with("?36) ON CONFLICT (content_hash) DO NOTHING"));
        let two = insert_reviews_sql(2);
        assert!(two.contains("?36), (?37, ?38, "), "{two}");
        assert!(two.contains("?72) ON CONFLICT"), "{two}");
        assert_eq!(two.matches('?').count(), 2 * REVIEW_PARAMS);
    }
}
