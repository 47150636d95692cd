//! Judging speed on one core, over the lines of a file (one review a line).
//!
//! ```text
//! cargo run --release -p verdict-lab --example judge_speed -- LINES.txt [MODEL.bin]
//! ```

use verdict_judge::Judge;

fn rate(items: &[String], f: impl Fn(&str)) -> f64 {
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    verdict_lab::train::eval::rate(&refs, f)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or_else(|| anyhow::anyhow!("usage: judge_speed LINES.txt [MODEL.bin]"))?;
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let owned;
    let judge = match args.get(1) {
        Some(p) => {
            owned = Judge::from_bytes(&std::fs::read(p)?)?;
            &owned
        }
        None => Judge::embedded(),
    };
    let only = std::env::var("ONLY").unwrap_or_default();
    println!("{} lines", lines.len());
    if only.is_empty() || only == "judge" {
        let r = rate(&lines, |t| {
            std::hint::black_box(judge.judge_text(t));
        });
        println!("judge_text:           {r:>9.0}/s");
    }
    let reader = judge.bulk_reader();
    if only.is_empty() || only == "lean" {
        let r = rate(&lines, |t| {
            std::hint::black_box(reader.read(t));
        });
        println!("bulk reader:          {r:>9.0}/s");
    }
    if only.is_empty() || only == "p" {
        let r = rate(&lines, |t| {
            std::hint::black_box(judge.probability_positive(t));
        });
        println!("probability_positive: {r:>9.0}/s");
    }
    if only.is_empty() || only == "lang" {
        let r = rate(&lines, |t| {
            std::hint::black_box(verdict_judge::detect_language(t));
        });
        println!("detect_language:      {r:>9.0}/s");
    }
    Ok(())
}
