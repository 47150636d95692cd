#[test]
#[ignore]
fn dump() {
    let Some(dir) = verdict_testkit::seeds() else {
        return;
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let raw = verdict_source::read_file(&p).unwrap();
        let doc = verdict_document::parse(&raw).unwrap();
        let ex = verdict_extract::extract(&doc);
        println!("{}", serde_json::to_string_pretty(&ex).unwrap());
    }
}
