//! アレルギー: every allergy record, drug allergies first, with severity, reaction and onset;
//! removed and cancelled entries stay visible (struck through) because they were once stated.

use super::{ChartState, status_label};
use crate::model::{AllergyCategory, Clinical, RecordStatus};
use crate::ui::{fonts, format, theme};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    let mut rows = d.allergy_rows.clone();
    // Current first, then drug allergies first; the sort is stable so newest stays first.
    rows.sort_by_key(|&i| {
        let r = &d.records[i];
        let drug = matches!(&r.data, Clinical::Allergy(a) if a.category == AllergyCategory::Drug);
        (r.status != RecordStatus::Current, !drug)
    });
    match &d.allergies {
        super::data::AllergyStrip::NoData => {
            ui.label(RichText::new("アレルギーの記録はありません（記録なし: 確認されていない可能性があります）").color(pal.warn));
        }
        super::data::AllergyStrip::NoneKnown => {
            ui.label("記録上、アレルギーはありません（アレルギー情報なし）");
        }
        super::data::AllergyStrip::List(items) => {
            ui.label(format!("現在のアレルギー {} 件", items.len()));
        }
    }
    if rows.is_empty() {
        return;
    }
    let row_h = theme::BODY + 12.0;
    let mut source = None;
    TableBuilder::new(ui)
        .id_salt("allergies")
        .striped(true)
        .column(Column::exact(70.0))
        .column(Column::auto().at_least(220.0).clip(true))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(180.0).clip(true))
        .column(Column::exact(110.0))
        .column(Column::exact(110.0))
        .column(Column::exact(70.0))
        .column(Column::remainder().at_least(90.0))
        .header(row_h, |mut h| {
            for t in ["分類", "アレルゲン", "重症度", "症状", "発症", "記録日", "状態", ""] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(&i) = rows.get(row.index()) else { return };
                let r = &d.records[i];
                let Clinical::Allergy(a) = &r.data else { return };
                let gone = a.removed || r.status != RecordStatus::Current;
                let drug = a.category == AllergyCategory::Drug;
                row.col(|ui| {
                    ui.label(a.category.label_ja());
                });
                row.col(|ui| {
                    let name = if a.none_known {
                        format!("なし（{}）", a.allergen.display())
                    } else {
                        a.allergen.display().to_string()
                    };
                    let t = RichText::new(name).font(fonts::bold(theme::BODY));
                    let t = if gone {
                        t.strikethrough().color(pal.muted)
                    } else if drug && !a.none_known {
                        t.color(pal.danger)
                    } else {
                        t
                    };
                    ui.label(t);
                });
                row.col(|ui| {
                    ui.label(a.severity.as_ref().map(|s| s.display()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(&a.reaction).on_hover_text(&a.reaction);
                });
                row.col(|ui| {
                    let onset = if a.onset.is_some() {
                        format::day(a.onset)
                    } else {
                        a.onset_text.clone()
                    };
                    ui.label(onset);
                });
                row.col(|ui| {
                    ui.label(format::day(a.recorded_at));
                });
                row.col(|ui| {
                    let s = if a.removed { "削除" } else { status_label(r.status) };
                    ui.colored_label(pal.warn, s);
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
