//! 受診・入退院: visits, admissions, transfers and discharges, newest first.

use super::{ChartState, status_label};
use crate::model::{Clinical, RecordStatus};
use crate::ui::{format, theme};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    let mut show_old = chart.show_old;
    ui.horizontal(|ui| {
        ui.checkbox(&mut show_old, "取消・旧版も表示");
        if let Some(stay) = d.current_stay() {
            ui.separator();
            ui.label(RichText::new(format!("入院中: {}", stay.summary())).strong());
        }
    });
    chart.show_old = show_old;
    let rows: Vec<usize> = d
        .encounters
        .iter()
        .copied()
        .filter(|&i| show_old || d.records[i].status == RecordStatus::Current)
        .collect();
    if rows.is_empty() {
        ui.colored_label(pal.muted, "受診・入退院の記録はありません");
        return;
    }
    let row_h = theme::BODY + 12.0;
    let mut source = None;
    TableBuilder::new(ui)
        .id_salt("encounters")
        .striped(true)
        .column(Column::exact(170.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::auto().at_least(180.0).clip(true))
        .column(Column::auto().at_least(120.0))
        .column(Column::exact(110.0))
        .column(Column::exact(60.0))
        .column(Column::remainder().at_least(90.0))
        .header(row_h, |mut h| {
            for t in ["日時", "区分", "診療科", "病棟・病室", "担当医", "退院日", "状態", ""] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(&i) = rows.get(row.index()) else { return };
                let r = &d.records[i];
                let Clinical::Encounter(e) = &r.data else { return };
                row.col(|ui| {
                    ui.label(RichText::new(format::ts(r.date())).monospace());
                });
                row.col(|ui| {
                    let mut s = e.event.label_ja().to_string();
                    if e.cancellation {
                        s.push_str("（取消）");
                    }
                    ui.label(RichText::new(s).strong());
                });
                row.col(|ui| {
                    ui.label(e.department.as_ref().map(|c| c.display()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(e.location.as_ref().map(|l| l.display()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(e.attending.as_ref().map(|c| c.display()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(format::day(e.end));
                });
                row.col(|ui| {
                    ui.colored_label(pal.warn, status_label(r.status));
                });
                row.col(|ui| {
                    if super::source_button(ui) {
                        source = Some(i);
                    }
                });
            });
        });
    if let Some(i) = source {
        chart.show_source(i);
    }
}
