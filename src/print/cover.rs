//! The cover page of a ward pack: which patients follow, in room and bed order, and on which
//! page each one starts, so that a nurse can pull one sheet out of the stack.

use super::flow::Flow;
use super::format::{date, or_dash};
use super::page::{CONTENT_LEFT, CONTENT_WIDTH, Rgb, Style};
use super::table::{Cell, Column, Table};
use crate::chart::{BoardLine, WardCensus};

const CELL: Style = Style::regular(9.0);

/// One patient's line on the cover besides the census: where the summary starts, and the ward
/// board's columns (the census screen shows the same).
pub struct CoverLine {
    pub first_page: usize,
    pub board: BoardLine,
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
        "以降のページに患者ごとのサマリーを病室・ベッド順に綴じています。年齢は基準日時の満年齢です。基準日時より後の変化（入退院・転棟・処方変更）は反映されていません。",
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
            Column::left("病室-床", 0.9),
            Column::left("氏名", 2.2),
            Column::left("年齢・性別", 0.9),
            Column::left("入院", 1.45),
            Column::left("主病名", 1.7),
            Column::left("アレルギー", 1.5),
            Column::left("食事", 1.2),
            Column::left("感染症", 1.2),
            Column::left("点滴", 1.85),
            Column::right("頁", 0.5),
        ],
        CELL,
    );
    let red = Style::bold(CELL.size).with_color(Rgb::RED);
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
        let line = lines.get(i);
        let board = line.map(|l| &l.board);
        let mut admitted = date(e.admitted);
        if let Some(d) = board.and_then(|b| b.day_of_stay) {
            admitted.push_str(&format!("\n{d}日目"));
        }
        if !e.department.is_empty() {
            admitted.push_str(&format!("\n{}", e.department));
        }
        let text = |f: &dyn Fn(&BoardLine) -> String| board.map(f).unwrap_or_default();
        table.row(vec![
            Cell::styled(
                format!("{}-{}", or_dash(&e.room), or_dash(&e.bed)),
                Style::bold(CELL.size),
            ),
            Cell::lead(name, Style::bold(10.5)),
            format!(
                "{}\n{}",
                e.age.map(|a| format!("{a}歳")).unwrap_or_else(|| "—".into()),
                e.sex.label_ja()
            )
            .into(),
            admitted.into(),
            or_dash(&text(&|b| b.main_problem.clone())).into(),
            match board {
                Some(b) if b.drug_allergy => Cell::styled(b.allergy.clone(), red),
                Some(b) => b.allergy.clone().into(),
                None => "".into(),
            },
            match board {
                Some(b) if b.fasting => Cell::styled(b.diet.clone(), Style::bold(CELL.size)),
                Some(b) => or_dash(&b.diet).into(),
                None => "".into(),
            },
            match board {
                Some(b) if !b.infection.is_empty() => Cell::styled(b.infection.join("\n"), red),
                _ => "—".into(),
            },
            or_dash(&text(&|b| b.drips.join("\n"))).into(),
            line.map(|l| l.first_page.to_string()).unwrap_or_default().into(),
        ]);
    }
    table.draw(flow);
}
