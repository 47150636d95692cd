//! The acceptance reviews: the five seed reviews of *Red Rooms* (2023).
//! Seeds 001 and 004 carry no rating; both are favourable reviews.

use verdict_core::{Judgement, Passage, Role, Verdict};
use verdict_judge::Judge;

/// Passages the way a simple extractor would cut them: YAML front matter
/// skipped, each non-empty line a passage, `> ` lines quotes, a line opening
/// with "Rating:" the critic's verdict, and nothing from the comment form on.
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
        } else if plain.starts_with("Rating:") {
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

/// Judges every seed, or `None` (the test skips, visibly) when the folder
/// is absent.
fn judge_seeds() -> Option<Vec<(String, Vec<Passage>, Judgement)>> {
    let dir = verdict_testkit::seeds()?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("seed folder is readable")
        .map(|e| e.expect("seed entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let judge = Judge::embedded();
    let out: Vec<_> = files
        .into_iter()
        .map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let ps = passages(&std::fs::read_to_string(&f).expect("seed is UTF-8"));
            let j = judge.judge(&ps);
            eprintln!(
                "{name}: {} {:.1} (p = {:.3}) {:?}",
                j.verdict, j.score, j.probability, j.evidence
            );
            (name, ps, j)
        })
        .collect();
    assert_eq!(out.len(), 5, "five seed reviews");
    Some(out)
}

fn seed<'a>(
    all: &'a [(String, Vec<Passage>, Judgement)],
    prefix: &str,
) -> &'a (String, Vec<Passage>, Judgement) {
    all.iter()
        .find(|(n, _, _)| n.starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}"))
}

#[test]
fn unrated_favourable_seeds_are_positive() {
    let Some(all) = judge_seeds() else { return };
    for prefix in ["001_", "004_"] {
        let (name, _, j) = seed(&all, prefix);
        assert_eq!(j.verdict, Verdict::Positive, "{name}: {j:?}");
        assert!(j.score >= 60.0, "{name}: {j:?}");
        assert!(!j.evidence.is_empty(), "{name}: no evidence");
    }
}

#[test]
fn no_seed_is_negative() {
    let Some(all) = judge_seeds() else { return };
    for (name, _, j) in &all {
        assert_ne!(j.verdict, Verdict::Negative, "{name}: {j:?}");
    }
}

#[test]
fn seed_004_reads_the_author_not_the_quoted_user() {
    let Some(all) = judge_seeds() else { return };
    let (_, ps, j) = seed(&all, "004_");
    assert_eq!(
        ps.iter().filter(|p| p.role == Role::Quote).count(),
        1,
        "{ps:?}"
    );
    assert_eq!(
        ps.iter().filter(|p| p.role == Role::Verdict).count(),
        1,
        "{ps:?}"
    );
    assert!(
        ps.iter().all(|p| !p.text.contains("title: Red Rooms")),
        "front matter is skipped"
    );
    let authored: Vec<Passage> = ps
        .iter()
        .filter(|p| p.role != Role::Quote)
        .cloned()
        .collect();
    assert_eq!(*j, Judge::embedded().judge(&authored));
    for e in &j.evidence {
        assert!(!e.contains("European"), "evidence from the quote: {e}");
    }
}
