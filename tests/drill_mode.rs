//! Drill or real, never confused (issue 16): data says what it is in its standard's own way,
//! and the snapshot's mode follows. Checked on real public samples and on generated data.

use lifeboat::chart::mode::DataMode;
use std::path::{Path, PathBuf};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples")
        .join(rel)
}

fn mode_of(root: &Path) -> (DataMode, u64) {
    let r = lifeboat::cli::check::read(&[root.to_path_buf()]).expect("reads");
    (r.mode(), r.drill_files)
}

#[test]
fn generated_data_is_a_drill_and_the_hospital_samples_are_real() {
    // sample-data: generated, MSH-11 = T in every message.
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let (mode, marked) = mode_of(&sample);
    assert_eq!(mode, DataMode::Drill);
    assert!(marked > 3000, "{marked} files marked");
    // The NHO test storage says P (production) in MSH-11.
    let (mode, marked) = mode_of(&shared("ssmix2/nho-testing-tool/sampleData"));
    assert_eq!((mode, marked), (DataMode::Real, 0));
    // HL7's own examples mark their Bundles with meta.security v3-ActReason HTEST.
    let (mode, _) = mode_of(&shared("fhir/hl7-xml/bundle-transaction.xml"));
    assert_eq!(mode, DataMode::Drill);
    // Synthea's bundles carry no such mark.
    let (mode, marked) = mode_of(&shared("fhir/synthea-bundles"));
    assert_eq!((mode, marked), (DataMode::Real, 0));
}

#[test]
fn generated_fhir_carries_the_training_tag_and_reads_back_as_a_drill() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ss = tmp.path().join("ss");
    let fhir = tmp.path().join("fhir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .args(["gen", "--patients", "3", "--days", "30", "--out"])
        .arg(&ss)
        .arg("--fhir")
        .arg(&fhir)
        .output()
        .expect("gen");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut tagged = 0;
    let mut untagged = 0;
    for e in std::fs::read_dir(&fhir).expect("fhir dir").flatten() {
        let text = std::fs::read_to_string(e.path()).expect("read");
        for line in text.lines().filter(|l| l.starts_with('{')) {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            let tag = &v["meta"]["tag"][0];
            if tag["system"] == "http://terminology.hl7.org/CodeSystem/v3-ActReason" && tag["code"] == "TRAIN"
            {
                tagged += 1;
            } else {
                untagged += 1;
            }
        }
    }
    assert!(tagged > 10, "{tagged} resources tagged");
    assert_eq!(untagged, 0, "every resource of a drill says so");
    assert_eq!(mode_of(&fhir).0, DataMode::Drill);
    assert_eq!(mode_of(&ss).0, DataMode::Drill);
}
