//! The ward's injection and medication worklist on paper (MAR): one block per bed in room and bed
//! order — who, allergies, infection marks, diet — then what is running, what is due in the next
//! 24 hours with a box to tick and a column to sign, and what was given in the last 48 hours.
//! Every page carries the usual footer (data time, printed when and by whom, page x / y).

use super::flow::{BODY, Flow};
use super::format::{or_dash, time};
use super::page::{CONTENT_LEFT, CONTENT_WIDTH, Rgb, Style};
use super::table::{Cell, Column, Table};
use crate::chart::{CensusEntry, PatientChart, WardCensus};

const CELL: Style = Style::regular(8.5);
const CELL_BOLD: Style = Style::bold(8.5);
/// A box to tick by hand.
const TICK: &str = "□";

pub fn layout_ward(flow: &mut Flow, ward: &WardCensus, as_of: &str, charts: &[PatientChart]) {
    flow.set_running_title(format!("注射・投薬ワークリスト　{}", ward.name), "");
    flow.text_at(
        CONTENT_LEFT,
        CONTENT_WIDTH,
        Style::bold(18.0),
        &format!("注射・投薬ワークリスト　{}", ward.name),
    );
    flow.text_at(
        CONTENT_LEFT,
        CONTENT_WIDTH,
        Style::regular(9.0),
        &format!(
            "データ基準日時 {as_of} 時点。実施したら□に✓を入れ、時刻とサインを記入。基準日時より後の指示変更は反映されていません。"
        ),
    );
    flow.gap(6.0);
    if ward.entries.is_empty() {
        flow.text_at(
            CONTENT_LEFT,
            CONTENT_WIDTH,
            Style::bold(12.0),
            "この病棟に入院中の患者はいません",
        );
    }
    for (e, chart) in ward.entries.iter().zip(charts) {
        patient_block(flow, e, chart);
    }
}

fn patient_block(flow: &mut Flow, e: &CensusEntry, chart: &PatientChart) {
    let who = format!(
        "{}-{}　{}（{}）　ID {}",
        or_dash(&e.room),
        or_dash(&e.bed),
        or_dash(&e.name_kanji),
        e.name_kana,
        e.patient_id
    );
    flow.heading(&who, BODY.line_height() * 4.0);
    // The same words as the ward board and the cover (chart::BoardLine).
    let board = chart.board_line();
    let allergy = format!("アレルギー: {}", board.allergy);
    let drug_allergy = board.drug_allergy;
    flow.text_at(
        CONTENT_LEFT + 6.0,
        CONTENT_WIDTH - 6.0,
        if drug_allergy {
            Style::bold(9.5).with_color(Rgb::RED)
        } else {
            Style::regular(9.5)
        },
        &allergy,
    );
    let positive = &board.infection;
    let diet = if board.diet.is_empty() {
        "指示なし".to_string()
    } else {
        board.diet.clone()
    };
    let infection = if positive.is_empty() {
        "感染症: 陽性の記録なし".to_string()
    } else {
        format!("感染症: {}", positive.join("　"))
    };
    flow.text_at(
        CONTENT_LEFT + 6.0,
        CONTENT_WIDTH - 6.0,
        if positive.is_empty() {
            Style::regular(9.5)
        } else {
            Style::bold(9.5).with_color(Rgb::RED)
        },
        &format!("{infection}　／　食事: {diet}"),
    );
    for a in chart.medication_alerts() {
        flow.text_at(
            CONTENT_LEFT + 6.0,
            CONTENT_WIDTH - 6.0,
            Style::bold(9.5).with_color(Rgb::RED),
            &format!("！ {}", a.text),
        );
    }
    let w = chart.worklist();
    if !w.running.is_empty() {
        let mut t = Table::new(
            vec![
                Column::left("確認", 0.6),
                Column::left("実施中の注射・点滴", 3.6),
                Column::left("量", 1.0),
                Column::left("経路・速度", 2.8),
                Column::left("開始", 1.4),
                Column::left("サイン", 1.2),
            ],
            CELL,
        );
        for m in &w.running {
            let mut how = m.route.clone();
            if !m.rate.is_empty() {
                how = format!("{how} 速度 {}", m.rate).trim().to_string();
            }
            t.row(vec![
                TICK.into(),
                Cell::styled(m.drug.clone(), CELL_BOLD),
                or_dash(&m.dose).into(),
                or_dash(&how).into(),
                time(m.start).into(),
                "".into(),
            ]);
        }
        flow.heading("実施中", t.lead_height(flow));
        t.draw(flow);
    }
    let mut t = Table::new(
        vec![
            Column::left("実施", 0.6),
            Column::left("予定時刻", 1.4),
            Column::left("薬剤", 3.4),
            Column::left("量", 1.0),
            Column::left("用法・経路・速度", 2.8),
            Column::left("実施時刻", 1.0),
            Column::left("サイン", 1.0),
        ],
        CELL,
    );
    for d in &w.due {
        let at = d
            .time
            .map(|t| t.value().format("%m/%d %H:%M").to_string())
            .unwrap_or_else(|| d.note.clone());
        t.row(vec![
            TICK.into(),
            Cell::styled(at, CELL_BOLD),
            Cell::styled(d.what_ja(), CELL_BOLD),
            or_dash(&d.dose).into(),
            or_dash(&d.how).into(),
            "".into(),
            "".into(),
        ]);
    }
    if t.rows.is_empty() {
        flow.text_at(
            CONTENT_LEFT + 6.0,
            CONTENT_WIDTH - 6.0,
            Style::regular(9.0),
            "24時間以内の予定: なし",
        );
    } else {
        flow.heading("24時間以内の予定", t.lead_height(flow));
        t.draw(flow);
    }
    if !w.given.is_empty() {
        let mut t = Table::new(
            vec![
                Column::left("実施日時", 1.6),
                Column::left("薬剤", 3.6),
                Column::left("量・速度", 1.8),
                Column::left("状態", 1.0),
                Column::left("実施者", 1.6),
            ],
            CELL,
        );
        for g in &w.given {
            let amount = [g.amount.as_str(), g.rate.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            t.row(vec![
                time(g.start).into(),
                g.drug.clone().into(),
                or_dash(&amount).into(),
                g.status.clone().into(),
                or_dash(&g.who).into(),
            ]);
        }
        flow.heading("直近48時間の実施記録", t.lead_height(flow));
        t.draw(flow);
    }
    flow.gap(10.0);
}
