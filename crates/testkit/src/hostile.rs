//! Pages crafted to be expensive: the hostile corpus the cost bounds are
//! held to (by the document crate's test, and by `bench/hostile/run.sh`,
//! which writes them out with `cargo run -p verdict-testkit --example
//! hostile -- DIR`). Each is generated to a size; none is committed.

/// One hostile page: a name for messages and files, and its bytes.
pub struct Hostile {
    pub name: &'static str,
    /// What makes it expensive.
    pub shape: &'static str,
    pub bytes: Vec<u8>,
}

/// Every shape, each about `size` bytes long.
pub fn corpus(size: usize) -> Vec<Hostile> {
    let head = "<!DOCTYPE html><html><head><title>Hostile</title></head><body>";
    let repeat = |unit: &str, tail: &str| -> Vec<u8> {
        let n = (size.saturating_sub(head.len() + tail.len()) / unit.len()).max(1);
        let mut page = String::with_capacity(size + 64);
        page.push_str(head);
        for _ in 0..n {
            page.push_str(unit);
        }
        page.push_str(tail);
        page.into_bytes()
    };
    let nest = |open: &str, close: &str| -> Vec<u8> {
        let n = size.saturating_sub(head.len() + 32) / (open.len() + close.len());
        let mut page = String::with_capacity(size + 64);
        page.push_str(head);
        for _ in 0..n {
            page.push_str(open);
        }
        page.push_str("the middle");
        for _ in 0..n {
            page.push_str(close);
        }
        page.into_bytes()
    };
    let attributes = {
        let mut page = String::with_capacity(size + 64);
        page.push_str(head);
        page.push_str("<div");
        let mut i = 0usize;
        while page.len() + 32 < size {
            page.push_str(&format!(" a{i}=x"));
            i += 1;
        }
        page.push_str(">text</div>");
        page.into_bytes()
    };
    let distinct_formatting = {
        // Formatting elements that differ by an attribute are all kept
        // open, and re-created in every block that follows.
        let mut page = String::with_capacity(size + 64);
        page.push_str(head);
        for i in 0..2_000 {
            page.push_str(&format!("<b class=c{i}>"));
        }
        while page.len() + 16 < size {
            page.push_str("<p>text");
        }
        page.into_bytes()
    };
    vec![
        Hostile {
            name: "deep-div",
            shape: "<div> nested as deep as the size allows, then closed",
            bytes: nest("<div>", "</div>"),
        },
        Hostile {
            name: "deep-unclosed-span",
            shape: "<span> opened over and over, never closed",
            bytes: repeat("<span>", ""),
        },
        Hostile {
            name: "deep-table",
            shape: "<table><tr><td> nested over and over",
            bytes: repeat("<table><tr><td>", ""),
        },
        Hostile {
            name: "many-attributes",
            shape: "one tag with as many attributes as the size allows",
            bytes: attributes,
        },
        Hostile {
            name: "p-b-unclosed",
            shape: "<p><b> repeated, never closed",
            bytes: repeat("<p><b>", ""),
        },
        Hostile {
            name: "distinct-formatting",
            shape: "2,000 distinct <b> left open, then short paragraphs",
            bytes: distinct_formatting,
        },
        Hostile {
            name: "misnested-anchors",
            shape: "<a><div> repeated: the adoption agency in every block",
            bytes: repeat("<a href=x><div>", ""),
        },
        Hostile {
            name: "empty-elements",
            shape: "<i></i> repeated: the most elements per byte",
            bytes: repeat("<i></i>", ""),
        },
        Hostile {
            name: "stray-end-tags",
            shape: "</p> repeated: each one makes an element",
            bytes: repeat("</p>", ""),
        },
        Hostile {
            name: "comments",
            shape: "<!----> repeated",
            bytes: repeat("<!---->", ""),
        },
        Hostile {
            name: "unclosed-quotes",
            shape: "opening quotation marks never closed, in one paragraph",
            bytes: repeat("“x 'y ", "</body></html>"),
        },
        Hostile {
            name: "one-paragraph",
            shape: "one paragraph of plain words as long as the size allows",
            bytes: repeat("word ", "</body></html>"),
        },
    ]
}
