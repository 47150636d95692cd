//! Choosing one film from an argument (`#12`, `red-rooms-2023`, "Title
//! (Year)", a title and `--year`), for every command that takes one; when
//! several films fit, the error lists each with the exact command that
//! shows it.

use anyhow::{Result, anyhow};
use std::path::Path;
use verdict_core::Film;
use verdict_present::{self as present, FilmQuery, FindError};
use verdict_store::Database;

/// Quotes an argument for a POSIX shell: as it is when it is plain, in
/// double quotes when nothing in it is special there, else in single
/// quotes.
pub fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        return s.to_string();
    }
    if !s.contains(['"', '$', '`', '\\', '!']) {
        return format!("\"{s}\"");
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `verdict`, with `--db PATH` when the database is neither the default
/// one nor the one `VERDICT_DB` names (so that a command printed for the
/// user to paste reads the same database).
pub fn verdict_command(store: &Database) -> String {
    let path = store.path();
    let from_env = std::env::var_os("VERDICT_DB").is_some_and(|v| Path::new(&v) == path);
    if from_env || path == verdict_store::default_path() {
        "verdict".to_string()
    } else {
        format!("verdict --db {}", shell_quote(&path.display().to_string()))
    }
}

/// The film `input` (and `year`) names, for the command `verdict
/// SUBCOMMAND ARG` (`show`, `remove --film`…). The errors name the input:
/// no film, several films (each with the exact command that chooses it),
/// or an argument that names no film at all.
pub fn film(store: &Database, input: &str, year: Option<i32>, subcommand: &str) -> Result<Film> {
    let shown = match year {
        Some(y) => format!("{input} --year {y}"),
        None => input.to_string(),
    };
    let query = FilmQuery::parse(input, year).map_err(|e| anyhow!("{shown}: {e}"))?;
    match present::choose_film(store, &query) {
        Ok(film) => Ok(film),
        Err(FindError::NotFound) => Err(anyhow!(
            "{shown}: no film matches; `verdict films` lists them"
        )),
        Err(FindError::Ambiguous(candidates)) => {
            let verdict = verdict_command(store);
            let commands: Vec<String> = candidates
                .iter()
                .map(|c| format!("{verdict} {subcommand} {}", shell_quote(&c.argument)))
                .collect();
            let width = commands
                .iter()
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0);
            let mut message = format!("{shown}: matches {} films; choose one:", candidates.len());
            for (command, c) in commands.iter().zip(&candidates) {
                let pad = width - command.chars().count();
                message.push_str(&format!(
                    "\n  {command}{:pad$}   # {} · {} review{}",
                    "",
                    FilmQuery::of_film(&c.film),
                    c.reviews,
                    if c.reviews == 1 { "" } else { "s" }
                ));
            }
            Err(anyhow!(message))
        }
        Err(e) => Err(anyhow!("{shown}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("red-rooms-2023"), "red-rooms-2023");
        assert_eq!(shell_quote("#12"), "\"#12\"");
        assert_eq!(
            shell_quote("Next Goal Wins (2023)"),
            "\"Next Goal Wins (2023)\""
        );
        assert_eq!(
            shell_quote("Don't Look Up (2021)"),
            "\"Don't Look Up (2021)\""
        );
        assert_eq!(shell_quote("Say \"Hi\""), "'Say \"Hi\"'");
        assert_eq!(shell_quote("It's $5!"), r"'It'\''s $5!'");
        assert_eq!(shell_quote(""), "\"\"");
    }
}
