//! One wording for allergies everywhere: the viewer, the printout and `lifeboat show` say the same
//! words (from `AllergyStatus`) for "nothing recorded" and for "the record says none", and never
//! the ambiguous 「アレルギー情報なし」.
//!
//! The snapshot is written here as FHIR R4: one patient whose record says no known allergy
//! (SNOMED CT 716186003, as JP Core allows), one with no allergy entry at all, one whose SS-MIX2-
//! style entry is the word 「なし」 (same meaning as the code).

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use lifeboat::chart::AllergyStatus;
use lifeboat::index::{OpenOptions, SnapshotIndex};
use lifeboat::print::{self, PrintOptions};
use lifeboat::progress::Progress;
use lifeboat::ui::Screen;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/viewer.rs"]
mod viewer;

const SYSTEM: &str = "urn:oid:1.2.392.100495.20.3.51.11319999999";

fn patient(id: &str, family: &str, given: &str) -> serde_json::Value {
    json!({
        "fullUrl": format!("urn:uuid:00000000-0000-4000-8000-{id:0>12}"),
        "resource": {
            "resourceType": "Patient",
            "identifier": [{"system": SYSTEM, "value": id}],
            "name": [{"use": "official", "text": format!("{family} {given}"), "family": family, "given": [given]}],
            "gender": "female",
            "birthDate": "1950-02-03"
        }
    })
}

fn allergy(id: &str, code: serde_json::Value) -> serde_json::Value {
    json!({
        "fullUrl": format!("urn:uuid:10000000-0000-4000-8000-{id:0>12}"),
        "resource": {
            "resourceType": "AllergyIntolerance",
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]},
            "code": code,
            "patient": {"reference": format!("urn:uuid:00000000-0000-4000-8000-{id:0>12}")},
            "recordedDate": "2026-11-01"
        }
    })
}

fn write_snapshot(dir: &Path) {
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            patient("900001", "記録", "なし子"),
            allergy("900001", json!({"coding": [{"system": "http://snomed.info/sct", "code": "716186003", "display": "No known allergy"}]})),
            patient("900002", "未記", "録子"),
            patient("900003", "無し", "言葉子"),
            allergy("900003", json!({"text": "なし"})),
        ]
    });
    std::fs::write(
        dir.join("bundle.json"),
        serde_json::to_vec_pretty(&bundle).unwrap(),
    )
    .unwrap();
}

fn open(root: &Path, index_dir: &Path) -> SnapshotIndex {
    let options = OpenOptions {
        roots: vec![root.to_path_buf()],
        index_dir: Some(index_dir.to_path_buf()),
        ..Default::default()
    };
    SnapshotIndex::open(&options, &Progress::new()).unwrap()
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for the print tests; .ci/run installs it");
    // pdftotext may break a long line: compare without line breaks and spaces.
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn cli_show(root: &Path, index_dir: &Path, id: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(["show", id, "--snapshot"])
        .arg(root)
        .arg("--index")
        .arg(index_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn viewer_text(root: PathBuf, index_dir: PathBuf, id: &str) -> Vec<String> {
    let options = viewer::options(vec![root], index_dir);
    let mut h = viewer::harness(Harness::builder(), options, egui::vec2(1366.0, 768.0), ());
    h.run();
    h.get_by_label("患者検索").type_text(id);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        h.state().as_ref().map(|a| a.screen()),
        Some(Screen::Chart),
        "patient {id} opens"
    );
    h.query_all_by_label_contains("")
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

#[test]
fn screen_paper_and_cli_say_the_same_allergy_words() {
    let snap = tempfile::tempdir().unwrap();
    write_snapshot(snap.path());
    let idx = tempfile::tempdir().unwrap();
    let index_dir = idx.path().join("index");
    let index = open(snap.path(), &index_dir);
    let options = PrintOptions::default();

    for (id, status) in [
        ("900001", AllergyStatus::NoneKnown),
        ("900002", AllergyStatus::NoData),
        ("900003", AllergyStatus::NoneKnown),
    ] {
        let chart = print::chart_of(&index, id).unwrap();
        assert_eq!(chart.allergies().status, status, "patient {id}");
        let headline = status.headline_ja();
        let explain = status.explain_ja();

        let paper = pdf_text(&print::patient_pdf(&index, id, &options).unwrap());
        let cli = cli_show(snap.path(), &index_dir, id);
        let screen = viewer_text(snap.path().to_path_buf(), index_dir.clone(), id).join("\n");
        for (face, text) in [("paper", &paper), ("cli", &cli), ("screen", &screen)] {
            let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(flat.contains(headline), "{face} of {id} lacks {headline}: {text}");
            let explain_flat: String = explain.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                flat.contains(&explain_flat),
                "{face} of {id} lacks {explain}: {text}"
            );
            assert!(
                !flat.contains("アレルギー情報なし"),
                "{face} of {id} says the ambiguous words"
            );
            // The other status's words never appear.
            let other = match status {
                AllergyStatus::NoData => AllergyStatus::NoneKnown,
                _ => AllergyStatus::NoData,
            };
            assert!(
                !flat.contains(other.headline_ja()),
                "{face} of {id} also says {}",
                other.headline_ja()
            );
        }
    }
}
