//! The JSON contract as the pages read it: typed views of what
//! [`crate::Domain`] returns. Fields the pages do not use are ignored and
//! optional ones default, so the contract may grow without breaking pages.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct FilmDoc {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AggregateDoc {
    pub reviews: usize,
    pub positive: usize,
    pub mixed: usize,
    pub negative: usize,
    pub inferred: usize,
    pub positive_percent: Option<f64>,
    pub positive_interval: Option<[f64; 2]>,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub label: Option<String>,
    pub certified: bool,
    pub shrunk_score: Option<f64>,
    pub shrunk_interval: Option<[f64; 2]>,
    pub histogram: Vec<usize>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FilmSummaryDoc {
    pub film: FilmDoc,
    #[serde(default)]
    pub aggregate: AggregateDoc,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FilmPageDoc {
    pub film: FilmDoc,
    #[serde(default)]
    pub aggregate: AggregateDoc,
    #[serde(default)]
    pub reviews: Vec<ReviewDoc>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RatingDoc {
    pub raw: String,
    #[serde(default)]
    pub value: f64,
    #[serde(default)]
    pub best: f64,
    #[serde(default)]
    pub scale: String,
    #[serde(default)]
    pub score: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AspectDoc {
    pub name: String,
    pub raw: String,
    #[serde(default)]
    pub score: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DiagnosticDoc {
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReviewDoc {
    pub id: i64,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub title_seen: Option<String>,
    #[serde(default)]
    pub critic: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    pub score: f64,
    #[serde(default)]
    pub inferred: bool,
    #[serde(default)]
    pub verdict: String,
    #[serde(default)]
    pub confidence: f64,
    #[serde(default)]
    pub rating: Option<RatingDoc>,
    #[serde(default)]
    pub aspects: Vec<AspectDoc>,
    #[serde(default)]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub diagnostics: Vec<DiagnosticDoc>,
    #[serde(default)]
    pub top_critic: Option<bool>,
}
