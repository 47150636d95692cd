//! Parses documents and prints what the document stage read, with timings:
//! `cargo run --release -p verdict-document --example parse -- FILE…`
//! (`--nest N` parses a synthetic page nested N `<div>`s deep).

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut docs: Vec<verdict_source::RawDocument> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--nest" {
            let n: usize = args[i + 1].parse().expect("--nest N");
            let html = format!(
                "<html><body>{}deep text{}</body></html>",
                "<div>".repeat(n),
                "</div>".repeat(n)
            );
            docs.push(verdict_source::RawDocument::new(
                format!("nest-{n}"),
                html.into_bytes(),
            ));
            i += 2;
        } else {
            docs.push(
                verdict_source::read_file(std::path::Path::new(&args[i])).expect("readable file"),
            );
            i += 1;
        }
    }
    for raw in docs {
        if std::env::var_os("STAGES").is_some() {
            stages(&String::from_utf8_lossy(&raw.bytes));
        }
        let t = Instant::now();
        match verdict_document::parse(&raw) {
            Ok(doc) => println!(
                "{}: {} ({} blocks, {} page lines) in {:.1} ms{}",
                raw.origin,
                doc.format.as_str(),
                doc.blocks.len(),
                doc.page_lines.len(),
                t.elapsed().as_secs_f64() * 1000.0,
                doc.diagnostics
                    .iter()
                    .filter(|d| d.code == "html.bounded")
                    .map(|d| format!(" [bounded: {}]", d.message))
                    .collect::<String>()
            ),
            Err(e) => println!("{e}"),
        }
    }
}

fn stages(html: &str) {
    let t = Instant::now();
    let d = dom_query::Document::from(html);
    println!(
        "  html5ever parse: {:.1} ms ({} chars of text)",
        t.elapsed().as_secs_f64() * 1000.0,
        d.text().len()
    );
    let t = Instant::now();
    let a = dom_smoothie::Readability::new(html, None, None)
        .ok()
        .and_then(|mut r| r.parse().ok());
    println!(
        "  readability: {:.1} ms ({})",
        t.elapsed().as_secs_f64() * 1000.0,
        a.is_some()
    );
}
