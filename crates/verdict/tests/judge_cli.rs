//! `verdict judge` driven through the real binary.

mod common;
use common::*;

fn judge_lines(input: impl AsRef<[u8]>) -> Vec<serde_json::Value> {
    let out = with_stdin(&["judge", "-"], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out)
}

#[test]
fn judge_reads_plain_and_json_lines_in_order() {
    let rave = "A masterpiece: gripping, beautifully acted and one of the best films of the year.";
    let pan = "A tedious, incoherent mess that wastes a talented cast. Avoid it.";
    let input = format!(
        "{rave}\n\
         {{\"text\": {pan:?}}}\n\
         {{\"text\": {rave:?}, \"rating\": \"1/5\"}}\n\
         {{\"text\": {pan:?}, \"rating\": \"B+\"}}\n\
         {{\"text\": {rave:?}, \"rating\": \"4.5/5\"}}\n\
         {{\"text\": {rave:?}, \"rating\": \"MPAA Rating: R\"}}\n\
         Un film magnifique, bouleversant et superbement joué : un chef-d'œuvre.\n\
         \n\
         {{\"review\": \"no text field\"}}\n"
    );
    let out = judge_lines(&input);
    assert_eq!(out.len(), 9, "{out:#?}");
    for o in &out {
        for field in [
            "score",
            "verdict",
            "probability",
            "evidence",
            "language",
            "model",
        ] {
            assert!(!o[field].is_null(), "{field} missing: {o}");
        }
        let p = o["probability"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p), "{o}");
    }
    // Plain text and JSON text.
    assert_eq!(out[0]["verdict"], "positive", "{}", out[0]);
    assert!(out[0]["probability"].as_f64().unwrap() > 0.8);
    assert!(!out[0]["evidence"].as_array().unwrap().is_empty());
    assert_eq!(out[0]["language"], "english");
    assert_eq!(out[1]["verdict"], "negative", "{}", out[1]);
    assert!(out[1]["rating"].is_null() && out[1]["disagreement"].is_null());
    // A rating decides score and verdict; the text's reading is kept and a
    // strong disagreement flagged.
    assert_eq!(out[2]["score"], 20.0);
    assert_eq!(out[2]["verdict"], "negative");
    assert_eq!(out[2]["text"]["verdict"], "positive", "{}", out[2]);
    assert_eq!(out[2]["disagreement"], true);
    assert_eq!(out[2]["rating"]["raw"], "1/5");
    assert!((out[3]["score"].as_f64().unwrap() - 83.3).abs() < 0.1);
    assert_eq!(out[3]["disagreement"], true, "{}", out[3]);
    assert_eq!(out[4]["score"], 90.0);
    assert_eq!(out[4]["disagreement"], false);
    assert!(out[4]["probability"].as_f64().unwrap() > 0.9, "{}", out[4]);
    // A string that is not a rating is reported and the text decides.
    assert!(out[5]["rating"]["score"].is_null());
    assert!(out[5]["rating"]["refused"].is_string(), "{}", out[5]);
    assert_eq!(out[5]["verdict"], "positive");
    // French: detected, and read by the French judge, surely.
    assert_eq!(out[6]["language"], "french");
    assert_eq!(out[6]["unsure"], false);
    assert_eq!(out[6]["model"], "linear-fr-v1", "{}", out[6]);
    assert_eq!(out[6]["verdict"], "positive", "{}", out[6]);
    assert!(out[6]["p_favourable"].as_f64().unwrap() > 0.8, "{}", out[6]);
    // An empty line: no reading.
    assert_eq!(out[7]["verdict"], "mixed");
    assert_eq!(out[7]["probability"], 0.0);
    // A JSON object without `text` is read as text, with a note.
    assert!(out[8]["note"].is_string(), "{}", out[8]);
}

#[test]
fn judge_reads_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let doc = dir.path().join("review.md");
    std::fs::write(
        &doc,
        "---\ntitle: Harbour Lights (2024)\n---\n\
         The story follows a lighthouse keeper and her estranged brother.\n\n\
         > \"The worst film I have ever seen, a total bore\", one viewer wrote.\n\n\
         The performances are superb and the script is sharp and witty; \
         I was moved from the first scene to the last.\n\n\
         Verdict: a gorgeous, gripping drama. Highly recommended.\n",
    )
    .unwrap();
    let out: serde_json::Value =
        serde_json::from_str(&ok(&db, &["judge", doc.to_str().unwrap()])).unwrap();
    assert_eq!(out["verdict"], "positive", "{out:#}");
    assert!(out["rating"].is_null());
    for e in out["evidence"].as_array().unwrap() {
        assert!(
            !e.as_str().unwrap().contains("worst film"),
            "a quote used as evidence: {e}"
        );
    }
    let missing = verdict(&db, &["judge", "/nonexistent/review.txt"]);
    assert!(!missing.status.success());
}

/// Bad lines are judged as well as they can be and say what was wrong; the
/// lines around them are judged as usual.
#[test]
fn judge_says_what_was_wrong_with_a_line_and_goes_on() {
    let mut input = b"A wonderful film.\n".to_vec();
    input.extend_from_slice(b"Gripping \xff\xfe and moving.\n");
    input.extend_from_slice(b"{\"text\": \"unclosed}\n");
    input.extend_from_slice(b"{\"text\": 3}\n");
    input.extend_from_slice(b"A dull mess.");
    let lines = judge_lines(input);
    assert_eq!(lines.len(), 5);
    assert!(lines[0]["note"].is_null());
    assert!(
        lines[1]["note"].as_str().unwrap().contains("UTF-8"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2]["note"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3]["note"].as_str().unwrap().contains("`text`"),
        "{}",
        lines[3]
    );
    assert_eq!(lines[0]["verdict"], "positive");
    assert_eq!(lines[4]["verdict"], "negative");
}
