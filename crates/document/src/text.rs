//! Plain text: every non-blank line is a block (hard-wrapped paragraphs are
//! joined back), lines starting with `>` are quotes.

use crate::{Block, BlockKind, Document, collapse_whitespace};
use verdict_core::Span;

pub(crate) fn parse(doc: &mut Document) {
    doc.blocks = blocks(&doc.text, 0);
}

/// Line blocks of `text`, whose spans are offset by `base` (the position of
/// `text` inside the document).
pub(crate) fn blocks(text: &str, base: usize) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut offset = 0;
    let mut previous_blank = true;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            previous_blank = true;
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        let span = Span::new(base + start + lead, base + start + lead + trimmed.len());
        let (kind, body) = match trimmed.strip_prefix('>') {
            Some(rest) => (BlockKind::Quote, rest.trim_start()),
            None => (BlockKind::Paragraph, trimmed),
        };
        // A hard-wrapped paragraph: this line continues the previous one.
        if !previous_blank
            && let Some(last) = out.last_mut()
            && last.kind == kind
            && continues(&last.text, body)
        {
            last.text.push(' ');
            last.text.push_str(&collapse_whitespace(body));
            if let Some(s) = last.span.as_mut() {
                s.end = span.end;
            }
            previous_blank = false;
            continue;
        }
        out.push(Block {
            kind,
            text: collapse_whitespace(body),
            span: Some(span),
        });
        previous_blank = false;
    }
    out
}

/// Whether `next` continues a hard-wrapped line `prev`: the previous line is
/// long and stops mid-sentence, and the next starts in lower case.
fn continues(prev: &str, next: &str) -> bool {
    prev.chars().count() >= 50
        && !prev.ends_with(['.', '!', '?', ':', '"', '”', '…'])
        && next.chars().next().is_some_and(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_blocks_with_exact_spans() {
        let text = "Red Rooms\n\n  A very good film.\r\n> someone else said\nScore: 88\n";
        let b = blocks(text, 0);
        assert_eq!(b.len(), 4);
        for block in &b {
            let s = block.span.unwrap();
            assert!(text[s.start..s.end].contains(&block.text), "{block:?}");
        }
        assert_eq!(b[0].text, "Red Rooms");
        assert_eq!(b[2].kind, BlockKind::Quote);
        assert_eq!(b[2].text, "someone else said");
        assert_eq!(
            &text[b[3].span.unwrap().start..b[3].span.unwrap().end],
            "Score: 88"
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "This is a long line of a review that was wrapped at a fixed\nwidth by the editor.\nNext line.";
        let b = blocks(text, 0);
        assert_eq!(b.len(), 2);
        assert!(b[0].text.ends_with("fixed width by the editor."));
    }
}
