//! The rating reader's report without the whole application (the same as
//! `verdict-lab ratings-report`): `cargo run --release -p verdict-lab
//! --example ratings_report -- ../shared/data`.

fn main() {
    let data = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data".to_string());
    match verdict_lab::ratings_report::run(std::path::Path::new(&data), 20) {
        Ok(report) => print!("{}", report.render(15)),
        Err(e) => {
            eprintln!("ratings_report: {data}: {e}");
            std::process::exit(1);
        }
    }
}
