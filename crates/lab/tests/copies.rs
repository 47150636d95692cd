//! Syndicated copies on the real data: different critics' reviews of one
//! film never merge (the Rotten Tomatoes sets, every pair of a film's
//! reviews), nor do different pages' main texts (the extraction
//! benchmark, every pair). Skipped (with a SKIPPED line) when the data is
//! absent; `bench/copies/run.sh` runs the whole measurement in release.

fn data() -> Option<std::path::PathBuf> {
    for f in [
        "rt-flatiron/rt.reviews.tsv.gz",
        "rt-kaggle-truncated/DERIVED_complete_films.tsv",
        "rt-toplists/soccer/critic_reviews.csv",
        "rt-scrape-2023/movie_reviews.csv",
        "extraction-benchmark/ground-truth.json",
    ] {
        verdict_testkit::data(f)?;
    }
    verdict_testkit::data("")
}

#[test]
fn different_critics_reviews_of_a_film_never_merge() {
    let Some(data) = data() else { return };
    let mut sets = verdict_lab::copies::rotten_tomatoes(&data).unwrap();
    sets.push(verdict_lab::copies::benchmark(&data).unwrap());
    for s in &sets {
        verdict_testkit::note(format_args!(
            "{}: {} texts, {} signed, {} pairs, {} over the threshold ({} identical), {} false merges, highest {:.3}",
            s.set, s.texts, s.signed, s.pairs, s.over, s.identical, s.false_merges, s.highest
        ));
        assert_eq!(s.false_merges, 0, "{s:?}");
        assert!(s.highest < verdict_core::copies::THRESHOLD, "{s:?}");
    }
    assert!(sets.iter().map(|s| s.pairs).sum::<u64>() > 1000, "{sets:?}");
}
