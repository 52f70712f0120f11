//! One person, one chart (FHIR): independent Bundles reuse urn:uuids for different people and
//! drugs. References resolve within their own Bundle; Patients of different files are one
//! person only when a business identifier (system and value) matches.

use lifeboat::ingest::{IngestOptions, ingest};
use lifeboat::model::{Clinical, Record};
use lifeboat::report::{IngestReport, Problem};
use lifeboat::source::Snapshot;
use std::path::Path;

const HOSP_A: &str = "urn:oid:1.2.392.100495.20.3.51.11234567890";
const HOSP_B: &str = "urn:oid:1.2.392.100495.20.3.51.19876543210";

fn load(root: &Path) -> (IngestReport, Vec<Record>, Vec<Problem>) {
    let mut snap = Snapshot::open(&[root.to_path_buf()]).expect("snapshot opens");
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let report = ingest(&mut snap, &IngestOptions::default(), |o| {
        records.extend(o.records.iter().cloned());
        problems.extend(o.problems.iter().cloned());
    });
    (report, records, problems)
}

/// A JSON Bundle from one hospital: patient `urn:uuid:1` with its record, and a prescription
/// whose drug is the Bundle's `urn:uuid:4` Medication.
fn bundle_json(
    system: &str,
    value: &str,
    family: &str,
    given: &str,
    problem: &str,
    allergy: &str,
    drug: &str,
) -> String {
    format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[
      {{"fullUrl":"urn:uuid:1","resource":{{"resourceType":"Patient","id":"pt",
        "identifier":[{{"system":"{system}","value":"{value}"}}],
        "name":[{{"family":"{family}","given":["{given}"]}}]}}}},
      {{"fullUrl":"urn:uuid:2","resource":{{"resourceType":"Condition","code":{{"text":"{problem}"}},
        "subject":{{"reference":"urn:uuid:1"}}}}}},
      {{"fullUrl":"urn:uuid:3","resource":{{"resourceType":"MedicationRequest","status":"active","intent":"order",
        "medicationReference":{{"reference":"urn:uuid:4"}},"subject":{{"reference":"urn:uuid:1"}}}}}},
      {{"fullUrl":"urn:uuid:4","resource":{{"resourceType":"Medication",
        "code":{{"coding":[{{"system":"urn:oid:1.2.392.200119.4.403.1","code":"100000001"}}],"text":"{drug}"}}}}}},
      {{"fullUrl":"urn:uuid:5","resource":{{"resourceType":"AllergyIntolerance","code":{{"text":"{allergy}"}},
        "patient":{{"reference":"urn:uuid:1"}}}}}}]}}"#
    )
}

/// An XML Bundle reusing `urn:uuid:1` for hospital A's patient (same identifier), with one
/// Condition of that patient and one naming a urn that is not in this Bundle.
fn bundle_xml() -> String {
    format!(
        r#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
  <entry><fullUrl value="urn:uuid:1"/><resource><Patient>
    <identifier><system value="{HOSP_A}"/><value value="00001"/></identifier>
    <name><family value="山田"/><given value="太郎"/></name></Patient></resource></entry>
  <entry><fullUrl value="urn:uuid:2"/><resource><Condition>
    <code><text value="糖尿病"/></code><subject><reference value="urn:uuid:1"/></subject></Condition></resource></entry>
  <entry><fullUrl value="urn:uuid:3"/><resource><Condition>
    <code><text value="出所不明の病名"/></code><subject><reference value="urn:uuid:5"/></subject></Condition></resource></entry>
</Bundle>"#
    )
}

/// The expected lines in the order `texts` gives them.
fn sorted<const N: usize>(lines: [&str; N]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn of<'a>(records: &'a [Record], patient: &str) -> Vec<&'a Record> {
    records.iter().filter(|r| r.patient_id == patient).collect()
}

fn texts(records: &[&Record]) -> Vec<String> {
    let mut out: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.data {
            Clinical::Diagnosis(d) => Some(format!("病名:{}", d.name)),
            Clinical::Allergy(a) => Some(format!("アレルギー:{}", a.allergen.display())),
            Clinical::MedicationOrder(m) => Some(format!("処方:{}", m.drug.display())),
            Clinical::Patient(p) => Some(format!(
                "患者:{}",
                p.name_kanji.as_ref().map(|n| n.full()).unwrap_or_default()
            )),
            _ => None,
        })
        .collect();
    out.sort();
    out
}

#[test]
fn bundles_reusing_urn_uuids_keep_people_and_drugs_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(tmp.path().join(name), text).unwrap();
    write(
        "a-export.json",
        &bundle_json(
            HOSP_A,
            "00001",
            "山田",
            "太郎",
            "高血圧症",
            "ペニシリン",
            "アムロジピン錠５ｍｇ",
        ),
    );
    // The referral letter from hospital B: the same urn:uuids and even the same patient number,
    // but another institution's system: another person.
    write(
        "b-referral.json",
        &bundle_json(
            HOSP_B,
            "00001",
            "佐藤",
            "花子",
            "気管支喘息",
            "卵",
            "モンテルカスト錠１０ｍｇ",
        ),
    );
    write("c-more.xml", &bundle_xml());
    let (report, records, problems) = load(tmp.path());
    assert_eq!(
        report.patients,
        2,
        "{:?}",
        texts(&records.iter().collect::<Vec<_>>())
    );
    assert_eq!(
        texts(&of(&records, "00001")),
        sorted([
            "アレルギー:ペニシリン",
            "患者:山田 太郎",
            "患者:山田 太郎",
            "処方:アムロジピン錠５ｍｇ",
            "病名:糖尿病",
            "病名:高血圧症",
        ])
    );
    let b_id = format!("{HOSP_B}|00001");
    assert_eq!(
        texts(&of(&records, &b_id)),
        sorted([
            "アレルギー:卵",
            "患者:佐藤 花子",
            "処方:モンテルカスト錠１０ｍｇ",
            "病名:気管支喘息",
        ])
    );
    // urn:uuid:5 is an AllergyIntolerance in other Bundles, nothing in this one: unresolved,
    // reported with the file and the entry, never looked up elsewhere.
    let lost = of(&records, "(unresolved)");
    assert_eq!(texts(&lost), sorted(["病名:出所不明の病名"]));
    let p = problems
        .iter()
        .find(|p| p.message.contains("urn:uuid:5"))
        .expect("a problem line for the unresolved urn");
    assert_eq!((p.path.as_str(), p.place.as_str()), ("c-more.xml", "entry[2]"));
    assert!(p.message.contains("its Bundle"), "{p}");
}

#[test]
fn same_urn_uuid_different_identifiers_without_a_shared_value() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(tmp.path().join(name), text).unwrap();
    write(
        "one.json",
        &bundle_json(
            HOSP_A,
            "10",
            "高橋",
            "一郎",
            "心房細動",
            "造影剤",
            "ワルファリンＫ錠１ｍｇ",
        ),
    );
    write(
        "two.json",
        &bundle_json(
            HOSP_A,
            "20",
            "伊藤",
            "次郎",
            "胃潰瘍",
            "ピリン",
            "ランソプラゾールＯＤ錠１５ｍｇ",
        ),
    );
    let (report, records, _) = load(tmp.path());
    assert_eq!(report.patients, 2);
    assert_eq!(
        texts(&of(&records, "10")),
        sorted([
            "アレルギー:造影剤",
            "患者:高橋 一郎",
            "処方:ワルファリンＫ錠１ｍｇ",
            "病名:心房細動"
        ])
    );
    assert_eq!(
        texts(&of(&records, "20")),
        sorted([
            "アレルギー:ピリン",
            "患者:伊藤 次郎",
            "処方:ランソプラゾールＯＤ錠１５ｍｇ",
            "病名:胃潰瘍"
        ])
    );
}

/// Bulk Data NDJSON: one export is one server, so `Patient/id` joins lines and files.
#[test]
fn ndjson_relative_references_still_resolve_across_files() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(tmp.path().join(name), text).unwrap();
    write(
        "Patient.000.ndjson",
        &format!(
            "{{\"resourceType\":\"Patient\",\"id\":\"n1\",\"identifier\":[{{\"system\":\"{HOSP_A}\",\"value\":\"00002\"}}],\"name\":[{{\"family\":\"鈴木\",\"given\":[\"三郎\"]}}]}}\n"
        ),
    );
    write(
        "Condition.000.ndjson",
        "{\"resourceType\":\"Condition\",\"code\":{\"text\":\"脂質異常症\"},\"subject\":{\"reference\":\"Patient/n1\"}}\n",
    );
    let (report, records, _) = load(tmp.path());
    assert_eq!(report.patients, 1);
    assert_eq!(
        texts(&of(&records, "00002")),
        sorted(["患者:鈴木 三郎", "病名:脂質異常症"])
    );
}

/// Nested Bundles: a reference resolves in the innermost Bundle that holds it; a urn that is
/// only in the outer Bundle is not looked up there.
#[test]
fn nested_bundles_resolve_in_the_innermost() {
    let tmp = tempfile::tempdir().unwrap();
    let inner = format!(
        r#"{{"resourceType":"Bundle","type":"message","entry":[
      {{"fullUrl":"urn:uuid:1","resource":{{"resourceType":"Patient",
        "identifier":[{{"system":"{HOSP_B}","value":"B-77"}}],"name":[{{"family":"内側","given":["次郎"]}}]}}}},
      {{"fullUrl":"urn:uuid:2","resource":{{"resourceType":"Condition","code":{{"text":"肺炎"}},
        "subject":{{"reference":"urn:uuid:1"}}}}}},
      {{"fullUrl":"urn:uuid:3","resource":{{"resourceType":"Condition","code":{{"text":"外側だけの参照"}},
        "subject":{{"reference":"urn:uuid:9"}}}}}}]}}"#
    );
    let outer = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[
      {{"fullUrl":"urn:uuid:1","resource":{{"resourceType":"Patient",
        "identifier":[{{"system":"{HOSP_A}","value":"A-55"}}],"name":[{{"family":"外側","given":["一郎"]}}]}}}},
      {{"fullUrl":"urn:uuid:9","resource":{{"resourceType":"Patient",
        "identifier":[{{"system":"{HOSP_A}","value":"A-99"}}],"name":[{{"family":"別人","given":["三郎"]}}]}}}},
      {{"fullUrl":"urn:uuid:5","resource":{{"resourceType":"Condition","code":{{"text":"痛風"}},
        "subject":{{"reference":"urn:uuid:1"}}}}}},
      {{"resource":{inner}}}]}}"#
    );
    std::fs::write(tmp.path().join("nested.json"), outer).unwrap();
    let (report, records, problems) = load(tmp.path());
    assert_eq!(report.patients, 3);
    assert_eq!(
        texts(&of(&records, "A-55")),
        sorted(["患者:外側 一郎", "病名:痛風"])
    );
    assert_eq!(
        texts(&of(&records, "B-77")),
        sorted(["患者:内側 次郎", "病名:肺炎"])
    );
    assert_eq!(texts(&of(&records, "A-99")), sorted(["患者:別人 三郎"]));
    assert_eq!(
        texts(&of(&records, "(unresolved)")),
        sorted(["病名:外側だけの参照"])
    );
    assert!(
        problems
            .iter()
            .any(|p| p.place == "entry[3]/entry[2]" && p.message.contains("urn:uuid:9")),
        "{problems:?}"
    );
}
