//! Loaders for the labelled review datasets, read straight from their
//! published archives.

use anyhow::{Context, Result, bail};
use std::fmt;
use std::io::Read;
use std::path::Path;

/// A labelled dataset the judge can learn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dataset {
    /// Pang & Lee sentence polarity v1.0 ("MR"): 5,331 + 5,331 Rotten
    /// Tomatoes snippets.
    Mr,
    /// Pang & Lee polarity v2.0: 1,000 + 1,000 full reviews.
    PolarityV2,
    /// Pang & Lee scale dataset v1.0: full reviews by four critics; the
    /// 3-class labels, low (negative) and high (positive) only.
    Scale,
    /// Rotten Tomatoes critic snippets (Flatiron export), fresh / rotten.
    RtFlatiron,
    /// Maas et al. 2011 IMDB reviews: the 25k training reviews (the 25k
    /// test reviews are only ever evaluated on).
    Imdb,
}

impl Dataset {
    pub const ALL: [Dataset; 5] = [
        Dataset::Mr,
        Dataset::PolarityV2,
        Dataset::Scale,
        Dataset::RtFlatiron,
        Dataset::Imdb,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dataset::Mr => "MR (rt-polarity)",
            Dataset::PolarityV2 => "polarity v2.0",
            Dataset::Scale => "scale v1.0",
            Dataset::RtFlatiron => "rt-flatiron",
            Dataset::Imdb => "aclImdb",
        }
    }

    /// Whether the dataset holds full reviews (rather than one-sentence snippets).
    pub fn full_reviews(self) -> bool {
        matches!(self, Dataset::PolarityV2 | Dataset::Scale | Dataset::Imdb)
    }

    /// The archive(s) the dataset is read from, relative to the data folder.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            Dataset::Mr => &["pang-lee/rt-polaritydata.tar.gz"],
            Dataset::PolarityV2 => &["pang-lee/review_polarity.tar.gz"],
            Dataset::Scale => &[
                "pang-lee/scale_data.tar.gz",
                "pang-lee/scale_whole_review.tar.gz",
            ],
            Dataset::RtFlatiron => &["rt-flatiron/rt.reviews.tsv.gz"],
            Dataset::Imdb => &["imdb-aclimdb/aclImdb_v1_labeled.tar.gz"],
        }
    }

    /// A salt that gives each dataset its own shuffle for a given seed.
    pub(crate) fn salt(self) -> u64 {
        match self {
            Dataset::Mr => 0x4d52,
            Dataset::PolarityV2 => 0x5032,
            Dataset::Scale => 0x5343,
            Dataset::RtFlatiron => 0x5254,
            Dataset::Imdb => 0x494d,
        }
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A review text with its polarity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub text: String,
    pub positive: bool,
}

/// What a loader returns: the examples to split for training, and the
/// dataset's own test part when it has one (aclImdb).
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub examples: Vec<Labelled>,
    pub official_test: Vec<Labelled>,
    /// Reviews between the two classes (the scale dataset's middle class):
    /// never trained on, used to see how often a mid review reads as mixed.
    pub middle: Vec<String>,
}

pub(crate) fn load(dataset: Dataset, data_dir: &Path) -> Result<Loaded> {
    for f in dataset.files() {
        let p = data_dir.join(f);
        if !p.is_file() {
            bail!("{} is missing: {} not found", dataset.name(), p.display());
        }
    }
    let path = |i: usize| data_dir.join(dataset.files()[i]);
    let loaded = match dataset {
        Dataset::Mr => Loaded {
            examples: load_mr(&path(0))?,
            ..Loaded::default()
        },
        Dataset::PolarityV2 => Loaded {
            examples: load_polarity(&path(0))?,
            ..Loaded::default()
        },
        Dataset::Scale => load_scale(&path(0), &path(1))?,
        Dataset::RtFlatiron => Loaded {
            examples: load_rt_flatiron(&path(0))?,
            ..Loaded::default()
        },
        Dataset::Imdb => load_imdb(&path(0))?,
    };
    if loaded.examples.is_empty() {
        bail!(
            "{}: no examples found in {}",
            dataset.name(),
            path(0).display()
        );
    }
    Ok(loaded)
}

/// Calls `f(path, bytes)` for every regular file of a `.tar.gz` whose path
/// `want` accepts, in archive order.
fn for_each_file(
    archive: &Path,
    want: impl Fn(&str) -> bool,
    mut f: impl FnMut(&str, Vec<u8>) -> Result<()>,
) -> Result<()> {
    let file =
        std::fs::File::open(archive).with_context(|| format!("opening {}", archive.display()))?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    for entry in tar
        .entries()
        .with_context(|| format!("reading {}", archive.display()))?
    {
        let mut entry = entry.with_context(|| format!("reading {}", archive.display()))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path()?.to_string_lossy().into_owned();
        if !want(&path) {
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading {path} in {}", archive.display()))?;
        f(&path, bytes)?;
    }
    Ok(())
}

/// UTF-8 when it is, Windows-1252 (a superset of the printable Latin-1) otherwise.
pub(crate) fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn load_mr(archive: &Path) -> Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for_each_file(
        archive,
        |p| p.ends_with("rt-polarity.pos") || p.ends_with("rt-polarity.neg"),
        |p, bytes| {
            let positive = p.ends_with(".pos");
            // Latin-1 throughout.
            let text = encoding_rs::WINDOWS_1252.decode(&bytes).0;
            out.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| Labelled {
                        text: l.trim().to_string(),
                        positive,
                    }),
            );
            Ok(())
        },
    )?;
    Ok(out)
}

fn load_polarity(archive: &Path) -> Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for_each_file(
        archive,
        |p| p.ends_with(".txt") && (p.contains("/pos/") || p.contains("/neg/")),
        |p, bytes| {
            out.push(Labelled {
                text: decode(&bytes),
                positive: p.contains("/pos/"),
            });
            Ok(())
        },
    )?;
    Ok(out)
}

fn load_scale(labels: &Path, texts: &Path) -> Result<Loaded> {
    // label files: scaledata/<critic>/{id,label.3class}.<critic>, one per line.
    let mut ids: Vec<(String, Vec<String>)> = Vec::new();
    let mut classes: Vec<(String, Vec<String>)> = Vec::new();
    for_each_file(
        labels,
        |p| p.contains("/id.") || p.contains("/label.3class."),
        |p, bytes| {
            let critic = p
                .rsplit_once('.')
                .map(|(_, c)| c.to_string())
                .unwrap_or_default();
            let lines = decode(&bytes)
                .lines()
                .map(|l| l.trim().to_string())
                .collect();
            if p.contains("/id.") {
                ids.push((critic, lines));
            } else {
                classes.push((critic, lines));
            }
            Ok(())
        },
    )?;
    // (critic/id) → positive for the high class (2), negative for the low
    // one (0), None for the middle one (1).
    let mut wanted = std::collections::HashMap::new();
    for (critic, id_lines) in &ids {
        let Some((_, class_lines)) = classes.iter().find(|(c, _)| c == critic) else {
            bail!("scale dataset: no 3-class labels for {critic}");
        };
        if class_lines.len() != id_lines.len() {
            bail!(
                "scale dataset: {critic} has {} ids but {} labels",
                id_lines.len(),
                class_lines.len()
            );
        }
        for (id, class) in id_lines.iter().zip(class_lines) {
            match class.as_str() {
                "0" => wanted.insert(format!("{critic}/txt.parag/{id}.txt"), Some(false)),
                "1" => wanted.insert(format!("{critic}/txt.parag/{id}.txt"), None),
                "2" => wanted.insert(format!("{critic}/txt.parag/{id}.txt"), Some(true)),
                other => bail!("scale dataset: unknown 3-class label {other:?} for {critic}/{id}"),
            };
        }
    }
    let key = |p: &str| {
        p.strip_prefix("scale_whole_review/")
            .unwrap_or(p)
            .to_string()
    };
    let mut out = Loaded::default();
    for_each_file(
        texts,
        |p| wanted.contains_key(&key(p)),
        |p, bytes| {
            let text = decode(&bytes);
            match wanted[&key(p)] {
                Some(positive) => out.examples.push(Labelled { text, positive }),
                None => out.middle.push(text),
            }
            Ok(())
        },
    )?;
    Ok(out)
}

fn load_imdb(archive: &Path) -> Result<Loaded> {
    let mut loaded = Loaded::default();
    for_each_file(
        archive,
        |p| p.ends_with(".txt") && (p.contains("/pos/") || p.contains("/neg/")),
        |p, bytes| {
            // aclImdb/<split>/<pos|neg>/<id>_<rating>.txt
            let name = p.rsplit('/').next().unwrap_or(p);
            let rating: u32 = name
                .trim_end_matches(".txt")
                .rsplit('_')
                .next()
                .and_then(|r| r.parse().ok())
                .with_context(|| format!("aclImdb: no rating in {p}"))?;
            let positive = match rating {
                1..=4 => false,
                7..=10 => true,
                _ => return Ok(()),
            };
            let ex = Labelled {
                text: decode(&bytes),
                positive,
            };
            if p.contains("/test/") {
                loaded.official_test.push(ex);
            } else {
                loaded.examples.push(ex);
            }
            Ok(())
        },
    )?;
    Ok(loaded)
}

fn load_rt_flatiron(path: &Path) -> Result<Vec<Labelled>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::io::BufReader::new(file))
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    let text = encoding_rs::WINDOWS_1252.decode(&bytes).0;
    let rows = parse_tsv(&text);
    let Some(header) = rows.first() else {
        bail!("{}: empty", path.display())
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no `{name}` column", path.display()))
    };
    let (review, fresh) = (col("review")?, col("fresh")?);
    let mut out = Vec::new();
    for row in &rows[1..] {
        let (Some(text), Some(label)) = (row.get(review), row.get(fresh)) else {
            continue;
        };
        let positive = match label.as_str() {
            "fresh" => true,
            "rotten" => false,
            _ => continue,
        };
        if !text.trim().is_empty() {
            out.push(Labelled {
                text: text.trim().to_string(),
                positive,
            });
        }
    }
    Ok(out)
}

/// Parses tab-separated values with CSV-style quoting (a field that starts
/// with `"` runs to the next lone `"`; `""` is a literal quote). CRLF or LF.
pub(crate) fn parse_tsv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '\t' => {
                row.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_with_quotes() {
        let rows = parse_tsv("a\tb\r\n\"x \"\"y\"\"\tz\"\t2\r\n\tlast");
        assert_eq!(
            rows,
            vec![vec!["a", "b"], vec!["x \"y\"\tz", "2"], vec!["", "last"]]
        );
    }
}
