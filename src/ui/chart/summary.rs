//! 概要: what a doctor reads first, on one page: active problems, current medications, the latest
//! labs with H/L marks, recent encounters.

use super::ChartState;
use crate::model::{AbnormalFlag, RecordStatus};
use crate::ui::{fonts, format, theme};
use egui::RichText;

const RECENT_ENCOUNTERS: usize = 8;
const LATEST_LABS: usize = 16;

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let mut jump = None;
    let c = &chart.data.chart;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |cols| {
                let ui = &mut cols[0];
                heading(ui, "現在の病名");
                let problems = c.problems();
                if problems.active.is_empty() {
                    ui.colored_label(pal.muted, "記録なし");
                }
                for p in &problems.active {
                    ui.horizontal_wrapped(|ui| {
                        let mut s = p.name.clone();
                        if p.main {
                            s.push_str("【主】");
                        }
                        ui.label(RichText::new(s).strong());
                        if p.since.is_some() {
                            ui.colored_label(pal.muted, format!("{}〜", format::day(p.since)));
                        }
                    });
                }
                ui.add_space(10.0);
                heading(ui, "現在の処方・注射");
                for a in c.medication_alerts() {
                    ui.label(
                        RichText::new(format!("！ {}", a.text))
                            .font(fonts::bold(theme::BODY))
                            .color(pal.danger),
                    );
                }
                for l in &c.allergy_check().limits {
                    ui.colored_label(pal.muted, l);
                }
                let meds = c.medications();
                if meds.active.is_empty() {
                    ui.colored_label(pal.muted, "データ基準日時に実施中の処方・注射はありません");
                }
                for m in &meds.active {
                    med_line(ui, &pal, m);
                }
                if !meds.unknown.is_empty() {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new("継続状況不明（終了日・日数の記録なし。元データで確認）")
                            .strong()
                            .color(pal.warn),
                    );
                    for m in &meds.unknown {
                        med_line(ui, &pal, m);
                    }
                }
                if !meds.planned.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("予定（データ基準日時より後に開始）").strong());
                    for m in &meds.planned {
                        med_line(ui, &pal, m);
                    }
                }

                ui.add_space(10.0);
                heading(ui, "最近の受診・入退院");
                let mut n = 0;
                for e in c.encounters() {
                    if e.status != RecordStatus::Current || e.cancellation {
                        continue;
                    }
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(format::day(e.time)).monospace());
                        ui.label(&e.label);
                    });
                    n += 1;
                    if n >= RECENT_ENCOUNTERS {
                        break;
                    }
                }
                if n == 0 {
                    ui.colored_label(pal.muted, "記録なし");
                }

                let ui = &mut cols[1];
                heading(ui, "最新の検査結果");
                let latest = c.labs().latest(LATEST_LABS);
                if latest.is_empty() {
                    ui.colored_label(pal.muted, "記録なし");
                }
                egui::Grid::new("latest-labs")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for l in &latest {
                            ui.label(&l.name);
                            let mut v = l.value.clone();
                            let mark = l.flag.map(AbnormalFlag::mark).unwrap_or("");
                            if !mark.is_empty() {
                                v.push_str(&format!(" {mark}"));
                            }
                            ui.label(super::labs::flag_text(&pal, v, l.flag));
                            ui.colored_label(pal.muted, &l.unit);
                            ui.colored_label(pal.muted, format::day(l.time));
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("すべての記録を経過で見る").clicked() {
                        jump = Some(super::Tab::Timeline);
                    }
                });
            });
        });
    if let Some(t) = jump {
        chart.tab = t;
    }
}

fn heading(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).font(fonts::bold(theme::BODY + 3.0)));
    ui.separator();
}

/// One order line: kind, state and setting, drug, dose, dosage with route and rate, until.
fn med_line(ui: &mut egui::Ui, pal: &theme::Palette, m: &crate::chart::ActiveMed) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("[{}・{}]", m.kind.label_ja(), m.state_ja())).color(pal.muted));
        ui.label(RichText::new(&m.drug).font(fonts::bold(theme::BODY)));
        let mut rest = Vec::new();
        for s in [m.dose.clone(), m.how_ja()] {
            if !s.is_empty() {
                rest.push(s);
            }
        }
        if let Some(u) = m.until {
            rest.push(format!("〜{}", u.format("%Y-%m-%d")));
        }
        ui.label(rest.join("　"));
    });
}
