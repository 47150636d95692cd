//! Prints the judge's reading of each line of standard input (for a look
//! at what a model does): score, verdict, probability, P(favourable),
//! language.
//!
//! ```text
//! cargo run --release -p verdict-judge --example judge_texts [-- MODEL.bin] < lines.txt
//! ```

use std::io::BufRead;
use verdict_judge::Judge;

fn main() -> anyhow::Result<()> {
    let owned;
    let judge = match std::env::args().nth(1) {
        Some(p) => {
            owned = Judge::from_bytes(&std::fs::read(p)?)?;
            &owned
        }
        None => Judge::embedded(),
    };
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let r = judge.read_text(&line);
        println!(
            "{:5.1} {:8} p={:.3} P(fav)={:.3} {:7} | {}",
            r.judgement.score,
            r.judgement.verdict.to_string(),
            r.judgement.probability,
            r.p_positive,
            r.language.code(),
            line.chars().take(90).collect::<String>()
        );
    }
    Ok(())
}
