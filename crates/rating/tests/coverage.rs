//! Coverage over every distinct rating string seen across the Rotten
//! Tomatoes sources (`../shared/data/rating-strings.tsv`): each one is
//! either read or refused with a reason. Skipped when the data is absent.

use verdict_rating::{Reading, read};

#[test]
fn every_rating_string_is_read_or_refused_with_a_reason() {
    let Some(data) = verdict_testkit::data("rating-strings.tsv") else {
        return;
    };
    let rows = verdict_testkit::rating_strings::load(&data).expect("rating-strings.tsv reads");
    let (mut agree, mut judged) = (0u64, 0u64);
    let (mut n_read, mut n_refused, mut w_read, mut w_refused) = (0u64, 0u64, 0u64, 0u64);
    let mut refused = Vec::new();
    for row in rows {
        let (input, count) = (row.input, row.total);
        match read(&input) {
            Reading::Rated(r) => {
                assert!(
                    (0.0..=100.0).contains(&r.score),
                    "{input:?}: score {}",
                    r.score
                );
                // the weak oracle: fresh when the score is 60 or more
                agree += if r.score >= 60.0 {
                    row.fresh
                } else {
                    row.rotten
                };
                judged += row.fresh + row.rotten;
                n_read += 1;
                w_read += count;
            }
            Reading::Refused(r) => {
                assert!(
                    !r.reason.trim().is_empty(),
                    "{input:?}: refused with no reason"
                );
                n_refused += 1;
                w_refused += count;
                refused.push(format!("{count:>6}  {input:?}: {}", r.reason));
            }
        }
    }
    let w = (w_read + w_refused) as f64;
    println!(
        "rating-strings.tsv: {} distinct strings, {} occurrences",
        n_read + n_refused,
        w_read + w_refused
    );
    println!(
        "  read:    {n_read} distinct, {w_read} occurrences ({:.3}% count-weighted)",
        100.0 * w_read as f64 / w
    );
    println!(
        "  refused: {n_refused} distinct, {w_refused} occurrences ({:.3}% count-weighted)",
        100.0 * w_refused as f64 / w
    );
    if judged > 0 {
        println!(
            "  read strings agreeing with RT fresh/rotten (score >= 60 is fresh; a weak oracle): {:.2}%",
            100.0 * agree as f64 / judged as f64
        );
    }
    for r in &refused {
        println!("  {r}");
    }
    assert!(n_read + n_refused > 0);
}
