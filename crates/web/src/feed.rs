//! `/feed.xml`: an RSS 2.0 feed of the newest ingested reviews.

use std::fmt::Write;

use axum::extract::State;
use axum::response::Response;
use verdict_present::ReviewView;
use verdict_store::Store;

use crate::catalog::Catalog;
use crate::respond::{self, Failure, Gzip, RSS};
use crate::state::AppState;
use crate::view::{self, escape};

/// Items in the feed.
pub const ITEMS: usize = 50;

pub async fn feed(State(s): State<AppState>, gz: Gzip) -> Response {
    respond::cached(&s, "feed".into(), RSS, gz, render)
        .await
        .unwrap_or_else(Failure::json)
}

fn render(store: &dyn Store, s: &AppState, catalog: &Catalog) -> Result<Vec<u8>, Failure> {
    let home = s.config.absolute("/");
    let mut xml = String::new();
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Verdict: new reviews</title>
<link>{home}</link>
<atom:link href="{feed}" rel="self" type="application/rss+xml"/>
<description>Critics' reviews as Verdict reads them, newest first.</description>
<language>en</language>
"#,
        home = escape(&home),
        feed = escape(&s.config.absolute("/feed.xml")),
    );
    for &id in catalog.recent_reviews.iter().take(ITEMS) {
        let Some(r) = store.review(id)? else { continue };
        let doc = ReviewView::from(&r);
        let film = catalog
            .film(r.film_id)
            .map(|f| f.doc.film.title.clone())
            .or_else(|| store.film(r.film_id).ok().flatten().map(|f| f.title))
            .unwrap_or_default();
        let who = doc
            .critic
            .clone()
            .or_else(|| doc.outlet.clone())
            .unwrap_or_else(|| "A critic".into());
        let how = match (&doc.rating, doc.score, doc.verdict) {
            (Some(x), Some(score), Some(v)) => format!("“{}” ({}), {v}", x.raw, view::num(score)),
            (_, Some(score), Some(v)) => format!("inferred {}, {v}", view::num(score)),
            _ => "unjudged (no rating, no text to read)".to_string(),
        };
        let title = format!("{who} on {film}: {how}");
        let link = s.config.absolute(&format!("/reviews/{}", r.id));
        let _ = write!(
            xml,
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n<pubDate>{}</pubDate>\n<description>{}</description>\n</item>\n",
            escape(&title),
            escape(&link),
            escape(&link),
            r.ingested_at.to_rfc2822(),
            escape(&view::excerpt(&r.body, 400)),
        );
    }
    xml.push_str("</channel>\n</rss>\n");
    Ok(xml.into_bytes())
}
