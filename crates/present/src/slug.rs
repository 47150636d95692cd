//! URL slugs: `title-year`, folded to ASCII (`/films/red-rooms-2023`),
//! made unique by the film id when two films would share one. The web's
//! addresses and the command line's film arguments (`verdict show
//! red-rooms-2023`) read the same slugs.

use std::collections::{HashMap, HashSet};

use verdict_core::title::fold;

/// The ASCII letters and digits of the folded text, words joined by `-`
/// ("Les Chambres Rouges" → "les-chambres-rouges"); empty when nothing is
/// left.
pub fn words(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(' ') {
        let ascii: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if ascii.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&ascii);
    }
    out
}

/// A film's preferred slug: folded title and year.
pub fn film_base(title: &str, year: Option<i32>) -> String {
    let mut slug = words(title);
    if slug.is_empty() {
        slug.push_str("film");
    }
    if let Some(y) = year {
        slug.push('-');
        slug.push_str(&y.to_string());
    }
    slug
}

/// Unique slugs for films given as `(id, title, year)`: the film with the
/// lowest id keeps the plain `title-year`, the others get `-ID` appended
/// (again, while that is some other film's plain slug: "Heat 7" is
/// `heat-7`, so film 7 "Heat" becomes `heat-7-7`), so a film's slug does
/// not change when another film comes along and no two films ever share
/// one.
pub fn film_slugs<'a>(
    films: impl IntoIterator<Item = (i64, &'a str, Option<i32>)>,
) -> HashMap<i64, String> {
    let mut films: Vec<(i64, String)> = films
        .into_iter()
        .map(|(id, title, year)| (id, film_base(title, year)))
        .collect();
    films.sort_by_key(|f| f.0);
    // Every plain slug is reserved for its first film before any suffix
    // is chosen.
    let mut plain: HashMap<&str, i64> = HashMap::new();
    for (id, base) in &films {
        if !is_number(base) {
            plain.entry(base.as_str()).or_insert(*id);
        }
    }
    let mut taken: HashSet<String> = plain.keys().map(|s| s.to_string()).collect();
    let mut out = HashMap::with_capacity(films.len());
    for (id, base) in &films {
        let slug = if plain.get(base.as_str()) == Some(id) {
            base.clone()
        } else {
            let mut slug = format!("{base}-{id}");
            while taken.contains(&slug) {
                slug.push_str(&format!("-{id}"));
            }
            taken.insert(slug.clone());
            slug
        };
        out.insert(*id, slug);
    }
    out
}

/// Unique slugs for names in the order given (critics, outlets): the first
/// keeps the plain folded name, later clashes get `-2`, `-3`…
pub fn name_slugs<'a>(names: impl IntoIterator<Item = &'a str>, fallback: &str) -> Vec<String> {
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for name in names {
        let mut base = words(name);
        if base.is_empty() || is_number(&base) {
            base = if base.is_empty() {
                fallback.to_string()
            } else {
                format!("{fallback}-{base}")
            };
        }
        let n = taken.entry(base.clone()).or_insert(0);
        *n += 1;
        out.push(if *n == 1 { base } else { format!("{base}-{n}") });
    }
    // A suffixed slug may itself equal another plain one ("a-2"): resolve
    // by suffixing again until unique.
    let mut seen: HashSet<String> = HashSet::new();
    for slug in &mut out {
        let mut k = 2;
        let base = slug.clone();
        while seen.contains(slug.as_str()) {
            *slug = format!("{base}-{k}");
            k += 1;
        }
        seen.insert(slug.clone());
    }
    out
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suffixed_slug_never_takes_another_films_plain_one() {
        let slugs = film_slugs([(3, "Heat 7", None), (5, "Heat", None), (7, "Heat", None)]);
        assert_eq!(slugs[&3], "heat-7");
        assert_eq!(slugs[&5], "heat");
        assert_eq!(slugs[&7], "heat-7-7");
        // Whatever the order the ids come in.
        let slugs = film_slugs([(9, "Heat", None), (2, "Heat 9", None), (4, "Heat", None)]);
        assert_eq!((slugs[&2].as_str(), slugs[&4].as_str()), ("heat-9", "heat"));
        assert_eq!(slugs[&9], "heat-9-9");
        let unique: HashSet<&String> = slugs.values().collect();
        assert_eq!(unique.len(), slugs.len());
    }

    #[test]
    fn title_and_year_fold_to_ascii() {
        assert_eq!(film_base("Red Rooms", Some(2023)), "red-rooms-2023");
        assert_eq!(
            film_base("Les Chambres Rouges", None),
            "les-chambres-rouges"
        );
        assert_eq!(film_base("Amélie", Some(2001)), "amelie-2001");
        assert_eq!(film_base("Fast & Furious", None), "fast-and-furious");
        assert_eq!(film_base("東京物語", Some(1953)), "film-1953");
        assert_eq!(film_base("<script>", None), "script");
    }

    #[test]
    fn clashes_are_told_apart_by_id_and_the_oldest_keeps_the_plain_slug() {
        let s = film_slugs([
            (9, "Solaris", Some(2002)),
            (3, "Solaris", Some(2002)),
            (4, "Solaris", Some(1972)),
            (5, "1917", None),
        ]);
        assert_eq!(s[&3], "solaris-2002");
        assert_eq!(s[&9], "solaris-2002-9");
        assert_eq!(s[&4], "solaris-1972");
        // A bare number would read as an id.
        assert_eq!(s[&5], "1917-5");
        let mut all: Vec<&String> = s.values().collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 4);
    }

    #[test]
    fn name_slugs_are_unique() {
        let s = name_slugs(["Jane Doe", "Jane  DOE!", "Jane Doe 2", "", "明"], "critic");
        assert_eq!(s[0], "jane-doe");
        assert_eq!(s[1], "jane-doe-2");
        assert_eq!(s[2], "jane-doe-2-2");
        assert_eq!(s[3], "critic");
        assert_eq!(s[4], "critic-2");
        let mut u = s.clone();
        u.sort();
        u.dedup();
        assert_eq!(u.len(), s.len());
    }
}
