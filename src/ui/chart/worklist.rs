//! 投薬・注射: the patient's worklist at the data time — running now, due in the next 24 hours,
//! given in the last 48 hours (see `chart::worklist` for the rules).

use super::ChartState;
use crate::chart::{DUE_HOURS, GIVEN_HOURS};
use crate::ui::{fonts, format, theme};
use egui::RichText;

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let c = &chart.data.chart;
    let w = c.worklist();
    let mut open = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!("データ基準日時 {} 時点", format::ts(c.as_of()))).color(pal.muted),
            );
            for a in c.medication_alerts() {
                ui.label(
                    RichText::new(format!("！ {}", a.text))
                        .font(fonts::bold(theme::BODY))
                        .color(pal.danger),
                );
            }
            heading(ui, &format!("実施中の注射・点滴（{}）", w.running.len()));
            if w.running.is_empty() {
                ui.colored_label(pal.muted, "なし");
            }
            for m in &w.running {
                ui.horizontal_wrapped(|ui| {
                    let r = ui.label(RichText::new(&m.drug).font(fonts::bold(theme::BODY)));
                    if r.double_clicked() {
                        open = Some(m.record);
                    }
                    ui.label(format!("{} {}", m.dose, m.how_ja()));
                    ui.colored_label(
                        pal.muted,
                        format!(
                            "{}〜{}　{}",
                            format::ts(m.start),
                            m.until.map(|u| u.to_string()).unwrap_or_default(),
                            m.activity.label_ja()
                        ),
                    );
                });
            }
            heading(ui, &format!("これから{DUE_HOURS}時間の予定（{}）", w.due.len()));
            if w.due.is_empty() {
                ui.colored_label(pal.muted, "なし");
            }
            for d in &w.due {
                ui.horizontal_wrapped(|ui| {
                    let t = d
                        .time
                        .map(|t| t.value().format("%m/%d %H:%M").to_string())
                        .unwrap_or_else(|| "時刻不明".into());
                    ui.label(RichText::new(t).monospace().strong());
                    ui.label(RichText::new(d.what_ja()).font(fonts::bold(theme::BODY)));
                    ui.label(format!("{} {}", d.dose, d.how));
                    ui.colored_label(pal.muted, &d.note);
                });
            }
            heading(
                ui,
                &format!("直近{GIVEN_HOURS}時間の実施記録（{}）", w.given.len()),
            );
            if w.given.is_empty() {
                ui.colored_label(pal.muted, "なし");
            }
            for g in &w.given {
                ui.horizontal_wrapped(|ui| {
                    let span = match g.end {
                        Some(e) => format!("{}〜{}", format::ts(g.start), e.value().format("%H:%M")),
                        None => format::ts(g.start),
                    };
                    ui.label(RichText::new(span).monospace());
                    ui.label(RichText::new(&g.drug).strong());
                    for s in [&g.amount, &g.rate] {
                        if !s.is_empty() {
                            ui.label(s);
                        }
                    }
                    ui.colored_label(pal.muted, format!("{}　{}", g.status, g.who));
                });
            }
        });
    if let Some(r) = open {
        chart.show_source(r);
    }
}

fn heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(text).font(fonts::bold(theme::BODY + 2.0)));
    ui.separator();
}
