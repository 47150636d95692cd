//! Records of a delimited file, streamed one at a time, with the checks
//! every layout shares: the field count against the header, a last row
//! cut off by a truncated file, and bounds on what one record may take in
//! memory, applied while it is read (a 2 MB gzip can expand to one 2 GB
//! field): a field past [`MAX_FIELD_BYTES`] is cut, and the cut said; a
//! record past [`MAX_RECORD_BYTES`] or [`MAX_FIELDS`] is skipped.
//!
//! Records are parsed by `csv-core` (the `csv` crate's own parser) into
//! buffers this module bounds: the `csv` crate's reader grows its record
//! to whatever a field holds.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use csv_core::ReadRecordResult;

use crate::input::{self, Header, Progress, Source};
use crate::process::MAX_TEXT_BYTES;
use crate::row::BadRow;

/// The most bytes of one field kept: a review's text is cut at this
/// length anyway ([`MAX_TEXT_BYTES`]); what is past it is read and
/// dropped.
pub const MAX_FIELD_BYTES: usize = MAX_TEXT_BYTES;
/// The most bytes of one record (its fields, as cut); a longer record is
/// skipped.
pub const MAX_RECORD_BYTES: usize = 8 << 20;
/// The most fields of one record; a record with more is skipped.
pub const MAX_FIELDS: usize = 4096;

/// One record: its fields' bytes end to end and where each ends, where it
/// began, and what was cut or why it was skipped.
#[derive(Debug, Default)]
struct Record {
    /// A buffer: the record's bytes are its first `len` bytes.
    bytes: Vec<u8>,
    len: usize,
    /// A buffer: the ends of its fields are the first `fields`.
    ends: Vec<usize>,
    fields: usize,
    /// The line it begins on and the byte (of the decoded stream).
    line: u64,
    byte: u64,
    /// The fields cut: (index, length as written).
    cut: Vec<(usize, u64)>,
    /// Why it was skipped: it is too long, or has too many fields.
    overflow: Option<&'static str>,
}

impl Record {
    fn get(&self, i: usize) -> Option<&[u8]> {
        if i >= self.fields {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.bytes.get(start..self.ends[i])
    }
}

/// `csv-core` over a file, filling [`Record`]s within the bounds.
struct Reader {
    core: csv_core::Reader,
    src: BufReader<Source>,
    line: u64,
    byte: u64,
    eof: bool,
}

impl Reader {
    fn new(src: Source, delimiter: u8) -> Reader {
        let core = csv_core::ReaderBuilder::new()
            .delimiter(delimiter)
            // Records end at "\n" (a "\r" before it is trimmed off the last
            // field): with CRLF as the terminator a record would be dated
            // from the line before it.
            .terminator(csv_core::Terminator::Any(b'\n'))
            .build();
        Reader {
            core,
            src: BufReader::with_capacity(1 << 16, src),
            line: 1,
            byte: 0,
            eof: false,
        }
    }

    /// Reads the next record into `rec`; `false` at the end.
    fn read(&mut self, rec: &mut Record) -> std::io::Result<bool> {
        rec.len = 0;
        rec.fields = 0;
        rec.cut.clear();
        rec.overflow = None;
        rec.line = self.line;
        rec.byte = self.byte;
        if self.eof {
            return Ok(false);
        }
        if rec.bytes.len() < 1024 {
            rec.bytes.resize(1024, 0);
        }
        if rec.ends.len() < 16 {
            rec.ends.resize(16, 0);
        }
        let (mut out, mut ends) = (0usize, 0usize);
        // Bytes of the record dropped so far: the ends csv-core gives
        // count them.
        let mut dropped = 0usize;
        loop {
            let input = match self.src.fill_buf() {
                Ok(input) => input,
                Err(e) => {
                    self.eof = true;
                    return Err(e);
                }
            };
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut rec.bytes[out..], &mut rec.ends[ends..]);
            self.src.consume(nin);
            self.byte += nin as u64;
            self.line = self.core.line();
            let first = ends;
            if rec.overflow.is_none() {
                for end in &mut rec.ends[ends..ends + nend] {
                    *end -= dropped;
                }
            }
            out += nout;
            ends += nend;
            if rec.overflow.is_none() {
                // The fields this call wrote to, the one still open
                // included: each past the bound keeps its first bytes.
                for i in first..=ends {
                    let start = if i == 0 { 0 } else { rec.ends[i - 1] };
                    let end = if i < ends { rec.ends[i] } else { out };
                    if end - start <= MAX_FIELD_BYTES {
                        continue;
                    }
                    let excess = end - start - MAX_FIELD_BYTES;
                    rec.bytes.copy_within(end..out, end - excess);
                    out -= excess;
                    for e in &mut rec.ends[i..ends] {
                        *e -= excess;
                    }
                    dropped += excess;
                    match rec.cut.last_mut() {
                        Some((field, len)) if *field == i => *len += excess as u64,
                        _ => rec.cut.push((i, (end - start) as u64)),
                    }
                }
            }
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if rec.overflow.is_some() => {
                    dropped += out;
                    out = 0;
                    ends = 0;
                }
                ReadRecordResult::OutputFull => {
                    if out < rec.bytes.len() {
                        // room made by a cut
                    } else if out >= MAX_RECORD_BYTES {
                        rec.overflow = Some("the row is longer than 8 MiB");
                        dropped += out;
                        out = 0;
                        ends = 0;
                    } else {
                        let grown =
                            (rec.bytes.len() * 2).min(MAX_RECORD_BYTES + MAX_FIELD_BYTES + 1);
                        rec.bytes.resize(grown, 0);
                    }
                }
                ReadRecordResult::OutputEndsFull => {
                    if ends >= MAX_FIELDS {
                        rec.overflow
                            .get_or_insert("the row has more than 4096 fields");
                        dropped += out;
                        out = 0;
                        ends = 0;
                    } else {
                        let grown = (rec.ends.len() * 2).min(MAX_FIELDS + 1);
                        rec.ends.resize(grown, 0);
                    }
                }
                ReadRecordResult::Record => {
                    rec.len = out;
                    rec.fields = ends;
                    return Ok(true);
                }
                ReadRecordResult::End => {
                    self.eof = true;
                    return Ok(false);
                }
            }
        }
    }
}

/// A delimited file read record by record, one record ahead (to know which
/// is the last).
pub(crate) struct Records {
    rdr: Reader,
    pub(crate) origin: Arc<str>,
    pub(crate) header: Header,
    cur: Record,
    next: Record,
    has_next: bool,
    done: bool,
    /// Why the rest of the file cannot be read (an I/O or gzip error met
    /// while reading ahead), said after the last row that could be.
    failed: Option<String>,
    /// Fields were decoded as windows-1252.
    legacy: Cell<bool>,
}

impl Records {
    pub(crate) fn open(path: &Path, progress: &Progress) -> std::io::Result<Records> {
        let header = input::read_header(path)?;
        let src = input::open(path, progress)?;
        let mut rdr = Reader::new(src, header.delimiter);
        // The header is read (and checked) before the first record.
        let mut first = Record::default();
        rdr.read(&mut first)?;
        let mut records = Records {
            rdr,
            origin: Arc::from(path.display().to_string()),
            header,
            cur: Record::default(),
            next: Record::default(),
            has_next: false,
            done: false,
            failed: None,
            legacy: Cell::new(false),
        };
        match records.fetch() {
            Ok(more) => records.has_next = more,
            Err(e) => records.failed = Some(e.to_string()),
        }
        Ok(records)
    }

    fn fetch(&mut self) -> std::io::Result<bool> {
        self.rdr.read(&mut self.next)
    }

    /// Moves to the next record and gives its line (read its fields with
    /// [`Records::field`]), or why it is bad; `None` at the end.
    pub(crate) fn advance(&mut self) -> Option<Result<u64, BadRow>> {
        // A loop, not a call of itself: a file of blank lines is long.
        loop {
            match self.step() {
                Some(None) => continue,
                Some(Some(row)) => return Some(row),
                None => return None,
            }
        }
    }

    /// [`Records::advance`] by one record: `Some(None)` for a blank line,
    /// skipped quietly.
    fn step(&mut self) -> Option<Option<Result<u64, BadRow>>> {
        if self.done {
            return None;
        }
        if !self.has_next {
            self.done = true;
            let why = self.failed.take()?;
            return Some(Some(Err(BadRow {
                origin: self.origin.clone(),
                line: self.cur.line + 1,
                reason: format!("reading stopped: {why}"),
            })));
        }
        std::mem::swap(&mut self.cur, &mut self.next);
        let (line, start) = (self.cur.line, self.cur.byte);
        match self.fetch() {
            Ok(true) => {}
            Ok(false) => {
                self.has_next = false;
                if input::cut_off(self.rdr.src.get_ref(), start) {
                    self.done = true;
                    return Some(Some(Err(BadRow {
                        origin: self.origin.clone(),
                        line,
                        reason: "the file ends inside this row (a quoted field is never closed): \
                                 the file was cut off; row skipped"
                            .to_string(),
                    })));
                }
            }
            Err(e) => {
                // The rest of the file cannot be read (an I/O or gzip
                // error): this row, read whole, still counts; the error is
                // said next.
                self.has_next = false;
                self.failed = Some(e.to_string());
            }
        }
        if let Some(why) = self.cur.overflow {
            return Some(Some(Err(BadRow {
                origin: self.origin.clone(),
                line,
                reason: format!("{why}; row skipped"),
            })));
        }
        let width = self.header.names.len();
        if self.cur.fields != width {
            // A blank line reads as one empty field: skip it quietly.
            if self.cur.fields == 1
                && self
                    .cur
                    .get(0)
                    .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                return Some(None);
            }
            return Some(Some(Err(BadRow {
                origin: self.origin.clone(),
                line,
                reason: format!(
                    "{} {} where the header has {width}; row skipped",
                    self.cur.fields,
                    if self.cur.fields == 1 {
                        "field"
                    } else {
                        "fields"
                    }
                ),
            })));
        }
        Some(Some(Ok(line)))
    }

    /// A field of the current record as text (UTF-8, or windows-1252 when
    /// it is not valid UTF-8); `None` when the column is absent.
    pub(crate) fn field(&self, col: Option<usize>) -> Option<Cow<'_, str>> {
        let (s, legacy) = input::decode(self.cur.get(col?)?);
        if legacy {
            self.legacy.set(true);
        }
        Some(s)
    }

    /// A field trimmed, as an owned string; `None` when absent or empty.
    pub(crate) fn owned(&self, col: Option<usize>) -> Option<String> {
        let s = self.field(col)?;
        input::non_empty(&s).map(str::to_string)
    }

    /// The fields of the current record that were cut at
    /// [`MAX_FIELD_BYTES`], each as a sentence naming the column and its
    /// length as written.
    pub(crate) fn cuts(&self) -> impl Iterator<Item = String> + '_ {
        self.cur.cut.iter().map(|&(i, len)| {
            let column = match self.header.names.get(i) {
                Some(name) if !name.is_empty() => format!("the {:?} field", name),
                _ => format!("field {}", i + 1),
            };
            format!("{column} is {len} bytes long: cut to its first {MAX_FIELD_BYTES}")
        })
    }

    /// Whether any field was decoded as windows-1252 so far.
    pub(crate) fn legacy(&self) -> bool {
        self.legacy.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &[u8]) -> (tempfile::TempDir, Records) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        let records = Records::open(&path, &Progress::default()).unwrap();
        (dir, records)
    }

    #[test]
    fn a_million_blank_lines_are_skipped_without_a_deep_stack() {
        let mut text = b"title,text\r\nA,first\r\n".to_vec();
        text.extend(b"\r\n".repeat(1_000_000));
        text.extend(b"B,last\r\n");
        let (_dir, mut r) = open(&text);
        assert_eq!(r.advance(), Some(Ok(2)));
        assert_eq!(r.advance(), Some(Ok(1_000_003)));
        assert_eq!(r.field(Some(0)).as_deref(), Some("B"));
        assert_eq!(r.advance(), None);
    }

    #[test]
    fn a_long_field_is_cut_as_it_is_read_and_its_row_kept() {
        let mut text = b"title,text\nA,\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', 3 * MAX_FIELD_BYTES + 5));
        text.extend(b"\"\nB,short\n");
        let (_dir, mut r) = open(&text);
        assert_eq!(r.advance(), Some(Ok(2)));
        assert_eq!(r.field(Some(0)).as_deref(), Some("A"));
        assert_eq!(r.field(Some(1)).unwrap().len(), MAX_FIELD_BYTES);
        let cuts: Vec<String> = r.cuts().collect();
        assert_eq!(
            cuts,
            [format!(
                "the \"text\" field is {} bytes long: cut to its first {MAX_FIELD_BYTES}",
                3 * MAX_FIELD_BYTES + 5
            )]
        );
        // The next row is read as written, and nothing said of it.
        assert_eq!(r.advance(), Some(Ok(3)));
        assert_eq!(r.field(Some(1)).as_deref(), Some("short"));
        assert_eq!(r.cuts().count(), 0);
        assert_eq!(r.advance(), None);
    }

    #[test]
    fn rows_past_the_bounds_are_skipped_and_the_rest_read() {
        let mut text = b"title,text\n".to_vec();
        // Ten fields of a MiB: a record longer than 8 MiB.
        for _ in 0..10 {
            text.extend(std::iter::repeat_n(b'y', MAX_FIELD_BYTES));
            text.push(b',');
        }
        text.extend(b"\"a quoted\nline break\"\n");
        text.extend(std::iter::repeat_n(b',', MAX_FIELDS + 10));
        text.extend(b"\nC,fine\n");
        let (_dir, mut r) = open(&text);
        let bad = r.advance().unwrap().unwrap_err();
        assert_eq!(bad.line, 2);
        assert!(bad.reason.contains("longer than 8 MiB"), "{}", bad.reason);
        let bad = r.advance().unwrap().unwrap_err();
        assert_eq!(bad.line, 4, "the quoted line break is inside the row");
        assert!(
            bad.reason.contains("more than 4096 fields"),
            "{}",
            bad.reason
        );
        assert_eq!(r.advance(), Some(Ok(5)));
        assert_eq!(r.field(Some(0)).as_deref(), Some("C"));
        assert_eq!(r.advance(), None);
    }
}
