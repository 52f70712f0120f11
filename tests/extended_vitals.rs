//! SS-MIX2 extended storage vitals (`L-OBSERVATIONS^OBSERVATIONS^99ZL01`, ORU^R30 in
//! `main_document.hl7`), written for these tests from the definition (ssmix2 reference §1.7,
//! §2.9, NHO-VITAL): both content-folder forms, one file a day and several a day, versions,
//! malformed rows. Every value is checked with its time on the 温度板. Fictional patients only.

use encoding_rs::ISO_2022_JP;
use lifeboat::chart::{PatientChart, Sign};
use lifeboat::ingest::{FileOutcome, IngestOptions, ingest};
use lifeboat::model::{Clinical, Record, RecordStatus};
use lifeboat::report::{FileStatus, IngestReport, Problem, Severity};
use lifeboat::source::Snapshot;
use std::path::Path;
use tempfile::TempDir;

const PID: &str = "0123456789";
const TYPE: &str = "L-OBSERVATIONS^OBSERVATIONS^99ZL01";

fn msh(control: &str) -> String {
    format!(
        "MSH|^~\\&|HIS|SEND|GW|RCV|20160101150032||ORU^R30^ORU_R30|{control}|P|2.5||||||~ISO IR87||ISO 2022-1994"
    )
}

fn pid() -> String {
    format!("PID|0001||{PID}^^^^PI||試験^花子^^^^^L^I||19500101|F")
}

fn obx(n: u32, kind: &str, code: &str, value: &str, unit: &str, at: &str) -> String {
    format!("OBX|{n}|{kind}|{code}||{value}|{unit}|||||F|||{at}")
}

/// Writes `main_document.hl7` into `content` (a content folder name) under the care date.
fn write(root: &Path, date: &str, content: &str, segments: &[String]) {
    let dir = root
        .join(&PID[..3])
        .join(&PID[3..6])
        .join(PID)
        .join(date)
        .join(TYPE)
        .join(content);
    std::fs::create_dir_all(&dir).expect("folders");
    let text = segments.join("\r") + "\r";
    let (bytes, _, unmappable) = ISO_2022_JP.encode(&text);
    assert!(!unmappable, "test text must be JIS");
    std::fs::write(dir.join("main_document.hl7"), bytes).expect("write");
}

struct Read {
    report: IngestReport,
    outcomes: Vec<(String, FileStatus, Vec<Problem>)>,
    records: Vec<Record>,
}

fn read(root: &Path) -> Read {
    let mut snap = Snapshot::open(&[root.to_path_buf()]).expect("open");
    let mut outcomes = Vec::new();
    let mut records = Vec::new();
    let report = ingest(&mut snap, &IngestOptions::default(), |o: &FileOutcome| {
        outcomes.push((o.path.clone(), o.status, o.problems.clone()));
        records.extend(o.records.iter().cloned());
    });
    Read {
        report,
        outcomes,
        records,
    }
}

fn chart(r: &Read) -> PatientChart {
    PatientChart::build(PID, r.records.clone(), r.report.as_of)
}

/// `(time, value as sent)` of one row of the 温度板.
fn row(c: &PatientChart, sign: Sign) -> Vec<(String, String)> {
    c.vitals()
        .points(sign)
        .iter()
        .map(|p| (p.time.to_iso(), p.text.clone()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// NHO's own form: 6 fields (no department), key = the date (one file a day), the 16-character
/// temperature code, units `cel^℃^ISO+` and `mm(hg)^mmHg^ISO+`.
#[test]
fn nho_six_field_one_file_a_day_gives_every_value_with_its_time() {
    let dir = TempDir::new().expect("temp");
    let root = dir.path().join("ext");
    write(
        &root,
        "20160101",
        "0123456789_20160101_L-OBSERVATIONS^OBSERVATIONS^99ZL01_000000020160101_201601011500321_1",
        &[
            msh("V1"),
            pid(),
            "OBR|1|||OBSERVATIONS^バイタル^99ZL01|||20160101060000".into(),
            obx(
                1,
                "NM",
                "9P10000000000001^体温^JC10",
                "36.8",
                "cel^℃^ISO+",
                "201601010600",
            ),
            obx(
                2,
                "NM",
                "9P300000000000001^脈拍^JC10",
                "72",
                "/min^/min^ISO+",
                "201601010600",
            ),
            obx(
                3,
                "NM",
                "9A751000000000001^収縮期血圧^JC10",
                "128",
                "mm(hg)^mmHg^ISO+",
                "201601010600",
            ),
            obx(
                4,
                "NM",
                "9A761000000000001^拡張期血圧^JC10",
                "76",
                "mm(hg)^mmHg^ISO+",
                "201601010600",
            ),
            obx(
                5,
                "NM",
                "9P200000000000001^呼吸数^JC10",
                "16",
                "/min^/min^ISO+",
                "201601010600",
            ),
            obx(6, "NM", "SPO2^SpO2^99ZL01", "97", "%^%^ISO+", "201601010600"),
            obx(
                7,
                "NM",
                "9N006000000000001^体重^JC10",
                "52.4",
                "kg^kg^ISO+",
                "201601010600",
            ),
            obx(
                8,
                "NM",
                "9P10000000000001^体温^JC10",
                "37.4",
                "cel^℃^ISO+",
                "201601011400",
            ),
            obx(9, "NM", "URINE^尿量^99ZL01", "1200", "mL^mL^ISO+", "201601011400"),
            obx(10, "ST", "JCS^意識レベル^99ZL01", "I-1", "", "201601011400"),
        ],
    );
    let r = read(&root);
    assert_eq!(r.report.files_total, 1);
    assert_eq!(r.report.files_unsupported, 0);
    assert_eq!(r.outcomes[0].1, FileStatus::Mapped, "{:#?}", r.outcomes);
    assert_eq!(
        r.records
            .iter()
            .filter(|x| matches!(x.data, Clinical::Vital(_)))
            .count(),
        10
    );
    let c = chart(&r);
    assert_eq!(
        row(&c, Sign::Temperature),
        pairs(&[("2016-01-01T06:00", "36.8"), ("2016-01-01T14:00", "37.4")])
    );
    assert_eq!(row(&c, Sign::Pulse), pairs(&[("2016-01-01T06:00", "72")]));
    assert_eq!(row(&c, Sign::Systolic), pairs(&[("2016-01-01T06:00", "128")]));
    assert_eq!(row(&c, Sign::Diastolic), pairs(&[("2016-01-01T06:00", "76")]));
    assert_eq!(row(&c, Sign::Respiration), pairs(&[("2016-01-01T06:00", "16")]));
    assert_eq!(row(&c, Sign::SpO2), pairs(&[("2016-01-01T06:00", "97")]));
    assert_eq!(row(&c, Sign::Weight), pairs(&[("2016-01-01T06:00", "52.4")]));
    assert_eq!(row(&c, Sign::Output), pairs(&[("2016-01-01T14:00", "1200")]));
    let temp = &c.vitals().points(Sign::Temperature)[0];
    assert_eq!(temp.unit, "℃");
    assert_eq!(c.vitals().points(Sign::Systolic)[0].unit, "mmHg");
    // The unknown sign is kept and listed, with its code as sent.
    assert_eq!(c.vitals().other.len(), 1);
    match &c.records()[c.vitals().other[0]].data {
        Clinical::Vital(v) => {
            assert_eq!((v.sign.code.as_str(), v.value.as_str()), ("JCS", "I-1"));
            assert_eq!(
                v.measured.map(|t| t.to_iso()).as_deref(),
                Some("2016-01-01T14:00")
            );
        }
        other => panic!("{other:?}"),
    }
    // The 16-character code is kept as sent.
    match &c.records()[temp.record].data {
        Clinical::Vital(v) => assert_eq!(v.sign.code, "9P10000000000001"),
        other => panic!("{other:?}"),
    }
}

/// The 7-field form with a department, several files a day (key `YYYYMMDDHH`): time from
/// OBX-14, else OBR-7, else the content folder's written time.
#[test]
fn seven_field_several_a_day_takes_obx14_then_obr7_then_the_written_time() {
    let dir = TempDir::new().expect("temp");
    let root = dir.path().join("ext");
    let folder = |key: &str, written: &str| {
        format!("0123456789_20160102_L-OBSERVATIONS^OBSERVATIONS^99ZL01_{key}_{written}_01_1")
    };
    write(
        &root,
        "20160102",
        &folder("000002016010206", "20160102063000000"),
        &[
            msh("V2"),
            pid(),
            "OBR|1|||OBSERVATIONS^バイタル^99ZL01|||201601020610".into(),
            obx(
                1,
                "NM",
                "9P100000000000001^体温^JC10",
                "38.9",
                "cel^℃^ISO+",
                "201601020605",
            ),
            obx(
                2,
                "NM",
                "9P300000000000001^脈拍^JC10",
                "112",
                "/min^/min^ISO+",
                "",
            ),
        ],
    );
    write(
        &root,
        "20160102",
        &folder("000002016010214", "20160102143000000"),
        &[
            msh("V3"),
            pid(),
            obx(1, "NM", "9P100000000000001^体温^JC10", "37.9", "cel^℃^ISO+", ""),
        ],
    );
    let r = read(&root);
    assert_eq!(r.report.files_total, 2);
    assert!(
        r.outcomes.iter().all(|o| o.1 == FileStatus::Mapped),
        "{:#?}",
        r.outcomes
    );
    let c = chart(&r);
    assert_eq!(
        row(&c, Sign::Temperature),
        pairs(&[("2016-01-02T06:05", "38.9"), ("2016-01-02T14:30:00.000", "37.9")])
    );
    assert_eq!(row(&c, Sign::Pulse), pairs(&[("2016-01-02T06:10", "112")]));
    assert!(
        c.vitals().latest_line().contains("体温 37.9℃"),
        "{}",
        c.vitals().latest_line()
    );
}

/// A content folder renamed to flag 2 is history; the flag-1 folder of the same key is shown.
/// A deleted key (flag 0) shows nothing on the 温度板 but keeps its records as cancelled.
#[test]
fn versions_by_content_folder_flag() {
    let dir = TempDir::new().expect("temp");
    let root = dir.path().join("ext");
    let content = |key: &str, written: &str, flag: char| {
        format!("0123456789_20160103_L-OBSERVATIONS^OBSERVATIONS^99ZL01_{key}_{written}_{flag}")
    };
    let temp = |v: &str, at: &str| {
        vec![
            msh("V4"),
            pid(),
            obx(1, "NM", "9P100000000000001^体温^JC10", v, "cel^℃^ISO+", at),
        ]
    };
    write(
        &root,
        "20160103",
        &content("000000020160103", "201601031000000", '2'),
        &temp("38.0", "201601030600"),
    );
    write(
        &root,
        "20160103",
        &content("000000020160103", "201601031200000", '1'),
        &temp("37.0", "201601030600"),
    );
    write(
        &root,
        "20160103",
        &content("000002016010320", "201601032030000", '0'),
        &temp("39.5", "201601032000"),
    );
    let r = read(&root);
    assert_eq!(r.report.files_total, 3);
    let c = chart(&r);
    assert_eq!(row(&c, Sign::Temperature), pairs(&[("2016-01-03T06:00", "37.0")]));
    let status = |v: &str| {
        r.records
            .iter()
            .find(|x| matches!(&x.data, Clinical::Vital(t) if t.value == v))
            .map(|x| x.status)
    };
    assert_eq!(status("38.0"), Some(RecordStatus::Superseded));
    assert_eq!(status("37.0"), Some(RecordStatus::Current));
    assert_eq!(status("39.5"), Some(RecordStatus::Cancelled));
}

/// Malformed rows give warnings with their place, never a panic; the good rows still show.
#[test]
fn malformed_rows_give_warnings_and_every_file_is_accounted() {
    let dir = TempDir::new().expect("temp");
    let root = dir.path().join("ext");
    write(
        &root,
        "20160104",
        "0123456789_20160104_L-OBSERVATIONS^OBSERVATIONS^99ZL01_000000020160104_201601041500000_1",
        &[
            msh("V5"),
            pid(),
            obx(
                1,
                "NM",
                "9P100000000000001^体温^JC10",
                "36.5",
                "cel^℃^ISO+",
                "201601040600",
            ),
            // The unit split at an unescaped separator.
            obx(
                2,
                "NM",
                "9A751000000000001^収縮期血圧^JC10",
                "140",
                "mm^(hg)^mmHg^ISO+",
                "201601040600",
            ),
            // No value.
            obx(
                3,
                "NM",
                "9P300000000000001^脈拍^JC10",
                "",
                "/min^/min^ISO+",
                "201601040600",
            ),
            // Not a number.
            obx(
                4,
                "NM",
                "9P200000000000001^呼吸数^JC10",
                "測定不可",
                "/min^/min^ISO+",
                "201601040600",
            ),
            // No code at all.
            obx(5, "NM", "", "99", "", "201601040600"),
            // A bad time.
            obx(
                6,
                "NM",
                "9P100000000000001^体温^JC10",
                "36.9",
                "cel^℃^ISO+",
                "2016010499",
            ),
        ],
    );
    // A file beside the main document, and a document type: listed, not read.
    let content = root.join(format!(
        "{}/{}/{PID}/20160104/{TYPE}/0123456789_20160104_L-OBSERVATIONS^OBSERVATIONS^99ZL01_000000020160104_201601041500000_1",
        &PID[..3],
        &PID[3..6]
    ));
    std::fs::write(content.join("note.txt"), b"x").expect("write");
    let doc = root.join(format!(
        "{}/{}/{PID}/20160104/^経過記録^^11506-3^経過記録^LN/0123456789_20160104_^経過記録^^11506-3^経過記録^LN_1_20160104150000000_01_1",
        &PID[..3],
        &PID[3..6]
    ));
    std::fs::create_dir_all(&doc).expect("folders");
    std::fs::write(doc.join("main_document.xml"), b"<ClinicalDocument/>").expect("write");
    // A broken content folder name: still read, as current, with a warning.
    write(
        &root,
        "20160104",
        "0123456789_20160104_L-OBSERVATIONS",
        &[
            msh("V6"),
            pid(),
            obx(1, "NM", "9P300000000000001^脈拍^JC10", "66", "", "201601041800"),
        ],
    );

    let r = read(&root);
    assert_eq!(r.report.files_total, 4);
    assert_eq!(r.outcomes.len(), 4);
    assert_eq!(r.report.files_unsupported, 2);
    assert_eq!(r.report.files_with_warnings, 2);
    let main = r
        .outcomes
        .iter()
        .find(|o| o.0.ends_with("201601041500000_1/main_document.hl7"))
        .expect("main document");
    assert_eq!(main.1, FileStatus::MappedWithWarnings);
    let places: Vec<(&str, &str)> = main
        .2
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| (p.place.as_str(), p.message.as_str()))
        .collect();
    let at = |place: &str, word: &str| {
        assert!(
            places.iter().any(|(p, m)| *p == place && m.contains(word)),
            "{place} {word}: {places:#?}"
        )
    };
    at("segment 4 (OBX-6)", "unit");
    at("segment 5 (OBX-5)", "without a value");
    at("segment 6 (OBX-5)", "not a number");
    at("segment 7 (OBX-3)", "without a code");
    at("segment 8 (OBX-14)", "");
    assert_eq!(places.len(), 5, "{places:#?}");
    let broken = r
        .outcomes
        .iter()
        .find(|o| o.0.contains("_L-OBSERVATIONS/"))
        .expect("broken folder");
    assert_eq!(broken.1, FileStatus::MappedWithWarnings);
    assert!(
        broken.2.iter().any(|p| p.message.contains("6 or 7")),
        "{:#?}",
        broken.2
    );

    let c = chart(&r);
    // Time from the bad OBX-14 falls back to the written time of the content folder.
    assert_eq!(
        row(&c, Sign::Temperature),
        pairs(&[("2016-01-04T06:00", "36.5"), ("2016-01-04T15:00:00.000", "36.9")])
    );
    assert_eq!(row(&c, Sign::Systolic), pairs(&[("2016-01-04T06:00", "140")]));
    assert_eq!(row(&c, Sign::Pulse), pairs(&[("2016-01-04T18:00", "66")]));
    // The respiration that is not a number is listed, not plotted.
    assert!(row(&c, Sign::Respiration).is_empty());
    assert_eq!(c.vitals().other.len(), 1);
}

/// The bundled sample: some inpatient at the data time has a fever course (≥ 38.5 ℃ with a
/// pulse ≥ 100 at the same time) on the 温度板, and some inpatient has a positive infection mark.
#[test]
fn sample_data_has_a_fever_course_and_a_positive_infection_mark() {
    use lifeboat::chart::{Census, Finding};
    use std::collections::BTreeMap;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut snap = Snapshot::open(&[root]).expect("open sample-data");
    let mut by: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    let mut vitals_files = 0;
    let report = ingest(&mut snap, &IngestOptions::default(), |o: &FileOutcome| {
        if o.path.contains(TYPE) {
            vitals_files += 1;
            assert_eq!(o.status, FileStatus::Mapped, "{}: {:#?}", o.path, o.problems);
        }
        for r in &o.records {
            by.entry(r.patient_id.clone()).or_default().push(r.clone());
        }
    });
    assert_eq!(vitals_files, 587);
    assert_eq!(report.files_unsupported, 0);
    let census = Census::build(
        by.iter().map(|(id, rs)| (id.as_str(), rs.as_slice())),
        report.as_of,
    );
    let ids: Vec<String> = census.entries().map(|(_, e)| e.patient_id.clone()).collect();
    assert_eq!(ids.len(), 11);
    let charts: Vec<PatientChart> = ids
        .iter()
        .map(|id| PatientChart::build(id, by.get(id).cloned().unwrap_or_default(), report.as_of))
        .collect();
    let febrile = charts.iter().filter(|c| {
        let pulse = c.vitals().points(Sign::Pulse);
        c.vitals()
            .points(Sign::Temperature)
            .iter()
            .any(|t| t.value >= 38.5 && pulse.iter().any(|p| p.time == t.time && p.value >= 100.0))
    });
    assert!(febrile.count() >= 1, "no inpatient with a fever and tachycardia");
    // Every inpatient has a 温度板 with all five signs.
    for c in &charts {
        for s in [
            Sign::Temperature,
            Sign::Pulse,
            Sign::Systolic,
            Sign::Diastolic,
            Sign::Respiration,
            Sign::SpO2,
        ] {
            assert!(!c.vitals().points(s).is_empty(), "{}: no {s:?}", c.patient_id());
        }
        assert!(
            !c.vitals().points(Sign::Weight).is_empty(),
            "{}: never weighed",
            c.patient_id()
        );
    }
    let positive: Vec<String> = charts
        .iter()
        .flat_map(|c| c.infection().iter().filter(|m| m.finding == Finding::Positive))
        .map(|m| m.label_ja())
        .collect();
    assert!(
        !positive.is_empty(),
        "no positive infection mark among the inpatients"
    );
}
