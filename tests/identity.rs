//! One person, one chart: records that disagree on who the patient is are listed, never merged
//! silently; namesakes (同姓同名) are marked; department codes sent alone get the name other
//! messages give them. Index and direct read alike, on a small SS-MIX2 storage written here.

use encoding_rs::ISO_2022_JP;
use lifeboat::cli::show::{direct, indexed};
use lifeboat::index::{OpenOptions, SnapshotIndex};
use lifeboat::model::{Clinical, RecordKind};
use lifeboat::progress::Progress;
use lifeboat::report::Severity;
use std::path::{Path, PathBuf};

fn msh(kind: &str, control: &str, at: &str) -> String {
    format!(
        "MSH|^~\\&|HIS123|SEND|GW|RCV|{at}||{kind}|{control}|P|2.5||||||~ISO IR87||ISO 2022-1994|SS-MIX2_1.20^SS-MIX2^1.2.392.200250.2.1.100.1.2.120^ISO"
    )
}

fn pid(id: &str, kanji: (&str, &str), kana: (&str, &str), birth: &str, sex: &str) -> String {
    format!(
        "PID|0001||{id}^^^^PI||{}^{}^^^^^L^I~{}^{}^^^^^L^P||{birth}|{sex}",
        kanji.0, kanji.1, kana.0, kana.1
    )
}

fn orc(dept: &str) -> String {
    format!("ORC|NW|0000001||1|||||20240402100000|||110^医師^一郎^^^^^^^L^^^^^I|||||{dept}")
}

fn omp01(pid_line: &str, dept: &str, at: &str) -> Vec<String> {
    vec![
        msh("RDE^O11^RDE_O11", "M1", at),
        pid_line.to_string(),
        "PV1|0001|O".into(),
        orc(dept),
        "RXE||108665201^ダーゼン錠（５mg)^HOT9|1||TAB^錠^MR9P|||||15|TAB^錠^MR9P".into(),
        "TQ1|1||1013044400000000&内服・経口・１日３回朝昼夕食後&JAMISDP01|||5^d|2024040200".into(),
        "RXR|PO^口^HL70162".into(),
    ]
}

fn adt00(pid_line: &str, at: &str) -> Vec<String> {
    vec![
        msh("ADT^A08^ADT_A01", "A00", at),
        format!("EVN||{at}"),
        pid_line.to_string(),
        "PV1|0001|O".into(),
    ]
}

/// An outpatient visit whose department (PV1-10) is the code alone.
fn adt12(pid_line: &str, dept_code: &str, at: &str) -> Vec<String> {
    vec![
        msh("ADT^A04^ADT_A01", "A12", at),
        format!("EVN||{at}"),
        pid_line.to_string(),
        format!("PV1|0001|O||||||||{dept_code}"),
    ]
}

fn write(root: &Path, id: &str, date: &str, data_type: &str, written: &str, segments: &[String]) {
    let name = format!("{id}_{date}_{data_type}_999999999999999_{written}_-_1");
    let dir = root
        .join(&id[..3])
        .join(&id[3..6])
        .join(id)
        .join(date)
        .join(data_type);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let text = segments.join("\r") + "\r";
    let (bytes, _, unmappable) = ISO_2022_JP.encode(&text);
    assert!(!unmappable, "test text must be JIS");
    std::fs::write(dir.join(name), bytes).expect("write");
}

/// 101 and 103 share a name; 102's prescription gives another birth date than her master.
fn storage(root: &Path) {
    let yamada = pid(
        "0000000101",
        ("山田", "太郎"),
        ("ヤマダ", "タロウ"),
        "19700101",
        "M",
    );
    write(
        root,
        "0000000101",
        "-",
        "ADT-00",
        "20240401090000000",
        &adt00(&yamada, "20240401090000"),
    );
    write(
        root,
        "0000000101",
        "20240402",
        "OMP-01",
        "20240402100000000",
        &omp01(&yamada, "04^呼吸器内科^99XY1", "20240402100000"),
    );
    write(
        root,
        "0000000101",
        "20240403",
        "ADT-12",
        "20240403090000000",
        &adt12(&yamada, "04", "20240403090000"),
    );
    let sato = pid(
        "0000000102",
        ("佐藤", "花子"),
        ("サトウ", "ハナコ"),
        "19800101",
        "F",
    );
    let sato_later = pid(
        "0000000102",
        ("佐藤", "花子"),
        ("サトウ", "ハナコ"),
        "19800110",
        "F",
    );
    write(
        root,
        "0000000102",
        "-",
        "ADT-00",
        "20240401090000000",
        &adt00(&sato, "20240401090000"),
    );
    write(
        root,
        "0000000102",
        "20240405",
        "OMP-01",
        "20240405100000000",
        &omp01(&sato_later, "05^^99XY1", "20240405100000"),
    );
    let namesake = pid(
        "0000000103",
        ("山田", "太郎"),
        ("ヤマダ", "タロウ"),
        "19900202",
        "M",
    );
    write(
        root,
        "0000000103",
        "-",
        "ADT-00",
        "20240401090000000",
        &adt00(&namesake, "20240401090000"),
    );
}

fn open(root: &Path, index_dir: &Path) -> SnapshotIndex {
    SnapshotIndex::open(
        &OpenOptions {
            roots: vec![root.to_path_buf()],
            index_dir: Some(index_dir.to_path_buf()),
            ..Default::default()
        },
        &Progress::new(),
    )
    .expect("index opens")
}

fn setup() -> (tempfile::TempDir, PathBuf, SnapshotIndex) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("ssmix2");
    storage(&root);
    let index = open(&root, &tmp.path().join("idx"));
    (tmp, root, index)
}

#[test]
fn a_birth_date_that_disagrees_is_a_conflict_in_the_banner_the_dump_and_the_report() {
    let (_tmp, root, index) = setup();
    let chart = index.chart("0000000102").expect("chart");
    let lines: Vec<String> = chart
        .banner()
        .identity
        .conflicts
        .iter()
        .map(|c| c.line())
        .collect();
    assert_eq!(lines, vec!["生年月日: 1980-01-01 / 1980-01-10".to_string()]);
    let files = &chart.banner().identity.conflicts[0].values[1].files;
    assert_eq!(files.len(), 1);
    assert!(files[0].ends_with("0000000102_20240405_OMP-01_999999999999999_20240405100000000_-_1"));
    // The master's name and birth date stay what the banner shows.
    assert_eq!(chart.banner().name_kanji, "佐藤 花子");
    assert_eq!(
        chart.banner().birth_date.map(|b| b.to_iso()),
        Some("1980-01-01".to_string())
    );
    let errors: Vec<_> = index
        .report()
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error && p.message.contains("disagree"))
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "one problem line per conflicting patient: {errors:?}"
    );
    assert!(errors[0].message.contains("patient 0000000102"));
    assert_eq!(errors[0].place, "PID-7 / Patient.birthDate");
    assert!(errors[0].path.contains("/0000000102/"));
    // show --json and show --json --direct say the same.
    let from_index = indexed(&index, "0000000102").expect("indexed");
    let from_files = direct(&[root], "0000000102").expect("direct");
    assert_eq!(from_index.identity, chart.banner().identity);
    assert_eq!(from_files.identity, from_index.identity);
    assert!(from_index.problems.iter().any(|p| p.message.contains("disagree")));
    // Patients whose records agree have no conflict.
    assert!(
        index
            .chart("0000000101")
            .expect("chart")
            .banner()
            .identity
            .conflicts
            .is_empty()
    );
}

#[test]
fn namesakes_are_marked_in_the_search_list_and_the_banner() {
    let (_tmp, root, index) = setup();
    let hits = index.search("やまだ たろう", 10).expect("search");
    let marked: Vec<(String, bool)> = hits.iter().map(|h| (h.id.clone(), h.same_name)).collect();
    assert_eq!(
        marked,
        vec![("0000000101".to_string(), true), ("0000000103".to_string(), true)]
    );
    let sato = index.patient("0000000102").expect("patient").expect("found");
    assert!(!sato.same_name);
    let banner_ids = index
        .chart("0000000101")
        .expect("chart")
        .banner()
        .identity
        .same_name
        .clone();
    assert_eq!(banner_ids, vec!["0000000103".to_string()]);
    let from_files = direct(&[root], "0000000103").expect("direct");
    assert_eq!(from_files.identity.same_name, vec!["0000000101".to_string()]);
}

#[test]
fn a_department_sent_as_a_code_alone_is_named_from_the_other_messages() {
    let (_tmp, root, index) = setup();
    let dept_of = |records: &[lifeboat::model::Record], kind: RecordKind| -> Vec<String> {
        records
            .iter()
            .filter(|r| r.kind() == kind)
            .filter_map(|r| match &r.data {
                Clinical::Encounter(e) => e.department.as_ref().map(|d| d.display().to_string()),
                Clinical::MedicationOrder(m) => m.department.as_ref().map(|d| d.display().to_string()),
                _ => None,
            })
            .collect()
    };
    let records = index.records("0000000101").expect("records");
    assert_eq!(dept_of(&records, RecordKind::Encounter), vec!["呼吸器内科"]);
    assert_eq!(dept_of(&records, RecordKind::MedicationOrder), vec!["呼吸器内科"]);
    let chart = index.chart("0000000101").expect("chart");
    assert_eq!(
        chart.banner().department.as_ref().map(|d| d.display()),
        Some("呼吸器内科")
    );
    let from_files = direct(std::slice::from_ref(&root), "0000000101").expect("direct");
    assert_eq!(
        dept_of(&from_files.encounters, RecordKind::Encounter),
        vec!["呼吸器内科"]
    );
    // Nobody names 05: the code stays.
    let sato = index.records("0000000102").expect("records");
    assert_eq!(dept_of(&sato, RecordKind::MedicationOrder), vec!["05"]);
}
