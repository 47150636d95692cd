//! Human-readable views for the terminal.

use super::{FilmPage, FilmSummary, is_listing_item};
use std::fmt::Write as _;

fn pct(x: Option<f64>) -> String {
    x.map_or("–".to_string(), |v| format!("{v:.0}%"))
}

fn num(x: Option<f64>) -> String {
    x.map_or("–".to_string(), |v| format!("{v:.0}"))
}

/// 4.5 → "4.5", 66.666… → "66.67", 5.0 → "5".
fn short(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn title_year(title: &str, year: Option<i32>) -> String {
    match year {
        Some(y) => format!("{title} ({y})"),
        None => title.to_string(),
    }
}

/// The widest a title gets in `verdict films` (characters): one very long
/// title (a festival's programme name, a catalogue's alternative title)
/// must not push the numbers of every line off the screen.
const TITLE_WIDTH: usize = 60;

/// `text` cut to `width` characters, an ellipsis marking the cut.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `verdict films`: one line per film.
pub fn films_text(films: &[FilmSummary]) -> String {
    if films.is_empty() {
        return "No films yet. Add reviews with `verdict ingest PATH…`.\n".to_string();
    }
    let rows: Vec<(String, String, String, String)> = films
        .iter()
        .map(|f| {
            (
                clip(&title_year(&f.film.title, f.film.year), TITLE_WIDTH),
                f.aggregate.reviews.to_string(),
                pct(f.aggregate.positive_percent),
                num(f.aggregate.score),
            )
        })
        .collect();
    let w = rows
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "{:<w$}  {:>7}  {:>9}  {:>5}\n",
        "FILM", "REVIEWS", "POSITIVE", "SCORE"
    );
    for (film, n, p, s) in rows {
        let _ = writeln!(out, "{film:<w$}  {n:>7}  {p:>9}  {s:>5}");
    }
    out
}

/// The numbers beyond the first line, when they say something: labels,
/// published scores, the top critics, shrinkage and calibration.
fn aggregate_details(page: &FilmPage) -> String {
    let a = &page.aggregate;
    let mut parts: Vec<String> = Vec::new();
    match a.positive_basis {
        Some("labels") => parts.push(format!(
            "% positive from the source's labels; our own reading: {}",
            pct(a.read_positive_percent)
        )),
        Some("labels+readings") => parts.push(format!(
            "{} of {} reviews labelled by the source; our own reading: {}",
            a.labelled,
            a.reviews,
            pct(a.read_positive_percent)
        )),
        _ => {}
    }
    for x in &page.film.external_ids {
        if let Some(p) = x.published_percent {
            parts.push(format!("published by {} ({}): {p:.0}%", x.source, x.id));
        }
    }
    if a.certified {
        parts.push("certified fresh".to_string());
    }
    if let Some(t) = a.top_critics.as_ref().filter(|t| t.reviews > 0) {
        parts.push(format!(
            "top critics: {} of {}",
            pct(t.positive_percent),
            t.reviews
        ));
    }
    if let (Some(s), Some(p)) = (a.shrunk_score, &a.prior) {
        let interval = a
            .shrunk_interval
            .map(|[lo, hi]| format!(" [{lo:.0}–{hi:.0}]"))
            .unwrap_or_default();
        parts.push(format!(
            "shrunk score {s:.0}{interval} (prior {:.0}, worth {:.1} reviews)",
            p.mean, p.weight
        ));
    }
    if let (Some(c), Some(s)) = (a.calibrated_score, a.score)
        && (c - s).abs() >= 0.5
    {
        parts.push(format!("calibrated for critics' harshness: {c:.0}"));
    }
    if a.weights != "equal" {
        parts.push(format!(
            "weighted score {} ({})",
            num(a.weighted_score),
            a.weights
        ));
    }
    if let Some(c) = &page.film.catalogue {
        match (&c.title, c.matched) {
            (Some(t), true) => parts.push(format!(
                "catalogue: {t} ({}) {}, {} {:.2}",
                c.year.map_or("?".to_string(), |y| y.to_string()),
                c.imdb_id.as_deref().or(c.id.as_deref()).unwrap_or(""),
                c.method,
                c.confidence.unwrap_or_default()
            )),
            _ => parts.push(format!(
                "catalogue: unmatched ({})",
                c.note.as_deref().unwrap_or(&c.method)
            )),
        }
    }
    parts.iter().map(|p| format!("{p}\n")).collect()
}

/// What % positive counted: how many reviews by label, by rating, read
/// from text (and how their share was estimated), and how many were left
/// out as unjudged; and why `favourable` and `positive` may differ.
pub fn basis_line(a: &verdict_aggregate::Aggregate) -> String {
    if a.reviews == 0 && a.unjudged == 0 {
        return String::new();
    }
    let mut parts = Vec::new();
    if a.labelled > 0 {
        parts.push(format!("{} by the source's label", a.labelled));
    }
    if a.rated > 0 {
        parts.push(format!("{} by their rating", a.rated));
    }
    if a.read > 0 {
        parts.push(format!(
            "{} read from text ({})",
            a.read,
            a.positive_estimator.unwrap_or("counted")
        ));
    }
    let mut line = format!("% positive counts {}", parts.join(", "));
    if parts.is_empty() {
        line = "% positive counts no review".to_string();
    }
    if a.unjudged > 0 {
        line.push_str(&format!(
            "; {} unjudged (no rating, no text to read) left out",
            a.unjudged
        ));
    }
    let mut out = format!("{line}\n");
    if a.favourable != a.positive && a.reviews > 0 {
        out.push_str(&format!(
            "{} of {} counted favourable{}; {} scored 60 or more (the positive band)\n",
            a.favourable,
            a.reviews,
            if a.labelled > 0 {
                " (labels decide where given)"
            } else {
                ""
            },
            a.positive
        ));
    }
    out
}

/// A review's source label and whether Verdict's own reading agrees.
pub fn label_line(r: &crate::ReviewView) -> Option<String> {
    let label = r.source_verdict?;
    let said = match label {
        verdict_core::Verdict::Positive => "favourable",
        verdict_core::Verdict::Negative => "unfavourable",
        verdict_core::Verdict::Mixed => "mixed",
    };
    let ours = match (r.p_positive, r.verdict) {
        (Some(p), _) => Some((p >= 0.5, format!("P(favourable) {p:.2}"))),
        (None, Some(v)) => Some((v == verdict_core::Verdict::Positive, format!("reads {v}"))),
        (None, None) => None,
    };
    Some(match ours {
        None => format!("source label: {said}; nothing of ours to compare"),
        Some((fav, how)) if fav == (label == verdict_core::Verdict::Positive) => {
            format!("source label: {said}; our reading agrees ({how})")
        }
        Some((_, how)) => format!("source label: {said}; our reading disagrees ({how})"),
    })
}

/// How a rating held to a learned fresh line counts for % positive, when
/// its critic, outlet or scale has one and it counts otherwise than the
/// plain 60 would (counted by its rating: no source label, a rating of its
/// own). A line that changes nothing is in the JSON's `fresh_line` only.
pub fn fresh_line_note(r: &crate::ReviewView) -> Option<String> {
    let line = r.fresh_line?;
    let rating = r
        .rating
        .as_ref()
        .filter(|_| r.source_verdict.is_none() && !r.inferred)?;
    let whose = match line.level {
        verdict_rating::scalebook::Level::Critic => "this critic's",
        verdict_rating::scalebook::Level::Outlet => "this outlet's",
        _ => "this scale's",
    };
    let fresh = rating.score >= line.exact;
    if fresh == (rating.score >= verdict_core::Verdict::POSITIVE_FROM) {
        return None;
    }
    let counted = if fresh {
        "favourable"
    } else {
        "not favourable"
    };
    Some(format!(
        "counted {counted}: {} against {whose} fresh line, {} (learned from critics' own fresh/rotten calls); the plain line, 60, would say otherwise",
        num(Some(rating.score)),
        num(Some(line.at)),
    ))
}

/// `verdict show`: the aggregate, then each review with its rating and source.
/// The critics' consensus as the terminal shows it: each sentence in
/// quotation marks with its review's id ("#12").
pub fn consensus_line(c: &verdict_aggregate::consensus::Consensus) -> String {
    let said: Vec<String> = c
        .sentences
        .iter()
        .map(|s| format!("“{}” (#{})", s.text, s.review_id))
        .collect();
    format!(
        "critics' consensus, drawn from the reviews: {}",
        said.join(" ")
    )
}

pub fn film_text(page: &FilmPage) -> String {
    let a = &page.aggregate;
    let mut out = String::new();
    let _ = writeln!(out, "{}", title_year(&page.film.title, page.film.year));
    if !page.film.aliases.is_empty() {
        let _ = writeln!(out, "also known as: {}", page.film.aliases.join(", "));
    }
    let interval = a
        .positive_interval
        .map(|[lo, hi]| format!(" (95% interval {lo:.0}–{hi:.0})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} positive{interval} · score {} ({}) · {} reviews: {} positive, {} mixed, {} negative, {} inferred from text",
        pct(a.positive_percent),
        num(a.score),
        a.band.unwrap_or("–"),
        a.reviews,
        a.positive,
        a.mixed,
        a.negative,
        a.inferred
    );
    let _ = write!(out, "{}", basis_line(a));
    if a.superseded > 0 {
        let _ = writeln!(
            out,
            "{} earlier {} by writers who reviewed the film again: kept as history, not counted",
            a.superseded,
            if a.superseded == 1 {
                "review"
            } else {
                "reviews"
            }
        );
    }
    let _ = write!(out, "{}", aggregate_details(page));
    for p in &page.published {
        let _ = writeln!(
            out,
            "published elsewhere: {} (the site's own number, read from {}; not counted here)",
            p.summary, p.score.source
        );
    }
    if let Some(c) = &page.consensus {
        let _ = writeln!(out, "{}", consensus_line(c));
    }
    for r in &page.reviews {
        let _ = writeln!(out);
        let who = [r.critic.as_deref(), r.outlet.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let date = r.date.map(|d| d.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:>3}  {:<8}  {}{}{}",
            r.score.map_or("–".to_string(), |s| s.round().to_string()),
            r.verdict.map_or("unjudged", |v| v.as_str()),
            if who.is_empty() {
                "unknown critic"
            } else {
                &who
            },
            if date.is_empty() { "" } else { " · " },
            date
        );
        if let Some(later) = r.superseded_by {
            let _ = writeln!(
                out,
                "       earlier review: replaced by the same writer's #{later}, not counted"
            );
        }
        if let Some(text) = &r.text {
            let clipped: String = text.chars().take(300).collect();
            let more = if clipped.len() < text.len() {
                "…"
            } else {
                ""
            };
            let _ = writeln!(out, "       “{}{more}”", clipped.replace('\n', " "));
        }
        if let Some(v) = r.source_verdict.filter(|_| is_listing_item(&r.source)) {
            let _ = writeln!(
                out,
                "       marked {} by the page (counted for % positive)",
                match v {
                    verdict_core::Verdict::Positive => "favourable",
                    verdict_core::Verdict::Negative => "unfavourable",
                    verdict_core::Verdict::Mixed => "mixed",
                }
            );
        }
        if let Some(line) = label_line(r) {
            let _ = writeln!(out, "       {line}");
        }
        if let Some(line) = fresh_line_note(r) {
            let _ = writeln!(out, "       {line}");
        }
        if r.unjudged {
            let _ = writeln!(
                out,
                "       unjudged: no rating and no text to read; counted in no number"
            );
            continue;
        }
        match &r.rating {
            Some(rating) => {
                let _ = writeln!(
                    out,
                    "       rating {:?} read as {} of {} ({})",
                    rating.raw,
                    short(rating.value),
                    short(rating.best),
                    rating.scale
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "       inferred from the text (confidence {:.0}%)",
                    r.confidence * 100.0
                );
                if let Some(e) = r.evidence.first() {
                    let _ = writeln!(out, "       evidence: “{e}”");
                }
            }
        }
        if !r.aspects.is_empty() {
            let aspects: Vec<String> = r
                .aspects
                .iter()
                .map(|x| format!("{} {} → {:.0}", x.name, x.raw, x.score))
                .collect();
            let _ = writeln!(out, "       aspects: {}", aspects.join(" · "));
        }
        let _ = writeln!(out, "       source: {}", r.source);
        if let Some(link) = &r.link {
            let _ = writeln!(out, "       full review: {link}");
        }
        for c in &r.copies {
            let _ = writeln!(
                out,
                "       also at: {}{} (the same text, counted once)",
                c.link.as_deref().unwrap_or(&c.source),
                c.outlet
                    .as_deref()
                    .map(|o| format!(" · {o}"))
                    .unwrap_or_default()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(title: &str, year: Option<i32>) -> FilmSummary {
        FilmSummary {
            film: super::super::FilmView {
                id: 1,
                title: title.to_string(),
                year,
                aliases: vec![],
                external_ids: vec![],
                catalogue: None,
            },
            aggregate: verdict_aggregate::aggregate([]),
        }
    }

    #[test]
    fn a_long_title_is_clipped_and_the_columns_stay_in_place() {
        let long = "The Assassination of Jesse James by the Coward Robert Ford: an Extended Cut";
        let out = films_text(&[summary(long, Some(2007)), summary("Offside", Some(2006))]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        let widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{out}");
        assert_eq!(widths[0], TITLE_WIDTH + 2 + 7 + 2 + 9 + 2 + 5);
        assert!(
            lines[1].starts_with("The Assassination of Jesse James by the Coward Robert Ford:…")
        );
        assert!(lines[2].starts_with("Offside (2006) "));
        // Short titles keep the narrow table.
        let out = films_text(&[summary("Offside", Some(2006))]);
        assert!(out.starts_with("FILM            REVIEWS"), "{out}");
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("Les Chambres Rouges", 60), "Les Chambres Rouges");
        assert_eq!(clip("Élégie à l'été", 6), "Élégi…");
        assert_eq!(clip("Red Rooms", 5), "Red…");
    }
}
