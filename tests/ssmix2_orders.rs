//! SS-MIX2 messages written for these tests from the specifications (JAHIS 処方データ交換規約
//! Ver.3.0C, 注射データ交換規約 Ver.2.1C, SS-MIX2 標準化ストレージ仕様書): every drug's code, name,
//! dose, days, dosage (all repeats), route/method/site, every lab's value and unit, names and
//! departments, as the record says them. Fictional patients only.

use encoding_rs::ISO_2022_JP;
use lifeboat::ingest::{FileOutcome, IngestOptions, ingest};
use lifeboat::model::{
    Clinical, Code, Encounter, LabResult, MedicationAdministration, MedicationOrder, OrderKind, Patient,
    Record,
};
use lifeboat::report::{Problem, Severity};
use lifeboat::source::Snapshot;
use tempfile::TempDir;

const PID: &str = "7000001";

fn msh(kind: &str, control: &str) -> String {
    format!(
        "MSH|^~\\&|HIS|SEND|GW|RCV|20240401090000||{kind}|{control}|P|2.5||||||~ISO IR87||ISO 2022-1994|SS-MIX2_1.20^SS-MIX2^1.2.392.200250.2.1.100.1.2.120^ISO"
    )
}

fn pid_segment() -> String {
    format!("PID|0001||{PID}^^^^PI||試験^一郎^^^^^L^I~シケン^イチロウ^^^^^L^P||19600101|M")
}

/// One file: its records and problems.
struct File {
    records: Vec<Record>,
    problems: Vec<Problem>,
    demographics: Option<Patient>,
}

impl File {
    fn orders(&self) -> Vec<&MedicationOrder> {
        self.records
            .iter()
            .filter_map(|r| match &r.data {
                Clinical::MedicationOrder(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    fn order(&self, drug_code: &str) -> &MedicationOrder {
        let found: Vec<_> = self
            .orders()
            .into_iter()
            .filter(|m| m.drug.code == drug_code)
            .collect();
        assert_eq!(found.len(), 1, "one order of {drug_code} in {:#?}", self.records);
        found[0]
    }

    fn labs(&self) -> Vec<&LabResult> {
        self.records
            .iter()
            .filter_map(|r| match &r.data {
                Clinical::LabResult(l) => Some(l),
                _ => None,
            })
            .collect()
    }

    fn lab(&self, code: &str) -> &LabResult {
        self.labs()
            .into_iter()
            .find(|l| l.test.code == code)
            .unwrap_or_else(|| panic!("lab {code} in {:#?}", self.records))
    }

    /// The one warning at `place` (`segment 5 (OBX-6)`).
    fn warning_at(&self, place: &str) -> &Problem {
        let found: Vec<_> = self.problems.iter().filter(|p| p.place == place).collect();
        assert_eq!(found.len(), 1, "one problem at {place}: {:#?}", self.problems);
        assert_eq!(found[0].severity, Severity::Warning);
        found[0]
    }

    fn places(&self) -> Vec<&str> {
        self.problems.iter().map(|p| p.place.as_str()).collect()
    }
}

/// Writes one message in a standard storage and reads it.
fn read(data_type: &str, date: &str, segments: &[String]) -> File {
    let dir = TempDir::new().expect("temp dir");
    let root = dir.path().join("storage");
    let name = format!("{PID}_{date}_{data_type}_999999999999999_20240401090000000_01_1");
    let rel = format!("{}/{}/{PID}/{date}/{data_type}/{name}", &PID[..3], &PID[3..6]);
    let path = root.join(&rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
    let text = segments.join("\r") + "\r";
    let (bytes, _, unmappable) = ISO_2022_JP.encode(&text);
    assert!(!unmappable, "test text must be JIS");
    std::fs::write(&path, bytes).expect("write");
    let mut snap = Snapshot::open(&[root]).expect("open");
    let mut files = Vec::new();
    ingest(&mut snap, &IngestOptions::default(), |o: &FileOutcome| {
        files.push(File {
            records: o.records.clone(),
            problems: o.problems.clone(),
            demographics: o.demographics.clone(),
        })
    });
    assert_eq!(files.len(), 1);
    files.remove(0)
}

fn orc(rp: &str) -> String {
    format!(
        "ORC|NW|000000012000001||{rp}|||||20240401090000|||110^医師^一郎^^^^^^^L^^^^^I|||||01^内科^99XY1||||||||||||O^外来患者オーダ^HL70482"
    )
}

fn code(c: &Option<Code>) -> (&str, &str, &str) {
    c.as_ref().map_or(("", "", ""), |c| {
        (c.code.as_str(), c.text.as_str(), c.system.as_str())
    })
}

fn texts(codes: &[Code]) -> Vec<&str> {
    codes.iter().map(|c| c.text.as_str()).collect()
}

#[test]
fn prescription_dosages_every_repetition_and_every_tq1() {
    let f = read(
        "OMP-01",
        "20240401",
        &[
            msh("RDE^O11^RDE_O11", "P01"),
            pid_segment(),
            "PV1|0001|O|01^^^^^C".into(),
            // Rp1: 隔日 as a second TQ1-3 repetition, RXE-7 instruction, TQ1-11 text.
            orc("1"),
            "RXE||103835401^アムロジン錠５ｍｇ^HOT9|1||TAB^錠^MR9P|TAB^錠^MR9P|01^１回目から服用^JHSP0005|||7|TAB^錠^MR9P||||202404010001||||1^TAB&錠&MR9P||OHP^外来処方^MR9P~OHO^院外処方^MR9P".into(),
            "TQ1|1||1013040400000000&内服・経口・１日１回朝食後&JAMISDP01~H2&隔日&99XYZ|||14^d|20240401||||飲み忘れ時は翌日".into(),
            "RXR|PO^口^HL70162".into(),
            // Rp2: days of the week given as a text-only repetition.
            orc("2"),
            "RXE||110626901^メトトレキサート錠２ｍｇ^HOT9|2||TAB^錠^MR9P|TAB^錠^MR9P||||16|TAB^錠^MR9P||||202404010001||||2^TAB&錠&MR9P||OHP^外来処方^MR9P".into(),
            "TQ1|1||1013040400000000&内服・経口・１日１回朝食後&JAMISDP01~&月曜日、木曜日&99XYZ|||28^d|20240401".into(),
            "RXR|PO^口^HL70162".into(),
            // Rp3: a dose stepped up (漸増) as two TQ1 that follow each other (TQ1-12 S).
            orc("3"),
            "RXE||100607002^プレドニン錠５ｍｇ^HOT9|1|2|TAB^錠^MR9P|TAB^錠^MR9P||||21|TAB^錠^MR9P||||202404010001||||^TAB&錠&MR9P||OHP^外来処方^MR9P".into(),
            "TQ1|1||1013040400000000&内服・経口・１日１回朝食後&JAMISDP01|||7^d|20240401|20240407||||S".into(),
            "TQ1|2||1012040400000000&内服・経口・１日２回朝夕食後&JAMISDP01|||7^d|20240408|20240414".into(),
            "RXR|PO^口^HL70162".into(),
        ],
    );
    assert_eq!(f.orders().len(), 3);

    let a = f.order("103835401");
    assert_eq!(a.kind, OrderKind::Prescription);
    assert_eq!(
        (a.drug.text.as_str(), a.drug.system.as_str()),
        ("アムロジン錠５ｍｇ", "HOT9")
    );
    assert_eq!(a.dose.as_ref().map(|d| d.display()).as_deref(), Some("1 錠"));
    assert_eq!(a.total.as_ref().map(|d| d.display()).as_deref(), Some("7 錠"));
    assert_eq!(a.days, Some(14));
    assert_eq!(
        code(&a.dosage),
        ("1013040400000000", "内服・経口・１日１回朝食後", "JAMISDP01")
    );
    assert_eq!(texts(&a.more_dosages), ["隔日"]);
    assert_eq!(a.more_dosages[0].code, "H2");
    assert_eq!(a.instructions, ["１回目から服用", "飲み忘れ時は翌日"]);
    assert_eq!(
        a.dosage_text(),
        "内服・経口・１日１回朝食後 隔日 １回目から服用 飲み忘れ時は翌日"
    );
    assert_eq!(a.route_text(), "口");
    assert_eq!(a.start.map(|t| t.to_iso()).as_deref(), Some("2024-04-01"));
    assert_eq!(
        a.department.as_ref().map(|d| (d.code.as_str(), d.text.as_str())),
        Some(("01", "内科"))
    );

    let m = f.order("110626901");
    assert_eq!(m.dose.as_ref().map(|d| d.display()).as_deref(), Some("2 錠"));
    assert_eq!(m.days, Some(28));
    assert_eq!(
        m.dosage.as_ref().map(|d| d.text.as_str()),
        Some("内服・経口・１日１回朝食後")
    );
    assert_eq!(texts(&m.more_dosages), ["月曜日、木曜日"]);

    let p = f.order("100607002");
    // RXE-3/4: from 1 to 2 tablets.
    assert_eq!(p.dose.as_ref().map(|d| d.display()).as_deref(), Some("1 錠"));
    assert_eq!(p.dose_max.as_ref().map(|d| d.display()).as_deref(), Some("2 錠"));
    assert_eq!(p.days, Some(14), "7 + 7 days, one TQ1 after the other");
    assert_eq!(
        p.dosage.as_ref().map(|d| d.code.as_str()),
        Some("1013040400000000")
    );
    assert_eq!(texts(&p.more_dosages), ["内服・経口・１日２回朝夕食後"]);
    assert_eq!(p.start.map(|t| t.to_iso()).as_deref(), Some("2024-04-01"));
    assert_eq!(p.end.map(|t| t.to_iso()).as_deref(), Some("2024-04-14"));
    let w = f.warning_at("segment 15 (TQ1-7)");
    assert!(w.message.contains("earliest start"), "{}", w.message);
    assert_eq!(f.places(), ["segment 15 (TQ1-7)"]);
}

#[test]
fn differing_durations_and_a_second_rxr_are_kept_and_warned() {
    let f = read(
        "OMP-01",
        "20240401",
        &[
            msh("RDE^O11^RDE_O11", "P02"),
            pid_segment(),
            orc("1"),
            "RXE||620000033^カロナール錠３００^HOT9|1||TAB^錠^MR9P|||||10|TAB^錠^MR9P".into(),
            "TQ1|1||1050110020000000&内服・頓用・疼痛時&JAMISDP01|||5^d|20240401".into(),
            "TQ1|2||1050120000000000&内服・頓用・発熱時&JAMISDP01|||3^d|20240401".into(),
            "RXR|PO^口^HL70162".into(),
            "RXR|SL^舌下^HL70162".into(),
        ],
    );
    let c = f.order("620000033");
    // Not sequential: the first duration, the other one kept as an instruction.
    assert_eq!(c.days, Some(5));
    assert_eq!(
        c.dosage.as_ref().map(|d| d.text.as_str()),
        Some("内服・頓用・疼痛時")
    );
    assert_eq!(texts(&c.more_dosages), ["内服・頓用・発熱時"]);
    assert_eq!(c.route.as_ref().map(|r| r.text.as_str()), Some("口"));
    assert_eq!(c.instructions, ["期間: 3日", "経路: 舌下"]);
    assert!(f.warning_at("segment 6 (TQ1-6)").message.contains("differs"));
    assert!(f.warning_at("segment 8 (RXR-1)").message.contains("several RXR"));
}

#[test]
fn injection_route_method_line_site_rate_and_period_as_sent() {
    let f = read(
        "OMP-02",
        "20240401",
        &[
            msh("RDE^O11^RDE_O11", "I01"),
            pid_segment(),
            "PV1|0001|I|32^302^1^^^N".into(),
            "ORC|NW|000000012000002||000000012000002_01_001|||||20240401080000|||110^医師^一郎^^^^^^^L^^^^^I|32^302^^^^N||||01^内科^99XY1||||||||||||I^入院患者オーダ^HL70482".into(),
            "RXE||00^一般^99I02|550||ML^ミリリットル^MR9P|INJ^注射剤^MR9P|^１時間で^99IC6||||||||20240401-001||||||IHP^入院処方^MR9P|H1|550|ml/hr^ミリリットル／時間^ISO+".into(),
            "TQ1|1||||||20240401|202404011000".into(),
            "RXR|IV^静脈内^HL70162|LA^左腕^HL70163|IVP^点滴ポンプ^HL70164|IVPB^点滴静注^HL70165|SIDE^側管^99XYZ|L^左^99XYZ".into(),
            "RXC|B|620007329^ソリタ－Ｔ３号輸液５００ｍＬ^HOT9|1|HON^本^MR9P".into(),
            // RXC-4 sent with an unescaped ^ inside the unit text.
            "RXC|A|620002559^アドナ注５０ｍｇ^HOT9|2|AMP^アン^プル^MR9P".into(),
        ],
    );
    let orders = f.orders();
    assert_eq!(orders.len(), 2);
    let base = f.order("620007329");
    assert_eq!(base.kind, OrderKind::Injection);
    assert_eq!(base.component_role, "B");
    assert_eq!(base.drug.text, "ソリタ－Ｔ３号輸液５００ｍＬ");
    assert_eq!(base.dose.as_ref().map(|d| d.display()).as_deref(), Some("1 本"));
    assert_eq!(
        base.volume.as_ref().map(|d| d.display()).as_deref(),
        Some("550 ミリリットル")
    );
    assert_eq!(
        base.rate.as_ref().map(|d| d.display()).as_deref(),
        Some("550 ミリリットル／時間")
    );
    assert_eq!(code(&base.injection_type), ("00", "一般", "99I02"));
    assert_eq!(code(&base.route), ("IV", "静脈内", "HL70162"));
    assert_eq!(code(&base.site), ("LA", "左腕", "HL70163"));
    assert_eq!(code(&base.device), ("IVP", "点滴ポンプ", "HL70164"));
    assert_eq!(code(&base.method), ("IVPB", "点滴静注", "HL70165"));
    assert_eq!(code(&base.line), ("SIDE", "側管", "99XYZ"));
    assert_eq!(code(&base.site_modifier), ("L", "左", "99XYZ"));
    assert_eq!(base.route_text(), "静脈内 点滴静注 側管 左腕 左");
    assert_eq!(base.instructions, ["１時間で"]);
    // A date without a time stays a date; a time stays a time.
    assert_eq!(base.start.map(|t| t.to_iso()).as_deref(), Some("2024-04-01"));
    assert!(!base.start.is_some_and(|t| t.has_time()));
    assert_eq!(base.end.map(|t| t.to_iso()).as_deref(), Some("2024-04-01T10:00"));

    let additive = f.order("620002559");
    assert_eq!(additive.component_role, "A");
    // Shown as written, never the fragment `プル`.
    assert_eq!(
        additive.dose.as_ref().map(|d| d.display()).as_deref(),
        Some("2 AMP^アン^プル^MR9P")
    );
    assert!(f.warning_at("segment 9 (RXC-4)").message.contains("\"プル\""));
    assert_eq!(f.places(), ["segment 9 (RXC-4)"]);
}

#[test]
fn injection_given_start_end_and_rate() {
    let f = read(
        "OMP-12",
        "20240401",
        &[
            msh("RAS^O17^RAS_O17", "I12"),
            pid_segment(),
            "ORC|NW|000000012000002||000000012000002_01_001|||||20240401080000".into(),
            "RXA|0|1|202404010905|202404011002|620007329^ソリタ－Ｔ３号輸液５００ｍＬ^HOT9|1|HON^本^MR9P||^右手に実施^99IC2|200^看護^花子^^^^^^^L^^^^^I|32^302^1^^^N|500ml/hr||||||||CP".into(),
            "RXR|IV^静脈内^HL70162".into(),
        ],
    );
    let a: Vec<&MedicationAdministration> = f
        .records
        .iter()
        .filter_map(|r| match &r.data {
            Clinical::MedicationAdministration(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].drug.code, "620007329");
    assert_eq!(
        a[0].start.map(|t| t.to_iso()).as_deref(),
        Some("2024-04-01T09:05")
    );
    assert_eq!(a[0].end.map(|t| t.to_iso()).as_deref(), Some("2024-04-01T10:02"));
    assert_eq!(
        a[0].rate.as_ref().map(|r| r.display()).as_deref(),
        Some("500 ml/hr")
    );
    assert_eq!(a[0].amount.as_ref().map(|r| r.display()).as_deref(), Some("1 本"));
    assert_eq!(a[0].route.as_ref().map(|r| r.text.as_str()), Some("静脈内"));
    assert_eq!(a[0].comments, ["右手に実施"]);
    assert_eq!(a[0].completion, "CP");
    assert!(f.problems.is_empty(), "{:#?}", f.problems);
}

#[test]
fn lab_units_and_ranges_as_written() {
    let f = read(
        "OML-11",
        "20240401",
        &[
            msh("OUL^R22^OUL_R22", "L01"),
            pid_segment(),
            "SPM|1|||023^血液^JC10|||||||||||||20240401080000".into(),
            "OBR|1|000000012000003||001^血算^99LAB|||20240401080000".into(),
            // 白血球: `10^3/μL` sent without escaping its caret.
            "OBX|1|NM|2A990000001930952^白血球数^JC10||5.2|10^3/μL|3.3-8.6|N|||F".into(),
            // 赤血球: the same unit escaped as the standard says.
            "OBX|2|NM|2A990000001930953^赤血球数^JC10||4.35|10\\S\\6/μL|4.35-5.55|N|||F".into(),
            "OBX|3|NM|3A010000002327101^総蛋白^JC10||7.2|g/dL^g/dL^ISO+|6.6-8.1||||F".into(),
            // A unit naming a coding system nobody publishes.
            "OBX|4|NM|3A015000002327101^アルブミン^JC10||4.4|g/dL^g/dL^GRAMS|4.1-5.1||||F".into(),
            // A range with an unescaped caret.
            "OBX|5|NM|3D010000001926101^グルコース^JC10||102|mg/dL^mg/dL^ISO+|73^109|H|||F".into(),
            // Coded results: one well formed, one with a caret inside its text.
            "OBX|6|CWE|1A020000000191111^尿蛋白^JC10||1+^(1+)^99LAB||(-)|A|||F".into(),
            "OBX|7|CWE|1A035000000191111^尿糖^JC10||2+^陽性^強^99LAB||(-)|A|||F".into(),
        ],
    );
    assert_eq!(f.labs().len(), 7);
    let wbc = f.lab("2A990000001930952");
    assert_eq!((wbc.value.as_str(), wbc.unit.as_str()), ("5.2", "10^3/μL"));
    assert_eq!((wbc.range_low, wbc.range_high), (Some(3.3), Some(8.6)));
    assert!(f.warning_at("segment 5 (OBX-6)").message.contains("split"));
    let rbc = f.lab("2A990000001930953");
    assert_eq!((rbc.value.as_str(), rbc.unit.as_str()), ("4.35", "10^6/μL"));
    let tp = f.lab("3A010000002327101");
    assert_eq!(
        (tp.value.as_str(), tp.unit.as_str(), tp.range.as_str()),
        ("7.2", "g/dL", "6.6-8.1")
    );
    let alb = f.lab("3A015000002327101");
    assert_eq!(
        (alb.value.as_str(), alb.unit.as_str()),
        ("4.4", "g/dL^g/dL^GRAMS")
    );
    assert!(f.warning_at("segment 8 (OBX-6)").message.contains("\"GRAMS\""));
    let glu = f.lab("3D010000001926101");
    assert_eq!(
        (glu.value.as_str(), glu.unit.as_str(), glu.range.as_str()),
        ("102", "mg/dL", "73^109")
    );
    assert_eq!((glu.range_low, glu.range_high), (None, None));
    assert!(f.warning_at("segment 9 (OBX-7)").message.contains("73^109"));
    assert_eq!(f.lab("1A020000000191111").value, "(1+)");
    assert_eq!(f.lab("1A035000000191111").value, "2+^陽性^強^99LAB");
    assert!(f.warning_at("segment 11 (OBX-5)").message.contains("\"強\""));
    assert_eq!(
        f.places(),
        [
            "segment 5 (OBX-6)",
            "segment 8 (OBX-6)",
            "segment 9 (OBX-7)",
            "segment 11 (OBX-5)"
        ]
    );
}

#[test]
fn names_every_repetition_and_alias_mother_maiden_name_left_out() {
    let f = read(
        "ADT-00",
        "-",
        &[
            msh("ADT^A08^ADT_A01", "A00"),
            "EVN||20240401090000".into(),
            format!(
                "PID|0001||{PID}^^^^PI||山田^花子^^^^^L^I~やまだ^はなこ^^^^^L^P~YAMADA^HANAKO^^^^^L^A~佐藤^花子^^^^^M^I|鈴木^^^^^^M^I|19700101|F|ハナ^^^^^^A^P"
            ),
            "PV1|0001|O".into(),
        ],
    );
    let p = f
        .records
        .iter()
        .find_map(|r| match &r.data {
            Clinical::Patient(p) => Some(p),
            _ => None,
        })
        .expect("patient");
    assert_eq!(
        p.name_kanji.as_ref().map(|n| n.full()).as_deref(),
        Some("山田 花子")
    );
    // Hiragana as written.
    assert_eq!(
        p.name_kana.as_ref().map(|n| n.full()).as_deref(),
        Some("やまだ はなこ")
    );
    let others: Vec<(String, &str, &str)> = p
        .other_names
        .iter()
        .map(|o| (o.name.full(), o.kind.as_str(), o.script.as_str()))
        .collect();
    assert_eq!(
        others,
        [
            ("YAMADA HANAKO".to_string(), "L", "A"),
            ("佐藤 花子".to_string(), "M", "I"),
            ("ハナ".to_string(), "A", "P"),
        ]
    );
    // PID-6 is the mother's maiden name.
    assert!(!p.other_names.iter().any(|o| o.name.family == "鈴木"));
    assert!(f.problems.is_empty(), "{:#?}", f.problems);
}

#[test]
fn encounter_department_keeps_code_and_name() {
    let f = read(
        "ADT-12",
        "20240401",
        &[
            msh("ADT^A04^ADT_A01", "V01"),
            "EVN||20240401090000|||||20240401090000".into(),
            pid_segment(),
            // A clinic location with its name in PL.9; PV1-10 sends the same code bare.
            "PV1|0001|O|01^^^^^C^^^内科||||110^医師^一郎^^^^^^^L^^^^^I|||01".into(),
        ],
    );
    let e: Vec<&Encounter> = f
        .records
        .iter()
        .filter_map(|r| match &r.data {
            Clinical::Encounter(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(e.len(), 1);
    let d = e[0].department.as_ref().expect("department");
    assert_eq!((d.code.as_str(), d.text.as_str()), ("01", "内科"));
    assert!(f.demographics.is_some());
}

#[test]
fn a_jami_dosage_code_without_text_is_decoded() {
    let f = read(
        "OMP-01",
        "20240401",
        &[
            msh("RDE^O11^RDE_O11", "P09"),
            pid_segment(),
            "PV1|0001|O|01^^^^^C".into(),
            orc("1"),
            "RXE||103835401^アムロジン錠５ｍｇ^HOT9|1||TAB^錠^MR9P|TAB^錠^MR9P||||7|TAB^錠^MR9P||||202404010001||||1^TAB&錠&MR9P||OHP^外来処方^MR9P".into(),
            // The code alone, as some senders write it: the text comes from its structure.
            "TQ1|1||1013044400000000&&JAMISDP01|||7^d|20240401".into(),
            "RXR|PO^口^HL70162".into(),
        ],
    );
    let a = f.order("103835401");
    assert_eq!(
        code(&a.dosage),
        ("1013044400000000", "内服・経口・１日３回朝昼夕食後", "JAMISDP01")
    );
    assert_eq!(a.dosage_text(), "内服・経口・１日３回朝昼夕食後");
}
