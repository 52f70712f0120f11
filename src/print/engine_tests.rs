//! The layout engine end to end: a long table over several pages renders to a PDF.

use super::flow::{BODY, Flow};
use super::font::Fonts;
use super::furniture::Furniture;
use super::render::render;
use super::table::{Column, Table};

#[test]
fn long_table_breaks_across_pages_and_renders() {
    let fonts = Fonts::load().unwrap();
    let mut flow = Flow::new(&fonts);
    flow.set_running_title("患者 太郎", "ID 9999013");
    flow.heading("処方", 40.0);
    let mut table = Table::new(
        vec![
            Column::left("薬剤", 4.0),
            Column::left("用量", 1.0),
            Column::left("用法", 3.0),
        ],
        BODY,
    );
    for i in 0..120 {
        table.row(vec![
            format!("アムロジピンベシル酸塩口腔内崩壊錠５ｍｇ「サワイ」{i}").into(),
            "1錠".into(),
            "1日1回朝食後".into(),
        ]);
    }
    table.draw(&mut flow);
    let pages = flow.into_pages();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let furniture = Furniture {
        as_of: "2026-03-15 23:00".into(),
        printed_at: "2026-03-16 09:00".into(),
        operator: "看護 花子".into(),
        snapshot: "sample-data".into(),
        audit: "3fa2b9c1".into(),
        drill: false,
    };
    assert_inside(&fonts, &pages, &furniture);
    let pdf = render(&fonts, pages, &furniture, "テスト").unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // Subset embedding keeps the file small although the font is 4.7 MB.
    assert!(pdf.len() < 400_000, "{} bytes", pdf.len());
    if let Ok(path) = std::env::var("LIFEBOAT_PRINT_DEBUG") {
        std::fs::write(path, &pdf).unwrap();
    }
}

use super::page::{CONTENT_BOTTOM, MARGIN_TOP, MARGIN_X, Op, PAGE_HEIGHT, PAGE_WIDTH, Page};
use crate::chart::PatientChart;
use crate::model::*;

/// Every text and rule lies inside the printable area, and body text stays above the footer.
fn assert_inside(fonts: &Fonts, pages: &[Page], furniture: &Furniture) {
    let eps = 0.5;
    for (n, page) in pages.iter().enumerate() {
        let mut page = page.clone();
        let body = page.ops.len();
        furniture.draw(&mut page, fonts, n + 1, pages.len());
        for (i, op) in page.ops.iter().enumerate() {
            let bottom = if i < body {
                CONTENT_BOTTOM
            } else {
                PAGE_HEIGHT - 12.0
            };
            match op {
                Op::Text { x, y, style, text } => {
                    let w = fonts.face(style.weight).width(text, style.size);
                    assert!(*x >= MARGIN_X - eps, "page {n}: {text} starts at {x}");
                    assert!(
                        x + w <= PAGE_WIDTH - MARGIN_X + eps,
                        "page {n}: {text} ends at {}",
                        x + w
                    );
                    assert!(*y >= MARGIN_TOP - eps, "page {n}: {text} at {y}");
                    assert!(
                        y + style.line_height() <= bottom + eps,
                        "page {n}: {text} below {bottom}: {y}"
                    );
                }
                Op::Line { y1, y2, .. } => assert!(y1.max(*y2) <= bottom + eps),
                Op::FillRect { y, h, .. } | Op::StrokeRect { y, h, .. } => assert!(y + h <= bottom + eps),
                _ => {}
            }
        }
    }
}

fn record(data: Clinical) -> Record {
    Record {
        patient_id: "P1".into(),
        status: RecordStatus::Current,
        provenance: Provenance::default(),
        data,
    }
}

fn ts(s: &str) -> Option<Timestamp> {
    Timestamp::parse_iso(s)
}

/// A patient built to break layouts: a long name, long free texts, many drugs and tests.
fn stress_chart() -> PatientChart {
    let mut records = vec![record(Clinical::Patient(Patient {
        id: "P1".into(),
        name_kanji: Some(PersonName {
            family: "長谷川".repeat(8),
            given: "寿限無寿限無五劫の擦り切れ海砂利水魚".into(),
        }),
        name_kana: Some(PersonName {
            family: "ハセガワ".repeat(6),
            given: "ジュゲム".into(),
        }),
        birth_date: ts("1930-02-28"),
        ..Patient::default()
    }))];
    records.push(record(Clinical::Allergy(Allergy {
        category: AllergyCategory::Drug,
        category_code: Code::default(),
        allergen: Code::new(
            "",
            "セフトリアキソンナトリウム水和物静注用１ｇ「サンド」".repeat(3),
            "",
        ),
        severity: Some(Code::new("", "重度", "")),
        reaction: "全身の蕁麻疹と呼吸困難、血圧低下。".repeat(10),
        onset: None,
        onset_text: "2019年頃".into(),
        removed: false,
        none_known: false,
        recorded_at: ts("2020-01-01"),
    })));
    for i in 0..40 {
        let mut m = MedicationOrder::new(
            if i % 5 == 0 {
                OrderKind::Injection
            } else {
                OrderKind::Prescription
            },
            Code::new(
                format!("D{i}"),
                format!("アムロジピンベシル酸塩口腔内崩壊錠５ｍｇ「サワイ」（規格{i}）"),
                "",
            ),
            DrugCodeSystem::Local,
        );
        m.order_no = format!("O{i}");
        m.dose = Some(Quantity::new("1", "錠"));
        m.dosage = Some(Code::new(
            "",
            "内服・経口・１日３回朝昼夕食後、症状が強い時は追加で１錠まで",
            "",
        ));
        m.days = Some(30);
        m.start = ts("2026-03-10T09:00");
        m.rate = (i % 5 == 0).then(|| Quantity::new("80", "mL/時間"));
        records.push(record(Clinical::MedicationOrder(m)));
    }
    for day in 1..=8 {
        for (code, name) in [
            ("3C015000002327201", "クレアチニン"),
            ("3H015000002327101", "カリウム"),
            ("2A030000001930101", "ヘモグロビン"),
            ("5C070000002306001", "ＣＲＰ"),
        ] {
            let mut l = LabResult::new(Code::new(code, name, "JC10"), format!("{}.{}", day, day + 1));
            l.unit = "mg/dL".into();
            l.range = "0.46-0.79".into();
            l.range_low = Some(0.46);
            l.range_high = Some(0.79);
            l.flag = Some(AbnormalFlag::High);
            l.collected = ts(&format!("2026-03-0{day}T06:30"));
            records.push(record(Clinical::LabResult(l)));
        }
    }
    for i in 0..30 {
        records.push(record(Clinical::Diagnosis(Diagnosis {
            name: format!("慢性腎臓病（ステージＧ３ｂ）に伴う腎性貧血および二次性副甲状腺機能亢進症{i}"),
            diagnosed: ts("2025-01-01"),
            ..Diagnosis::default()
        })));
    }
    PatientChart::build("P1", records, ts("2026-03-15T23:00"))
}

#[test]
fn stress_summary_stays_inside_the_page() {
    let fonts = Fonts::load().unwrap();
    let chart = stress_chart();
    let mut flow = Flow::new(&fonts);
    super::summary::layout(&mut flow, &chart);
    let pages = flow.into_pages();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let furniture = Furniture {
        as_of: "2026-03-15 23:00".into(),
        printed_at: "2026-03-16 09:00".into(),
        operator: "非常に長い名前の印刷担当者".repeat(4),
        snapshot: "2026-03-15_病院全体_スナップショット_第二回訓練用_DVD".into(),
        audit: "0123abcd".into(),
        // The watermark, too, stays inside the page.
        drill: true,
    };
    assert_inside(&fonts, &pages, &furniture);
    if let Ok(path) = std::env::var("LIFEBOAT_PRINT_STRESS") {
        std::fs::write(path, render(&fonts, pages, &furniture, "stress").unwrap()).unwrap();
    }
}
