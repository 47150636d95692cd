//! The first acceptance case: the five seed reviews of *Red Rooms*.

mod common;
use common::*;
use serde_json::Value;

fn review<'a>(page: &'a Value, prefix: &str) -> &'a Value {
    page["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"].as_str().unwrap().contains(prefix))
        .unwrap_or_else(|| panic!("no review from {prefix}"))
}

#[test]
fn seeds_resolve_to_one_film_with_the_right_readings() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let seeds = seeds.to_str().unwrap();
    ok(&db, &["ingest", seeds]);

    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 1, "{films:#}");

    let page = json(&db, &["show", "Red Rooms", "--json"]);
    assert_eq!(page["film"]["title"], "Red Rooms");
    assert_eq!(page["film"]["year"], 2023);
    let aliases: Vec<&str> = page["film"]["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(aliases, vec!["Les Chambres Rouges"]);

    // The same film by its other title, folded.
    let other = json(&db, &["show", "les chambres rouges", "--json"]);
    assert_eq!(other["film"]["id"], page["film"]["id"]);

    let r000 = review(&page, "000_");
    assert_eq!(r000["score"], 88.0);
    assert_eq!(r000["rating"]["raw"], "Score: 88");
    assert_eq!(r000["inferred"], false);
    let r002 = review(&page, "002_");
    assert_eq!(r002["score"], 90.0);
    assert_eq!(r002["rating"]["raw"], "4.5/5");
    assert_eq!(r002["rating"]["value"], 4.5);
    assert_eq!(r002["rating"]["best"], 5.0);
    let r003 = review(&page, "003_");
    let aspects: Vec<f64> = r003["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["score"].as_f64().unwrap())
        .collect();
    assert_eq!(aspects, vec![60.0, 80.0, 80.0]);
    assert_eq!(r003["score"], 80.0);
    assert_eq!(r003["outlet"], "Little White Lies");
    assert_eq!(r003["date"], "2024-09-06");

    for (prefix, text) in [("001_", "RED ROOMS"), ("004_", "Red Rooms")] {
        let r = review(&page, prefix);
        assert_eq!(r["inferred"], true, "{prefix}");
        assert!(r["rating"].is_null(), "{prefix}");
        assert_eq!(r["verdict"], "positive", "{prefix}: {r:#}");
        assert!(r["score"].as_f64().unwrap() >= 60.0, "{prefix}");
        let c = r["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{prefix}");
        assert!(!r["evidence"].as_array().unwrap().is_empty(), "{prefix}");
        assert!(r["title_seen"].as_str().unwrap().contains(text), "{prefix}");
    }
    // The IMDb user review quoted in 004 is not the author's opinion.
    let r004 = review(&page, "004_");
    for e in r004["evidence"].as_array().unwrap() {
        assert!(
            !e.as_str().unwrap().contains("European"),
            "quoted text used as evidence: {e}"
        );
    }

    let agg = &page["aggregate"];
    assert_eq!(agg["reviews"], 5);
    assert_eq!(agg["favourable"], 5);
    // The rated reviews are counted; the one read from its text is
    // estimated from its P(favourable): nearly, not surely, favourable.
    let read = agg["read"].as_u64().unwrap();
    assert_eq!(agg["rated"].as_u64().unwrap() + read, 5, "{agg:#}");
    assert!(read >= 1, "{agg:#}");
    assert!(agg["positive_estimator"].is_string(), "{agg:#}");
    let percent = agg["positive_percent"].as_f64().unwrap();
    assert!(percent > 90.0 && percent < 100.0, "{agg:#}");
    let mean: f64 = page["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .sum::<f64>()
        / 5.0;
    assert!(
        (agg["score"].as_f64().unwrap() - mean).abs() < 0.06,
        "{agg:#}"
    );

    // Spans point at the raw text in the source file.
    let src = std::fs::read_to_string(r000["source"].as_str().unwrap()).unwrap();
    let span = &r000["rating"]["span"];
    let (s, e) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&src[s..e], "Score: 88");

    // Ingesting again adds nothing.
    ok(&db, &["ingest", seeds]);
    let again = json(&db, &["show", "Red Rooms", "--json"]);
    assert_eq!(again["aggregate"]["reviews"], 5);
    assert_eq!(json(&db, &["films", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn the_quoted_user_review_does_not_decide_004() {
    let Some(seeds) = seeds() else { return };
    let path = seeds.join("004_225013de8d7a792b.txt");
    let dir = tempfile::tempdir().unwrap();
    let out = json(
        &dir.path().join("unused.db"),
        &["extract", path.to_str().unwrap(), "--json"],
    );
    let passages = out["review"]["passages"].as_array().unwrap();
    let quote = passages
        .iter()
        .find(|p| p["text"].as_str().unwrap().contains("European films"))
        .unwrap();
    assert_eq!(quote["role"], "quote");
    assert!(
        passages
            .iter()
            .any(|p| p["role"] == "verdict" && p["text"].as_str().unwrap().starts_with("Rating:"))
    );
}
