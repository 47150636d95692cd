//! The French judge's benchmark: French reviews of films and series the
//! model has never seen.
//!
//! **Split by title.** The sets that say which title a review is about
//! (SensCritique: 59 films and series; the Allociné reviews of *Inception*
//! and *Sonic 2*, one title group since which review is about which is not
//! recorded) are cut into `folds` parts by a hash of the title. For each
//! part, the model is trained with the recipe of the shipped French model
//! on everything else and tested on that part's labelled reviews:
//!
//! * no review of a test title is trained on;
//! * a review of the sets without titles (the Allociné sample, the TV
//!   series set) that names a test title (its words, as whole words; for
//!   the two-film group "inception", "sonic" or "nolan") is left out of
//!   that fold's training, as is any text that nearly repeats a test text;
//! * the test parts together cover every titled review once.
//!
//! **Metrics**, over the pooled test predictions: balanced accuracy (the
//! mean of the favourable and the unfavourable reviews' recall, at
//! P(favourable) ≥ 0.5) and the expected calibration error of
//! P(favourable) (ten equal-width bins). scikit-learn's TF-IDF + logistic
//! regression is trained and tested on exactly the same folds
//! (`bench/judge/french.sh`), and the shipped English judge reads the same
//! test texts as it did before the French model (the "before" row).

use super::corpus::{Corpus, NearDuplicates, key};
use super::data::Dataset;
use super::eval::fit_on;
use super::french_data::TWO_FILMS_TITLE;
use super::{TrainConfig, ece, entry_margins, par_map};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;
use verdict_judge::Judge;
use verdict_judge::lab_api::calib;
use verdict_judge::lab_api::features::fnv1a64;

/// How the French benchmark runs.
#[derive(Debug, Clone)]
pub struct FrenchConfig {
    /// The recipe (the shipped French one by default).
    pub recipe: TrainConfig,
    /// Title folds.
    pub folds: usize,
}

impl FrenchConfig {
    pub fn new(data_dir: impl Into<std::path::PathBuf>) -> FrenchConfig {
        FrenchConfig {
            recipe: TrainConfig::french(data_dir),
            folds: 5,
        }
    }
}

/// One fold: indices into the corpus.
#[derive(Debug, Clone)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
    /// The titles tested in this fold.
    pub titles: Vec<String>,
}

/// The words that name `title` in a review of another set (lowercased
/// alphanumeric runs, as [`key`] writes them); none for titles too short
/// to be told from ordinary words.
fn title_keys(title: &str) -> Vec<String> {
    if title == TWO_FILMS_TITLE {
        return vec!["inception".into(), "sonic".into(), "nolan".into()];
    }
    let k = key(title);
    if k.chars().count() >= 4 {
        vec![k]
    } else {
        Vec::new()
    }
}

/// Which fold tests `title`.
pub fn fold_of_title(title: &str, folds: usize) -> usize {
    (fnv1a64(title.as_bytes()) % folds as u64) as usize
}

/// The folds of the benchmark (see the module docs).
pub fn folds(corpus: &Corpus, folds: usize) -> Vec<Fold> {
    let text_keys: Vec<String> = par_map(&corpus.entries, |e| format!(" {} ", key(&e.doc.text)));
    let mut titles: BTreeSet<&str> = BTreeSet::new();
    for e in &corpus.entries {
        if let Some(t) = &e.doc.title {
            titles.insert(t);
        }
    }
    (0..folds)
        .map(|k| {
            let tested: Vec<String> = titles
                .iter()
                .filter(|t| fold_of_title(t, folds) == k)
                .map(|t| t.to_string())
                .collect();
            let in_fold = |i: usize| {
                corpus.entries[i]
                    .doc
                    .title
                    .as_deref()
                    .is_some_and(|t| fold_of_title(t, folds) == k)
            };
            let test: Vec<usize> = (0..corpus.entries.len())
                .filter(|&i| in_fold(i) && corpus.entries[i].doc.positive.is_some())
                .collect();
            let near =
                NearDuplicates::of_signatures(test.iter().map(|&i| &corpus.entries[i].signature));
            let names: Vec<String> = tested
                .iter()
                .flat_map(|t| title_keys(t))
                .map(|k| format!(" {k} "))
                .collect();
            let train = (0..corpus.entries.len())
                .filter(|&i| {
                    let e = &corpus.entries[i];
                    if in_fold(i) || near.matches(&e.signature) {
                        return false;
                    }
                    e.doc.title.is_some() || !names.iter().any(|n| text_keys[i].contains(n))
                })
                .collect();
            Fold {
                train,
                test,
                titles: tested,
            }
        })
        .collect()
}

/// One row of the table: a part of the test set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrenchRow {
    /// "all", or a set's name ("senscritique films", …).
    pub part: String,
    pub n: usize,
    pub titles: usize,
    pub balanced_accuracy: f64,
    pub accuracy: f64,
    pub ece: f64,
}

/// Everything `verdict-lab french` prints.
#[derive(Debug, Clone, Serialize)]
pub struct FrenchReport {
    pub recipe: String,
    pub folds: usize,
    /// Verdict's French judge, by part.
    pub ours: Vec<FrenchRow>,
    /// The shipped English judge on the same texts (how French was read
    /// before the French model).
    pub english_judge: Vec<FrenchRow>,
    /// scikit-learn on the same folds, when given.
    pub sklearn: Option<Vec<FrenchRow>>,
    /// Verdict's reliability over all test reviews: for each tenth of
    /// P(favourable), (mean P, share favourable, reviews).
    pub reliability: Vec<(f64, f64, usize)>,
    /// Training examples a fold, on average.
    pub mean_train: usize,
    pub seconds: f64,
}

/// The test part a review belongs to in the table.
fn part_of(dataset: Dataset) -> &'static str {
    match dataset {
        Dataset::AllocineTwoFilms => "allociné Inception + Sonic 2",
        _ => "senscritique",
    }
}

/// Balanced accuracy at 0.5: the mean recall of both classes.
pub fn balanced_accuracy(p: &[f64], y: &[bool]) -> f64 {
    let (mut tp, mut pos, mut tn, mut neg) = (0usize, 0usize, 0usize, 0usize);
    for (&p, &y) in p.iter().zip(y) {
        if y {
            pos += 1;
            tp += (p >= 0.5) as usize;
        } else {
            neg += 1;
            tn += (p < 0.5) as usize;
        }
    }
    let r = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (r(tp, pos) + r(tn, neg)) / 2.0
}

/// The table's rows from pooled predictions `(part, title, p, label)`.
pub fn rows(preds: &[(String, String, f64, bool)]) -> Vec<FrenchRow> {
    let mut parts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (part, ..)) in preds.iter().enumerate() {
        parts.entry(part).or_default().push(i);
    }
    let row = |name: &str, idx: &[usize]| {
        let p: Vec<f64> = idx.iter().map(|&i| preds[i].2).collect();
        let y: Vec<bool> = idx.iter().map(|&i| preds[i].3).collect();
        let titles: BTreeSet<&str> = idx.iter().map(|&i| preds[i].1.as_str()).collect();
        FrenchRow {
            part: name.to_string(),
            n: idx.len(),
            titles: titles.len(),
            balanced_accuracy: balanced_accuracy(&p, &y),
            accuracy: p
                .iter()
                .zip(&y)
                .filter(|(p, y)| (**p >= 0.5) == **y)
                .count() as f64
                / p.len().max(1) as f64,
            ece: ece(&p, &y),
        }
    };
    let all: Vec<usize> = (0..preds.len()).collect();
    let mut out = vec![row("all", &all)];
    for (name, idx) in &parts {
        out.push(row(name, idx));
    }
    out
}

/// Runs the benchmark.
pub fn evaluate(cfg: &FrenchConfig, sklearn: Option<&Path>) -> Result<FrenchReport> {
    let t0 = Instant::now();
    let corpus = Corpus::load(&cfg.recipe)?;
    let folds = folds(&corpus, cfg.folds);
    let english = Judge::from_bytes(Judge::embedded_bytes())?;
    let mut ours = Vec::new();
    let mut before = Vec::new();
    let mut trained = 0;
    for fold in &folds {
        let (model, _) = fit_on(&corpus, &fold.train, &cfg.recipe)?;
        trained += fold.train.len();
        for &i in &fold.test {
            let e = &corpus.entries[i];
            let (Some(y), Some(title)) = (e.doc.positive, e.doc.title.clone()) else {
                continue;
            };
            let part = part_of(e.dataset).to_string();
            let p = calib::p_positive(&model, &entry_margins(&corpus, &model, i));
            ours.push((part.clone(), title.clone(), p, y));
            before.push((part, title, english.read_text(&e.doc.text).p_positive, y));
        }
    }
    let sklearn = match sklearn {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let rows: Vec<FrenchRow> = serde_json::from_str(&text)
                .with_context(|| format!("parsing {}", path.display()))?;
            Some(rows)
        }
        None => None,
    };
    let mut bins = vec![(0.0, 0.0, 0usize); 10];
    for (_, _, p, y) in &ours {
        let b = &mut bins[((p * 10.0) as usize).min(9)];
        b.0 += p;
        b.1 += *y as u8 as f64;
        b.2 += 1;
    }
    let reliability = bins
        .into_iter()
        .map(|(p, y, n)| {
            let d = n.max(1) as f64;
            (p / d, y / d, n)
        })
        .collect();
    Ok(FrenchReport {
        reliability,
        recipe: format!(
            "{}: 2^{} hashed French word 1–3-grams (negation-marked, elisions split) + char 2–5-grams, {} epochs",
            cfg.recipe.model_name, cfg.recipe.hash_bits, cfg.recipe.epochs
        ),
        folds: cfg.folds,
        ours: rows(&ours),
        english_judge: rows(&before),
        sklearn,
        mean_train: trained / folds.len().max(1),
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// One exported row: what scikit-learn trains and tests on.
#[derive(Serialize)]
struct ExportRow<'a> {
    text: &'a str,
    label: u8,
    /// "train" or "test".
    split: &'static str,
    /// The table part and title of a test row.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

/// Writes each fold as `fr-fold-K.jsonl` into `dir` (labelled rows only:
/// text, label, split, and the part and title of test rows).
pub fn export_folds(cfg: &FrenchConfig, dir: &Path) -> Result<Vec<(String, usize)>> {
    use std::io::Write;
    let corpus = Corpus::load(&cfg.recipe)?;
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (k, fold) in folds(&corpus, cfg.folds).iter().enumerate() {
        let path = dir.join(format!("fr-fold-{k}.jsonl"));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let mut n = 0;
        for (split, idx) in [("train", &fold.train), ("test", &fold.test)] {
            for &i in idx.iter() {
                let e = &corpus.entries[i];
                let Some(y) = e.doc.positive else { continue };
                let test = split == "test";
                serde_json::to_writer(
                    &mut f,
                    &ExportRow {
                        text: &e.doc.text,
                        label: y as u8,
                        split,
                        part: test.then(|| part_of(e.dataset)),
                        title: e.doc.title.as_deref().filter(|_| test),
                    },
                )?;
                writeln!(f)?;
                n += 1;
            }
        }
        f.flush()?;
        written.push((path.display().to_string(), n));
    }
    Ok(written)
}

impl FrenchReport {
    /// The side-by-side table.
    pub fn table(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(s, "{}", self.recipe);
        let _ = writeln!(
            s,
            "{} folds by title; {} training examples a fold on average; {:.0} s",
            self.folds, self.mean_train, self.seconds
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<30} {:>6} {:>7} | {:>9} {:>6} | {:>9} {:>6} | {:>9} {:>6}",
            "test part (titles never seen)",
            "n",
            "titles",
            "Verdict",
            "ECE",
            "sklearn",
            "ECE",
            "English",
            "ECE"
        );
        let _ = writeln!(
            s,
            "{:<30} {:>6} {:>7} | {:>9} {:>6} | {:>9} {:>6} | {:>9} {:>6}",
            "", "", "", "bal. acc", "", "bal. acc", "", "bal. acc", ""
        );
        for r in &self.ours {
            let other = |rows: &[FrenchRow]| {
                rows.iter()
                    .find(|x| x.part == r.part)
                    .map(|x| (x.balanced_accuracy, x.ece))
            };
            let cell = |v: Option<(f64, f64)>| match v {
                Some((a, e)) => format!("{a:>9.4} {e:>6.4}"),
                None => format!("{:>9} {:>6}", "–", "–"),
            };
            let _ = writeln!(
                s,
                "{:<30} {:>6} {:>7} | {} | {} | {}",
                r.part,
                r.n,
                r.titles,
                cell(Some((r.balanced_accuracy, r.ece))),
                cell(self.sklearn.as_deref().and_then(other)),
                cell(other(&self.english_judge)),
            );
        }
        let _ = writeln!(
            s,
            "\nreliability of Verdict's P(favourable), all test reviews:"
        );
        for (i, (p, y, n)) in self.reliability.iter().enumerate() {
            if *n > 0 {
                let _ = writeln!(
                    s,
                    "  {:.1}–{:.1}: mean P {p:.3}, favourable {y:.3}, {n} reviews",
                    i as f64 / 10.0,
                    (i + 1) as f64 / 10.0
                );
            }
        }
        if let (Some(sk), Some(all)) = (
            self.sklearn
                .as_deref()
                .and_then(|v| v.iter().find(|r| r.part == "all")),
            self.ours.first(),
        ) {
            let _ = writeln!(
                s,
                "\nerror rate (1 − balanced accuracy), Verdict / scikit-learn: {:.2}×",
                (1.0 - all.balanced_accuracy) / (1.0 - sk.balanced_accuracy).max(1e-9)
            );
        }
        let _ = writeln!(
            s,
            "goal: balanced accuracy ≥ 0.85 and above scikit-learn's; ECE ≤ 0.05"
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_accuracy_weighs_both_classes() {
        // All favourable guessed: recall 1 and 0.
        let p = [0.9, 0.9, 0.9, 0.9];
        let y = [true, true, true, false];
        assert_eq!(balanced_accuracy(&p, &y), 0.5);
        let p = [0.9, 0.2, 0.9, 0.1];
        let y = [true, false, false, false];
        assert!((balanced_accuracy(&p, &y) - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn titles_name_their_words() {
        assert_eq!(title_keys("La La Land"), vec!["la la land".to_string()]);
        assert!(title_keys("Pi").is_empty());
        assert_eq!(title_keys(TWO_FILMS_TITLE).len(), 3);
        let f = fold_of_title("Split", 5);
        assert!(f < 5);
        assert_eq!(f, fold_of_title("Split", 5));
    }
}
