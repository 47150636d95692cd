//! One module per subcommand: its arguments and what it does.

pub mod consensus;
pub mod copies;
pub mod eval;
pub mod films;
pub mod french;
pub mod ratings_report;
pub mod train;

/// A baseline's results (JSON written by a script under `bench/`), when a
/// path is given.
pub(crate) fn read_baseline<T: serde::de::DeserializeOwned>(
    path: Option<&std::path::Path>,
) -> anyhow::Result<Option<T>> {
    use anyhow::Context;
    let Some(path) = path else {
        return Ok(None);
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("reading {} as baseline results", path.display()))
        .map(Some)
}

/// The sentence encoder, its weights found by `explicit` or as `verdict`
/// finds them, with the shipped head's windows.
pub(crate) fn load_encoder(
    explicit: Option<&std::path::Path>,
) -> anyhow::Result<verdict_judge::encoder::Encoder> {
    use verdict_lab::train::encoder::{MAX_WINDOWS, WINDOW_TOKENS};
    let dir = verdict_judge::encoder::locate(explicit)?;
    let encoder = verdict_judge::encoder::Encoder::load(&dir, WINDOW_TOKENS, MAX_WINDOWS)?;
    eprintln!("sentence encoder: {}", dir.display());
    Ok(encoder)
}
