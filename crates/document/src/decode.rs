//! Bytes to text, choosing the encoding as browsers do: a byte order mark
//! first, then the charset the document came with (an HTTP `Content-Type`
//! header), then a `<meta charset>` (or `http-equiv`) declaration in the
//! first bytes of an HTML page, else UTF-8 when the bytes are valid UTF-8,
//! else the encoding `chardetng` detects (windows-1252 for most legacy
//! review files).
//!
//! Declarations lie: a page sent as UTF-8 that is not valid UTF-8 is
//! detected instead, and a page declared in a legacy encoding whose bytes
//! are valid (non-ASCII) UTF-8 is read as UTF-8 — legacy text is almost
//! never valid UTF-8 by accident. Either way a `decode.wrong-charset`
//! warning says so.

use crate::DocumentError;
use encoding_rs::{Encoding, UTF_8};
use verdict_core::Diagnostic;

/// Decodes a document's bytes, refusing binary data.
pub fn decode(origin: &str, bytes: &[u8]) -> Result<(String, Vec<Diagnostic>), DocumentError> {
    decode_declared(origin, bytes, None)
}

/// Decodes a document's bytes, `declared` being the charset it came with
/// (the `charset` of an HTTP `Content-Type`), refusing binary data.
pub fn decode_declared(
    origin: &str,
    bytes: &[u8],
    declared: Option<&str>,
) -> Result<(String, Vec<Diagnostic>), DocumentError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DocumentError::Empty {
            origin: origin.to_string(),
        });
    }
    if let Some(what) = magic(bytes) {
        return Err(DocumentError::Binary {
            origin: origin.to_string(),
            what: what.to_string(),
        });
    }
    let mut diagnostics = Vec::new();
    let text = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            diagnostics.push(Diagnostic::warning(
                "decode.replaced",
                format!(
                    "some bytes are not valid {}; replaced with U+FFFD",
                    encoding.name()
                ),
            ));
        }
        if encoding != UTF_8 {
            diagnostics.push(Diagnostic::info(
                "decode.bom",
                format!("decoded as {} (byte order mark)", encoding.name()),
            ));
        }
        text.into_owned()
    } else {
        let declaration = declared
            .map(|label| (label.to_string(), "the Content-Type header"))
            .or_else(|| meta_charset(bytes).map(|label| (label, "a <meta> tag")));
        let encoding = declaration.as_ref().and_then(|(label, source)| {
            let found = Encoding::for_label(label.trim().as_bytes());
            if found.is_none() {
                diagnostics.push(Diagnostic::warning(
                    "decode.unknown-charset",
                    format!("unknown charset {label:?} declared in {source}; ignored"),
                ));
            }
            // A <meta> tag cannot declare UTF-16 (the tag itself would not
            // be readable): HTML reads it as UTF-8.
            found.map(|e| match (*source, e.output_encoding()) {
                ("a <meta> tag", out) if out == UTF_8 => UTF_8,
                _ => e,
            })
        });
        let source = declaration.as_ref().map(|(_, s)| *s).unwrap_or("");
        let utf8 = std::str::from_utf8(bytes).ok();
        match (encoding, utf8) {
            (None, Some(s)) => s.to_string(),
            (Some(e), Some(s)) if e == UTF_8 => s.to_string(),
            (Some(e), None) if e == UTF_8 => {
                let (text, name) = detect(origin, bytes, &mut diagnostics)?;
                diagnostics.push(Diagnostic::warning(
                    "decode.wrong-charset",
                    format!("declared UTF-8 in {source}, but the bytes are not UTF-8; decoded as {name} (detected)"),
                ));
                text
            }
            (Some(encoding), Some(s)) if !s.is_ascii() => {
                diagnostics.push(Diagnostic::warning(
                    "decode.wrong-charset",
                    format!(
                        "declared {} in {source}, but the bytes are UTF-8; decoded as UTF-8",
                        encoding.name()
                    ),
                ));
                s.to_string()
            }
            (Some(_), Some(s)) => s.to_string(),
            (Some(encoding), None) => {
                let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
                if !utf16 && bytes.contains(&0) {
                    return Err(DocumentError::Binary {
                        origin: origin.to_string(),
                        what: "contains NUL bytes".to_string(),
                    });
                }
                let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
                if had_errors {
                    let (text, name) = detect(origin, bytes, &mut diagnostics)?;
                    diagnostics.push(Diagnostic::warning(
                        "decode.wrong-charset",
                        format!(
                            "declared {} in {source}, but the bytes are not {}; decoded as {name} (detected)",
                            encoding.name(),
                            encoding.name()
                        ),
                    ));
                    text
                } else {
                    diagnostics.push(Diagnostic::info(
                        "decode.declared",
                        format!("decoded as {} (declared in {source})", encoding.name()),
                    ));
                    text.into_owned()
                }
            }
            (None, None) => {
                let (text, name) = detect(origin, bytes, &mut diagnostics)?;
                diagnostics.insert(
                    0,
                    Diagnostic::warning(
                        "decode.legacy",
                        format!("not valid UTF-8; decoded as {name} (detected)"),
                    ),
                );
                text
            }
        }
    };
    let (controls, total) = control_characters(&text);
    if controls * 100 > total {
        return Err(DocumentError::Binary {
            origin: origin.to_string(),
            what: format!("{controls} control characters in the first {total}"),
        });
    }
    Ok((text, diagnostics))
}

/// Control characters (other than line breaks, tabs and form feeds) among
/// the first 65,536 characters, and how many characters were looked at.
fn control_characters(text: &str) -> (usize, usize) {
    let (mut controls, mut total) = (0usize, 0usize);
    for c in text.chars().take(65_536) {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            controls += 1;
        }
    }
    (controls, total.max(1))
}

/// Decodes bytes that are not UTF-8 in the encoding `chardetng` detects.
fn detect(
    origin: &str,
    bytes: &[u8],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(String, &'static str), DocumentError> {
    if bytes.contains(&0) {
        return Err(DocumentError::Binary {
            origin: origin.to_string(),
            what: "contains NUL bytes".to_string(),
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        diagnostics.push(Diagnostic::warning(
            "decode.replaced",
            "some bytes could not be decoded; replaced with U+FFFD",
        ));
    }
    Ok((text.into_owned(), encoding.name()))
}

/// The charset a `<meta charset=…>` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` declares in the first bytes of a page (the
/// HTML prescan looks at 1024; pages with long heads get 4096 here).
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = find(&lower[from..], b"<meta") {
        let start = from + p;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &head[start + c + "charset".len()..end];
            let rest = String::from_utf8_lossy(rest);
            let value = rest
                .trim_start()
                .strip_prefix('=')?
                .trim_start()
                .trim_start_matches(['"', '\''])
                .split(['"', '\'', ';', ' ', '/', '>'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            if !value.is_empty() {
                return Some(value);
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Recognises common binary formats by their first bytes.
fn magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 9] = [
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "zip archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"\x7fELF", "executable"),
        (b"SQLite format 3\0", "SQLite database"),
        (b"\xfd7zXZ", "xz data"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let (t, d) = decode("x", "Clémentine ★★★½".as_bytes()).unwrap();
        assert_eq!(t, "Clémentine ★★★½");
        assert!(d.is_empty());
    }

    #[test]
    fn cp1252_is_detected_and_noted() {
        // "Clémentine’s café" in windows-1252
        let bytes = b"Cl\xe9mentine\x92s caf\xe9 is a film review with enough text to detect.";
        let (t, d) = decode("old.txt", bytes).unwrap();
        assert!(t.starts_with("Clémentine’s café"), "{t}");
        assert_eq!(d[0].code, "decode.legacy");
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode("a.png", b"\x89PNG\r\n\x1a\n\0\0"),
            Err(DocumentError::Binary { .. })
        ));
        assert!(matches!(
            decode("b", b"abc\0\xff\xfe\0"),
            Err(DocumentError::Binary { .. })
        ));
        assert!(matches!(
            decode("e", b"  \n "),
            Err(DocumentError::Empty { .. })
        ));
        let e = decode("bin.dat", &[1u8, 2, 3, 4, 5, 6, 7, 8, 65]).unwrap_err();
        assert!(e.to_string().contains("bin.dat"), "{e}");
    }

    #[test]
    fn the_declared_charset_is_used() {
        // "Clémentine" in windows-1252, declared.
        let bytes = b"Cl\xe9mentine, a review";
        let (t, d) = decode_declared("u", bytes, Some("ISO-8859-1")).unwrap();
        assert_eq!(t, "Clémentine, a review");
        assert_eq!(d[0].code, "decode.declared");
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body>Caf\xe9 \x93noir\x94</body></html>";
        let (t, d) = decode("p.html", page).unwrap();
        assert!(t.contains("Café “noir”"), "{t}");
        assert!(d[0].message.contains("<meta>"), "{d:?}");
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-15\"><p>\xa4 5</p>";
        let (t, _) = decode("p.html", page).unwrap();
        assert!(t.contains("€ 5"), "{t}");
        // The header wins over the meta tag.
        let (t, _) =
            decode_declared("p", "<meta charset=\"koi8-r\">é".as_bytes(), Some("utf-8")).unwrap();
        assert!(t.ends_with('é'));
    }

    #[test]
    fn a_wrong_declaration_is_caught() {
        // Sent as UTF-8, written in windows-1252.
        let bytes = b"Cl\xe9mentine\x92s caf\xe9 is a film review with enough text to detect.";
        let (t, d) = decode_declared("u", bytes, Some("utf-8")).unwrap();
        assert!(t.starts_with("Clémentine’s café"), "{t}");
        assert!(d.iter().any(|x| x.code == "decode.wrong-charset"), "{d:?}");
        // Sent as ISO-8859-1, written in UTF-8.
        let (t, d) =
            decode_declared("u", "Clémentine ★★★½".as_bytes(), Some("ISO-8859-1")).unwrap();
        assert_eq!(t, "Clémentine ★★★½");
        assert!(d[0].message.contains("the bytes are UTF-8"), "{d:?}");
        // Unknown labels are noted and ignored.
        let (t, d) = decode_declared("u", b"plain", Some("klingon")).unwrap();
        assert_eq!(t, "plain");
        assert_eq!(d[0].code, "decode.unknown-charset");
        // A BOM beats any declaration.
        let (t, _) =
            decode_declared("u", b"\xef\xbb\xbfcaf\xc3\xa9", Some("windows-1252")).unwrap();
        assert_eq!(t, "café");
    }

    #[test]
    fn control_characters_are_counted_as_characters() {
        assert_eq!(control_characters("a\u{1}b\u{85}c\n"), (2, 6));
        assert_eq!(control_characters("été ★"), (0, 5));
        assert_eq!(control_characters(""), (0, 1));
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Red Rooms".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (t, _) = decode("u16", &bytes).unwrap();
        assert_eq!(t, "Red Rooms");
    }
}
