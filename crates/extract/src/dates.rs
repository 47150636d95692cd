//! Publication dates as critics' pages write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use regex::Regex;
use std::sync::LazyLock;

/// Parses a whole date string: ISO dates and datetimes (with or without a
/// zone), RFC 2822, "06 Sep 2024", "6 September 2024", "September 6, 2024".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
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

/// The first date written in a line of text.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    DATE_IN_TEXT.find_iter(text).find_map(|m| {
        let s = m.as_str().replace("Sept ", "Sep ").replace(',', " ");
        let s = strip_ordinals(&s);
        parse_date(&s)
    })
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
