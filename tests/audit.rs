//! The audit log from the command line (issue 16): who looked at whom is logged per command,
//! the chain verifies, an edit is named, `show` filters by patient, the CSV opens in Excel,
//! and every printed page carries the operator and the chain head it was printed at.

#[path = "common/laptop.rs"]
mod laptop;
use laptop::{s, text};
use std::path::Path;
use std::process::{Command, Output};

const NHO: &str = "../shared/samples/ssmix2/nho-testing-tool/sampleData";

fn run(home: &Path, args: &[&str], operator: bool) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lifeboat"));
    c.args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("LIFEBOAT_OPERATOR")
        .env_remove("LIFEBOAT_AUDIT_LOG")
        .stdin(std::process::Stdio::null());
    if operator {
        c.args([
            "--operator",
            "山田 花子",
            "--staff-id",
            "N1234",
            "--role",
            "看護師",
        ]);
    }
    c.output().expect("lifeboat runs")
}

fn nho_root() -> Option<std::path::PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(NHO);
    p.is_dir().then_some(p)
}

#[test]
fn commands_are_logged_by_operator_and_the_chain_names_an_edited_line() {
    let Some(nho) = nho_root() else {
        panic!("{NHO} missing: the NHO sample is part of the shared samples");
    };
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    let idx = h.join("idx");

    // No operator: refused before anything opens, and says how.
    let o = run(
        h,
        &["show", "9999013", "--snapshot", s(&nho), "--index", s(&idx)],
        false,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--operator"), "{}", text(&o));

    let o = run(
        h,
        &["search", "カンジャ", "--snapshot", s(&nho), "--index", s(&idx)],
        true,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        h,
        &["show", "9999013", "--snapshot", s(&nho), "--index", s(&idx)],
        true,
    );
    assert!(o.status.success(), "{}", text(&o));
    let pdf = h.join("p.pdf");
    let o = run(
        h,
        &[
            "print",
            "--patient",
            "9999013",
            "--snapshot",
            s(&nho),
            "--index",
            s(&idx),
            "--out",
            s(&pdf),
        ],
        true,
    );
    assert!(o.status.success(), "{}", text(&o));

    let log = h.join("data").join("lifeboat").join("audit.jsonl");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .expect("the log is in the data folder")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap_or("")).collect();
    assert_eq!(
        events,
        vec![
            "snapshot_opened",
            "search",
            "snapshot_opened",
            "chart_opened",
            "snapshot_opened",
            "printed"
        ]
    );
    for l in &lines {
        assert_eq!(l["operator"]["name"], "山田 花子");
        assert_eq!(l["operator"]["staff_id"], "N1234");
        assert_eq!(l["operator"]["role"], "看護師");
    }
    assert_eq!(lines[1]["text"], "カンジャ");
    assert_eq!(lines[3]["patient"], "9999013");
    assert_eq!(lines[5]["patients"], serde_json::json!(["9999013"]));
    let pages = lines[5]["pages"].as_u64().expect("pages");
    assert!(pages >= 1);

    // Every page: the operator and the head the print line follows.
    let head = lines[5]["prev"].as_str().expect("prev");
    assert_eq!(
        lines[5]["sheet"].as_str(),
        Some(&head[..8]),
        "the line names its sheets' head"
    );
    let out = Command::new("pdftotext")
        .args(["-layout", s(&pdf), "-"])
        .output()
        .expect("pdftotext");
    let pdf_text = String::from_utf8_lossy(&out.stdout).into_owned();
    let sheets: Vec<&str> = pdf_text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(sheets.len() as u64, pages, "the logged page count");
    for (i, page) in sheets.iter().enumerate() {
        let flat: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("印刷者 看護師 山田 花子 (N1234)"),
            "page {}: {flat}",
            i + 1
        );
        assert!(
            flat.contains(&format!("監査 {}", &head[..8])),
            "page {}: {flat}",
            i + 1
        );
    }

    // verify, show by patient, export.
    let o = run(h, &["audit", "verify"], false);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("intact, 6 lines"), "{}", text(&o));
    let o = run(h, &["audit", "show", "--patient", "9999013"], false);
    let shown = text(&o);
    assert_eq!(shown.lines().count(), 2, "{shown}");
    assert!(
        shown.contains("chart_opened") && shown.contains("printed"),
        "{shown}"
    );
    let csv = h.join("audit.csv");
    let o = run(h, &["audit", "export", "--out", s(&csv)], false);
    assert!(o.status.success(), "{}", text(&o));
    let bytes = std::fs::read(&csv).expect("csv");
    assert!(bytes.starts_with(b"\xef\xbb\xbf\"seq\""), "UTF-8 with BOM");
    assert_eq!(String::from_utf8_lossy(&bytes).lines().count(), 7);

    // Someone changes who looked: the next line names the break.
    let original = std::fs::read_to_string(&log).expect("log");
    let edited = original.replacen("\"patient\":\"9999013\"", "\"patient\":\"9999001\"", 1);
    assert_ne!(edited, original);
    std::fs::write(&log, edited).expect("write");
    let o = run(h, &["audit", "verify"], false);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("BROKEN at line 5"), "{}", text(&o));
}
