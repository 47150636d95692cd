//! Records of a delimited file, streamed one at a time, with the checks
//! every layout shares: the field count against the header, and a last row
//! cut off by a truncated file.

use std::borrow::Cow;
use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;

use csv::ByteRecord;

use crate::input::{self, Header, Progress, Source};
use crate::row::BadRow;

/// A delimited file read record by record, one record ahead (to know which
/// is the last).
pub(crate) struct Records {
    rdr: csv::Reader<Source>,
    pub(crate) origin: Arc<str>,
    pub(crate) header: Header,
    cur: ByteRecord,
    next: ByteRecord,
    has_next: bool,
    done: bool,
    /// Fields were decoded as windows-1252.
    legacy: Cell<bool>,
}

impl Records {
    pub(crate) fn open(path: &Path, progress: &Progress) -> std::io::Result<Records> {
        let header = input::read_header(path)?;
        let src = input::open(path, progress)?;
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(header.delimiter)
            .has_headers(true)
            .flexible(true)
            // Records end at "\n" (a "\r" before it is trimmed off the last
            // field): with CRLF as the terminator the csv crate dates a
            // record from the line before it.
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            .from_reader(src);
        // The header is read (and checked) before the first record.
        rdr.byte_headers()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let mut records = Records {
            rdr,
            origin: Arc::from(path.display().to_string()),
            header,
            cur: ByteRecord::new(),
            next: ByteRecord::new(),
            has_next: false,
            done: false,
            legacy: Cell::new(false),
        };
        records.has_next = records.fetch().is_ok_and(|x| x);
        Ok(records)
    }

    fn fetch(&mut self) -> Result<bool, csv::Error> {
        self.rdr.read_byte_record(&mut self.next)
    }

    /// Moves to the next record and gives its line (read its fields with
    /// [`Records::field`]), or why it is bad; `None` at the end.
    pub(crate) fn advance(&mut self) -> Option<Result<u64, BadRow>> {
        if self.done {
            return None;
        }
        if !self.has_next {
            self.done = true;
            return None;
        }
        std::mem::swap(&mut self.cur, &mut self.next);
        let (line, start) = self.cur.position().map_or((0, 0), |p| (p.line(), p.byte()));
        match self.fetch() {
            Ok(true) => {}
            Ok(false) => {
                self.has_next = false;
                if input::cut_off(self.rdr.get_ref(), start) {
                    self.done = true;
                    return Some(Err(BadRow {
                        origin: self.origin.clone(),
                        line,
                        reason: "the file ends inside this row (a quoted field is never closed): \
                                 the file was cut off; row skipped"
                            .to_string(),
                    }));
                }
            }
            Err(e) => {
                // The rest of the file cannot be read (an I/O or gzip error).
                self.has_next = false;
                self.done = true;
                return Some(Err(BadRow {
                    origin: self.origin.clone(),
                    line,
                    reason: format!("reading stopped: {e}"),
                }));
            }
        }
        let width = self.header.names.len();
        if self.cur.len() != width {
            // A blank line reads as one empty field: skip it quietly.
            if self.cur.len() == 1
                && self
                    .cur
                    .get(0)
                    .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                return self.advance();
            }
            return Some(Err(BadRow {
                origin: self.origin.clone(),
                line,
                reason: format!(
                    "{} {} where the header has {width}; row skipped",
                    self.cur.len(),
                    if self.cur.len() == 1 {
                        "field"
                    } else {
                        "fields"
                    }
                ),
            }));
        }
        Some(Ok(line))
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

    /// Whether any field was decoded as windows-1252 so far.
    pub(crate) fn legacy(&self) -> bool {
        self.legacy.get()
    }
}
