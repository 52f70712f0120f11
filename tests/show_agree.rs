//! The index and a direct read of the files give the same chart (`lifeboat show ID --json`
//! against `--direct`), for every patient of the public samples, the bundled sample data and a
//! small generated hospital in both formats.

use lifeboat::cli::show::{direct, direct_all, indexed};
use lifeboat::export::fhir::{ExportOptions, Layout, export_snapshot};
use lifeboat::index::{OpenOptions, SnapshotIndex};
use lifeboat::progress::Progress;
use lifeboat::source::Snapshot;
use lifeboat::synth::{GenOptions, generate};
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Every patient's chart both ways, compared as JSON values. Returns how many patients.
fn agree(roots: Vec<PathBuf>, index_dir: &Path) -> usize {
    let index = SnapshotIndex::open(
        &OpenOptions {
            roots: roots.clone(),
            index_dir: Some(index_dir.to_path_buf()),
            ..Default::default()
        },
        &Progress::new(),
    )
    .expect("index opens");
    let charts = direct_all(&roots).expect("direct read");
    assert!(!charts.is_empty(), "{roots:?}: no patients");
    assert_eq!(
        charts.len(),
        index.patient_count(),
        "{roots:?}: the index and the direct read know as many patients"
    );
    for (id, d) in &charts {
        let from_files = serde_json::to_value(d).expect("json");
        let from_index = serde_json::to_value(indexed(&index, id).expect("indexed")).expect("json");
        if from_files != from_index {
            let a = serde_json::to_string_pretty(&from_index).unwrap_or_default();
            let b = serde_json::to_string_pretty(&from_files).unwrap_or_default();
            let at = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
            let around = |s: &str| {
                s.lines()
                    .skip(at.saturating_sub(8))
                    .take(16)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{roots:?} patient {id}: index and direct differ at line {at}\nindex:\n{}\ndirect:\n{}",
                around(&a),
                around(&b)
            );
        }
    }
    charts.len()
}

#[test]
fn nho_sample_and_sample_data_agree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let nho = repo("../shared/samples/ssmix2/nho-testing-tool/sampleData");
    assert!(agree(vec![nho.clone()], &tmp.path().join("nho")) >= 1);
    // The one-patient direct read is the same as the whole-snapshot one.
    let one = direct(std::slice::from_ref(&nho), "9999013").expect("direct");
    assert_eq!(
        one.patient.as_ref().map(|p| p.id.as_str()),
        Some("9999013"),
        "the NHO sample's patient has demographics"
    );
    assert!(agree(vec![repo("sample-data")], &tmp.path().join("sample")) >= 10);
}

#[test]
fn fhir_samples_agree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert!(agree(vec![repo("../shared/samples/fhir")], &tmp.path().join("fhir")) >= 10);
}

#[test]
fn generated_hospital_in_both_formats_agrees() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ss = tmp.path().join("ss");
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    generate(&GenOptions {
        out: ss.clone(),
        patients: 30,
        days: 120,
        seed: 5,
        end,
    })
    .expect("generates");
    let fhir = tmp.path().join("fhir");
    let mut snap = Snapshot::open(std::slice::from_ref(&ss)).expect("snapshot");
    export_snapshot(
        &mut snap,
        &ExportOptions {
            out: fhir.clone(),
            layout: Layout::Ndjson,
            institution: lifeboat::export::fhir::SYNTHETIC_INSTITUTION.to_string(),
            as_of: end.and_hms_opt(23, 0, 0),
            drill: false,
        },
    )
    .expect("exports");
    assert!(agree(vec![ss.clone(), fhir.clone()], &tmp.path().join("both")) >= 30);
    assert!(agree(vec![fhir], &tmp.path().join("fhir-only")) >= 30);
}
