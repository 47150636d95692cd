//! Reads one rating string per line of standard input and prints the
//! reading: `printf '4.5/5 Stars\nB+\n' | cargo run -p verdict-rating --example read_lines`.

fn main() {
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        match verdict_rating::read(&line) {
            verdict_rating::Reading::Rated(r) => println!(
                "{:<28} -> {:7.2} {}/{} {} {:?}",
                format!("{line:?}"),
                r.score,
                r.value,
                r.best,
                r.scale,
                r.confidence
            ),
            verdict_rating::Reading::Refused(r) => {
                println!("{:<28} -> REFUSED {}", format!("{line:?}"), r.reason)
            }
        }
    }
}
