//! Behaviour of the shipped judge.

use verdict_core::{Judgement, Passage, Role, Verdict};
use verdict_judge::{Judge, Language, ModelError};

const MODEL: &[u8] = include_bytes!("../model/judge-linear-en.bin");

fn p(text: &str, role: Role) -> Passage {
    Passage {
        text: text.to_string(),
        role,
    }
}

const POSITIVE: &[&str] = &[
    "A masterpiece: beautifully acted, gripping from the first scene to the last, and one of the best films of the year.",
    "The performances are superb, the script is sharp and witty, and the direction is assured. I loved every minute.",
    "A chilling, unsettling thriller that gets under your skin and stays there. Highly recommended.",
    "Funny, moving and wonderfully made; a delight from start to finish.",
];

const NEGATIVE: &[&str] = &[
    "A tedious, incoherent mess that wastes a talented cast. One of the worst films of the year.",
    "I was bored out of my mind: the plot makes no sense, the dialogue is clumsy and the acting is wooden.",
    "A dull, lifeless slog with nothing to say. Avoid it.",
    "It is not funny, not scary and not worth your time; a lazy, predictable disappointment.",
];

#[test]
fn embedded_model_loads() {
    let judge = Judge::embedded();
    assert_eq!(judge.name(), "linear-en-v2");
    assert!(MODEL.len() <= 5_000_000, "model is {} bytes", MODEL.len());
    let again = Judge::from_bytes(MODEL).expect("the shipped model file loads");
    assert_eq!(again.name(), judge.name());
}

#[test]
fn clear_reviews_are_judged_right() {
    let judge = Judge::embedded();
    for text in POSITIVE {
        let j = judge.judge_text(text);
        assert_eq!(j.verdict, Verdict::Positive, "{text:?} → {j:?}");
        assert!(j.score >= 60.0 && j.probability > 0.6, "{j:?}");
        assert!(judge.probability_positive(text) > 0.6);
    }
    for text in NEGATIVE {
        let j = judge.judge_text(text);
        assert_eq!(j.verdict, Verdict::Negative, "{text:?} → {j:?}");
        assert!(j.score < 40.0 && j.probability > 0.6, "{j:?}");
        assert!(judge.probability_positive(text) < 0.4);
    }
}

#[test]
fn judgement_fields_are_consistent() {
    let judge = Judge::embedded();
    for text in POSITIVE.iter().chain(NEGATIVE) {
        let r = judge.read_text(text);
        let j = &r.judgement;
        assert_eq!(*j, judge.judge_text(text));
        assert!((0.0..=100.0).contains(&j.score));
        assert!((0.0..=1.0).contains(&j.probability));
        assert_eq!(j.verdict, Verdict::from_score(j.score));
        assert_eq!(j.model, "linear-en-v2");
        assert_eq!(r.language, Language::English, "{text}");
        assert!(!r.unsure);
        let p = r.p_positive;
        assert!((p - judge.probability_positive(text)).abs() < 1e-12);
        match j.verdict {
            Verdict::Positive => assert!((j.probability - p).abs() < 1e-12),
            Verdict::Negative => assert!((j.probability - (1.0 - p)).abs() < 1e-12),
            Verdict::Mixed => assert!(j.probability <= 0.5),
        }
    }
}

#[test]
fn the_score_estimates_a_rating_not_a_probability() {
    let judge = Judge::embedded();
    let rave = judge.judge_text(POSITIVE[0]);
    let pan = judge.judge_text(NEGATIVE[0]);
    let middling = judge.judge_text(
        "An uneven film: a few fine scenes and a decent lead performance, \
         but it drags in the middle and never quite comes together. Worth a look on a slow night.",
    );
    assert!(
        rave.score > middling.score && middling.score > pan.score,
        "{rave:?} {middling:?} {pan:?}"
    );
    assert!(
        (25.0..=75.0).contains(&middling.score),
        "a middling review gets a middling score: {middling:?}"
    );
    // A probability-as-score would put a clear rave at 99+; a rating
    // estimate keeps room above it.
    assert!(rave.score < 99.0, "{rave:?}");
}

const FRENCH_POSITIVE: &[&str] = &[
    "Un chef-d'œuvre absolu : magnifique, bouleversant, porté par des acteurs éblouissants. À voir absolument.",
    "Le film est long mais la mise en scène est superbe et la musique inoubliable. Une vraie réussite.",
    "Drôle, émouvant et superbement filmé : je n'ai pas vu le temps passer.",
];

const FRENCH_NEGATIVE: &[&str] = &[
    "Un navet d'un ennui mortel, mal joué et mal écrit. On s'ennuie du début à la fin.",
    "Ce n'est pas drôle, pas effrayant et pas intéressant : une déception totale.",
    "Scénario creux, dialogues ridicules, acteurs perdus. À éviter.",
];

#[test]
fn french_is_read_by_the_french_judge() {
    let judge = Judge::embedded();
    assert_eq!(judge.french_name(), Some("linear-fr-v1"));
    for (texts, positive) in [(FRENCH_POSITIVE, true), (FRENCH_NEGATIVE, false)] {
        for text in texts {
            let r = judge.read_text(text);
            assert_eq!(r.language, Language::French, "{text}");
            assert!(!r.unsure, "{text}");
            assert_eq!(r.judgement.model, "linear-fr-v1", "{text}");
            if positive {
                assert!(r.p_positive > 0.6, "{text}: {}", r.p_positive);
                assert_eq!(r.judgement.verdict, Verdict::Positive, "{text}");
            } else {
                assert!(r.p_positive < 0.4, "{text}: {}", r.p_positive);
                assert_eq!(r.judgement.verdict, Verdict::Negative, "{text}");
            }
            // The evidence is French: sentences of the review itself.
            assert!(!r.judgement.evidence.is_empty(), "{text}");
            for e in &r.judgement.evidence {
                assert!(text.contains(e.as_str()), "{e:?} in {text:?}");
            }
        }
    }
    // Passages too: a French body with a French closing verdict.
    let j = judge.judge(&[
        p(FRENCH_POSITIVE[1], Role::Body),
        p("Verdict : un grand film.", Role::Verdict),
    ]);
    assert_eq!(
        (j.model.as_str(), j.verdict),
        ("linear-fr-v1", Verdict::Positive)
    );
    // English is still the English judge's.
    assert_eq!(judge.judge_text(POSITIVE[0]).model, "linear-en-v2");
}

#[test]
fn without_a_french_model_french_is_unsure() {
    // A judge of the English model alone reads French as before: unsure.
    let judge = Judge::from_bytes(MODEL).unwrap();
    assert_eq!(judge.french_name(), None);
    for text in FRENCH_POSITIVE.iter().chain(FRENCH_NEGATIVE) {
        let r = judge.read_text(text);
        assert_eq!(r.language, Language::French, "{text}");
        assert!(r.unsure, "{text}");
        assert!(r.judgement.probability <= 0.6, "{text}: {:?}", r.judgement);
        assert!(
            (0.4..=0.6).contains(&r.p_positive),
            "{text}: {}",
            r.p_positive
        );
    }
    // Another language is unsure for the embedded judge too.
    let de = Judge::embedded()
        .read_text("Der Film ist leider viel zu lang und über weite Strecken langweilig und öde.");
    assert_eq!(de.language, Language::Other);
    assert!(de.unsure);
}

#[test]
fn ratings_and_text_combine() {
    let judge = Judge::embedded();
    let rave = judge.read_text(POSITIVE[1]);
    let pan = judge.read_text(NEGATIVE[1]);
    // The rating sets score and verdict; agreement is not flagged.
    let r = judge.with_rating(&rave, 90.0);
    assert_eq!((r.score, r.verdict), (90.0, Verdict::Positive));
    assert!(!r.disagreement && r.probability > 0.9, "{r:?}");
    // A low rating whose text raves: flagged, and less sure than the rating alone.
    let r = judge.with_rating(&rave, 20.0);
    assert_eq!(r.verdict, Verdict::Negative);
    assert!(r.disagreement, "{r:?}");
    let alone = judge.with_rating(&judge.read(&[]), 20.0);
    assert!(r.probability < alone.probability, "{r:?} vs {alone:?}");
    // A mixed rating (45) whose text raves or pans: the text moves P(favourable).
    let up = judge.with_rating(&rave, 60.0);
    let down = judge.with_rating(&pan, 60.0);
    assert!(up.p_positive > down.p_positive + 0.1, "{up:?} {down:?}");
    assert!(judge.with_rating(&rave, 45.0).disagreement);
    // An unsure text (German) never disagrees; a French one read by the
    // French judge can.
    let de = judge
        .read_text("Der Film ist leider viel zu lang und über weite Strecken langweilig und öde.");
    assert!(de.unsure && !judge.with_rating(&de, 95.0).disagreement);
    let fr = judge.read_text(FRENCH_NEGATIVE[0]);
    assert!(!fr.unsure);
    assert!(judge.with_rating(&fr, 95.0).disagreement, "{fr:?}");
    // The rating's own probability, the French margin set aside.
    let alone = judge.with_rating(&judge.read(&[]), 95.0);
    assert!((judge.with_rating(&fr, 95.0).p_positive - alone.p_positive).abs() < 1e-12);
}

#[test]
fn evidence_supports_the_verdict() {
    let judge = Judge::embedded();
    let review = format!(
        "{} The story follows a detective in a small town. {} {}",
        POSITIVE[0], POSITIVE[1], POSITIVE[2]
    );
    let j = judge.judge_text(&review);
    assert_eq!(j.verdict, Verdict::Positive);
    assert!((1..=3).contains(&j.evidence.len()), "{:?}", j.evidence);
    for e in &j.evidence {
        assert!(e.chars().count() <= 300);
        assert_eq!(e.trim(), e);
        assert!(
            review.contains(e.as_str()),
            "evidence is a sentence of the review: {e:?}"
        );
        assert!(judge.probability_positive(e) > 0.5, "{e:?}");
    }
    let long = format!(
        "{} {}",
        "The film is very good and really quite wonderful,".repeat(20),
        "Great."
    );
    for e in judge.judge_text(&long).evidence {
        assert!(e.chars().count() <= 300, "{e}");
    }

    let j = judge.judge_text(&format!("{} {}", NEGATIVE[0], NEGATIVE[1]));
    assert_eq!(j.verdict, Verdict::Negative);
    assert!(!j.evidence.is_empty());
    for e in &j.evidence {
        assert!(judge.probability_positive(e) < 0.5, "{e:?}");
    }
}

#[test]
fn quotes_are_ignored() {
    let judge = Judge::embedded();
    let body_pos = p(POSITIVE[1], Role::Body);
    let body_neg = p(NEGATIVE[1], Role::Body);
    let j = judge.judge(&[
        body_pos.clone(),
        p(NEGATIVE[0], Role::Quote),
        p(NEGATIVE[2], Role::Quote),
    ]);
    assert_eq!(j.verdict, Verdict::Positive, "{j:?}");
    assert_eq!(
        j,
        judge.judge(std::slice::from_ref(&body_pos)),
        "a quote changes nothing"
    );
    let j = judge.judge(&[p(POSITIVE[0], Role::Quote), body_neg.clone()]);
    assert_eq!(j.verdict, Verdict::Negative, "{j:?}");
    assert_eq!(j, judge.judge(std::slice::from_ref(&body_neg)));
    for e in &j.evidence {
        assert!(
            !POSITIVE[0].contains(e.as_str()),
            "quoted sentence as evidence: {e:?}"
        );
    }
}

#[test]
fn verdict_passages_weigh_more() {
    let judge = Judge::embedded();
    // The same two texts, roles swapped: whichever is the verdict wins.
    let pos_verdict = judge.read(&[p(NEGATIVE[1], Role::Body), p(POSITIVE[1], Role::Verdict)]);
    let neg_verdict = judge.read(&[p(POSITIVE[1], Role::Body), p(NEGATIVE[1], Role::Verdict)]);
    let (pj, nj) = (&pos_verdict.judgement, &neg_verdict.judgement);
    assert!(pj.score > nj.score, "{pj:?} vs {nj:?}");
    assert_eq!(pj.verdict, Verdict::Positive, "{pj:?}");
    assert!(pos_verdict.p_positive > 0.5, "{pos_verdict:?}");
    // Against a rave body, a damning verdict makes the review unfavourable
    // (mixed or negative: the body still counts).
    assert_ne!(nj.verdict, Verdict::Positive, "{nj:?}");
    assert!(neg_verdict.p_positive < 0.5, "{neg_verdict:?}");
    // A verdict passage alone reads like the same text as body.
    assert_eq!(
        judge.judge(&[p(POSITIVE[3], Role::Verdict)]).score,
        judge.judge(&[p(POSITIVE[3], Role::Body)]).score
    );
}

fn assert_no_reading(j: &Judgement) {
    assert_eq!(j.verdict, Verdict::Mixed);
    assert_eq!(j.score, 50.0);
    assert!(j.probability <= 0.1, "{j:?}");
    assert!(j.evidence.is_empty());
    assert_eq!(j.model, "linear-en-v2");
}

#[test]
fn no_text_is_mixed_with_low_probability() {
    let judge = Judge::embedded();
    assert_no_reading(&judge.judge(&[]));
    assert_no_reading(&judge.judge(&[p(POSITIVE[0], Role::Quote)]));
    assert_no_reading(&judge.judge(&[p("  ... !!! --- ", Role::Body), p("", Role::Verdict)]));
    assert_no_reading(&judge.judge_text(""));
}

#[test]
fn judging_is_deterministic() {
    let a = Judge::from_bytes(MODEL).unwrap();
    let b = Judge::from_bytes(MODEL).unwrap();
    let passages = [
        p(POSITIVE[0], Role::Body),
        p(NEGATIVE[2], Role::Body),
        p(POSITIVE[3], Role::Verdict),
    ];
    let first = a.judge(&passages);
    assert_eq!(first, a.judge(&passages));
    assert_eq!(first, b.judge(&passages));
    assert_eq!(first, Judge::embedded().judge(&passages));
    assert_eq!(
        a.probability_positive(NEGATIVE[3]),
        b.probability_positive(NEGATIVE[3])
    );
}

#[test]
fn bad_bytes_are_rejected_without_panicking() {
    assert!(matches!(
        Judge::from_bytes(&[]),
        Err(ModelError::Truncated { .. })
    ));
    assert!(matches!(
        Judge::from_bytes(b"not a model at all, just some text"),
        Err(ModelError::BadMagic)
    ));
    // Every truncation of the real model (sampled), and the header cut anywhere.
    let mut cuts: Vec<usize> = (0..64).collect();
    cuts.extend((64..MODEL.len()).step_by(4099));
    cuts.push(MODEL.len() - 1);
    for n in cuts {
        assert!(
            Judge::from_bytes(&MODEL[..n]).is_err(),
            "accepted the first {n} bytes"
        );
    }
    // Damage anywhere.
    for i in (0..MODEL.len()).step_by(MODEL.len() / 50) {
        let mut bytes = MODEL.to_vec();
        bytes[i] = bytes[i].wrapping_add(1);
        assert!(
            Judge::from_bytes(&bytes).is_err(),
            "accepted a damaged byte at {i}"
        );
    }
    // Garbage after a valid header.
    let mut garbage = MODEL[..16].to_vec();
    garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    assert!(Judge::from_bytes(&garbage).is_err());
    let mut wrong_version = MODEL.to_vec();
    wrong_version[8] = 9;
    assert_eq!(
        Judge::from_bytes(&wrong_version).unwrap_err(),
        ModelError::UnsupportedVersion(9)
    );
}
