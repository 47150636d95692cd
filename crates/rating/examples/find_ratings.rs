//! Prints the ratings `find_in_text` finds in each file named on the
//! command line (`CTX=1` also prints the text around each):
//! `cargo run -p verdict-rating --example find_ratings -- review.txt`.

fn main() {
    let ctx = std::env::var("CTX").is_ok();
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let found = verdict_rating::find_in_text(&text);
        if found.is_empty() {
            continue;
        }
        println!("== {path}");
        for f in found {
            let s = f.rating.span.expect("span");
            println!(
                "  {:?} label={:?} -> {:.2} ({}/{} {} {:?})",
                f.rating.raw,
                f.label,
                f.rating.score,
                f.rating.value,
                f.rating.best,
                f.rating.scale,
                f.rating.confidence
            );
            if ctx {
                let mut a = s.start.saturating_sub(100);
                while !text.is_char_boundary(a) {
                    a += 1;
                }
                let mut b = (s.end + 60).min(text.len());
                while !text.is_char_boundary(b) {
                    b += 1;
                }
                println!("      … {} …", text[a..b].replace('\n', "⏎"));
            }
        }
    }
}
