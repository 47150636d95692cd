//! Choosing a film from what a user typed: one set of rules for `verdict
//! show`, `verdict catalog match`, `verdict remove --film` and the web's
//! search.
//!
//! A [`FilmQuery`] is read from one argument (and an optional `--year`):
//! - `#12`: the film with that id;
//! - `Next Goal Wins (2023)`: a title and its year;
//! - `red-rooms-2023`: a film's slug, as its web address gives it
//!   ([`crate::slug`]);
//! - any other text: a title or alternative title (case, accents and a
//!   leading article folded), with the year `--year` gives, if any.
//!
//! Titles are looked up by their key first; failing that, a slug; failing
//! that, films whose title or an alias contains the query. A year keeps
//! the films of that year, else those a year apart (the resolver's rule:
//! years one apart are the same film). When several films fit,
//! [`choose_film`] names each with the argument that chooses it alone.

use std::fmt;

use verdict_core::Film;
use verdict_core::title::title_key;
use verdict_store::{Store, StoreError};

use crate::slug;

/// How far apart a film's year and the year asked for may be, when no
/// film has the year itself (the resolver's tolerance).
const YEAR_TOLERANCE: u32 = 1;

/// A film as a user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilmQuery {
    /// `#12`: the film with this id.
    Id(i64),
    /// A title, an alternative title or a slug, with the year "(2023)" or
    /// `--year` gave.
    Title { title: String, year: Option<i32> },
}

/// Why a film cannot be chosen.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    /// The argument cannot be read as a film (empty, or two different
    /// years).
    #[error("{0}")]
    Invalid(String),
    /// No stored film fits.
    #[error("no film matches")]
    NotFound,
    /// Several films fit: each with the argument that chooses it alone.
    #[error("matches {} films", .0.len())]
    Ambiguous(Vec<Candidate>),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One of several films a query fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub film: Film,
    /// How many reviews it has.
    pub reviews: u64,
    /// The argument that names this film and no other: "Title (Year)"
    /// when that is enough, else `#ID`.
    pub argument: String,
}

impl FilmQuery {
    /// Reads a query from an argument and an optional year given apart
    /// (`--year`).
    pub fn parse(input: &str, year: Option<i32>) -> Result<FilmQuery, FindError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FindError::Invalid("no title given".into()));
        }
        if let Some(digits) = input.strip_prefix('#')
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let id = digits
                .parse()
                .map_err(|_| FindError::Invalid(format!("{digits} is not a film id")))?;
            if let Some(y) = year {
                return Err(FindError::Invalid(format!(
                    "#{id} names one film by its id: --year {y} cannot be given with it"
                )));
            }
            return Ok(FilmQuery::Id(id));
        }
        let (title, own_year) = split_year(input);
        let year = match (own_year, year) {
            (Some(a), Some(b)) if a != b => {
                return Err(FindError::Invalid(format!(
                    "the title gives the year {a} and --year {b}"
                )));
            }
            (a, b) => a.or(b),
        };
        Ok(FilmQuery::Title {
            title: title.to_string(),
            year,
        })
    }

    /// The query for a film's own title and year.
    pub fn of_film(film: &Film) -> FilmQuery {
        FilmQuery::Title {
            title: film.title.clone(),
            year: film.year,
        }
    }
}

impl fmt::Display for FilmQuery {
    /// The query as an argument reads it back: `#12`, `Title (2023)`,
    /// `Title`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilmQuery::Id(id) => write!(f, "#{id}"),
            FilmQuery::Title {
                title,
                year: Some(y),
            } => write!(f, "{title} ({y})"),
            FilmQuery::Title { title, year: None } => f.write_str(title),
        }
    }
}

/// "Title (2023)" → ("Title", Some(2023)); anything else as it is.
fn split_year(input: &str) -> (&str, Option<i32>) {
    let Some((head, digits)) = input
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
    else {
        return (input, None);
    };
    let title = head.trim_end();
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) && !title.is_empty() {
        (title, digits.parse().ok())
    } else {
        (input, None)
    }
}

/// Whether a text has the shape of a slug: lower-case ASCII letters,
/// digits and hyphens.
fn slug_shaped(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The films of `year` among `films`, else those a year apart; every film
/// without a year given.
fn in_year(films: Vec<Film>, year: Option<i32>) -> Vec<Film> {
    let Some(year) = year else {
        return films;
    };
    let exact: Vec<Film> = films
        .iter()
        .filter(|f| f.year == Some(year))
        .cloned()
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    films
        .into_iter()
        .filter(|f| f.year.is_some_and(|y| y.abs_diff(year) <= YEAR_TOLERANCE))
        .collect()
}

/// The film whose slug is `s`, if any (slugs are unique).
pub fn film_by_slug(store: &dyn Store, s: &str) -> Result<Option<Film>, StoreError> {
    if !slug_shaped(s) {
        return Ok(None);
    }
    let films = store.films()?;
    let slugs = slug::film_slugs(films.iter().map(|f| (f.id, f.title.as_str(), f.year)));
    Ok(films
        .into_iter()
        .find(|f| slugs.get(&f.id).is_some_and(|x| x == s)))
}

/// Every film a query fits: by title or alias key first (in id order); failing
/// that, a slug; failing that, films whose title or an alias contains the
/// title (in title order); each kept to the year asked for.
pub fn films_matching(store: &dyn Store, query: &FilmQuery) -> Result<Vec<Film>, StoreError> {
    let (title, year) = match query {
        FilmQuery::Id(id) => return Ok(store.film(*id)?.into_iter().collect()),
        FilmQuery::Title { title, year } => (title, *year),
    };
    let key = title_key(title);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let exact: Vec<Film> = store
        .films_by_keys(std::slice::from_ref(&key))?
        .into_iter()
        .map(|r| r.film)
        .collect();
    let exact = in_year(exact, year);
    if !exact.is_empty() {
        return Ok(exact);
    }
    if let Some(film) = film_by_slug(store, title)? {
        let found = in_year(vec![film], year);
        if !found.is_empty() {
            return Ok(found);
        }
    }
    let found: Vec<Film> = store
        .films()?
        .into_iter()
        .filter(|f| {
            std::iter::once(&f.title)
                .chain(&f.aliases)
                .any(|t| title_key(t).contains(&key))
        })
        .collect();
    Ok(in_year(found, year))
}

/// Films a user's search names (the web's search box, `verdict show`):
/// every film [`films_matching`] the query; text that is no query (an
/// empty one) finds nothing.
pub fn find_films(store: &dyn Store, query: &str) -> Result<Vec<Film>, StoreError> {
    match FilmQuery::parse(query, None) {
        Ok(q) => films_matching(store, &q),
        Err(FindError::Store(e)) => Err(e),
        Err(_) => Ok(Vec::new()),
    }
}

/// The one film a query names; when several fit, each with the argument
/// that chooses it alone ([`FindError::Ambiguous`]).
pub fn choose_film(store: &dyn Store, query: &FilmQuery) -> Result<Film, FindError> {
    let mut films = films_matching(store, query)?;
    match films.len() {
        0 => Err(FindError::NotFound),
        1 => Ok(films.remove(0)),
        _ => {
            films.sort_by_key(|f| (f.year, f.id));
            let mut candidates = Vec::with_capacity(films.len());
            for film in films {
                candidates.push(Candidate {
                    reviews: store.review_count(film.id)?,
                    argument: argument_for(store, &film)?,
                    film,
                });
            }
            Err(FindError::Ambiguous(candidates))
        }
    }
}

/// The argument that names `film` and no other: its title and year when
/// they are enough (read back as a query, they choose it alone), else its
/// id.
pub fn argument_for(store: &dyn Store, film: &Film) -> Result<String, StoreError> {
    let plain = FilmQuery::of_film(film).to_string();
    // Read back exactly as a user's argument would be.
    if let Ok(q) = FilmQuery::parse(&plain, None)
        && let [only] = films_matching(store, &q)?.as_slice()
        && only.id == film.id
    {
        return Ok(plain);
    }
    Ok(FilmQuery::Id(film.id).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(t: &str, y: Option<i32>) -> FilmQuery {
        FilmQuery::Title {
            title: t.into(),
            year: y,
        }
    }

    #[test]
    fn arguments_are_read_as_ids_titles_and_years() {
        assert_eq!(FilmQuery::parse("#12", None).unwrap(), FilmQuery::Id(12));
        assert_eq!(
            FilmQuery::parse(" Next Goal Wins (2023) ", None).unwrap(),
            title("Next Goal Wins", Some(2023))
        );
        assert_eq!(
            FilmQuery::parse("Next Goal Wins(2014)", Some(2014)).unwrap(),
            title("Next Goal Wins", Some(2014))
        );
        assert_eq!(
            FilmQuery::parse("Next Goal Wins", Some(2014)).unwrap(),
            title("Next Goal Wins", Some(2014))
        );
        // Not a year: the parentheses are the title's.
        for t in [
            "Red Rooms (Les chambres rouges)",
            "Charly (A Heartbeat Away)",
            "(2023)",
            "Film (20234)",
            "Film (202)",
            "#Alive",
            "#",
        ] {
            assert_eq!(FilmQuery::parse(t, None).unwrap(), title(t, None), "{t}");
        }
        assert_eq!(
            FilmQuery::parse("red-rooms-2023", None).unwrap(),
            title("red-rooms-2023", None)
        );
        assert!(matches!(
            FilmQuery::parse("Next Goal Wins (2023)", Some(2014)),
            Err(FindError::Invalid(_))
        ));
        assert!(matches!(
            FilmQuery::parse("#3", Some(2014)),
            Err(FindError::Invalid(_))
        ));
        assert!(matches!(
            FilmQuery::parse("  ", None),
            Err(FindError::Invalid(_))
        ));
        assert!(matches!(
            FilmQuery::parse("#99999999999999999999", None),
            Err(FindError::Invalid(_))
        ));
    }

    #[test]
    fn a_query_reads_back_as_itself() {
        for q in [
            FilmQuery::Id(7),
            title("Next Goal Wins", Some(2023)),
            title("Heat", None),
        ] {
            assert_eq!(FilmQuery::parse(&q.to_string(), None).unwrap(), q);
        }
    }

    #[test]
    fn years_keep_the_films_of_the_year_else_a_year_apart() {
        let film = |id, year| Film {
            id,
            title: "X".into(),
            year,
            aliases: vec![],
        };
        let films = vec![film(1, Some(2014)), film(2, Some(2023)), film(3, None)];
        let ids = |v: Vec<Film>| v.iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(ids(in_year(films.clone(), Some(2023))), [2]);
        assert_eq!(ids(in_year(films.clone(), Some(2015))), [1]);
        assert_eq!(ids(in_year(films.clone(), Some(2019))), Vec::<i64>::new());
        assert_eq!(ids(in_year(films, None)), [1, 2, 3]);
    }
}
