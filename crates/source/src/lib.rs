//! The first stage: find review documents and read their bytes.
//!
//! A source knows paths and standard input (the `verdict-fetch` crate adds
//! URLs and feeds); it never looks inside a document, though a document may
//! carry the media type it came with (an HTTP `Content-Type`). Every
//! document comes with its content hash, the identity the store uses to
//! make ingestion idempotent.
//!
//! Walking never stops at the first problem: each unreadable entry is
//! reported as its own [`SourceError`] and the walk goes on.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Documents larger than this are refused: no review is 16 MiB.
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// The bytes of one document and where they came from.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// A path, "-" for standard input, or a URL.
    pub origin: String,
    pub bytes: Vec<u8>,
    /// Hex SHA-256 of `bytes`.
    pub content_hash: String,
    /// The media type the document came with (an HTTP `Content-Type`
    /// header, "text/html; charset=ISO-8859-1"), when it came with one.
    /// The document stage reads the charset hint from it.
    pub content_type: Option<String>,
}

impl RawDocument {
    pub fn new(origin: impl Into<String>, bytes: Vec<u8>) -> Self {
        let content_hash = content_hash(&bytes);
        RawDocument {
            origin: origin.into(),
            bytes,
            content_hash,
            content_type: None,
        }
    }

    /// The same document, with the media type it came with.
    pub fn with_content_type(mut self, content_type: Option<String>) -> Self {
        self.content_type = content_type;
        self
    }

    /// The `charset` parameter of [`RawDocument::content_type`], unquoted
    /// ("ISO-8859-1"), when there is one.
    pub fn charset(&self) -> Option<&str> {
        charset_param(self.content_type.as_deref()?)
    }
}

/// The `charset` parameter of a media type ("text/html; charset=utf-8").
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// Why one input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: no such file or folder")]
    NotFound { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: too large ({size} bytes; the limit is {MAX_DOCUMENT_BYTES})")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path}: not a regular file")]
    NotAFile { path: PathBuf },
}

impl SourceError {
    /// The input the error is about.
    pub fn path(&self) -> &Path {
        match self {
            SourceError::NotFound { path }
            | SourceError::Unreadable { path, .. }
            | SourceError::TooLarge { path, .. }
            | SourceError::NotAFile { path } => path,
        }
    }
}

/// Hex SHA-256 of some bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    verdict_core::hex::encode(&Sha256::digest(bytes))
}

/// Every file under `paths`, in a stable order (each argument in turn, the
/// files of a folder sorted by name). Hidden files and folders (".git") are
/// skipped inside folders, but a hidden file named directly is read.
pub fn files(paths: &[PathBuf]) -> impl Iterator<Item = Result<PathBuf, SourceError>> + '_ {
    paths.iter().flat_map(
        |root| -> Box<dyn Iterator<Item = Result<PathBuf, SourceError>>> {
            match std::fs::metadata(root) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Box::new(std::iter::once(Err(SourceError::NotFound {
                        path: root.clone(),
                    })))
                }
                Err(e) => Box::new(std::iter::once(Err(SourceError::Unreadable {
                    path: root.clone(),
                    source: e,
                }))),
                Ok(meta) if meta.is_file() => Box::new(std::iter::once(Ok(root.clone()))),
                Ok(meta) if meta.is_dir() => Box::new(
                    walkdir::WalkDir::new(root)
                        .follow_links(true)
                        .sort_by_file_name()
                        .into_iter()
                        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()))
                        .filter_map(|entry| match entry {
                            Ok(e) if e.file_type().is_file() => Some(Ok(e.into_path())),
                            Ok(_) => None,
                            Err(e) => {
                                let path = e.path().map(Path::to_path_buf).unwrap_or_default();
                                let source = e.into_io_error().unwrap_or_else(|| {
                                    std::io::Error::other("filesystem loop or unreadable entry")
                                });
                                Some(Err(SourceError::Unreadable { path, source }))
                            }
                        }),
                ),
                Ok(_) => Box::new(std::iter::once(Err(SourceError::NotAFile {
                    path: root.clone(),
                }))),
            }
        },
    )
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

/// Reads one file, refusing files over [`MAX_DOCUMENT_BYTES`].
pub fn read_file(path: &Path) -> Result<RawDocument, SourceError> {
    let unreadable = |source| SourceError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            SourceError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            unreadable(e)
        }
    })?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    Ok(RawDocument::new(path.display().to_string(), bytes))
}

/// Reads all of standard input as one document named "-".
pub fn read_stdin() -> Result<RawDocument, SourceError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| SourceError::Unreadable {
            path: PathBuf::from("-"),
            source,
        })?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(SourceError::TooLarge {
            path: PathBuf::from("-"),
            size: bytes.len() as u64,
        });
    }
    Ok(RawDocument::new("-", bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_hex_sha256() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn walks_folders_sorted_skipping_hidden_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("sub/c.md"), "c").unwrap();
        std::fs::write(dir.path().join(".git/config"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        let missing = dir.path().join("nope");
        let paths = vec![dir.path().to_path_buf(), missing.clone()];
        let got: Vec<_> = files(&paths).collect();
        let ok: Vec<String> = got
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(ok, vec!["a.txt", "b.txt", "sub/c.md"]);
        let errs: Vec<_> = got.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].path(), missing);
        assert!(errs[0].to_string().contains("no such file"));
    }

    #[test]
    fn charset_comes_from_the_content_type() {
        let doc = RawDocument::new("https://x/", b"x".to_vec())
            .with_content_type(Some("text/html; Charset=\"ISO-8859-1\"".into()));
        assert_eq!(doc.charset(), Some("ISO-8859-1"));
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(charset_param("text/html; charset="), None);
        assert_eq!(
            charset_param("text/plain;format=flowed; charset=utf-8"),
            Some("utf-8")
        );
        assert_eq!(RawDocument::new("a", vec![]).charset(), None);
    }

    #[test]
    fn reads_a_file_with_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.txt");
        std::fs::write(&p, "Score: 88").unwrap();
        let doc = read_file(&p).unwrap();
        assert_eq!(doc.bytes, b"Score: 88");
        assert_eq!(doc.content_hash, content_hash(b"Score: 88"));
        assert!(read_file(&dir.path().join("missing")).is_err());
    }
}
