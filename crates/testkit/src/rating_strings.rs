//! `../shared/data/rating-strings.tsv`, read once for every user (the
//! rating crate's tests and the lab's ratings report): every distinct
//! rating string seen across the Rotten Tomatoes sources, with how often
//! it was seen and how often fresh or rotten.

use std::path::Path;

/// One row: a distinct string and its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct StringRow {
    pub input: String,
    pub total: u64,
    pub fresh: u64,
    pub rotten: u64,
}

/// Reads the file: a tab-separated header naming `rating_string`, `total`,
/// `fresh` and `rotten`, each string written as a Python literal. Errors
/// name the file and the line.
pub fn load(path: &Path) -> std::io::Result<Vec<StringRow>> {
    let bad = |what: String| std::io::Error::other(format!("{}: {what}", path.display()));
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .ok_or_else(|| bad("empty".into()))?
        .split('\t')
        .map(str::trim)
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| bad(format!("no `{name}` column")))
    };
    let (s, t, f, r) = (
        col("rating_string")?,
        col("total")?,
        col("fresh")?,
        col("rotten")?,
    );
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| -> std::io::Result<u64> {
            cols.get(i)
                .and_then(|c| c.trim().parse().ok())
                .ok_or_else(|| bad(format!("line {}: bad number", n + 2)))
        };
        rows.push(StringRow {
            input: unquote_python(cols[s]),
            total: num(t)?,
            fresh: num(f)?,
            rotten: num(r)?,
        });
    }
    Ok(rows)
}

/// Reads a string the way the file writes it: a Python literal, `'3/5'` or
/// `"'2'"`, with `\'`, `\"`, `\\`, `\t` and `\n` escapes.
pub fn unquote_python(field: &str) -> String {
    let f = field.trim_end_matches(['\r', '\n']);
    let inner = match (f.chars().next(), f.chars().last()) {
        (Some(q @ ('\'' | '"')), Some(e)) if q == e && f.len() >= 2 => &f[1..f.len() - 1],
        _ => f,
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n @ ('\'' | '"' | '\\')) => out.push(n),
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_literals_are_unquoted() {
        assert_eq!(unquote_python("'3/5'"), "3/5");
        assert_eq!(unquote_python("\"'2'\""), "'2'");
        assert_eq!(unquote_python("' 3/5 '"), " 3/5 ");
        assert_eq!(unquote_python(r"'it\'s'"), "it's");
        assert_eq!(unquote_python(r"'a\\b'"), r"a\b");
        assert_eq!(unquote_python("plain"), "plain");
    }

    #[test]
    fn the_file_is_read_and_bad_numbers_are_named() {
        let dir = std::env::temp_dir().join(format!("verdict-rs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.tsv");
        std::fs::write(
            &good,
            "rating_string\ttotal\tfresh\trotten\n'3/5'\t10\t7\t3\n\n\"'B+'\"\t2\t2\t0\n",
        )
        .unwrap();
        let rows = load(&good).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].input.as_str(), rows[0].total), ("3/5", 10));
        assert_eq!(rows[1].input, "'B+'");
        let bad = dir.join("bad.tsv");
        std::fs::write(
            &bad,
            "rating_string\ttotal\tfresh\trotten\n'3/5'\tten\t7\t3\n",
        )
        .unwrap();
        let e = load(&bad).unwrap_err().to_string();
        assert!(e.contains("line 2: bad number"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
