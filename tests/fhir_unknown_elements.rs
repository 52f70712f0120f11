//! Elements R4 does not define where they stand. fhirbolt 0.4 looped forever on a repeated
//! one (`coding` inside a reaction, two `<foo>` in XML) and rejected a whole resource over a
//! repeated single value. Now the resource is read, what R4 lacks is left out, and a warning
//! names it; every test runs under a guard so that a hang fails instead of stalling.

use lifeboat::fhir::{self, Format, PatientIndex};
use lifeboat::ingest::FileOutcome;
use lifeboat::model::Clinical;
use lifeboat::report::Severity;
use std::collections::HashSet;
use std::time::Duration;

fn read(path: &'static str, body: &'static str, format: Format) -> FileOutcome {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let files = vec![(path.to_string(), fhir::scan::scan(body.as_bytes()))];
        let index = {
            use rayon::prelude::*;
            PatientIndex::build(HashSet::new(), files.into_par_iter())
        };
        let _ = tx.send(fhir::read_file(path, body.as_bytes(), format, &index));
    });
    rx.recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{path}: no answer in 30 s (hang or panic)"))
}

fn warnings(o: &FileOutcome) -> Vec<String> {
    o.problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| p.message.clone())
        .collect()
}

const PATIENT: &str = r#"{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"1001"}],"name":[{"text":"山田 太郎","coding":[{"code":"x"}]}]}"#;

#[test]
fn a_known_key_repeated_inside_a_type_that_lacks_it_is_left_out_and_named() {
    const BODY: &str = r#"{"resourceType":"Bundle","type":"collection","entry":[
      {"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"1001"}],"name":[{"text":"山田 太郎","coding":[{"code":"x"},{"code":"y"}]}]}},
      {"resource":{"resourceType":"AllergyIntolerance","patient":{"reference":"urn:uuid:p1"},
        "code":{"text":"ペニシリン"},
        "reaction":[{"manifestation":[{"text":"蕁麻疹"}],"coding":[{"code":"a"},{"code":"b"}]}]}}]}"#;
    let o = read("b.json", BODY, Format::Json);
    let allergy = o
        .records
        .iter()
        .find_map(|r| match &r.data {
            Clinical::Allergy(a) => Some(a),
            _ => None,
        })
        .expect("the allergy is read");
    assert!(format!("{allergy:?}").contains("ペニシリン"), "{allergy:?}");
    let w = warnings(&o);
    assert!(w.iter().any(|m| m.contains("Patient.name.coding")), "{w:?}");
    assert!(
        w.iter().any(|m| m.contains("AllergyIntolerance.reaction.coding")),
        "{w:?}"
    );
    assert!(
        o.records
            .iter()
            .any(|r| matches!(r.data, Clinical::Patient(_)) && r.patient_id == "1001")
    );
}

#[test]
fn a_repeated_single_value_keeps_the_first_and_says_so() {
    const BODY: &str = r#"{"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/p1"},"code":{"text":"ソバ"},"criticality":["high","low"]}"#;
    let o = read("a.json", BODY, Format::Json);
    let allergy = o
        .records
        .iter()
        .find_map(|r| match &r.data {
            Clinical::Allergy(a) => Some(format!("{a:?}")),
            _ => None,
        })
        .expect("the allergy is read, not rejected over a doubled field");
    assert!(allergy.contains("ソバ"), "{allergy}");
    let w = warnings(&o);
    assert!(
        w.iter()
            .any(|m| m.contains("AllergyIntolerance.criticality (2 values where R4 allows one")),
        "{w:?}"
    );
}

#[test]
fn xml_with_a_repeated_unknown_element_is_read() {
    const BODY: &str = r#"<Patient xmlns="http://hl7.org/fhir"><id value="p1"/><identifier><system value="urn:oid:1.2.392.100495.20.3.51.11234567890"/><value value="1001"/></identifier><foo value="1"/><foo value="2"/><name><text value="山田 太郎"/><coding value="1"/><coding value="2"/></name><gender value="male"/></Patient>"#;
    let o = read("p.xml", BODY, Format::Xml);
    assert!(
        o.records
            .iter()
            .any(|r| matches!(r.data, Clinical::Patient(_)) && r.patient_id == "1001"),
        "{:?}",
        o.problems
    );
    let w = warnings(&o);
    assert!(
        w.iter()
            .any(|m| m.contains("Patient.foo") && m.contains("Patient.name.coding")),
        "{w:?}"
    );
}

#[test]
fn an_unknown_scalar_is_still_read_past_and_named() {
    // Lax reading ignored an unknown number before; it must not become a rejection now.
    const BODY: &str = r#"{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"1001"}],"vendorFlag":1,"_birthDate":{"x":true},"birthDate":"1950-01-02"}"#;
    let o = read("p.json", BODY, Format::Json);
    assert!(
        o.records.iter().any(|r| r.patient_id == "1001"),
        "{:?}",
        o.problems
    );
    let w = warnings(&o);
    assert!(
        w.iter()
            .any(|m| m.contains("Patient.vendorFlag") && m.contains("Patient.birthDate.x")),
        "{w:?}"
    );
}

#[test]
fn a_clean_resource_gets_no_such_warning() {
    let clean = PATIENT.replace(r#","coding":[{"code":"x"}]"#, "");
    let clean: &'static str = Box::leak(clean.into_boxed_str());
    let o = read("p.json", clean, Format::Json);
    assert!(
        warnings(&o).iter().all(|m| !m.contains("does not define")),
        "{:?}",
        o.problems
    );
}
