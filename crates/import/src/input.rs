//! Opening export files: gzip by its magic bytes, byte counting for the
//! progress bar, the tail kept to tell a truncated last row, fields decoded
//! as UTF-8 or, failing that, windows-1252 (the Flatiron TSV).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;

/// Bytes read so far across every file of an import (for the progress bar).
pub type Progress = Arc<AtomicU64>;

/// How many bytes of a file's end are kept to examine its last row.
const TAIL: usize = 1 << 16;

/// A reader that counts the bytes it decodes and keeps the last ones (the
/// file's own bytes are counted for the progress bar underneath).
pub(crate) struct Counting<R> {
    inner: R,
    /// Bytes of the decoded stream read so far.
    pub(crate) read: u64,
    /// The last [`TAIL`] bytes of the decoded stream.
    pub(crate) tail: Vec<u8>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let chunk = &buf[..n];
        if chunk.len() >= TAIL {
            self.tail.clear();
            self.tail.extend_from_slice(&chunk[chunk.len() - TAIL..]);
        } else {
            let overflow = (self.tail.len() + chunk.len()).saturating_sub(TAIL);
            self.tail.drain(..overflow);
            self.tail.extend_from_slice(chunk);
        }
        Ok(n)
    }
}

/// Counts the compressed bytes under a gzip decoder.
struct FileCount {
    file: BufReader<File>,
    progress: Progress,
}

impl Read for FileCount {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.progress.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A plain file that reports what it reads to the progress counter.
struct PlainCount {
    file: File,
    progress: Progress,
}

impl Read for PlainCount {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.progress.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An open export file.
pub(crate) type Source = Counting<Box<dyn Read + Send>>;

/// Whether the file starts with gzip's magic bytes.
fn is_gzip(path: &Path) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    let mut f = File::open(path)?;
    let n = f.read(&mut magic)?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

/// Opens a file for reading, decompressing gzip.
pub(crate) fn open(path: &Path, progress: &Progress) -> io::Result<Source> {
    let inner: Box<dyn Read + Send> = if is_gzip(path)? {
        Box::new(flate2::read::MultiGzDecoder::new(FileCount {
            file: BufReader::with_capacity(1 << 16, File::open(path)?),
            progress: progress.clone(),
        }))
    } else {
        Box::new(PlainCount {
            file: File::open(path)?,
            progress: progress.clone(),
        })
    };
    Ok(Counting {
        inner,
        read: 0,
        tail: Vec::new(),
    })
}

/// The size on disk of a file (what the progress counter will reach).
pub fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The delimiter of a delimited text file: a tab when its first line has
/// more tabs than commas.
pub(crate) fn delimiter_of(first_line: &[u8]) -> u8 {
    let tabs = first_line.iter().filter(|b| **b == b'\t').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    if tabs > commas { b'\t' } else { b',' }
}

/// The header of a delimited file: its column names (BOM and spaces
/// trimmed) and the delimiter.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub path: PathBuf,
    pub names: Vec<String>,
    pub delimiter: u8,
}

impl Header {
    /// The index of the first column named one of `names`
    /// (case-insensitive).
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|want| self.names.iter().position(|n| n.eq_ignore_ascii_case(want)))
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(&[name]).is_some()
    }

    pub fn has_all(&self, names: &[&str]) -> bool {
        names.iter().all(|n| self.has(n))
    }
}

/// The longest header line read.
const MAX_HEADER: usize = 1 << 16;

/// Reads the header of a delimited file.
pub fn read_header(path: &Path) -> io::Result<Header> {
    let progress = Progress::default();
    let mut first = Vec::new();
    BufReader::new(open(path, &progress)?)
        .take(MAX_HEADER as u64)
        .read_until(b'\n', &mut first)?;
    Ok(Header::parse(path, &first))
}

impl Header {
    /// The header in the first line of `bytes`, the start of the file at
    /// `path` already read (a document that may be a table).
    pub fn parse(path: &Path, bytes: &[u8]) -> Header {
        let end = bytes
            .iter()
            .take(MAX_HEADER)
            .position(|b| *b == b'\n')
            .unwrap_or(bytes.len().min(MAX_HEADER));
        let first = &bytes[..end];
        let delimiter = delimiter_of(first);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(first);
        let mut rec = csv::ByteRecord::new();
        // One line from memory: the reader cannot fail but on bad UTF-8,
        // which byte records do not check; an empty line has no names.
        let names = match rdr.read_byte_record(&mut rec) {
            Ok(true) => rec
                .iter()
                .map(|f| {
                    let f = f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f);
                    decode(f).0.trim().to_string()
                })
                .collect(),
            _ => Vec::new(),
        };
        Header {
            path: path.to_path_buf(),
            names,
            delimiter,
        }
    }
}

/// Whether a file's name says it is a table: `.csv` or `.tsv`, gzipped or
/// not (case does not matter). A table's layout is still read from its
/// header; the name only says that it is not a document.
pub fn is_table_name(path: &Path) -> bool {
    let Some(name) = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
    else {
        return false;
    };
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".csv") || name.ends_with(".tsv")
}

/// A field as text: UTF-8, or windows-1252 when it is not valid UTF-8 (the
/// flag says so).
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => {
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (s, true)
        }
    }
}

/// A trimmed field, `None` when empty.
pub(crate) fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Dates as exports write them: `2010-02-06`, `2010-02-06T…`,
/// `November 10, 2018`, `Mar 27, 2023`, `10 Nov 2018`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // The common case, without a format parser: YYYY-MM-DD.
    let b = s.as_bytes();
    if b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && (b.len() == 10 || !b[10].is_ascii_digit())
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|i| b[*i].is_ascii_digit())
    {
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
        return NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(5..7)?, n(8..10)?);
    }
    if s.len() >= 10
        && let Some(head) = s.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d")
    {
        return Some(d);
    }
    for fmt in ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    None
}

/// A year: `2015`, or the year of a date; only plausible film years.
pub fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    let y = s
        .get(..4)
        .filter(|h| h.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|h| h.parse::<i32>().ok())?;
    (s.len() == 4 || !s.as_bytes()[4].is_ascii_digit())
        .then_some(y)
        .filter(|y| (1870..=2100).contains(y))
}

/// "True"/"False", "1"/"0", "yes"/"no".
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" | "y" => Some(true),
        "false" | "f" | "0" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// Whether the last record of a stream, starting at byte `start`, was cut
/// off: the stream does not end with a line break and the record leaves a
/// quoted field open (an odd number of quotes).
pub(crate) fn cut_off(src: &Source, start: u64) -> bool {
    if src.tail.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        return false;
    }
    let tail_start = src.read - src.tail.len() as u64;
    if start < tail_start {
        // The record is longer than the kept tail: judge by what is kept.
        return src.tail.iter().filter(|b| **b == b'"').count() % 2 == 1;
    }
    let from = usize::try_from(start - tail_start).unwrap_or(0);
    src.tail[from.min(src.tail.len())..]
        .iter()
        .filter(|b| **b == b'"')
        .count()
        % 2
        == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_years() {
        let d = NaiveDate::from_ymd_opt(2018, 11, 10);
        assert_eq!(parse_date("2018-11-10"), d);
        assert_eq!(parse_date("November 10, 2018"), d);
        assert_eq!(parse_date("Nov 10, 2018"), d);
        assert_eq!(parse_date("2018-11-10T12:00:00Z"), d);
        assert_eq!(parse_date("someday"), None);
        assert_eq!(parse_year("2015"), Some(2015));
        assert_eq!(parse_year("2015-06-19"), Some(2015));
        assert_eq!(parse_year("20150"), None);
        assert_eq!(parse_year("\\N"), None);
        assert_eq!(parse_year("0001"), None);
    }

    #[test]
    fn cp1252_fields_are_decoded() {
        assert_eq!(decode(b"caf\xe9"), (Cow::Borrowed("café"), true));
        assert!(!decode("café".as_bytes()).1);
        assert_eq!(decode(b"it\x92s").0, "it’s");
    }

    #[test]
    fn delimiters_and_bools() {
        assert_eq!(delimiter_of(b"id\treview\trating"), b'\t');
        assert_eq!(delimiter_of(b"a,b,c"), b',');
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
