fn main() {
    for line in std::io::stdin().lines() {
        let line = line.unwrap();
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
