//! 処方・注射: orders grouped by order and Rp (drug, dose, dosage text, days, start and end;
//! injections with their rate). Current orders by default; past, cancelled and superseded
//! versions on demand.

use super::ChartState;
use crate::chart::OrderState;
use crate::model::{OrderKind, RecordStatus};
use crate::ui::{fonts, format, theme};
use egui::RichText;
use egui_extras::Column;

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
    let view = chart.data.chart.medications();
    let st = &mut chart.meds;
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut st.show_past, "終了した処方・注射も表示");
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
        for (g, group) in view.groups.iter().enumerate() {
            if st.kind.is_some_and(|k| k != group.kind) {
                continue;
            }
            // Shown by default: what runs now, what may (不明), and what is planned.
            let any_line_open = group.lines.iter().any(|l| {
                matches!(
                    l.activity.state,
                    OrderState::Active | OrderState::Unknown | OrderState::Planned
                )
            });
            if !st.show_past && !any_line_open {
                continue;
            }
            for (n, line) in group.lines.iter().enumerate() {
                if !st.show_old && line.status != RecordStatus::Current {
                    continue;
                }
                st.rows.push((g, n));
            }
        }
        st.key = Some(key);
    }
    let alerts = chart.data.chart.medication_alerts();
    for a in &alerts {
        ui.label(
            RichText::new(format!("！ {}", a.text))
                .font(fonts::bold(theme::BODY))
                .color(pal.danger),
        );
    }
    ui.label(format!(
        "実施中 {} 剤・継続不明 {}・予定 {}（データ基準日時 {} 時点）　全 {} オーダ　表示 {} 行",
        view.active.len(),
        view.unknown.len(),
        view.planned.len(),
        format::ts(chart.data.chart.as_of()),
        view.groups.len(),
        st.rows.len()
    ));
    if st.rows.is_empty() {
        ui.colored_label(
            pal.muted,
            if view.groups.is_empty() {
                "処方・注射の記録はありません"
            } else {
                "実施中の処方・注射はありません（「終了した処方・注射も表示」で過去の分を表示）"
            },
        );
    }

    let rows = &st.rows;
    // The rate column only takes room when injections are listed.
    let any_injection = rows
        .iter()
        .any(|&(g, _)| view.groups.get(g).is_some_and(|g| g.kind == OrderKind::Injection));
    let row_h = theme::BODY + 12.0;
    // Drug names and dosages wrap instead of being cut: the cell is the point. Each row is as
    // tall as its longest wrapped cell, measured with the fonts the cells use.
    const FIXED: f32 = 110.0 + 90.0 + 150.0 + 90.0 + DOSAGE_W + 50.0 + 190.0;
    let rate_w = if any_injection { RATE_W } else { 0.0 };
    let gaps = 9.0 * ui.spacing().item_spacing.x;
    let drug_w = (ui.available_width() - FIXED - rate_w - gaps).max(DRUG_MIN_W);
    let color = ui.visuals().text_color();
    let heights: Vec<f32> = rows
        .iter()
        .map(|&(g, n)| {
            let Some(line) = view.groups.get(g).and_then(|g| g.lines.get(n)) else {
                return row_h;
            };
            let cells = [
                (line.drug.clone(), drug_w, fonts::bold(theme::BODY)),
                (how_text(line), DOSAGE_W, egui::FontId::proportional(theme::BODY)),
                (line.dose.clone(), 90.0, egui::FontId::proportional(theme::BODY)),
                (
                    line.rate.clone(),
                    rate_w.max(1.0),
                    egui::FontId::proportional(theme::BODY),
                ),
            ];
            cells
                .into_iter()
                .map(|(t, w, font)| {
                    let h = ui.fonts_mut(|f| f.layout(t, font, color, (w - 8.0).max(1.0)).size().y);
                    h + 12.0
                })
                .fold(row_h, f32::max)
        })
        .collect();
    let mut clicks = super::RowClicks::default();
    let selected = chart.selected;
    super::record_table(ui, "meds")
        .column(Column::exact(110.0))
        .column(Column::exact(90.0))
        .column(Column::remainder().at_least(DRUG_MIN_W))
        // The state right after the drug: at 130% text on a 1366 px screen the last columns
        // leave the window, and "running or not" must never be one of them.
        .column(Column::exact(150.0).clip(true))
        .column(Column::exact(90.0))
        .column(Column::exact(DOSAGE_W))
        .column(Column::exact(50.0))
        .column(Column::exact(190.0))
        .column(Column::exact(rate_w))
        .header(row_h, |mut h| {
            for t in [
                "オーダ日",
                "区分",
                "薬剤",
                "状態・区分",
                "1回量",
                "用法・経路",
                "日数",
                "期間",
                if any_injection { "速度" } else { "" },
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.heterogeneous_rows(heights.into_iter(), |mut row| {
                let Some(&(g, n)) = rows.get(row.index()) else {
                    return;
                };
                let Some(group) = view.groups.get(g) else { return };
                let Some(line) = group.lines.get(n) else { return };
                row.set_selected(selected == Some(line.record));
                let first = n == 0 || rows.get(row.index().wrapping_sub(1)).is_none_or(|p| p.0 != g);
                let gone = line.status != RecordStatus::Current || line.discontinued;
                let text = |s: String| {
                    let t = RichText::new(s);
                    if gone {
                        t.strikethrough().color(pal.muted)
                    } else {
                        t
                    }
                };
                row.col(|ui| {
                    if first {
                        ui.label(format::day(group.date)).on_hover_text(group.header());
                    }
                });
                row.col(|ui| {
                    if first {
                        let mut k = group.kind.label_ja().to_string();
                        if !group.rp.is_empty() {
                            k.push_str(&format!(" Rp{}", group.rp));
                        }
                        let r = ui.label(k);
                        if !group.order_no.is_empty() {
                            r.on_hover_text(format!("オーダ番号 {}", group.order_no));
                        }
                    }
                });
                row.col(|ui| {
                    let t = text(line.drug.clone());
                    let t = if line.active {
                        t.font(fonts::bold(theme::BODY))
                    } else {
                        t
                    };
                    wrapped(ui, t).on_hover_text(&line.drug);
                });
                row.col(|ui| {
                    let state = line.activity.state;
                    let color = match state {
                        OrderState::Active => pal.ok,
                        OrderState::Unknown | OrderState::Stopped | OrderState::Superseded => pal.warn,
                        OrderState::Planned => ui.visuals().text_color(),
                        OrderState::Ended => pal.muted,
                    };
                    let mut hover = format!("{}　{}", line.activity.label_ja(), line.setting.label_ja());
                    if !line.order_control.is_empty() {
                        hover.push_str(&format!("　オーダ制御・状態 {}", line.order_control));
                    }
                    ui.colored_label(
                        color,
                        format!("{}・{}", state.label_ja(), line.setting.short_ja()),
                    )
                    .on_hover_text(hover);
                });
                row.col(|ui| {
                    wrapped(ui, text(line.dose.clone()));
                });
                row.col(|ui| {
                    wrapped(ui, text(how_text(line)));
                });
                row.col(|ui| {
                    ui.label(text(line.days.map(|x| format!("{x}日")).unwrap_or_default()));
                });
                row.col(|ui| {
                    ui.label(text(period(line)));
                });
                row.col(|ui| {
                    let r = wrapped(ui, text(line.rate.clone()));
                    if !line.rate_as_sent.is_empty() {
                        r.on_hover_text(format!("送信時の表記: {}", line.rate_as_sent));
                    }
                });
                clicks.note(&row.response(), line.record);
            });
        });
    clicks.apply(chart);
}

const DRUG_MIN_W: f32 = 200.0;
const DOSAGE_W: f32 = 230.0;
const RATE_W: f32 = 90.0;

/// Dosage and route in one cell: `１日３回朝昼夕食後 経口`.
fn how_text(line: &crate::chart::OrderLine) -> String {
    [line.dosage.as_str(), line.route.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cell's text wrapped to the column, top-aligned so that a tall row reads from its top line.
fn wrapped(ui: &mut egui::Ui, text: RichText) -> egui::Response {
    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
        ui.add(egui::Label::new(text).wrap())
    })
    .inner
}

/// `2026-10-19〜2026-11-29`: the end as sent, else the last day the supplied days cover.
fn period(line: &crate::chart::OrderLine) -> String {
    let start = format::day(line.start);
    let end = match (line.end, line.start, line.days) {
        (Some(e), _, _) => format::day(Some(e)),
        (None, Some(s), Some(d)) if d > 0 => s
            .date()
            .checked_add_days(chrono::Days::new(u64::from(d - 1)))
            .map(|e| e.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        _ => String::new(),
    };
    if start.is_empty() && end.is_empty() {
        String::new()
    } else {
        format!("{start}〜{end}")
    }
}
