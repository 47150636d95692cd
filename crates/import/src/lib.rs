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
pub use input::{Header, Progress, file_size, is_table_name, parse_date, parse_year, read_header};
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

/// The unit a single file makes, given its layout; the error is the
/// problem, naming the file.
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
            return Err(format!(
                "{}: a films file with no reviews file beside it: nothing to import",
                path.display()
            ));
        }
        Layout::MovieLensLinks | Layout::LetterboxdWatched => return Ok(None),
        Layout::Unknown => {
            let columns = read_header(path).map(|h| h.names).unwrap_or_default();
            return Err(ImportError::UnknownLayout { path: p, columns }.to_string());
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
    plan_group(dir, &files, format, map, plan);
    for d in dirs {
        plan_dir(&d, format, map, plan);
    }
}

/// The units of some files of one folder, as if they were all it held:
/// its exports read as one, its other files one by one.
fn plan_group(
    dir: &Path,
    files: &[PathBuf],
    format: Option<Format>,
    map: Option<&str>,
    plan: &mut Plan,
) {
    let mut by_layout: BTreeMap<usize, Vec<PathBuf>> = BTreeMap::new();
    let mut unknown = Vec::new();
    let layouts: Vec<(PathBuf, Layout)> = headers_of(files)
        .into_iter()
        .filter_map(|(p, h)| {
            let layout = match (format, &h) {
                (Some(f), Ok(h)) => forced_layout(f, Some(h)),
                (None, Ok(h)) => layout_with(h, map),
                (_, Err(_)) => Layout::Unknown,
            };
            if layout == Layout::Unknown {
                unknown.push(h.map(|h| h.names).unwrap_or_default());
            } else if layout == Layout::Generic
                && let Ok(h) = &h
                && let Err(e) = Columns::generic(h, map)
            {
                // A generic file (`--format csv`) without the columns it
                // needs: passed over, saying which columns it has.
                plan.skipped.push(format!("{e}; skipped"));
                return None;
            }
            Some((p, layout))
        })
        .collect();
    let mut unknown = unknown.into_iter();
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
            None => {
                let columns = unknown.next().unwrap_or_default();
                plan.skipped.push(if is_table_name(&p) {
                    format!(
                        "{}; skipped",
                        ImportError::UnknownLayout { path: p, columns }
                    )
                } else {
                    format!("{}: not a layout Verdict knows; skipped", p.display())
                });
            }
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
}

/// What to import from the paths given: files and folders, any mix.
pub fn plan(paths: &[PathBuf], format: Option<Format>, map: Option<&str>) -> Plan {
    let mut plan = Plan::default();
    let mut films_files = Vec::new();
    for path in paths {
        if path.is_dir() {
            plan_dir(path, format, map, &mut plan);
        } else {
            plan_file(path, format, map, &mut plan, &mut films_files);
        }
    }
    finish(plan, films_files)
}

/// What to import of tables met among documents (`verdict ingest`): the
/// files `named` on the command line, each read as [`plan`] reads a file,
/// and the files `found` in folders, those of one folder read together as
/// [`plan`] reads a folder (an export's files as one), though no other
/// file of the folder is looked at. Layouts are detected by header.
pub fn plan_files(named: &[PathBuf], found: &[PathBuf]) -> Plan {
    let mut plan = Plan::default();
    let mut films_files = Vec::new();
    for path in named {
        plan_file(path, None, None, &mut plan, &mut films_files);
    }
    let mut folders: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in found {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        folders
            .entry(dir.to_path_buf())
            .or_default()
            .push(path.clone());
    }
    for (dir, mut files) in folders {
        files.sort();
        plan_group(&dir, &files, None, None, &mut plan);
    }
    finish(plan, films_files)
}

/// The unit one file named on its own makes.
fn plan_file(
    path: &Path,
    format: Option<Format>,
    map: Option<&str>,
    plan: &mut Plan,
    films_files: &mut Vec<PathBuf>,
) {
    if !path.exists() {
        plan.problems
            .push(format!("{}: no such file or folder", path.display()));
        return;
    }
    // A pipe, a device or a socket: reading it may never end (a FIFO with
    // no writer blocks), so it is refused, as `ingest` refuses it, and the
    // other inputs go on.
    if !path.is_file() {
        plan.problems
            .push(format!("{}: not a regular file", path.display()));
        return;
    }
    let header = read_header(path);
    let layout = match (format, &header) {
        (Some(f), h) => forced_layout(f, h.as_ref().ok()),
        (None, Ok(h)) => match layout_with(h, map) {
            // Say what the mapping lacks.
            Layout::Unknown if map.is_some() => {
                if let Err(e) = Columns::generic(h, map) {
                    plan.problems.push(e.to_string());
                    return;
                }
                Layout::Unknown
            }
            l => l,
        },
        (None, Err(e)) => {
            plan.problems
                .push(format!("{}: cannot read its header: {e}", path.display()));
            return;
        }
    };
    if layout == Layout::Generic
        && let Ok(h) = &header
        && let Err(e) = Columns::generic(h, map)
    {
        // A generic file (`--format csv`) without the columns it needs.
        plan.problems.push(e.to_string());
        return;
    }
    if matches!(layout, Layout::KaggleMovies | Layout::RtMovies) {
        // Imported with the reviews file beside it when that is named too.
        films_files.push(path.to_path_buf());
        return;
    }
    match unit_of_file(path, layout, map) {
        Ok(Some(unit)) => plan.units.push(unit),
        Ok(None) => plan.skipped.push(format!(
            "{}: holds nothing to import on its own; skipped",
            path.display()
        )),
        Err(problem) => plan.problems.push(problem),
    }
}

/// A plan's last touches: a file named twice (a folder and a file in it)
/// imported once, and the films files named without their reviews file.
fn finish(mut plan: Plan, films_files: Vec<PathBuf>) -> Plan {
    let mut seen = std::collections::HashSet::new();
    plan.units.retain(|u| {
        seen.insert(
            u.files()
                .iter()
                .map(|p| p.to_path_buf())
                .collect::<Vec<_>>(),
        )
    });
    let same = |a: &Path, b: &Path| {
        a == b
            || matches!(
                (std::fs::canonicalize(a), std::fs::canonicalize(b)),
                (Ok(a), Ok(b)) if a == b
            )
    };
    for films in films_files {
        let used = plan
            .units
            .iter()
            .any(|u| u.files().iter().any(|f| same(f, &films)));
        if !used {
            plan.problems.push(format!(
                "{}: a films file with no reviews file beside it: nothing to import",
                films.display()
            ));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// The newer Rotten Tomatoes pair in `dir`: (reviews, films).
    fn rt_pair(dir: &Path) -> (PathBuf, PathBuf) {
        (
            write(
                dir,
                "critic_reviews.csv",
                "quote,movieId,reviewState,originalScore\nGood.,u1,fresh,4/5\n",
            ),
            write(
                dir,
                "movies.csv",
                "movieId,movieTitle,movieYear\nu1,Offside,2006\n",
            ),
        )
    }

    #[test]
    fn a_films_file_named_beside_its_reviews_is_read_with_them() {
        let dir = tempfile::tempdir().unwrap();
        let (reviews, movies) = rt_pair(dir.path());
        let planned = super::plan(&[reviews.clone(), movies.clone()], None, None);
        assert_eq!(planned.problems, Vec::<String>::new());
        assert_eq!(
            planned.units,
            [Unit::Rt {
                reviews,
                movies: Some(movies.clone())
            }]
        );
        // Alone, it is refused.
        let planned = super::plan(std::slice::from_ref(&movies), None, None);
        assert!(planned.units.is_empty());
        assert_eq!(planned.problems.len(), 1);
        assert!(planned.problems[0].starts_with(&movies.display().to_string()));
    }

    #[test]
    fn tables_found_in_a_folder_are_read_together_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (reviews, movies) = rt_pair(dir.path());
        // A document beside them is not looked at.
        write(dir.path(), "notes.txt", "title,rating\n");
        let planned = plan_files(&[], &[reviews.clone(), movies.clone()]);
        assert_eq!(
            planned.units,
            [Unit::Rt {
                reviews,
                movies: Some(movies)
            }]
        );
        assert!(
            planned.problems.is_empty() && planned.skipped.is_empty(),
            "{planned:?}"
        );
    }

    #[test]
    fn an_unknown_table_is_refused_with_its_columns() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(
            dir.path(),
            "stock.csv",
            "\u{feff}sku, shelf ,count\n1,2,3\n",
        );
        let planned = super::plan(std::slice::from_ref(&f), None, None);
        assert!(planned.units.is_empty());
        assert!(
            planned.problems[0].contains("(its columns: sku, shelf, count)"),
            "{:?}",
            planned.problems
        );
        // In a folder it is passed over, still named with its columns.
        let planned = super::plan(&[dir.path().to_path_buf()], None, None);
        assert!(planned.problems.is_empty());
        assert!(
            planned.skipped[0].contains("sku, shelf, count"),
            "{planned:?}"
        );
    }

    #[test]
    fn headers_are_read_from_bytes_and_tables_known_by_name() {
        let h = Header::parse(Path::new("x"), b"a\tb\tc\r\n1\t2\t3\n");
        assert_eq!(h.names, ["a", "b", "c"]);
        assert_eq!(h.delimiter, b'\t');
        assert!(Header::parse(Path::new("x"), b"").names.is_empty());
        for (name, table) in [
            ("a.csv", true),
            ("A.TSV", true),
            ("rt.reviews.tsv.gz", true),
            ("review.txt", false),
            ("csv", false),
            ("notes.gz", false),
        ] {
            assert_eq!(is_table_name(Path::new(name)), table, "{name}");
        }
    }
}
