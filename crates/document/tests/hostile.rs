//! The HTML cost guard acts on every page shaped to be expensive, and on
//! none of the project's own pages: each hostile page of the corpus is
//! parsed with an `html.bounded` diagnostic (its text kept), and each
//! example review without one.

use verdict_source::RawDocument;

fn bounded(doc: &verdict_document::Document) -> bool {
    doc.diagnostics.iter().any(|d| d.code == "html.bounded")
}

#[test]
fn every_expensive_shape_is_bounded_before_the_parser() {
    // Shapes whose cost is not the markup's (plain words, quotation
    // marks) are bounded elsewhere, not by the guard.
    let not_markup = ["one-paragraph", "unclosed-quotes"];
    for page in verdict_testkit::hostile::corpus(512 * 1024) {
        let raw = RawDocument::new(format!("{}.html", page.name), page.bytes);
        let doc = verdict_document::parse(&raw).expect("parsed");
        if not_markup.contains(&page.name) {
            assert!(!bounded(&doc), "{}: {:?}", page.name, doc.diagnostics);
            continue;
        }
        assert!(
            bounded(&doc),
            "{} ({}) went to the parser unbounded",
            page.name,
            page.shape
        );
    }
}

#[test]
fn the_projects_own_pages_are_parsed_as_they_are() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reviews");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let doc = verdict_document::parse(&verdict_source::read_file(&path).unwrap()).unwrap();
            assert!(!bounded(&doc), "{}: {:?}", path.display(), doc.diagnostics);
            seen += 1;
        }
    }
    assert!(seen >= 2);
}
