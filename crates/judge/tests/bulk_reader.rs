//! The bulk path's reader gives the numbers of the full reading, bit for
//! bit: the shipped model reads a text the same way whichever entry point
//! is used.

use verdict_judge::{Judge, Reading};

#[path = "support/rt_snippets.rs"]
mod rt_snippets;

const TEXTS: &[&str] = &[
    "",
    "   ",
    "... !!! ---",
    "Superb.",
    "A masterpiece: beautifully acted, gripping from the first scene to the last.",
    "A tedious, incoherent mess that wastes a talented cast. One of the worst films of the year.",
    "It isn't a bad film at all; it's the best of the year! Mr. Smith agrees. Really?  Yes…",
    "It is not funny, not scary and not worth your time.\nA lazy, predictable disappointment.",
    "Un film magnifique, porté par une actrice éblouissante. C'est long, c'est lent.",
    "Der Film ist leider viel zu lang und über weite Strecken langweilig.",
    "Ce n'est pas drôle, pas effrayant et pas intéressant : une déception totale.",
    "Un chef-d'œuvre absolu : magnifique, bouleversant. À voir absolument.",
    "l'histoire tient la route ; c'est beau, mais qu'est-ce que c'est long !",
    "Funny, moving and <i>wonderfully</i> made<br/>a delight. a < b and <<b>b> <a <b>c>",
    "Good good good. Good good good. Good good good.",
    "2.5/4 - a mixed bag, though the leads are fun (when they're allowed to be).",
];

/// Real review texts from ../shared/data; none (the test skips the real
/// texts, visibly) when it is absent.
fn real_texts() -> Vec<String> {
    if verdict_testkit::data("rt-flatiron/rt.reviews.tsv.gz").is_none() {
        return Vec::new();
    }
    rt_snippets::rt_snippets(&verdict_testkit::shared_root().join("data"))
        .expect("the rt-flatiron snippets read")
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

fn assert_same(text: &str, full: &Reading, lean: &Reading, judge: &Judge) {
    let (f, l) = (&full.judgement, &lean.judgement);
    assert!(l.evidence.is_empty(), "{text:?}");
    assert!(
        same(f.score, l.score) && same(f.probability, l.probability),
        "{text:?}: {f:?} vs {l:?}"
    );
    assert_eq!((f.verdict, &f.model), (l.verdict, &l.model), "{text:?}");
    assert!(same(full.p_positive, lean.p_positive), "{text:?}");
    assert_eq!(
        (full.language, full.unsure, full.words),
        (lean.language, lean.unsure, lean.words),
        "{text:?}"
    );
    // The margins behind (private) reach the rated readings.
    for rating in [0.0, 45.0, 62.5, 100.0] {
        let (a, b) = (
            judge.with_rating(full, rating),
            judge.with_rating(lean, rating),
        );
        assert!(
            same(a.p_positive, b.p_positive) && same(a.probability, b.probability),
            "{text:?} rated {rating}"
        );
        assert_eq!(a.disagreement, b.disagreement, "{text:?} rated {rating}");
    }
}

#[test]
fn the_bulk_reader_reads_as_the_full_reading() {
    let judge = Judge::embedded();
    let reader = judge.bulk_reader();
    let mut texts: Vec<String> = TEXTS.iter().map(|s| s.to_string()).collect();
    texts.extend(real_texts());
    for text in &texts {
        let full = judge.read_text(text);
        let lean = reader.read(text);
        assert_same(text, &full, &lean, judge);
    }
}
