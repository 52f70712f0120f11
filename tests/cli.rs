//! The command-line contract: `check --json` and `show --json` keys and values.

use std::path::PathBuf;
use std::process::Command;

fn sample() -> String {
    format!(
        "{}/../shared/samples/ssmix2/nho-testing-tool/sampleData",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run_json(args: &[&str]) -> serde_json::Value {
    run_json_ending(args, 0)
}

/// Runs the command, which must end with `code`, and parses its JSON output.
fn run_json_ending(args: &[&str], code: i32) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn check_json_accounts_for_every_file() {
    // One file is rejected: `check` says so in its exit code too (README table).
    let v = run_json_ending(&["check", &sample(), "--json"], 2);
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} missing"));
    assert_eq!(n("files_total"), 22);
    assert_eq!(
        n("files_mapped") + n("files_with_warnings") + n("files_rejected") + n("files_unsupported"),
        22
    );
    assert_eq!(n("files_rejected"), 1);
    assert_eq!(v["records"]["allergy"], 5);
    assert_eq!(v["as_of"], "2011-12-20T22:44:47.339");
    let problems = v["problems"].as_array().expect("problems");
    assert!(
        problems
            .iter()
            .all(|p| p["path"].is_string() && p["severity"].is_string() && p["message"].is_string())
    );
    assert!(problems.iter().any(|p| p["severity"] == "error"));
}

#[test]
fn show_json_has_every_section() {
    let v = run_json(&["show", "9999013", "--snapshot", &sample(), "--json"]);
    for key in [
        "patient",
        "allergies",
        "diagnoses",
        "medications",
        "labs",
        "encounters",
        "procedures",
        "other",
    ] {
        assert!(!v[key].is_null(), "{key} missing");
    }
    assert_eq!(v["patient"]["name_kanji"]["family"], "患者");
    assert_eq!(v["patient"]["name_kana"]["given"], "タロウ");
    let drugs: Vec<&str> = v["medications"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["data"]["medication_order"]["drug"]["text"].as_str())
        .collect();
    assert!(drugs.contains(&"ダーゼン錠（５mg)"));
}

#[test]
fn show_text_is_japanese_and_names_the_allergies() {
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(["show", "9999013", "--snapshot", &sample()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("患者 太郎（カンジャ タロウ）"));
    for a in ["スギ", "ソバ", "アリナミン"] {
        assert!(text.contains(a), "{a}");
    }
}

#[test]
fn unknown_patient_is_an_error_not_an_empty_chart() {
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(["show", "nobody", "--snapshot", &sample()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data for patient nobody"));
}

#[test]
fn bench_runs_every_phase_in_its_own_process() {
    // The figures themselves are machine-dependent; what is checked is that each phase
    // reports, with its own peak memory, and the ratios against the floor are printed.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(["bench", &sample(), "--queries", "16", "--index"])
        .arg(dir.path().join("index"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "I/O floor, first read (list + read every file): 22 files",
        "I/O floor, second read",
        "ingest (both readers, records dropped): 21 messages",
        "index build (ingest + tantivy): 2 patients, 39 records, 21 messages",
        "peak RSS of the Floor phase",
        "peak RSS of the Ingest phase",
        "peak RSS of the Build phase",
        "ingest/read = ",
        "build/read = ",
        "peak RSS of the viewing process",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    assert!(
        !text.contains("@figures"),
        "the parent keeps the figures lines to itself"
    );
}

// --- A good citizen: exit codes, closed pipes, terminal escapes, stable output ---

fn lifeboat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn check_exit_codes_tell_rejected_files_from_an_unreadable_snapshot() {
    let clean = format!("{}/999", sample());
    let out = lifeboat(&["check", &clean]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // sampleData/000/000/0000001 holds a deliberately broken 2-byte file.
    let out = lifeboat(&["check", &sample()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("取込不可 rejected:              1"));
    let missing = format!("{}/no-such-snapshot", sample());
    for args in [
        vec!["check", missing.as_str()],
        vec!["show", "9999013", "--snapshot", missing.as_str()],
    ] {
        let out = lifeboat(&args);
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-snapshot"));
    }
    // Bad arguments are code 1, like any other error; --help is not an error.
    assert_eq!(
        lifeboat(&["check", "--no-such-flag", &sample()]).status.code(),
        Some(1)
    );
    assert_eq!(lifeboat(&["--help"]).status.code(), Some(0));
}

/// Runs the command with its stdout closed before it writes (the reader of `| head` gone).
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("waits")
}

#[test]
fn a_closed_pipe_is_a_quiet_exit_not_a_panic() {
    let index = tempfile::tempdir().expect("temp dir");
    let index = index.path().to_str().expect("UTF-8 temp path");
    let sample = sample();
    for (args, code) in [
        (
            vec!["show", "9999013", "--snapshot", &sample, "--index", index],
            0,
        ),
        (
            vec![
                "show",
                "9999013",
                "--snapshot",
                &sample,
                "--index",
                index,
                "--json",
            ],
            0,
        ),
        (vec!["check", &sample], 2),
        (vec!["check", &sample, "--json"], 2),
        (vec!["search", "患者", "--snapshot", &sample, "--index", index], 0),
    ] {
        let out = with_closed_stdout(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    }
}

/// A FHIR snapshot whose patient data and file names carry terminal controls: ESC/CSI (clear
/// the screen, colour), BEL, BS, CR, the one-byte C1 CSI and a right-to-left override.
fn hostile_snapshot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let bundle = r#"{"resourceType":"Bundle","type":"collection","entry":[
      {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"p1",
        "identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"7000001"}],
        "name":[{"text":"試験\u001b[2J\u001b]0;pwned\u0007 花子","family":"試験\u001b[2J","given":["花子\u0008\u0008"]}],
        "gender":"female","birthDate":"1948-03-02"}},
      {"resource":{"resourceType":"AllergyIntolerance","patient":{"reference":"urn:uuid:p"},
        "code":{"text":"ペニシリン\r\u009b31m\u202eなし"},"recordedDate":"2024-01-01"}}]}"#;
    std::fs::write(dir.path().join("patient.json"), bundle).expect("writes");
    // A rejected file whose very name is an escape sequence: problem lines quote it.
    std::fs::write(
        dir.path().join("bad\u{1b}[31mname.json"),
        b"{\"resourceType\":\"Patient\",",
    )
    .expect("writes");
    dir
}

/// No byte a terminal acts on (other than LF and tab) is left in a text output.
fn assert_terminal_safe(what: &str, stdout: &[u8]) {
    let text = String::from_utf8(stdout.to_vec()).expect("UTF-8 output");
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| lifeboat::cli::out::is_unsafe(c))
        .collect();
    assert!(bad.is_empty(), "{what}: raw controls {bad:?} in:\n{text}");
    assert!(
        text.contains("\\u{1b}"),
        "{what}: the escape is shown escaped:\n{text}"
    );
}

#[test]
fn text_outputs_escape_terminal_controls_from_the_data() {
    let snap = hostile_snapshot();
    let snap = snap.path().to_str().expect("UTF-8 temp path");
    let index = tempfile::tempdir().expect("temp dir");
    let index = index.path().to_str().expect("UTF-8 temp path");

    let show = lifeboat(&["show", "7000001", "--snapshot", snap, "--index", index]);
    assert_eq!(
        show.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    assert_terminal_safe("show", &show.stdout);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(text.contains("試験\\u{1b}[2J"), "{text}");
    assert!(text.contains("ペニシリン\\u{d}\\u{9b}31m\\u{202e}なし"), "{text}");

    let check = lifeboat(&["check", snap]);
    assert_eq!(check.status.code(), Some(2));
    assert_terminal_safe("check", &check.stdout);
    assert!(String::from_utf8_lossy(&check.stdout).contains("bad\\u{1b}[31mname.json"));

    let search = lifeboat(&["search", "花子", "--snapshot", snap, "--index", index]);
    assert_eq!(
        search.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&search.stderr)
    );
    assert_terminal_safe("search", &search.stdout);

    // JSON stays JSON and keeps the data as stored: controls escaped by JSON itself.
    let v = run_json(&["show", "7000001", "--snapshot", snap, "--index", index, "--json"]);
    let family = v["patient"]["name_kanji"]["family"]
        .as_str()
        .expect("family name");
    assert_eq!(family, "試験\u{1b}[2J");
    let raw = lifeboat(&["show", "7000001", "--snapshot", snap, "--index", index, "--json"]).stdout;
    assert!(
        !raw.contains(&0x1b) && !raw.contains(&0x07),
        "JSON escapes C0 controls"
    );
}

#[test]
fn two_index_builds_show_every_patient_byte_identically() {
    use lifeboat::index::{OpenOptions, SnapshotIndex};
    let root = PathBuf::from(format!("{}/sample-data", env!("CARGO_MANIFEST_DIR")));
    let dirs = [
        tempfile::tempdir().expect("temp dir"),
        tempfile::tempdir().expect("temp dir"),
    ];
    // Two builds in two processes, as two laptops would make them.
    for d in &dirs {
        let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
            .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
            .env(
                "LIFEBOAT_AUDIT_LOG",
                std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
            )
            .arg("index")
            .arg(&root)
            .arg("--index")
            .arg(d.path())
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let open = |d: &tempfile::TempDir| {
        let options = OpenOptions {
            roots: vec![root.clone()],
            index_dir: Some(d.path().to_path_buf()),
            ignore_prebuilt: true,
            ..Default::default()
        };
        SnapshotIndex::open(&options, &lifeboat::progress::Progress::new()).expect("opens")
    };
    let (a, b) = (open(&dirs[0]), open(&dirs[1]));
    let mut ids: Vec<String> = a
        .some_patients(a.patient_count())
        .expect("patients")
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    assert_eq!(ids.len(), a.patient_count());
    assert!(ids.len() >= 40, "{} patients", ids.len());
    // `show --json` prints exactly this (serde_json pretty) for the dump.
    for id in &ids {
        let shown = |i: &SnapshotIndex| {
            let dump = lifeboat::cli::show::indexed(i, id).expect("dump");
            serde_json::to_string_pretty(&dump).expect("JSON")
        };
        let (x, y) = (shown(&a), shown(&b));
        assert!(x == y, "patient {id}: the two builds answer differently");
        assert!(x.len() > 200, "patient {id}: a real chart");
    }
    // And through the binary, for one patient: the same bytes as the library gives.
    let first = &ids[0];
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(["show", first, "--json", "--snapshot"])
        .arg(&root)
        .arg("--index")
        .arg(dirs[1].path())
        .output()
        .expect("runs");
    let dump = lifeboat::cli::show::indexed(&a, first).expect("dump");
    let expected = serde_json::to_string_pretty(&dump).expect("JSON") + "\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}
