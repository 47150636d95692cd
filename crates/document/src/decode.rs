//! Bytes to text: UTF-8 when it is, a BOM when there is one, otherwise the
//! encoding `chardetng` detects (windows-1252 for most legacy review files).

use crate::DocumentError;
use verdict_core::Diagnostic;

/// Decodes a document's bytes, refusing binary data.
pub fn decode(origin: &str, bytes: &[u8]) -> Result<(String, Vec<Diagnostic>), DocumentError> {
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
    let text = if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
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
        if encoding != encoding_rs::UTF_8 {
            diagnostics.push(Diagnostic::info(
                "decode.bom",
                format!("decoded as {} (byte order mark)", encoding.name()),
            ));
        }
        text.into_owned()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                if bytes.contains(&0) {
                    return Err(DocumentError::Binary {
                        origin: origin.to_string(),
                        what: "contains NUL bytes".to_string(),
                    });
                }
                let mut detector =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                detector.feed(bytes, true);
                let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
                let (text, _, had_errors) = encoding.decode(bytes);
                diagnostics.push(Diagnostic::warning(
                    "decode.legacy",
                    format!("not valid UTF-8; decoded as {} (detected)", encoding.name()),
                ));
                if had_errors {
                    diagnostics.push(Diagnostic::warning(
                        "decode.replaced",
                        "some bytes could not be decoded; replaced with U+FFFD",
                    ));
                }
                text.into_owned()
            }
        }
    };
    let controls = text
        .chars()
        .take(65_536)
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    let total = text.chars().take(65_536).count().max(1);
    if controls * 100 > total {
        return Err(DocumentError::Binary {
            origin: origin.to_string(),
            what: format!("{controls} control characters in the first {total}"),
        });
    }
    Ok((text, diagnostics))
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
    fn utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Red Rooms".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (t, _) = decode("u16", &bytes).unwrap();
        assert_eq!(t, "Red Rooms");
    }
}
