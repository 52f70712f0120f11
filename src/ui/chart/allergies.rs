//! アレルギー: standing allergies (drugs first, in red), "none known" statements, and on demand
//! the removed, superseded and cancelled entries, struck through: they were once stated.

use super::{ChartState, status_label};
use crate::chart::AllergyStatus;
use crate::model::{AllergyCategory, Clinical};
use crate::ui::{fonts, format, theme};
use egui::RichText;
use egui_extras::Column;

/// One row: a standing item, a "none known" statement, or an inactive record.
enum Row<'a> {
    Item(&'a crate::chart::AllergyItem),
    Record(usize, bool),
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let c = &chart.data.chart;
    let v = c.allergies();
    match v.status {
        AllergyStatus::NoData => {
            ui.label(
                RichText::new(v.status.line_ja())
                    .font(fonts::bold(theme::BODY))
                    .color(pal.warn),
            );
        }
        AllergyStatus::NoneKnown => {
            ui.label(RichText::new(v.status.line_ja()).strong());
        }
        AllergyStatus::Known => {
            ui.label(format!(
                "アレルギー {} 件（うち薬剤 {} 件）",
                v.items.len(),
                v.drugs().count()
            ));
        }
    }
    ui.checkbox(&mut chart.show_old, "削除・取消・旧版も表示");
    let mut rows: Vec<Row> = v.items.iter().map(Row::Item).collect();
    rows.extend(v.none_known.iter().map(|&i| Row::Record(i, false)));
    if chart.show_old {
        rows.extend(v.inactive.iter().map(|&i| Row::Record(i, true)));
    }
    if rows.is_empty() {
        return;
    }
    let row_h = theme::BODY + 12.0;
    let mut clicks = super::RowClicks::default();
    let selected = chart.selected;
    super::record_table(ui, "allergies")
        .column(Column::exact(70.0))
        .column(Column::auto().at_least(220.0).clip(true))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(200.0).clip(true))
        .column(Column::auto().at_least(110.0))
        .column(Column::exact(110.0))
        .column(Column::exact(70.0))
        .header(row_h, |mut h| {
            for t in [
                "分類",
                "アレルゲン",
                "重症度",
                "症状",
                "発症",
                "記録日",
                "状態",
                "",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(r) = rows.get(row.index()) else { return };
                let (record, category, name, severity, reaction, onset, recorded, state, gone) = match r {
                    Row::Item(a) => (
                        a.record,
                        a.category,
                        a.allergen.clone(),
                        a.severity.clone(),
                        a.reaction.clone(),
                        a.onset.clone(),
                        a.recorded_at,
                        String::new(),
                        false,
                    ),
                    Row::Record(i, inactive) => {
                        let Some(rec) = c.record(*i) else { return };
                        let Clinical::Allergy(a) = &rec.data else { return };
                        let name = if a.none_known {
                            format!("なし（{}）", a.allergen.display())
                        } else {
                            a.allergen.display().to_string()
                        };
                        let state = if a.removed {
                            "削除".to_string()
                        } else {
                            status_label(rec.status).to_string()
                        };
                        (
                            *i,
                            a.category,
                            name,
                            a.severity
                                .as_ref()
                                .map(|s| s.display().to_string())
                                .unwrap_or_default(),
                            a.reaction.clone(),
                            a.onset
                                .map(|o| o.to_iso())
                                .unwrap_or_else(|| a.onset_text.clone()),
                            a.recorded_at,
                            state,
                            *inactive,
                        )
                    }
                };
                row.set_selected(selected == Some(record));
                let drug = category == AllergyCategory::Drug && matches!(r, Row::Item(_));
                row.col(|ui| {
                    ui.label(category.label_ja());
                });
                row.col(|ui| {
                    let t = RichText::new(name).font(fonts::bold(theme::BODY));
                    let t = if gone {
                        t.strikethrough().color(pal.muted)
                    } else if drug {
                        t.color(pal.danger)
                    } else {
                        t
                    };
                    ui.label(t);
                });
                row.col(|ui| {
                    ui.label(severity);
                });
                row.col(|ui| {
                    ui.label(&reaction).on_hover_text(&reaction);
                });
                row.col(|ui| {
                    ui.label(onset);
                });
                row.col(|ui| {
                    ui.label(format::day(recorded));
                });
                row.col(|ui| {
                    ui.colored_label(pal.warn, state);
                });
                clicks.note(&row.response(), record);
            });
        });
    clicks.apply(chart);
}
