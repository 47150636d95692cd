//! Review rows of every layout, read by header name (column order varies
//! between files of one layout): which column holds what, and where the
//! film comes from (a films file, an id, or the row's own title).

use crate::ImportError;
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;

use verdict_core::title::title_case;
use verdict_core::{Diagnostic, Verdict};
use verdict_rating::ScaleHint;

use crate::hints::{Hints, Observed};
use crate::input::{Header, Progress, parse_bool, parse_date, parse_year};
use crate::records::Records;
use crate::row::{BadRow, FilmInfo, Item, RawRow};

/// A field of a review row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    FilmId,
    Title,
    Year,
    ReviewId,
    Critic,
    Outlet,
    Date,
    TopCritic,
    Label,
    Rating,
    Text,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::FilmId,
        Field::Title,
        Field::Year,
        Field::ReviewId,
        Field::Critic,
        Field::Outlet,
        Field::Date,
        Field::TopCritic,
        Field::Label,
        Field::Rating,
        Field::Text,
    ];

    /// The name used in `--map` ("title=Film").
    pub fn name(self) -> &'static str {
        match self {
            Field::FilmId => "film_id",
            Field::Title => "title",
            Field::Year => "year",
            Field::ReviewId => "id",
            Field::Critic => "critic",
            Field::Outlet => "outlet",
            Field::Date => "date",
            Field::TopCritic => "top_critic",
            Field::Label => "label",
            Field::Rating => "rating",
            Field::Text => "text",
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Header names a generic file may use for the field.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::FilmId => &[],
            Field::Title => &[
                "movie_title",
                "movieTitle",
                "title",
                "film",
                "film_title",
                "movie",
                "name",
            ],
            Field::Year => &["movieYear", "movie_year", "year", "release_year"],
            Field::ReviewId => &["reviewId", "review_id"],
            Field::Critic => &["critic_name", "criticName", "critic", "author", "reviewer"],
            Field::Outlet => &[
                "publisher_name",
                "publicationName",
                "publisher",
                "publication",
                "outlet",
                "site",
            ],
            Field::Date => &["review_date", "creationDate", "date", "published"],
            Field::TopCritic => &["top_critic", "isTopCritic"],
            Field::Label => &["review_type", "reviewState", "fresh", "label"],
            Field::Rating => &[
                "review_score",
                "originalScore",
                "rating",
                "score",
                "grade",
                "stars",
            ],
            Field::Text => &[
                "review_content",
                "quote",
                "review",
                "text",
                "content",
                "body",
            ],
        }
    }
}

/// Which column holds each field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    cols: HashMap<Field, usize>,
}

impl Columns {
    /// Columns by the exact names a layout uses.
    fn named(header: &Header, names: &[(Field, &[&str])]) -> Columns {
        let mut cols = HashMap::new();
        for (field, candidates) in names {
            if let Some(i) = header.find(candidates) {
                cols.insert(*field, i);
            }
        }
        Columns { cols }
    }

    /// Columns of a generic file: the user's mapping ("title=Film,rating=Score")
    /// first, then the usual header names.
    pub fn generic(header: &Header, map: Option<&str>) -> Result<Columns, ImportError> {
        let mut cols = HashMap::new();
        if let Some(map) = map {
            for pair in map.split(',').filter(|p| !p.trim().is_empty()) {
                let Some((field, column)) = pair.split_once('=') else {
                    return Err(ImportError::MapSyntax {
                        pair: pair.to_string(),
                        fields: Field::ALL.map(Field::name).join(", "),
                    });
                };
                let field = Field::parse(field).ok_or_else(|| ImportError::MapField {
                    field: field.to_string(),
                    fields: Field::ALL.map(Field::name).join(", "),
                })?;
                let i = header
                    .find(&[column.trim()])
                    .ok_or_else(|| ImportError::MapColumn {
                        path: header.path.clone(),
                        column: column.to_string(),
                        columns: header.names.clone(),
                    })?;
                cols.insert(field, i);
            }
        }
        for field in Field::ALL {
            if let std::collections::hash_map::Entry::Vacant(e) = cols.entry(field)
                && let Some(i) = header.find(field.synonyms())
            {
                e.insert(i);
            }
        }
        let c = Columns { cols };
        if !c.has(Field::Title) {
            return Err(ImportError::NoTitleColumn {
                path: header.path.clone(),
                looked_for: Field::Title.synonyms().join(", "),
                columns: header.names.clone(),
            });
        }
        if !c.has(Field::Rating) && !c.has(Field::Text) && !c.has(Field::Label) {
            return Err(ImportError::NothingToScore {
                path: header.path.clone(),
                columns: header.names.clone(),
            });
        }
        Ok(c)
    }

    pub fn get(&self, f: Field) -> Option<usize> {
        self.cols.get(&f).copied()
    }

    pub fn has(&self, f: Field) -> bool {
        self.cols.contains_key(&f)
    }
}

/// The columns of the Kaggle `rotten_tomatoes_critic_reviews.csv`.
pub(crate) fn kaggle_columns(h: &Header) -> Columns {
    Columns::named(
        h,
        &[
            (Field::FilmId, &["rotten_tomatoes_link"]),
            (Field::Critic, &["critic_name"]),
            (Field::TopCritic, &["top_critic"]),
            (Field::Outlet, &["publisher_name"]),
            (Field::Label, &["review_type"]),
            (Field::Rating, &["review_score"]),
            (Field::Date, &["review_date"]),
            (Field::Text, &["review_content"]),
        ],
    )
}

/// The columns of the newer Rotten Tomatoes `critic_reviews.csv`.
pub(crate) fn rt_columns(h: &Header) -> Columns {
    Columns::named(
        h,
        &[
            (Field::FilmId, &["movieId"]),
            (Field::ReviewId, &["reviewId"]),
            (Field::Critic, &["criticName"]),
            (Field::TopCritic, &["isTopCritic"]),
            (Field::Outlet, &["publicationName"]),
            (Field::Label, &["reviewState"]),
            (Field::Rating, &["originalScore"]),
            (Field::Date, &["creationDate"]),
            (Field::Text, &["quote"]),
        ],
    )
}

/// The columns of the Flatiron `rt.reviews.tsv`.
pub(crate) fn flatiron_columns(h: &Header) -> Columns {
    Columns::named(
        h,
        &[
            (Field::FilmId, &["id"]),
            (Field::Text, &["review"]),
            (Field::Rating, &["rating"]),
            (Field::Label, &["fresh"]),
            (Field::Critic, &["critic"]),
            (Field::TopCritic, &["top_critic"]),
            (Field::Outlet, &["publisher"]),
            (Field::Date, &["date"]),
        ],
    )
}

/// The columns of Letterboxd's reviews.csv, ratings.csv and diary.csv.
pub(crate) fn letterboxd_columns(h: &Header) -> Columns {
    Columns::named(
        h,
        &[
            (Field::Title, &["Name"]),
            (Field::Year, &["Year"]),
            (Field::ReviewId, &["Letterboxd URI"]),
            (Field::Rating, &["Rating"]),
            (Field::Date, &["Date"]),
            (Field::Text, &["Review"]),
        ],
    )
}

/// Where a row's film comes from.
pub(crate) enum Films {
    /// A films file read first, by the row's film id; `slugs` makes a title
    /// of a Kaggle link ("m/10004288-running_scared" → "Running Scared")
    /// for a film missing from it.
    Listed {
        map: HashMap<String, Arc<FilmInfo>>,
        source: &'static str,
        slugs: bool,
        missing: HashMap<String, Arc<FilmInfo>>,
    },
    /// Only an id (the Flatiron TSV has no titles).
    ById {
        source: &'static str,
        cache: HashMap<String, Arc<FilmInfo>>,
    },
    /// The row's own title and year.
    PerRow,
}

/// A title from a Kaggle link's slug, when it has words.
fn title_from_slug(link: &str) -> Option<String> {
    let slug = link.rsplit('/').next().unwrap_or(link);
    let slug = slug.trim_start_matches(|c: char| c.is_ascii_digit());
    let slug = slug.trim_start_matches(['-', '_']);
    let words = slug.replace(['_', '-'], " ");
    let words = words.trim();
    (words.chars().any(|c| c.is_alphabetic())).then(|| title_case(&words.to_uppercase()))
}

/// Options of a review reader beyond its columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Style {
    /// Review texts hold HTML (`<i>`, `<br />`, `<blockquote>`).
    pub html: bool,
    /// Every row's critic (a Letterboxd export's owner).
    pub critic: Option<String>,
    /// Every row's outlet ("Letterboxd").
    pub outlet: Option<String>,
    /// Every rating is on this scale (Letterboxd's 5 stars).
    pub scale: Option<f64>,
    /// Prefix of the export's review ids ("rating:", "diary:").
    pub id_prefix: &'static str,
}

/// Review rows of one file.
pub(crate) struct ReviewRows {
    records: Records,
    format: &'static str,
    cols: Columns,
    films: Films,
    style: Style,
    hints: Hints,
    pending: VecDeque<Item>,
    legacy_noted: bool,
    /// The film of the last row, by the id it was found under: rows of a
    /// film come together, so most rows find theirs here.
    last_film: Option<(String, Arc<FilmInfo>)>,
}

impl ReviewRows {
    pub(crate) fn open(
        path: &Path,
        progress: &Progress,
        format: &'static str,
        columns: fn(&Header) -> Columns,
        films: Films,
        style: Style,
    ) -> std::io::Result<ReviewRows> {
        let records = Records::open(path, progress)?;
        let cols = columns(&records.header);
        Ok(Self::with_columns(records, format, cols, films, style))
    }

    pub(crate) fn with_columns(
        records: Records,
        format: &'static str,
        cols: Columns,
        films: Films,
        style: Style,
    ) -> ReviewRows {
        ReviewRows {
            records,
            format,
            cols,
            films,
            style,
            hints: Hints::default(),
            pending: VecDeque::new(),
            legacy_noted: false,
            last_film: None,
        }
    }

    /// Items to yield before the first row (the films file's bad rows).
    pub(crate) fn prepend(&mut self, items: Vec<Item>) {
        self.pending.extend(items);
    }

    pub(crate) fn origin(&self) -> &Arc<str> {
        &self.records.origin
    }

    fn film(&mut self, line: u64) -> Result<Arc<FilmInfo>, BadRow> {
        if matches!(self.films, Films::PerRow) {
            return self.find_film(line);
        }
        if let Some((last, film)) = &self.last_film
            && let Some(field) = self.records.field(self.cols.get(Field::FilmId))
            && crate::input::non_empty(&field) == Some(last.as_str())
        {
            return Ok(film.clone());
        }
        let film = self.find_film(line)?;
        if let Some(key) = self.records.owned(self.cols.get(Field::FilmId)) {
            self.last_film = Some((key, film.clone()));
        }
        Ok(film)
    }

    fn find_film(&mut self, line: u64) -> Result<Arc<FilmInfo>, BadRow> {
        let origin = self.records.origin.clone();
        match &mut self.films {
            Films::Listed {
                map,
                source,
                slugs,
                missing,
            } => {
                let Some(id) = self.records.owned(self.cols.get(Field::FilmId)) else {
                    return Err(BadRow {
                        origin,
                        line,
                        reason: "no film id; row skipped".into(),
                    });
                };
                if let Some(f) = map.get(&id) {
                    return Ok(f.clone());
                }
                if let Some(f) = missing.get(&id) {
                    return Ok(f.clone());
                }
                let title = if *slugs { title_from_slug(&id) } else { None };
                let info = Arc::new(FilmInfo {
                    source: Some(*source),
                    external_id: Some(id.clone()),
                    title,
                    ..FilmInfo::default()
                });
                self.pending.push_back(Item::Note(format!(
                    "{origin}:{line}: film {id:?} is not in the films file; named {:?}",
                    info.display_title()
                )));
                missing.insert(id, info.clone());
                Ok(info)
            }
            Films::ById { source, cache } => {
                let Some(id) = self.records.owned(self.cols.get(Field::FilmId)) else {
                    return Err(BadRow {
                        origin,
                        line,
                        reason: "no film id; row skipped".into(),
                    });
                };
                Ok(cache
                    .entry(id.clone())
                    .or_insert_with(|| {
                        Arc::new(FilmInfo {
                            source: Some(*source),
                            external_id: Some(id),
                            ..FilmInfo::default()
                        })
                    })
                    .clone())
            }
            Films::PerRow => {
                let Some(title) = self.records.owned(self.cols.get(Field::Title)) else {
                    return Err(BadRow {
                        origin,
                        line,
                        reason: "no film title; row skipped".into(),
                    });
                };
                let year = self
                    .records
                    .field(self.cols.get(Field::Year))
                    .and_then(|y| parse_year(&y));
                Ok(Arc::new(FilmInfo {
                    title: Some(title),
                    year,
                    ..FilmInfo::default()
                }))
            }
        }
    }

    fn row(&mut self, line: u64) -> Result<RawRow, BadRow> {
        let film = self.film(line)?;
        let r = &self.records;
        let c = &self.cols;
        let mut notes = Vec::new();
        let label_field = r.field(c.get(Field::Label));
        let label = match label_field.as_deref().and_then(crate::input::non_empty) {
            None => None,
            Some(l) => {
                match parse_label(l) {
                    Some(v) => Some(v),
                    None => {
                        notes.push(Diagnostic::info(
                        "import.label",
                        format!("the verdict {l:?} is not fresh/rotten or positive/negative; ignored"),
                    ));
                        None
                    }
                }
            }
        };
        let top_critic = r
            .field(c.get(Field::TopCritic))
            .and_then(|t| parse_bool(&t));
        let critic = self
            .style
            .critic
            .clone()
            .or_else(|| r.owned(c.get(Field::Critic)));
        let outlet = self
            .style
            .outlet
            .clone()
            .or_else(|| r.owned(c.get(Field::Outlet)));
        let date = r.field(c.get(Field::Date)).and_then(|d| parse_date(&d));
        let review_id = r
            .owned(c.get(Field::ReviewId))
            .map(|id| format!("{}{id}", self.style.id_prefix));
        let raw_text = r.field(c.get(Field::Text)).unwrap_or_default();
        let (text, quotes) = if self.style.html {
            html_text(&raw_text)
        } else {
            (raw_text.trim().to_string(), Vec::new())
        };
        let (title_seen, year_seen) = if matches!(self.films, Films::PerRow) {
            (film.title.clone(), film.year)
        } else {
            (None, None)
        };
        let rating = r.owned(c.get(Field::Rating));
        let Observed { hint, reading } = match (&rating, self.style.scale) {
            (Some(_), Some(best)) => Observed {
                hint: Some(ScaleHint::out_of(best)),
                reading: None,
            },
            (Some(raw), None) => self
                .hints
                .observe(outlet.as_deref(), critic.as_deref(), raw),
            (None, _) => Observed::default(),
        };
        Ok(RawRow {
            origin: self.records.origin.clone(),
            line,
            format: self.format,
            film,
            review_id,
            title_seen,
            year_seen,
            critic,
            outlet,
            date,
            top_critic,
            label,
            rating,
            hint,
            reading,
            text,
            quotes,
            notes,
        })
    }
}

/// fresh / rotten, positive / negative (and their capitalised forms).
pub(crate) fn parse_label(s: &str) -> Option<Verdict> {
    let s = s.trim();
    let any = |words: &[&str]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
    if any(&["fresh", "positive", "pos", "certified fresh"]) {
        Some(Verdict::Positive)
    } else if any(&["rotten", "negative", "neg"]) {
        Some(Verdict::Negative)
    } else if any(&["mixed", "neutral"]) {
        Some(Verdict::Mixed)
    } else {
        None
    }
}

impl Iterator for ReviewRows {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            let line = match self.records.advance() {
                None => {
                    if self.records.legacy() && !self.legacy_noted {
                        self.legacy_noted = true;
                        return Some(Item::Note(format!(
                            "{}: text that is not UTF-8 was read as windows-1252",
                            self.records.origin
                        )));
                    }
                    return None;
                }
                Some(Err(bad)) => return Some(Item::Bad(bad)),
                Some(Ok(line)) => line,
            };
            // Fields cut as they were read: said in the row's notes and,
            // naming the file and the row, to the user.
            let cuts: Vec<String> = self.records.cuts().collect();
            match self.row(line) {
                Ok(mut row) => {
                    for cut in cuts {
                        self.pending.push_back(Item::Note(format!(
                            "{}:{line}: {cut}",
                            self.records.origin
                        )));
                        row.notes.push(Diagnostic::warning("import.field-cut", cut));
                    }
                    if self.pending.is_empty() {
                        return Some(Item::Row(Box::new(row)));
                    }
                    self.pending.push_back(Item::Row(Box::new(row)));
                }
                Err(bad) => return Some(Item::Bad(bad)),
            }
        }
    }
}

/// The critic's words and the passages they quote, from a review in HTML
/// (Letterboxd): tags dropped, `<br>` and paragraphs as line breaks,
/// `<blockquote>` set apart as quotes, entities decoded.
pub(crate) fn html_text(html: &str) -> (String, Vec<String>) {
    let mut own = String::with_capacity(html.len());
    let mut quotes = Vec::new();
    let mut rest = html;
    let lower = |s: &str| s.to_ascii_lowercase();
    while let Some(start) = lower(rest).find("<blockquote") {
        own.push_str(&rest[..start]);
        let after = &rest[start..];
        let open_end = after.find('>').map_or(after.len(), |i| i + 1);
        let inner = &after[open_end..];
        let close = lower(inner).find("</blockquote>");
        let (quote, next) = match close {
            Some(i) => (&inner[..i], &inner[i + "</blockquote>".len()..]),
            None => (inner, ""),
        };
        let q = strip_tags(quote);
        if !q.trim().is_empty() {
            quotes.push(q.trim().to_string());
        }
        own.push('\n');
        rest = next;
    }
    own.push_str(rest);
    (strip_tags(&own).trim().to_string(), quotes)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '<' {
            let end = s[i..].find('>').map(|j| i + j);
            if let Some(end) = end {
                let tag = s[i + 1..end].trim().to_ascii_lowercase();
                let name = tag
                    .trim_start_matches('/')
                    .split([' ', '/'])
                    .next()
                    .unwrap_or("");
                if matches!(name, "br" | "p" | "div" | "li") {
                    out.push('\n');
                }
                while chars.peek().is_some_and(|(j, _)| *j <= end) {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Films of a films file by their id in the reviews file.
pub(crate) type FilmMap = HashMap<String, Arc<FilmInfo>>;

/// The films of a Kaggle `rotten_tomatoes_movies.csv`, by link, and what
/// went wrong reading it.
pub(crate) fn kaggle_movies(
    path: &Path,
    progress: &Progress,
) -> std::io::Result<(FilmMap, Vec<Item>)> {
    let mut records = Records::open(path, progress)?;
    let h = records.header.clone();
    let link = h.find(&["rotten_tomatoes_link"]);
    let title = h.find(&["movie_title"]);
    let released = h.find(&["original_release_date"]);
    let streaming = h.find(&["streaming_release_date"]);
    let rating = h.find(&["tomatometer_rating"]);
    let count = h.find(&["tomatometer_count"]);
    let mut map = HashMap::new();
    let mut items = Vec::new();
    while let Some(next) = records.advance() {
        let line = match next {
            Ok(line) => line,
            Err(bad) => {
                items.push(Item::Bad(bad));
                continue;
            }
        };
        let Some(id) = records.owned(link) else {
            items.push(Item::Bad(BadRow {
                origin: records.origin.clone(),
                line,
                reason: "no rotten_tomatoes_link; film skipped".into(),
            }));
            continue;
        };
        let year = records
            .field(released)
            .and_then(|d| parse_year(&d))
            .or_else(|| records.field(streaming).and_then(|d| parse_year(&d)));
        let title = records.owned(title);
        let info = FilmInfo {
            source: Some("rt"),
            external_id: Some(id.clone()),
            aliases: title.as_deref().map(alternative_titles).unwrap_or_default(),
            title,
            year,
            published_percent: records.field(rating).and_then(|s| percent(&s)),
            published_count: records
                .field(count)
                .and_then(|s| s.trim().parse::<f64>().ok())
                .map(|x| x as i64),
        };
        map.insert(id, Arc::new(info));
    }
    Ok((map, items))
}

/// Other titles a films file writes in trailing parentheses: "Charly (A
/// Heartbeat Away)" is also "Charly" and "A Heartbeat Away"; "Seven (a.k.a.
/// Se7en)" is also "Seven" and "Se7en". A year in parentheses is no title.
pub fn alternative_titles(title: &str) -> Vec<String> {
    let t = title.trim();
    let Some(inner) = t.strip_suffix(')') else {
        return Vec::new();
    };
    let Some(open) = inner.rfind(" (") else {
        return Vec::new();
    };
    let (base, alt) = (inner[..open].trim(), inner[open + 2..].trim());
    let alt = alt
        .strip_prefix("a.k.a. ")
        .or_else(|| alt.strip_prefix("aka "))
        .unwrap_or(alt)
        .trim();
    if base.is_empty() || alt.is_empty() || parse_year(alt).is_some() {
        return Vec::new();
    }
    vec![base.to_string(), alt.to_string()]
}

/// "94%", "94", "94.0" → 94.
fn percent(s: &str) -> Option<f64> {
    let v: f64 = s.trim().trim_end_matches('%').trim().parse().ok()?;
    (v.is_finite() && (0.0..=100.0).contains(&v)).then_some(v)
}

/// The films of a newer Rotten Tomatoes `movies.csv`, by movieId.
pub(crate) fn rt_movies(path: &Path, progress: &Progress) -> std::io::Result<(FilmMap, Vec<Item>)> {
    let mut records = Records::open(path, progress)?;
    let h = records.header.clone();
    let id_col = h.find(&["movieId"]);
    let title = h.find(&["movieTitle"]);
    let year = h.find(&["movieYear"]);
    let url = h.find(&["movieURL"]);
    let score = h.find(&["critic_score", "tomatometer"]);
    let mut map = HashMap::new();
    let mut items = Vec::new();
    while let Some(next) = records.advance() {
        let line = match next {
            Ok(line) => line,
            Err(bad) => {
                items.push(Item::Bad(bad));
                continue;
            }
        };
        let Some(id) = records.owned(id_col) else {
            items.push(Item::Bad(BadRow {
                origin: records.origin.clone(),
                line,
                reason: "no movieId; film skipped".into(),
            }));
            continue;
        };
        // The film's Rotten Tomatoes URL slug ("m/offside") is the id the
        // Kaggle files use too; the movieId only when there is no URL.
        let slug = records.owned(url).and_then(|u| {
            u.find("/m/")
                .map(|i| u[i + 1..].trim_end_matches('/').to_string())
        });
        let (source, external_id) = match slug {
            Some(s) => ("rt", s),
            None => ("rt-movie-id", id.clone()),
        };
        let title = records.owned(title);
        let info = FilmInfo {
            source: Some(source),
            external_id: Some(external_id),
            aliases: title.as_deref().map(alternative_titles).unwrap_or_default(),
            title,
            year: records.field(year).and_then(|y| parse_year(&y)),
            published_percent: records.field(score).and_then(|s| percent(&s)),
            published_count: None,
        };
        map.insert(id, Arc::new(info));
    }
    Ok((map, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_become_titles_when_they_have_words() {
        assert_eq!(
            title_from_slug("m/10004288-running_scared").as_deref(),
            Some("Running Scared")
        );
        assert_eq!(title_from_slug("m/0814255"), None);
        assert_eq!(title_from_slug("m/the_cup").as_deref(), Some("The Cup"));
    }

    #[test]
    fn html_reviews_keep_quotes_apart() {
        let (text, quotes) = html_text(
            "I <i>loved</i> it.<br /><blockquote>“A dull film,” said nobody.</blockquote>Go &amp; see it.",
        );
        assert_eq!(text, "I loved it.\n\nGo & see it.");
        assert_eq!(quotes, vec!["“A dull film,” said nobody."]);
        assert_eq!(html_text("plain").0, "plain");
        assert_eq!(decode_entities("a &#233; b &unknown c"), "a é b &unknown c");
    }

    #[test]
    fn trailing_parentheses_are_other_titles() {
        assert_eq!(
            alternative_titles("12 Angry Men (Twelve Angry Men)"),
            vec!["12 Angry Men", "Twelve Angry Men"]
        );
        assert_eq!(
            alternative_titles("Seven (a.k.a. Se7en)"),
            vec!["Seven", "Se7en"]
        );
        assert!(alternative_titles("Solaris (2002)").is_empty());
        assert!(alternative_titles("(500) Days of Summer").is_empty());
        assert!(alternative_titles("Offside").is_empty());
    }

    #[test]
    fn labels_and_percents() {
        assert_eq!(parse_label("Fresh"), Some(Verdict::Positive));
        assert_eq!(parse_label("rotten"), Some(Verdict::Negative));
        assert_eq!(parse_label("meh"), None);
        assert_eq!(parse_label(" CERTIFIED Fresh "), Some(Verdict::Positive));
        assert_eq!(parse_label("Neutral"), Some(Verdict::Mixed));
        assert_eq!(parse_label("fresher"), None);
        assert_eq!(percent("94%"), Some(94.0));
        assert_eq!(percent("101"), None);
        assert_eq!(percent(""), None);
    }
}
