//! 受診・入退院: admission periods (stays) on top, then every visit, admission, transfer and
//! discharge event, newest first; cancelled and superseded events on demand.

use super::{ChartState, status_label};
use crate::model::RecordStatus;
use crate::ui::{fonts, format, theme};
use egui::RichText;
use egui_extras::Column;

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let c = &chart.data.chart;
    let stays = c.stays();
    if !stays.is_empty() {
        ui.label(RichText::new(format!("入院歴 {} 回", stays.len())).font(fonts::bold(theme::BODY + 1.0)));
        for s in stays.iter().rev().take(5) {
            let mut line = format!("{} 〜 ", format::day(s.start.or(s.since)));
            match s.end {
                Some(e) => line.push_str(&format::day(Some(e))),
                None => line.push_str("入院中"),
            }
            if let Some(m) = s.moves.last() {
                if let Some(l) = m.location.as_ref().filter(|l| !l.is_empty()) {
                    line.push_str(&format!("　{}", l.display()));
                }
                if let Some(d) = &m.department {
                    line.push_str(&format!("　{}", d.display()));
                }
            }
            if s.end_inferred {
                line.push_str("（退院日は推定）");
            }
            ui.label(line);
        }
        ui.separator();
    }
    ui.checkbox(&mut chart.show_old, "取消・旧版も表示");
    let rows: Vec<&crate::chart::EncounterItem> = c
        .encounters()
        .iter()
        .filter(|e| chart.show_old || (e.status == RecordStatus::Current && !e.cancellation))
        .collect();
    if rows.is_empty() {
        ui.colored_label(pal.muted, "受診・入退院の記録はありません");
        return;
    }
    let row_h = theme::BODY + 12.0;
    let mut clicks = super::RowClicks::default();
    let selected = chart.selected;
    super::record_table(ui, "encounters")
        .column(Column::exact(170.0))
        .column(Column::auto().at_least(140.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::auto().at_least(200.0).clip(true))
        .column(Column::auto().at_least(120.0))
        .column(Column::exact(60.0))
        .header(row_h, |mut h| {
            for t in ["日時", "区分", "診療科", "病棟・病室", "担当医", "状態"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(e) = rows.get(row.index()) else { return };
                row.set_selected(selected == Some(e.record));
                row.col(|ui| {
                    ui.label(RichText::new(format::ts(e.time)).monospace());
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
                    ui.colored_label(pal.warn, status_label(e.status));
                });
                clicks.note(&row.response(), e.record);
            });
        });
    clicks.apply(chart);
}
