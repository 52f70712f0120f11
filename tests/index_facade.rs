//! The faces' contract: open a snapshot, find a patient, read their records and sources.

use lifeboat::index::{OpenOptions, SnapshotIndex};
use lifeboat::model::Clinical;
use lifeboat::progress::{Progress, Stage};
use std::path::PathBuf;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

#[test]
fn nho_patient_is_found_and_its_sources_read_back() {
    let progress = Progress::new();
    let idx = SnapshotIndex::open(
        &OpenOptions {
            roots: vec![nho()],
            ..Default::default()
        },
        &progress,
    )
    .expect("opens");
    let v = progress.view();
    assert_eq!(v.stage, Stage::Done);
    assert_eq!(v.files_done, 22);
    assert_eq!(v.files_total, 22);
    assert_eq!(
        idx.as_of().map(|t| t.to_iso()).as_deref(),
        Some("2011-12-20T22:44:47.339")
    );

    let hits = idx.search("カンジャ", 10).expect("search");
    let p = hits.iter().find(|h| h.id == "9999013").expect("9999013 found");
    assert_eq!(p.name_kanji, "患者 太郎");
    assert_eq!(p.name_kana, "カンジャ タロウ");

    let records = idx.records("9999013").expect("records");
    let allergy = records
        .iter()
        .find(|r| matches!(&r.data, Clinical::Allergy(a) if a.allergen.display() == "ソバ"))
        .expect("ソバ allergy");
    let src = idx.source_text(allergy).expect("source");
    assert!(src.contains("MSH|"), "{src}");
    assert!(src.contains("ソバ"), "{src}");
    // Sorted oldest first, undated last.
    let dates: Vec<_> = records.iter().filter_map(|r| r.date()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn cancelled_open_is_an_error() {
    let progress = Progress::new();
    progress.cancel();
    let r = SnapshotIndex::open(
        &OpenOptions {
            roots: vec![nho()],
            ..Default::default()
        },
        &progress,
    );
    assert!(r.is_err());
}
