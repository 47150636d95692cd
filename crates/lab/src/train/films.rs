//! The film-level benchmark: each film's % positive against its published
//! Tomatometer, the way a user gets it.
//!
//! Films: the 117 complete films of `rt-kaggle-truncated` and the 52 of
//! `rt-toplists/soccer` (169). The shipped judge never learned from them:
//! its recipe leaves out every text that nearly repeats one of theirs
//! (`evaluate` checks that the recipe reproduces the embedded model byte
//! for byte). Each film is read three ways, as an import of its reviews
//! would store them:
//!
//! - **text only**: ratings and labels hidden; every review with a text the
//!   judge reads is read from it; one without is unjudged, counted in
//!   nothing;
//! - **text + rating**: a review with a rating verdicts by it (≥ 60, or its
//!   critic's or outlet's learned line), the others are read;
//! - **labels**: RT's own fresh/rotten (a sanity check: it is what the
//!   Tomatometer counts).
//!
//! For the read reviews, every estimator of `verdict_aggregate::estimate`
//! is measured, with the reader's rates measured on the judge's
//! calibration part (held out of its training) for each kind of text, and
//! "Verdict's counting as it was" (score ≥ 60 counted, a review without
//! text counted as mixed) beside them. Intervals: δ (the film error) is
//! fitted leaving the film out, so each film's coverage is out of sample.
//! Side by side: scikit-learn's TF-IDF + LR classify-and-count, QuaPy's
//! EMQ and PACC over it (`bench/films/baseline.py`, on the split
//! `--export` writes).

use super::corpus::{Corpus, Part};
use super::data::{self, Dataset, FilmReviews};
use super::eval::{film_files_present, read_rating, shipped_parts};
use super::{TrainConfig, entry_margins, evaluation_only_texts};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use verdict_aggregate::estimate::{Estimate, Known, Method, Parts, Rates, Reader};
use verdict_judge::Judge;
use verdict_judge::lab_api::{calib, linear_model};

/// A review of at least this many words is a full review, not a snippet.
pub const FULL_REVIEW_WORDS: u32 = 60;

/// The reader's rates on the calibration part, by kind of text.
#[derive(Debug, Clone, Serialize)]
pub struct KindRates {
    pub kind: &'static str,
    pub n: usize,
    pub rates: Rates,
}

/// The shipped judge's rates on its calibration part: snippets and full
/// reviews, and both together (`prior` is the share of favourable reviews
/// in each).
pub fn calibration_rates(data_dir: &Path) -> Result<Vec<KindRates>> {
    let recipe = TrainConfig::new(data_dir);
    let corpus = Corpus::load(&recipe)?;
    let eval_only = evaluation_only_texts(&corpus, &recipe)?;
    Ok(rates_of(&corpus, &recipe, &eval_only))
}

fn rates_of(
    corpus: &Corpus,
    recipe: &TrainConfig,
    eval_only: &super::NearDuplicates,
) -> Vec<KindRates> {
    let main: Vec<usize> = Dataset::ALL
        .iter()
        .flat_map(|&d| corpus.indices(d, Part::Main))
        .collect();
    let (_, calibration) = shipped_parts(corpus, &main, eval_only, recipe);
    let model = linear_model(Judge::embedded());
    let read: Vec<(bool, f64, bool)> = calibration
        .iter()
        .filter_map(|&i| {
            let e = &corpus.entries[i];
            let label = e.doc.positive?;
            let p = calib::p_positive(model, &entry_margins(corpus, model, i));
            Some((e.dataset.full_reviews(), p, label))
        })
        .collect();
    let of = |kind: &'static str, keep: &dyn Fn(bool) -> bool| {
        let part: Vec<(f64, bool)> = read
            .iter()
            .filter(|r| keep(r.0))
            .map(|r| (r.1, r.2))
            .collect();
        KindRates {
            kind,
            n: part.len(),
            rates: rates(&part),
        }
    };
    vec![
        of("snippet", &|full| !full),
        of("full review", &|full| full),
        of("all", &|_| true),
    ]
}

/// Hard and soft true and false positive rates of (P, label) pairs.
pub fn rates(pairs: &[(f64, bool)]) -> Rates {
    let (mut pos, mut neg) = ((0.0, 0.0, 0usize), (0.0, 0.0, 0usize));
    for &(p, y) in pairs {
        let side = if y { &mut pos } else { &mut neg };
        side.0 += f64::from(u8::from(p >= 0.5));
        side.1 += p;
        side.2 += 1;
    }
    let div = |a: f64, n: usize| if n == 0 { f64::NAN } else { a / n as f64 };
    Rates {
        tpr: div(pos.0, pos.2),
        fpr: div(neg.0, neg.2),
        soft_tpr: div(pos.1, pos.2),
        soft_fpr: div(neg.1, neg.2),
        prior: div(pos.2 as f64, pos.2 + neg.2),
    }
}

/// One review of a benchmark film as the three ways see it.
struct Seen {
    /// P(favourable) from its text, when the judge reads a word of it.
    p: Option<f64>,
    /// Its verdict as the judge's headline (score ≥ 60): Verdict's count.
    judged_positive: Option<bool>,
    /// Its rating's 0–100 score and whether it is on or above its critic's
    /// or outlet's learned line.
    rating: Option<(f64, bool)>,
    label: Option<bool>,
}

struct Film {
    title: String,
    set: String,
    place: usize,
    tomatometer: f64,
    reviews: Vec<Seen>,
}

impl Film {
    /// P(favourable) of every review with a text to read.
    fn read(&self) -> Vec<f64> {
        self.reviews.iter().filter_map(|r| r.p).collect()
    }

    /// Labels hidden: the rated reviews' verdicts (against their learned
    /// line when `lined`, else 60) and the others' P from their text.
    fn known_and_read(&self, lined: bool) -> (Known, Vec<f64>) {
        let mut known = Known::default();
        let mut read = Vec::new();
        for r in &self.reviews {
            match (r.rating, r.p) {
                (Some((score, above)), _) => known.push(if lined { above } else { score >= 60.0 }),
                (None, Some(p)) => read.push(p),
                (None, None) => {}
            }
        }
        (known, read)
    }
}

/// One row of the table: a way of reading and an estimator.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub way: &'static str,
    pub estimator: String,
    pub films: usize,
    pub mae: f64,
    /// Mean of estimate − Tomatometer.
    pub bias: f64,
    pub worst: String,
    /// Share of films whose Tomatometer is inside the 95 % interval
    /// (`None` for estimators without one).
    pub coverage: Option<f64>,
    /// δ fitted on every film (what the aggregate would ship).
    pub film_error: Option<f64>,
}

/// The baseline's results (`bench/films/baseline.py`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Baseline {
    pub classifier: String,
    #[serde(default)]
    pub quapy: Option<String>,
    pub films: BTreeMap<String, BaselineFilm>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BaselineFilm {
    pub cc: Option<f64>,
    pub emq: Option<f64>,
    pub pacc: Option<f64>,
    pub rule_cc: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilmsReport {
    pub films: usize,
    /// Who read the texts ("linear-en-v2", "minilm-l6-en-v1").
    pub reader: String,
    /// Reviews with a text read and an RT label, and those whose text
    /// alone reads their label (P(favourable) ≥ 0.5 for fresh).
    pub text_read: usize,
    pub text_right: usize,
    pub rates: Vec<KindRates>,
    /// The test films' rated and labelled reviews: the rating's verdict
    /// against RT's label.
    pub agreement: RatedAgreement,
    pub rows: Vec<Row>,
    pub seconds: f64,
}

/// How often a rating's verdict is its review's RT label.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RatedAgreement {
    /// Reviews with a rating and a label.
    pub rated: usize,
    /// Agreeing under the plain line (score ≥ 60).
    pub plain: usize,
    /// Agreeing under the shipped learned lines.
    pub lined: usize,
    /// Whose verdict the learned lines change.
    pub moved: usize,
}

/// A film's id in the split: its set, its place in the set (two films may
/// share a title) and its title.
fn film_id(set: &str, place: usize, title: &str) -> String {
    format!("{set}/{place}/{title}")
}

/// Writes the split the baseline reads: `train.tsv` (rt-flatiron's
/// labelled snippets, the test films' near-duplicates left out),
/// `films.tsv` and `reviews.tsv` (every review of every test film).
pub fn export(data_dir: &Path, dir: &Path) -> Result<()> {
    let recipe = TrainConfig::new(data_dir);
    let corpus = Corpus::load(&recipe)?;
    let eval_only = evaluation_only_texts(&corpus, &recipe)?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let clean = |t: &str| t.replace(['\t', '\n', '\r'], " ");
    let mut train = std::io::BufWriter::new(std::fs::File::create(dir.join("train.tsv"))?);
    writeln!(train, "label\tfilm\ttext")?;
    for i in corpus.indices(Dataset::RtFlatiron, Part::Main) {
        let e = &corpus.entries[i];
        let Some(label) = e.doc.positive else {
            continue;
        };
        if e.doc.text.trim().is_empty() || eval_only.matches(&e.signature) {
            continue;
        }
        writeln!(
            train,
            "{}\t{}\t{}",
            u8::from(label),
            e.doc.group,
            clean(&e.doc.text)
        )?;
    }
    train.flush()?;
    let mut films = std::io::BufWriter::new(std::fs::File::create(dir.join("films.tsv"))?);
    let mut reviews = std::io::BufWriter::new(std::fs::File::create(dir.join("reviews.tsv"))?);
    writeln!(films, "film\tset\ttitle\ttomatometer")?;
    writeln!(reviews, "film\tlabel\trating_score\ttext")?;
    for (set, list) in data::load_film_sets(data_dir)? {
        for (place, f) in list.into_iter().enumerate() {
            let id = film_id(&set, place, &f.title);
            writeln!(
                films,
                "{}\t{set}\t{}\t{}",
                clean(&id),
                clean(&f.title),
                f.tomatometer
            )?;
            for r in &f.reviews {
                let score = r
                    .rating
                    .as_deref()
                    .and_then(read_rating)
                    .map(|(s, _)| format!("{s}"))
                    .unwrap_or_default();
                let label = r.positive.map(|p| u8::from(p).to_string());
                writeln!(
                    reviews,
                    "{}\t{}\t{score}\t{}",
                    clean(&id),
                    label.unwrap_or_default(),
                    clean(&r.text)
                )?;
            }
        }
    }
    films.flush()?;
    reviews.flush()?;
    Ok(())
}

/// Runs the benchmark (and reads the baseline's results when given).
pub fn run(data_dir: &Path, baseline: Option<&Baseline>) -> Result<FilmsReport> {
    run_with(data_dir, baseline, Judge::embedded())
}

/// [`run`] with the texts read by `judge` (the encoder reader, when it
/// has one: `verdict-lab films --reader encoder`). The reader's rates
/// above (for ACC and PACC) stay the linear judge's.
pub fn run_with(
    data_dir: &Path,
    baseline: Option<&Baseline>,
    judge: &Judge,
) -> Result<FilmsReport> {
    let t0 = std::time::Instant::now();
    if !film_files_present(data_dir) {
        bail!(
            "the film files are not under {}: {:?}",
            data_dir.display(),
            data::FILM_SET_FILES
        );
    }
    let recipe = TrainConfig::new(data_dir);
    let corpus = Corpus::load(&recipe)?;
    let eval_only = evaluation_only_texts(&corpus, &recipe)?;
    let kinds = rates_of(&corpus, &recipe, &eval_only);
    let snippet = kinds[0].rates;
    // The lines the aggregate ships (a lab test holds them to what
    // `rating_lines` learns from this corpus).
    let lines = verdict_rating::Calibration::shipped();
    let films = read_films(judge, lines, data_dir)?;
    drop(corpus);

    let mut rows = Vec::new();
    // Verdict's counting as it was: the headline verdict counted, a review
    // with no text (or no rating, with ratings shown) counted as mixed.
    let was = |f: &Film, rated: bool| -> Option<f64> {
        let n = f.reviews.len();
        let fav = f
            .reviews
            .iter()
            .filter(|r| match (rated, r.rating) {
                (true, Some((score, _))) => score >= 60.0,
                _ => r.judged_positive == Some(true),
            })
            .count();
        (n > 0).then(|| fav as f64 / n as f64)
    };
    rows.push(point_row(
        "text only",
        "Verdict's count as it was",
        &films,
        |f| was(f, false),
    ));
    rows.push(point_row(
        "text + rating",
        "Verdict's count as it was",
        &films,
        |f| was(f, true),
    ));

    for method in Method::ALL {
        let reader = Reader {
            method,
            rates: snippet,
            film_error: 0.0,
        };
        rows.push(interval_row("text only", method.name(), &films, |f| {
            Parts::of(Known::default(), &f.read(), &reader)
        }));
    }
    // EM's sensitivity to the prior it assumes P was calibrated on.
    for k in &kinds[1..] {
        let reader = Reader {
            method: Method::Em,
            rates: k.rates,
            film_error: 0.0,
        };
        rows.push(interval_row(
            "text only",
            &format!(
                "{}, prior of the {} part ({:.3})",
                Method::Em.name(),
                k.kind,
                k.rates.prior
            ),
            &films,
            |f| Parts::of(Known::default(), &f.read(), &reader),
        ));
    }
    // What the aggregate ships, on the text-only films.
    let shipped = verdict_aggregate::estimate::SHIPPED;
    rows.push(shipped_row(
        "text only",
        "as shipped (its own δ)",
        &films,
        |f| Parts::of(Known::default(), &f.read(), &shipped),
    ));
    for (lined, label) in [(false, "rating ≥ 60"), (true, "rating vs its line")] {
        for method in Method::ALL {
            let reader = Reader {
                method,
                rates: snippet,
                film_error: 0.0,
            };
            rows.push(interval_row(
                "text + rating",
                &format!("{label}; text: {}", method.name()),
                &films,
                |f| {
                    let (known, read) = f.known_and_read(lined);
                    Parts::of(known, &read, &reader)
                },
            ));
        }
    }
    // What the aggregate ships, ratings read too: a rating against its
    // learned line, the rest read from text.
    rows.push(shipped_row(
        "text + rating",
        "as shipped: rating vs its line, text by EM (its own δ)",
        &films,
        |f| {
            let (known, read) = f.known_and_read(true);
            Parts::of(known, &read, &shipped)
        },
    ));
    rows.push(interval_row("labels", "RT's labels counted", &films, |f| {
        let mut known = Known::default();
        f.reviews
            .iter()
            .filter_map(|r| r.label)
            .for_each(|l| known.push(l));
        Parts::of(
            known,
            &[],
            &Reader {
                method: Method::Count,
                rates: snippet,
                film_error: 0.0,
            },
        )
    }));

    if let Some(b) = baseline {
        let get = |f: &Film, pick: fn(&BaselineFilm) -> Option<f64>| {
            b.films
                .get(&film_id(&f.set, f.place, &f.title))
                .and_then(pick)
                .map(|x| x / 100.0)
        };
        let name = |what: &str| format!("scikit-learn {what}");
        rows.push(point_row(
            "text only",
            &name("classify and count"),
            &films,
            |f| get(f, |b| b.cc),
        ));
        rows.push(point_row("text only", &name("+ QuaPy EMQ"), &films, |f| {
            get(f, |b| b.emq)
        }));
        rows.push(point_row("text only", &name("+ QuaPy PACC"), &films, |f| {
            get(f, |b| b.pacc)
        }));
        rows.push(point_row(
            "text + rating",
            &name("rule ≥ 60 + classify and count"),
            &films,
            |f| get(f, |b| b.rule_cc),
        ));
    }
    // Review by review: how often a rating's verdict is RT's label, under
    // the plain line and under the learned lines, on films none of them
    // learned from.
    let mut agreement = RatedAgreement::default();
    for r in films.iter().flat_map(|f| &f.reviews) {
        if let (Some((score, above)), Some(label)) = (r.rating, r.label) {
            agreement.rated += 1;
            agreement.plain += usize::from((score >= 60.0) == label);
            agreement.lined += usize::from(above == label);
            agreement.moved += usize::from(above != (score >= 60.0));
        }
    }
    // Review by review: how often the text alone reads RT's label.
    let (mut text_read, mut text_right) = (0usize, 0usize);
    for r in films.iter().flat_map(|f| &f.reviews) {
        if let (Some(p), Some(label)) = (r.p, r.label) {
            text_read += 1;
            text_right += usize::from((p >= 0.5) == label);
        }
    }
    Ok(FilmsReport {
        films: films.len(),
        reader: judge.reader_name().to_string(),
        text_read,
        text_right,
        rates: kinds,
        agreement,
        rows,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

fn read_films(
    judge: &Judge,
    lines: &verdict_rating::Calibration,
    data_dir: &Path,
) -> Result<Vec<Film>> {
    let reader = judge.bulk_reader();
    let mut out = Vec::new();
    for (set, list) in data::load_film_sets(data_dir)? {
        for (place, f) in list.into_iter().enumerate() {
            // The encoder reads a film's texts together; the bulk reader
            // (the linear judge, bit for bit) one by one.
            let readings: Vec<Option<verdict_judge::Reading>> = if judge.has_encoder() {
                let texts: Vec<&str> = f.reviews.iter().map(|r| r.text.as_str()).collect();
                judge.read_texts(&texts).into_iter().map(Some).collect()
            } else {
                f.reviews
                    .iter()
                    .map(|r| Some(reader.read(&r.text)))
                    .collect()
            };
            out.push(read_film(readings, lines, &set, place, f));
        }
    }
    Ok(out)
}

fn read_film(
    readings: Vec<Option<verdict_judge::Reading>>,
    lines: &verdict_rating::Calibration,
    set: &str,
    place: usize,
    f: FilmReviews,
) -> Film {
    let reviews = f
        .reviews
        .iter()
        .zip(readings)
        .map(|(r, reading)| {
            let reading = reading
                .filter(|_| !r.text.trim().is_empty())
                .filter(|x| x.words > 0);
            let rating = r.rating.as_deref().and_then(read_rating).map(|(s, scale)| {
                let line = lines.threshold(r.outlet.as_deref(), r.critic.as_deref(), &scale);
                (s, s >= line.at)
            });
            Seen {
                p: reading.as_ref().map(|x| x.p_positive),
                judged_positive: reading.as_ref().map(|x| x.judgement.score >= 60.0),
                rating,
                label: r.positive,
            }
        })
        .collect();
    Film {
        title: f.title,
        set: set.to_string(),
        place,
        tomatometer: f.tomatometer,
        reviews,
    }
}

fn errors(films: &[Film], estimates: &[Option<f64>]) -> (usize, f64, f64, String) {
    let mut n = 0usize;
    let (mut abs, mut signed) = (0.0, 0.0);
    let mut worst = (0.0_f64, String::new());
    for (f, e) in films.iter().zip(estimates) {
        let Some(e) = e else { continue };
        let err = 100.0 * e - f.tomatometer;
        n += 1;
        abs += err.abs();
        signed += err;
        if err.abs() > worst.0 {
            worst = (
                err.abs(),
                format!(
                    "{} ({} reviews): {:.0} vs {:.0}",
                    f.title,
                    f.reviews.len(),
                    100.0 * e,
                    f.tomatometer
                ),
            );
        }
    }
    let d = n.max(1) as f64;
    (n, abs / d, signed / d, worst.1)
}

fn point_row(
    way: &'static str,
    estimator: &str,
    films: &[Film],
    estimate: impl Fn(&Film) -> Option<f64>,
) -> Row {
    let est: Vec<Option<f64>> = films.iter().map(&estimate).collect();
    let (n, mae, bias, worst) = errors(films, &est);
    Row {
        way,
        estimator: estimator.to_string(),
        films: n,
        mae,
        bias,
        worst,
        coverage: None,
        film_error: None,
    }
}

/// A row of what the aggregate ships ([`verdict_aggregate::estimate::SHIPPED`]):
/// δ fitted leaving each film out as in every row, and the coverage of
/// the shipped δ itself.
fn shipped_row(
    way: &'static str,
    estimator: &str,
    films: &[Film],
    parts_of: impl Fn(&Film) -> Option<Parts>,
) -> Row {
    let shipped = verdict_aggregate::estimate::SHIPPED;
    let mut row = interval_row(way, estimator, films, &parts_of);
    let parts: Vec<(Parts, f64)> = films
        .iter()
        .filter_map(|f| parts_of(f).map(|p| (p, f.tomatometer)))
        .collect();
    let covered = parts
        .iter()
        .filter(|(p, t)| inside(&p.estimate(shipped.film_error), *t))
        .count();
    row.coverage = Some(covered as f64 / parts.len().max(1) as f64);
    row.film_error = Some(shipped.film_error);
    row
}

/// The δ grid the interval's film error is chosen from.
fn deltas() -> impl Iterator<Item = f64> {
    (0..=60).map(|i| f64::from(i) * 0.005)
}

/// The smallest δ whose intervals cover at least 95 % of `films`' truths.
fn fit_delta(parts: &[(Parts, f64)]) -> f64 {
    if parts.is_empty() {
        return 0.0;
    }
    for d in deltas() {
        let covered = parts
            .iter()
            .filter(|(p, truth)| inside(&p.estimate(d), *truth))
            .count();
        if covered as f64 >= 0.95 * parts.len() as f64 {
            return d;
        }
    }
    0.3
}

fn inside(e: &Estimate, truth: f64) -> bool {
    // The published number is rounded to a whole point.
    let truth = truth / 100.0;
    e.interval[0] - 0.005 <= truth && truth <= e.interval[1] + 0.005
}

fn interval_row(
    way: &'static str,
    estimator: &str,
    films: &[Film],
    parts: impl Fn(&Film) -> Option<Parts>,
) -> Row {
    let all: Vec<Option<Parts>> = films.iter().map(&parts).collect();
    let mut row = point_row(way, estimator, films, |f| parts(f).map(|p| p.share));
    let pairs: Vec<(usize, Parts, f64)> = all
        .iter()
        .zip(films)
        .enumerate()
        .filter_map(|(i, (p, f))| p.map(|p| (i, p, f.tomatometer)))
        .collect();
    // Leave each film out of the δ it is judged with.
    let covered = pairs
        .iter()
        .filter(|(i, p, truth)| {
            let others: Vec<(Parts, f64)> = pairs
                .iter()
                .filter(|(j, ..)| j != i)
                .map(|(_, p, t)| (*p, *t))
                .collect();
            inside(&p.estimate(fit_delta(&others)), *truth)
        })
        .count();
    let everyone: Vec<(Parts, f64)> = pairs.iter().map(|(_, p, t)| (*p, *t)).collect();
    row.coverage = (!pairs.is_empty()).then(|| covered as f64 / pairs.len() as f64);
    row.film_error = Some(fit_delta(&everyone));
    row
}

impl FilmsReport {
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} films with a published Tomatometer; MAE and bias in points (estimate − Tomatometer); coverage: films inside their 95 % interval, δ fitted without the film",
            self.films
        );
        let _ = writeln!(
            s,
            "reader's rates on the judge's calibration part (held out of training):"
        );
        for k in &self.rates {
            let r = &k.rates;
            let _ = writeln!(
                s,
                "  {:<12} n={:<6} tpr {:.3} fpr {:.3} soft tpr {:.3} soft fpr {:.3} prior {:.3}",
                k.kind, k.n, r.tpr, r.fpr, r.soft_tpr, r.soft_fpr, r.prior
            );
        }
        let _ = writeln!(
            s,
            "texts read by {}: {:.2} % of {} labelled reviews read right from their text alone",
            self.reader,
            100.0 * self.text_right as f64 / self.text_read.max(1) as f64,
            self.text_read
        );
        let a = self.agreement;
        let pct = |k: usize| 100.0 * k as f64 / a.rated.max(1) as f64;
        let _ = writeln!(
            s,
            "rated reviews of these films agreeing with their RT label: plain line (≥ 60) {:.2} %, learned lines {:.2} % ({} of {} moved by the lines)",
            pct(a.plain),
            pct(a.lined),
            a.moved,
            a.rated
        );
        let _ = writeln!(
            s,
            "{:<14} {:<62} {:>5} {:>6} {:>6} {:>8} {:>6}  worst",
            "way", "estimator", "films", "MAE", "bias", "coverage", "δ"
        );
        for r in &self.rows {
            let _ = writeln!(
                s,
                "{:<14} {:<62} {:>5} {:>6.2} {:>+6.2} {:>8} {:>6}  {}",
                r.way,
                r.estimator,
                r.films,
                r.mae,
                r.bias,
                r.coverage
                    .map(|c| format!("{:.1} %", 100.0 * c))
                    .unwrap_or_else(|| "—".into()),
                r.film_error
                    .map(|d| format!("{d:.3}"))
                    .unwrap_or_else(|| "—".into()),
                r.worst
            );
        }
        let _ = write!(s, "time: {:.0} s", self.seconds);
        s
    }
}
