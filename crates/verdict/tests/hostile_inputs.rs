//! Inputs made to hurt, given to the real binary: a gzip whose one field
//! expands to a gigabyte (memory stays bounded: the field is cut as it is
//! read), titles and names of megabytes, rows past the record bounds, a
//! FIFO among the inputs, lines that are not UTF-8 on `rating -`, and file
//! names that carry a terminal's escape codes and line breaks.

mod common;
use common::*;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a run of the binary printed and cost.
struct Measured {
    out: String,
    err: String,
    success: bool,
    /// Peak resident memory, KiB.
    peak: u64,
    /// CPU time, user and system, seconds.
    cpu: f64,
}

/// Runs `verdict --db DB ARGS…` to its end (killed, and the test failed,
/// past `limit`), polling its peak resident memory (`VmHWM`) and its CPU
/// time (`/proc/PID/stat`) as it runs.
fn run_measured(db: &Path, args: &[&str], limit: Duration) -> Measured {
    let mut child = verdict_command()
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("VERDICT_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run verdict");
    let status_file = format!("/proc/{}/status", child.id());
    let stat_file = format!("/proc/{}/stat", child.id());
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let started = Instant::now();
    let mut peak = 0u64;
    let mut ticks = 0u64;
    let status = loop {
        // utime and stime, the 14th and 15th fields, in clock ticks (100 a
        // second on Linux); the name before them is in parentheses.
        if let Ok(stat) = std::fs::read_to_string(&stat_file)
            && let Some((_, rest)) = stat.rsplit_once(')')
        {
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if let (Some(u), Some(s)) = (fields.get(11), fields.get(12))
                && let (Ok(u), Ok(s)) = (u.parse::<u64>(), s.parse::<u64>())
            {
                ticks = ticks.max(u + s);
            }
        }
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "verdict {args:?} still running after {limit:?}: {}",
                err_reader.join().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Measured {
        out: out_reader.join().unwrap(),
        err: err_reader.join().unwrap(),
        success: status.success(),
        peak,
        cpu: ticks as f64 / 100.0,
    }
}

/// A generic CSV, gzipped, written as it is generated: a review, one whose
/// text is `huge` bytes, one whose title is 10 MB, a row of 12 MB, a row of
/// 5,000 fields, and a last review.
fn hostile_gzip(path: &Path, huge: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut gz =
        flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::fast());
    gz.write_all(b"title,critic,rating,text\n").unwrap();
    gz.write_all(b"Harbour Lights,Ann Lee,3/4,A fine and tender film.\n")
        .unwrap();
    gz.write_all(b"Big Film,Bob Roe,2/4,\"").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    let mut left = huge;
    while left > 0 {
        let n = left.min(chunk.len());
        gz.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    gz.write_all(b"\"\n").unwrap();
    gz.write_all(&vec![b'T'; 10 << 20]).unwrap();
    gz.write_all(b",Cy Dee,3/4,Long but fine.\n").unwrap();
    for _ in 0..12 {
        gz.write_all(&vec![b'w'; 1 << 20]).unwrap();
        gz.write_all(b",").unwrap();
    }
    gz.write_all(b"end\n").unwrap();
    gz.write_all(&vec![b','; 5000]).unwrap();
    gz.write_all(b"\nLast Film,Di Ek,4/4,Great fun.\n").unwrap();
    gz.finish().unwrap().flush().unwrap();
}

#[test]
fn a_gzip_field_of_a_gigabyte_is_cut_as_it_is_read_and_memory_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let gz = dir.path().join("reviews.csv.gz");
    hostile_gzip(&gz, 1 << 30);
    let on_disk = std::fs::metadata(&gz).unwrap().len();
    assert!(on_disk < 16 << 20, "the gzip is small on disk: {on_disk}");
    let Measured {
        err,
        success,
        peak: peak_kib,
        ..
    } = run_measured(&db, &["import", s(&gz)], Duration::from_secs(600));
    eprintln!(
        "peak resident memory importing a 1 GiB field ({} MiB gzipped): {} MiB",
        on_disk >> 20,
        peak_kib >> 10
    );
    assert!(success, "{err}");
    // The field is cut with a note naming the file and the row.
    let origin = gz.display().to_string();
    assert!(
        err.contains(&format!(
            "{origin}:3: the \"text\" field is 1073741824 bytes long: cut to its first 1048576"
        )),
        "{err}"
    );
    // The rows past the record's bounds are skipped, named; the others
    // stored, the last one too.
    assert!(
        err.contains(&format!(
            "{origin}:5: the row is longer than 8 MiB; row skipped"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{origin}:6: the row has more than 4096 fields; row skipped"
        )),
        "{err}"
    );
    assert!(err.contains("4 stored"), "{err}");
    assert!(err.contains("2 bad"), "{err}");
    let films = json(&db, &["films", "--json"]);
    let titles: Vec<String> = films
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["film"]["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.iter().any(|t| t == "Last Film"), "{titles:?}");
    assert!(titles.iter().any(|t| t == "Big Film"), "{titles:?}");
    // The 10 MB title is cut to 1,000 characters.
    let long = titles
        .iter()
        .find(|t| t.starts_with("TTT"))
        .expect("the long title's film");
    assert_eq!(long.chars().count(), 1000, "{}", long.len());
    // Memory: the old reader held the whole field (and doubled its buffer
    // to do it): several GiB. Bounded reading stays far below; the bound
    // is generous (the binary and its judge take their own share).
    assert!(
        peak_kib < 400 << 10,
        "peak resident memory {} MiB importing a 1 GiB field",
        peak_kib >> 10
    );
}

#[test]
fn a_fifo_among_the_inputs_is_refused_and_the_others_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let fifo = dir.path().join("pipe.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    let good = write(
        dir.path(),
        "good.csv",
        "title,critic,rating,text\nHarbour Lights,Ann Lee,3/4,A fine and tender film.\n",
    );
    // Nothing ever writes to the FIFO: reading it would block for ever.
    let Measured { err, success, .. } = run_measured(
        &db,
        &["import", s(&fifo), s(&good)],
        Duration::from_secs(120),
    );
    assert!(
        err.contains(&format!("verdict: {}: not a regular file", fifo.display())),
        "{err}"
    );
    assert!(err.contains("1 stored"), "{err}");
    assert!(!success, "a refused input fails the run: {err}");
    // Alone, it is refused too, and nothing hangs.
    let Measured { err, success, .. } =
        run_measured(&db, &["import", s(&fifo)], Duration::from_secs(120));
    assert!(!success);
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn rating_reads_on_past_a_line_that_is_not_utf8() {
    let out = with_stdin(&["rating", "-"], b"3/4\nB+ \xff\xfe\n7/10\n".as_slice());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["score"], 75.0);
    assert!(lines[0].get("note").is_none());
    assert_eq!(lines[1]["input"], "B+ \u{fffd}\u{fffd}");
    assert!(
        lines[1]["note"]
            .as_str()
            .is_some_and(|n| n.contains("not valid UTF-8")),
        "{:?}",
        lines[1]
    );
    assert_eq!(lines[2]["score"], 70.0);
}

/// Whether `text` holds a control character other than a line break.
fn has_controls(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn names_with_escape_codes_and_line_breaks_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let evil = "evil\u{1b}[31mred\nline";
    // A document that fails (empty), and one that is stored.
    let empty = dir.path().join(format!("{evil}.txt"));
    std::fs::write(&empty, "").unwrap();
    let good = dir.path().join(format!("{evil} good.txt"));
    std::fs::write(
        &good,
        "Night Owls (2024)\n\nBy Jane Critic\n\nThe lead performance is terrific and the ending lands.\n\nRating: 4/5\n",
    )
    .unwrap();
    let missing = dir.path().join(format!("{evil} missing.txt"));
    let out = verdict(&db, &["ingest", s(&empty), s(&good), s(&missing)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for text in [&stdout, &stderr] {
        assert!(!has_controls(text), "{text:?}");
        for line in text.lines().filter(|l| l.contains("evil")) {
            assert!(
                line.contains("evil\\u{1b}[31mred\\nline"),
                "escaped whole, on one line: {line:?}"
            );
        }
    }
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("evil") && l.contains(".txt: ")),
        "{stderr}"
    );
    assert!(stdout.contains("stored"), "{stdout}");
    assert_eq!(stderr.matches("evil").count(), 2, "{stderr}");

    // `import`: a bad row, a file that is not there, the summary.
    let csv = dir.path().join(format!("{evil}.csv"));
    std::fs::write(
        &csv,
        "title,critic,rating,text\nHarbour Lights,Ann Lee,3/4,A fine film.\nonly one field\n",
    )
    .unwrap();
    let missing = dir.path().join(format!("{evil} gone.csv"));
    let out = verdict(&db, &["import", s(&csv), s(&missing)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!has_controls(&stderr), "{stderr:?}");
    let named: Vec<&str> = stderr.lines().filter(|l| l.contains("evil")).collect();
    assert!(named.len() >= 3, "{stderr}");
    for line in named {
        assert!(line.contains("evil\\u{1b}[31mred\\nline"), "{line:?}");
    }
}

/// Pages crafted to be expensive (nested 100,000 deep, 100,000 attributes
/// on one tag, formatting elements re-created in every block, quotation
/// marks never closed…): each read by `verdict extract` at a bounded cost.
/// The bounds are generous (this is a debug build, and the machine may be
/// busy): what they catch is a cost that grows with the square of a page's
/// shape, which at this size is minutes and gigabytes. `bench/hostile/run.sh`
/// measures the release build against the goal (1 s of CPU per MB, 20x the
/// size in memory) at 16 MiB.
#[test]
fn hostile_pages_cost_a_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let size = 1 << 20;
    let mut report = Vec::new();
    for page in verdict_testkit::hostile::corpus(size) {
        let path = dir.path().join(format!("{}.html", page.name));
        std::fs::write(&path, &page.bytes).unwrap();
        let m = run_measured(
            &db,
            &["extract", "--json", s(&path)],
            Duration::from_secs(300),
        );
        assert!(m.success, "{}: {}", page.name, m.err);
        let extracted: serde_json::Value = serde_json::from_str(&m.out).expect("JSON");
        assert!(extracted["review"].is_object(), "{}: {}", page.name, m.out);
        let mb = page.bytes.len() as f64 / 1e6;
        let peak_mb = m.peak as f64 / 1024.0;
        report.push(format!(
            "{:<22} {:6.2} s CPU {:6.0} MiB peak",
            page.name, m.cpu, peak_mb
        ));
        assert!(
            m.cpu <= 20.0 * mb.max(1.0),
            "{} ({}): {:.1} s of CPU for {mb:.1} MB",
            page.name,
            page.shape,
            m.cpu
        );
        assert!(
            peak_mb <= 150.0 + 40.0 * mb,
            "{} ({}): {peak_mb:.0} MiB at the peak for {mb:.1} MB",
            page.name,
            page.shape
        );
    }
    eprintln!("{}", report.join("\n"));
}
