//! 処方・注射: orders grouped by Rp (drug, dose, dosage text, days, start and end; injections
//! with their rate). Current orders by default; past, cancelled and superseded on demand.

use super::{ChartState, status_label};
use crate::model::{OrderKind, RecordStatus};
use crate::ui::{fonts, format, theme};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

#[derive(Default)]
pub struct MedsState {
    show_past: bool,
    show_old: bool,
    kind: Option<OrderKind>,
    /// (group, line) pairs shown, rebuilt when a filter changes.
    rows: Vec<(usize, usize)>,
    key: Option<(bool, bool, Option<OrderKind>)>,
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    let st = &mut chart.meds;
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut st.show_past, "終了した処方も表示");
        ui.checkbox(&mut st.show_old, "取消・旧版も表示");
        ui.separator();
        for (k, label) in [
            (None, "すべて"),
            (Some(OrderKind::Prescription), "処方"),
            (Some(OrderKind::Injection), "注射"),
        ] {
            if ui.selectable_label(st.kind == k, label).clicked() {
                st.kind = k;
            }
        }
    });
    let key = (st.show_past, st.show_old, st.kind);
    if st.key != Some(key) {
        st.rows.clear();
        for (g, group) in d.meds.iter().enumerate() {
            if group.status != RecordStatus::Current && !st.show_old {
                continue;
            }
            if group.status == RecordStatus::Current && !group.active && !st.show_past {
                continue;
            }
            for (n, &line) in group.lines.iter().enumerate() {
                if let Some(k) = st.kind
                    && d.med(line).is_none_or(|m| m.kind != k)
                {
                    continue;
                }
                st.rows.push((g, n));
            }
        }
        st.key = Some(key);
    }
    let active = d.meds.iter().filter(|g| g.active).count();
    ui.label(format!(
        "有効な Rp {active} 件（データ基準日時 {} 時点）　表示 {} 行",
        format::ts(d.as_of),
        st.rows.len()
    ));
    if st.rows.is_empty() {
        ui.colored_label(
            pal.muted,
            if d.meds.is_empty() {
                "処方・注射の記録はありません"
            } else {
                "有効な処方・注射はありません（「終了した処方も表示」で過去の処方を表示）"
            },
        );
    }

    let rows = &st.rows;
    let row_h = theme::BODY + 12.0;
    let mut source = None;
    TableBuilder::new(ui)
        .id_salt("meds")
        .striped(true)
        .column(Column::exact(60.0))
        .column(Column::exact(56.0))
        .column(Column::auto().at_least(220.0).clip(true))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(200.0).clip(true))
        .column(Column::exact(60.0))
        .column(Column::exact(110.0))
        .column(Column::exact(110.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::exact(60.0))
        .column(Column::remainder().at_least(90.0))
        .header(row_h, |mut h| {
            for t in ["区分", "Rp", "薬剤", "1回量", "用法", "日数", "開始", "終了", "速度", "状態", ""] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(&(g, n)) = rows.get(row.index()) else { return };
                let Some(group) = d.meds.get(g) else { return };
                let Some(&i) = group.lines.get(n) else { return };
                let Some(m) = d.med(i) else { return };
                let first = n == 0;
                let status = d.records[i].status;
                let strike = status != RecordStatus::Current;
                let text = |s: String| {
                    let t = RichText::new(s);
                    if strike { t.strikethrough().color(pal.muted) } else { t }
                };
                row.col(|ui| {
                    if first {
                        ui.label(m.kind.label_ja());
                    }
                });
                row.col(|ui| {
                    if first && !group.rp.is_empty() {
                        let r = ui.label(format!("Rp{}", group.rp));
                        if !group.order_no.is_empty() {
                            r.on_hover_text(format!("オーダ番号 {}", group.order_no));
                        }
                    }
                });
                row.col(|ui| {
                    let t = text(m.drug.display().to_string());
                    let t = if group.active { t.font(fonts::bold(theme::BODY)) } else { t };
                    ui.label(t).on_hover_text(m.summary());
                });
                row.col(|ui| {
                    ui.label(text(m.dose.as_ref().map(|q| q.display()).unwrap_or_default()));
                });
                row.col(|ui| {
                    let s = m.dosage_text();
                    ui.label(text(s.clone())).on_hover_text(s);
                });
                row.col(|ui| {
                    ui.label(text(m.days.map(|x| format!("{x}日")).unwrap_or_default()));
                });
                row.col(|ui| {
                    ui.label(text(format::day(m.start.or(m.ordered_at))));
                });
                row.col(|ui| {
                    let end = m
                        .end
                        .map(|t| format::day(Some(t)))
                        .or_else(|| group.end.map(|e| e.format("%Y-%m-%d").to_string()))
                        .unwrap_or_default();
                    ui.label(text(end));
                });
                row.col(|ui| {
                    ui.label(text(m.rate.as_ref().map(|q| q.display()).unwrap_or_default()));
                });
                row.col(|ui| {
                    let s = status_label(status);
                    if !s.is_empty() {
                        ui.colored_label(pal.warn, s);
                    } else if group.active {
                        ui.colored_label(pal.ok, "有効");
                    }
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
