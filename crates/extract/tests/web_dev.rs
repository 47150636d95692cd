//! Main text on the wider web: the web-dev set's 439 pages (blogs, forums,
//! recipes, shops, institutional pages, many languages), each with
//! snippets the review body must contain and snippets of furniture it must
//! not. The bars are the goals the extraction was tuned to; the numbers,
//! beside trafilatura's, are `bench/extraction/run.sh`'s.

mod support;

use support::web_dev::{Tally, load};

/// The share of `with` snippets found, at least (measured: see
/// docs/benchmarks.md).
const FOUND: f64 = 0.95;
/// The share of `without` snippets avoided, at least.
const AVOIDED: f64 = 0.92;

#[test]
fn main_text_of_the_wider_web() {
    let Some(dir) = verdict_testkit::unpacked("extraction-web-dev/pages.tar.xz") else {
        return;
    };
    let pages = load(&dir);
    assert_eq!(pages.len(), 439);
    let (mut whole, mut held) = (Tally::default(), Tally::default());
    for page in &pages {
        let name = page.file.file_name().unwrap().to_string_lossy().to_string();
        let raw = verdict_source::RawDocument::new(&name, std::fs::read(&page.file).unwrap());
        let text = match verdict_document::parse(&raw) {
            Ok(doc) => verdict_extract::extract(&doc).review.body,
            Err(_) => String::new(),
        };
        whole.add(page, &text);
        if page.held_out() {
            held.add(page, &text);
        }
    }
    eprintln!(
        "web-dev: found {:.3} avoided {:.3} (held-out part: found {:.3} avoided {:.3})",
        whole.found_share(),
        whole.avoided_share(),
        held.found_share(),
        held.avoided_share()
    );
    assert!(
        whole.found_share() >= FOUND,
        "found {:.3} of the `with` snippets, under {FOUND}",
        whole.found_share()
    );
    assert!(
        whole.avoided_share() >= AVOIDED,
        "avoided {:.3} of the `without` snippets, under {AVOIDED}",
        whole.avoided_share()
    );
}
