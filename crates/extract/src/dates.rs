//! Publication dates as critics' pages write them, in English and in
//! French ("6 septembre 2024", "1er mars 2023", "le 6 sept. 2024",
//! "mercredi 6 septembre 2024", "Publié le 6 septembre 2024 à 10h30";
//! "06/09/2024" day first, on a French page). chrono parses English month
//! names only (its `unstable-locales` feature formats in French but does
//! not parse), so French months are read from a table here.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use regex::Regex;
use std::sync::LazyLock;

/// Parses a whole date string: ISO dates and datetimes (with or without a
/// zone), RFC 2822, "06 Sep 2024", "6 September 2024", "September 6, 2024",
/// and the French "6 septembre 2024", "mercredi 1er mars 2023", "le 6
/// sept. 2024".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some((d, start, end)) = french_date(s)
        && s[end..].trim().is_empty()
        && matches!(s[..start].trim(), "" | "le" | "Le")
    {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.date_naive());
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.date_naive());
    }
    for f in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.date_naive());
        }
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.date());
        }
    }
    if s.len() >= 10
        && s.is_char_boundary(10)
        && let Ok(d) = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d")
    {
        return Some(d);
    }
    let cleaned = s.replace(',', " ");
    let cleaned: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    for f in [
        "%d %b %Y",
        "%d %B %Y",
        "%B %d %Y",
        "%b %d %Y",
        "%A %d %B %Y",
        "%A %B %d %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(&cleaned, f) {
            return Some(d);
        }
    }
    None
}

static DATE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    let month = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
    Regex::new(&format!(
        r"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)? {month}\.?,? \d{{4}}|{month}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}})\b"
    ))
    .expect("date pattern")
});

/// French month names and their abbreviations (with or without the
/// accent), lower case.
const FRENCH_MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("fév", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("dec", 12),
];

/// "[le] [mercredi] 6|1er septembre|sept. 2024": the day, the month (a
/// name of [`FRENCH_MONTHS`]), the year.
static FRENCH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(\d{1,2})(?:er|e)?\s+(\p{L}{3,9})\.?\s+(\d{4})\b",
    )
    .expect("French date pattern")
});

/// "06/09/2024", "6.9.2024", "06-09-2024": day first (a French page's).
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})\b").expect("numeric date pattern")
});

/// The first French date in `s`: (date, start, end).
fn french_date(s: &str) -> Option<(NaiveDate, usize, usize)> {
    FRENCH_DATE.captures_iter(s).find_map(|c| {
        let whole = c.get(0)?;
        let day: u32 = c[1].parse().ok()?;
        let name = c[2].to_lowercase();
        let month = FRENCH_MONTHS.iter().find(|(n, _)| *n == name)?.1;
        let year: i32 = c[3].parse().ok()?;
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        Some((date, whole.start(), whole.end()))
    })
}

/// The first day-first numeric date in `s` ("06/09/2024"): (date, start,
/// end). Both separators must be the same.
fn numeric_date(s: &str) -> Option<(NaiveDate, usize, usize)> {
    NUMERIC_DATE.captures_iter(s).find_map(|c| {
        let whole = c.get(0)?;
        if c[2] != c[4] {
            return None;
        }
        let date =
            NaiveDate::from_ymd_opt(c[5].parse().ok()?, c[3].parse().ok()?, c[1].parse().ok()?)?;
        Some((date, whole.start(), whole.end()))
    })
}

/// A date found in a line, and whether the line says it is when the page
/// was updated ("Mis à jour le …", "Updated …"), not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub date: NaiveDate,
    pub updated: bool,
}

/// Words right before a date that make it the date of an update.
static UPDATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:mis\s+à\s+jour|mise\s+à\s+jour|màj|actualisé|modifié|updated|last\s+modified|modified)(?:\s+(?:le|on|:))?\s*:?\s*$")
        .expect("updated pattern")
});

/// The first date written in a line of text.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    find_dates(text, false).first().map(|d| d.date)
}

/// The publication date a line gives: the first date not introduced as an
/// update's ("Mis à jour le 7 sept. 2024 · Publié le 6 sept. 2024" is
/// the 6th), else the update's (marked). `french` reads numeric dates day
/// first ("06/09/2024"); otherwise they are not read.
pub fn find_publication_date(text: &str, french: bool) -> Option<Dated> {
    let all = find_dates(text, french);
    all.iter().find(|d| !d.updated).or(all.first()).copied()
}

/// Every date of a line, in order.
fn find_dates(text: &str, french: bool) -> Vec<Dated> {
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    for m in DATE_IN_TEXT.find_iter(text) {
        let s = m.as_str().replace("Sept ", "Sep ").replace(',', " ");
        if let Some(d) = parse_date(&strip_ordinals(&s)) {
            found.push((m.start(), d));
        }
    }
    let mut rest = 0;
    while let Some((d, a, b)) = text.get(rest..).and_then(french_date) {
        found.push((rest + a, d));
        rest += b;
    }
    if french {
        let mut rest = 0;
        while let Some((d, a, b)) = text.get(rest..).and_then(numeric_date) {
            found.push((rest + a, d));
            rest += b;
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found
        .into_iter()
        .map(|(at, date)| Dated {
            date,
            updated: UPDATED.is_match(&text[..at]),
        })
        .collect()
}

fn strip_ordinals(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            if !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
                && digits.len() < w.len()
            {
                digits.to_string()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn whole_strings() {
        assert_eq!(parse_date("2025-01-20 17:42:44 +0100"), d(2025, 1, 20));
        assert_eq!(parse_date("2024-09-06T09:00:00Z"), d(2024, 9, 6));
        assert_eq!(parse_date("2024-09-06"), d(2024, 9, 6));
        assert_eq!(parse_date("06 Sep 2024"), d(2024, 9, 6));
        assert_eq!(parse_date("September 6, 2024"), d(2024, 9, 6));
        assert_eq!(parse_date("not a date"), None);
    }

    #[test]
    fn french_dates() {
        assert_eq!(parse_date("6 septembre 2024"), d(2024, 9, 6));
        assert_eq!(parse_date("1er mars 2023"), d(2023, 3, 1));
        assert_eq!(parse_date("le 6 sept. 2024"), d(2024, 9, 6));
        assert_eq!(parse_date("Mis à jour le 6 sept. 2024"), None);
        assert_eq!(parse_date("mercredi 6 septembre 2024"), d(2024, 9, 6));
        assert_eq!(parse_date("6 Août 2024"), d(2024, 8, 6));
        assert_eq!(parse_date("31 février 2024"), None);
        assert_eq!(find_date("le 6 sept. 2024"), d(2024, 9, 6));
        assert_eq!(
            find_date("Publié le 6 septembre 2024 à 10h30"),
            d(2024, 9, 6)
        );
        assert_eq!(find_date("Mercredi 6 septembre 2024"), d(2024, 9, 6));
        assert_eq!(
            find_date("Le 1er décembre 2023, par Jean Dupont"),
            d(2023, 12, 1)
        );
        // numeric dates only on a French page, day first
        assert_eq!(find_date("06/09/2024"), None);
        let fr = |t| find_publication_date(t, true).map(|x| x.date);
        assert_eq!(fr("Publié le 06/09/2024 à 10 h 30"), d(2024, 9, 6));
        assert_eq!(fr("06.09.2024"), d(2024, 9, 6));
        assert_eq!(fr("06/09-2024"), None);
        assert_eq!(fr("13/13/2024"), None);
    }

    #[test]
    fn the_publication_date_is_preferred_to_the_update() {
        let p = |t| find_publication_date(t, false);
        let both = p("Mis à jour le 7 sept. 2024 · Publié le 6 sept. 2024").unwrap();
        assert_eq!((both.date, both.updated), (d(2024, 9, 6).unwrap(), false));
        let both = p("Publié le 6 septembre 2024, mis à jour le 8 septembre 2024").unwrap();
        assert_eq!(both.date, d(2024, 9, 6).unwrap());
        let only = p("Mis à jour le 7 septembre 2024").unwrap();
        assert_eq!((only.date, only.updated), (d(2024, 9, 7).unwrap(), true));
        let en = p("Updated: September 8, 2024. Posted September 6, 2024").unwrap();
        assert_eq!(en.date, d(2024, 9, 6).unwrap());
    }

    #[test]
    fn in_text() {
        assert_eq!(
            find_date("06 Sep 2024 / Released: 06 Sep 2024"),
            d(2024, 9, 6)
        );
        assert_eq!(find_date("Posted on March 3rd, 2023 by X"), d(2023, 3, 3));
        assert_eq!(find_date("Sept 14, 2021"), d(2021, 9, 14));
        assert_eq!(find_date("about 2024 and such"), None);
    }
}
