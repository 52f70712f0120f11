//! 検査: the cumulative table (tests down, dates across, newest on the left, H red / L blue, with
//! units and ranges) and a trend plot of one test over its reference range band.
//!
//! The table pages through dates a screenful at a time instead of laying out hundreds of columns,
//! and its rows are virtualised, so a 10,000-result patient costs the same per frame as a small one.

use super::ChartState;
use super::data::flag_of;
use crate::model::AbnormalFlag;
use crate::ui::{fonts, format, theme};
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points, Span};

const DATES_PER_PAGE: usize = 8;

#[derive(Default)]
pub struct LabsState {
    /// First date column shown (0 = newest).
    first_date: usize,
    /// The test plotted (row index), if the plot is shown.
    plot: Option<usize>,
    filter: String,
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let d = &chart.data;
    let st = &mut chart.labs;
    let t = &d.labs;
    if t.tests.is_empty() {
        ui.colored_label(theme::palette(ui).muted, "検体検査の結果はありません");
        return;
    }
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(st.plot.is_none(), "累積表").clicked() {
            st.plot = None;
        }
        let label = match st.plot.and_then(|i| t.tests.get(i)) {
            Some(r) => format!("グラフ: {}", r.name),
            None => "グラフ".into(),
        };
        egui::ComboBox::from_label("の推移")
            .selected_text(label)
            .height(480.0)
            .show_ui(ui, |ui| {
                for (i, r) in t.tests.iter().enumerate() {
                    if r.series.is_empty() {
                        continue;
                    }
                    if ui.selectable_label(st.plot == Some(i), &r.name).clicked() {
                        st.plot = Some(i);
                    }
                }
            });
        if st.plot.is_none() {
            ui.separator();
            let l = ui.label("項目で絞り込み:");
            ui.add(egui::TextEdit::singleline(&mut st.filter).desired_width(160.0))
                .labelled_by(l.id);
        }
    });
    ui.add_space(4.0);
    match st.plot {
        Some(i) => plot(ui, d, i),
        None => table(ui, d, st),
    }
}

fn value_text(ui: &egui::Ui, l: &crate::model::LabResult) -> RichText {
    let pal = theme::palette(ui);
    let flag = flag_of(l);
    let mut s = l.value.clone();
    if let Some(f) = flag {
        s.push(' ');
        s.push_str(f.mark());
    }
    let t = RichText::new(s);
    match flag {
        Some(AbnormalFlag::High | AbnormalFlag::CriticalHigh) => t.color(pal.high).font(fonts::bold(theme::BODY)),
        Some(AbnormalFlag::Low | AbnormalFlag::CriticalLow) => t.color(pal.low).font(fonts::bold(theme::BODY)),
        Some(AbnormalFlag::Abnormal) => t.color(pal.warn).font(fonts::bold(theme::BODY)),
        _ => t,
    }
}

fn table(ui: &mut egui::Ui, d: &super::ChartData, st: &mut LabsState) {
    let t = &d.labs;
    let total = t.times.len();
    st.first_date = st.first_date.min(total.saturating_sub(1));
    let cols: Vec<usize> = (st.first_date..(st.first_date + DATES_PER_PAGE).min(total)).collect();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(st.first_date > 0, egui::Button::new("← 新しい日付"))
            .clicked()
        {
            st.first_date = st.first_date.saturating_sub(DATES_PER_PAGE);
        }
        ui.label(format!(
            "{}〜{} 回目 / 全 {} 回（左が新しい）",
            st.first_date + 1,
            st.first_date + cols.len(),
            total
        ));
        if ui
            .add_enabled(st.first_date + DATES_PER_PAGE < total, egui::Button::new("古い日付 →"))
            .clicked()
        {
            st.first_date += DATES_PER_PAGE;
        }
    });
    let needle = st.filter.trim().to_lowercase();
    let rows: Vec<usize> = (0..t.tests.len())
        .filter(|&i| needle.is_empty() || t.tests[i].name.to_lowercase().contains(&needle))
        .collect();
    let pal = theme::palette(ui);
    let row_h = theme::BODY + 12.0;
    let mut chosen = None;
    let mut builder = TableBuilder::new(ui)
        .id_salt(("labs", st.first_date))
        .striped(true)
        .column(Column::exact(190.0).clip(true))
        .column(Column::exact(80.0).clip(true))
        .column(Column::exact(110.0).clip(true));
    for _ in &cols {
        builder = builder.column(Column::exact(108.0).clip(true));
    }
    builder
        .column(Column::remainder())
        .header(row_h + 4.0, |mut h| {
            for s in ["検査項目", "単位", "基準値"] {
                h.col(|ui| {
                    ui.strong(s);
                });
            }
            for &c in &cols {
                h.col(|ui| {
                    let when = t.times.get(c).copied();
                    let label = match when {
                        Some(w) if w.has_time() => w.value().format("%Y-%m-%d\n%H:%M").to_string(),
                        w => format::day(w),
                    };
                    ui.label(RichText::new(label).strong().size(theme::BODY - 2.0));
                });
            }
            h.col(|_| {});
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(&ri) = rows.get(row.index()) else { return };
                let r = &t.tests[ri];
                row.col(|ui| {
                    let b = ui
                        .add(egui::Button::new(RichText::new(&r.name).strong()).frame(false))
                        .on_hover_text("クリックでグラフ表示");
                    if b.clicked() {
                        chosen = Some(ri);
                    }
                });
                row.col(|ui| {
                    ui.colored_label(pal.muted, &r.unit);
                });
                row.col(|ui| {
                    ui.colored_label(pal.muted, &r.range);
                });
                for &c in &cols {
                    row.col(|ui| {
                        if let Some(l) = r.cells.get(&c).and_then(|&i| d.lab(i)) {
                            let resp = ui.label(value_text(ui, l));
                            if !l.comments.is_empty() {
                                resp.on_hover_text(l.comments.join("\n"));
                            }
                        }
                    });
                }
                row.col(|_| {});
            });
        });
    if let Some(i) = chosen {
        st.plot = Some(i);
    }
}

/// Days since 1970 as the x axis, so dates are evenly spaced by time.
fn x_of(t: crate::model::Timestamp) -> f64 {
    t.value().and_utc().timestamp() as f64 / 86_400.0
}

fn date_of(x: f64) -> String {
    chrono::DateTime::from_timestamp((x * 86_400.0) as i64, 0)
        .map(|d| d.naive_utc().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn plot(ui: &mut egui::Ui, d: &super::ChartData, i: usize) {
    let Some(r) = d.labs.tests.get(i) else { return };
    let pal = theme::palette(ui);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&r.name).font(fonts::bold(theme::BODY + 3.0)));
        ui.label(format!("単位 {}", if r.unit.is_empty() { "なし" } else { &r.unit }));
        if !r.range.is_empty() {
            ui.label(format!("基準値 {}", r.range));
        }
        ui.label(format!("{} 点", r.series.len()));
        if let Some((t, v)) = r.series.last() {
            ui.label(format!("最新 {} （{}）", v, format::day(Some(*t))));
        }
    });
    if r.series.is_empty() {
        ui.colored_label(pal.muted, "数値の結果がないためグラフにできません");
        return;
    }
    let points: Vec<[f64; 2]> = r.series.iter().map(|(t, v)| [x_of(*t), *v]).collect();
    let unit = r.unit.clone();
    let line_color = if ui.visuals().dark_mode {
        egui::Color32::from_rgb(120, 190, 255)
    } else {
        egui::Color32::from_rgb(20, 70, 170)
    };
    Plot::new(("trend", i))
        .legend(Legend::default())
        .height(ui.available_height().max(240.0))
        .x_axis_formatter(|m, _| date_of(m.value))
        .y_axis_label(unit)
        .label_formatter(|pos| {
            let p = match pos {
                egui_plot::HoverPosition::NearDataPoint { position, .. } => position,
                egui_plot::HoverPosition::Elsewhere { position } => position,
            };
            Some(format!("{}\n{:.2}", date_of(p.x), p.y))
        })
        .show(ui, |p| {
            if let (Some(lo), Some(hi)) = (r.range_low, r.range_high)
                && lo <= hi
            {
                p.span(
                    Span::new("基準範囲", lo..=hi)
                        .axis(egui_plot::Axis::Y)
                        .fill(pal.ok.gamma_multiply(0.18))
                        .border_color(pal.ok),
                );
            }
            p.line(
                Line::new(r.name.clone(), PlotPoints::new(points.clone()))
                    .color(line_color)
                    .width(2.5),
            );
            p.points(
                Points::new("値", PlotPoints::new(points))
                    .radius(4.5)
                    .color(line_color)
                    .filled(true),
            );
        });
}
