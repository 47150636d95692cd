//! Training on a small subset of the real data: quick, honest, reproducible.

use std::path::Path;
use verdict_judge::Judge;
use verdict_judge::train::{Dataset, MR_HELDOUT, TrainConfig, train};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

#[test]
fn small_mr_model_learns_and_is_reproducible() {
    let mr = Path::new(DATA).join(Dataset::Mr.files()[0]);
    if !mr.is_file() {
        eprintln!(
            "SKIPPED: {} not found (the data lives beside the project, in ../shared/data)",
            mr.display()
        );
        return;
    }
    let cfg = TrainConfig {
        datasets: vec![Dataset::Mr],
        limit_per_dataset: Some(6000),
        epochs: 1,
        hash_bits: 18,
        ..TrainConfig::new(DATA)
    };
    let (bytes, report) = train(&cfg).expect("training succeeds");
    eprintln!("{report}");
    let heldout = report
        .evaluation(MR_HELDOUT)
        .expect("MR held-out evaluation");
    assert_eq!(heldout.n, 600);
    assert!(
        heldout.accuracy >= 0.70,
        "held-out accuracy {}",
        heldout.accuracy
    );
    assert_eq!(report.model_bytes, bytes.len());

    let judge = Judge::from_bytes(&bytes).expect("trained bytes load");
    assert_eq!(judge.name(), "linear-en-v1");
    assert!(judge.probability_positive("a wonderful, moving and funny film") > 0.5);
    assert!(judge.probability_positive("a dull, tedious and pointless mess") < 0.5);

    let (again, _) = train(&cfg).expect("training succeeds");
    assert!(bytes == again, "same seed, same bytes");
    let (other, _) = train(&TrainConfig {
        seed: cfg.seed + 1,
        ..cfg.clone()
    })
    .expect("training succeeds");
    assert!(bytes != other, "the seed matters");
}

#[test]
fn missing_data_is_an_error() {
    let cfg = TrainConfig::new("/nonexistent/verdict-data");
    let err = train(&cfg).unwrap_err().to_string();
    assert!(err.contains("not found"), "{err}");
}
