//! The plain types of runs (each `ingest`, `import`, `sync` or server
//! write that stores reviews is one, and every review it stores carries
//! its id) and of removals (undoing a review, a run or a film). The
//! [`crate::Store`] methods that take them are documented on the trait.

/// A run as stored: one command that wrote reviews.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub id: i64,
    /// "ingest", "import", "sync", "serve".
    pub command: String,
    /// What it was given (its command line, or the request).
    pub args: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// `None` while it runs, or when it never finished.
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// These reviews (by id).
    Reviews(Vec<i64>),
    /// Every review a run stored.
    Run(i64),
    /// A film and every review of it.
    Film(i64),
    /// Addresses of reviews, as (review id, address): a copy's address
    /// takes only the copy; a review's own address takes the review when
    /// none of its addresses stays, else the oldest copy left becomes the
    /// review's own address. Naming every address of a review removes it.
    Sources(Vec<(i64, String)>),
}

/// What a removal took away (or would take: [`crate::Store::removal`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Removed {
    /// The reviews, by id, in id order.
    pub reviews: Vec<i64>,
    /// Every film they belonged to, in id order.
    pub films: Vec<FilmRemoval>,
    /// Addresses taken from reviews that stay (each has another address
    /// left), as (review id, address), in that order. A run's removal
    /// takes the copies it stored this way.
    pub detached: Vec<(i64, String)>,
}

/// What a removal does to one film.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmRemoval {
    pub film_id: i64,
    pub title: String,
    pub year: Option<i32>,
    /// Its reviews that go.
    pub reviews: u64,
    /// Its reviews that stay; with none left, the film goes too (its
    /// aliases, external ids and catalogue decision with it).
    pub left: u64,
}

impl FilmRemoval {
    /// Whether the film itself goes.
    pub fn film_removed(&self) -> bool {
        self.left == 0
    }
}
