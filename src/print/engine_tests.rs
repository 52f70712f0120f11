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
    flow.set_running_title("患者 太郎　ID 9999013");
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
    };
    let pdf = render(&fonts, pages, &furniture, "テスト").unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // Subset embedding keeps the file small although the font is 4.7 MB.
    assert!(pdf.len() < 400_000, "{} bytes", pdf.len());
    if let Ok(path) = std::env::var("LIFEBOAT_PRINT_DEBUG") {
        std::fs::write(path, &pdf).unwrap();
    }
}
