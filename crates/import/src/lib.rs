//! Verdict's importers: the source stage for exports.
//!
//! An export is a file, or a folder read as one (a Letterboxd account
//! export; a `critic_reviews.csv` + `movies.csv` pair). Each file's layout
//! is detected by its header, never by its name or column order; `--format`
//! forces one. Rows are streamed, never held all at once: memory stays flat
//! whatever the file size.
//!
//! | format | files | what a row is |
//! |---|---|---|
//! | `rt-kaggle` | `rotten_tomatoes_critic_reviews.csv` + `rotten_tomatoes_movies.csv` | a review of a film named by its link; the films file gives title, year and the published Tomatometer |
//! | `rt` | `critic_reviews.csv` + `movies.csv` (`reviewState`, `originalScore`, `quote`, `isTopCritic`, `movieId`; `movieTitle`, `movieYear`, `critic_score`) | the same, newer layout |
//! | `flatiron` | `rt.reviews.tsv(.gz)` (cp1252, CRLF, empty texts) | a review of a film known only by a number |
//! | `letterboxd` | a folder with `reviews.csv`, `ratings.csv`, `diary.csv` | a film the owner reviewed or rated (see [`letterboxd`]) |
//! | `csv` | any CSV/TSV with a title column and a rating, text or verdict column (`--map field=COLUMN,…`) | a review of the film in its title and year columns |
//! | `imdb` | `title.basics.tsv(.gz)` or `imdb.title.basics.csv.gz` | a catalogue entry |
//! | `movielens` | `movies.csv` (+ `links.csv` beside it) | a catalogue entry |
//!
//! Reading a review row ([`reviews`]) yields a [`RawRow`]; a row that
//! cannot be read yields a [`BadRow`] with its file and line, and reading
//! goes on. [`Processor::process`] then reads the rating (with the scale
//! learned for the outlet and critic from their other ratings), judges the
//! text with [`verdict_judge::Judge::embedded`] and hashes the row's
//! identity, so that importing a file again adds nothing.
//!
//! This crate knows nothing of storage: the `verdict` app crate resolves the
//! films and writes the batches.

mod catalogue;
mod error;
mod hints;
mod input;
pub mod letterboxd;
mod process;
mod records;
mod reviews;
mod row;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use catalogue::{
    CatalogueItem, CatalogueRecord, CatalogueRows, TitleKind, parse_movielens_title,
};
pub use error::ImportError;
pub use input::{Header, Progress, file_size, parse_date, parse_year, read_header};
pub use letterboxd::Export;
pub use process::{Imported, Processor, content_hash};
pub use reviews::{Columns, Field, alternative_titles};
pub use row::{BadRow, FilmInfo, Item, RawRow};

use reviews::{Films, ReviewRows, Style};

/// An export format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    RtKaggle,
    Rt,
    Flatiron,
    Letterboxd,
    Csv,
    Imdb,
    MovieLens,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::RtKaggle,
        Format::Rt,
        Format::Flatiron,
        Format::Letterboxd,
        Format::Csv,
        Format::Imdb,
        Format::MovieLens,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::RtKaggle => "rt-kaggle",
            Format::Rt => "rt",
            Format::Flatiron => "flatiron",
            Format::Letterboxd => "letterboxd",
            Format::Csv => "csv",
            Format::Imdb => "imdb",
            Format::MovieLens => "movielens",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// What a file's header says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    KaggleReviews,
    KaggleMovies,
    RtReviews,
    RtMovies,
    Flatiron,
    LetterboxdReviews,
    LetterboxdRatings,
    LetterboxdDiary,
    LetterboxdWatched,
    ImdbBasics,
    MovieLensMovies,
    MovieLensLinks,
    Generic,
    Unknown,
}

/// The layout of a file from its header, a generic CSV read with the
/// user's column mapping.
fn layout_with(h: &Header, map: Option<&str>) -> Layout {
    match layout_of(h) {
        Layout::Unknown if map.is_some() && Columns::generic(h, map).is_ok() => Layout::Generic,
        l => l,
    }
}

/// The layout of a file from its header.
pub fn layout_of(h: &Header) -> Layout {
    if h.has_all(&["rotten_tomatoes_link", "review_type"]) {
        Layout::KaggleReviews
    } else if h.has_all(&["rotten_tomatoes_link", "movie_title"])
        && h.find(&["original_release_date", "movie_info", "content_rating"])
            .is_some()
    {
        Layout::KaggleMovies
    } else if h.has_all(&["movieId", "reviewState"]) {
        Layout::RtReviews
    } else if h.has_all(&["movieId", "movieTitle"]) {
        Layout::RtMovies
    } else if h.has_all(&["movieId", "imdbId"]) {
        Layout::MovieLensLinks
    } else if h.has_all(&["movieId", "title", "genres"]) {
        Layout::MovieLensMovies
    } else if h.has("tconst") && h.find(&["primaryTitle", "primary_title"]).is_some() {
        Layout::ImdbBasics
    } else if h.has_all(&["id", "review", "rating", "fresh", "publisher"]) {
        Layout::Flatiron
    } else if h.has_all(&["Letterboxd URI", "Name"]) {
        if h.has("Review") {
            Layout::LetterboxdReviews
        } else if h.has("Watched Date") {
            Layout::LetterboxdDiary
        } else if h.has("Rating") {
            Layout::LetterboxdRatings
        } else {
            Layout::LetterboxdWatched
        }
    } else if Columns::generic(h, None).is_ok() {
        Layout::Generic
    } else {
        Layout::Unknown
    }
}

/// One thing to import: a file, or the files of an export read as one.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    RtKaggle {
        reviews: PathBuf,
        movies: Option<PathBuf>,
    },
    Rt {
        reviews: PathBuf,
        movies: Option<PathBuf>,
    },
    Flatiron {
        reviews: PathBuf,
    },
    Letterboxd(Export),
    Csv {
        file: PathBuf,
        map: Option<String>,
    },
    Imdb {
        file: PathBuf,
    },
    MovieLens {
        movies: PathBuf,
        links: Option<PathBuf>,
    },
}

impl Unit {
    pub fn format(&self) -> Format {
        match self {
            Unit::RtKaggle { .. } => Format::RtKaggle,
            Unit::Rt { .. } => Format::Rt,
            Unit::Flatiron { .. } => Format::Flatiron,
            Unit::Letterboxd(_) => Format::Letterboxd,
            Unit::Csv { .. } => Format::Csv,
            Unit::Imdb { .. } => Format::Imdb,
            Unit::MovieLens { .. } => Format::MovieLens,
        }
    }

    /// Catalogue units hold reference films, not reviews.
    pub fn is_catalogue(&self) -> bool {
        matches!(self, Unit::Imdb { .. } | Unit::MovieLens { .. })
    }

    /// Every file the unit reads.
    pub fn files(&self) -> Vec<&Path> {
        match self {
            Unit::RtKaggle { reviews, movies } | Unit::Rt { reviews, movies } => {
                std::iter::once(reviews.as_path())
                    .chain(movies.as_deref())
                    .collect()
            }
            Unit::Flatiron { reviews } => vec![reviews],
            Unit::Letterboxd(e) => [&e.reviews, &e.ratings, &e.diary]
                .into_iter()
                .flatten()
                .map(PathBuf::as_path)
                .collect(),
            Unit::Csv { file, .. } | Unit::Imdb { file } => vec![file],
            Unit::MovieLens { movies, links } => std::iter::once(movies.as_path())
                .chain(links.as_deref())
                .collect(),
        }
    }

    /// Bytes on disk (what the progress counter reaches).
    pub fn size(&self) -> u64 {
        self.files().into_iter().map(file_size).sum()
    }

    /// "rt-kaggle: reviews.csv + movies.csv".
    pub fn describe(&self) -> String {
        let files: Vec<String> = self
            .files()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        match self {
            Unit::Letterboxd(e) => {
                format!("letterboxd export of {} ({})", e.owner, files.join(" + "))
            }
            _ => format!("{}: {}", self.format().name(), files.join(" + ")),
        }
    }
}

/// What [`plan`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub units: Vec<Unit>,
    /// Inputs that cannot be imported: "PATH: reason".
    pub problems: Vec<String>,
    /// Files passed over, with the reason (inside folders).
    pub skipped: Vec<String>,
}

fn headers_of(files: &[PathBuf]) -> Vec<(PathBuf, Result<Header, String>)> {
    files
        .iter()
        .map(|f| (f.clone(), read_header(f).map_err(|e| e.to_string())))
        .collect()
}

/// A sibling file of `path` with the given layout.
fn partner(path: &Path, want: Layout) -> Option<PathBuf> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut siblings: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p != path)
        .collect();
    siblings.sort();
    siblings
        .into_iter()
        .find(|p| read_header(p).is_ok_and(|h| layout_of(&h) == want))
}

/// The unit a single file makes, given its layout.
fn unit_of_file(path: &Path, layout: Layout, map: Option<&str>) -> Result<Option<Unit>, String> {
    let p = path.to_path_buf();
    let export = |reviews, ratings, diary| {
        let dir = path.parent().unwrap_or(Path::new("."));
        Unit::Letterboxd(Export {
            dir: dir.to_path_buf(),
            reviews,
            ratings,
            diary,
            owner: letterboxd::owner_of(&std::fs::canonicalize(dir).unwrap_or(dir.to_path_buf())),
        })
    };
    Ok(Some(match layout {
        Layout::KaggleReviews => Unit::RtKaggle {
            movies: partner(path, Layout::KaggleMovies),
            reviews: p,
        },
        Layout::RtReviews => Unit::Rt {
            movies: partner(path, Layout::RtMovies),
            reviews: p,
        },
        Layout::Flatiron => Unit::Flatiron { reviews: p },
        Layout::LetterboxdReviews => export(Some(p), None, None),
        Layout::LetterboxdRatings => export(None, Some(p), None),
        Layout::LetterboxdDiary => export(None, None, Some(p)),
        Layout::ImdbBasics => Unit::Imdb { file: p },
        Layout::MovieLensMovies => Unit::MovieLens {
            links: partner(path, Layout::MovieLensLinks),
            movies: p,
        },
        Layout::Generic => Unit::Csv {
            file: p,
            map: map.map(str::to_string),
        },
        Layout::KaggleMovies | Layout::RtMovies => {
            return Err("a films file with no reviews file beside it: nothing to import".into());
        }
        Layout::MovieLensLinks | Layout::LetterboxdWatched => return Ok(None),
        Layout::Unknown => {
            return Err("not a layout Verdict knows (see `verdict import --help`); use --format csv --map … for a generic CSV".into());
        }
    }))
}

/// The layout `format` forces on a file.
fn forced_layout(format: Format, h: Option<&Header>) -> Layout {
    let detected = h.map(layout_of).unwrap_or(Layout::Unknown);
    match format {
        Format::RtKaggle if detected == Layout::KaggleMovies => detected,
        Format::RtKaggle => Layout::KaggleReviews,
        Format::Rt if detected == Layout::RtMovies => detected,
        Format::Rt => Layout::RtReviews,
        Format::Flatiron => Layout::Flatiron,
        Format::Letterboxd => match detected {
            Layout::LetterboxdRatings | Layout::LetterboxdDiary | Layout::LetterboxdWatched => {
                detected
            }
            _ => Layout::LetterboxdReviews,
        },
        Format::Csv => Layout::Generic,
        Format::Imdb => Layout::ImdbBasics,
        Format::MovieLens if detected == Layout::MovieLensLinks => detected,
        Format::MovieLens => Layout::MovieLensMovies,
    }
}

/// The units of a folder: its exports read as one, its other files one by
/// one, its subfolders in turn.
fn plan_dir(dir: &Path, format: Option<Format>, map: Option<&str>, plan: &mut Plan) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for e in entries.flatten() {
                let p = e.path();
                if p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                {
                    continue;
                }
                if p.is_dir() {
                    dirs.push(p);
                } else if p.is_file() {
                    files.push(p);
                }
            }
        }
        Err(e) => {
            plan.problems.push(format!("{}: {e}", dir.display()));
            return;
        }
    }
    files.sort();
    dirs.sort();
    let mut by_layout: BTreeMap<usize, Vec<PathBuf>> = BTreeMap::new();
    let layouts: Vec<(PathBuf, Layout)> = headers_of(&files)
        .into_iter()
        .map(|(p, h)| {
            let layout = match (format, &h) {
                (Some(f), Ok(h)) => forced_layout(f, Some(h)),
                (None, Ok(h)) => layout_with(h, map),
                (_, Err(_)) => Layout::Unknown,
            };
            (p, layout)
        })
        .collect();
    const ORDER: [Layout; 13] = [
        Layout::KaggleReviews,
        Layout::KaggleMovies,
        Layout::RtReviews,
        Layout::RtMovies,
        Layout::Flatiron,
        Layout::LetterboxdReviews,
        Layout::LetterboxdRatings,
        Layout::LetterboxdDiary,
        Layout::LetterboxdWatched,
        Layout::ImdbBasics,
        Layout::MovieLensMovies,
        Layout::MovieLensLinks,
        Layout::Generic,
    ];
    for (p, layout) in layouts {
        match ORDER.iter().position(|l| *l == layout) {
            Some(i) => by_layout.entry(i).or_default().push(p),
            None => plan.skipped.push(format!(
                "{}: not a layout Verdict knows; skipped",
                p.display()
            )),
        }
    }
    let take = |l: Layout, m: &mut BTreeMap<usize, Vec<PathBuf>>| -> Vec<PathBuf> {
        m.remove(&ORDER.iter().position(|x| *x == l).unwrap_or(usize::MAX))
            .unwrap_or_default()
    };
    let first = |v: &[PathBuf]| v.first().cloned();
    let kaggle_movies = take(Layout::KaggleMovies, &mut by_layout);
    for reviews in take(Layout::KaggleReviews, &mut by_layout) {
        plan.units.push(Unit::RtKaggle {
            reviews,
            movies: first(&kaggle_movies),
        });
    }
    let rt_movies = take(Layout::RtMovies, &mut by_layout);
    for reviews in take(Layout::RtReviews, &mut by_layout) {
        plan.units.push(Unit::Rt {
            reviews,
            movies: first(&rt_movies),
        });
    }
    for reviews in take(Layout::Flatiron, &mut by_layout) {
        plan.units.push(Unit::Flatiron { reviews });
    }
    let lb_reviews = take(Layout::LetterboxdReviews, &mut by_layout);
    let lb_ratings = take(Layout::LetterboxdRatings, &mut by_layout);
    let lb_diary = take(Layout::LetterboxdDiary, &mut by_layout);
    take(Layout::LetterboxdWatched, &mut by_layout);
    if !(lb_reviews.is_empty() && lb_ratings.is_empty() && lb_diary.is_empty()) {
        plan.units.push(Unit::Letterboxd(Export {
            dir: dir.to_path_buf(),
            reviews: first(&lb_reviews),
            ratings: first(&lb_ratings),
            diary: first(&lb_diary),
            owner: letterboxd::owner_of(&std::fs::canonicalize(dir).unwrap_or(dir.to_path_buf())),
        }));
    }
    for file in take(Layout::ImdbBasics, &mut by_layout) {
        plan.units.push(Unit::Imdb { file });
    }
    let links = take(Layout::MovieLensLinks, &mut by_layout);
    for movies in take(Layout::MovieLensMovies, &mut by_layout) {
        plan.units.push(Unit::MovieLens {
            movies,
            links: first(&links),
        });
    }
    for file in take(Layout::Generic, &mut by_layout) {
        plan.units.push(Unit::Csv {
            file,
            map: map.map(str::to_string),
        });
    }
    if rt_movies.len() + kaggle_movies.len() > 0
        && !plan
            .units
            .iter()
            .any(|u| matches!(u, Unit::Rt { .. } | Unit::RtKaggle { .. }))
    {
        for m in rt_movies.iter().chain(&kaggle_movies) {
            plan.skipped.push(format!(
                "{}: a films file with no reviews file beside it; skipped",
                m.display()
            ));
        }
    }
    for d in dirs {
        plan_dir(&d, format, map, plan);
    }
}

/// What to import from the paths given: files and folders, any mix.
pub fn plan(paths: &[PathBuf], format: Option<Format>, map: Option<&str>) -> Plan {
    let mut plan = Plan::default();
    for path in paths {
        if path.is_dir() {
            plan_dir(path, format, map, &mut plan);
            continue;
        }
        if !path.exists() {
            plan.problems
                .push(format!("{}: no such file or folder", path.display()));
            continue;
        }
        let header = read_header(path);
        let layout = match (format, &header) {
            (Some(f), h) => forced_layout(f, h.as_ref().ok()),
            (None, Ok(h)) => match layout_with(h, map) {
                // Say what the mapping lacks.
                Layout::Unknown if map.is_some() => {
                    if let Err(e) = Columns::generic(h, map) {
                        plan.problems.push(e.to_string());
                        continue;
                    }
                    Layout::Unknown
                }
                l => l,
            },
            (None, Err(e)) => {
                plan.problems
                    .push(format!("{}: cannot read its header: {e}", path.display()));
                continue;
            }
        };
        match unit_of_file(path, layout, map) {
            Ok(Some(unit)) => plan.units.push(unit),
            Ok(None) => plan.skipped.push(format!(
                "{}: holds nothing to import on its own; skipped",
                path.display()
            )),
            Err(reason) => plan.problems.push(format!("{}: {reason}", path.display())),
        }
    }
    // A file named twice (a folder and a file in it) is imported once.
    let mut seen = std::collections::HashSet::new();
    plan.units.retain(|u| {
        seen.insert(
            u.files()
                .iter()
                .map(|p| p.to_path_buf())
                .collect::<Vec<_>>(),
        )
    });
    plan
}

/// A boxed stream of review rows.
pub type Rows = Box<dyn Iterator<Item = Item> + Send>;

fn open_err(path: &Path, e: std::io::Error) -> ImportError {
    ImportError::Read {
        path: path.to_path_buf(),
        source: e,
    }
}

/// The review rows of a unit (an error for catalogue units).
pub fn reviews(unit: &Unit, progress: &Progress) -> Result<Rows, ImportError> {
    let no_style = Style::default;
    Ok(match unit {
        Unit::RtKaggle { reviews, movies } | Unit::Rt { reviews, movies } => {
            let kaggle = matches!(unit, Unit::RtKaggle { .. });
            let (map, items) = match movies {
                Some(m) => {
                    let read = if kaggle {
                        reviews::kaggle_movies(m, progress)
                    } else {
                        reviews::rt_movies(m, progress)
                    };
                    read.map_err(|e| open_err(m, e))?
                }
                None => Default::default(),
            };
            let films = Films::Listed {
                map,
                source: if kaggle { "rt" } else { "rt-movie-id" },
                slugs: kaggle,
                missing: Default::default(),
            };
            let (format, columns): (&'static str, fn(&Header) -> Columns) = if kaggle {
                ("rt-kaggle-csv", reviews::kaggle_columns)
            } else {
                ("rt-csv", reviews::rt_columns)
            };
            let mut rows = ReviewRows::open(reviews, progress, format, columns, films, no_style())
                .map_err(|e| open_err(reviews, e))?;
            let mut first = items;
            if movies.is_none() {
                first.push(Item::Note(format!(
                    "{}: no films file beside it: films are named from their ids",
                    rows.origin()
                )));
            }
            rows.prepend(first);
            Box::new(rows)
        }
        Unit::Flatiron { reviews } => Box::new(
            ReviewRows::open(
                reviews,
                progress,
                "flatiron-tsv",
                reviews::flatiron_columns,
                Films::ById {
                    source: "rt-flatiron",
                    cache: Default::default(),
                },
                no_style(),
            )
            .map_err(|e| open_err(reviews, e))?,
        ),
        Unit::Letterboxd(export) => Box::new(letterboxd::Rows::new(export.clone(), progress)),
        Unit::Csv { file, map } => {
            let records = records::Records::open(file, progress).map_err(|e| open_err(file, e))?;
            let cols = Columns::generic(&records.header, map.as_deref())?;
            Box::new(ReviewRows::with_columns(
                records,
                "csv",
                cols,
                Films::PerRow,
                no_style(),
            ))
        }
        Unit::Imdb { .. } | Unit::MovieLens { .. } => {
            return Err(ImportError::NotReviews {
                unit: unit.describe(),
            });
        }
    })
}

/// The entries of a catalogue unit (an error for review units).
pub fn catalogue(unit: &Unit, progress: &Progress) -> Result<CatalogueRows, ImportError> {
    Ok(match unit {
        Unit::Imdb { file } => {
            Box::new(catalogue::ImdbRows::open(file, progress).map_err(|e| open_err(file, e))?)
        }
        Unit::MovieLens { movies, links } => {
            match catalogue::MovieLensRows::open(movies, links.as_deref(), progress) {
                Ok((rows, bad)) => Box::new(bad.into_iter().chain(rows)),
                Err(e) => Box::new(std::iter::once(catalogue::bad_open(movies, e))),
            }
        }
        _ => {
            return Err(ImportError::NotCatalogue {
                unit: unit.describe(),
            });
        }
    })
}

/// The file name of a unit's first file, for messages.
pub fn origin_of(unit: &Unit) -> Arc<str> {
    Arc::from(
        unit.files()
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    )
}
