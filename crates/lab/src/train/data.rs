//! Loaders for the labelled review datasets, read straight from their
//! published archives and exports in the shared data folder.

use super::french_data;
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
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
    /// Pang & Lee scale dataset v1.0: 5,006 reviews by four critics with a
    /// 0–1 rating and 3- and 4-class labels (the `subj` texts).
    Scale,
    /// Rotten Tomatoes critic snippets (Flatiron export): fresh / rotten,
    /// the critic's rating string where there is one, the film id.
    RtFlatiron,
    /// Maas et al. 2011 IMDB reviews (1–10 stars): the 25k training reviews;
    /// the 25k test reviews are only ever evaluated on.
    Imdb,
    /// Three Letterboxd account exports: reviews with 0.5–5 star ratings.
    Letterboxd,
    /// French: a sample of Allociné user reviews of many films (0/1).
    AllocineSample,
    /// French: Allociné user reviews of two films (Inception, Sonic 2), stars.
    AllocineTwoFilms,
    /// French: SensCritique reviews of 47 films and 39 series, notes 1–10.
    SensCritique,
    /// French: Allociné reviews of TV series (Dong & de Melo 2018), 0/1.
    TvSeriesFr,
}

impl Dataset {
    pub const ALL: [Dataset; 6] = [
        Dataset::Mr,
        Dataset::PolarityV2,
        Dataset::Scale,
        Dataset::RtFlatiron,
        Dataset::Imdb,
        Dataset::Letterboxd,
    ];

    /// The French sets: what the French judge learns from.
    pub const FRENCH: [Dataset; 4] = [
        Dataset::AllocineSample,
        Dataset::AllocineTwoFilms,
        Dataset::SensCritique,
        Dataset::TvSeriesFr,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dataset::Mr => "MR (rt-polarity)",
            Dataset::PolarityV2 => "polarity v2.0",
            Dataset::Scale => "scale v1.0",
            Dataset::RtFlatiron => "rt-flatiron",
            Dataset::Imdb => "aclImdb",
            Dataset::Letterboxd => "letterboxd",
            Dataset::AllocineSample => "allocine-sample",
            Dataset::AllocineTwoFilms => "allocine-inception-sonic2",
            Dataset::SensCritique => "senscritique",
            Dataset::TvSeriesFr => "tv-series-dong-demelo",
        }
    }

    /// Whether the dataset holds full reviews (rather than one-sentence snippets).
    pub fn full_reviews(self) -> bool {
        matches!(
            self,
            Dataset::PolarityV2
                | Dataset::Scale
                | Dataset::Imdb
                | Dataset::Letterboxd
                | Dataset::AllocineSample
                | Dataset::AllocineTwoFilms
                | Dataset::SensCritique
                | Dataset::TvSeriesFr
        )
    }

    /// The archive(s) or folder the dataset is read from, relative to the
    /// data folder.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            Dataset::Mr => &["pang-lee/rt-polaritydata.tar.gz"],
            Dataset::PolarityV2 => &["pang-lee/review_polarity.tar.gz"],
            Dataset::Scale => &["pang-lee/scale_data.tar.gz"],
            Dataset::RtFlatiron => &["rt-flatiron/rt.reviews.tsv.gz"],
            Dataset::Imdb => &["imdb-aclimdb/aclImdb_v1_labeled.tar.gz"],
            Dataset::Letterboxd => &["letterboxd"],
            Dataset::AllocineSample => &["french/allocine-sample"],
            Dataset::AllocineTwoFilms => &["french/allocine-inception-sonic2/corpus.csv"],
            Dataset::SensCritique => &["french/senscritique"],
            Dataset::TvSeriesFr => &["french/tv-series-dong-demelo"],
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
            Dataset::Letterboxd => 0x4c42,
            Dataset::AllocineSample => 0x4153,
            Dataset::AllocineTwoFilms => 0x4132,
            Dataset::SensCritique => 0x5343_5249,
            Dataset::TvSeriesFr => 0x5456,
        }
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One labelled review text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doc {
    pub text: String,
    /// Favourable (positive, fresh) or not, when the source says.
    pub positive: Option<bool>,
    /// The critic's own rating on 0–1 (value / best), when the source has one.
    pub score: Option<f32>,
    /// Which film (RT snippets, Kaggle files), critic (scale) or account
    /// (Letterboxd) the review belongs to; 0 when unknown.
    pub group: u32,
    /// Scale dataset: the 3-class (0–2) and 4-class (0–3) labels.
    pub class3: Option<u8>,
    pub class4: Option<u8>,
    /// The raw rating string of an RT row, when there is one.
    pub rating: Option<String>,
    /// Who wrote it and where (RT rows), for the critics' own
    /// fresh/rotten lines.
    pub critic: Option<String>,
    pub outlet: Option<String>,
    /// The film or series the review is about, when the set says (the
    /// French sets split by it).
    pub title: Option<String>,
}

/// A dataset as loaded: the examples to split for training, and the
/// dataset's own test part when it has one (aclImdb).
#[derive(Debug, Default)]
pub struct Loaded {
    pub docs: Vec<Doc>,
    pub official_test: Vec<Doc>,
}

pub fn load(dataset: Dataset, data_dir: &Path) -> Result<Loaded> {
    for f in dataset.files() {
        let p = data_dir.join(f);
        if !p.exists() {
            bail!("{} is missing: {} not found", dataset.name(), p.display());
        }
    }
    let path = |i: usize| data_dir.join(dataset.files()[i]);
    let loaded = match dataset {
        Dataset::Mr => Loaded {
            docs: load_mr(&path(0))?,
            ..Loaded::default()
        },
        Dataset::PolarityV2 => Loaded {
            docs: load_polarity(&path(0))?,
            ..Loaded::default()
        },
        Dataset::Scale => Loaded {
            docs: load_scale(&path(0))?,
            ..Loaded::default()
        },
        Dataset::RtFlatiron => Loaded {
            docs: load_rt_flatiron(&path(0))?,
            ..Loaded::default()
        },
        Dataset::Imdb => load_imdb(&path(0))?,
        Dataset::Letterboxd => Loaded {
            docs: load_letterboxd(&path(0))?,
            ..Loaded::default()
        },
        Dataset::AllocineSample => Loaded {
            docs: french_data::load_allocine_sample(&path(0))?,
            ..Loaded::default()
        },
        Dataset::AllocineTwoFilms => Loaded {
            docs: french_data::load_allocine_two_films(&path(0))?,
            ..Loaded::default()
        },
        Dataset::SensCritique => Loaded {
            docs: french_data::load_senscritique(&path(0))?,
            ..Loaded::default()
        },
        Dataset::TvSeriesFr => Loaded {
            docs: french_data::load_tv_series(&path(0))?,
            ..Loaded::default()
        },
    };
    if loaded.docs.is_empty() {
        bail!(
            "{}: no examples found in {}",
            dataset.name(),
            path(0).display()
        );
    }
    Ok(loaded)
}

/// Reads a rating string to 0–1 with the project's rating reader.
pub(crate) fn rating_score(raw: &str) -> Option<f32> {
    verdict_rating::read(raw)
        .score()
        .map(|s| (s / 100.0).clamp(0.0, 1.0) as f32)
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

fn load_mr(archive: &Path) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    for_each_file(
        archive,
        |p| p.ends_with("rt-polarity.pos") || p.ends_with("rt-polarity.neg"),
        |p, bytes| {
            let positive = p.ends_with(".pos");
            // Latin-1 throughout.
            let text = encoding_rs::WINDOWS_1252.decode(&bytes).0;
            out.extend(text.lines().filter(|l| !l.trim().is_empty()).map(|l| Doc {
                text: l.trim().to_string(),
                positive: Some(positive),
                ..Doc::default()
            }));
            Ok(())
        },
    )?;
    Ok(out)
}

fn load_polarity(archive: &Path) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    for_each_file(
        archive,
        |p| p.ends_with(".txt") && (p.contains("/pos/") || p.contains("/neg/")),
        |p, bytes| {
            out.push(Doc {
                text: decode(&bytes),
                positive: Some(p.contains("/pos/")),
                ..Doc::default()
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// The scale dataset's `subj.<critic>` texts (one review per line) with
/// their `rating`, `label.3class` and `label.4class` lines.
fn load_scale(archive: &Path) -> Result<Vec<Doc>> {
    // scaledata/<critic>/<kind>.<critic>
    let mut files: HashMap<(String, String), Vec<String>> = HashMap::new();
    for_each_file(
        archive,
        |p| {
            ["/subj.", "/rating.", "/label.3class.", "/label.4class."]
                .iter()
                .any(|k| p.contains(k))
        },
        |p, bytes| {
            let name = p.rsplit('/').next().unwrap_or(p);
            let (kind, critic) = if let Some(c) = name.strip_prefix("label.3class.") {
                ("3", c)
            } else if let Some(c) = name.strip_prefix("label.4class.") {
                ("4", c)
            } else if let Some(c) = name.strip_prefix("rating.") {
                ("r", c)
            } else if let Some(c) = name.strip_prefix("subj.") {
                ("s", c)
            } else {
                return Ok(());
            };
            let lines = decode(&bytes).lines().map(|l| l.to_string()).collect();
            files.insert((kind.to_string(), critic.to_string()), lines);
            Ok(())
        },
    )?;
    let mut critics: Vec<String> = files
        .keys()
        .filter(|(k, _)| k == "s")
        .map(|(_, c)| c.clone())
        .collect();
    critics.sort();
    let mut out = Vec::new();
    for (ci, critic) in critics.iter().enumerate() {
        let get = |k: &str| {
            files
                .get(&(k.to_string(), critic.clone()))
                .with_context(|| format!("scale dataset: no {k} file for {critic}"))
        };
        let (texts, ratings, c3, c4) = (get("s")?, get("r")?, get("3")?, get("4")?);
        let n = texts.len();
        if ratings.len() != n || c3.len() != n || c4.len() != n {
            bail!("scale dataset: {critic}'s files have different lengths");
        }
        for i in 0..n {
            let parse = |s: &str, what: &str| -> Result<f32> {
                s.trim()
                    .parse()
                    .with_context(|| format!("scale dataset: bad {what} {s:?} for {critic}"))
            };
            let class3 = parse(&c3[i], "3-class label")? as u8;
            let class4 = parse(&c4[i], "4-class label")? as u8;
            if class3 > 2 || class4 > 3 {
                bail!("scale dataset: label out of range for {critic}");
            }
            out.push(Doc {
                text: texts[i].trim().to_string(),
                positive: match class3 {
                    0 => Some(false),
                    2 => Some(true),
                    _ => None,
                },
                score: Some(parse(&ratings[i], "rating")?.clamp(0.0, 1.0)),
                group: ci as u32 + 1,
                class3: Some(class3),
                class4: Some(class4),
                critic: Some(critic.to_string()),
                ..Doc::default()
            });
        }
    }
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
            let doc = Doc {
                text: decode(&bytes),
                positive: Some(positive),
                score: Some(rating as f32 / 10.0),
                ..Doc::default()
            };
            if p.contains("/test/") {
                loaded.official_test.push(doc);
            } else {
                loaded.docs.push(doc);
            }
            Ok(())
        },
    )?;
    Ok(loaded)
}

/// Reads a gzip file to a string (Windows-1252).
fn gunzip_cp1252(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::io::BufReader::new(file))
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned())
}

/// Rows of a delimited file as maps from column name to value.
fn records(text: &str, delimiter: char, what: &Path) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut rows = parse_delimited(text, delimiter);
    if rows.is_empty() {
        bail!("{}: empty", what.display());
    }
    let header = rows.remove(0);
    Ok((header, rows))
}

fn column(header: &[String], name: &str, what: &Path) -> Result<usize> {
    header
        .iter()
        .position(|h| h == name)
        .with_context(|| format!("{}: no `{name}` column", what.display()))
}

/// The texts of the Rotten Tomatoes snippets (rt-flatiron) in the data
/// folder: real review texts (the judge's tests read the same ones with
/// `crates/judge/tests/support/rt_snippets.rs`).
pub fn rt_snippets(data_dir: &Path) -> Result<Vec<String>> {
    Ok(load(Dataset::RtFlatiron, data_dir)?
        .docs
        .into_iter()
        .map(|d| d.text)
        .collect())
}

fn load_rt_flatiron(path: &Path) -> Result<Vec<Doc>> {
    let text = gunzip_cp1252(path)?;
    let (header, rows) = records(&text, '\t', path)?;
    let review = column(&header, "review", path)?;
    let fresh = column(&header, "fresh", path)?;
    let rating = column(&header, "rating", path)?;
    let id = column(&header, "id", path)?;
    let critic = column(&header, "critic", path)?;
    let outlet = column(&header, "publisher", path)?;
    let mut out = Vec::new();
    for row in &rows {
        let (Some(text), Some(label)) = (row.get(review), row.get(fresh)) else {
            continue;
        };
        let positive = match label.as_str() {
            "fresh" => true,
            "rotten" => false,
            _ => continue,
        };
        if text.trim().is_empty() {
            continue;
        }
        let raw = row.get(rating).map(|r| r.trim()).filter(|r| !r.is_empty());
        out.push(Doc {
            text: text.trim().to_string(),
            positive: Some(positive),
            score: raw.and_then(rating_score),
            group: row.get(id).and_then(|i| i.trim().parse().ok()).unwrap_or(0),
            rating: raw.map(str::to_string),
            critic: name(row.get(critic)),
            outlet: name(row.get(outlet)),
            ..Doc::default()
        });
    }
    Ok(out)
}

fn load_letterboxd(dir: &Path) -> Result<Vec<Doc>> {
    let mut users: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("reviews.csv").is_file())
        .collect();
    users.sort();
    let mut out = Vec::new();
    for (ui, user) in users.iter().enumerate() {
        let path = user.join("reviews.csv");
        let text =
            decode(&std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?);
        let (header, rows) = records(&text, ',', &path)?;
        let review = column(&header, "Review", &path)?;
        let rating = column(&header, "Rating", &path)?;
        for row in rows {
            let (Some(text), Some(stars)) = (row.get(review), row.get(rating)) else {
                continue;
            };
            let Ok(stars) = stars.trim().parse::<f32>() else {
                continue;
            };
            if text.trim().is_empty() || !(0.0..=5.0).contains(&stars) {
                continue;
            }
            let score = stars / 5.0;
            out.push(Doc {
                text: text.trim().to_string(),
                positive: if score >= 0.6 {
                    Some(true)
                } else if score < 0.5 {
                    Some(false)
                } else {
                    None
                },
                score: Some(score),
                group: ui as u32 + 1,
                ..Doc::default()
            });
        }
    }
    Ok(out)
}

/// A film with its published Tomatometer and its critics' reviews, for the
/// film-level benchmark.
#[derive(Debug, Clone)]
pub struct FilmReviews {
    pub title: String,
    /// The published % fresh (0–100).
    pub tomatometer: f64,
    /// Every review row of the film: text (may be empty), fresh or not,
    /// the raw rating string when there is one.
    pub reviews: Vec<Doc>,
}

/// The complete films of the truncated Kaggle RT files (listed in
/// `DERIVED_complete_films.tsv`) and the 52 soccer films of `rt-toplists`.
pub fn load_film_sets(data_dir: &Path) -> Result<Vec<(String, Vec<FilmReviews>)>> {
    Ok(vec![
        ("rt-kaggle-truncated".to_string(), load_kaggle(data_dir)?),
        ("rt-toplists/soccer".to_string(), load_soccer(data_dir)?),
    ])
}

/// The files [`load_film_sets`] reads, relative to the data folder.
pub const FILM_SET_FILES: &[&str] = &[
    "rt-kaggle-truncated/DERIVED_complete_films.tsv",
    "rt-kaggle-truncated/rotten_tomatoes_critic_reviews.TRUNCATED-1MiB.csv",
    "rt-toplists/soccer/critic_reviews.csv",
    "rt-toplists/soccer/movies.csv",
];

fn read_text(path: &Path) -> Result<String> {
    Ok(decode(
        &std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
    ))
}

fn load_kaggle(data_dir: &Path) -> Result<Vec<FilmReviews>> {
    let films_path = data_dir.join(FILM_SET_FILES[0]);
    let reviews_path = data_dir.join(FILM_SET_FILES[1]);
    let (header, rows) = records(&read_text(&films_path)?, '\t', &films_path)?;
    let link = column(&header, "rotten_tomatoes_link", &films_path)?;
    let title = column(&header, "movie_title", &films_path)?;
    let rating = column(&header, "tomatometer_rating", &films_path)?;
    let mut films: Vec<FilmReviews> = Vec::new();
    let mut index = HashMap::new();
    for row in rows {
        let (Some(l), Some(t), Some(r)) = (row.get(link), row.get(title), row.get(rating)) else {
            continue;
        };
        let Ok(r) = r.trim().parse::<f64>() else {
            continue;
        };
        index.insert(l.clone(), films.len());
        films.push(FilmReviews {
            title: t.clone(),
            tomatometer: r,
            reviews: Vec::new(),
        });
    }
    add_review_rows(
        &reviews_path,
        ReviewColumns {
            film: "rotten_tomatoes_link",
            label: "review_type",
            fresh_rotten: ("Fresh", "Rotten"),
            rating: "review_score",
            text: "review_content",
            critic: "critic_name",
            outlet: "publisher_name",
        },
        &index,
        &mut films,
    )?;
    Ok(films)
}

/// The column names of one layout of Rotten Tomatoes review rows.
struct ReviewColumns {
    film: &'static str,
    label: &'static str,
    /// How the label column writes fresh and rotten.
    fresh_rotten: (&'static str, &'static str),
    rating: &'static str,
    text: &'static str,
    critic: &'static str,
    outlet: &'static str,
}

/// Adds every labelled review row of `path` to its film (`index`: film
/// column value → position in `films`); rows of other films, rows cut
/// short and unlabelled rows are skipped; films left without a review are
/// dropped.
fn add_review_rows(
    path: &Path,
    names: ReviewColumns,
    index: &HashMap<String, usize>,
    films: &mut Vec<FilmReviews>,
) -> Result<()> {
    let (header, rows) = records(&read_text(path)?, ',', path)?;
    let col = |n: &str| column(&header, n, path);
    let (film, label, rating) = (col(names.film)?, col(names.label)?, col(names.rating)?);
    let (text, critic, outlet) = (col(names.text)?, col(names.critic)?, col(names.outlet)?);
    for row in rows {
        if row.len() != header.len() {
            continue; // the row cut by a truncation
        }
        let Some(&fi) = index.get(&row[film]) else {
            continue;
        };
        let positive = match row[label].as_str() {
            l if l == names.fresh_rotten.0 => true,
            l if l == names.fresh_rotten.1 => false,
            _ => continue,
        };
        let raw = Some(row[rating].trim()).filter(|s| !s.is_empty());
        films[fi].reviews.push(Doc {
            text: row[text].trim().to_string(),
            positive: Some(positive),
            score: raw.and_then(rating_score),
            group: fi as u32 + 1,
            rating: raw.map(str::to_string),
            critic: name(row.get(critic)),
            outlet: name(row.get(outlet)),
            ..Doc::default()
        });
    }
    films.retain(|f| !f.reviews.is_empty());
    Ok(())
}

/// A non-empty, trimmed name.
fn name(field: Option<&String>) -> Option<String> {
    field
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn load_soccer(data_dir: &Path) -> Result<Vec<FilmReviews>> {
    let reviews_path = data_dir.join(FILM_SET_FILES[2]);
    let movies_path = data_dir.join(FILM_SET_FILES[3]);
    let (header, rows) = records(&read_text(&movies_path)?, ',', &movies_path)?;
    let id = column(&header, "movieId", &movies_path)?;
    let title = column(&header, "movieTitle", &movies_path)?;
    let score = column(&header, "critic_score", &movies_path)?;
    let mut films = Vec::new();
    let mut index = HashMap::new();
    for row in rows {
        let (Some(i), Some(t), Some(s)) = (row.get(id), row.get(title), row.get(score)) else {
            continue;
        };
        let Ok(s) = s.trim().trim_end_matches('%').parse::<f64>() else {
            continue;
        };
        index.insert(i.clone(), films.len());
        films.push(FilmReviews {
            title: t.clone(),
            tomatometer: s,
            reviews: Vec::new(),
        });
    }
    add_review_rows(
        &reviews_path,
        ReviewColumns {
            film: "movieId",
            label: "reviewState",
            fresh_rotten: ("fresh", "rotten"),
            rating: "originalScore",
            text: "quote",
            critic: "criticName",
            outlet: "publicationName",
        },
        &index,
        &mut films,
    )?;
    Ok(films)
}

/// Parses delimiter-separated values with CSV-style quoting (a field that
/// starts with `"` runs to the next lone `"`; `""` is a literal quote).
/// CRLF or LF; line breaks inside quotes are kept.
pub(crate) fn parse_delimited(text: &str, delimiter: char) -> Vec<Vec<String>> {
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
            c if c == delimiter => {
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
    fn delimited_with_quotes() {
        let rows = parse_delimited("a\tb\r\n\"x \"\"y\"\"\tz\"\t2\r\n\tlast", '\t');
        assert_eq!(
            rows,
            vec![vec!["a", "b"], vec!["x \"y\"\tz", "2"], vec!["", "last"]]
        );
        let rows = parse_delimited("a,\"multi\r\nline, quoted\",c\n1,2,3\n", ',');
        assert_eq!(
            rows,
            vec![vec!["a", "multi\r\nline, quoted", "c"], vec!["1", "2", "3"]]
        );
    }

    #[test]
    fn rating_strings_read_to_unit_scores() {
        assert_eq!(rating_score("3/5"), Some(0.6));
        assert_eq!(
            rating_score("B+").map(|s| (s * 1000.0).round()),
            Some(833.0)
        );
        assert_eq!(rating_score("not a rating"), None);
    }
}
