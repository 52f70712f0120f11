//! 病名: problems, active first; ended ones greyed; cancelled versions on demand.

use super::{ChartState, status_label};
use crate::model::{Clinical, RecordStatus};
use crate::ui::{format, theme};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    ui.checkbox(&mut chart.show_old, "取消・旧版も表示");
    let show_old = chart.show_old;
    let rows: Vec<usize> = d
        .diagnoses
        .iter()
        .copied()
        .filter(|&i| show_old || d.records[i].status == RecordStatus::Current)
        .collect();
    if rows.is_empty() {
        ui.colored_label(pal.muted, "病名の記録はありません");
        return;
    }
    let row_h = theme::BODY + 12.0;
    let mut source = None;
    TableBuilder::new(ui)
        .id_salt("diagnoses")
        .striped(true)
        .column(Column::auto().at_least(260.0).clip(true))
        .column(Column::exact(80.0))
        .column(Column::exact(110.0))
        .column(Column::exact(110.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::exact(60.0))
        .column(Column::remainder().at_least(90.0))
        .header(row_h, |mut h| {
            for t in ["病名", "状態", "開始日", "終了日", "転帰", "ICD-10", "診療科", "", ""] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(&i) = rows.get(row.index()) else { return };
                let r = &d.records[i];
                let Clinical::Diagnosis(x) = &r.data else { return };
                let active = x.is_active() && r.status == RecordStatus::Current;
                row.col(|ui| {
                    let mut s = x.name.clone();
                    if x.suspected && !s.contains("疑い") {
                        s.push_str("（疑い）");
                    }
                    if x.main {
                        s.push_str("【主】");
                    }
                    let t = RichText::new(s);
                    ui.label(if active { t.strong() } else { t.color(pal.muted) });
                });
                row.col(|ui| {
                    if active {
                        ui.colored_label(pal.ok, "継続");
                    } else {
                        ui.colored_label(pal.muted, "終了");
                    }
                });
                row.col(|ui| {
                    ui.label(format::day(x.onset.or(x.diagnosed)));
                });
                row.col(|ui| {
                    ui.label(format::day(x.resolved.or(x.outcome_date)));
                });
                row.col(|ui| {
                    ui.label(x.outcome.as_ref().map(|o| o.display()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(x.icd10.as_ref().map(|c| c.code.as_str()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(x.department.as_ref().map(|c| c.display()).unwrap_or_default());
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
