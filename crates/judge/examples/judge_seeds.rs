//! Judges the five seed reviews of *Red Rooms* and prints the judgements.
//!
//! ```text
//! cargo run --release -p verdict-judge --example judge_seeds -- [SEEDS_DIR] [MODEL.bin]
//! ```
//!
//! Passages are cut the way a simple extractor would: YAML front matter is
//! skipped, each non-empty line is a passage, `> ` lines are quotes, a line
//! starting with "Rating:" or "Verdict:" is the critic's verdict, and
//! reading stops at a "Leave a Reply" comment form.

use verdict_core::{Passage, Role};
use verdict_judge::Judge;

fn passages(text: &str) -> Vec<Passage> {
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|l| l.trim() == "---") {
        lines.next();
        for l in lines.by_ref() {
            if l.trim() == "---" {
                break;
            }
        }
    }
    let mut out = Vec::new();
    for line in lines {
        let plain = strip_tags(line);
        let plain = plain.trim();
        if plain.is_empty() {
            continue;
        }
        if plain.starts_with("Leave a Reply") {
            break;
        }
        let role = if line.trim_start().starts_with('>') {
            Role::Quote
        } else if plain.starts_with("Rating:") || plain.starts_with("Verdict:") {
            Role::Verdict
        } else {
            Role::Body
        };
        out.push(Passage {
            text: line.to_string(),
            role,
        });
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().cloned().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds").to_string()
    });
    let owned;
    let judge = match args.get(1) {
        Some(p) => {
            owned = Judge::from_bytes(&std::fs::read(p)?)?;
            &owned
        }
        None => Judge::embedded(),
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let ps = passages(&text);
        let j = judge.judge(&ps);
        let whole = judge.judge_text(&text);
        println!(
            "{}: score {:.1} {} (p = {:.3}); whole file as body: {:.1}",
            f.file_name().unwrap_or_default().to_string_lossy(),
            j.score,
            j.verdict,
            j.probability,
            whole.score
        );
        for e in &j.evidence {
            println!("    • {e}");
        }
    }
    Ok(())
}
