//! The French judge: its folds never test a title they trained on, a
//! smaller recipe reads unseen titles well and calibrated, and the shipped
//! recipe rebuilds the shipped model. Skipped (visibly) without the data.

use verdict_judge::Judge;
use verdict_lab::train::french::{FrenchConfig, evaluate, folds};
use verdict_lab::train::{Corpus, Dataset, TrainConfig, train};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

fn have() -> bool {
    Dataset::FRENCH
        .iter()
        .flat_map(|d| d.files())
        .all(|f| verdict_testkit::data(f).is_some())
}

#[test]
fn folds_never_train_on_a_tested_title() {
    if !have() {
        return;
    }
    let cfg = TrainConfig::french(DATA);
    let corpus = Corpus::load(&cfg).expect("the French sets load");
    let folds = folds(&corpus, 5);
    let mut tested = 0;
    for fold in &folds {
        assert!(!fold.test.is_empty() && !fold.titles.is_empty());
        let titles: std::collections::HashSet<&str> =
            fold.titles.iter().map(String::as_str).collect();
        for &i in &fold.train {
            let e = &corpus.entries[i];
            if let Some(t) = &e.doc.title {
                assert!(!titles.contains(t.as_str()), "{t} trained and tested");
            }
            // The reviews of the sets without titles that name a tested
            // film are left out ("Inception" in the Allociné sample).
            if fold.titles.iter().any(|t| t.contains("Inception")) {
                assert!(
                    !e.doc.text.to_lowercase().contains(" inception "),
                    "{}",
                    e.doc.text
                );
            }
        }
        for &i in &fold.test {
            let e = &corpus.entries[i];
            assert!(e.doc.positive.is_some());
            assert!(titles.contains(e.doc.title.as_deref().unwrap()));
        }
        tested += fold.test.len();
    }
    // Every labelled review with a title is tested once.
    let titled = corpus
        .entries
        .iter()
        .filter(|e| e.doc.title.is_some() && e.doc.positive.is_some())
        .count();
    assert_eq!(tested, titled);
    assert!(titled > 8000, "{titled} titled reviews");
}

#[test]
fn a_smaller_recipe_reads_unseen_titles() {
    if !have() {
        return;
    }
    let mut cfg = FrenchConfig::new(DATA);
    cfg.recipe.hash_bits = 18;
    cfg.recipe.score_bits = 16;
    cfg.recipe.epochs = 4;
    let report = evaluate(&cfg, None).expect("the benchmark runs");
    eprint!("{}", report.table());
    let all = &report.ours[0];
    assert_eq!(all.part, "all");
    // Measured: 0.89 balanced accuracy, ECE 0.06 (the shipped recipe:
    // 0.907 and 0.056); the English judge reads these texts at 0.55.
    assert!(all.balanced_accuracy >= 0.86, "{all:?}");
    assert!(all.ece <= 0.09, "{all:?}");
    let english = &report.english_judge[0];
    assert!(english.balanced_accuracy < 0.65, "{english:?}");
}

#[test]
fn retraining_rebuilds_the_shipped_french_model_byte_for_byte() {
    if !have() {
        return;
    }
    let (bytes, report) = train(&TrainConfig::french(DATA)).expect("training succeeds");
    let embedded = Judge::embedded_french_bytes();
    assert_eq!(report.model_bytes, embedded.len(), "{report}");
    assert!(
        bytes == embedded,
        "the French recipe no longer rebuilds crates/judge/model/judge-linear-fr.bin: \
         retrain it (`verdict-lab train judge-fr`) if the change is meant"
    );
}

/// The aggregate knows the French judge by its name and reads its P in
/// the English reader's frame from the share it is set to.
#[test]
fn the_aggregate_knows_the_french_judges_prior() {
    let judge = Judge::embedded();
    let name = judge.french_name().expect("a French judge is embedded");
    assert_eq!(name, verdict_lab::train::FRENCH_MODEL_NAME);
    assert_eq!(
        verdict_aggregate::estimate::calibration_prior(name),
        Some(verdict_lab::train::FRENCH_PRESS_PRIOR)
    );
    assert_eq!(
        verdict_aggregate::estimate::calibration_prior(judge.name()),
        None
    );
}
