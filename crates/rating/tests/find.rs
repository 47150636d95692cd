//! `find_in_text`: the real seed reviews, distractors and positives.

mod support;

use support::{assert_spans, raws};
use verdict_core::Confidence;
use verdict_rating::find_in_text;

/// The seed file whose name starts with `prefix`, or None (the test
/// skips, visibly) when the seeds are absent.
fn seed(prefix: &str) -> Option<String> {
    let seeds = verdict_testkit::seeds()?;
    let dir = std::fs::read_dir(&seeds).expect("the seeds folder reads");
    let mut names: Vec<_> = dir
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect();
    names.sort();
    let path = names
        .first()
        .unwrap_or_else(|| panic!("no seed {prefix}* in {}", seeds.display()));
    Some(std::fs::read_to_string(path).expect("seed readable"))
}

#[test]
fn seed_000_score_88() {
    let Some(text) = seed("000_") else { return };
    let found = find_in_text(&text);
    assert_spans(&text, &found);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rating.raw, "Score: 88");
    assert_eq!(found[0].rating.score, 88.0);
    assert_eq!(found[0].label.as_deref(), Some("Score"));
}

#[test]
fn seed_002_four_and_a_half_of_five() {
    let Some(text) = seed("002_") else { return };
    let found = find_in_text(&text);
    assert_spans(&text, &found);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rating.raw, "4.5/5");
    assert_eq!(found[0].rating.score, 90.0);
    assert_eq!(found[0].rating.scale, "x/5");
    assert_eq!(found[0].label, None);
}

#[test]
fn seeds_001_003_004_have_no_rating() {
    // 001: "3 young girls, 13, 14 and 16 years old"; 003: multi-aspect
    // marks on their own lines (read elsewhere), dates; 004: "Under 90
    // minutes?", "almost two hours", a "Rating:" label followed by prose.
    for prefix in ["001_", "003_", "004_"] {
        let Some(text) = seed(prefix) else { return };
        let found = find_in_text(&text);
        assert!(found.is_empty(), "{prefix}: {found:?}");
    }
}

#[test]
fn distractors_yield_nothing() {
    let texts = [
        "MPAA Rating: R",
        "MPAA rating: PG-13 for violence and some language.",
        "Rated R for strong violence.",
        "Rated PG-13 for thematic elements",
        "Rating: R",
        "The 2024 film Red Rooms is not for the faint of heart.",
        "It runs almost two hours.",
        "Under 90 minutes? Nah, almost two hours.",
        "Running time: 104 min",
        "The killer murdered 3 young girls, 13, 14 and 16 years old.",
        "accused of torturing three teenage girls",
        "1.\n2)\n3",
        "06 Sep 2024 / Released: 06 Sep 2024",
        "Posted 3/4/2024 at 10:30",
        "About 3/4 of the film takes place in a courtroom.",
        "4/5 people I asked walked out.",
        "The score by Johnny Greenwood is superb.",
        "Score: 88 minutes of pure tension",
        "3",
        "88",
        "***",
        "* * *",
        "A",
        "B\nA\nC",
        "Rating: This was a really unsettling, disturbing thriller.",
        "Grade: A film that lingers.",
        "The two stars share real chemistry.",
        "Its three stars are all excellent.",
        "Chapter 9/11 begins at 9:30.",
        "The team won 3-1 and then 2/1.",
        "She was 24/7 on the case.",
        "An A-list cast, a B-movie plot and a C-grade script.",
        "It has a 94% Tomatometer score.",
        "I saw it at 9:30 with 10/10 friends.",
        "**Note:** the film opens on 3/4.",
        "date: 2025-01-20 17:42:44 +0100",
        "title: Red Rooms (2023)",
        "between 3 and 4 stars of the cast",
        "If it were boring, I'd give it zero stars.",
        "I came very close to giving it all 4 stars.",
        "288 people have given it 10 out of 10.",
        "The critics give this film two out five stars.",
        "Classics: Rushmore (8/10) and Bottle Rocket (9/10).",
        "STAR RATING: ***** Saturday Night **** Friday Night",
        "Version 1.5.5 fixed it.",
        "PG-13",
        "B-52s on the soundtrack",
        "Stars: Tom Hanks, Meg Ryan",
        "Score: Hans Zimmer",
        "As cheapo larks go, it's a winningly unassuming one: no stars, no big action set pieces.",
        "Rating- zero minus five stars.",
        "Such episodes can reach a rating of 8 out of 10.",
        "It runs 2 1/2 hours.",
        "Chapter 3 of 5 opens in Paris.",
        "Page 1 of 12",
    ];
    for t in texts {
        let found = find_in_text(t);
        assert!(found.is_empty(), "{t:?} -> {found:?}");
    }
}

#[test]
fn whole_line_ratings() {
    let cases: &[(&str, &str, f64)] = &[
        ("4.5/5 Stars", "4.5/5", 90.0),
        ("★★★½", "★★★½", 87.5),
        ("★★★☆☆", "★★★☆☆", 60.0),
        ("3 1/2 stars", "3 1/2 stars", 87.5),
        ("Three and a half stars.", "Three and a half stars", 87.5),
        ("7 out of 10", "7 out of 10", 70.0),
        ("**4/5**", "4/5", 80.0),
        ("## 8/10", "8/10", 80.0),
        ("***1/2", "***1/2", 87.5),
        ("B+", "B+", 83.33),
        ("+1 out of -4..+4", "+1 out of -4..+4", 62.5),
        ("  3/4  ", "3/4", 75.0),
        ("4 stars out of 5", "4 stars out of 5", 80.0),
    ];
    for (text, raw, score) in cases {
        let text = format!("The film is long.\n\n{text}\n\nSide note: it's on rental.");
        assert_eq!(raws(&text), vec![(raw.to_string(), *score)], "{text:?}");
    }
}

#[test]
fn labelled_ratings_include_the_label() {
    let cases: &[(&str, &str, &str, f64)] = &[
        ("Score: 88", "Score: 88", "Score", 88.0),
        ("Rating: B+", "Rating: B+", "Rating", 83.33),
        ("Grade: A-", "Grade: A-", "Grade", 91.67),
        ("My rating: 4/5 stars", "My rating: 4/5", "My rating", 80.0),
        (
            "Final score: 8/10.",
            "Final score: 8/10",
            "Final score",
            80.0,
        ),
        ("Verdict: ★★★★", "Verdict: ★★★★", "Verdict", 100.0),
        ("Stars: 3", "Stars: 3", "Stars", 75.0),
        ("**Rating:** 3.5/5", "Rating:** 3.5/5", "Rating", 70.0),
        ("<b>Grade:</b> C+", "Grade:</b> C+", "Grade", 58.33),
        (
            "Rating: *1/2 out of 5.",
            "Rating: *1/2 out of 5",
            "Rating",
            30.0,
        ),
        (
            "My rating: 1/2 out of ****.",
            "My rating: 1/2 out of ****",
            "My rating",
            12.5,
        ),
        (
            "My score: 3 (out of 10)",
            "My score: 3 (out of 10)",
            "My score",
            30.0,
        ),
        (
            "A tense ride. Rating: 4/5 - see it.",
            "Rating: 4/5",
            "Rating",
            80.0,
        ),
    ];
    for (text, raw, label, score) in cases {
        let found = find_in_text(text);
        assert_spans(text, &found);
        assert_eq!(found.len(), 1, "{text:?} -> {found:?}");
        assert_eq!(found[0].rating.raw, *raw, "{text:?}");
        assert_eq!(found[0].label.as_deref(), Some(*label), "{text:?}");
        assert!(
            (found[0].rating.score - score).abs() < 0.01,
            "{text:?} -> {}",
            found[0].rating.score
        );
    }
}

#[test]
fn inline_phrases_are_medium_at_most() {
    let cases: &[(&str, &str, f64)] = &[
        (
            "All told, I give it 4 out of 5 stars and a hearty recommendation.",
            "4 out of 5",
            80.0,
        ),
        ("It's a solid 8/10.", "8/10", 80.0),
        ("I rate this film 2/10.", "2/10", 20.0),
        (
            "So I gave it three and a half stars, which is generous.",
            "three and a half stars",
            87.5,
        ),
        (
            "Overall, I would give it a 7 out of 10.",
            "7 out of 10",
            70.0,
        ),
        ("Not perfect, but ★★★★ from me.", "★★★★", 100.0),
    ];
    for (text, raw, score) in cases {
        let found = find_in_text(text);
        assert_spans(text, &found);
        assert_eq!(found.len(), 1, "{text:?} -> {found:?}");
        assert_eq!(found[0].rating.raw, *raw, "{text:?}");
        assert!((found[0].rating.score - score).abs() < 0.01, "{text:?}");
        assert!(found[0].rating.confidence <= Confidence::Medium, "{text:?}");
        assert_eq!(found[0].label, None);
    }
}

#[test]
fn several_ratings_come_in_order_with_exact_spans() {
    let text =
        "Héroïne — «Red Rooms» ★\nScore: 88\n\nLater: I rate the sequel 3/5.\r\nGrade: B-\r\n";
    let found = find_in_text(text);
    assert_spans(text, &found);
    let got: Vec<&str> = found.iter().map(|f| f.rating.raw.as_str()).collect();
    assert_eq!(got, ["Score: 88", "3/5", "Grade: B-"]);
}

#[test]
fn crlf_and_unicode_do_not_shift_spans() {
    let text = "Ünïcödé 🎬 title\r\n\r\n  ★★★½  \r\nÉtoiles — ½ d'étoile\r\nScore: 72\r\n";
    let found = find_in_text(text);
    assert_spans(text, &found);
    let got: Vec<&str> = found.iter().map(|f| f.rating.raw.as_str()).collect();
    assert_eq!(got, ["★★★½", "Score: 72"]);
}
