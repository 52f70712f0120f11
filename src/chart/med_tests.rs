//! The running-now rule at its boundaries, order settings, duplicates, renewals, the allergy
//! check and the allergy wording (cases written from JAHIS 処方/注射データ交換規約 semantics:
//! TQ1-7/8 start and end, TQ1-6 days, ORC-1 controls, OMP-12 administrations).

use super::testutil::*;
use super::*;
use crate::model::EncounterEvent::*;
use crate::model::*;

fn inj(drug: &str, start: &str, end: Option<&str>, rate: bool) -> MedicationOrder {
    let mut m = rx(drug, start, None);
    m.kind = OrderKind::Injection;
    m.end = end.map(ts);
    if rate {
        m.rate = Some(Quantity::new("80", "mL/h"));
    }
    m
}

fn state_at(records: &[Record], at: &str) -> Vec<(String, OrderState, Basis)> {
    let chart = PatientChart::build("P1", records.to_vec(), Some(ts(at)));
    let meds = chart.medications();
    let mut out: Vec<(String, OrderState, Basis)> = meds
        .groups
        .iter()
        .flat_map(|g| &g.lines)
        .map(|l| (l.drug.clone(), l.activity.state, l.activity.basis))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn one(records: Vec<Record>, at: &str) -> (OrderState, Basis) {
    let s = state_at(&records, at);
    assert_eq!(s.len(), 1, "{s:?}");
    (s[0].1, s[0].2)
}

fn admitted(at: &str) -> Record {
    enc_record(
        at,
        RecordStatus::Current,
        adt(Admission, at, Some(loc("3E", "301", "1"))),
    )
}

#[test]
fn end_date_without_time_covers_the_whole_data_day() {
    let m = inj("ソルデム3A", "2026-11-19T08:00", Some("2026-11-20"), false);
    let r = || vec![current("2026-11-19T08:00", Clinical::MedicationOrder(m.clone()))];
    assert_eq!(one(r(), "2026-11-20T23:59"), (OrderState::Active, Basis::Period));
    assert_eq!(one(r(), "2026-11-21T00:00"), (OrderState::Ended, Basis::Period));
}

#[test]
fn end_time_equal_to_the_data_time_is_still_running() {
    let m = inj("ソルデム3A", "2026-11-19T08:00", Some("2026-11-19T13:00"), false);
    let r = || vec![current("2026-11-19T08:00", Clinical::MedicationOrder(m.clone()))];
    assert_eq!(one(r(), "2026-11-19T13:00"), (OrderState::Active, Basis::Period));
    assert_eq!(one(r(), "2026-11-19T13:01"), (OrderState::Ended, Basis::Period));
    assert_eq!(one(r(), "2026-11-19T07:59"), (OrderState::Planned, Basis::Period));
}

#[test]
fn injection_without_end_same_day_continuous_or_unknown() {
    // Started on the data day: running.
    let m = inj("生理食塩液", "2026-11-19T21:00", None, false);
    let r = vec![current("2026-11-19T21:00", Clinical::MedicationOrder(m))];
    assert_eq!(one(r, "2026-11-19T23:00"), (OrderState::Active, Basis::SameDay));

    // A continuous infusion with a rate inside the current stay: running.
    let hep = inj("ヘパリン", "2026-11-11T09:00", None, true);
    let r = vec![
        admitted("2026-11-10T10:00"),
        current("2026-11-11T09:00", Clinical::MedicationOrder(hep)),
    ];
    assert_eq!(
        one(r, "2026-11-19T10:00"),
        (OrderState::Active, Basis::Continuous)
    );

    // Without a rate the data cannot tell: 不明, never 実施中.
    let cez = inj("セファゾリン", "2026-11-11T09:00", None, false);
    let r = vec![
        admitted("2026-11-10T10:00"),
        current("2026-11-11T09:00", Clinical::MedicationOrder(cez.clone())),
    ];
    assert_eq!(
        one(r.clone(), "2026-11-19T10:00"),
        (OrderState::Unknown, Basis::NoEnd)
    );
    let chart = PatientChart::build("P1", r, Some(ts("2026-11-19T10:00")));
    assert!(chart.medications().active.is_empty());
    assert_eq!(chart.medications().unknown.len(), 1);

    // Long ago, outside any stay: counted as ended, not as unknown.
    let old = inj("セファゾリン", "2026-08-01T09:00", None, false);
    let r = vec![current("2026-08-01T09:00", Clinical::MedicationOrder(old))];
    assert_eq!(one(r, "2026-11-19T10:00"), (OrderState::Ended, Basis::NoEnd));
}

#[test]
fn prescription_without_days_or_end_is_unknown_not_current() {
    let mut m = rx("ロキソプロフェン", "2026-11-10T10:00", None);
    m.instructions = vec!["疼痛時".into()];
    let r = || vec![current("2026-11-10T10:00", Clinical::MedicationOrder(m.clone()))];
    assert_eq!(one(r(), "2026-11-19T10:00"), (OrderState::Unknown, Basis::NoEnd));
    assert_eq!(one(r(), "2027-01-19T10:00"), (OrderState::Ended, Basis::NoEnd));
}

#[test]
fn cancelled_superseded_and_discontinued_are_never_running() {
    let m = inj("ソルデム3A", "2026-11-19T08:00", Some("2026-11-25"), false);
    for (status, expected) in [
        (RecordStatus::Cancelled, OrderState::Stopped),
        (RecordStatus::Superseded, OrderState::Superseded),
    ] {
        let r = vec![record(
            "P1",
            status,
            "2026-11-19T08:00",
            Clinical::MedicationOrder(m.clone()),
        )];
        assert_eq!(one(r, "2026-11-20T10:00").0, expected);
    }
    let mut dc = m.clone();
    dc.order_control = "DC".into();
    let r = vec![
        current("2026-11-19T08:00", Clinical::MedicationOrder(m)),
        record(
            "P1",
            RecordStatus::Cancelled,
            "2026-11-20T08:00",
            Clinical::MedicationOrder(dc),
        ),
    ];
    let s = state_at(&r, "2026-11-20T10:00");
    assert!(s.iter().all(|(_, st, _)| *st == OrderState::Stopped), "{s:?}");
}

#[test]
fn an_administration_covering_the_data_time_keeps_the_drip_running() {
    // The order said until 12:00, but the bottle was hung at 11:30 and is not down yet.
    let m = inj("ソルデム3A", "2026-11-19T08:00", Some("2026-11-19T12:00"), true);
    let mut given = MedicationAdministration {
        kind: OrderKind::Injection,
        order_no: m.order_no.clone(),
        rp: m.rp.clone(),
        drug: m.drug.clone(),
        amount: None,
        start: Some(ts("2026-11-19T11:30")),
        end: None,
        route: None,
        rate: Some(Quantity::new("80", "mL/h")),
        performer: None,
        location: String::new(),
        comments: Vec::new(),
        completion: "CP".into(),
    };
    let r = |g: &MedicationAdministration| {
        vec![
            current("2026-11-19T08:00", Clinical::MedicationOrder(m.clone())),
            current("2026-11-19T11:30", Clinical::MedicationAdministration(g.clone())),
        ]
    };
    assert_eq!(state_at(&r(&given), "2026-11-19T14:00")[0].1, OrderState::Active);
    assert_eq!(
        state_at(&r(&given), "2026-11-19T14:00")[0].2,
        Basis::Administration
    );
    // Taken down at 13:00: ended by 14:00.
    given.end = Some(ts("2026-11-19T13:00"));
    assert_eq!(state_at(&r(&given), "2026-11-19T14:00")[0].1, OrderState::Ended);
}

#[test]
fn outpatient_supply_overlapping_an_admission_is_told_apart_and_flagged() {
    let mut outpatient = rx("アムロジピン", "2026-10-01T10:00", Some(90));
    outpatient.setting = Some(PatientClass::Outpatient);
    outpatient.order_no = "OUT-1".into();
    let mut ward = rx("アムロジピン", "2026-11-11T10:00", Some(7));
    ward.setting = Some(PatientClass::Inpatient);
    ward.order_no = "IN-1".into();
    let records = vec![
        current("2026-10-01T10:00", Clinical::MedicationOrder(outpatient)),
        admitted("2026-11-10T10:00"),
        current("2026-11-11T10:00", Clinical::MedicationOrder(ward)),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-12T10:00")));
    let meds = chart.medications();
    let settings: Vec<(String, OrderSetting)> = meds
        .active
        .iter()
        .map(|m| (m.order_no.clone(), m.setting))
        .collect();
    assert_eq!(
        settings,
        [
            ("IN-1".to_string(), OrderSetting::Inpatient),
            ("OUT-1".to_string(), OrderSetting::OutpatientBeforeAdmission)
        ]
    );
    assert_eq!(meds.active[1].state_ja(), "実施中（日数）・外来処方（入院前）");
    assert_eq!(meds.duplicates.len(), 1);
    assert!(meds.duplicates[0].same_drug);
    let alerts: Vec<String> = chart.medication_alerts().into_iter().map(|a| a.text).collect();
    assert_eq!(alerts, ["同一薬剤が重複: アムロジピン"]);
}

#[test]
fn a_renewal_shows_once_and_a_same_class_drug_is_flagged() {
    let mut first = rx("ランソプラゾール", "2026-11-01T10:00", Some(14));
    first.order_no = "A".into();
    first.setting = Some(PatientClass::Inpatient);
    let mut renewal = first.clone();
    renewal.order_no = "B".into();
    renewal.start = Some(ts("2026-11-12T10:00"));
    renewal.ordered_at = renewal.start;
    // Another proton pump inhibitor: YJ class 2329 (消化性潰瘍用剤) for both.
    let mut other = rx("エソメプラゾール", "2026-11-12T10:00", Some(14));
    other.order_no = "C".into();
    other.setting = Some(PatientClass::Inpatient);
    other.other_codes = vec![Code::new("2329029M1020", "エソメプラゾール", "YJ")];
    let mut lanso_yj = renewal.clone();
    lanso_yj.other_codes = vec![Code::new("2329023F1020", "ランソプラゾール", "YJ")];
    let records = vec![
        current("2026-11-01T10:00", Clinical::MedicationOrder(first)),
        current("2026-11-12T10:00", Clinical::MedicationOrder(lanso_yj)),
        current("2026-11-12T10:00", Clinical::MedicationOrder(other)),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-13T10:00")));
    let meds = chart.medications();
    let drugs: Vec<(&str, &str, usize)> = meds
        .active
        .iter()
        .map(|m| (m.drug.as_str(), m.order_no.as_str(), m.renews.len()))
        .collect();
    assert_eq!(
        drugs,
        [("ランソプラゾール", "B", 1), ("エソメプラゾール", "C", 0)]
    );
    assert_eq!(meds.duplicates.len(), 1);
    assert!(!meds.duplicates[0].same_drug);
    assert_eq!(
        meds.duplicates[0].message_ja(),
        "同効薬（同じ薬効分類）が重複: ランソプラゾール / エソメプラゾール"
    );
}

fn allergy(allergen: Code, category: AllergyCategory) -> Allergy {
    Allergy {
        category,
        category_code: Code::default(),
        allergen,
        severity: None,
        reaction: String::new(),
        onset: None,
        onset_text: String::new(),
        removed: false,
        none_known: false,
        recorded_at: None,
    }
}

#[test]
fn allergen_matching_a_running_order_is_warned_and_limits_said() {
    let mut pcg = inj(
        "ペニシリンＧカリウム",
        "2026-11-12T08:00",
        Some("2026-11-14"),
        false,
    );
    pcg.order_no = "I1".into();
    let records = vec![
        current(
            "2026-11-01T10:00",
            Clinical::Allergy(allergy(Code::new("", "ペニシリン系", ""), AllergyCategory::Drug)),
        ),
        current("2026-11-12T08:00", Clinical::MedicationOrder(pcg)),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-13T10:00")));
    let alerts: Vec<String> = chart.medication_alerts().into_iter().map(|a| a.text).collect();
    assert_eq!(
        alerts,
        ["アレルギー「ペニシリン系」と一致する薬剤: ペニシリンＧカリウム（名称一致）"]
    );
    let limits = &chart.allergy_check().limits;
    assert!(
        limits[0].contains("ペニシリン系") && limits[0].contains("名称の一致のみ"),
        "{limits:?}"
    );

    // Coded with YJ on both sides: a different penicillin is caught by its class (6131).
    let mut amox = rx("サワシリン", "2026-11-12T08:00", Some(7));
    amox.other_codes = vec![Code::new("6131001M2020", "アモキシシリン", "YJ")];
    let records = vec![
        current(
            "2026-11-01T10:00",
            Clinical::Allergy(allergy(
                Code::new("6131400D1034", "ユナシン", "YJ"),
                AllergyCategory::Drug,
            )),
        ),
        current("2026-11-12T08:00", Clinical::MedicationOrder(amox)),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-13T10:00")));
    let check = chart.allergy_check();
    assert_eq!(check.matches.len(), 1);
    assert_eq!(check.matches[0].by, MatchBy::Class);
    assert!(check.limits.is_empty(), "{:?}", check.limits);

    // A food allergen is only matched by name, and an unrelated drug is not matched at all.
    let records = vec![
        current(
            "2026-11-01T10:00",
            Clinical::Allergy(allergy(Code::new("", "ソバ", ""), AllergyCategory::Food)),
        ),
        current(
            "2026-11-12T08:00",
            Clinical::MedicationOrder(rx("アムロジピン", "2026-11-12T08:00", Some(7))),
        ),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-13T10:00")));
    assert!(chart.medication_alerts().is_empty());
}

#[test]
fn records_after_the_data_time_are_marked() {
    let records = vec![
        current(
            "2026-11-01T10:00",
            Clinical::MedicationOrder(rx("アムロジピン", "2026-11-01T10:00", Some(7))),
        ),
        current(
            "2026-11-20T10:00",
            Clinical::LabResult(lab("3C015", "クレアチニン", "1.2", "2026-11-20T10:00")),
        ),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-05T10:00")));
    let after: Vec<usize> = chart.after_data_time().collect();
    assert_eq!(after, [1]);
    assert!(!chart.is_after_data_time(0));
    assert_eq!(chart.summary().after_data_time, 1);
}

#[test]
fn allergy_wording_is_one_table_and_never_ambiguous() {
    let words: Vec<String> = [
        AllergyStatus::NoData,
        AllergyStatus::NoneKnown,
        AllergyStatus::Known,
    ]
    .iter()
    .flat_map(|s| {
        [
            s.headline_ja().to_string(),
            s.explain_ja().to_string(),
            s.line_ja(),
            s.mark_ja(false).into(),
        ]
    })
    .collect();
    assert!(
        words.iter().all(|w| !w.contains("アレルギー情報なし")),
        "{words:?}"
    );
    assert_ne!(
        AllergyStatus::NoData.headline_ja(),
        AllergyStatus::NoneKnown.headline_ja()
    );
    assert!(AllergyStatus::NoData.line_ja().contains("有無は不明"));
    assert!(
        AllergyStatus::NoneKnown
            .line_ja()
            .contains("既知のアレルギーはありません")
    );
}

#[test]
fn an_allergen_written_as_nashi_means_none_known_never_an_allergy() {
    let none = allergy(Code::new("", "なし", "99XYZ"), AllergyCategory::Drug);
    let tokuni = allergy(Code::new("", "特になし。", ""), AllergyCategory::Food);
    let unknown = allergy(Code::new("", "不明", ""), AllergyCategory::Drug);
    let chart = |rs: Vec<Allergy>| {
        let records = rs
            .into_iter()
            .map(|a| current("2026-11-01T10:00", Clinical::Allergy(a)))
            .collect();
        PatientChart::build("P1", records, Some(ts("2026-11-13T10:00")))
    };
    let c = chart(vec![none.clone(), tokuni]);
    assert_eq!(c.allergies().status, AllergyStatus::NoneKnown);
    assert!(c.allergies().items.is_empty());
    assert_eq!(c.allergies().none_known, [0, 1]);
    // 「不明」 is not "none": still 未記録, and not an allergen either.
    let c = chart(vec![unknown]);
    assert_eq!(c.allergies().status, AllergyStatus::NoData);
    assert_eq!(c.allergies().unknown, [0]);
    // A real allergen beside a 「なし」 row: known.
    let c = chart(vec![
        none,
        allergy(Code::new("", "ペニシリン", ""), AllergyCategory::Drug),
    ]);
    assert_eq!(c.allergies().status, AllergyStatus::Known);
    let names: Vec<&str> = c.allergies().items.iter().map(|i| i.allergen.as_str()).collect();
    assert_eq!(names, ["ペニシリン"]);
    // A coded national allergen is never read as a word.
    let coded = allergy(Code::new("1149019F1", "なし", "HOT9"), AllergyCategory::Drug);
    assert_eq!(stated_absence(&coded), None);
}
