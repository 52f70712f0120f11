//! The command-line contract: `check --json` and `show --json` keys and values.

use std::process::Command;

fn sample() -> String {
    format!(
        "{}/../shared/samples/ssmix2/nho-testing-tool/sampleData",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .args(args)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn check_json_accounts_for_every_file() {
    let v = run_json(&["check", &sample(), "--json"]);
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
        .args(["show", "nobody", "--snapshot", &sample()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data for patient nobody"));
}

#[test]
fn bench_runs_every_phase_in_its_own_process() {
    // The figures themselves are machine-dependent; what is checked is that each phase
    // reports, with its own peak memory, and the ratios against the floor are printed.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
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
