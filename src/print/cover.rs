//! The cover page of a ward pack: which patients follow, in room and bed order, and on which
//! page each one starts, so that a nurse can pull one sheet out of the stack.

use super::flow::Flow;
use super::format::{date, or_dash};
use super::page::{CONTENT_LEFT, CONTENT_WIDTH, Rgb, Style};
use super::table::{Cell, Column, Table};
use crate::chart::WardCensus;

const CELL: Style = Style::regular(9.0);

/// One patient's line on the cover besides the census: where the summary starts and the
/// allergy mark (text, drug allergy).
pub struct CoverLine {
    pub first_page: usize,
    pub allergy: (String, bool),
}

/// Lays out the cover of `ward`; `lines[i]` belongs to `ward.entries[i]`.
pub fn layout(flow: &mut Flow, ward: &WardCensus, as_of: &str, lines: &[CoverLine]) {
    flow.set_running_title(format!("病棟患者一覧　{}", ward.name), "");
    flow.text_at(
        CONTENT_LEFT,
        CONTENT_WIDTH,
        Style::regular(9.0),
        "病棟サマリー（非常時参照用）",
    );
    flow.text_at(
        CONTENT_LEFT,
        CONTENT_WIDTH,
        Style::bold(20.0),
        &format!("病棟患者一覧　{}", ward.name),
    );
    flow.gap(2.0);
    flow.text_at(
        CONTENT_LEFT,
        CONTENT_WIDTH,
        Style::bold(12.0),
        &format!("データ基準日時 {as_of} 時点の入院患者　{}名", ward.entries.len()),
    );
    flow.text_at(
        CONTENT_LEFT,
        CONTENT_WIDTH,
        Style::regular(9.0),
        "以降のページに患者ごとのサマリーを病室・ベッド順に綴じています。基準日時より後の変化（入退院・転棟・処方変更）は反映されていません。",
    );
    flow.gap(8.0);
    if ward.entries.is_empty() {
        flow.text_at(
            CONTENT_LEFT,
            CONTENT_WIDTH,
            Style::bold(12.0),
            "この病棟に入院中の患者はいません",
        );
        return;
    }
    let mut table = Table::new(
        vec![
            Column::left("病室", 0.9),
            Column::left("ベッド", 1.0),
            Column::left("氏名", 3.0),
            Column::right("年齢", 0.8),
            Column::left("性別", 0.7),
            Column::left("入院日", 1.5),
            Column::left("診療科", 1.4),
            Column::left("主治医", 1.5),
            Column::left("アレルギー", 1.5),
            Column::right("頁", 0.6),
        ],
        CELL,
    );
    for (i, e) in ward.entries.iter().enumerate() {
        let mut name = or_dash(&e.name_kanji);
        if !e.name_kana.is_empty() {
            name.push('\n');
            name.push_str(&e.name_kana);
        }
        name.push_str(&format!("\nID {}", e.patient_id));
        if e.on_leave {
            name.push_str("\n外出・外泊中");
        }
        table.row(vec![
            Cell::styled(or_dash(&e.room), Style::bold(CELL.size)),
            Cell::styled(or_dash(&e.bed), Style::bold(CELL.size)),
            Cell::lead(name, Style::bold(10.5)),
            e.age
                .map(|a| format!("{a}歳"))
                .unwrap_or_else(|| "—".into())
                .into(),
            e.sex.label_ja().into(),
            date(e.admitted).into(),
            or_dash(&e.department).into(),
            or_dash(&e.attending).into(),
            match lines.get(i) {
                Some(CoverLine {
                    allergy: (text, true),
                    ..
                }) => Cell::styled(text.clone(), Style::bold(CELL.size).with_color(Rgb::RED)),
                Some(l) => l.allergy.0.clone().into(),
                None => "".into(),
            },
            lines
                .get(i)
                .map(|l| l.first_page.to_string())
                .unwrap_or_default()
                .into(),
        ]);
    }
    table.draw(flow);
}
