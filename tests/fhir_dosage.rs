//! Dosage as written (FHIR): a contained Medication gives the drug, every dosageInstruction is
//! kept with its JAMI 用法 code and text (decoded when sent without text), method, site,
//! route, rate and bounds; the order's setting comes from its category or its Encounter.

use lifeboat::ingest::{IngestOptions, ingest};
use lifeboat::model::{Clinical, Code, DrugCodeSystem, MedicationOrder, PatientClass};
use lifeboat::source::Snapshot;

const PATIENT: &str = r#"{"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient",
  "identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"70001"}],
  "name":[{"family":"試験","given":["花子"]}]}}"#;

/// Hospital A's two-drug outpatient order: a contained Medication coded with YJ, two dosage
/// instructions (the first JAMI-coded without any text, the second from the MHLW 用法マスタ
/// with its display), a JAMI 補足用法, method, site, route and a bounding period.
const OUTPATIENT: &str = r##"{"fullUrl":"urn:uuid:m1","resource":{"resourceType":"MedicationRequest",
  "status":"active","intent":"order",
  "contained":[{"resourceType":"Medication","id":"med",
    "code":{"coding":[{"system":"urn:oid:1.2.392.100495.20.2.73","code":"2149039F1020"}],"text":"アムロジピン錠５ｍｇ"}}],
  "category":[{"coding":[{"system":"http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCategoryMERIT9_CS","code":"OHP","display":"外来処方"}]}],
  "medicationReference":{"reference":"#med"},
  "subject":{"reference":"urn:uuid:p"},
  "dosageInstruction":[
    {"timing":{"code":{"coding":[{"system":"urn:oid:1.2.392.200250.2.2.20.20","code":"1012040400000000"}]},
       "repeat":{"boundsPeriod":{"start":"2026-11-01","end":"2026-11-14"}}},
     "additionalInstruction":[{"coding":[{"system":"urn:oid:1.2.392.200250.2.2.20.22","code":"I2000000","display":"一包化"}]}],
     "method":{"coding":[{"system":"urn:oid:1.2.392.200250.2.2.20.40","code":"10","display":"経口"}]},
     "route":{"coding":[{"system":"http://jpfhir.jp/fhir/core/CodeSystem/route-codes","code":"PO","display":"口"}]},
     "doseAndRate":[{"doseQuantity":{"value":1,"unit":"錠"}}]},
    {"timing":{"code":{"coding":[{"system":"http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationUsage_ePrescription","code":"1011100000000000","display":"１日１回就寝前　服用"}]}},
     "site":{"text":"右眼"}}]}}"##;

/// An infusion with no category: its Encounter (in the same Bundle) is an admission.
const INPATIENT: &str = r#"{"fullUrl":"urn:uuid:m2","resource":{"resourceType":"MedicationRequest",
  "status":"active","intent":"order",
  "medicationCodeableConcept":{"coding":[{"system":"http://medis.or.jp/CodeSystem/master-HOT9","code":"107750602"}],"text":"ソルデム３Ａ輸液　５００ｍＬ"},
  "subject":{"reference":"urn:uuid:p"},"encounter":{"reference":"urn:uuid:e"},
  "dosageInstruction":[{"text":"点滴静注 50mL/時",
    "doseAndRate":[{"rateRatio":{"numerator":{"value":50,"unit":"mL"},"denominator":{"value":1,"unit":"h"}}}]}]}}"#;

const ENCOUNTER: &str = r#"{"fullUrl":"urn:uuid:e","resource":{"resourceType":"Encounter","status":"in-progress",
  "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
  "subject":{"reference":"urn:uuid:p"}}}"#;

/// An order whose Encounter is contained: an outpatient visit.
const CONTAINED_VISIT: &str = r##"{"fullUrl":"urn:uuid:m3","resource":{"resourceType":"MedicationRequest",
  "status":"active","intent":"order",
  "contained":[{"resourceType":"Encounter","id":"v","status":"finished",
    "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"}}],
  "medicationCodeableConcept":{"text":"カロナール錠３００"},
  "subject":{"reference":"urn:uuid:p"},"encounter":{"reference":"#v"},
  "dosageInstruction":[{"text":"発熱時 1回1錠","timing":{"code":{"coding":[
    {"system":"http://jami.jp/CodeSystem/MedicationUsage","code":"1050710000000000"}],"text":"発熱時"}}}]}}"##;

fn orders() -> Vec<MedicationOrder> {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[{PATIENT},{OUTPATIENT},{INPATIENT},{ENCOUNTER},{CONTAINED_VISIT}]}}"#
    );
    std::fs::write(tmp.path().join("orders.json"), bundle).unwrap();
    let mut snap = Snapshot::open(&[tmp.path().to_path_buf()]).expect("snapshot opens");
    let mut out = Vec::new();
    ingest(&mut snap, &IngestOptions::default(), |o| {
        for r in &o.records {
            if let Clinical::MedicationOrder(m) = &r.data {
                assert_eq!(r.patient_id, "70001");
                out.push(m.clone());
            }
        }
    });
    out
}

fn by_drug<'a>(orders: &'a [MedicationOrder], text: &str) -> &'a MedicationOrder {
    orders
        .iter()
        .find(|m| m.drug.text == text)
        .unwrap_or_else(|| panic!("no order for {text}: {orders:?}"))
}

#[test]
fn contained_medication_and_every_dosage_instruction() {
    let orders = orders();
    let m = by_drug(&orders, "アムロジピン錠５ｍｇ");
    assert_eq!(m.drug.code, "2149039F1020");
    assert_eq!(m.drug_system, DrugCodeSystem::Yj);
    // Sent without text: decoded from the JAMI code structure.
    assert_eq!(
        m.dosage,
        Some(Code::new(
            "1012040400000000",
            "内服・経口・１日２回朝夕食後",
            "urn:oid:1.2.392.200250.2.2.20.20"
        ))
    );
    assert_eq!(
        m.more_dosages,
        [Code::new(
            "1011100000000000",
            "１日１回就寝前　服用",
            "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationUsage_ePrescription"
        )]
    );
    assert_eq!(m.instructions, ["一包化"]);
    assert_eq!(
        m.dosage_text(),
        "内服・経口・１日２回朝夕食後 １日１回就寝前　服用 一包化"
    );
    assert_eq!(m.method.as_ref().map(|c| c.code.as_str()), Some("10"));
    assert_eq!(m.route.as_ref().map(|c| c.display()), Some("口"));
    assert_eq!(m.site.as_ref().map(|c| c.display()), Some("右眼"));
    assert_eq!(m.route_text(), "口 経口 右眼");
    assert_eq!(m.start.map(|t| t.to_iso()).as_deref(), Some("2026-11-01"));
    assert_eq!(m.end.map(|t| t.to_iso()).as_deref(), Some("2026-11-14"));
    assert_eq!(m.dose.as_ref().map(|q| q.display()).as_deref(), Some("1 錠"));
}

#[test]
fn setting_from_category_or_encounter() {
    let orders = orders();
    assert_eq!(
        by_drug(&orders, "アムロジピン錠５ｍｇ").setting,
        Some(PatientClass::Outpatient),
        "category OHP 外来処方"
    );
    let drip = by_drug(&orders, "ソルデム３Ａ輸液　５００ｍＬ");
    assert_eq!(
        drip.setting,
        Some(PatientClass::Inpatient),
        "Encounter IMP in the Bundle"
    );
    assert_eq!(
        drip.rate.as_ref().map(|q| q.display()).as_deref(),
        Some("50 mL/h")
    );
    let prn = by_drug(&orders, "カロナール錠３００");
    assert_eq!(
        prn.setting,
        Some(PatientClass::Outpatient),
        "contained Encounter AMB"
    );
    // The code's own text is inside the written one: kept with the code, shown once.
    assert_eq!(
        prn.dosage,
        Some(Code::new(
            "1050710000000000",
            "発熱時 1回1錠",
            "http://jami.jp/CodeSystem/MedicationUsage"
        ))
    );
    assert_eq!(prn.dosage_text(), "発熱時 1回1錠");
}
