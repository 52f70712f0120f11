//! Printouts, checked as the paper will be read: the text of the generated PDFs (extracted with
//! poppler's `pdftotext`, which `.ci/run` installs) must carry the patient, an allergy, the drugs,
//! a lab value, and the outage footer on every page; a ward pack has a cover plus each inpatient's
//! pages.

use lifeboat::index::{OpenOptions, SnapshotIndex};
use lifeboat::print::{self, NOTICE, PrintOptions};
use lifeboat::progress::Progress;
use std::path::PathBuf;
use std::process::Command;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

fn sample_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// Each test builds its own index in a temporary folder: two builds of one snapshot in one
/// process share a scratch folder name in the default location.
fn open(root: PathBuf) -> (tempfile::TempDir, SnapshotIndex) {
    let dir = tempfile::tempdir().unwrap();
    let options = OpenOptions {
        roots: vec![root],
        index_dir: Some(dir.path().join("index")),
        ..Default::default()
    };
    let index = SnapshotIndex::open(&options, &Progress::new()).unwrap();
    (dir, index)
}

fn options() -> PrintOptions {
    PrintOptions {
        operator: Some("看護 花子".into()),
        printed_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 16).and_then(|d| d.and_hms_opt(9, 5, 0)),
        audit_head: None,
    }
}

/// The text of each page, in layout mode (a table row stays on one line).
fn pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for the print tests; .ci/run installs it");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// What every page must say, `pdftotext` spacing aside.
fn assert_footer(pages: &[String], snapshot: &str, as_of: &str) {
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let flat: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
        let ctx = format!("page {} of {n}:\n{page}", i + 1);
        assert!(
            flat.contains(&NOTICE.split_whitespace().collect::<Vec<_>>().join(" ")),
            "{ctx}"
        );
        assert!(flat.contains(&format!("データ基準日時 {as_of}")), "{ctx}");
        assert!(flat.contains("印刷日時 2026-03-16 09:05"), "{ctx}");
        assert!(flat.contains("印刷者 看護 花子"), "{ctx}");
        assert!(flat.contains(&format!("スナップショット {snapshot}")), "{ctx}");
        assert!(flat.contains(&format!("{} / {n} ページ", i + 1)), "{ctx}");
    }
}

#[test]
fn nho_patient_summary_carries_the_chart() {
    let (_dir, index) = open(nho());
    let pdf = print::patient_pdf(&index, "9999013", &options()).unwrap();
    let pages = pages(&pdf);
    assert!((1..=2).contains(&pages.len()), "{} pages", pages.len());
    let text = pages.join("\n");
    for want in [
        "患者 太郎",
        "カンジャ タロウ",
        "ID 9999013",
        "1948-04-05",
        "A型",
        "ソバ",
        "ペニシリン",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // Drug allergies are listed before the others.
    let drug = text.find("ペニシリン").unwrap();
    assert!(drug < text.find("ソバ").unwrap());

    // ダーゼン錠 was prescribed for 5 days from 2011-07-01; the data time is 2011-12-20, so
    // the chart has no current medication and the summary lists it among the ended orders.
    assert!(text.contains("有効な処方・注射はありません"), "{text}");
    let ended = text.find("直近の処方・注射（終了分・参考）").unwrap();
    let darzen = text.find("ダーゼン錠").unwrap();
    assert!(darzen > ended, "{text}");

    let protein = text.lines().find(|l| l.contains("総蛋白")).unwrap();
    assert!(protein.contains("7.2") && protein.contains("g/dl") && protein.contains("2011-12-19"));
    assert_footer(&pages, "sampleData", "2011-12-20 22:44");
}

#[test]
fn unknown_patient_is_an_error_not_an_empty_page() {
    let (_dir, index) = open(nho());
    let err = print::patient_pdf(&index, "no-such-id", &options()).unwrap_err();
    assert!(err.to_string().contains("no-such-id"));
}

fn page_count(pdf: &[u8]) -> usize {
    pages(pdf).len()
}

#[test]
fn ward_pack_is_cover_plus_each_inpatients_pages() {
    let (_dir, index) = open(sample_data());
    let census = index.census();
    let ward = census
        .wards
        .iter()
        .max_by_key(|w| w.entries.len())
        .expect("sample-data has inpatients at its data time");
    let pdf = print::ward_pdf(&index, &ward.name, &options()).unwrap();
    let pages = pages(&pdf);
    let as_of = index
        .as_of()
        .unwrap()
        .value()
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert_footer(&pages, "sample-data", &as_of);

    let cover = pages.iter().take_while(|p| p.contains("病棟患者一覧")).count();
    assert!(cover >= 1);
    if ward.entries.len() <= 15 {
        assert_eq!(cover, 1, "{}", pages[1]);
    }
    let mut next = cover;
    for e in &ward.entries {
        let own = page_count(&print::patient_pdf(&index, &e.patient_id, &options()).unwrap());
        // The patient's pages follow in room/bed order and carry the name and ID.
        for p in &pages[next..next + own] {
            assert!(
                p.contains(&e.name_kanji),
                "{} not on its page:\n{p}",
                e.name_kanji
            );
            assert!(p.contains(&e.patient_id));
        }
        assert!(pages[..cover].iter().any(|p| p.contains(&e.name_kanji)));
        next += own;
    }
    assert_eq!(pages.len(), next, "cover {cover} + patients' pages");

    // A ward is found by its code too; all wards is every ward's pack in turn.
    let by_code = print::ward_pdf(&index, &ward.code, &options()).unwrap();
    assert_eq!(page_count(&by_code), pages.len());
    let all = page_count(&print::all_wards_pdf(&index, &options()).unwrap());
    let sum: usize = census
        .wards
        .iter()
        .map(|w| page_count(&print::ward_pdf(&index, &w.code, &options()).unwrap()))
        .sum();
    assert_eq!(all, sum);
}

#[test]
fn unknown_ward_names_the_wards_that_exist() {
    let (_dir, index) = open(sample_data());
    let err = print::ward_pdf(&index, "存在しない病棟", &options()).unwrap_err();
    assert!(err.to_string().contains("入院患者のいる病棟"));
}

#[test]
fn saved_printouts_get_a_safe_name_in_the_chosen_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = print::save_pdf(b"%PDF-1.7", Some(dir.path()), "病棟/3階東:pack").unwrap();
    assert_eq!(path.parent(), Some(dir.path()));
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("病棟_3階東_pack-") && name.ends_with(".pdf"),
        "{name}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7");
}

#[test]
fn ward_worklist_has_a_block_per_bed_with_tick_boxes_and_the_running_drip() {
    let (_dir, index) = open(sample_data());
    // The ward of the patient on the continuous heparin drip.
    let ward = index
        .census()
        .wards
        .iter()
        .find(|w| w.entries.iter().any(|e| e.patient_id == "0000010035"))
        .cloned()
        .expect("0000010035 is an inpatient of sample-data");
    let pdf = print::ward_worklist_pdf(&index, &ward.name, &options()).unwrap();
    let pages = pages(&pdf);
    let text = pages.join("\n");
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!("注射・投薬ワークリスト {}", ward.name)),
        "{text}"
    );
    // One block per bed, in room and bed order.
    let mut last = 0;
    for e in &ward.entries {
        let at = text
            .find(&format!("ID {}", e.patient_id))
            .unwrap_or_else(|| panic!("no block for {}:\n{text}", e.patient_id));
        assert!(at >= last, "{} out of bed order", e.patient_id);
        last = at;
    }
    // The heparin drip runs at the export, with a box to tick; doses due have boxes too.
    let heparin = text
        .lines()
        .find(|l| l.contains("ヘパリン"))
        .unwrap_or_else(|| panic!("no heparin line:\n{text}"));
    assert!(heparin.contains('□'), "{heparin}");
    assert!(text.contains("24時間以内の予定"), "{text}");
    assert!(text.matches('□').count() > ward.entries.len(), "{text}");
    assert_footer(&pages, "sample-data", "2026-11-20 22:15");
}

/// Words on paper: the age says it is counted at the data time (the sample's data time is
/// 2011-12-20, so a 1948 birth is 63, whatever today is), and a drip's rate reads `mL/h`.
#[test]
fn summary_age_is_at_the_data_time_and_rates_are_compact() {
    let (_dir, index) = open(nho());
    let pdf = print::patient_pdf(&index, "9999013", &options()).unwrap();
    let text = pages(&pdf).join("\n");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("年齢 63歳（基準日時）"), "{flat}");

    // sample-data sends the heparin drip's rate as `ml/hr^ミリリッター／時間^ISO+`.
    let (_dir, index) = open(sample_data());
    let ward = index
        .census()
        .wards
        .iter()
        .find(|w| w.entries.iter().any(|e| e.patient_id == "0000010035"))
        .cloned()
        .expect("0000010035 is an inpatient of sample-data");
    let pdf = print::ward_worklist_pdf(&index, &ward.name, &options()).unwrap();
    let text = pages(&pdf).join("\n");
    let heparin = text
        .lines()
        .find(|l| l.contains("ヘパリン"))
        .unwrap_or_else(|| panic!("no heparin line:\n{text}"));
    assert!(text.contains(" mL/h"), "{text}");
    assert!(!text.contains("ミリリッター"), "{heparin}");
}

/// A drill's printout says so on every page (a watermark across the page and the footer); a
/// real snapshot's never does.
#[test]
fn drill_data_is_watermarked_on_every_page_and_real_data_never() {
    let (_d, drill) = open(sample_data());
    let ward = drill
        .census()
        .wards
        .first()
        .expect("sample-data has inpatients")
        .code
        .clone();
    let pdf = lifeboat::print::ward_pdf(&drill, &ward, &options()).expect("ward pdf");
    let pages_drill = pages(&pdf);
    assert!(pages_drill.len() > 1);
    for (i, p) in pages_drill.iter().enumerate() {
        assert!(
            p.matches("訓練用データ").count() >= 2,
            "page {}: watermark and footer\n{p}",
            i + 1
        );
    }
    let (_n, real) = open(nho());
    let pdf = lifeboat::print::patient_pdf(&real, "9999013", &options()).expect("patient pdf");
    for p in pages(&pdf) {
        assert!(!p.contains("訓練用データ"), "{p}");
    }
}
