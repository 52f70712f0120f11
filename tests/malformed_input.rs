//! Malformed input. Each test builds a small storage in a temporary folder: the real NHO sample
//! patient master (one valid message) plus bad input, and checks DESIGN invariants 2 and 3: the
//! bad file gives a clear problem line (file, place, reason), every file is counted, and the
//! valid message next to it is still read.

use encoding_rs::{ISO_2022_JP, SHIFT_JIS};
use lifeboat::ingest::{FileOutcome, IngestOptions, ingest};
use lifeboat::model::{Allergy, Clinical, Patient, Record, RecordKind, RecordStatus};
use lifeboat::report::{FileStatus, IngestReport, Problem, Severity};
use lifeboat::source::{MAX_FILE_BYTES, Snapshot};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Messages

/// The NHO testing tool's ADT-00 sample (`sampleData/999/901/9999013/-/ADT-00/...`), as text.
/// [`sample_bytes`] gives the sample file byte for byte.
const SAMPLE_ADT00: &[&str] = &[
    "MSH|^~\\&|HIS123|SEND|GW|RCV|20111220224447.3399||ADT^A08^ADT_A01|20111220000001|P|2.5||||||~ISO IR87||ISO 2022-1994|SS-MIX2_1.20^SS-MIX2^1.2.392.200250.2.1.100.1.2.120^ISO",
    "EVN||201112202100|||||SEND001",
    "PID|0001||9999013||患者^太郎^^^^^L^I~カンジャ^タロウ^^^^^L^P||19480405|M|||^^^^422-8033^JPN^H^静岡県静岡市登呂１−３−５||^PRN^PH^^^^^^^^^054-000-0000~^EMR^PH^^^^^^^^^03-5999-9999|^WPN^PH^^^^^^^^^03-3599-9993|||||||||||||||||||20111219121551",
    "NK1|1|患者^太郎^^^^^L^I~カンジャ^タロウ^^^^^L^P|SEL^本人^HL70063|^^^^422-8033^JPN^H^静岡県静岡市登呂１−３−５~^^^^1050003^^B^東京都港区鹿ノ門６丁目３番３号|^PRN^PH^^^^^^^^^054-000-0000|^WPN^PH^^^^^^^^^03-3599-9993|||||||鹿ノ門商事株式会社^D",
    "PV1|0001|I|32^302^1^^^N||||220^医師^一郎^^^^^^^L^^^^^I",
    "DB1|1|PT||Y",
    "OBX|1|NM|9N001000000000001^身長^JC10||167.8|cm^cm^ISO+|||||F",
    "OBX|2|NM|9N006000000000001^体重^JC10||63.5|kg^kg^ISO+|||||F",
    "OBX|3|CWE|5H010000009199911^血液型-ABO式^JC10||A^A^JSHR002||||||F",
    "AL1|1|DA^薬剤アレルギー^HL70127|1^ペニシリン^99XYZ",
    "IN1|1|67^国民健康保険退職者^JHSD0001|67999991|||||||||20091201|||||SEL^本人^HL70063",
];
const SAMPLE_NAME: &str = "9999013_-_ADT-00_999999999999999_20111220224447339_-_1";
const SAMPLE_REL: &str = "999/901/9999013/-/ADT-00/9999013_-_ADT-00_999999999999999_20111220224447339_-_1";
const NO_ORDER: &str = "999999999999999";

fn msh(kind: &str, control: &str) -> String {
    format!(
        "MSH|^~\\&|HIS123|SEND|GW|RCV|20240401090000||{kind}|{control}|P|2.5||||||~ISO IR87||ISO 2022-1994|SS-MIX2_1.20^SS-MIX2^1.2.392.200250.2.1.100.1.2.120^ISO"
    )
}

/// A patient master message; `names` is PID-5 as written.
fn adt00(pid: &str, names: &str) -> Vec<String> {
    vec![
        msh("ADT^A08^ADT_A01", "A00"),
        "EVN||20240401090000".into(),
        format!("PID|0001||{pid}^^^^PI||{names}||19700101|F"),
        "PV1|0001|O".into(),
        "AL1|1|DA^薬剤アレルギー^HL70127|1^ペニシリン^99XYZ".into(),
    ]
}

/// An allergy message (ADT-61) with one IAM row per (allergen, reaction).
fn adt61(pid: &str, rows: &[(&str, &str)]) -> Vec<String> {
    let mut m = vec![msh("ADT^A60^ADT_A60", "A61"), "EVN||20240401090000".into()];
    m.push(format!(
        "PID|0001||{pid}^^^^PI||山田^太郎^^^^^L^I~ヤマダ^タロウ^^^^^L^P||19650415|M"
    ));
    for (i, (allergen, reaction)) in rows.iter().enumerate() {
        m.push(format!(
            "IAM|{}|DA^薬剤アレルギー^HL70127|10{i}^{allergen}^99XYZ|MO^中等度^HL70128|{reaction}|A^追加^HL70323",
            i + 1
        ));
    }
    m
}

/// Segments joined with CR, the SS-MIX2 terminator.
fn cr(segments: &[String]) -> String {
    segments.join("\r") + "\r"
}

fn jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = ISO_2022_JP.encode(text);
    assert!(!unmappable, "test text not representable in ISO-2022-JP: {text}");
    bytes.into_owned()
}

fn sample_bytes() -> Vec<u8> {
    // The file ends with CR and an MLLP end-of-block byte (FS).
    jis(&(SAMPLE_ADT00.join("\r") + "\r\x1c"))
}

/// `ID_DATE_TYPE_ORDER_WRITTEN_DEPT_FLAG`.
fn file_name(pid: &str, date: &str, data_type: &str, written: &str, flag: &str) -> String {
    format!("{pid}_{date}_{data_type}_{NO_ORDER}_{written}_-_{flag}")
}

/// `ID[0:3]/ID[3:6]/ID/DATE/TYPE/name`.
fn std_path(pid: &str, date: &str, data_type: &str, name: &str) -> String {
    format!("{}/{}/{pid}/{date}/{data_type}/{name}", &pid[..3], &pid[3..6])
}

/// Path of a well-named file in the standard layout.
fn std_file(pid: &str, date: &str, data_type: &str, written: &str, flag: &str) -> String {
    std_path(
        pid,
        date,
        data_type,
        &file_name(pid, date, data_type, written, flag),
    )
}

/// Deterministic noise (xorshift), so a failure can be reproduced.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Storages and runs

struct Storage {
    dir: TempDir,
    /// Files written below the storage root.
    written: u64,
}

impl Storage {
    /// A storage holding the sample patient master only.
    fn with_sample() -> Self {
        let mut s = Self {
            dir: tempfile::tempdir().expect("temp dir"),
            written: 0,
        };
        s.put(SAMPLE_REL, &sample_bytes());
        s
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("storage")
    }

    /// Writes a file below the root; returns its relative path.
    fn put(&mut self, rel: &str, bytes: &[u8]) -> String {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(&path, bytes).expect("write file");
        self.written += 1;
        rel.to_string()
    }

    fn run(&self) -> Run {
        run(&[self.root()])
    }
}

/// What the sink saw of one file.
struct Seen {
    path: String,
    status: FileStatus,
    patient_id: Option<String>,
    records: Vec<Record>,
    problems: Vec<Problem>,
    /// PID as read from any message.
    demographics: Option<Patient>,
}

impl Seen {
    fn patient(&self) -> &Patient {
        self.records
            .iter()
            .find_map(|r| match &r.data {
                Clinical::Patient(p) => Some(p),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{}: no patient record in {:#?}", self.path, self.records))
    }

    fn allergies(&self) -> Vec<&Allergy> {
        self.records
            .iter()
            .filter_map(|r| match &r.data {
                Clinical::Allergy(a) => Some(a),
                _ => None,
            })
            .collect()
    }

    fn count(&self, kind: RecordKind) -> usize {
        self.records.iter().filter(|r| r.kind() == kind).count()
    }

    fn statuses(&self) -> Vec<RecordStatus> {
        self.records.iter().map(|r| r.status).collect()
    }
}

struct Run {
    report: IngestReport,
    files: Vec<Seen>,
    elapsed: Duration,
}

fn run(paths: &[PathBuf]) -> Run {
    let started = Instant::now();
    let mut snap = Snapshot::open(paths).expect("open snapshot");
    let mut files = Vec::new();
    let report = ingest(&mut snap, &IngestOptions::default(), |o: &FileOutcome| {
        files.push(Seen {
            path: o.path.clone(),
            status: o.status,
            patient_id: o.patient_id.clone(),
            records: o.records.clone(),
            problems: o.problems.clone(),
            demographics: o.demographics.clone(),
        })
    });
    Run {
        report,
        files,
        elapsed: started.elapsed(),
    }
}

impl Run {
    fn dump(&self) -> String {
        let mut s = String::new();
        for f in &self.files {
            s.push_str(&format!(
                "  {:?} {} ({} records)\n",
                f.status,
                f.path,
                f.records.len()
            ));
        }
        for p in &self.report.problems {
            let line = p.to_string();
            let shown: String = line.chars().take(300).collect();
            s.push_str(&format!("  {shown}\n"));
        }
        s
    }

    /// The one file whose path ends with `suffix`.
    fn file(&self, suffix: &str) -> &Seen {
        let found: Vec<&Seen> = self.files.iter().filter(|f| f.path.ends_with(suffix)).collect();
        assert_eq!(
            found.len(),
            1,
            "expected one file ending with {suffix:?}:\n{}",
            self.dump()
        );
        found[0]
    }

    /// The problem about `path_suffix` with this severity whose message has all `words`
    /// (case-insensitive).
    fn problem(&self, path_suffix: &str, severity: Severity, words: &[&str]) -> &Problem {
        self.report
            .problems
            .iter()
            .find(|p| {
                let m = p.message.to_lowercase();
                p.path.ends_with(path_suffix)
                    && p.severity == severity
                    && words.iter().all(|w| m.contains(&w.to_lowercase()))
            })
            .unwrap_or_else(|| {
                panic!(
                    "no {severity:?} about {path_suffix:?} saying {words:?}; report:\n{}",
                    self.dump()
                )
            })
    }

    /// File counts: total, mapped, with warnings, rejected, unsupported.
    fn assert_counts(&self, counts: (u64, u64, u64, u64, u64)) {
        let r = &self.report;
        let got = (
            r.files_total,
            r.files_mapped,
            r.files_with_warnings,
            r.files_rejected,
            r.files_unsupported,
        );
        assert_eq!(
            got,
            counts,
            "file counts (total, mapped, warned, rejected, unsupported):\n{}",
            self.dump()
        );
        assert!(r.is_consistent());
        assert_eq!(
            self.files.len() as u64,
            r.files_total,
            "the sink saw every counted file"
        );
    }

    /// The valid sample next to the bad input is still read in full.
    fn assert_sample_read(&self) {
        let f = self.file(SAMPLE_NAME);
        assert_eq!(f.status, FileStatus::Mapped, "sample:\n{}", self.dump());
        assert!(f.problems.is_empty());
        assert_eq!(f.patient_id.as_deref(), Some("9999013"));
        let p = f.patient();
        let kanji = p.name_kanji.as_ref().expect("kanji name");
        assert_eq!((kanji.family.as_str(), kanji.given.as_str()), ("患者", "太郎"));
        assert_eq!(p.name_kana.as_ref().expect("kana name").full(), "カンジャ タロウ");
        assert_eq!(p.birth_date.expect("birth date").to_iso(), "1948-04-05");
        assert_eq!(p.height.as_ref().expect("height").value, "167.8");
        let allergies = f.allergies();
        assert_eq!(allergies.len(), 1);
        assert_eq!(allergies[0].allergen.text, "ペニシリン");
        assert!(self.report.records["patient"] >= 1);
        assert!(self.report.records["allergy"] >= 1);
    }
}

fn assert_short(p: &Problem) {
    assert!(
        p.place.len() <= 40,
        "place is not short: {:?}",
        p.place.chars().take(80).collect::<String>()
    );
    assert!(
        p.message.len() <= 400,
        "message is not short: {:?}",
        p.message.chars().take(80).collect::<String>()
    );
}

// ---------------------------------------------------------------------------------------------
// Bytes that are not a message

#[test]
fn empty_file_is_rejected_by_name() {
    let mut s = Storage::with_sample();
    let bad = s.put(&std_file("1234567", "-", "ADT-00", "20240401090000000", "1"), b"");
    let r = s.run();
    r.assert_counts((2, 1, 0, 1, 0));
    assert_eq!(r.file(&bad).status, FileStatus::Rejected);
    assert!(r.file(&bad).records.is_empty());
    r.problem(&bad, Severity::Error, &["empty", "0 bytes"]);
    r.assert_sample_read();
}

#[test]
fn binary_garbage_is_rejected() {
    let mut s = Storage::with_sample();
    let mut with_nul = noise(4096, 7);
    with_nul[100] = 0;
    let nul = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &with_nul,
    );
    // High bytes and control characters but no NUL: decodes to nonsense that is not MSH.
    let mut no_nul: Vec<u8> = noise(4096, 11).into_iter().map(|b| b.max(1)).collect();
    no_nul[0] = 0x93;
    let junk = s.put(
        &std_file("7654321", "20240401", "OMP-01", "20240401090000000", "1"),
        &no_nul,
    );
    let r = s.run();
    r.assert_counts((3, 1, 0, 2, 0));
    let p = r.problem(&nul, Severity::Error, &["binary", "NUL", "not an HL7 message"]);
    assert_short(p);
    let p = r.problem(&junk, Severity::Error, &["not an HL7 message", "not MSH"]);
    assert_short(p);
    r.assert_sample_read();
}

#[test]
fn no_msh_and_msh_only() {
    let mut s = Storage::with_sample();
    let pid_first = s.put(
        &std_file("1111111", "-", "ADT-00", "20240401090000000", "1"),
        &jis("PID|0001||1111111^^^^PI||山田^太郎^^^^^L^I||19700101|M\rPV1|0001|O\r"),
    );
    let msh_only = s.put(
        &std_file("2222222", "-", "ADT-00", "20240401090000000", "1"),
        msh("ADT^A08^ADT_A01", "X1").as_bytes(),
    );
    let bare = s.put(
        &std_file("3333333", "-", "ADT-00", "20240401090000000", "1"),
        b"MSH\r",
    );
    let no_encoding = s.put(
        &std_file("4444444", "-", "ADT-00", "20240401090000000", "1"),
        b"MSH|^\rPID|1\r",
    );
    let r = s.run();
    r.assert_counts((5, 1, 1, 3, 0));
    r.problem(
        &pid_first,
        Severity::Error,
        &["not an HL7 message", "first segment is not MSH", "PID|0001"],
    );
    r.problem(&bare, Severity::Error, &["MSH", "field separator"]);
    r.problem(&no_encoding, Severity::Error, &["MSH-2", "incomplete"]);
    // A lone MSH is read as far as it goes: no records, but kept as source text.
    let f = r.file(&msh_only);
    assert_eq!(f.status, FileStatus::MappedWithWarnings);
    assert_eq!(f.patient_id.as_deref(), Some("2222222"));
    assert_eq!(f.count(RecordKind::Raw), 1);
    let p = r.problem(&msh_only, Severity::Warning, &["no PID"]);
    assert_eq!(p.place, "segment 1 (MSH)");
    r.problem(
        &msh_only,
        Severity::Warning,
        &["gave no records", "kept as source text"],
    );
    r.assert_sample_read();
}

#[test]
fn junk_segment_is_reported_and_the_rest_of_the_message_read() {
    let mut s = Storage::with_sample();
    let mut m = adt00("1234567", "山田^花子^^^^^L^I~ヤマダ^ハナコ^^^^^L^P");
    m.insert(3, "%%%% これはゴミです %%%% <<<>>> %%%%".into());
    m.insert(5, "  ".into());
    let bad = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&m)),
    );
    let r = s.run();
    r.assert_counts((2, 1, 1, 0, 0));
    let f = r.file(&bad);
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 花子");
    assert_eq!(f.allergies().len(), 1, "the AL1 after the junk is read");
    let p = r.problem(&bad, Severity::Warning, &["not an HL7 segment", "これはゴミです"]);
    assert_eq!(p.place, "segment 4");
    assert_short(p);
    r.assert_sample_read();
}

// ---------------------------------------------------------------------------------------------
// Encodings

#[test]
fn truncated_inside_a_jis_escape() {
    let mut s = Storage::with_sample();
    let full = jis(&cr(&adt00("1234567", "山田^花子^^^^^L^I~ヤマダ^ハナコ^^^^^L^P")));
    let esc = full.windows(3).position(|w| w == b"\x1b$B").expect("a kanji run");
    // Cut inside the escape sequence itself (`ESC $`) ...
    let in_escape = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &full[..esc + 2],
    );
    // ... and after `ESC $ B` plus one and a half characters.
    let full2 = jis(&cr(&adt00("7654321", "山田^花子^^^^^L^I~ヤマダ^ハナコ^^^^^L^P")));
    let esc2 = full2
        .windows(3)
        .position(|w| w == b"\x1b$B")
        .expect("a kanji run");
    let in_char = s.put(
        &std_file("7654321", "-", "ADT-00", "20240401090000000", "1"),
        &full2[..esc2 + 6],
    );
    let r = s.run();
    r.assert_counts((3, 1, 2, 0, 0));
    for (path, pid) in [(&in_escape, "1234567"), (&in_char, "7654321")] {
        let f = r.file(path);
        assert_eq!(f.status, FileStatus::MappedWithWarnings);
        // What came before the cut is still there.
        assert_eq!(f.patient().id, pid);
        assert_eq!(f.patient_id.as_deref(), Some(pid));
        let p = r.problem(
            path,
            Severity::Warning,
            &["do not decode", "truncated escape sequence"],
        );
        assert_eq!(p.place, "segment 3");
    }
    // The whole character before the cut survives.
    let kanji = r.file(&in_char).patient().name_kanji.clone().unwrap_or_default();
    assert!(kanji.family.starts_with('山'), "{kanji:?}");
    r.assert_sample_read();
}

#[test]
fn missing_return_to_ascii_before_cr_does_not_spoil_the_next_segment() {
    let mut s = Storage::with_sample();
    let pid = "PID|0001||1234567^^^^PI||山田^花子^^^^^L^I||19700101|F|||^^^^100-0001^JPN^H^東京都千代田区";
    let mut pid_bytes = jis(pid);
    assert!(pid_bytes.ends_with(b"\x1b(B"));
    pid_bytes.truncate(pid_bytes.len() - 3);
    let mut bytes = jis(&(msh("ADT^A08^ADT_A01", "A00") + "\rEVN||20240401090000\r"));
    bytes.extend_from_slice(&pid_bytes);
    bytes.extend_from_slice(b"\r");
    bytes.extend_from_slice(&jis(
        "AL1|1|DA^薬剤アレルギー^HL70127|1^ペニシリン^99XYZ\rOBX|1|NM|9N001000000000001^身長^JC10||170.5|cm^cm^ISO+|||||F\r",
    ));
    let path = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &bytes,
    );
    let r = s.run();
    r.assert_counts((2, 2, 0, 0, 0));
    let f = r.file(&path);
    let p = f.patient();
    assert_eq!(p.addresses[0].text, "東京都千代田区");
    assert_eq!(
        p.height.as_ref().expect("height from the OBX after AL1").value,
        "170.5"
    );
    let a = f.allergies();
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].allergen.code.as_str(), a[0].allergen.text.as_str()),
        ("1", "ペニシリン")
    );
    assert_eq!(a[0].allergen.system, "99XYZ");
    r.assert_sample_read();
}

#[test]
fn cp932_message_is_decoded_with_a_warning() {
    let mut s = Storage::with_sample();
    // 髙 is an IBM extension character: CP932 only, not in JIS X 0208.
    let text = cr(&adt00("1234567", "髙橋^太郎^^^^^L^I~タカハシ^タロウ^^^^^L^P"));
    let (bytes, _, unmappable) = SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    let path = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &bytes,
    );
    let r = s.run();
    r.assert_counts((2, 1, 1, 0, 0));
    let f = r.file(&path);
    assert_eq!(f.status, FileStatus::MappedWithWarnings);
    let p = f.patient();
    assert_eq!(p.name_kanji.as_ref().unwrap().full(), "髙橋 太郎");
    assert_eq!(p.name_kana.as_ref().unwrap().full(), "タカハシ タロウ");
    assert_eq!(f.allergies()[0].allergen.text, "ペニシリン");
    r.problem(&path, Severity::Warning, &["CP932", "not ISO-2022-JP"]);
    r.assert_sample_read();
}

#[test]
fn utf8_message_is_decoded_with_a_warning() {
    let mut s = Storage::with_sample();
    let text = format!(
        "\u{feff}{}",
        cr(&adt00("1234567", "山田^花子^^^^^L^I~ヤマダ^ハナコ^^^^^L^P"))
    );
    let path = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        text.as_bytes(),
    );
    let r = s.run();
    r.assert_counts((2, 1, 1, 0, 0));
    let f = r.file(&path);
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 花子");
    assert_eq!(f.allergies()[0].allergen.text, "ペニシリン");
    r.problem(&path, Severity::Warning, &["UTF-8", "not ISO-2022-JP"]);
    r.assert_sample_read();
}

#[test]
fn hl7_escapes_come_out_unescaped() {
    let mut s = Storage::with_sample();
    let m = adt61(
        "1234567",
        &[("薬Ａ", "発疹\\F\\かゆみ\\S\\腫れ\\T\\発熱\\R\\咳\\E\\終わり")],
    );
    let path = s.put(
        &std_file("1234567", "-", "ADT-61", "20240401090000000", "1"),
        &jis(&cr(&m)),
    );
    let r = s.run();
    r.assert_counts((2, 2, 0, 0, 0));
    let a = r.file(&path).allergies();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].reaction, "発疹|かゆみ^腫れ&発熱~咳\\終わり");
    r.assert_sample_read();
}

#[test]
fn yen_sign_as_escape_character() {
    let mut s = Storage::with_sample();
    // MSH-2 written with ¥ (the encoder uses JIS-Roman, ESC ( J, for it).
    let mut m = adt61("1234567", &[("薬Ａ", "発疹¥F¥かゆみ¥S¥腫れ")]);
    m[0] = m[0].replacen("^~\\&", "^~¥&", 1);
    let bytes = jis(&cr(&m));
    assert!(bytes.windows(3).any(|w| w == b"\x1b(J"));
    let yen = s.put(
        &std_file("1234567", "-", "ADT-61", "20240401090000000", "1"),
        &bytes,
    );
    // A whole file in JIS-Roman: `\` reads as ¥ and `~` as ‾ everywhere, MSH-2 included, and
    // the state carries over CR into segments without any escape sequence (the last IAM).
    let mut m = adt61("7654321", &[("薬Ｂ", "発疹\\F\\かゆみ")]);
    m.push("IAM|2|DA^Drug^HL70127|999^Aspirin^99XYZ|MO^Moderate^HL70128|rash\\F\\itch|A^Add^HL70323".into());
    let roman: Vec<u8> = [b"\x1b(J".as_slice(), &jis(&cr(&m))].concat();
    let roman = String::from_utf8_lossy(&roman)
        .replace("\x1b(B", "\x1b(J")
        .into_bytes();
    let all_roman = s.put(
        &std_file("7654321", "-", "ADT-61", "20240401090000000", "1"),
        &roman,
    );
    let r = s.run();
    r.assert_counts((3, 3, 0, 0, 0));
    assert_eq!(r.file(&yen).allergies()[0].reaction, "発疹|かゆみ^腫れ");
    let f = r.file(&all_roman);
    assert_eq!(f.allergies()[0].reaction, "発疹|かゆみ");
    assert_eq!(f.allergies()[0].allergen.text, "薬Ｂ");
    assert_eq!(f.allergies()[1].reaction, "rash|itch");
    let kana = f
        .demographics
        .as_ref()
        .and_then(|p| p.name_kana.as_ref())
        .expect("kana after the ‾ repetition");
    assert_eq!(kana.full(), "ヤマダ タロウ");
    r.assert_sample_read();
}

#[test]
fn kana_readings_are_shown_as_written() {
    let mut s = Storage::with_sample();
    let coded = s.put(
        &std_file("1111111", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&adt00("1111111", "山田^花子^^^^^L^I~やまだ^はなこ^^^^^L^P"))),
    );
    // Without XPN.8 the kana repetition is recognised as the reading.
    let uncoded = s.put(
        &std_file("2222222", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&adt00("2222222", "鈴木^一郎~すずき^いちろう"))),
    );
    // Half-width katakana in JIS X 0201 (ESC ( I): ﾔﾏﾀﾞ^ﾊﾅｺ.
    let mut bytes = jis(&cr(&adt00("3333333", "山田^花子^^^^^L^I~@KANA@^^^^^L^P")));
    let at = bytes.windows(6).position(|w| w == b"@KANA@").expect("marker");
    let half = b"\x1b(I\x54\x4f\x40\x5e\x1b(B^\x1b(I\x4a\x45\x3a\x1b(B";
    bytes.splice(at..at + 6, half.iter().copied());
    let half_width = s.put(
        &std_file("3333333", "-", "ADT-00", "20240401090000000", "1"),
        &bytes,
    );
    let r = s.run();
    r.assert_counts((4, 4, 0, 0, 0));
    let kana = |path: &str| {
        r.file(path)
            .patient()
            .name_kana
            .clone()
            .expect("kana name")
            .full()
    };
    // Hiragana stays hiragana: the chart shows what the record says (search folds kana).
    assert_eq!(kana(&coded), "やまだ はなこ");
    assert_eq!(kana(&uncoded), "すずき いちろう");
    assert_eq!(
        r.file(&uncoded).patient().name_kanji.as_ref().unwrap().full(),
        "鈴木 一郎"
    );
    assert_eq!(kana(&half_width), "ﾔﾏﾀﾞ ﾊﾅｺ");
    r.assert_sample_read();
}

#[test]
fn lf_and_crlf_line_ends() {
    let mut s = Storage::with_sample();
    let m = adt61("1111111", &[("薬Ａ", "発疹"), ("薬Ｂ", "嘔吐"), ("薬Ｃ", "咳")]);
    let mut paths = Vec::new();
    for (pid, sep) in [("1111111", "\r"), ("2222222", "\n"), ("3333333", "\r\n")] {
        let mut m = m.clone();
        m[2] = m[2].replace("1111111", pid);
        let text = m.join(sep) + sep;
        paths.push(s.put(
            &std_file(pid, "-", "ADT-61", "20240401090000000", "1"),
            &jis(&text),
        ));
    }
    let r = s.run();
    r.assert_counts((4, 4, 0, 0, 0));
    let reference = r.file(&paths[0]);
    for path in &paths {
        let f = r.file(path);
        let reactions: Vec<&str> = f.allergies().iter().map(|a| a.reaction.as_str()).collect();
        assert_eq!(reactions, ["発疹", "嘔吐", "咳"], "{path}");
        let segments: Vec<&[u32]> = f
            .records
            .iter()
            .map(|r| r.provenance.segments.as_slice())
            .collect();
        let expected: Vec<&[u32]> = reference
            .records
            .iter()
            .map(|r| r.provenance.segments.as_slice())
            .collect();
        assert_eq!(segments, expected, "segment numbers do not depend on line ends");
    }
    assert_eq!(r.report.records["allergy"], 1 + 9);
    r.assert_sample_read();
}

// ---------------------------------------------------------------------------------------------
// Names and places

#[test]
fn file_in_the_wrong_folder() {
    let mut s = Storage::with_sample();
    // An allergy message (ADT^A60) filed as a patient master (ADT-00).
    let wrong_type = s.put(
        &std_file("1111111", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&adt61("1111111", &[("薬Ａ", "発疹"), ("薬Ｂ", "咳")]))),
    );
    // The file name names another patient than the folder.
    let name = file_name("3333333", "-", "ADT-00", "20240401090000000", "1");
    let wrong_patient = s.put(
        &std_path("2222222", "-", "ADT-00", &name),
        &jis(&cr(&adt00("2222222", "山田^花子^^^^^L^I"))),
    );
    // The file name says OMP-01, the folder ADT-00.
    let name = file_name("4444444", "-", "OMP-01", "20240401090000000", "1");
    let wrong_name_type = s.put(
        &std_path("4444444", "-", "ADT-00", &name),
        &jis(&cr(&adt00("4444444", "山田^一郎^^^^^L^I"))),
    );
    let r = s.run();
    r.assert_counts((4, 1, 3, 0, 0));

    let f = r.file(&wrong_type);
    assert_eq!(f.allergies().len(), 2, "read as what MSH-9 says");
    let p = r.problem(
        &wrong_type,
        Severity::Warning,
        &["ADT^A60", "does not belong", "ADT-00"],
    );
    assert_eq!(p.place, "segment 1 (MSH-9)");

    let f = r.file(&wrong_patient);
    assert_eq!(f.patient_id.as_deref(), Some("2222222"));
    assert!(f.records.iter().all(|r| r.patient_id == "2222222"));
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 花子");
    r.problem(
        &wrong_patient,
        Severity::Warning,
        &["file name says patient 3333333", "patient folder 2222222"],
    );

    let f = r.file(&wrong_name_type);
    assert_eq!(f.count(RecordKind::Patient), 1);
    r.problem(
        &wrong_name_type,
        Severity::Warning,
        &["file name says data type OMP-01", "folder ADT-00"],
    );
    r.assert_sample_read();
}

#[test]
fn file_names_that_are_not_the_seven_field_pattern() {
    let mut s = Storage::with_sample();
    let msg = |pid: &str| jis(&cr(&adt00(pid, "山田^花子^^^^^L^I")));
    // In a patient folder, but the name is not SS-MIX2.
    let short = s.put(
        &std_path("1111111", "-", "ADT-00", "1111111_ADT-00.hl7"),
        &msg("1111111"),
    );
    let bad_flag = s.put(
        &std_path(
            "2222222",
            "-",
            "ADT-00",
            "2222222_-_ADT-00_999999999999999_20240401090000000_-_9",
        ),
        &msg("2222222"),
    );
    // A proper name outside the folder layout.
    let loose = s.put(
        &format!(
            "loose/{}",
            file_name("3333333", "-", "ADT-00", "20240401090000000", "1")
        ),
        &msg("3333333"),
    );
    // Not SS-MIX2 at all.
    let readme = s.put(
        "README.txt",
        "この DVD は SS-MIX2 のバックアップです。\n".as_bytes(),
    );
    let r = s.run();
    r.assert_counts((5, 1, 3, 0, 1));

    let f = r.file(&short);
    assert_eq!(f.status, FileStatus::MappedWithWarnings);
    assert_eq!(f.patient().id, "1111111");
    assert_eq!(f.statuses(), [RecordStatus::Current, RecordStatus::Current]);
    r.problem(
        &short,
        Severity::Warning,
        &["1111111_ADT-00.hl7", "7 SS-MIX2 fields", "read as current"],
    );

    assert_eq!(r.file(&bad_flag).patient().id, "2222222");
    r.problem(
        &bad_flag,
        Severity::Warning,
        &["condition flag \"9\"", "not 0, 1 or 2"],
    );

    let f = r.file(&loose);
    assert_eq!(f.patient_id.as_deref(), Some("3333333"));
    assert_eq!(f.count(RecordKind::Patient), 1);
    r.problem(
        &loose,
        Severity::Warning,
        &["not in the SS-MIX2 folder layout", "filed by its file name"],
    );

    assert_eq!(r.file(&readme).status, FileStatus::Unsupported);
    r.problem(&readme, Severity::Info, &["not an SS-MIX2 file"]);
    r.assert_sample_read();
}

#[test]
fn file_name_with_an_extension_is_read_normally() {
    let mut s = Storage::with_sample();
    let name = file_name("1234567", "-", "ADT-00", "20240401090000000", "1") + ".txt";
    let path = s.put(
        &std_path("1234567", "-", "ADT-00", &name),
        &jis(&cr(&adt00("1234567", "山田^花子^^^^^L^I"))),
    );
    let r = s.run();
    r.assert_counts((2, 2, 0, 0, 0));
    let f = r.file(&path);
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 花子");
    assert_eq!(f.statuses(), [RecordStatus::Current, RecordStatus::Current]);
    r.assert_sample_read();
}

// ---------------------------------------------------------------------------------------------
// Values

#[test]
fn impossible_dates_and_late_night_hours_are_warnings() {
    let mut s = Storage::with_sample();
    let mut m = adt00("1234567", "山田^花子^^^^^L^I");
    // PID-7 birth 30 February, PID-29 death at 48 o'clock, PID-33 update at 24:30.
    m[2] = format!(
        "PID|0001||1234567^^^^PI||山田^花子^^^^^L^I||20110230|F{}201112204800{}201112202430",
        "|".repeat(21),
        "|".repeat(4)
    );
    // Written at 25:30 on 20 December, i.e. 01:30 on the 21st.
    let path = s.put(
        &std_file("1234567", "-", "ADT-00", "20111220253000000", "1"),
        &jis(&cr(&m)),
    );
    let r = s.run();
    r.assert_counts((2, 1, 1, 0, 0));
    let f = r.file(&path);
    assert_eq!(f.status, FileStatus::MappedWithWarnings);
    let p = f.patient();
    assert_eq!(p.birth_date, None);
    assert_eq!(p.deceased, None);
    assert_eq!(p.updated_at.expect("24:30 is read").to_iso(), "2011-12-21T00:30");
    assert_eq!(f.allergies().len(), 1);
    let w = r.problem(&path, Severity::Warning, &["20110230", "no such date"]);
    assert_eq!(w.place, "segment 3 (PID-7)");
    let w = r.problem(&path, Severity::Warning, &["201112204800", "time out of range"]);
    assert_eq!(w.place, "segment 3 (PID-29)");
    assert_eq!(r.report.as_of.expect("as of").to_iso(), "2011-12-21T01:30:00.000");
    r.assert_sample_read();
}

#[test]
fn ten_megabyte_segments_finish_quickly() {
    let mut s = Storage::with_sample();
    let big = "あ".repeat(10 * 1024 * 1024 / 2);
    // A 10 MB text value inside a proper OBX (2-byte JIS characters, one escape pair).
    let mut m = adt00("1234567", "山田^花子^^^^^L^I");
    m.push(format!("OBX|1|TX|ZZ999^メモ^99X||{big}"));
    let long_value = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&m)),
    );
    // A 10 MB segment with no delimiter at all, between PID and AL1.
    let mut m = adt00("7654321", "山田^一郎^^^^^L^I");
    m.insert(3, "X".repeat(10 * 1024 * 1024));
    let long_junk = s.put(
        &std_file("7654321", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&m)),
    );
    let r = s.run();
    r.assert_counts((3, 1, 2, 0, 0));
    assert!(r.elapsed < Duration::from_secs(8), "took {:?}", r.elapsed);
    let f = r.file(&long_value);
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 花子");
    assert_eq!(f.allergies().len(), 1);
    r.problem(
        &long_value,
        Severity::Warning,
        &["メモ", "not a height, weight or blood type"],
    );
    let f = r.file(&long_junk);
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 一郎");
    assert_eq!(f.allergies().len(), 1, "the AL1 after the long segment is read");
    let p = r.problem(&long_junk, Severity::Warning, &["not an HL7 segment"]);
    assert_eq!(p.place, "segment 4");
    // No problem line carries the 10 MB.
    for p in &r.report.problems {
        assert_short(p);
    }
    r.assert_sample_read();
}

#[test]
fn hundreds_of_thousands_of_lines_give_a_bounded_report() {
    let mut s = Storage::with_sample();
    // 300 000 junk lines after a proper message: one problem line per junk line would be
    // 300 000 lines (and, at 10 MB, millions).
    let mut text = cr(&adt00("1234567", "山田^花子^^^^^L^I"));
    text.push_str(&"@\r".repeat(300_000));
    let path = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&text),
    );
    let r = s.run();
    r.assert_counts((2, 1, 1, 0, 0));
    assert!(r.elapsed < Duration::from_secs(5), "took {:?}", r.elapsed);
    let f = r.file(&path);
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 花子");
    assert_eq!(f.allergies().len(), 1);
    assert!(f.problems.len() <= 110, "{} problem lines", f.problems.len());
    let p = r.problem(
        &path,
        Severity::Warning,
        &["more than 100000 segments", "kept unread"],
    );
    assert_eq!(p.place, "segment 100000");
    r.problem(&path, Severity::Warning, &["not an HL7 segment"]);
    r.problem(
        &path,
        Severity::Warning,
        &["more problems in this file are not listed"],
    );
    r.assert_sample_read();
}

#[test]
fn ten_megabytes_of_separators() {
    let mut s = Storage::with_sample();
    // Every byte a field separator, then every byte a component separator.
    let mut m = adt00("1234567", "山田^花子^^^^^L^I");
    m.push(format!("OBX{}", "|".repeat(10 * 1024 * 1024)));
    m.push(format!("NK1|1|{}", "^".repeat(10 * 1024 * 1024)));
    let path = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&m)),
    );
    let r = s.run();
    r.assert_counts((2, 1, 1, 0, 0));
    assert!(r.elapsed < Duration::from_secs(8), "took {:?}", r.elapsed);
    let f = r.file(&path);
    assert_eq!(f.patient().name_kanji.as_ref().unwrap().full(), "山田 花子");
    assert_eq!(f.allergies().len(), 1);
    let p = r.problem(&path, Severity::Warning, &["not a height, weight or blood type"]);
    assert_eq!(p.place, "segment 6 (OBX-3)");
    r.assert_sample_read();
}

// ---------------------------------------------------------------------------------------------
// Condition flags

#[test]
fn condition_flags() {
    let mut s = Storage::with_sample();
    let msg = |pid: &str, allergen: &str| jis(&cr(&adt61(pid, &[(allergen, "発疹")])));
    // Two current versions of one key: the newer wins, both are noted.
    let old1 = s.put(
        &std_file("1111111", "-", "ADT-61", "20240401090000000", "1"),
        &msg("1111111", "旧"),
    );
    let new1 = s.put(
        &std_file("1111111", "-", "ADT-61", "20240402090000000", "1"),
        &msg("1111111", "新"),
    );
    // A history version without a current one.
    let orphan = s.put(
        &std_file("2222222", "-", "ADT-61", "20240401090000000", "2"),
        &msg("2222222", "孤"),
    );
    // Deleted data: every version is flag 0, plus the delete message itself.
    let del_a = s.put(
        &std_file("3333333", "-", "ADT-61", "20240401090000000", "0"),
        &msg("3333333", "削Ａ"),
    );
    let del_b = s.put(
        &std_file("3333333", "-", "ADT-61", "20240402090000000", "0"),
        &msg("3333333", "削Ｂ"),
    );
    // The ordinary case: history then current, nothing to say.
    let hist = s.put(
        &std_file("4444444", "-", "ADT-61", "20240401090000000", "2"),
        &msg("4444444", "前"),
    );
    let cur = s.put(
        &std_file("4444444", "-", "ADT-61", "20240402090000000", "1"),
        &msg("4444444", "今"),
    );
    let r = s.run();
    r.assert_counts((8, 5, 3, 0, 0));

    let allergen = |path: &str| r.file(path).allergies()[0].allergen.text.clone();
    assert_eq!(r.file(&new1).statuses(), [RecordStatus::Current]);
    assert_eq!(allergen(&new1), "新");
    assert_eq!(r.file(&old1).statuses(), [RecordStatus::Superseded]);
    r.problem(
        &new1,
        Severity::Warning,
        &["2 current versions (flag 1)", "newest is shown as current"],
    );
    r.problem(
        &old1,
        Severity::Warning,
        &["another file with flag 1", "newer", "superseded"],
    );

    assert_eq!(r.file(&orphan).statuses(), [RecordStatus::Superseded]);
    assert_eq!(allergen(&orphan), "孤");
    r.problem(
        &orphan,
        Severity::Warning,
        &["history version (flag 2)", "without any current version"],
    );

    for path in [&del_a, &del_b] {
        let f = r.file(path);
        assert_eq!(f.status, FileStatus::Mapped);
        assert_eq!(
            f.statuses(),
            [RecordStatus::Cancelled],
            "deleted data is kept, marked cancelled"
        );
    }
    assert_eq!(
        (allergen(&del_a), allergen(&del_b)),
        ("削Ａ".to_string(), "削Ｂ".to_string())
    );

    assert_eq!(r.file(&hist).statuses(), [RecordStatus::Superseded]);
    assert_eq!(r.file(&cur).statuses(), [RecordStatus::Current]);
    assert!(r.file(&hist).problems.is_empty() && r.file(&cur).problems.is_empty());

    assert_eq!(r.report.records["allergy"], 1 + 7);
    assert_eq!(r.report.record_status.get("cancelled"), Some(&2));
    assert_eq!(r.report.record_status.get("superseded"), Some(&3));
    r.assert_sample_read();
}

// ---------------------------------------------------------------------------------------------
// Folders

#[test]
fn deeply_nested_folders() {
    let mut s = Storage::with_sample();
    // 40 levels above a storage: beyond the walk's limit.
    let deep_prefix = vec!["d"; 40].join("/");
    let deep = format!(
        "{deep_prefix}/{}",
        std_file("1111111", "-", "ADT-00", "20240401090000000", "1")
    );
    s.put(&deep, &jis(&cr(&adt00("1111111", "山田^花子^^^^^L^I"))));
    // 19 levels + 5 storage levels: the file sits at depth 25, in a folder at the limit (24).
    let edge_prefix = vec!["e"; 19].join("/");
    let edge = format!(
        "{edge_prefix}/{}",
        std_file("2222222", "-", "ADT-00", "20240401090000000", "1")
    );
    s.put(&edge, &jis(&cr(&adt00("2222222", "山田^一郎^^^^^L^I"))));
    let r = s.run();
    // The too-deep file is not listed; a problem line names the folder where reading stopped.
    r.assert_counts((s.written - 1, 2, 0, 0, 0));
    let p = r
        .report
        .problems
        .iter()
        .find(|p| p.severity == Severity::Error && p.message.contains("nested deeper than"))
        .unwrap_or_else(|| panic!("no depth problem:\n{}", r.dump()));
    assert!(
        p.path.starts_with("d/d/d/") && deep.starts_with(&p.path),
        "{}",
        p.path
    );
    assert!(p.message.contains("not read"), "{}", p.message);
    assert_eq!(r.file(&edge).patient().id, "2222222");
    r.assert_sample_read();
}

#[cfg(unix)]
#[test]
fn folder_link_loop_is_reported_not_followed_forever() {
    use std::os::unix::fs::symlink;
    let mut s = Storage::with_sample();
    let other = s.put(
        &std_file("1234567", "-", "ADT-00", "20240401090000000", "1"),
        &jis(&cr(&adt00("1234567", "山田^花子^^^^^L^I"))),
    );
    let adt00_dir = s.root().join("999/901/9999013/-/ADT-00");
    // A folder linked to its parent, and one linked to the storage root.
    symlink("..", adt00_dir.join("up")).expect("symlink");
    symlink(s.root(), s.root().join("999/901/root-again")).expect("symlink");
    // A link to nowhere.
    symlink(s.dir.path().join("missing"), s.root().join("999/dangling")).expect("symlink");
    let r = s.run();
    assert!(r.elapsed < Duration::from_secs(5), "took {:?}", r.elapsed);
    // Each link that is not followed is an entry of the media: counted as not read.
    r.assert_counts((5, 2, 0, 3, 0));
    let p = r.problem(
        "999/901/9999013/-/ADT-00/up",
        Severity::Error,
        &["link loop", "not followed"],
    );
    assert!(p.message.contains("folder"));
    r.problem("999/901/root-again", Severity::Error, &["link loop"]);
    r.problem("999/dangling", Severity::Error, &["cannot read"]);
    assert_eq!(r.file(&other).patient().id, "1234567");
    r.assert_sample_read();
}

// ---------------------------------------------------------------------------------------------
// Zip archives

fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).expect("create zip");
    let mut zw = zip::ZipWriter::new(file);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zw.start_file(*name, options).expect("zip entry");
        zw.write_all(bytes).expect("zip write");
    }
    zw.finish().expect("zip finish");
}

fn sample_zip_entry() -> String {
    format!("export/{SAMPLE_REL}")
}

#[test]
fn zip_archive_root_is_read_without_extraction() {
    let dir = tempfile::tempdir().expect("temp dir");
    // By content, whatever the extension.
    let archive = dir.path().join("snapshot.bin");
    let bad = format!(
        "export/{}",
        std_file("1234567", "-", "ADT-00", "20240401090000000", "1")
    );
    let other = format!(
        "export/{}",
        std_file("7654321", "-", "ADT-00", "20240401090000000", "1")
    );
    let other_bytes = jis(&cr(&adt00("7654321", "山田^花子^^^^^L^I~ヤマダ^ハナコ^^^^^L^P")));
    write_zip(
        &archive,
        &[
            (&sample_zip_entry(), &sample_bytes()),
            (&bad, b""),
            (&other, &other_bytes),
        ],
    );
    let r = run(std::slice::from_ref(&archive));
    r.assert_counts((3, 2, 0, 1, 0));
    r.assert_sample_read();
    assert_eq!(
        r.file(&other).patient().name_kana.as_ref().unwrap().full(),
        "ヤマダ ハナコ"
    );
    r.problem(&bad, Severity::Error, &["empty"]);
    // Nothing was extracted next to the archive.
    let listed: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed, ["snapshot.bin"]);
}

#[test]
fn corrupt_zip_given_as_the_snapshot_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.zip");
    std::fs::write(&path, [b"PK\x03\x04".as_slice(), &noise(2000, 3)].concat()).unwrap();
    let err = Snapshot::open(&[path])
        .err()
        .expect("a corrupt archive cannot be opened");
    let msg = err.to_string();
    assert!(
        msg.contains("broken.zip") && msg.contains("unreadable zip archive"),
        "{msg}"
    );
}

#[test]
fn corrupt_zip_among_several_roots_does_not_stop_the_others() {
    let s = Storage::with_sample();
    let broken = s.dir.path().join("broken.zip");
    std::fs::write(&broken, [b"PK\x03\x04".as_slice(), &noise(2000, 3)].concat()).unwrap();
    let r = run(&[s.root(), broken]);
    // The archive is an input file: counted, and rejected with the reason.
    r.assert_counts((2, 1, 0, 1, 0));
    r.assert_sample_read();
    let p = r.problem("broken.zip", Severity::Error, &["unreadable zip archive"]);
    assert_eq!(p.path, "broken.zip");
}

#[test]
fn corrupt_zip_inside_a_folder_root() {
    let mut s = Storage::with_sample();
    // A real archive cut in half, and zip magic followed by noise.
    let tmp = s.dir.path().join("whole.zip");
    write_zip(&tmp, &[("a/b.txt", &noise(50_000, 5)), ("a/c.txt", b"hello")]);
    let whole = std::fs::read(&tmp).unwrap();
    s.put("backup/half.zip", &whole[..whole.len() / 2]);
    s.put(
        "backup/noise.zip",
        &[b"PK\x03\x04".as_slice(), &noise(3000, 9)].concat(),
    );
    // A .zip that is not an archive at all is an ordinary (unsupported) file.
    let text = s.put("backup/notes.zip", b"just text");
    // A good archive next to them is still read.
    let good = s.root().join("more/good.zip");
    std::fs::create_dir_all(good.parent().unwrap()).unwrap();
    let inner = format!(
        "x/{}",
        std_file("1234567", "-", "ADT-00", "20240401090000000", "1")
    );
    write_zip(
        &good,
        &[(&inner, &jis(&cr(&adt00("1234567", "山田^花子^^^^^L^I"))))],
    );
    let r = s.run();
    // The two unreadable archives are rejected files; the good one is replaced by its entry.
    r.assert_counts((s.written + 1, 2, 0, 2, 1));
    for name in ["backup/half.zip", "backup/noise.zip"] {
        let p = r.problem(name, Severity::Error, &["unreadable zip archive"]);
        assert_short(p);
    }
    r.problem(&text, Severity::Info, &["not an SS-MIX2 file"]);
    assert_eq!(r.file(&inner).patient().id, "1234567");
    r.assert_sample_read();
}

/// A fixed-Huffman deflate stream of `1 + 258 * repeats` zero bytes (13 bits per 258 bytes).
fn zero_bomb(repeats: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, len: u32) {
            self.acc |= value << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u64, len: u32) {
            let reversed = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
            self.put(reversed, len);
        }
    }
    let mut b = Bits {
        out: Vec::with_capacity(repeats * 13 / 8 + 16),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman
    b.code(0b0011_0000, 8); // literal 0
    // Length 258 (code 285, 8 bits 11000101) at distance 1 (code 0: five zero bits above).
    let pair = (0..8).fold(0u64, |r, i| r | (((0b1100_0101u64 >> i) & 1) << (7 - i)));
    for _ in 0..repeats {
        b.put(pair, 13);
    }
    b.code(0, 7); // end of block
    b.put(0, 7); // flush
    b.out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &byte in data {
        c ^= u32::from(byte);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A zip written by hand, so that sizes can lie. Entries: (name, method, crc, data, declared size).
fn raw_zip(entries: &[(&str, u16, u32, &[u8], u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, crc, data, size) in entries {
        let offset = out.len() as u32;
        let head = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(method.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // 1980-01-01
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(head(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[test]
fn zip_bombs_are_bounded() {
    let started = Instant::now();
    // About 300 MB of zeros in about 1.9 MB of deflate.
    let repeats = 1_219_275;
    let inflated = 1 + 258 * repeats as u64;
    assert!(inflated > MAX_FILE_BYTES);
    let bomb = zero_bomb(repeats);
    let sample = sample_bytes();
    let honest = format!(
        "export/{}",
        std_file("1111111", "-", "ADT-00", "20240401090000000", "1")
    );
    let liar = format!(
        "export/{}",
        std_file("2222222", "-", "ADT-00", "20240401090000000", "1")
    );
    // The same stream, small and honest: inflates in full (CRC checked), so the bomb is valid.
    let small = zero_bomb(1000);
    let small_crc = crc32(&vec![0u8; 1 + 258 * 1000]);
    let zeros = format!(
        "export/{}",
        std_file("3333333", "-", "ADT-00", "20240401090000000", "1")
    );
    let bytes = raw_zip(&[
        (
            &sample_zip_entry(),
            0,
            crc32(&sample),
            &sample,
            sample.len() as u32,
        ),
        // Declares its real size: refused before inflating. (The CRC is never reached.)
        (&honest, 8, 0, &bomb, inflated as u32),
        // Declares 1000 bytes and inflates to 300 MB: stopped at the declared size.
        (&liar, 8, 0, &bomb, 1000),
        (&zeros, 8, small_crc, &small, 1 + 258 * 1000),
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "building took {:?}",
        started.elapsed()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bomb.zip");
    std::fs::write(&path, &bytes).unwrap();
    let r = run(&[path]);
    assert!(r.elapsed < Duration::from_secs(3), "took {:?}", r.elapsed);
    r.assert_counts((4, 1, 0, 3, 0));
    r.assert_sample_read();
    r.problem(&zeros, Severity::Error, &["binary data", "NUL"]);
    let p = r.problem(&honest, Severity::Error, &["too large", &inflated.to_string()]);
    assert_short(p);
    let p = r.problem(
        &liar,
        Severity::Error,
        &["cannot read", "larger than its declared"],
    );
    assert_short(p);
    assert!(r.file(&honest).records.is_empty() && r.file(&liar).records.is_empty());
}

/// The embedded sample is the real NHO file (checked when the samples are present).
#[test]
fn sample_text_is_the_nho_file() {
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
        .join(SAMPLE_REL);
    let Ok(real) = std::fs::read(&real) else {
        eprintln!("NHO sample not present; skipped");
        return;
    };
    assert!(
        sample_bytes() == real,
        "the embedded sample differs from {SAMPLE_REL}"
    );
}

#[test]
fn listing_twice_gives_the_same_files() {
    // Nested archives become roots while listing; a second listing must not add them again.
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("more/good.zip");
    std::fs::create_dir_all(good.parent().unwrap()).unwrap();
    let inner = format!(
        "x/{}",
        std_file("1234567", "-", "ADT-00", "20240401090000000", "1")
    );
    write_zip(
        &good,
        &[(&inner, &jis(&cr(&adt00("1234567", "山田^花子^^^^^L^I"))))],
    );
    let mut snap = Snapshot::open(&[dir.path().to_path_buf()]).unwrap();
    let first: Vec<String> = snap.list().0.iter().map(|f| snap.display_path(f)).collect();
    let second: Vec<String> = snap.list().0.iter().map(|f| snap.display_path(f)).collect();
    assert_eq!(first, second);
    assert_eq!(first, [format!("more/good.zip/{inner}")]);
}

#[test]
fn relisting_visits_the_same_files_in_the_same_order() {
    // The ingest counts with one walk and reads with a second one: both must see the same
    // files, nested archives and unreadable archives included, in the same order.
    let dir = tempfile::tempdir().expect("temp dir");
    let msg = jis(&cr(&adt00("1234567", "山田^花子^^^^^L^I")));
    let name = std_file("1234567", "-", "ADT-00", "20240401090000000", "1");
    let stored = dir.path().join(&name);
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    write_zip(
        &dir.path().join("b/archive.zip"),
        &[(&format!("z/{name}"), &msg), ("a.txt", b"x")],
    );
    std::fs::write(dir.path().join("b/broken.zip"), b"PK\x03\x04 not really").unwrap();
    std::fs::create_dir_all(stored.parent().unwrap()).unwrap();
    std::fs::write(&stored, &msg).unwrap();
    std::fs::write(dir.path().join("a.json"), b"{}").unwrap();
    let mut snap = Snapshot::open(&[dir.path().to_path_buf()]).unwrap();
    let shown = |snap: &Snapshot, f: &lifeboat::source::SourceFile| {
        (snap.display_path(f), f.size, f.unreadable.is_some())
    };
    let listed: Vec<_> = snap.list().0.iter().map(|f| shown(&snap, f)).collect();
    let mut relisted = Vec::new();
    let _ = snap.relist_each(|f| {
        relisted.push(shown(&snap, &f));
        std::ops::ControlFlow::Continue(())
    });
    assert_eq!(listed, relisted);
    let paths: Vec<&str> = listed.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            name.clone(),
            "a.json".to_string(),
            "b/archive.zip/a.txt".to_string(),
            format!("b/archive.zip/z/{name}"),
            "b/broken.zip".to_string(),
        ]
    );
    assert!(listed[4].2, "the broken archive is listed as unreadable");
    // The digest of a listing does not depend on how it was walked.
    let (files, _) = snap.list();
    let mut streamed = lifeboat::source::ListingDigest::default();
    files.iter().for_each(|f| streamed.add(f));
    assert_eq!(streamed.finish(), lifeboat::source::listing_digest(&files));
}

#[test]
fn versions_are_resolved_together_even_across_a_full_batch() {
    // The ingest reads in batches of about 2,048 files; a patient's versions must still meet.
    // 2,047 orders fill a batch; the two current versions of order 9999 come next, one on
    // either side of where a plain chunking would cut.
    let mut s = Storage::with_sample();
    let pid = "7654321";
    let msg = jis(&cr(&adt00(pid, "山田^花子^^^^^L^I")));
    let name = |order: u32, written: &str| {
        let n = format!("{pid}_-_ADT-00_{order:015}_{written}_-_1");
        std_path(pid, "-", "ADT-00", &n)
    };
    for order in 0..2047 {
        s.put(&name(order, "20240401090000000"), &msg);
    }
    let older = s.put(&name(9999, "20240402090000000"), &msg);
    let newer = s.put(&name(9999, "20240403090000000"), &msg);
    let r = s.run();
    assert_eq!(r.report.files_total, s.written);
    let (older, newer) = (r.file(&older).statuses(), r.file(&newer).statuses());
    assert!(!older.is_empty() && older.iter().all(|s| *s == RecordStatus::Superseded));
    assert!(!newer.is_empty() && newer.iter().all(|s| *s == RecordStatus::Current));
}
