//! The ward's views: 温度板 rows from every coding, the worklist, the diet in force, infection
//! marks.

use super::testutil::*;
use super::*;
use crate::model::*;

fn vital(code: &str, name: &str, value: &str, unit: &str, at: &str) -> Record {
    current(
        at,
        Clinical::Vital(Vital {
            sign: Code::new(code, name, ""),
            value: value.into(),
            number: parse_number(value),
            unit: unit.into(),
            components: Vec::new(),
            flag: None,
            measured: Some(ts(at)),
        }),
    )
}

#[test]
fn vitals_from_loinc_jlac10_the_nho_typo_and_names_fill_the_rows() {
    let bp = |at: &str| {
        let comp = |code: &str, v: &str| VitalComponent {
            name: Code::new(code, "", "http://loinc.org"),
            value: v.into(),
            number: parse_number(v),
            unit: "mmHg".into(),
        };
        current(
            at,
            Clinical::Vital(Vital {
                sign: Code::new("85354-9", "血圧", "http://loinc.org"),
                components: vec![comp("8480-6", "132"), comp("8462-4", "78")],
                measured: Some(ts(at)),
                ..Vital::default()
            }),
        )
    };
    let records = vec![
        vital("8310-5", "Body temperature", "36.8", "Cel", "2026-11-19T06:00"),
        // NHO's sample sends a 16-character JLAC10 code for temperature.
        vital("9P10000000000001", "体温", "38.4", "℃", "2026-11-19T14:00"),
        vital("9P300000000000001", "脈拍", "104", "/min", "2026-11-19T14:00"),
        vital("", "SpO2", "95", "%", "2026-11-19T14:00"),
        vital("9X999", "意識レベル", "JCS 0", "", "2026-11-19T14:00"),
        bp("2026-11-19T14:00"),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-20T10:00")));
    let v = chart.vitals();
    let temps: Vec<f64> = v.points(Sign::Temperature).iter().map(|p| p.value).collect();
    assert_eq!(temps, [36.8, 38.4]);
    assert_eq!(v.latest(Sign::Pulse).map(|p| p.value), Some(104.0));
    assert_eq!(v.latest(Sign::Systolic).map(|p| p.value), Some(132.0));
    assert_eq!(v.latest(Sign::Diastolic).map(|p| p.value), Some(78.0));
    assert_eq!(v.latest(Sign::SpO2).map(|p| p.value), Some(95.0));
    assert_eq!(v.other, [4], "the unknown reading is kept, not dropped");
    assert_eq!(v.latest_line(), "体温 38.4℃　脈拍 104/分　血圧 132/78　SpO2 95%");
    assert_eq!(v.newest(), Some(ts("2026-11-19T14:00")));
}

fn diet(names: &[&str], start: &str, end: Option<&str>) -> Clinical {
    Clinical::DietOrder(DietOrder {
        order_no: format!("D-{start}"),
        diets: names.iter().map(|n| Code::new("", *n, "")).collect(),
        start: Some(ts(start)),
        end: end.map(ts),
        ..DietOrder::default()
    })
}

#[test]
fn the_newest_diet_in_force_wins_and_fasting_is_said() {
    let records = vec![
        current("2026-11-10T10:00", diet(&["常食"], "2026-11-10T12:00", None)),
        current(
            "2026-11-18T08:00",
            diet(&["絶食"], "2026-11-18T08:00", Some("2026-11-19")),
        ),
        current(
            "2026-11-20T08:00",
            diet(&["全粥", "塩分6g"], "2026-11-20T12:00", None),
        ),
    ];
    let at = |t: &str| PatientChart::build("P1", records.clone(), Some(ts(t))).diet();
    let d = at("2026-11-18T20:00").unwrap_or_else(|| panic!("no diet"));
    assert!(d.fasting);
    assert_eq!(d.line_ja(), "絶食");
    // The fasting order ended with its day: the earlier order is in force again.
    assert_eq!(
        at("2026-11-20T09:00").map(|d| d.line_ja()).as_deref(),
        Some("常食")
    );
    // A planned order is not in force before its start.
    assert_eq!(
        at("2026-11-20T13:00").map(|d| d.line_ja()).as_deref(),
        Some("全粥 / 塩分6g")
    );
    assert!(at("2026-11-01T10:00").is_none());
}

#[test]
fn infection_marks_positive_negative_unclear_and_never_tested() {
    let mut hbs = lab("5F016141002302", "HBs抗原", "陽性", "2026-11-06T07:00");
    hbs.range_high = None;
    let hcv = lab("", "HCV抗体", "0.1", "2026-11-06T07:00");
    let mut tp = lab("", "TPHA定性", "判定保留", "2026-11-06T07:00");
    tp.range_high = None;
    let mut older_hcv = lab("", "HCV抗体", "15.2", "2025-01-06T07:00");
    older_hcv.flag = Some(AbnormalFlag::High);
    let mut culture = lab("", "喀痰培養", "MRSA 2+", "2026-11-08T07:00");
    culture.range_high = None;
    let records = [hbs, hcv, tp, older_hcv, culture]
        .into_iter()
        .map(|l| current("2026-11-06T10:00", Clinical::LabResult(l)))
        .collect();
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-20T10:00")));
    let marks: Vec<String> = chart.infection().iter().map(|m| m.label_ja()).collect();
    assert_eq!(
        marks,
        [
            "HBs(+) 2026-11-06",
            "HCV(−) 2026-11-06",
            "梅毒 要確認 判定保留 2026-11-06",
            "HIV 未検査",
            "耐性菌(+) 2026-11-08"
        ]
    );
}

#[test]
fn worklist_running_due_and_given() {
    let mut drip = rx("ソリタT3", "2026-11-20T08:00", None);
    drip.kind = OrderKind::Injection;
    drip.end = Some(ts("2026-11-20T16:00"));
    drip.rate = Some(Quantity::new("63", "mL/h"));
    let mut next = rx("セファゾリン", "2026-11-21T08:00", None);
    next.kind = OrderKind::Injection;
    next.end = Some(ts("2026-11-21T09:00"));
    let mut tid = rx("カルボシステイン", "2026-11-18T08:00", Some(7));
    tid.dosage = Some(Code::new("", "内服・経口・１日３回朝昼夕食後", ""));
    let mut weekly = rx("アレンドロン酸", "2026-11-18T08:00", Some(7));
    weekly.dosage = Some(Code::new("", "内服・経口・週１回起床時", ""));
    let given = MedicationAdministration {
        kind: OrderKind::Injection,
        order_no: drip.order_no.clone(),
        rp: drip.rp.clone(),
        drug: drip.drug.clone(),
        amount: Some(Quantity::new("500", "mL")),
        start: Some(ts("2026-11-20T08:05")),
        end: None,
        route: None,
        rate: Some(Quantity::new("63", "mL/h")),
        performer: Some(Clinician {
            id: "N1".into(),
            name: "看護 花子".into(),
        }),
        location: String::new(),
        comments: Vec::new(),
        completion: String::new(),
    };
    let records = vec![
        current("2026-11-20T08:00", Clinical::MedicationOrder(drip)),
        current("2026-11-20T10:00", Clinical::MedicationOrder(next)),
        current("2026-11-18T08:00", Clinical::MedicationOrder(tid)),
        current("2026-11-18T08:00", Clinical::MedicationOrder(weekly)),
        current("2026-11-20T08:10", Clinical::MedicationAdministration(given)),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-20T10:00")));
    let w = chart.worklist();
    let running: Vec<&str> = w.running.iter().map(|m| m.drug.as_str()).collect();
    assert_eq!(running, ["ソリタT3"]);
    let due: Vec<(String, &str, &str)> = w
        .due
        .iter()
        .map(|d| {
            (
                d.time.map(|t| t.to_iso()).unwrap_or_default(),
                d.drug.as_str(),
                d.note.as_str(),
            )
        })
        .collect();
    assert_eq!(
        due,
        [
            ("2026-11-20T12:30".to_string(), "カルボシステイン", "昼食後"),
            ("2026-11-20T18:00".to_string(), "カルボシステイン", "夕食後"),
            ("2026-11-21T08:00".to_string(), "セファゾリン", "開始予定"),
            ("2026-11-21T08:00".to_string(), "カルボシステイン", "朝食後"),
            (String::new(), "アレンドロン酸", "時刻は用法を確認"),
        ]
    );
    assert_eq!(w.given.len(), 1);
    assert_eq!(
        (w.given[0].who.as_str(), w.given[0].status.as_str()),
        ("看護 花子", "実施中")
    );
}

#[test]
fn computed_decimals_are_shown_at_the_signs_precision_and_sent_ones_as_written() {
    let records = vec![
        vital(
            "8310-5",
            "Body temperature",
            "37.553671936802",
            "Cel",
            "2026-11-19T06:00",
        ),
        vital("8867-4", "Heart rate", "88.2", "/min", "2026-11-19T06:00"),
    ];
    let chart = PatientChart::build("P1", records, Some(ts("2026-11-20T10:00")));
    let v = chart.vitals();
    let t = v
        .latest(Sign::Temperature)
        .unwrap_or_else(|| panic!("no temperature"));
    assert_eq!(t.shown(Sign::Temperature), "37.6");
    let p = v.latest(Sign::Pulse).unwrap_or_else(|| panic!("no pulse"));
    assert_eq!(p.shown(Sign::Pulse), "88.2");
}
