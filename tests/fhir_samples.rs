//! The FHIR samples (../shared/samples/fhir): every file read, every Bundle entry and NDJSON line
//! counted per resource type, DSTU2 rejected by name, concrete values from Synthea and
//! JP-CLINS, and one patient across SS-MIX2 and FHIR.

use lifeboat::chart::PatientDump;
use lifeboat::ingest::{IngestOptions, ingest};
use lifeboat::model::{Clinical, Record, RecordStatus, Sex};
use lifeboat::report::{IngestReport, Severity};
use lifeboat::source::Snapshot;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/fhir")
}

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

/// Reads roots with an optional patient filter; returns the report and the records and problems.
fn load(
    roots: &[PathBuf],
    patient: Option<&str>,
) -> (IngestReport, Vec<Record>, Vec<lifeboat::report::Problem>) {
    let mut snap = Snapshot::open(roots).expect("snapshot opens");
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let options = IngestOptions {
        patient: patient.map(str::to_string),
        ..Default::default()
    };
    let report = ingest(&mut snap, &options, |o| {
        records.extend(o.records.iter().cloned());
        problems.extend(o.problems.iter().cloned());
    });
    (report, records, problems)
}

fn dump(roots: &[PathBuf], patient: &str) -> PatientDump {
    let (_, records, problems) = load(roots, Some(patient));
    PatientDump::build(records, None, problems)
}

// ---------------------------------------------------------------------------------------------
// Independent count of resources per type, straight from the files with serde_json.

fn count_json(v: &Value, counts: &mut BTreeMap<String, u64>) {
    let Some(rt) = v.get("resourceType").and_then(Value::as_str) else {
        return;
    };
    *counts.entry(rt.to_string()).or_default() += 1;
    if rt == "Bundle" {
        for e in v.get("entry").and_then(Value::as_array).into_iter().flatten() {
            match e.get("resource") {
                Some(r) => count_json(r, counts),
                None => *counts.entry("(entry without resource)".into()).or_default() += 1,
            }
        }
    }
}

/// XML: the root element and the element inside each `<resource>`; entries without one.
fn count_xml(text: &str, counts: &mut BTreeMap<String, u64>) {
    let element_after = |s: &str| -> String {
        let mut rest = s;
        loop {
            let i = rest.find('<').expect("an element");
            rest = &rest[i + 1..];
            if rest.starts_with('?') || rest.starts_with('!') {
                continue;
            }
            return rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        }
    };
    *counts.entry(element_after(text)).or_default() += 1;
    let with_resource = text.matches("<resource>").count();
    for (i, _) in text.match_indices("<resource>") {
        *counts.entry(element_after(&text[i + 10..])).or_default() += 1;
    }
    let entries = text.matches("<entry>").count();
    if entries > with_resource {
        *counts.entry("(entry without resource)".into()).or_default() += (entries - with_resource) as u64;
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("sample folder") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn expected_counts() -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for f in files_under(&samples()) {
        let bytes = std::fs::read(&f).expect("readable");
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".xml") {
            count_xml(&String::from_utf8_lossy(&bytes), &mut counts);
        } else if name.ends_with(".ndjson") {
            for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let v: Value = serde_json::from_slice(line).expect("NDJSON line");
                count_json(&v, &mut counts);
            }
        } else if name.ends_with(".json") {
            let v: Value = serde_json::from_slice(&bytes).expect("JSON file");
            count_json(&v, &mut counts);
        }
    }
    counts
}

#[test]
fn check_json_counts_every_entry_per_type() {
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(["check", samples().to_str().unwrap(), "--json"])
        .output()
        .expect("runs");
    // The DSTU2 bundle is rejected, so `check` ends with code 2 (README, exit codes).
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} missing"));
    let files = files_under(&samples()).len() as u64;
    assert_eq!(n("files_total"), files);
    assert_eq!(
        n("files_mapped") + n("files_with_warnings") + n("files_rejected") + n("files_unsupported"),
        files
    );
    // Only the DSTU2 bundle is rejected; LICENSE, package.json and log.ndjson are not FHIR.
    assert_eq!(n("files_rejected"), 1);
    assert_eq!(n("files_unsupported"), 3);

    let got: BTreeMap<String, u64> = v["fhir_resources"]
        .as_object()
        .expect("fhir_resources")
        .iter()
        .map(|(k, c)| {
            let t = c["mapped"].as_u64().unwrap()
                + c["unmapped"].as_u64().unwrap()
                + c["rejected"].as_u64().unwrap();
            (k.clone(), t)
        })
        .collect();
    assert_eq!(got, expected_counts());
    // The Bulk export and the Synthea bundles are read in full.
    assert_eq!(v["fhir_resources"]["Patient"]["rejected"], 1, "the DSTU2 patient");
    assert_eq!(v["fhir_resources"]["MedicationOrder"]["rejected"], 7);
    assert_eq!(v["fhir_resources"]["Observation"]["rejected"], 0);
    assert_eq!(v["fhir_resources"]["Observation"]["unmapped"], 0);
    assert!(v["records"]["vital"].as_u64().unwrap() > 0);
    assert!(v["records"]["document"].as_u64().unwrap() >= 6);
}

#[test]
fn dstu2_is_rejected_naming_the_version() {
    let (report, records, _) = load(&[samples().join("dstu2-negative")], None);
    assert_eq!(report.files_rejected, 1);
    assert!(records.is_empty());
    let p = report
        .problems
        .iter()
        .find(|p| p.severity == Severity::Error)
        .expect("a rejection");
    assert!(p.path.ends_with("patient-4444001.fhir-bundle.xml"), "{p}");
    assert!(p.message.contains("DSTU2") && p.message.contains("R4"), "{p}");
}

#[test]
fn non_fhir_files_are_skipped_with_a_note() {
    let (report, _, _) = load(&[samples().join("bulk-ndjson-10-patients")], None);
    let log = report
        .problems
        .iter()
        .find(|p| p.path.ends_with("log.ndjson"))
        .expect("log noted");
    assert_eq!(log.severity, Severity::Info);
    assert!(log.message.contains("not FHIR"));
    assert_eq!(report.files_unsupported, 1);
    // One patient per line of Patient.000.ndjson.
    assert_eq!(report.patients, 13);
    // Cross-file references: every Bulk resource found its patient.
    assert!(
        !report
            .problems
            .iter()
            .any(|p| p.message.contains("matches no Patient")),
        "{:?}",
        report.problems
    );
}

#[test]
fn synthea_patient_name_birth_medication_and_lab() {
    let d = dump(
        &[samples().join("synthea-bundles")],
        "cb5696d9-a0de-4f49-94f9-433f96a28eb0",
    );
    let p = d.patient.as_ref().expect("demographics");
    let name = p.name_kanji.as_ref().expect("name");
    assert_eq!(
        (name.family.as_str(), name.given.as_str()),
        ("Fonseca", "Agustín")
    );
    assert_eq!(p.birth_date.unwrap().to_iso(), "1994-02-01");
    assert_eq!(p.sex, Sex::Male);
    assert!(d.medications.iter().any(|r| matches!(&r.data,
        Clinical::MedicationOrder(m) if m.drug.text == "Ibuprofen 200 MG Oral Tablet" && m.drug.code == "310965")));
    let hb = d
        .labs
        .iter()
        .find_map(|r| match &r.data {
            Clinical::LabResult(l) if l.test.text == "Hemoglobin [Mass/volume] in Blood" => Some(l),
            _ => None,
        })
        .expect("hemoglobin");
    // The decimal exactly as sent (serde_json arbitrary_precision keeps every digit).
    assert!(hb.value.starts_with("14.5432922984"), "{}", hb.value);
    assert_eq!(hb.unit, "g/dL");
    assert!(hb.number.is_some_and(|n| (n - 14.543).abs() < 0.01));
    assert!(!d.vitals.is_empty() && !d.encounters.is_empty() && !d.immunizations.is_empty());
    // Provenance points at the file and the entry.
    let r = &d.medications[0];
    assert!(r.provenance.file.contains("Agustín_Fonseca"));
    assert!(r.provenance.entry.starts_with("entry["), "{}", r.provenance.entry);
}

#[test]
fn jp_clins_patient_names_dosage_and_lab() {
    let d = dump(&[samples().join("jp-clins-resources")], "000999739");
    // The three JP Core example Patients share the insurance member ID (保険者番号:記号:番号:
    // 枝番, one person): one chart; the one without a name is filled from the others.
    let patients: Vec<&Record> = d
        .other
        .iter()
        .filter(|r| r.provenance.data_type == "Patient")
        .collect();
    assert_eq!(patients.len(), 3, "{patients:?}");
    let (p, _) = lifeboat::chart::merge_demographics(&d.other).expect("demographics");
    let p = &p;
    let kanji = p.name_kanji.as_ref().unwrap();
    let kana = p.name_kana.as_ref().unwrap();
    assert_eq!(kanji.full(), "牧野 爛漫");
    assert_eq!(kana.full(), "マキノ ランマン");
    assert_eq!(p.sex, Sex::Female);
    let dosage = d
        .medications
        .iter()
        .find_map(|r| match &r.data {
            Clinical::MedicationOrder(m)
                if r.provenance
                    .file
                    .ends_with("MedicationRequest-Example-JP-MedReq-PO-SID-28days.json") =>
            {
                Some(m)
            }
            _ => None,
        })
        .expect("the 28-day prescription");
    // The JAMI code is kept; the written text says what its text says, so it is shown once,
    // as written.
    let usage = dosage.dosage.as_ref().expect("the 用法 code");
    assert_eq!(
        (usage.code.as_str(), usage.system.as_str()),
        ("1011100000000000", "http://jami.jp/CodeSystem/MedicationUsage")
    );
    assert_eq!(
        dosage.dosage_text(),
        "1日1回 就寝前 １回 1錠  (１日  1錠) 28　日分,自己調節可 退院時処方　内服1日1回１回1錠 標準用法フルコード化28日分処方例"
    );
    // Category DCG 退院処方 (with IHP 入院処方): an inpatient order.
    assert_eq!(dosage.setting, Some(lifeboat::model::PatientClass::Inpatient));
    assert_eq!(dosage.days, Some(28));
    assert_eq!(dosage.drug.text, "クアゼパム錠２０ｍｇ");
    assert!(d.labs.iter().any(|r| matches!(&r.data,
        Clinical::LabResult(l) if l.test.code == "3H015000002326101" && l.value == "3.5" && l.unit == "mEq/L")));
    // AllergyIntolerance of category medication is a drug allergy.
    assert!(d.allergies.iter().any(|r| matches!(&r.data,
        Clinical::Allergy(a) if a.category == lifeboat::model::AllergyCategory::Drug)));
}

#[test]
fn no_known_allergy_is_a_statement() {
    let (_, records, _) = load(&[samples().join("hl7-r4-examples")], None);
    let nka: Vec<&Record> = records
        .iter()
        .filter(|r| r.provenance.file.ends_with("AllergyIntolerance-nka.json"))
        .collect();
    assert_eq!(nka.len(), 1);
    assert!(matches!(&nka[0].data, Clinical::Allergy(a) if a.none_known));
    assert!(nka[0].summary().contains("記録上なし"));
}

#[test]
fn documents_read_as_sections_of_text() {
    let (_, records, _) = load(&[samples().join("hl7-r4-examples")], None);
    let doc = records
        .iter()
        .find_map(|r| match &r.data {
            Clinical::Document(d) if r.provenance.data_type == "Composition" && !d.sections.is_empty() => {
                Some(d)
            }
            _ => None,
        })
        .expect("a Composition with sections");
    let text = doc.as_text();
    assert!(text.contains('【'), "{text}");
    assert!(doc.sections.iter().any(|s| !s.text.is_empty()), "{text}");
}

#[test]
fn xml_bundles_with_nested_bundles_are_read() {
    let (report, records, _) = load(&[samples().join("hl7-xml")], None);
    assert_eq!(report.files_rejected, 0);
    assert!(
        report.fhir_resources["Bundle"].mapped >= 4,
        "{:?}",
        report.fhir_resources
    );
    assert!(
        records
            .iter()
            .any(|r| r.kind() == lifeboat::model::RecordKind::Patient)
    );
    // Entries without a resource (a DELETE, bare responses) are still counted.
    assert!(report.fhir_resources["(entry without resource)"].unmapped >= 1);
}

// ---------------------------------------------------------------------------------------------
// Written by the tests.

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

#[test]
fn one_patient_in_two_formats() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "export.json",
        r#"{"resourceType":"Bundle","type":"collection",
          "identifier":{"system":"http://jpfhir.jp/fhir/clins/bundle-identifier","value":"b-1"},"entry":[
          {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","id":"p1",
            "identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"9999013"}],
            "name":[{"family":"患者","given":["太郎"]}]}},
          {"fullUrl":"urn:uuid:2","resource":{"resourceType":"AllergyIntolerance","category":["medication"],
            "code":{"text":"セフェム系抗菌薬"},"patient":{"reference":"urn:uuid:1"}}}]}"#,
    );
    // Another file references the same patient by Type/id (the JP-CLINS Bundle's single
    // identifier must not stop the first pass from indexing it).
    write(
        tmp.path(),
        "cond.json",
        r#"{"resourceType":"Condition","code":{"text":"高血圧症"},"subject":{"reference":"Patient/p1"}}"#,
    );
    let d = dump(&[nho(), tmp.path().to_path_buf()], "9999013");
    let files: Vec<&str> = d.allergies.iter().map(|r| r.provenance.file.as_str()).collect();
    assert!(files.iter().any(|f| f.ends_with("export.json")), "{files:?}");
    assert!(files.iter().any(|f| f.contains("ADT-")), "{files:?}");
    assert!(
        d.allergies
            .iter()
            .any(|r| r.summary().contains("セフェム系抗菌薬"))
    );
    assert!(d.diagnoses.iter().any(|r| r.summary().contains("高血圧症")));
    // The SS-MIX2 demographics are still there, and the FHIR Patient joined them.
    assert_eq!(d.patient.as_ref().unwrap().id, "9999013");
    assert!(d.other.iter().any(|r| r.provenance.data_type == "Patient"));
}

#[test]
fn broken_entries_and_lines_cost_only_themselves() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "bundle.json",
        r#"{"resourceType":"Bundle","type":"collection","entry":[
          {"resource":{"resourceType":"Patient","id":"a","name":[{"family":"Test"}]}},
          {"resource":{"resourceType":"NoSuchType","id":"x"}},
          {"resource":{"resourceType":"Observation","status":"final","code":{"text":"Na"},
            "subject":{"reference":"Patient/a"},"valueQuantity":{"value":140,"unit":"mmol/L"}}}]}"#,
    );
    write(
        tmp.path(),
        "Observation.000.ndjson",
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"K\"},\"subject\":{\"reference\":\"Patient/a\"},\"valueQuantity\":{\"value\":4.1}}\n{\"resourceType\":\"Observation\",\"status\":\n{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"Cl\"},\"subject\":{\"reference\":\"Patient/nobody\"}}\n",
    );
    let (report, records, _) = load(&[tmp.path().to_path_buf()], None);
    let at = |file: &str, place: &str| {
        report
            .problems
            .iter()
            .find(|p| p.path == file && p.place == place)
            .unwrap_or_else(|| panic!("no problem at {file} {place}: {:?}", report.problems))
            .clone()
    };
    let bad_entry = at("bundle.json", "entry[1]");
    assert_eq!(bad_entry.severity, Severity::Error);
    let bad_line = at("Observation.000.ndjson", "line 2");
    assert_eq!(bad_line.severity, Severity::Error);
    assert_eq!(report.fhir_resources["NoSuchType"].rejected, 1);
    assert_eq!(report.fhir_resources["Observation"].mapped, 3);
    assert_eq!(report.fhir_resources["Observation"].rejected, 1);
    assert_eq!(report.files_with_warnings, 2);
    let labs: Vec<&Record> = records
        .iter()
        .filter(|r| matches!(r.data, Clinical::LabResult(_)))
        .collect();
    assert_eq!(labs.iter().filter(|r| r.patient_id == "a").count(), 2);
    // The unresolvable one is kept, under (unresolved), and reported.
    assert!(
        labs.iter()
            .any(|r| r.patient_id == "(unresolved)" && r.status == RecordStatus::Current)
    );
    let w = at("Observation.000.ndjson", "line 3");
    assert!(w.message.contains("Patient/nobody"), "{w}");
    assert!(report.is_consistent());
    assert_eq!(report.files_total, 2);
}

/// Bulk Data per-patient blocks (`Parameters` header lines), zipped, without file extensions
/// that say what they are: content decides.
#[test]
fn zipped_bulk_blocks_and_other_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("export.bin");
    let file = std::fs::File::create(&zip_path).unwrap();
    let mut zw = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let blocks = [
        r#"{"resourceType":"Patient","id":"b1","identifier":[{"value":"B-0001"}],"name":[{"text":"鈴木 一郎"}]}"#,
        r#"{"resourceType":"Parameters","parameter":[{"name":"patient","valueReference":{"reference":"Patient/b1"}}]}"#,
        r#"{"resourceType":"Condition","code":{"text":"糖尿病"}}"#,
        r#"{"resourceType":"Observation","status":"final","code":{"text":"HbA1c"},"valueQuantity":{"value":7.2,"unit":"%"}}"#,
    ];
    zw.start_file("data/part1", opts).unwrap();
    std::io::Write::write_all(&mut zw, blocks.join("\n").as_bytes()).unwrap();
    zw.start_file("data/r5.json", opts).unwrap();
    std::io::Write::write_all(
        &mut zw,
        br#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"NutritionIntake","status":"completed"}}]}"#,
    )
    .unwrap();
    zw.finish().unwrap();
    let (report, records, _) = load(&[zip_path], None);
    assert_eq!(report.files_total, 2);
    assert_eq!(report.fhir_resources["Parameters"].mapped, 1);
    let of_b = records.iter().filter(|r| r.patient_id == "B-0001").count();
    assert_eq!(of_b, 3, "patient, and the two block lines without a subject");
    let r5 = report
        .problems
        .iter()
        .find(|p| p.path.ends_with("r5.json"))
        .expect("R5 rejected");
    assert!(r5.message.contains("R5"), "{r5}");
    assert_eq!(report.fhir_resources["NutritionIntake"].rejected, 1);
    assert_eq!(report.files_rejected, 1);
}

/// fhirbolt panics on a nested Bundle with `entry: []` and overflows the stack on deeply nested
/// XML: both become problem lines, and the files around them are read.
#[test]
fn parser_failures_are_problems_not_crashes() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "empty-inner.json",
        r#"{"resourceType":"Bundle","type":"batch-response","entry":[
          {"resource":{"resourceType":"Bundle","type":"searchset","entry":[]}},
          {"resource":{"resourceType":"Patient","id":"e1","name":[{"family":"Empty"}]}}]}"#,
    );
    let n = 5000;
    write(
        tmp.path(),
        "deep.xml",
        &format!(
            "<Patient xmlns=\"http://hl7.org/fhir\">{}{}</Patient>",
            "<extension url=\"a\">".repeat(n),
            "</extension>".repeat(n)
        ),
    );
    write(tmp.path(), "ok.json", r#"{"resourceType":"Patient","id":"ok"}"#);
    let (report, records, _) = load(&[tmp.path().to_path_buf()], None);
    assert_eq!(report.files_total, 3);
    assert!(records.iter().any(|r| r.patient_id == "e1"));
    assert!(records.iter().any(|r| r.patient_id == "ok"));
    let deep = report
        .problems
        .iter()
        .find(|p| p.path == "deep.xml")
        .expect("deep.xml reported");
    assert!(deep.message.contains("nest deeper"), "{deep}");
    assert_eq!(report.files_rejected, 1);
}

#[test]
fn the_public_samples_lose_no_element_to_the_r4_schema_check() {
    // The reader removes elements R4 does not define where they stand (fhirbolt loops on some);
    // valid exports must lose nothing to that check. Every removal found is listed.
    let (_, _, problems) = load(&[samples()], None);
    let removed: Vec<String> = problems
        .iter()
        .filter(|p| p.message.contains("does not define here"))
        .map(|p| format!("{} {}: {}", p.path, p.place, p.message))
        .collect();
    assert!(removed.is_empty(), "{removed:#?}");
}
