//! Writes a synthetic database for the web load benchmark
//! (`bench/web/run.sh`): films, critics and outlets with the shapes of a
//! real aggregator (a few films with many reviews, most with few; critics
//! who are harsher or kinder than others; ratings on every usual scale;
//! some reviews without a rating, judged from their text), through the
//! `Store` in big batches, then the cached cross-film statistics.
//!
//! ```sh
//! cargo run --release -p verdict-web --example bench_db -- OUT.db [REVIEWS] [FILMS]
//! ```
//!
//! Deterministic (fixed seed). Refuses to write into an existing file.

use std::path::PathBuf;
use std::time::Instant;

use verdict_core::title::title_key;
use verdict_core::{Assessment, Confidence, Judgement, Rating, Verdict};
use verdict_store::{FilmRef, ImportBatch, ImportedReview, NewFilm, SqliteStore, Store};

/// splitmix64: small, fast, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

const ADJ: &[&str] = &[
    "Red", "Silent", "Last", "Broken", "Golden", "Hidden", "Long", "Burning", "Quiet", "Wild",
    "Lost", "Bright", "Dark", "Final", "Little", "Secret", "Cold", "Distant", "Sweet", "Blue",
    "Empty", "Falling", "Electric", "Paper", "Iron", "Glass", "Velvet", "Savage", "Tender",
    "Midnight", "Northern", "Southern", "Hollow", "Crimson", "Endless", "Fragile", "Restless",
];
const NOUN: &[&str] = &[
    "Rooms",
    "River",
    "Summer",
    "Harbour",
    "Lights",
    "Road",
    "House",
    "Garden",
    "Winter",
    "City",
    "Mountain",
    "Letters",
    "Island",
    "Dreams",
    "Station",
    "Kingdom",
    "Machine",
    "Shore",
    "Storm",
    "Sisters",
    "Brothers",
    "Hours",
    "Days",
    "Waltz",
    "Echoes",
    "Horizon",
    "Orchard",
    "Fever",
    "Signal",
    "Mirror",
    "Hunters",
    "Wolves",
    "Saints",
    "Strangers",
    "Voyage",
    "Frontier",
];
const TAIL: &[&str] = &[
    "",
    "",
    "",
    "",
    "",
    "",
    " of the Night",
    " in Winter",
    " of Glass",
    ": Part Two",
    " Forever",
    " at Dawn",
    " of Fire",
    " Rising",
    " Returns",
];
const FIRST: &[&str] = &[
    "Anna", "Ben", "Claire", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "James", "Kofi",
    "Lena", "Marc", "Nadia", "Owen", "Priya", "Quentin", "Rosa", "Sam", "Tomas", "Uma", "Victor",
    "Wen", "Xavier", "Yara", "Zoe", "Amélie", "Björn", "Chloé", "Dário", "Émile", "Søren",
];
const LAST: &[&str] = &[
    "Adler",
    "Brooks",
    "Castro",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Kim",
    "Lopez",
    "Moreau",
    "Nguyen",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Singh",
    "Tanaka",
    "Underwood",
    "Varga",
    "Walsh",
    "Xu",
    "Young",
    "Zimmer",
    "Åberg",
    "Müller",
    "O'Brien",
    "Núñez",
];
const OUTLET_A: &[&str] = &[
    "The Daily",
    "The Weekly",
    "Screen",
    "Film",
    "Cinema",
    "Picture",
    "Reel",
    "Frame",
    "The Evening",
    "Metro",
    "Northern",
    "Coastal",
    "The Sunday",
    "Independent",
    "Global",
    "Little",
];
const OUTLET_B: &[&str] = &[
    "Review",
    "Herald",
    "Courier",
    "Journal",
    "Gazette",
    "Times",
    "Post",
    "Monthly",
    "Quarterly",
    "Observer",
    "Chronicle",
    "Dispatch",
    "Lies",
    "Comment",
    "Notebook",
    "Digest",
];
const GOOD: &[&str] = &[
    "A quietly devastating piece of work that earns every minute.",
    "The performances are superb, and the direction never puts a foot wrong.",
    "Confident, funny and unexpectedly moving.",
    "One of the year's most assured debuts.",
    "Gorgeous to look at and even better to think about afterwards.",
    "It builds to a finale that had the whole audience holding its breath.",
];
const MIDDLING: &[&str] = &[
    "There is a good film in here somewhere, but it keeps getting in its own way.",
    "Handsome and well acted, if rather too pleased with itself.",
    "Uneven, occasionally inspired, mostly fine.",
    "The first hour sings; the second wanders.",
];
const BAD: &[&str] = &[
    "A tedious slog that mistakes noise for momentum.",
    "Nobody involved seems to know what film they are making.",
    "The script is a collection of clichés held together by loud music.",
    "Dull, overlong and curiously weightless.",
];

struct Critic {
    name: String,
    outlet: usize,
    bias: f64,
    scale: u8,
    top: bool,
}

/// A rating on the critic's scale for a 0–100 score: (raw, value, best,
/// scale, normalised score).
fn rating(score: f64, scale: u8) -> (String, f64, f64, &'static str, f64) {
    match scale {
        0 => {
            let v = (score / 20.0 * 2.0).round() / 2.0;
            (format!("{v}/5"), v, 5.0, "x/5", v * 20.0)
        }
        1 => {
            let v = (score / 10.0).round();
            (format!("{v}/10"), v, 10.0, "x/10", v * 10.0)
        }
        2 => {
            let v = score.round();
            (format!("Score: {v}"), v, 100.0, "0-100", v)
        }
        3 => {
            let stars = (score / 25.0 * 2.0).round() / 2.0;
            let whole = stars.floor() as usize;
            let raw = format!(
                "{}{}",
                "★".repeat(whole),
                if stars.fract() > 0.0 { "½" } else { "" }
            );
            let raw = if raw.is_empty() {
                "0 stars".to_string()
            } else {
                raw
            };
            (raw, stars, 4.0, "stars/4", stars * 25.0)
        }
        _ => {
            let grades = [
                ("F", 0.0),
                ("D", 16.7),
                ("C-", 38.9),
                ("C", 50.0),
                ("C+", 55.6),
                ("B-", 66.7),
                ("B", 72.2),
                ("B+", 83.3),
                ("A-", 88.9),
                ("A", 100.0),
            ];
            let (g, s) = grades
                .iter()
                .min_by(|a, b| (a.1 - score).abs().total_cmp(&(b.1 - score).abs()))
                .copied()
                .unwrap_or(("C", 50.0));
            (g.to_string(), s, 100.0, "letter", s)
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        anyhow::bail!("usage: bench_db OUT.db [REVIEWS] [FILMS]");
    };
    let reviews_total: usize = args.get(1).map_or(Ok(1_000_000), |s| s.parse())?;
    let films_total: usize = args.get(2).map_or(Ok(20_000), |s| s.parse())?;
    anyhow::ensure!(!out.exists(), "{} exists already", out.display());
    let started = Instant::now();
    let mut rng = Rng(0x0005_EED0_F7E2_D1C7);
    let mut store = SqliteStore::open(&out)?;

    // Reviews per film: a long tail (weight ∝ 1 / (rank + 20)^1.1), at
    // least 3 each, adding up to the total exactly.
    let weights: Vec<f64> = (0..films_total)
        .map(|i| 1.0 / ((i + 20) as f64).powf(1.1))
        .collect();
    let wsum: f64 = weights.iter().sum();
    let spare = reviews_total.saturating_sub(3 * films_total) as f64;
    let mut per_film: Vec<usize> = weights
        .iter()
        .map(|w| 3 + (spare * w / wsum).floor() as usize)
        .collect();
    let mut left = reviews_total as i64 - per_film.iter().sum::<usize>() as i64;
    let mut i = 0;
    while left > 0 {
        per_film[i % films_total] += 1;
        left -= 1;
        i += 1;
    }

    let outlets: Vec<String> = (0..800)
        .map(|i| {
            format!(
                "{} {}{}",
                rng.pick(OUTLET_A),
                rng.pick(OUTLET_B),
                if i >= 256 {
                    format!(" {}", i / 256)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    let critics: Vec<Critic> = (0..4000)
        .map(|i| Critic {
            name: format!(
                "{} {}{}",
                rng.pick(FIRST),
                rng.pick(LAST),
                if i >= 960 {
                    format!("-{}", rng.pick(LAST))
                } else {
                    String::new()
                }
            ),
            outlet: rng.below(outlets.len()),
            bias: rng.normal() * 8.0,
            scale: (rng.below(5)) as u8,
            top: rng.unit() < 0.15,
        })
        .collect();

    // Films, written in the first batch.
    let mut films = ImportBatch::default();
    let mut quality = Vec::with_capacity(films_total);
    let mut years = Vec::with_capacity(films_total);
    for _ in 0..films_total {
        let title = format!(
            "{}{} {}{}",
            if rng.unit() < 0.25 { "The " } else { "" },
            rng.pick(ADJ),
            rng.pick(NOUN),
            rng.pick(TAIL)
        );
        let year = 2025 - (rng.unit().powf(2.0) * 60.0) as i32;
        years.push(year);
        quality.push((62.0 + rng.normal() * 15.0).clamp(5.0, 98.0));
        films.films.push(NewFilm {
            title_key: title_key(&title),
            title,
            year: Some(year),
            aliases: Vec::new(),
        });
    }
    let film_ids = store.write_batch(&films)?.film_ids;
    eprintln!(
        "{} films in {:.1} s",
        film_ids.len(),
        started.elapsed().as_secs_f64()
    );

    let mut batch = ImportBatch::default();
    let mut n = 0usize;
    // Reviews in ingestion order: film by film would make "recently
    // reviewed" trivial, so go round the films in shuffled chunks.
    let mut order: Vec<(usize, usize)> = per_film
        .iter()
        .enumerate()
        .flat_map(|(f, &k)| (0..k).map(move |j| (f, j)))
        .collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    for (f, _) in order {
        let c = &critics[rng.below(critics.len())];
        let outlet = if rng.unit() < 0.85 {
            outlets[c.outlet].clone()
        } else {
            outlets[rng.below(outlets.len())].clone()
        };
        let truth = (quality[f] + c.bias + rng.normal() * 12.0).clamp(0.0, 100.0);
        let rated = rng.unit() < 0.85;
        let phrase = if truth >= 60.0 {
            rng.pick(GOOD)
        } else if truth >= 40.0 {
            rng.pick(MIDDLING)
        } else {
            rng.pick(BAD)
        };
        let body = format!(
            "{phrase} {} {}",
            rng.pick(MIDDLING),
            if rng.unit() < 0.5 { rng.pick(GOOD) } else { "" }
        );
        let (score, rating, inferred, confidence, judgement) = if rated {
            let (raw, value, best, scale, score) = rating(truth, c.scale);
            (
                score,
                Some(Rating {
                    raw,
                    value,
                    best,
                    worst: 0.0,
                    score,
                    scale: scale.to_string(),
                    confidence: Confidence::High,
                    span: None,
                }),
                false,
                0.95,
                None,
            )
        } else {
            let score = (truth / 5.0).round() * 5.0;
            let p = 0.6 + rng.unit() * 0.38;
            (
                score,
                None,
                true,
                p,
                Some(Judgement {
                    score,
                    verdict: Verdict::from_score(score),
                    probability: p,
                    evidence: vec![phrase.to_string()],
                    model: "bench".into(),
                }),
            )
        };
        let year = years[f];
        let date = chrono::NaiveDate::from_ymd_opt(
            year + rng.below(2) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        );
        batch.reviews.push((
            FilmRef::Stored(film_ids[f]),
            ImportedReview {
                content_hash: format!("bench-{n:012}"),
                source: format!("https://reviews.example/{n}"),
                format: "bench",
                title_seen: Some(films.films[f].title.clone()),
                year_seen: Some(year),
                critic: Some(c.name.clone()),
                outlet: Some(outlet),
                date,
                body,
                rating,
                assessment: Assessment {
                    score,
                    verdict: Verdict::from_score(score),
                    confidence,
                    inferred,
                    p_positive: Some(((score - 10.0) / 80.0).clamp(0.0, 1.0)),
                    judgement,
                },
                source_verdict: None,
                top_critic: Some(c.top),
                diagnostics: Vec::new(),
            },
        ));
        n += 1;
        if batch.reviews.len() == 50_000 {
            store.write_batch(&batch)?;
            batch.reviews.clear();
            eprintln!("{n} reviews in {:.1} s", started.elapsed().as_secs_f64());
        }
    }
    store.write_batch(&batch)?;

    // The cached statistics, as `verdict ingest` leaves them.
    verdict_present::refresh_stats(&mut store)?;
    let (f, r) = store.counts()?;
    eprintln!(
        "{}: {f} films, {r} reviews in {:.1} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
