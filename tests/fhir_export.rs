//! The FHIR export against the SS-MIX2 it came from: a synthetic hospital is generated, written
//! as FHIR in both layouts, and each copy is read back by its own reader. Both readers must
//! see the same patients, allergies, problems, prescriptions, lab results and admissions.

use lifeboat::export::fhir::{ExportOptions, Layout, SYNTHETIC_INSTITUTION, export_snapshot};
use lifeboat::fhir::{NO_PATIENT, UNRESOLVED};
use lifeboat::ingest::{IngestOptions, ingest};
use lifeboat::model::{
    AllergyCategory, Clinical, DrugCodeSystem, EncounterEvent, Patient, PatientClass, PersonName,
    ProcedureCategory, ProcedureStage, Record, RecordStatus, Sex, Timestamp,
};
use lifeboat::report::IngestReport;
use lifeboat::source::Snapshot;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn end() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(lifeboat::synth::DEFAULT_END, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("DEFAULT_END: {e}"))
}

struct Hospital {
    _dir: tempfile::TempDir,
    ss: PathBuf,
    ndjson: PathBuf,
    bundles: PathBuf,
    /// Patients the generator left admitted at the export time.
    inpatients: Vec<String>,
}

/// Generates a hospital and writes it as FHIR in both layouts.
fn hospital(patients: u32, days: u32, seed: u64) -> Hospital {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let ss = dir.path().join("ss");
    let opts = lifeboat::synth::GenOptions {
        out: ss.clone(),
        patients,
        days,
        seed,
        end: end(),
    };
    let summary = match lifeboat::synth::generate(&opts) {
        Ok(s) => s,
        Err(e) => panic!("generate: {e:#}"),
    };
    let export = |name: &str, layout: Layout| {
        let out = dir.path().join(name);
        let opts = ExportOptions {
            out: out.clone(),
            layout,
            institution: SYNTHETIC_INSTITUTION.to_string(),
            as_of: end().and_hms_opt(23, 0, 0),
            drill: false,
        };
        let mut snap = Snapshot::open(std::slice::from_ref(&ss)).unwrap_or_else(|e| panic!("open: {e}"));
        if let Err(e) = export_snapshot(&mut snap, &opts) {
            panic!("export {layout}: {e:#}");
        }
        out
    };
    let ndjson = export("ndjson", Layout::Ndjson);
    let bundles = export("bundles", Layout::Bundles);
    Hospital {
        _dir: dir,
        ss,
        ndjson,
        bundles,
        inpatients: summary.inpatient_ids,
    }
}

/// What a reader made of a snapshot: records per patient, PID demographics, the report.
struct Read {
    records: BTreeMap<String, Vec<Record>>,
    demographics: BTreeMap<String, (Option<Timestamp>, Patient)>,
    report: IngestReport,
}

fn read(roots: &[&Path]) -> Read {
    let roots: Vec<PathBuf> = roots.iter().map(|p| p.to_path_buf()).collect();
    let mut snap = Snapshot::open(&roots).unwrap_or_else(|e| panic!("open: {e}"));
    let mut records: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    let mut demographics: BTreeMap<String, (Option<Timestamp>, Patient)> = BTreeMap::new();
    let report = ingest(&mut snap, &IngestOptions::default(), |o| {
        for r in &o.records {
            records.entry(r.patient_id.clone()).or_default().push(r.clone());
        }
        if let (Some(p), Some(d)) = (&o.patient_id, &o.demographics) {
            let slot = demographics.entry(p.clone()).or_insert((o.written_at, d.clone()));
            if o.written_at > slot.0 {
                *slot = (o.written_at, d.clone());
            }
        }
    });
    Read {
        records,
        demographics,
        report,
    }
}

/// What both readers must agree on for one patient.
#[derive(Debug, PartialEq)]
struct Facts {
    kanji: Option<PersonName>,
    kana: Option<PersonName>,
    birth: Option<String>,
    sex: Sex,
    /// (allergen code, allergen text, category); FHIR has no pollen category, so pollen is
    /// compared as environment.
    allergens: BTreeSet<(String, String, AllergyCategory)>,
    /// (name, ICD-10) of active problems.
    diagnoses: BTreeSet<(String, String)>,
    /// (HOT code, dose, dosage text, days) of current orders, sorted.
    orders: Vec<(String, String, String, Option<u32>)>,
    /// (JLAC10, value, unit, collected) of current results, sorted.
    labs: Vec<(String, String, String, Option<chrono::NaiveDateTime>)>,
    admissions: usize,
    /// (category, examination, findings, performed) of performed examinations, sorted.
    reports: Vec<(ProcedureCategory, String, String, Option<chrono::NaiveDateTime>)>,
}

fn facts(read: &Read, patient: &str) -> Facts {
    let records: &[Record] = read.records.get(patient).map(Vec::as_slice).unwrap_or_default();
    let current = || records.iter().filter(|r| r.status == RecordStatus::Current);
    let master = current()
        .filter_map(|r| match &r.data {
            Clinical::Patient(p) => Some((r.provenance.written_at, p.clone())),
            _ => None,
        })
        .max_by_key(|(t, _)| *t)
        .or_else(|| read.demographics.get(patient).cloned())
        .map(|(_, p)| p)
        .unwrap_or_default();
    let mut f = Facts {
        kanji: master.name_kanji.clone(),
        kana: master.name_kana.clone(),
        birth: master.birth_date.map(|b| b.to_iso()),
        sex: master.sex,
        allergens: BTreeSet::new(),
        diagnoses: BTreeSet::new(),
        orders: Vec::new(),
        labs: Vec::new(),
        admissions: 0,
        reports: Vec::new(),
    };
    for r in current() {
        match &r.data {
            Clinical::Allergy(a) if !a.removed && !a.none_known => {
                let category = match a.category {
                    AllergyCategory::Pollen => AllergyCategory::Environment,
                    c => c,
                };
                f.allergens
                    .insert((a.allergen.code.clone(), a.allergen.text.clone(), category));
            }
            Clinical::Diagnosis(d) if d.is_active() => {
                let icd = d.icd10.as_ref().map(|c| c.code.clone()).unwrap_or_default();
                f.diagnoses.insert((d.name.clone(), icd));
            }
            Clinical::MedicationOrder(m) => {
                assert_eq!(m.drug_system, DrugCodeSystem::Hot, "{patient}: {}", m.summary());
                f.orders.push((
                    m.drug.code.clone(),
                    m.dose.as_ref().map(|d| d.display()).unwrap_or_default(),
                    m.dosage_text(),
                    m.days,
                ));
            }
            Clinical::LabResult(l) => f.labs.push((
                l.test.code.clone(),
                l.value.clone(),
                l.unit.clone(),
                l.collected.map(|t| t.value()),
            )),
            Clinical::Procedure(p) if p.stage != ProcedureStage::Order => f.reports.push((
                p.category,
                p.title(),
                p.findings.clone(),
                p.performed.map(|t| t.value()),
            )),
            Clinical::Encounter(e) if !e.cancellation => {
                let admission = match e.event {
                    EncounterEvent::Admission => true,
                    EncounterEvent::Stay => e.class == Some(PatientClass::Inpatient),
                    _ => false,
                };
                f.admissions += usize::from(admission);
            }
            _ => {}
        }
    }
    f.orders.sort();
    f.labs.sort();
    f.reports.sort_by(|a, b| (a.3, &a.1).cmp(&(b.3, &b.1)));
    f
}

/// Patients the SS-MIX2 reader found records for.
fn patients_with_records(read: &Read) -> Vec<String> {
    read.records
        .keys()
        .filter(|p| !p.starts_with('('))
        .cloned()
        .collect()
}

fn assert_clean_fhir(read: &Read, what: &str) {
    let r = &read.report;
    assert_eq!(r.files_rejected, 0, "{what}: rejected files: {:?}", r.problems);
    assert_eq!(r.files_with_warnings, 0, "{what}: {:?}", r.problems);
    assert!(r.files_total > 0, "{what}: no files");
    for pseudo in [UNRESOLVED, NO_PATIENT] {
        assert!(
            !read.records.contains_key(pseudo),
            "{what}: records under {pseudo}: {:?}",
            read.records.get(pseudo).map(|v| v.len())
        );
    }
    for counts in r.fhir_resources.values() {
        assert_eq!(counts.rejected, 0, "{what}: {:?}", r.fhir_resources);
    }
}

/// Both readers agree patient by patient, in both layouts.
fn both_readers_agree(seed: u64) {
    let h = hospital(12, 200, seed);
    let ss = read(&[&h.ss]);
    let patients = patients_with_records(&ss);
    assert!(patients.len() >= 12, "{patients:?}");
    let mut totals = (0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for (what, dir) in [("ndjson", &h.ndjson), ("bundles", &h.bundles)] {
        let fhir = read(&[dir]);
        assert_clean_fhir(&fhir, what);
        assert_eq!(fhir.report.patients, ss.report.patients, "{what}: patient count");
        for p in &patients {
            let want = facts(&ss, p);
            let got = facts(&fhir, p);
            assert_eq!(got.kanji, want.kanji, "{what} {p}: kanji");
            assert_eq!(got.kana, want.kana, "{what} {p}: kana");
            assert_eq!(got.birth, want.birth, "{what} {p}: birth date");
            assert_eq!(got.sex, want.sex, "{what} {p}: sex");
            assert_eq!(got.allergens, want.allergens, "{what} {p}: allergies");
            assert_eq!(got.diagnoses, want.diagnoses, "{what} {p}: active problems");
            assert_eq!(got.orders, want.orders, "{what} {p}: orders");
            assert_eq!(got.labs, want.labs, "{what} {p}: lab results");
            assert_eq!(got.admissions, want.admissions, "{what} {p}: admissions");
            assert_eq!(got.reports, want.reports, "{what} {p}: examination reports");
            totals.0 += want.allergens.len();
            totals.1 += want.diagnoses.len();
            totals.2 += want.orders.len();
            totals.3 += want.labs.len();
            totals.4 += want.admissions;
            totals.5 += usize::from(want.kanji.is_some());
            totals.6 += want.reports.len();
        }
    }
    // The comparison compared something: a 12-patient hospital has all of these.
    let (allergens, diagnoses, orders, labs, admissions, named, reports) = totals;
    assert!(
        allergens > 0 && diagnoses > 10 && orders > 50 && labs > 500,
        "{totals:?}"
    );
    assert!(admissions >= 2 && reports >= 4, "{totals:?}");
    assert!(named >= 2 * 12, "{totals:?}");
}

#[test]
fn both_readers_agree_seed_2() {
    // Seed 2: a cancelled admission, a readmission still in hospital at the end.
    both_readers_agree(2);
}

#[test]
fn both_readers_agree_seed_3() {
    // Seed 3: a cancelled discharge, and a planned admission after the end of the data.
    both_readers_agree(3);
}

#[test]
fn an_export_of_the_fhir_export_reads_the_same() {
    // FHIR in, FHIR out: NDJSON files hold many patients each, so every patient waits until
    // the end of the read; the Bundles written from them must still say the same.
    let h = hospital(12, 200, 3);
    let again = h._dir.path().join("again");
    let opts = ExportOptions {
        out: again.clone(),
        layout: Layout::Bundles,
        institution: SYNTHETIC_INSTITUTION.to_string(),
        as_of: None,
        drill: false,
    };
    let mut snap = Snapshot::open(std::slice::from_ref(&h.ndjson)).unwrap_or_else(|e| panic!("open: {e}"));
    let (summary, _) = export_snapshot(&mut snap, &opts).unwrap_or_else(|e| panic!("export: {e:#}"));
    assert!(
        !summary.skipped.contains_key("superseded versions"),
        "{:?}",
        summary.skipped
    );
    let ss = read(&[&h.ss]);
    let twice = read(&[&again]);
    assert_clean_fhir(&twice, "bundles from ndjson");
    assert_eq!(twice.report.patients, ss.report.patients);
    for p in patients_with_records(&ss) {
        assert_eq!(facts(&twice, &p), facts(&ss, &p), "{p}");
    }
    // The snapshot being read is never written to.
    let inside = ExportOptions {
        out: h.ndjson.join("x"),
        ..opts
    };
    let mut snap = Snapshot::open(std::slice::from_ref(&h.ndjson)).unwrap_or_else(|e| panic!("open: {e}"));
    assert!(export_snapshot(&mut snap, &inside).is_err());
    assert!(!h.ndjson.join("x").exists());
}

#[test]
fn stays_and_visits_are_encounters() {
    let h = hospital(12, 200, 2);
    let fhir = read(&[&h.ndjson]);
    let with_patient: Vec<(&str, &lifeboat::model::Encounter)> = fhir
        .records
        .values()
        .flatten()
        .filter_map(|r| match &r.data {
            Clinical::Encounter(e) => Some((r.patient_id.as_str(), e)),
            _ => None,
        })
        .collect();
    let encounters: Vec<&lifeboat::model::Encounter> = with_patient.iter().map(|(_, e)| *e).collect();
    let stays: Vec<_> = encounters
        .iter()
        .filter(|e| e.class == Some(PatientClass::Inpatient))
        .collect();
    // The patients still in hospital at the end of the data have the open stays.
    let mut open_ids: Vec<&str> = with_patient
        .iter()
        .filter(|(_, e)| e.class == Some(PatientClass::Inpatient) && e.end.is_none())
        .map(|(p, _)| *p)
        .collect();
    open_ids.sort();
    assert!(!h.inpatients.is_empty());
    assert_eq!(open_ids, h.inpatients, "{stays:?}");
    let open: Vec<_> = stays.iter().filter(|e| e.end.is_none()).collect();
    assert!(
        open[0]
            .location
            .as_ref()
            .is_some_and(|l| l.ward_name.contains("病棟"))
    );
    assert!(open[0].attending.is_some());
    for s in &stays {
        assert!(
            s.start.is_some()
                && s.start.map(|t| t.value()) <= s.end.map(|t| t.value()).or(s.start.map(|t| t.value()))
        );
    }
    assert!(
        encounters
            .iter()
            .filter(|e| e.event == EncounterEvent::OutpatientVisit)
            .count()
            > 50
    );
}

#[test]
fn one_snapshot_holding_both_formats_has_each_patient_once() {
    let h = hospital(12, 200, 2);
    let ss = read(&[&h.ss]);
    let both = read(&[&h.ss, &h.ndjson]);
    assert_eq!(both.report.patients, ss.report.patients);
    assert!(!both.records.contains_key(UNRESOLVED));
    let ids: Vec<&String> = both.records.keys().filter(|p| !p.starts_with('(')).collect();
    assert!(ids.len() >= 12);
    for p in ids {
        let roots: BTreeSet<&str> = both.records[p]
            .iter()
            .filter_map(|r| r.provenance.file.split('/').next())
            .collect();
        let has_ss = ss.records.contains_key(p);
        let want: BTreeSet<&str> = if has_ss {
            ["ndjson", "ss"].into()
        } else {
            // A patient whose only file is unreadable: the FHIR copy has their Patient only.
            ["ndjson"].into()
        };
        assert_eq!(roots, want, "{p}");
        let masters = both.records[p]
            .iter()
            .filter(|r| r.status == RecordStatus::Current && matches!(r.data, Clinical::Patient(_)))
            .count();
        assert!(masters >= 1, "{p}: no current Patient");
    }
}

/// Every file under a folder with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.insert(rel, std::fs::read(e.path()).unwrap_or_default());
        }
    }
    out
}

#[test]
fn same_seed_gives_byte_identical_fhir() {
    let a = hospital(4, 60, 9);
    let b = hospital(4, 60, 9);
    for (x, y) in [(&a.ndjson, &b.ndjson), (&a.bundles, &b.bundles)] {
        let (tx, ty) = (tree(x), tree(y));
        assert!(tx.len() >= 5, "{:?}", tx.keys().collect::<Vec<_>>());
        assert!(tx.keys().eq(ty.keys()), "file lists differ");
        assert!(tx == ty, "file contents differ");
    }
    let c = hospital(4, 60, 10);
    assert!(tree(&a.ndjson) != tree(&c.ndjson));
}

#[test]
fn ndjson_is_one_resource_type_per_file_and_bundles_one_patient_per_file() {
    let h = hospital(4, 60, 9);
    for (name, bytes) in tree(&h.ndjson) {
        let resource_type = name.split('.').next().unwrap_or_default().to_string();
        assert!(name.ends_with(".000.ndjson"), "{name}");
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let v: serde_json::Value = serde_json::from_slice(line).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v["resourceType"], resource_type.as_str(), "{name}");
            if resource_type != "Patient" {
                let subject = v.get("subject").or_else(|| v.get("patient"));
                let reference = subject.and_then(|s| s["reference"].as_str()).unwrap_or_default();
                assert!(reference.starts_with("Patient/"), "{name}: {reference}");
            }
        }
    }
    let bundles = tree(&h.bundles);
    let mut late_parts = 0;
    for (name, bytes) in &bundles {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v["type"], "collection");
        let entries = v["entry"].as_array().cloned().unwrap_or_default();
        let patients: Vec<&serde_json::Value> = entries
            .iter()
            .filter(|e| e["resource"]["resourceType"] == "Patient")
            .collect();
        // A later part (`patient-ID.2.json`: the patient's records met again later in the
        // listing, as extended storage is) has no Patient entry and names the first part's
        // Patient by id.
        let stem = name.trim_end_matches(".json");
        if let Some((first, n)) = stem.rsplit_once('.')
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            late_parts += 1;
            assert!(patients.is_empty(), "{name}");
            assert!(
                bundles.contains_key(&format!("{first}.json")),
                "{name} without a first part"
            );
            let id = first.trim_start_matches("patient-");
            for e in &entries {
                let r = &e["resource"];
                if let Some(s) = r.get("subject").or_else(|| r.get("patient")) {
                    assert_eq!(s["reference"], format!("Patient/{id}"), "{name}");
                }
            }
            continue;
        }
        assert_eq!(patients.len(), 1, "{name}");
        let patient_url = patients[0]["fullUrl"].as_str().unwrap_or_default();
        assert!(patient_url.starts_with("urn:uuid:"), "{name}");
        for e in &entries {
            let r = &e["resource"];
            if let Some(s) = r.get("subject").or_else(|| r.get("patient")) {
                assert_eq!(s["reference"], patient_url, "{name}");
            }
        }
    }
    // The inpatients' vitals (extended storage) come after the standard tree.
    assert!(late_parts > 0, "no later Bundle part");
}
