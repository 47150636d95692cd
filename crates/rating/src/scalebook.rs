//! What the data knows about each outlet's and critic's scale.
//!
//! A bare number ("8") or a run of stars with no written best ("★★★") has
//! no scale of its own. [`ScaleBook`] learns it from the other ratings the
//! same critic or outlet writes, with no labels: an outlet that writes
//! "3/5" and "4/5" means 3/5 by "3"; a critic whose bare numbers go up to
//! 9 writes on ten. [`Calibration`] is separate and optional: it learns,
//! from labelled reviews, where each critic's fresh/rotten line sits on
//! the 0–100 score (Roger Ebert's 2.5/4 is rotten, David Nusair's fresh).
//! It never changes a score; it is a verdict threshold, and the ratings
//! report (`verdict-lab ratings-report`) measures it on held-out films.
//!
//! # How a hint is learned
//!
//! For each critic at an outlet, each critic and each outlet, the book
//! counts the written bests of its explicit ratings (`x/5`, `7 out of
//! 10`, `★★★☆☆`, with a worst of 0), the signed ranges it writes
//! (`+1 out of -4..+4`) and the largest and smallest bare number. The
//! hint of one of them is, in this order:
//!
//! 1. a signed range it writes, when its bare numbers all fit in it;
//! 2. else the best it writes most often among those at least as large as
//!    its largest bare number (ties: the smaller best);
//! 3. else, from two or more bare numbers alone: the largest above 5 and
//!    at most 10 → out of 10; above 10 and at most 100 → out of 100
//!    (at most 5 says nothing: it may be out of 4, 5 or 10).
//!
//! A reading asks the critic at the outlet first, then the critic, then
//! the outlet, and takes the first hint found. A number read with a hint
//! has confidence Medium; without one it keeps the plain guess and
//! confidence Low.

use std::collections::HashMap;

use serde::Serialize;

use crate::parse::Kind;
use crate::{Reading, ScaleHint, read_detail};
use verdict_core::Rating;

/// Whose scale a hint came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The critic writing for that outlet.
    CriticAtOutlet,
    /// The critic, at any outlet.
    Critic,
    /// The outlet, any critic.
    Outlet,
}

/// A hint and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Learned {
    pub hint: ScaleHint,
    pub source: Source,
    /// A sentence: "writes x/5 in 12 ratings; bare numbers up to 4".
    pub why: String,
}

/// Whose statistics: names by their id in [`ScaleBook::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    CriticAtOutlet(u32, u32),
    Critic(u32),
    Outlet(u32),
}

/// What one critic, outlet or pair wrote.
#[derive(Debug, Clone, Default)]
struct Stats {
    /// Written bests of explicit ratings on scales from 0, in thousandths.
    bests: HashMap<i64, u32>,
    /// Signed ranges written, (worst, best) in thousandths.
    ranges: HashMap<(i64, i64), u32>,
    bare_n: u32,
    bare_max: f64,
    bare_min: f64,
}

fn milli(x: f64) -> i64 {
    (x * 1000.0).round() as i64
}

fn unmilli(x: i64) -> f64 {
    x as f64 / 1000.0
}

impl Stats {
    fn learn(&self) -> Option<(ScaleHint, String)> {
        let bare = self.bare_n > 0;
        let fmt = crate::parse::fmt_num;
        // 1. a signed range that holds every bare number
        if let Some((&(lo, hi), &n)) = self
            .ranges
            .iter()
            .filter(|((lo, hi), _)| {
                !bare || (unmilli(*lo) <= self.bare_min && self.bare_max <= unmilli(*hi))
            })
            .max_by_key(|((lo, hi), n)| (**n, -lo, -hi))
        {
            let (lo, hi) = (unmilli(lo), unmilli(hi));
            return Some((
                ScaleHint::range(lo, hi),
                format!("writes {}..{} in {n} rating(s)", fmt(lo), fmt(hi)),
            ));
        }
        // 2. the best written most often that holds the bare numbers
        if let Some((&best, &n)) = self
            .bests
            .iter()
            .filter(|(b, _)| !bare || unmilli(**b) >= self.bare_max)
            .max_by_key(|(b, n)| (**n, -**b))
        {
            let best = unmilli(best);
            let total: u32 = self.bests.values().sum();
            let mut why = format!(
                "writes x/{} in {n} of {total} explicit rating(s)",
                fmt(best)
            );
            if bare {
                why.push_str(&format!("; bare numbers up to {}", fmt(self.bare_max)));
            }
            return Some((ScaleHint::out_of(best), why));
        }
        // 3. bare numbers alone
        if self.bare_n >= 2 && self.bare_min >= 0.0 {
            let best = if self.bare_max > 5.0 && self.bare_max <= 10.0 {
                10.0
            } else if self.bare_max > 10.0 && self.bare_max <= 100.0 {
                100.0
            } else {
                return None;
            };
            return Some((
                ScaleHint::out_of(best),
                format!(
                    "{} bare numbers, the largest {}",
                    self.bare_n,
                    fmt(self.bare_max)
                ),
            ));
        }
        None
    }
}

/// The scales outlets and critics write on, learned from their ratings.
#[derive(Debug, Clone, Default)]
pub struct ScaleBook {
    /// Every name seen (critics' and outlets' alike), folded by
    /// [`name_key`], with its id: keys are pairs of numbers, so a row's
    /// lookups allocate nothing.
    names: HashMap<String, u32>,
    stats: HashMap<Key, Stats>,
    learned: HashMap<Key, Option<(ScaleHint, String)>>,
    /// Reused for folding names.
    folded: String,
}

/// A name as a key: trimmed, spaces collapsed, case folded, `&amp;` as
/// `&`. Empty names are none.
fn name_key(name: Option<&str>) -> Option<String> {
    let name = name?;
    // Most names need no entity replaced and no white space collapsed:
    // only lowercased (the same key, one allocation instead of four).
    let plain = !name.contains("&amp;")
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && !name.contains("  ")
        && !name.chars().any(|c| c.is_whitespace() && c != ' ');
    if plain {
        return (!name.is_empty()).then(|| name.to_lowercase());
    }
    let n = name.replace("&amp;", "&");
    let k = n.split_whitespace().collect::<Vec<_>>().join(" ");
    (!k.is_empty()).then(|| k.to_lowercase())
}

/// [`name_key`] into `out` (false for none), without allocating for the
/// usual name (ASCII, single spaces, no entity).
fn fold_into(name: Option<&str>, out: &mut String) -> bool {
    out.clear();
    let Some(name) = name else { return false };
    let plain = name.is_ascii()
        && !name.contains("&amp;")
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && !name.contains("  ")
        && !name.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if plain {
        out.extend(name.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else if let Some(k) = name_key(Some(name)) {
        out.push_str(&k);
    }
    !out.is_empty()
}

/// The keys of (outlet, critic) ids, most specific first.
fn keys(outlet: Option<u32>, critic: Option<u32>) -> impl Iterator<Item = (Key, Source)> {
    let pair = match (outlet, critic) {
        (Some(o), Some(c)) => Some((Key::CriticAtOutlet(c, o), Source::CriticAtOutlet)),
        _ => None,
    };
    pair.into_iter()
        .chain(critic.map(|c| (Key::Critic(c), Source::Critic)))
        .chain(outlet.map(|o| (Key::Outlet(o), Source::Outlet)))
}

impl ScaleBook {
    pub fn new() -> Self {
        Self::default()
    }

    /// Learns from (outlet, critic, raw rating) rows.
    pub fn learn<'a, I>(rows: I) -> Self
    where
        I: IntoIterator<Item = (Option<&'a str>, Option<&'a str>, &'a str)>,
    {
        let mut book = ScaleBook::new();
        for (outlet, critic, raw) in rows {
            let _ = book.observe(outlet, critic, raw);
        }
        book.finish();
        book
    }

    /// Notes one rating an outlet's critic wrote, and gives its reading
    /// with no hint (what [`crate::read`] gives: the book learns from it).
    /// Call [`ScaleBook::finish`] after the last one (or
    /// [`ScaleBook::learn`] does both).
    pub fn observe(&mut self, outlet: Option<&str>, critic: Option<&str>, raw: &str) -> Reading {
        let (reading, detail) = read_detail(raw, &ScaleHint::default());
        if let (Reading::Rated(r), Some(kind)) = (&reading, detail.kind) {
            self.learn_from(outlet, critic, r, kind, detail.explicit_best);
        }
        reading
    }

    fn learn_from(
        &mut self,
        outlet: Option<&str>,
        critic: Option<&str>,
        r: &Rating,
        kind: Kind,
        explicit_best: bool,
    ) {
        let (outlet, critic) = (self.intern(outlet), self.intern(critic));
        for (key, _) in keys(outlet, critic) {
            let st = self.stats.entry(key).or_default();
            match kind {
                Kind::Bare => {
                    if st.bare_n == 0 {
                        st.bare_max = r.value;
                        st.bare_min = r.value;
                    } else {
                        st.bare_max = st.bare_max.max(r.value);
                        st.bare_min = st.bare_min.min(r.value);
                    }
                    st.bare_n += 1;
                }
                Kind::Range => {
                    *st.ranges
                        .entry((milli(r.worst), milli(r.best)))
                        .or_default() += 1;
                }
                Kind::Fraction
                | Kind::OutOf { .. }
                | Kind::GlyphStars { .. }
                | Kind::AsciiStars { .. }
                | Kind::WordStars
                    if explicit_best && r.worst == 0.0 =>
                {
                    *st.bests.entry(milli(r.best)).or_default() += 1;
                }
                _ => {}
            }
        }
        self.learned.clear();
    }

    /// Settles the hints after the last [`ScaleBook::observe`].
    pub fn finish(&mut self) {
        self.learned = self.stats.iter().map(|(k, st)| (*k, st.learn())).collect();
    }

    /// The scale the critic at the outlet writes bare numbers and stars on,
    /// when the book knows it.
    pub fn hint(&self, outlet: Option<&str>, critic: Option<&str>) -> Option<Learned> {
        let id = |name: Option<&str>| {
            let mut folded = String::new();
            fold_into(name, &mut folded)
                .then(|| self.names.get(&folded).copied())
                .flatten()
        };
        for (key, source) in keys(id(outlet), id(critic)) {
            let learned = match self.learned.get(&key) {
                Some(l) => l.clone(),
                None => self.stats.get(&key).and_then(Stats::learn),
            };
            if let Some((hint, why)) = learned {
                return Some(Learned { hint, source, why });
            }
        }
        None
    }

    /// Reads `raw` knowing who wrote it: [`crate::read_with`] with the
    /// learned hint, or [`crate::read`] when none is known.
    pub fn read(&self, outlet: Option<&str>, critic: Option<&str>, raw: &str) -> Reading {
        match self.hint(outlet, critic) {
            Some(l) => crate::read_with(raw, &l.hint),
            None => crate::read(raw),
        }
    }

    /// The id of a name, given one when it is new; `None` for no name.
    fn intern(&mut self, name: Option<&str>) -> Option<u32> {
        let mut folded = std::mem::take(&mut self.folded);
        let id = fold_into(name, &mut folded).then(|| match self.names.get(&folded) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.names.len()).expect("fewer than 2^32 names");
                self.names.insert(folded.clone(), id);
                id
            }
        });
        self.folded = folded;
        id
    }

    /// How many critics, outlets and pairs the book has seen.
    pub fn len(&self) -> usize {
        self.stats.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stats.is_empty()
    }
}

// ---------------------------------------------------------------------------
// Verdict thresholds

/// One labelled reading for [`Calibration::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled<'a> {
    pub outlet: Option<&'a str>,
    pub critic: Option<&'a str>,
    /// The reading's scale ("x/4", "letter").
    pub scale: &'a str,
    /// The 0–100 score.
    pub score: f64,
    /// The critic's own call (Rotten Tomatoes' fresh).
    pub fresh: bool,
}

/// Where a threshold came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// [`verdict_core::Verdict::POSITIVE_FROM`] (60).
    Default,
    /// Learned over every critic writing on the scale.
    Scale,
    /// Learned for the outlet on the scale.
    Outlet,
    /// Learned for the critic on the scale.
    Critic,
}

/// A fresh/rotten line on the 0–100 score: fresh when `score >= at`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Threshold {
    pub at: f64,
    pub level: Level,
}

/// How cautiously [`Calibration::fit`] moves a line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CalibrationParams {
    /// Fewest labelled readings a group needs to get its own line.
    pub min_rows: usize,
    /// How many more readings the moved line must get right than the
    /// parent line, on the group's own readings.
    pub min_gain: usize,
    /// No line is moved outside this band of the 0–100 score.
    pub band: (f64, f64),
}

impl Default for CalibrationParams {
    fn default() -> Self {
        CalibrationParams {
            min_rows: 5,
            min_gain: 2,
            band: (35.0, 85.0),
        }
    }
}

/// Per-scale, per-outlet and per-critic fresh/rotten lines learned from
/// labelled readings. Each group's line starts from its parent's
/// (default 60 → scale → outlet on that scale → critic on that scale) and
/// moves only when that gets at least `min_gain` more of the group's own
/// readings right; candidate lines are the midpoints between the group's
/// distinct scores.
#[derive(Debug, Clone, Default)]
pub struct Calibration {
    params: Option<CalibrationParams>,
    scale: HashMap<String, f64>,
    outlet: HashMap<(String, String), f64>,
    critic: HashMap<(String, String), f64>,
}

type Group = Vec<(f64, bool)>;

impl Calibration {
    /// Fits lines with [`CalibrationParams::default`].
    pub fn fit(rows: &[Labelled<'_>]) -> Self {
        Self::fit_with(rows, CalibrationParams::default())
    }

    pub fn fit_with(rows: &[Labelled<'_>], params: CalibrationParams) -> Self {
        let mut by_scale: HashMap<String, Group> = HashMap::new();
        let mut by_outlet: HashMap<(String, String), Group> = HashMap::new();
        let mut by_critic: HashMap<(String, String), Group> = HashMap::new();
        for r in rows {
            if !r.score.is_finite() {
                continue;
            }
            let p = (r.score, r.fresh);
            by_scale.entry(r.scale.to_string()).or_default().push(p);
            if let Some(o) = name_key(r.outlet) {
                by_outlet
                    .entry((o, r.scale.to_string()))
                    .or_default()
                    .push(p);
            }
            if let Some(c) = name_key(r.critic) {
                by_critic
                    .entry((c, r.scale.to_string()))
                    .or_default()
                    .push(p);
            }
        }
        let default = verdict_core::Verdict::POSITIVE_FROM;
        let scale: HashMap<String, f64> = by_scale
            .iter()
            .filter_map(|(k, g)| fit_group(g, default, &params).map(|t| (k.clone(), t)))
            .collect();
        let mut cal = Calibration {
            params: Some(params),
            scale,
            outlet: HashMap::new(),
            critic: HashMap::new(),
        };
        // An outlet's line starts from its scale's. A critic's starts from
        // the line of the outlet they write for most on that scale.
        let mut outlet = HashMap::new();
        for ((o, s), g) in &by_outlet {
            let parent = cal.scale.get(s).copied().unwrap_or(default);
            if let Some(t) = fit_group(g, parent, &params) {
                outlet.insert((o.clone(), s.clone()), t);
            }
        }
        cal.outlet = outlet;
        let mut main_outlet: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
        for r in rows {
            if let (Some(c), Some(o)) = (name_key(r.critic), name_key(r.outlet)) {
                *main_outlet
                    .entry((c, r.scale.to_string()))
                    .or_default()
                    .entry(o)
                    .or_default() += 1;
            }
        }
        let mut critic = HashMap::new();
        for ((c, s), g) in &by_critic {
            let o = main_outlet
                .get(&(c.clone(), s.clone()))
                .and_then(|m| m.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))))
                .map(|(o, _)| o.clone());
            let parent = cal.line(o.as_deref(), None, s).at;
            if let Some(t) = fit_group(g, parent, &params) {
                critic.insert((c.clone(), s.clone()), t);
            }
        }
        cal.critic = critic;
        cal
    }

    /// The line for a reading on `scale` by the critic at the outlet.
    pub fn threshold(&self, outlet: Option<&str>, critic: Option<&str>, scale: &str) -> Threshold {
        self.line(
            name_key(outlet).as_deref(),
            name_key(critic).as_deref(),
            scale,
        )
    }

    /// Whether the reading counts as fresh under the learned lines.
    pub fn is_fresh(
        &self,
        outlet: Option<&str>,
        critic: Option<&str>,
        scale: &str,
        score: f64,
    ) -> bool {
        score >= self.threshold(outlet, critic, scale).at
    }

    /// Keys already folded by `name_key`.
    fn line(&self, outlet: Option<&str>, critic: Option<&str>, scale: &str) -> Threshold {
        let s = scale.to_string();
        if let Some(c) = critic
            && let Some(t) = self.critic.get(&(c.to_string(), s.clone()))
        {
            return Threshold {
                at: *t,
                level: Level::Critic,
            };
        }
        if let Some(o) = outlet
            && let Some(t) = self.outlet.get(&(o.to_string(), s.clone()))
        {
            return Threshold {
                at: *t,
                level: Level::Outlet,
            };
        }
        if let Some(t) = self.scale.get(&s) {
            return Threshold {
                at: *t,
                level: Level::Scale,
            };
        }
        Threshold {
            at: verdict_core::Verdict::POSITIVE_FROM,
            level: Level::Default,
        }
    }

    /// How many lines were moved from their parent's, per level.
    pub fn moved(&self) -> (usize, usize, usize) {
        (self.scale.len(), self.outlet.len(), self.critic.len())
    }

    pub fn params(&self) -> CalibrationParams {
        self.params.unwrap_or_default()
    }

    /// The lines shipped inside the binary (`model/rating-lines.tsv`,
    /// learned by `verdict-lab train lines` from Rotten Tomatoes critics'
    /// ratings and their fresh/rotten labels; see `docs/aggregation.md`).
    pub fn shipped() -> &'static Calibration {
        static SHIPPED: std::sync::OnceLock<Calibration> = std::sync::OnceLock::new();
        SHIPPED.get_or_init(|| {
            Calibration::from_tsv(SHIPPED_LINES).expect("the shipped rating lines parse")
        })
    }

    /// The lines as a table: one moved line a row (`level`, `scale`, the
    /// folded outlet or critic name, `at`), sorted, after `#` comments
    /// that say how they were fitted. [`Calibration::from_tsv`] reads it
    /// back to the same lines.
    pub fn to_tsv(&self, source: &str) -> String {
        let p = self.params();
        let mut out = format!(
            "# Verdict's fresh/rotten lines on the 0-100 score: fresh when score >= at.\n\
             # {source}\n\
             # A group needs {} labelled readings and {} more of them right to move its parent's line; lines stay within {}-{}.\n\
             level\tscale\tname\tat\n",
            p.min_rows, p.min_gain, p.band.0, p.band.1
        );
        let mut rows: Vec<(u8, &str, &str, f64)> = Vec::new();
        rows.extend(self.scale.iter().map(|(s, t)| (0, s.as_str(), "", *t)));
        rows.extend(
            self.outlet
                .iter()
                .map(|((o, s), t)| (1, s.as_str(), o.as_str(), *t)),
        );
        rows.extend(
            self.critic
                .iter()
                .map(|((c, s), t)| (2, s.as_str(), c.as_str(), *t)),
        );
        rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        for (level, scale, name, at) in rows {
            let level = ["scale", "outlet", "critic"][level as usize];
            out.push_str(&format!("{level}\t{scale}\t{name}\t{at}\n"));
        }
        out
    }

    /// Reads lines written by [`Calibration::to_tsv`].
    pub fn from_tsv(text: &str) -> Result<Calibration, String> {
        let mut cal = Calibration::default();
        let rows = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        for (i, line) in rows {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields == ["level", "scale", "name", "at"] {
                continue;
            }
            let [level, scale, name, at] = fields[..] else {
                return Err(format!("line {}: expected 4 tab-separated fields", i + 1));
            };
            let at: f64 = at
                .parse()
                .ok()
                .filter(|a: &f64| (0.0..=100.0).contains(a))
                .ok_or_else(|| format!("line {}: {at:?} is not a score from 0 to 100", i + 1))?;
            let key = || {
                name_key(Some(name))
                    .filter(|k| k == name)
                    .ok_or_else(|| format!("line {}: {name:?} is not a folded name", i + 1))
            };
            match level {
                "scale" => {
                    cal.scale.insert(scale.to_string(), at);
                }
                "outlet" => {
                    cal.outlet.insert((key()?, scale.to_string()), at);
                }
                "critic" => {
                    cal.critic.insert((key()?, scale.to_string()), at);
                }
                other => return Err(format!("line {}: unknown level {other:?}", i + 1)),
            }
        }
        Ok(cal)
    }
}

/// The shipped lines' table ([`Calibration::shipped`]).
const SHIPPED_LINES: &str = include_str!("../model/rating-lines.tsv");

/// The group's own line when it beats `parent` by `min_gain` readings,
/// else None (the parent's line holds).
fn fit_group(g: &Group, parent: f64, p: &CalibrationParams) -> Option<f64> {
    if g.len() < p.min_rows.max(1) {
        return None;
    }
    let agree = |t: f64| g.iter().filter(|(s, f)| (*s >= t) == *f).count();
    let base = agree(parent);
    let mut scores: Vec<f64> = g.iter().map(|(s, _)| *s).collect();
    scores.sort_by(f64::total_cmp);
    scores.dedup();
    let mut best: Option<(usize, f64)> = None;
    for w in scores.windows(2) {
        let t = (w[0] + w[1]) / 2.0;
        if t < p.band.0 || t > p.band.1 {
            continue;
        }
        let a = agree(t);
        let better = match best {
            None => true,
            Some((ba, bt)) => a > ba || (a == ba && (t - parent).abs() < (bt - parent).abs()),
        };
        if better {
            best = Some((a, t));
        }
    }
    match best {
        Some((a, t)) if a >= base + p.min_gain && t != parent => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_written_as_a_table_read_back_the_same() {
        let mut rows = Vec::new();
        for i in 0..8 {
            // The Planet's critics call a 2.5/5 fresh; Ann at the Planet
            // calls only 4/5 and up fresh.
            rows.push(("Daily Planet", "Bo Ro", 50.0 + (i % 2) as f64 * 10.0, true));
            rows.push((
                "Daily Planet",
                "Ann Lee",
                60.0 + (i % 2) as f64 * 10.0,
                false,
            ));
            rows.push(("Daily Planet", "Ann Lee", 80.0, true));
            rows.push(("Daily Planet", "Ann Lee", 40.0, false));
        }
        let labelled: Vec<Labelled<'_>> = rows
            .iter()
            .map(|(o, c, score, fresh)| Labelled {
                outlet: Some(o),
                critic: Some(c),
                scale: "x/5",
                score: *score,
                fresh: *fresh,
            })
            .collect();
        let cal = Calibration::fit(&labelled);
        let table = cal.to_tsv("a test");
        let back = Calibration::from_tsv(&table).unwrap();
        assert_eq!(back.to_tsv("a test"), table);
        assert!(cal.moved().1 + cal.moved().2 > 0, "{table}");
        for (outlet, critic, score) in [
            ("Daily Planet", "Ann Lee", 70.0),
            ("Daily Planet", "Ann Lee", 80.0),
            ("DAILY planet", "Bo Ro", 50.0),
            ("Other", "Someone", 60.0),
        ] {
            assert_eq!(
                back.threshold(Some(outlet), Some(critic), "x/5"),
                cal.threshold(Some(outlet), Some(critic), "x/5"),
                "{outlet} {critic}"
            );
            assert_eq!(
                back.is_fresh(Some(outlet), Some(critic), "x/5", score),
                cal.is_fresh(Some(outlet), Some(critic), "x/5", score)
            );
        }
        assert!(back.is_fresh(Some("Daily Planet"), Some("Bo Ro"), "x/5", 50.0));
        assert!(!back.is_fresh(Some("Daily Planet"), Some("Ann Lee"), "x/5", 70.0));
        for bad in [
            "level\tscale\tname\tat\noutlet\tx/5\tThe Planet\t50\n",
            "outlet\tx/5\tplanet\t500\n",
            "galaxy\tx/5\tplanet\t50\n",
            "outlet\tx/5\n",
        ] {
            assert!(Calibration::from_tsv(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_shipped_lines_parse_and_move_some_outlets() {
        let (scales, outlets, critics) = Calibration::shipped().moved();
        assert!(outlets > 10 && critics > 0, "{scales} {outlets} {critics}");
    }

    #[test]
    fn names_fold_into_a_buffer_as_name_key_folds_them() {
        let mut buf = String::from("left over");
        for name in [
            "Ann Lee",
            "ANN LEE",
            "  Ann   Lee ",
            "Ann\tLee",
            "Ann&amp;Co",
            "ÉCRAN Total",
            "ΣΟΦΙΑ Σ",
            "",
            "   ",
        ] {
            let got = fold_into(Some(name), &mut buf).then(|| buf.clone());
            assert_eq!(got, name_key(Some(name)), "{name:?}");
        }
        assert!(!fold_into(None, &mut buf));
    }

    #[test]
    fn name_keys_fold_case_entities_and_white_space() {
        for (name, key) in [
            ("Roger Ebert", Some("roger ebert")),
            ("  Roger \t Ebert ", Some("roger ebert")),
            ("Roger  Ebert", Some("roger ebert")),
            ("Sight &amp; Sound", Some("sight & sound")),
            ("ÉCRAN Large", Some("écran large")),
            ("", None),
            ("   ", None),
        ] {
            assert_eq!(name_key(Some(name)).as_deref(), key, "{name:?}");
        }
        assert_eq!(name_key(None), None);
    }

    #[test]
    fn an_outlet_writing_fifths_reads_bare_numbers_on_five() {
        let book = ScaleBook::learn([
            (Some("Daily Planet"), Some("Lois Lane"), "3/5"),
            (Some("Daily Planet"), Some("Lois Lane"), "4/5"),
            (Some("Daily Planet"), Some("Lois Lane"), "4"),
        ]);
        let l = book.hint(Some("Daily Planet"), Some("Lois Lane")).unwrap();
        assert_eq!(l.hint, ScaleHint::out_of(5.0));
        assert_eq!(l.source, Source::CriticAtOutlet);
        let r = book.read(Some("Daily Planet"), Some("Lois Lane"), "3");
        assert_eq!(r.score(), Some(60.0));
        // another critic of the same outlet: the outlet's hint
        let l = book
            .hint(Some("daily  planet"), Some("Jimmy Olsen"))
            .unwrap();
        assert_eq!(l.source, Source::Outlet);
    }

    #[test]
    fn bare_numbers_above_the_written_best_look_for_a_larger_scale() {
        let book = ScaleBook::learn([
            (Some("Gazette"), None, "3/5"),
            (Some("Gazette"), None, "2/5"),
            (Some("Gazette"), None, "8"),
            (Some("Gazette"), None, "7"),
        ]);
        let l = book.hint(Some("Gazette"), None).unwrap();
        assert_eq!(l.hint, ScaleHint::out_of(10.0), "{}", l.why);
        assert_eq!(book.read(Some("Gazette"), None, "3").score(), Some(30.0));
    }

    #[test]
    fn signed_ranges_are_learned() {
        let book = ScaleBook::learn([
            (None, Some("Mark R. Leeper"), "+1 out of -4..+4"),
            (None, Some("Mark R. Leeper"), "0"),
            (None, Some("Mark R. Leeper"), "+2 out of -4..+4"),
        ]);
        let l = book.hint(None, Some("mark r. leeper")).unwrap();
        assert_eq!(l.hint, ScaleHint::range(-4.0, 4.0));
        assert_eq!(
            book.read(None, Some("Mark R. Leeper"), "0").score(),
            Some(50.0)
        );
        assert_eq!(
            book.read(None, Some("Mark R. Leeper"), "-2").score(),
            Some(25.0)
        );
    }

    #[test]
    fn small_bare_numbers_alone_say_nothing() {
        let book = ScaleBook::learn([(Some("X"), None, "3"), (Some("X"), None, "4")]);
        assert!(book.hint(Some("X"), None).is_none());
        assert!(book.hint(Some("Y"), None).is_none());
    }

    #[test]
    fn a_critics_line_moves_only_with_evidence() {
        let mut rows = Vec::new();
        let mut add =
            |outlet: &'static str, critic: &'static str, score: f64, fresh: bool, n: usize| {
                for _ in 0..n {
                    rows.push(Labelled {
                        outlet: Some(outlet),
                        critic: Some(critic),
                        scale: "x/4",
                        score,
                        fresh,
                    });
                }
            };
        // Critic A calls 2.5/4 (62.5) rotten every time, 3/4 fresh.
        add("O", "A", 62.5, false, 6);
        add("O", "A", 75.0, true, 6);
        // D at the same outlet and C elsewhere call 2.5/4 fresh.
        add("O", "D", 62.5, true, 8);
        add("Q", "C", 62.5, true, 8);
        add("Q", "C", 75.0, true, 8);
        // B once: not enough to move anything.
        add("P", "B", 62.5, false, 1);
        let cal = Calibration::fit(&rows);
        let t = cal.threshold(Some("O"), Some("A"), "x/4");
        assert_eq!(t.level, Level::Critic, "{t:?}");
        assert!(t.at > 62.5 && t.at <= 75.0, "{t:?}");
        assert!(!cal.is_fresh(Some("O"), Some("A"), "x/4", 62.5));
        assert!(cal.is_fresh(Some("O"), Some("A"), "x/4", 75.0));
        // the outlet and the scale keep 60: most of their readings say so
        assert_eq!(cal.threshold(Some("O"), Some("D"), "x/4").at, 60.0);
        let tb = cal.threshold(Some("P"), Some("B"), "x/4");
        assert_eq!((tb.at, tb.level), (60.0, Level::Default));
        // an unknown scale keeps 60
        let t = cal.threshold(None, None, "letter");
        assert_eq!((t.at, t.level), (60.0, Level::Default));
    }
}
