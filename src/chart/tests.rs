//! Chart assembly over hand-made records: the edge cases of stays, census, medications,
//! allergies, labs and problems.

use super::testutil::*;
use super::*;
use crate::model::*;
use EncounterEvent::*;

fn census_of(records: &[Record], as_of: &str) -> Census {
    Census::build(std::iter::once(("P1", records)), Some(ts(as_of)))
}

fn only_entry(c: &Census) -> (&WardCensus, &CensusEntry) {
    assert_eq!(c.len(), 1, "{c:#?}");
    match c.entries().next() {
        Some(x) => x,
        None => panic!("empty census"),
    }
}

#[test]
fn cancelled_admission_is_not_in_the_census() {
    let a01 = adt(Admission, "2026-11-10T10:00", Some(loc("3E", "301", "1")));
    let records = vec![
        enc_record("2026-11-10T10:05", RecordStatus::Current, a01.clone()),
        // A11: stored as a cancelled record that cancels the admission written before it.
        enc_record("2026-11-10T10:30", RecordStatus::Cancelled, cancel(a01)),
    ];
    assert!(stays(&records).is_empty());
    assert!(census_of(&records, "2026-11-20T23:00").is_empty());
}

#[test]
fn admission_re_entered_after_a_cancel_counts_once_at_the_right_bed() {
    // The generator's pattern: wrong A01 (flag 0), A11 (flag 0), right A01 (flag 1).
    let wrong = adt(Admission, "2026-11-10T10:00", Some(loc("3E", "301", "2")));
    let right = adt(Admission, "2026-11-10T10:00", Some(loc("3E", "301", "1")));
    let records = vec![
        enc_record("2026-11-10T10:05", RecordStatus::Cancelled, wrong.clone()),
        enc_record("2026-11-10T10:20", RecordStatus::Cancelled, cancel(wrong)),
        enc_record("2026-11-10T10:35", RecordStatus::Current, right),
    ];
    let c = census_of(&records, "2026-11-20T23:00");
    let (ward, e) = only_entry(&c);
    assert_eq!(
        (ward.code.as_str(), e.room.as_str(), e.bed.as_str()),
        ("3E", "301", "1")
    );
    assert_eq!(e.admitted, Some(ts("2026-11-10T10:00")));
}

#[test]
fn discharge_then_readmission() {
    let records = vec![
        enc_record(
            "2026-10-01T10:00",
            RecordStatus::Current,
            adt(Admission, "2026-10-01T10:00", Some(loc("3E", "301", "1"))),
        ),
        enc_record(
            "2026-10-05T11:00",
            RecordStatus::Current,
            adt(Discharge, "2026-10-05T11:00", Some(loc("3E", "301", "1"))),
        ),
        enc_record(
            "2026-10-10T09:00",
            RecordStatus::Current,
            adt(Admission, "2026-10-10T09:00", Some(loc("4W", "412", "3"))),
        ),
    ];
    let all = stays(&records);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].end, Some(ts("2026-10-05T11:00")));
    assert!(all[1].is_open());
    assert!(census_of(&records, "2026-10-07T12:00").is_empty());
    let c = census_of(&records, "2026-10-03T12:00");
    assert_eq!(only_entry(&c).0.code, "3E");
    let c = census_of(&records, "2026-10-12T12:00");
    let (ward, e) = only_entry(&c);
    assert_eq!((ward.code.as_str(), e.room.as_str()), ("4W", "412"));
    assert_eq!(e.admitted, Some(ts("2026-10-10T09:00")));
}

#[test]
fn transfer_moves_the_bed() {
    let mut a02 = adt(Transfer, "2026-11-12T14:00", Some(loc("ICU", "1", "1")));
    a02.prior_location = Some(loc("3E", "301", "1"));
    a02.department = Some(Code::new("02", "循環器内科", ""));
    let records = vec![
        enc_record(
            "2026-11-10T10:00",
            RecordStatus::Current,
            adt(Admission, "2026-11-10T10:00", Some(loc("3E", "301", "1"))),
        ),
        enc_record("2026-11-12T14:05", RecordStatus::Current, a02.clone()),
        // A transfer entered and revoked (A02 + A12, both flag 0) moves nothing.
        enc_record(
            "2026-11-13T15:00",
            RecordStatus::Cancelled,
            adt(Transfer, "2026-11-13T15:00", Some(loc("5W", "501", "1"))),
        ),
        enc_record(
            "2026-11-13T15:30",
            RecordStatus::Cancelled,
            cancel(adt(Transfer, "2026-11-13T15:00", Some(loc("5W", "501", "1")))),
        ),
    ];
    let c = census_of(&records, "2026-11-11T12:00");
    assert_eq!(only_entry(&c).1.room, "301");
    let c = census_of(&records, "2026-11-20T23:00");
    let (ward, e) = only_entry(&c);
    assert_eq!((ward.code.as_str(), e.room.as_str()), ("ICU", "1"));
    assert_eq!(e.department, "循環器内科");
    // A current A12 after a current A02 cancels the transfer: back in the first bed.
    let mut with_a12 = records.clone();
    with_a12.push(enc_record(
        "2026-11-12T16:00",
        RecordStatus::Cancelled,
        cancel(a02),
    ));
    let c = census_of(&with_a12, "2026-11-20T23:00");
    assert_eq!(only_entry(&c).1.room, "301");
}

#[test]
fn leave_out_patient_is_still_counted() {
    let mut records = vec![
        enc_record(
            "2026-11-01T10:00",
            RecordStatus::Current,
            adt(Admission, "2026-11-01T10:00", Some(loc("3E", "301", "1"))),
        ),
        enc_record(
            "2026-11-14T10:00",
            RecordStatus::Current,
            adt(LeaveOut, "2026-11-14T10:00", Some(loc("3E", "301", "1"))),
        ),
    ];
    let c = census_of(&records, "2026-11-14T20:00");
    assert!(only_entry(&c).1.on_leave);
    records.push(enc_record(
        "2026-11-15T16:00",
        RecordStatus::Current,
        adt(LeaveReturn, "2026-11-15T16:00", Some(loc("3E", "301", "1"))),
    ));
    let c = census_of(&records, "2026-11-14T20:00");
    assert!(only_entry(&c).1.on_leave);
    let c = census_of(&records, "2026-11-16T20:00");
    assert!(!only_entry(&c).1.on_leave);
}

#[test]
fn cancelled_discharge_keeps_the_patient_admitted() {
    let a03 = adt(Discharge, "2026-11-19T10:00", Some(loc("3E", "301", "1")));
    let records = vec![
        enc_record(
            "2026-11-01T10:00",
            RecordStatus::Current,
            adt(Admission, "2026-11-01T10:00", Some(loc("3E", "301", "1"))),
        ),
        enc_record("2026-11-19T10:00", RecordStatus::Current, a03.clone()),
        enc_record("2026-11-19T11:00", RecordStatus::Cancelled, cancel(a03)),
    ];
    assert_eq!(census_of(&records, "2026-11-20T23:00").len(), 1);
}

#[test]
fn fhir_in_progress_stay_is_counted_and_finished_one_is_not() {
    let fhir = |start: &str, end: Option<&str>, status: RecordStatus| {
        let mut e = Encounter::new(Stay);
        e.class = Some(PatientClass::Inpatient);
        e.start = Some(ts(start));
        e.end = end.map(ts);
        e.location = Some(Location {
            ward_name: "5階西病棟".into(),
            ..Location::default()
        });
        e.status = if end.is_some() { "finished" } else { "in-progress" }.into();
        let mut r = enc_record(start, status, e);
        r.provenance.data_type = "Encounter".into();
        r.provenance.written_at = None;
        r
    };
    let in_progress = vec![fhir("2026-11-18T09:00", None, RecordStatus::Current)];
    let c = census_of(&in_progress, "2026-11-20T23:00");
    let (ward, e) = only_entry(&c);
    assert_eq!(ward.name, "5階西病棟");
    assert_eq!(e.admitted, Some(ts("2026-11-18T09:00")));
    let finished = vec![fhir(
        "2026-11-01T09:00",
        Some("2026-11-10T10:00"),
        RecordStatus::Current,
    )];
    assert!(census_of(&finished, "2026-11-20T23:00").is_empty());
    // JP Core's own inpatient example: finished, with a start and no end.
    let mut finished_no_end = fhir("2026-11-18T09:00", None, RecordStatus::Current);
    if let Clinical::Encounter(e) = &mut finished_no_end.data {
        e.status = "finished".into();
    }
    let finished_no_end = vec![finished_no_end];
    assert!(census_of(&finished_no_end, "2026-11-20T23:00").is_empty());
    assert_eq!(stays(&finished_no_end).len(), 1);
    let cancelled = vec![fhir("2026-11-18T09:00", None, RecordStatus::Cancelled)];
    assert!(census_of(&cancelled, "2026-11-20T23:00").is_empty());
    // Without a data time, an open stay is an admission.
    let c = Census::build(std::iter::once(("P1", &in_progress[..])), None);
    assert_eq!(c.len(), 1);
}

#[test]
fn census_sorts_wards_rooms_and_beds_and_fills_demographics() {
    let mk = |id: &str, ward: &str, room: &str, bed: &str| {
        let mut rs = vec![
            enc_record(
                "2026-11-01T10:00",
                RecordStatus::Current,
                adt(Admission, "2026-11-01T10:00", Some(loc(ward, room, bed))),
            ),
            current(
                "2026-01-01T00:00",
                Clinical::Patient(patient(id, "患者", id, "1948-04-05")),
            ),
        ];
        for r in &mut rs {
            r.patient_id = id.to_string();
        }
        rs
    };
    let data = [
        ("A", mk("A", "10", "1002", "1")),
        ("B", mk("B", "2", "203", "10")),
        ("C", mk("C", "2", "203", "2")),
        ("D", mk("D", "2", "21", "1")),
    ];
    let c = Census::build(
        data.iter().map(|(id, r)| (*id, r.as_slice())),
        Some(ts("2026-11-20T23:00")),
    );
    let order: Vec<(&str, &str)> = c
        .entries()
        .map(|(w, e)| (w.code.as_str(), e.patient_id.as_str()))
        .collect();
    assert_eq!(order, [("2", "D"), ("2", "C"), ("2", "B"), ("10", "A")]);
    let (_, d) = c
        .entries()
        .next()
        .map(|x| (x.0, x.1.clone()))
        .unwrap_or_else(|| panic!());
    assert_eq!(d.name_kanji, "患者 D");
    assert_eq!(d.name_kana, "カンジャ タロウ");
    assert_eq!(d.age, Some(78));
    assert_eq!(d.attending, "医師 一郎");
}

#[test]
fn prescription_expires_after_its_days() {
    let records = vec![current(
        "2026-11-01T10:00",
        Clinical::MedicationOrder(rx("アムロジピン", "2026-11-01T10:00", Some(7))),
    )];
    let active = |as_of: &str| {
        PatientChart::build("P1", records.clone(), Some(ts(as_of)))
            .medications()
            .active
            .len()
    };
    assert_eq!(active("2026-10-31T10:00"), 0);
    assert_eq!(active("2026-11-01T12:00"), 1);
    assert_eq!(active("2026-11-07T23:00"), 1);
    assert_eq!(active("2026-11-08T08:00"), 0);
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-03T08:00")));
    let med = &chart.medications().active[0];
    assert_eq!(med.until, chrono::NaiveDate::from_ymd_opt(2026, 11, 7));
    assert_eq!(med.activity.state, crate::chart::OrderState::Active);
    assert_eq!(med.activity.basis, crate::chart::Basis::Days);
}

#[test]
fn discontinued_and_superseded_orders_are_not_active() {
    let nw = rx("ロキソプロフェン", "2026-11-01T10:00", Some(14));
    let mut dc = nw.clone();
    dc.order_control = "DC".into();
    let mut stopped = rx("ワルファリン", "2026-11-01T10:00", Some(28));
    stopped.order_control = "stopped".into();
    let old = rx("ランソプラゾール", "2026-11-01T10:00", Some(28));
    let mut newer = old.clone();
    newer.dose = Some(Quantity::new("2", "錠"));
    let records = vec![
        current("2026-11-01T10:00", Clinical::MedicationOrder(nw)),
        // The DC stored under another key: the NW stays current, but the order is stopped.
        record(
            "P1",
            RecordStatus::Cancelled,
            "2026-11-03T10:00",
            Clinical::MedicationOrder(dc),
        ),
        current("2026-11-01T10:00", Clinical::MedicationOrder(stopped)),
        record(
            "P1",
            RecordStatus::Superseded,
            "2026-11-01T10:00",
            Clinical::MedicationOrder(old),
        ),
        current("2026-11-01T11:00", Clinical::MedicationOrder(newer)),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-05T10:00")));
    let meds = chart.medications();
    let active: Vec<(&str, &str)> = meds
        .active
        .iter()
        .map(|m| (m.drug.as_str(), m.dose.as_str()))
        .collect();
    assert_eq!(active, [("ランソプラゾール", "2 錠")]);
    assert_eq!(meds.groups.len(), 3);
    let loxo = meds
        .groups
        .iter()
        .find(|g| g.order_no == "ORD-ロキソプロフェン")
        .unwrap_or_else(|| panic!("no group"));
    assert!(!loxo.current);
    assert!(loxo.lines.iter().all(|l| l.discontinued && !l.active));
    let lanso = meds
        .groups
        .iter()
        .find(|g| g.order_no == "ORD-ランソプラゾール")
        .unwrap_or_else(|| panic!("no group"));
    assert!(lanso.current);
    let statuses: Vec<RecordStatus> = lanso.lines.iter().map(|l| l.status).collect();
    assert_eq!(statuses, [RecordStatus::Superseded, RecordStatus::Current]);
    assert_eq!(meds.current_groups().count(), 1);
}

#[test]
fn injection_runs_between_start_and_end_or_through_the_stay() {
    let inj = |drug: &str, start: &str, end: Option<&str>| {
        let mut m = rx(drug, start, None);
        m.kind = OrderKind::Injection;
        m.end = end.map(ts);
        m.rate = Some(Quantity::new("100", "mL/h"));
        current(start, Clinical::MedicationOrder(m))
    };
    let mut records = vec![
        enc_record(
            "2026-11-10T10:00",
            RecordStatus::Current,
            adt(Admission, "2026-11-10T10:00", Some(loc("3E", "301", "1"))),
        ),
        inj("ソリタT3", "2026-11-19T08:00", Some("2026-11-19T13:00")),
        inj("ヘパリン", "2026-11-11T09:00", None),
        // Before the admission: not part of this stay.
        inj("セファゾリン", "2026-11-05T09:00", None),
    ];
    let names = |rs: &[Record], at: &str| -> Vec<String> {
        PatientChart::build("P1", rs.to_vec(), Some(ts(at)))
            .medications()
            .active
            .iter()
            .map(|m| m.drug.clone())
            .collect()
    };
    assert_eq!(names(&records, "2026-11-19T10:00"), ["ソリタT3", "ヘパリン"]);
    assert_eq!(names(&records, "2026-11-19T14:00"), ["ヘパリン"]);
    records.push(enc_record(
        "2026-11-20T10:00",
        RecordStatus::Current,
        adt(Discharge, "2026-11-20T10:00", None),
    ));
    assert!(names(&records, "2026-11-20T12:00").is_empty());
}

#[test]
fn allergy_no_data_none_known_and_list() {
    let allergy = |cat: AllergyCategory, name: &str| Allergy {
        category: cat,
        category_code: Code::default(),
        allergen: Code::new("", name, ""),
        severity: None,
        reaction: String::new(),
        onset: None,
        onset_text: String::new(),
        removed: false,
        none_known: false,
        recorded_at: None,
    };
    // No records at all.
    let chart = PatientChart::build("P1", Vec::new(), None);
    assert_eq!(chart.allergies().status, AllergyStatus::NoData);
    // Only removed or cancelled entries: still no data, the entries kept aside.
    let mut removed = allergy(AllergyCategory::Drug, "ペニシリン");
    removed.removed = true;
    let chart = PatientChart::build(
        "P1",
        vec![current("2026-01-01T00:00", Clinical::Allergy(removed.clone()))],
        None,
    );
    assert_eq!(chart.allergies().status, AllergyStatus::NoData);
    assert_eq!(chart.allergies().inactive, [0]);
    // "No known allergy".
    let mut nka = allergy(AllergyCategory::Other, "No Known Allergy");
    nka.none_known = true;
    let chart = PatientChart::build(
        "P1",
        vec![current("2026-01-01T00:00", Clinical::Allergy(nka.clone()))],
        None,
    );
    assert_eq!(chart.allergies().status, AllergyStatus::NoneKnown);
    assert!(chart.allergies().items.is_empty());
    // A list: drugs first, then food, then the rest; a later removal takes one back.
    let records = vec![
        current(
            "2026-01-01T00:00",
            Clinical::Allergy(allergy(AllergyCategory::Pollen, "スギ")),
        ),
        current(
            "2026-01-01T00:00",
            Clinical::Allergy(allergy(AllergyCategory::Food, "ソバ")),
        ),
        current(
            "2026-01-01T00:00",
            Clinical::Allergy(allergy(AllergyCategory::Drug, "アリナミン")),
        ),
        current(
            "2026-01-01T00:00",
            Clinical::Allergy(allergy(AllergyCategory::Drug, "ペニシリン")),
        ),
        current("2026-02-01T00:00", Clinical::Allergy(removed)),
        current("2026-01-01T00:00", Clinical::Allergy(nka)),
    ];
    let chart = PatientChart::build("P1", records, None);
    let v = chart.allergies();
    assert_eq!(v.status, AllergyStatus::Known);
    let names: Vec<&str> = v.items.iter().map(|a| a.allergen.as_str()).collect();
    assert_eq!(names, ["アリナミン", "ソバ", "スギ"]);
    assert_eq!(v.drugs().count(), 1);
    assert_eq!(v.inactive.len(), 2);
}

#[test]
fn lab_table_columns_rows_duplicates_and_series() {
    let mut late = lab("C2", "クレアチニン", "1.1", "2026-11-02T06:00");
    late.reported = Some(ts("2026-11-02T10:00"));
    let mut corrected = late.clone();
    corrected.value = "1.3".into();
    corrected.number = Some(1.3);
    corrected.reported = Some(ts("2026-11-02T12:00"));
    let mut text = lab("U1", "尿蛋白", "(+)", "2026-11-02T06:00");
    text.battery = Some(Code::new("B2", "尿検査", ""));
    text.flag = Some(AbnormalFlag::Abnormal);
    let mut high = lab("C1", "BUN", "25", "2026-11-02T06:00");
    high.flag = Some(AbnormalFlag::High);
    high.range = "8-20".into();
    high.range_low = Some(8.0);
    high.range_high = Some(20.0);
    let records = vec![
        current(
            "2026-11-01T10:00",
            Clinical::LabResult(lab("C1", "BUN", "15", "2026-11-01T06:00")),
        ),
        current(
            "2026-11-01T10:00",
            Clinical::LabResult(lab("C2", "クレアチニン", "0.9", "2026-11-01T06:00")),
        ),
        current("2026-11-02T10:00", Clinical::LabResult(text)),
        current("2026-11-02T10:00", Clinical::LabResult(high)),
        current("2026-11-02T10:00", Clinical::LabResult(late)),
        current("2026-11-02T12:00", Clinical::LabResult(corrected)),
        record(
            "P1",
            RecordStatus::Superseded,
            "2026-11-02T09:00",
            Clinical::LabResult(lab("C1", "BUN", "99", "2026-11-03T06:00")),
        ),
    ];
    let chart = PatientChart::build("P1", records, None);
    let t = chart.labs();
    let cols: Vec<String> = t
        .columns
        .iter()
        .filter_map(|c| c.time)
        .map(|c| c.to_iso())
        .collect();
    assert_eq!(cols, ["2026-11-02T06:00", "2026-11-01T06:00"]);
    let rows: Vec<(&str, &str)> = t
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.group.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("BUN", "生化学"),
            ("クレアチニン", "生化学"),
            ("尿蛋白", "尿検査")
        ]
    );
    let cre = t.row("JLAC10|C2").unwrap_or_else(|| panic!("no row"));
    let newest = cre.cell(0).unwrap_or_else(|| panic!("no cell"));
    assert_eq!(newest.value, "1.3");
    assert_eq!(newest.also.len(), 1);
    let bun = t.row("JLAC10|C1").unwrap_or_else(|| panic!("no row"));
    assert_eq!(bun.range, "8-20");
    assert_eq!(bun.latest().map(|c| c.mark()), Some("H"));
    let s = t.series("JLAC10|C1").unwrap_or_else(|| panic!("no series"));
    let points: Vec<f64> = s.points.iter().map(|p| p.value).collect();
    assert_eq!(points, [15.0, 25.0]);
    assert_eq!((s.low, s.high), (Some(8.0), Some(20.0)));
    // Text results are in the table but not in a plot.
    assert_eq!(t.series("JLAC10|U1").map(|s| s.points.len()), Some(0));
    let latest: Vec<(String, String)> = t.latest(2).into_iter().map(|l| (l.name, l.value)).collect();
    assert_eq!(
        latest,
        [("BUN".into(), "25".into()), ("クレアチニン".into(), "1.3".into())]
    );
}

#[test]
fn problems_active_main_first_and_resolved() {
    let dx = |name: &str, main: bool, suspected: bool, resolved: Option<&str>| Diagnosis {
        name: name.into(),
        main,
        suspected,
        onset: Some(ts("2026-01-01")),
        resolved: resolved.map(ts),
        ..Diagnosis::default()
    };
    let records = vec![
        current(
            "2026-01-01T00:00",
            Clinical::Diagnosis(dx("高血圧症", false, false, None)),
        ),
        current(
            "2026-01-02T00:00",
            Clinical::Diagnosis(dx("肺炎", true, false, None)),
        ),
        current(
            "2026-01-03T00:00",
            Clinical::Diagnosis(dx("胃潰瘍", false, true, None)),
        ),
        current(
            "2026-01-04T00:00",
            Clinical::Diagnosis(dx("急性気管支炎", false, false, Some("2026-02-01"))),
        ),
        // Resolves after the data time: still active then.
        current(
            "2026-01-05T00:00",
            Clinical::Diagnosis(dx("膀胱炎", false, false, Some("2026-12-01"))),
        ),
        record(
            "P1",
            RecordStatus::Cancelled,
            "2026-01-06T00:00",
            Clinical::Diagnosis(dx("糖尿病", false, false, None)),
        ),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-20T23:00")));
    let p = chart.problems();
    let active: Vec<&str> = p.active.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(active[0], "肺炎");
    assert!(active.contains(&"胃潰瘍（疑い）"));
    assert!(active.contains(&"膀胱炎"));
    assert!(!active.contains(&"糖尿病"));
    let resolved: Vec<&str> = p.resolved.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(resolved, ["急性気管支炎"]);
}

#[test]
fn banner_merges_demographics_and_shows_the_current_stay() {
    let mut newest = patient("P1", "患者", "太郎", "1948-04-05");
    newest.name_kana = None;
    newest.updated_at = Some(ts("2026-06-01T00:00"));
    let mut older = patient("P1", "患者", "太郎", "1948-04-05");
    older.blood_type = Some(BloodType {
        abo: "A".into(),
        rh: "Rh(+)".into(),
    });
    older.updated_at = Some(ts("2025-06-01T00:00"));
    let records = vec![
        current("2026-06-01T00:00", Clinical::Patient(newest)),
        record(
            "P1",
            RecordStatus::Superseded,
            "2025-06-01T00:00",
            Clinical::Patient(older),
        ),
        enc_record(
            "2026-11-10T10:00",
            RecordStatus::Current,
            adt(Admission, "2026-11-10T10:00", Some(loc("3E", "301", "1"))),
        ),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-20T23:00")));
    let b = chart.banner();
    assert_eq!(b.name_kanji, "患者 太郎");
    assert_eq!(b.name_kana, "カンジャ タロウ");
    assert_eq!(b.age, Some(78));
    assert_eq!(b.age_label, "78歳");
    assert_eq!(
        b.blood_type.as_ref().map(|t| t.display()),
        Some("A型 Rh(+)".into())
    );
    let adm = b.admission.as_ref().unwrap_or_else(|| panic!("not admitted"));
    assert_eq!(adm.admitted, Some(ts("2026-11-10T10:00")));
    assert_eq!(adm.day, Some(11));
    assert_eq!(adm.location.as_ref().map(|l| l.room.as_str()), Some("301"));
    assert_eq!(b.department.as_ref().map(|d| d.display()), Some("内科"));
    // Records are oldest first: the newest (preferred) patient record is index 1.
    assert_eq!(b.sources, [1, 0]);
}

#[test]
fn records_sorted_oldest_first_undated_last_and_large_charts_build() {
    let mut records = Vec::new();
    for i in 0..10_000u32 {
        let day = 1 + i % 28;
        let l = lab(
            &format!("T{}", i % 40),
            &format!("検査{}", i % 40),
            &format!("{}", i % 17),
            &format!("2026-{:02}-{day:02}T06:00", 1 + (i / 40) % 12),
        );
        records.push(current("2026-11-01T00:00", Clinical::LabResult(l)));
    }
    let mut undated = lab("X", "日付なし", "1", "2026-01-01T00:00");
    undated.collected = None;
    let mut r = current("2026-01-01T00:00", Clinical::LabResult(undated));
    r.provenance.written_at = None;
    records.insert(0, r);
    let chart = PatientChart::build("P1", records, None);
    assert_eq!(chart.records().last().and_then(|r| r.date()), None);
    let dates: Vec<Timestamp> = chart.records().iter().filter_map(|r| r.date()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(chart.labs().rows.len(), 41);
    assert_eq!(chart.labs().columns.last().map(|c| c.time), Some(None));
    assert!(chart.medications().active.is_empty());
}

#[test]
fn natural_order_of_rooms() {
    use std::cmp::Ordering::*;
    assert_eq!(natural_cmp("2", "10"), Less);
    assert_eq!(natural_cmp("10", "10A"), Less);
    assert_eq!(natural_cmp("302", "0302"), Greater);
    assert_eq!(natural_cmp("3E", "3W"), Less);
    assert_eq!(natural_cmp("", "1"), Less);
}

#[test]
fn planned_discharge_annotates_a_stay_but_never_opens_one() {
    let mut a16 = adt(PlannedDischarge, "2026-11-18T15:00", Some(loc("3E", "301", "1")));
    a16.planned_time = Some(ts("2026-11-22T10:00"));
    let alone = vec![enc_record("2026-11-18T15:00", RecordStatus::Current, a16.clone())];
    assert!(stays(&alone).is_empty());
    let records = vec![
        enc_record(
            "2026-11-10T10:00",
            RecordStatus::Current,
            adt(Admission, "2026-11-10T10:00", Some(loc("3E", "301", "1"))),
        ),
        enc_record("2026-11-18T15:00", RecordStatus::Current, a16),
    ];
    let c = census_of(&records, "2026-11-20T23:00");
    assert_eq!(only_entry(&c).1.planned_discharge, Some(ts("2026-11-22T10:00")));
}

#[test]
fn documents_read_as_sections() {
    let doc = Document {
        doc_type: Code::new("18842-5", "退院時サマリー", "http://loinc.org"),
        title: "退院時サマリー".into(),
        date: Some(ts("2026-11-01T10:00")),
        authors: vec![Clinician {
            id: "D1".into(),
            name: "医師 一郎".into(),
        }],
        sections: vec![DocumentSection {
            title: "入院経過".into(),
            text: "抗菌薬で改善。\n\n退院とした。".into(),
            sections: vec![DocumentSection {
                title: "退院時処方".into(),
                entries: vec!["アムロジピン錠5mg 1錠".into()],
                ..DocumentSection::default()
            }],
            ..DocumentSection::default()
        }],
        attachments: vec![DocumentAttachment {
            title: "紹介状本文".into(),
            content_type: "text/plain".into(),
            text: "よろしくお願いします。".into(),
            ..DocumentAttachment::default()
        }],
        ..Document::default()
    };
    let mut report = ProcedureReport {
        category: ProcedureCategory::Radiology,
        stage: ProcedureStage::Report,
        order_no: "R1".into(),
        items: vec![ProcedureItem {
            procedure: Code::new("", "胸部X線", ""),
            ..ProcedureItem::default()
        }],
        findings: "右下肺野に浸潤影。".into(),
        accession: String::new(),
        study_uid: String::new(),
        modality: "CR".into(),
        ordered_at: Some(ts("2026-10-20T09:00")),
        performed: Some(ts("2026-10-20T09:30")),
        orderer: None,
        department: None,
    };
    let order_only = {
        let mut o = report.clone();
        o.stage = ProcedureStage::Order;
        o
    };
    report.order_no = "R2".into();
    let records = vec![
        current("2026-11-01T10:00", Clinical::Document(doc)),
        current("2026-10-20T09:30", Clinical::Procedure(report)),
        current("2026-10-20T09:00", Clinical::Procedure(order_only)),
    ];
    let chart = PatientChart::build("P1", records, None);
    let docs = chart.documents();
    let titles: Vec<&str> = docs.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["退院時サマリー", "胸部X線"]);
    let text = docs[0].as_text();
    assert!(text.contains("作成: 医師 一郎"), "{text}");
    assert!(
        text.contains("【入院経過】\n抗菌薬で改善。\n退院とした。"),
        "{text}"
    );
    assert!(
        text.contains("  【退院時処方】\n  ・アムロジピン錠5mg 1錠"),
        "{text}"
    );
    assert!(text.contains("【紹介状本文】\nよろしくお願いします。"), "{text}");
    assert_eq!(docs[1].kind.label_ja(), "放射線検査");
    assert_eq!(docs[1].sections[0].text, "右下肺野に浸潤影。");
}

#[test]
fn a_late_transfer_naming_the_closed_stay_does_not_readmit() {
    let admitted = "2026-11-10T10:00";
    let mut late = adt(Transfer, "2026-11-18T20:00", Some(loc("3E", "305", "1")));
    late.start = Some(ts(admitted));
    let mut records = vec![
        enc_record(
            admitted,
            RecordStatus::Current,
            adt(Admission, admitted, Some(loc("3E", "301", "1"))),
        ),
        enc_record(
            "2026-11-18T12:00",
            RecordStatus::Current,
            adt(Discharge, "2026-11-18T12:00", Some(loc("3E", "301", "1"))),
        ),
        enc_record("2026-11-18T20:00", RecordStatus::Current, late.clone()),
    ];
    let s = stays(&records);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].end, Some(ts("2026-11-18T12:00")));
    assert_eq!(s[0].records.len(), 3);
    assert!(census_of(&records, "2026-11-20T23:00").entries().next().is_none());
    // Without the admission time nothing says the patient came back after the discharge:
    // 入院状況不明, never 入院中 and never on the census (as the NHO sample's transfer).
    late.start = None;
    records[2] = enc_record("2026-11-18T20:00", RecordStatus::Current, late);
    let s = stays(&records);
    assert_eq!(s.len(), 2);
    assert!(s[1].uncertain && !s[1].is_open());
    assert!(census_of(&records, "2026-11-20T23:00").entries().next().is_none());
    let chart = PatientChart::build("P1", records.clone(), Some(ts("2026-11-20T23:00")));
    assert!(chart.current_stay().is_none());
    let unclear = chart.unclear_stay().unwrap_or_else(|| panic!("no unclear stay"));
    // The discharge that conflicts comes first, then the late transfer.
    assert_eq!(unclear.records, [1, 2]);
    assert!(chart.banner().admission.is_none());
    assert_eq!(chart.summary().admission, "入院状況不明");
    // A later admission opens a stay as usual.
    records.push(enc_record(
        "2026-11-21T09:00",
        RecordStatus::Current,
        adt(Admission, "2026-11-21T09:00", Some(loc("3E", "310", "2"))),
    ));
    let chart = PatientChart::build("P1", records.clone(), Some(ts("2026-11-22T09:00")));
    assert!(chart.current_stay().is_some() && chart.unclear_stay().is_none());
    assert_eq!(census_of(&records, "2026-11-22T09:00").entries().count(), 1);
}
