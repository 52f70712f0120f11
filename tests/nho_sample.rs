//! The NHO SS-MIX2 sample storage (../shared/samples/ssmix2/nho-testing-tool): the guideline's
//! example patient 9999013 (患者 太郎) and the deliberately broken patient 0000001.

use lifeboat::chart::PatientDump;
use lifeboat::ingest::{IngestOptions, ingest};
use lifeboat::model::{
    AbnormalFlag, AllergyCategory, Clinical, EncounterEvent, OrderKind, Record, RecordStatus, Sex,
};
use lifeboat::report::{FileStatus, IngestReport, Severity};
use lifeboat::source::Snapshot;
use std::path::PathBuf;

fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

fn load(patient: Option<&str>) -> (IngestReport, PatientDump, Vec<(String, FileStatus)>) {
    let mut snap = Snapshot::open(&[sample_root()]).expect("sample storage opens");
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut statuses = Vec::new();
    let mut demographics = None;
    let options = IngestOptions {
        patient: patient.map(str::to_string),
        ..Default::default()
    };
    let report = ingest(&mut snap, &options, |o| {
        records.extend(o.records.iter().cloned());
        problems.extend(o.problems.iter().cloned());
        statuses.push((o.path.clone(), o.status));
        if demographics.is_none() {
            demographics = o.demographics.clone();
        }
    });
    (
        report,
        PatientDump::build(records, demographics, problems),
        statuses,
    )
}

fn current(records: &[Record]) -> impl Iterator<Item = &Record> {
    records.iter().filter(|r| r.status == RecordStatus::Current)
}

#[test]
fn every_file_is_accounted_for() {
    let (report, _, statuses) = load(None);
    assert_eq!(report.files_total, 22);
    assert!(report.is_consistent());
    assert_eq!(statuses.len(), 22);
    // The 2-byte CP932 file in the wrong folder is the only one that cannot be read at all.
    assert_eq!(report.files_rejected, 1);
    let rejected: Vec<&String> = statuses
        .iter()
        .filter(|(_, s)| *s == FileStatus::Rejected)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        rejected,
        ["000/000/0000001/20000401/ADT-31/9999013_20110630_OMP-11_123456789012345_20110701113813225_01_1"]
    );
    let reason = report
        .problems
        .iter()
        .find(|p| p.path == *rejected[0] && p.severity == Severity::Error)
        .unwrap();
    assert!(reason.message.contains("not an HL7 message"), "{reason}");
    // The wrong folder is named too.
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.path == *rejected[0] && p.message.contains("patient folder 0000001"))
    );
    // Every file of the broken patient carries at least one problem with a reason.
    for (path, _) in statuses.iter().filter(|(p, _)| p.starts_with("000/000/0000001/")) {
        assert!(
            report
                .problems
                .iter()
                .any(|p| &p.path == path && p.severity >= Severity::Warning),
            "{path}"
        );
    }
    assert_eq!(report.patients, 2);
    assert_eq!(report.as_of.unwrap().to_iso(), "2011-12-20T22:44:47.339");
    assert_eq!(report.records["allergy"], 5);
    assert_eq!(report.records["diagnosis"], 1);
    assert_eq!(report.records["encounter"], 3);
    assert_eq!(report.records["lab_result"], 3);
    assert_eq!(report.records["patient"], 1);
}

#[test]
fn patient_9999013_demographics() {
    let (_, d, _) = load(Some("9999013"));
    let p = d.patient.expect("patient master");
    assert_eq!(p.id, "9999013");
    assert_eq!(p.name_kanji.unwrap().full(), "患者 太郎");
    assert_eq!(p.name_kana.unwrap().full(), "カンジャ タロウ");
    assert_eq!(p.sex, Sex::Male);
    assert_eq!(p.birth_date.unwrap().to_iso(), "1948-04-05");
    assert_eq!(p.blood_type.unwrap().abo, "A");
    assert_eq!(p.height.unwrap().number, Some(167.8));
    assert_eq!(p.weight.unwrap().value, "63.5");
    assert_eq!(p.addresses[0].postal_code, "422-8033");
    assert!(p.addresses[0].text.starts_with("静岡県静岡市登呂"));
    assert_eq!(p.phones[0].number, "054-000-0000");
}

#[test]
fn patient_9999013_allergies() {
    let (_, d, _) = load(Some("9999013"));
    let names: Vec<String> = current(&d.allergies)
        .filter_map(|r| match &r.data {
            Clinical::Allergy(a) => Some(a.allergen.text.clone()),
            _ => None,
        })
        .collect();
    for want in ["スギ", "ソバ", "アリナミン", "ペニシリン"] {
        assert!(names.iter().any(|n| n == want), "{want} missing from {names:?}");
    }
    let alinamin = d
        .allergies
        .iter()
        .find_map(|r| match &r.data {
            Clinical::Allergy(a) if a.allergen.text == "アリナミン" => Some(a.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(alinamin.category, AllergyCategory::Drug);
    assert_eq!(alinamin.allergen.code, "106824501");
    assert_eq!(alinamin.allergen.system, "HOT9");
    assert_eq!(alinamin.severity.unwrap().text, "中等度");
    assert_eq!(alinamin.reaction, "のどの渇きが止まらない");
    assert_eq!(alinamin.onset.unwrap().to_iso(), "2007-07-10");
    let soba = d.allergies.iter().find_map(|r| match &r.data {
        Clinical::Allergy(a) if a.allergen.text == "ソバ" => Some(a.clone()),
        _ => None,
    });
    assert_eq!(soba.unwrap().onset_text, "小学校低学年の頃");
}

#[test]
fn patient_9999013_diagnosis() {
    let (_, d, _) = load(Some("9999013"));
    let Clinical::Diagnosis(g) = &d.diagnoses[0].data else {
        panic!("not a diagnosis")
    };
    assert_eq!(g.name, "胃炎");
    assert_eq!(g.icd10.as_ref().unwrap().code, "K297");
    assert_eq!(g.medis.as_ref().unwrap().code, "20054174");
    assert!(g.main);
    assert!(!g.suspected);
    assert_eq!(g.onset.unwrap().to_iso(), "2011-08-31");
    assert_eq!(g.outcome.as_ref().unwrap().text, "回復せず");
}

#[test]
fn patient_9999013_prescription_and_injection() {
    let (_, d, _) = load(Some("9999013"));
    let orders: Vec<_> = current(&d.medications)
        .filter_map(|r| match &r.data {
            Clinical::MedicationOrder(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    let dasen = orders
        .iter()
        .find(|m| m.drug.text == "ダーゼン錠（５mg)")
        .expect("ダーゼン錠");
    assert_eq!(dasen.kind, OrderKind::Prescription);
    assert_eq!(dasen.drug.code, "108665201");
    assert_eq!(dasen.dosage_text(), "内服・経口・１日３回朝昼夕食後");
    assert_eq!(dasen.dosage.as_ref().unwrap().code, "1013044400000000");
    assert_eq!(dasen.days, Some(5));
    assert_eq!(dasen.dose.as_ref().unwrap().display(), "1 錠");
    assert_eq!(dasen.rp, "1");
    assert_eq!(dasen.order_no, "000000011000185");
    assert_eq!(dasen.prescriber.as_ref().unwrap().name, "医師 一郎");
    let aleviatin = orders
        .iter()
        .find(|m| m.drug.text == "アレピアチン１０倍散")
        .unwrap();
    assert_eq!((aleviatin.days, aleviatin.rp.as_str()), (Some(14), "2"));
    // Injections: the drugs are the RXC lines; RXE-2 is the injection type.
    let injections: Vec<_> = orders.iter().filter(|m| m.kind == OrderKind::Injection).collect();
    assert_eq!(injections.len(), 6);
    let solita = injections.iter().find(|m| m.drug.code == "620007329").unwrap();
    assert!(solita.drug.text.starts_with("ソリタ") && solita.drug.text.contains("Ｔ３号輸液５００ｍＬ"));
    assert_eq!(solita.component_role, "B");
    assert_eq!(solita.injection_type.as_ref().unwrap().text, "一般");
    assert_eq!(solita.rate.as_ref().unwrap().value, "102");
    assert_eq!(solita.volume.as_ref().unwrap().value, "510");
    assert!(
        injections
            .iter()
            .any(|m| m.drug.text == "アドナ注（静脈用）50mg" && m.component_role == "A")
    );
    // Bedside administration (OMP-12).
    assert!(
        d.administrations.iter().any(|r| matches!(&r.data,
        Clinical::MedicationAdministration(a) if a.drug.code == "620002559" && a.comments == ["左手に実施"]))
    );
}

#[test]
fn patient_9999013_labs() {
    let (_, d, _) = load(Some("9999013"));
    let tp = d
        .labs
        .iter()
        .find_map(|r| match &r.data {
            Clinical::LabResult(l) if l.test.text == "総蛋白" => Some(l.clone()),
            _ => None,
        })
        .expect("総蛋白");
    assert_eq!(tp.test.code, "3A010000002327101");
    assert_eq!(tp.test.system, "JC10");
    assert_eq!(tp.value, "7.2");
    assert_eq!(tp.number, Some(7.2));
    assert_eq!(tp.unit, "g/dl");
    assert_eq!(tp.range, "6.70-8.3");
    assert_eq!((tp.range_low, tp.range_high), (Some(6.7), Some(8.3)));
    assert_ne!(tp.flag, Some(AbnormalFlag::High));
    assert_eq!(tp.result_status, "F");
    assert_eq!(tp.specimen.as_ref().unwrap().text, "血清");
    assert_eq!(tp.collected.unwrap().to_iso(), "2011-12-19T15:00");
    let alb = d.labs.iter().any(
        |r| matches!(&r.data, Clinical::LabResult(l) if l.test.text == "アルブミン" && l.value == "4.9"),
    );
    assert!(alb);
}

#[test]
fn patient_9999013_admission_transfer_discharge() {
    let (_, d, _) = load(Some("9999013"));
    let find = |event| {
        d.encounters.iter().find_map(|r| match &r.data {
            Clinical::Encounter(e) if e.event == event => Some(e.clone()),
            _ => None,
        })
    };
    let adm = find(EncounterEvent::Admission).expect("admission");
    assert_eq!(adm.start.unwrap().to_iso(), "2011-11-20T16:00");
    let loc = adm.location.unwrap();
    assert_eq!(
        (loc.ward.as_str(), loc.room.as_str(), loc.bed.as_str()),
        ("32", "302", "1")
    );
    let tr = find(EncounterEvent::Transfer).expect("transfer");
    assert_eq!(tr.event_time.unwrap().to_iso(), "2011-12-20T20:00");
    assert_eq!(tr.location.unwrap().room, "305");
    assert_eq!(tr.prior_location.unwrap().room, "302");
    let dis = find(EncounterEvent::Discharge).expect("discharge");
    assert_eq!(dis.end.unwrap().to_iso(), "2011-12-20T12:00");
    assert_eq!(dis.discharge_disposition.unwrap().code, "01");
}

#[test]
fn patient_9999013_exams_and_diet() {
    let (_, d, _) = load(Some("9999013"));
    let ecg = d.procedures.iter().find_map(|r| match &r.data {
        Clinical::Procedure(p) if p.stage == lifeboat::model::ProcedureStage::Report => Some(p.clone()),
        _ => None,
    });
    let ecg = ecg.expect("ECG report");
    assert_eq!(ecg.title(), "標準１２誘導心電図");
    assert!(ecg.findings.contains("心電図所見: 心筋虚血疑い"));
    assert!(ecg.findings.contains("心拍数: 67 bpm"));
    let us = d.procedures.iter().find_map(|r| match &r.data {
        Clinical::Procedure(p) if p.study_uid.starts_with("1.2.392.1114.20045") => Some(p.clone()),
        _ => None,
    });
    assert_eq!(us.unwrap().accession, "A201112200030001");
    let Clinical::DietOrder(diet) = &d.diet[0].data else {
        panic!()
    };
    assert_eq!(diet.instructions, ["塩分控えめ"]);
}

#[test]
fn broken_patient_keeps_what_can_be_read() {
    let (_, d, _) = load(Some("0000001"));
    // The OMP-11 file with junk rows still gives its two administered drugs, and the deleted
    // (`_0`) copy is kept as cancelled rather than dropped.
    let given: Vec<(&str, RecordStatus)> = d
        .administrations
        .iter()
        .filter_map(|r| match &r.data {
            Clinical::MedicationAdministration(a) => Some((a.drug.code.as_str(), r.status)),
            _ => None,
        })
        .collect();
    assert_eq!(
        given.iter().filter(|(_, s)| *s == RecordStatus::Current).count(),
        2
    );
    assert_eq!(
        given
            .iter()
            .filter(|(_, s)| *s == RecordStatus::Cancelled)
            .count(),
        2
    );
    assert!(
        d.problems
            .iter()
            .any(|p| p.message.contains("does not belong in this message") || p.message.contains("empty"))
    );
}

#[test]
fn nho_sample_coded_values_are_read_not_shown_as_written() {
    // The testing tool's messages are well formed: the coded-value check must not flag any of
    // their units, codes or dosages (HOT9, MR9P, JAMISDP01, 99XY1, 99I02, 99IC6, ISO+, JC10 ...).
    let (report, _, _) = load(None);
    let flagged: Vec<String> = report
        .problems
        .iter()
        .filter(|p| p.message.contains("shown as written") || p.message.contains("several RXR"))
        .map(|p| p.to_string())
        .collect();
    assert!(flagged.is_empty(), "{flagged:#?}");
}

#[test]
fn patient_9999013_dosage_route_and_period_as_sent() {
    let (_, d, _) = load(Some("9999013"));
    let orders: Vec<_> = current(&d.medications)
        .filter_map(|r| match &r.data {
            Clinical::MedicationOrder(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    let dasen = orders
        .iter()
        .find(|m| m.drug.code == "108665201")
        .expect("ダーゼン錠");
    assert!(dasen.more_dosages.is_empty());
    assert_eq!(dasen.route_text(), "口");
    assert_eq!(dasen.start.unwrap().to_iso(), "2011-07-01T00:00");
    let dept = dasen.department.as_ref().expect("ORC-17");
    assert_eq!((dept.code.as_str(), dept.text.as_str()), ("01", "内科"));
    // RXE-19 daily dose and RXE-10/11 total.
    assert_eq!(dasen.daily_dose.as_ref().unwrap().display(), "3 錠");
    assert_eq!(dasen.total.as_ref().unwrap().display(), "15 錠");
    let solita: Vec<_> = orders.iter().filter(|m| m.drug.code == "620007329").collect();
    assert_eq!(solita.len(), 3);
    let first = solita
        .iter()
        .find(|m| m.rp == "123456789012345_01_001")
        .expect("first bottle");
    assert_eq!(first.route_text(), "静脈内");
    assert_eq!(first.device.as_ref().unwrap().text, "点滴ポンプ");
    assert_eq!(first.instructions, ["５時間一定速度で"]);
    assert_eq!(first.start.unwrap().to_iso(), "2011-07-01T08:00");
    assert_eq!(first.end.unwrap().to_iso(), "2011-07-01T13:00");
    assert_eq!(first.rate.as_ref().unwrap().display(), "102 ミリリッター／時間");
}
