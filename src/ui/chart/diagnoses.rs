//! 病名: active problems (main first), then ended ones greyed.

use super::ChartState;
use crate::chart::ProblemItem;
use crate::ui::{format, theme};
use egui::RichText;
use egui_extras::Column;

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let list = chart.data.chart.problems();
    ui.label(format!(
        "継続中 {} 件　終了 {} 件",
        list.active.len(),
        list.resolved.len()
    ));
    let rows: Vec<(bool, &ProblemItem)> = list
        .active
        .iter()
        .map(|p| (true, p))
        .chain(list.resolved.iter().map(|p| (false, p)))
        .collect();
    if rows.is_empty() {
        ui.colored_label(pal.muted, "病名の記録はありません");
        return;
    }
    let row_h = theme::BODY + 12.0;
    let mut clicks = super::RowClicks::default();
    let selected = chart.selected;
    super::record_table(ui, "diagnoses")
        .column(Column::auto().at_least(280.0).clip(true))
        .column(Column::exact(70.0))
        .column(Column::exact(110.0))
        .column(Column::exact(110.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(120.0))
        .header(row_h, |mut h| {
            for t in ["病名", "状態", "開始日", "終了日", "転帰", "ICD-10", "診療科"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(&(active, p)) = rows.get(row.index()) else {
                    return;
                };
                row.set_selected(selected == Some(p.record));
                row.col(|ui| {
                    let mut s = p.name.clone();
                    if p.main {
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
                    ui.label(format::day(p.since));
                });
                row.col(|ui| {
                    ui.label(format::day(p.ended));
                });
                row.col(|ui| {
                    ui.label(&p.outcome);
                });
                row.col(|ui| {
                    ui.label(&p.icd10);
                });
                row.col(|ui| {
                    ui.label(&p.department);
                });
                clicks.note(&row.response(), p.record);
            });
        });
    clicks.apply(chart);
}
