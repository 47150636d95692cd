//! Writes the hostile corpus to a folder: `hostile DIR [SIZE_BYTES]`
//! (16 MiB by default, the largest document Verdict reads).

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: hostile DIR [SIZE_BYTES]"));
    let size = args
        .next()
        .map_or(16 << 20, |s| s.parse().expect("SIZE_BYTES: a number"));
    std::fs::create_dir_all(&dir)?;
    for page in verdict_testkit::hostile::corpus(size) {
        std::fs::write(dir.join(format!("{}.html", page.name)), &page.bytes)?;
        println!("{}\t{}\t{}", page.name, page.bytes.len(), page.shape);
    }
    Ok(())
}
