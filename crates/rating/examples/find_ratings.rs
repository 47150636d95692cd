fn main() {
    let ctx = std::env::var("CTX").is_ok();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let mut header = false;
        for f in verdict_rating::find_in_text(&text) {
            if !header {
                println!("== {path}");
                header = true;
            }
            let s = f.rating.span.unwrap();
            assert_eq!(&text[s.start..s.end], f.rating.raw);
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
