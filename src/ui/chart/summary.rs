//! 概要: what a doctor reads first, on one page: active problems, current medications, the latest
//! labs with H/L marks, recent encounters.

use super::ChartState;
use super::data::flag_of;
use crate::model::{AbnormalFlag, Clinical, RecordStatus};
use crate::ui::{fonts, format, theme};
use egui::RichText;

const RECENT_ENCOUNTERS: usize = 6;
const LATEST_LABS: usize = 24;

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let mut jump = None;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        let d = &chart.data;
        ui.columns(2, |cols| {
            // Left: problems and medications.
            let ui = &mut cols[0];
            heading(ui, "現在の病名");
            let active: Vec<usize> = d
                .diagnoses
                .iter()
                .copied()
                .filter(|&i| {
                    d.records[i].status == RecordStatus::Current
                        && matches!(&d.records[i].data, Clinical::Diagnosis(x) if x.is_active())
                })
                .collect();
            if active.is_empty() {
                ui.colored_label(pal.muted, "記録なし");
            }
            for i in active {
                if let Clinical::Diagnosis(x) = &d.records[i].data {
                    let mut s = x.name.clone();
                    if x.suspected && !s.contains("疑い") {
                        s.push_str("（疑い）");
                    }
                    if x.main {
                        s.push_str("【主】");
                    }
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(s).strong());
                        ui.colored_label(pal.muted, format::day(x.onset.or(x.diagnosed)));
                    });
                }
            }
            ui.add_space(10.0);
            heading(ui, "現在の処方・注射");
            let mut any = false;
            for g in d.active_meds() {
                any = true;
                let first = g.lines.first().and_then(|&i| d.med(i));
                let mut head = String::new();
                if let Some(m) = first {
                    head.push_str(m.kind.label_ja());
                }
                if !g.rp.is_empty() {
                    head.push_str(&format!(" Rp{}", g.rp));
                }
                head.push_str(&format!(" {}〜", format::day(g.start)));
                if let Some(e) = g.end {
                    head.push_str(&e.format("%Y-%m-%d").to_string());
                }
                ui.colored_label(pal.muted, head);
                for &i in &g.lines {
                    if let Some(m) = d.med(i) {
                        let mut s = m.drug.display().to_string();
                        if let Some(q) = &m.dose {
                            s.push_str(&format!("　{}", q.display()));
                        }
                        let dosage = m.dosage_text();
                        if !dosage.is_empty() {
                            s.push_str(&format!("　{dosage}"));
                        }
                        if let Some(r) = &m.rate {
                            s.push_str(&format!("　速度 {}", r.display()));
                        }
                        ui.label(RichText::new(s).strong());
                    }
                }
            }
            if !any {
                ui.colored_label(pal.muted, "データ基準日時に有効な処方・注射はありません");
            }

            // Right: labs and encounters.
            let ui = &mut cols[1];
            heading(ui, "最新の検査結果");
            let mut shown = 0;
            if let Some(&newest) = d.labs.times.first() {
                ui.colored_label(pal.muted, format!("採取 {}", format::ts(Some(newest))));
            }
            egui::Grid::new("latest-labs").striped(true).show(ui, |ui| {
                for row in &d.labs.tests {
                    // The latest value of each test, whenever it was taken.
                    let Some((&col, &i)) = row.cells.iter().min_by_key(|(c, _)| **c) else {
                        continue;
                    };
                    if shown >= LATEST_LABS {
                        break;
                    }
                    let Some(l) = d.lab(i) else { continue };
                    shown += 1;
                    ui.label(&row.name);
                    let flag = flag_of(l);
                    let mut v = l.value.clone();
                    if let Some(f) = flag {
                        v.push_str(&format!(" {}", f.mark()));
                    }
                    let color = match flag {
                        Some(AbnormalFlag::High | AbnormalFlag::CriticalHigh) => Some(pal.high),
                        Some(AbnormalFlag::Low | AbnormalFlag::CriticalLow) => Some(pal.low),
                        Some(AbnormalFlag::Abnormal) => Some(pal.warn),
                        _ => None,
                    };
                    let t = RichText::new(v).strong();
                    ui.label(if let Some(c) = color { t.color(c) } else { t });
                    ui.label(&row.unit);
                    let when = d.labs.times.get(col).map(|t| format::day(Some(*t))).unwrap_or_default();
                    ui.colored_label(pal.muted, when);
                    ui.end_row();
                }
            });
            if shown == 0 {
                ui.colored_label(pal.muted, "記録なし");
            }
            ui.add_space(10.0);
            heading(ui, "最近の受診・入退院");
            let mut n = 0;
            for &i in &d.encounters {
                let r = &d.records[i];
                if r.status != RecordStatus::Current {
                    continue;
                }
                if let Clinical::Encounter(e) = &r.data {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(format::day(r.date())).monospace());
                        ui.label(e.summary());
                    });
                    n += 1;
                    if n >= RECENT_ENCOUNTERS {
                        break;
                    }
                }
            }
            if n == 0 {
                ui.colored_label(pal.muted, "記録なし");
            }
            if ui.button("すべての記録を経過で見る").clicked() {
                jump = Some(super::Tab::Timeline);
            }
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
