//! Test support shared by Verdict's crates: a dev-dependency of the
//! runtime crates (never a dependency of them), and the lab's reader of the
//! shared data.
//!
//! **The real data.** Tests that read `../shared` (the seed reviews, the
//! corpora in `../shared/data`) find it with [`shared`]. When it is absent
//! the test is skipped *visibly*: a `SKIPPED` line naming the test and the
//! missing path is written to standard error past the test harness's
//! capture, so it shows in a plain `cargo test`. With
//! `VERDICT_REQUIRE_DATA=1` (set by CI, where the data is always there) a
//! missing path fails the test instead.
//!
//! **The shared data's formats.** [`rating_strings`] reads
//! `rating-strings.tsv` for the rating crate's tests and the lab's report.
//!
//! **Tests as data.** [`expect_json`] compares a value with the expected
//! JSON file beside its fixture; `VERDICT_BLESS=1` writes the file instead,
//! after a deliberate change (review the diff before committing it).
//!
//! **The sentence encoder.** Tests of the encoder reader need its weights
//! (a Python package, installed apart); without them they are skipped
//! visibly ([`skip_encoder`]), and with `VERDICT_REQUIRE_ENCODER=1` (set by
//! CI, which installs them) they fail.
//!
//! **Hostile pages.** [`hostile::corpus`] generates the pages crafted to be
//! expensive that the cost bounds are held to.
//!
//! **A PostgreSQL server.** [`postgres::shared`] starts one server of
//! Debian's PostgreSQL packages for a whole test binary (and
//! [`postgres::PgServer::start`] one of a test's own), in a folder under the
//! system's temporary folder, on a free port of 127.0.0.1; each test takes
//! a fresh database of it, by URL, with [`postgres::PgServer::database`].
//! No server outlives its test process, even one killed. When PostgreSQL is
//! not installed the test is skipped visibly, as above; with
//! `VERDICT_REQUIRE_POSTGRES=1` (set by CI) it fails instead.

pub mod hostile;
pub mod postgres;
pub mod rating_strings;

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder beside the repository that holds the seeds and the data.
pub fn shared_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Whether `VERDICT_REQUIRE_DATA=1`: a missing data path fails the test.
pub fn data_required() -> bool {
    std::env::var("VERDICT_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

/// `../shared/<relative>` when it exists; else the test is skipped (a
/// visible `SKIPPED` line; `None`) or, under `VERDICT_REQUIRE_DATA=1`,
/// fails.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = shared_root().join(relative);
    if path.exists() {
        Some(path)
    } else {
        skip(format_args!(
            "{} is absent (the real data lives beside the repository, in ../shared)",
            path.display()
        ));
        None
    }
}

/// `../shared/data/<relative>`: see [`shared`].
pub fn data(relative: &str) -> Option<PathBuf> {
    shared(&format!("data/{relative}"))
}

/// The files of the archive `../shared/data/<relative>` (a `.tar.xz`),
/// unpacked once into a folder under the system's temporary folder that is
/// named by the archive's name and size (the data stays outside the
/// repository): that folder, or `None` as [`shared`] says.
pub fn unpacked(relative: &str) -> Option<PathBuf> {
    let archive = data(relative)?;
    let size = std::fs::metadata(&archive).map(|m| m.len()).unwrap_or(0);
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().replace('.', "-"))
        .unwrap_or_default();
    let dest = std::env::temp_dir().join(format!("verdict-testkit-{name}-{size}"));
    if dest.is_dir() {
        return Some(dest);
    }
    // Unpacked aside and renamed into place whole: tests running at once
    // never see half an archive.
    let aside = std::env::temp_dir().join(format!(
        "verdict-testkit-{name}-{size}.{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&aside);
    let unpack = || -> std::io::Result<()> {
        let mut xz = std::io::BufReader::new(std::fs::File::open(&archive)?);
        let mut tar = Vec::new();
        lzma_rs::xz_decompress(&mut xz, &mut tar)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", archive.display())))?;
        tar::Archive::new(tar.as_slice()).unpack(&aside)
    };
    if let Err(e) = unpack() {
        panic!("{}: cannot be unpacked: {e}", archive.display());
    }
    if std::fs::rename(&aside, &dest).is_err() {
        // another test put it in place first
        let _ = std::fs::remove_dir_all(&aside);
    }
    Some(dest)
}

/// The seed reviews, `../shared/seeds`: see [`shared`].
pub fn seeds() -> Option<PathBuf> {
    shared("seeds")
}

/// Skips the calling test for `reason`, where the test harness shows it;
/// under `VERDICT_REQUIRE_DATA=1` a missing input fails the test instead.
pub fn skip(reason: impl Display) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if data_required() {
        panic!("{test}: {reason}, and VERDICT_REQUIRE_DATA=1 requires it");
    }
    note(format_args!("SKIPPED {test}: {reason}"));
}

/// Writes one line on standard error past the test harness's capture, so
/// that it shows in a plain `cargo test` (the `eprintln!` of a passing
/// test is swallowed).
pub fn note(line: impl Display) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Whether `VERDICT_REQUIRE_ENCODER=1` (set by CI, which installs the
/// sentence encoder's weights): a test of the encoder reader that finds no
/// weights fails instead of skipping.
pub fn encoder_required() -> bool {
    std::env::var("VERDICT_REQUIRE_ENCODER").is_ok_and(|v| v == "1")
}

/// Skips the calling test of the encoder reader for `reason` (the weights
/// are not installed), visibly; under `VERDICT_REQUIRE_ENCODER=1` fails it.
pub fn skip_encoder(reason: impl Display) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if encoder_required() {
        panic!("{test}: {reason}, and VERDICT_REQUIRE_ENCODER=1 requires the encoder");
    }
    note(format_args!("SKIPPED {test}: {reason}"));
}

/// Whether `VERDICT_BLESS=1`: expectations are written, not compared.
pub fn blessing() -> bool {
    std::env::var("VERDICT_BLESS").is_ok_and(|v| v == "1")
}

/// Compares `actual` with the JSON in `expected` (pretty-printed, one key
/// per line, so that a change reads as a diff). Under `VERDICT_BLESS=1`
/// writes `actual` there instead. A missing expectation fails with the
/// command that writes it.
pub fn expect_json(expected: &Path, actual: &serde_json::Value) {
    let text = serde_json::to_string_pretty(actual).expect("a JSON value prints") + "\n";
    if blessing() {
        std::fs::write(expected, &text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", expected.display()));
        note(format_args!("blessed {}", expected.display()));
        return;
    }
    let Ok(want) = std::fs::read_to_string(expected) else {
        panic!(
            "{} is missing: VERDICT_BLESS=1 cargo test writes it (then review it)",
            expected.display()
        );
    };
    let want_value: serde_json::Value = serde_json::from_str(&want)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", expected.display()));
    if &want_value != actual {
        let diff = first_difference(&want, &text);
        panic!(
            "{} differs from what was read ({diff}); after a deliberate change, \
             VERDICT_BLESS=1 cargo test rewrites it\n--- got ---\n{text}",
            expected.display()
        );
    }
}

/// The first line where two texts differ, both sides.
fn first_difference(want: &str, got: &str) -> String {
    let mut w = want.lines();
    let mut g = got.lines();
    for n in 1.. {
        match (w.next(), g.next()) {
            (None, None) => return "same lines, other values".into(),
            (a, b) if a == b => continue,
            (a, b) => {
                return format!(
                    "line {n}: expected {:?}, got {:?}",
                    a.unwrap_or("<end>"),
                    b.unwrap_or("<end>")
                );
            }
        }
    }
    unreachable!()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_present_path_is_found_and_an_absent_one_is_not() {
        // The repository itself sits beside ../shared: its root exists.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        assert!(root.join("Cargo.toml").exists());
        if data_required() {
            // VERDICT_REQUIRE_DATA=1: a missing path fails the test.
            assert!(std::panic::catch_unwind(|| shared("no-such-folder-in-shared")).is_err());
        } else {
            assert_eq!(shared("no-such-folder-in-shared"), None);
        }
    }

    #[test]
    fn expectations_compare_values_and_name_the_difference() {
        if blessing() {
            return;
        }
        let dir = std::env::temp_dir().join(format!("verdict-testkit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("x.json");
        std::fs::write(&file, "{\n  \"a\": 1,\n  \"b\": [2, 3]\n}\n").unwrap();
        expect_json(&file, &serde_json::json!({"b": [2, 3], "a": 1}));
        let wrong = std::panic::catch_unwind(|| {
            expect_json(&file, &serde_json::json!({"a": 1, "b": [2, 4]}));
        });
        let message = wrong
            .unwrap_err()
            .downcast::<String>()
            .map(|s| *s)
            .unwrap_or_default();
        assert!(message.contains("x.json differs"), "{message}");
        assert!(message.contains("VERDICT_BLESS=1"), "{message}");
        let missing = std::panic::catch_unwind(|| {
            expect_json(&dir.join("none.json"), &serde_json::json!(1));
        });
        assert!(missing.is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn differences_are_located() {
        assert_eq!(
            first_difference("a\nb\nc", "a\nx\nc"),
            "line 2: expected \"b\", got \"x\""
        );
        assert_eq!(
            first_difference("a", "a\nb"),
            "line 2: expected \"<end>\", got \"b\""
        );
    }
}
