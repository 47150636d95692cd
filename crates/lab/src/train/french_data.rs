//! Loaders of the French review sets in `french/` of the shared data
//! folder (see its README): user reviews from Allociné and SensCritique
//! with the writer's stars, note or label.
//!
//! Labels follow the Allociné sample's published rule: on five stars, 4 and
//! up is favourable, 2 and below unfavourable, the middle (2.5–3.5) has no
//! polarity label (its score still trains the score head). SensCritique's
//! 1–10 notes: 7 and up favourable, 4 and below unfavourable, 5–6 in the
//! middle (a 7 is a film the writer liked there; the site's own words for
//! 7 and 4 are "Bien" and "Mauvais").

use super::data::Doc;
use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::Path;

/// The title recorded for the reviews of `allocine-inception-sonic2`: two
/// films, and which review is about which is not recorded.
pub const TWO_FILMS_TITLE: &str = "Inception / Sonic 2";

/// Polarity of a score on 0–1 by the rules above (`five_star` picks the
/// Allociné cut points, otherwise SensCritique's).
fn polarity(score: f32, five_star: bool) -> Option<bool> {
    let (pos, neg) = if five_star { (0.8, 0.4) } else { (0.7, 0.4) };
    if score >= pos - 1e-6 {
        Some(true)
    } else if score <= neg + 1e-6 {
        Some(false)
    } else {
        None
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// A text with a 0/1 label; none when the text is blank or the label is
/// neither.
fn labelled(text: &str, label: &str) -> Option<Doc> {
    let positive = match label.trim() {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    (!text.trim().is_empty()).then(|| Doc {
        text: text.trim().to_string(),
        positive: Some(positive),
        ..Doc::default()
    })
}

/// `allocine-sample/*.csv`: `text,label` (0/1), texts spanning lines.
pub(crate) fn load_allocine_sample(dir: &Path) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    for name in [
        "train_data_allocine.csv",
        "test_data_allocine.csv",
        "test_data_allocine_full.csv",
    ] {
        let path = dir.join(name);
        let bytes = read(&path)?;
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes.as_slice());
        for row in rows.records() {
            let row = row.with_context(|| format!("reading {}", path.display()))?;
            if let (Some(text), Some(label)) = (row.get(0), row.get(1)) {
                out.extend(labelled(text, label));
            }
        }
    }
    Ok(out)
}

/// `allocine-inception-sonic2/corpus.csv`: `note|comment`, one review a
/// line; a line that does not start with a note continues the previous
/// comment (some comments span lines). Rows without a note are skipped.
pub(crate) fn load_allocine_two_films(path: &Path) -> Result<Vec<Doc>> {
    let text = String::from_utf8_lossy(&read(path)?).into_owned();
    let mut out: Vec<Doc> = Vec::new();
    let mut current: Option<(f32, String)> = None;
    let flush = |c: Option<(f32, String)>, out: &mut Vec<Doc>| {
        if let Some((stars, text)) = c {
            let text = text.trim();
            if !text.is_empty() {
                let score = stars / 5.0;
                out.push(Doc {
                    text: text.to_string(),
                    positive: polarity(score, true),
                    score: Some(score),
                    title: Some(TWO_FILMS_TITLE.to_string()),
                    ..Doc::default()
                });
            }
        }
    };
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            if !line.starts_with("note|") {
                bail!("{}: expected the header note|comment", path.display());
            }
            continue;
        }
        let note = line
            .split_once('|')
            .and_then(|(n, rest)| n.trim().parse::<f32>().ok().map(|n| (n, rest)))
            .filter(|(n, _)| (0.5..=5.0).contains(n));
        match note {
            Some((stars, rest)) => {
                flush(current.take(), &mut out);
                current = Some((stars, rest.to_string()));
            }
            None if line
                .split_once('|')
                .is_some_and(|(n, _)| n.trim().is_empty()) =>
            {
                // A row with no note: nothing to learn from.
                flush(current.take(), &mut out);
            }
            None => {
                if let Some((_, text)) = current.as_mut() {
                    text.push('\n');
                    text.push_str(line);
                }
            }
        }
    }
    flush(current.take(), &mut out);
    Ok(out)
}

/// `senscritique/*.json.gz`: `{title: {author: {critique, note, date, …}}}`;
/// the files overlap (a review kept once, by title, author and text), and
/// an advertising script fragment is cut out of the texts.
pub(crate) fn load_senscritique(dir: &Path) -> Result<Vec<Doc>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for path in files {
        let mut json = String::new();
        flate2::read::GzDecoder::new(read(&path)?.as_slice())
            .read_to_string(&mut json)
            .with_context(|| format!("reading {}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&json).with_context(|| format!("parsing {}", path.display()))?;
        let Some(titles) = value.as_object() else {
            bail!("{}: expected an object of titles", path.display());
        };
        for (title, authors) in titles {
            let Some(authors) = authors.as_object() else {
                continue;
            };
            for (author, review) in authors {
                let (Some(text), Some(note)) = (
                    review.get("critique").and_then(|v| v.as_str()),
                    review.get("note").and_then(|v| {
                        v.as_str()
                            .and_then(|s| s.trim().parse::<f32>().ok())
                            .or_else(|| v.as_f64().map(|f| f as f32))
                    }),
                ) else {
                    continue;
                };
                if !(1.0..=10.0).contains(&note) {
                    continue;
                }
                let text = strip_ad_script(text);
                if text.is_empty() || !seen.insert((title.clone(), author.clone(), text.clone())) {
                    continue;
                }
                let score = note / 10.0;
                out.push(Doc {
                    text,
                    positive: polarity(score, false),
                    score: Some(score),
                    critic: Some(author.clone()),
                    title: Some(title.clone()),
                    ..Doc::default()
                });
            }
        }
    }
    Ok(out)
}

/// A SensCritique text without its advertising fragment
/// (`if (typeof sas !== 'undefined') { sas.render('…'); }`) and without
/// the page's indentation.
pub(crate) fn strip_ad_script(text: &str) -> String {
    let mut kept = Vec::new();
    let mut in_script = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("if (typeof sas") {
            in_script = !t.ends_with('}');
            continue;
        }
        if in_script {
            if t == "}" {
                in_script = false;
            }
            continue;
        }
        kept.push(t);
    }
    let joined = kept.join("\n");
    joined.trim().to_string()
}

/// `tv-series-dong-demelo/{train,dev,test}.tsv`: `label<TAB>text`,
/// tokenised and lower-cased.
pub(crate) fn load_tv_series(dir: &Path) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    for name in ["train.tsv", "dev.tsv", "test.tsv"] {
        let path = dir.join(name);
        let text = String::from_utf8_lossy(&read(&path)?).into_owned();
        for line in text.lines() {
            if let Some((label, text)) = line.split_once('\t') {
                out.extend(labelled(text, label));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ad_fragment_is_cut() {
        let raw = "\nJ'ai été surprise.\n\t\t\t\tif (typeof sas !== 'undefined') {\n\t\t\t\t\tsas.render('41614');\n\t\t\t\t}\n\t\t\t\nJ'aime ce ton.\n\t\t\t";
        assert_eq!(strip_ad_script(raw), "J'ai été surprise.\n\nJ'aime ce ton.");
        assert_eq!(strip_ad_script("  Rien à cacher. "), "Rien à cacher.");
    }

    #[test]
    fn polarity_rules() {
        assert_eq!(polarity(4.0 / 5.0, true), Some(true));
        assert_eq!(polarity(3.5 / 5.0, true), None);
        assert_eq!(polarity(2.0 / 5.0, true), Some(false));
        assert_eq!(polarity(0.7, false), Some(true));
        assert_eq!(polarity(0.6, false), None);
        assert_eq!(polarity(0.4, false), Some(false));
    }

    #[test]
    fn continued_lines_join_their_review() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("corpus.csv");
        std::fs::write(
            &p,
            "note|comment\n5.0|Un chef-d'oeuvre.\nSuite du texte.\n |sans note\n1.0|Nul.\n",
        )
        .unwrap();
        let docs = load_allocine_two_films(&p).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "Un chef-d'oeuvre.\nSuite du texte.");
        assert_eq!(docs[0].positive, Some(true));
        assert_eq!(docs[1].positive, Some(false));
    }
}
