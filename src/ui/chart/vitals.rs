//! 温度板: days across with the newest at the right edge (the last 7 days of the stay, or of the
//! record, in view; drag or scroll for more), temperature and pulse as lines on the conventional
//! scales (T 35–41 ℃ on the left, P 40–160 /分 on the right: 1 ℃ = 20 beats), blood pressure as
//! a bar from diastolic to systolic on the pulse scale, and every reading in a table below
//! (respiration, SpO2, weight, IN/OUT too), newest first.

use super::ChartState;
use super::labs::x_of;
use crate::chart::{Sign, VitalsBoard};
use crate::ui::{format, theme};
use egui::RichText;
use egui_extras::Column;
use egui_plot::{AxisHints, HPlacement, Line, Plot, PlotPoints, Points};

/// Temperature scale bottom and the pulse value drawn at it; 1 ℃ = 20 /分.
const T0: f64 = 35.0;
const P0: f64 = 40.0;
const P_PER_T: f64 = 20.0;
/// Days in view when the tab opens.
const DAYS: f64 = 7.0;

fn p_to_t(p: f64) -> f64 {
    T0 + (p - P0) / P_PER_T
}

fn when(x: f64) -> String {
    chrono::DateTime::from_timestamp((x * 86_400.0) as i64, 0)
        .map(|d| d.naive_utc().format("%m/%d %H:%M").to_string())
        .unwrap_or_default()
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let c = &chart.data.chart;
    let board = c.vitals();
    if board.is_empty() {
        ui.colored_label(pal.muted, "バイタルサインの記録はありません");
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("最新").strong());
        ui.label(board.latest_line());
        ui.colored_label(pal.muted, format!("（{}）", format::ts(board.newest())));
    });
    // The last 7 days of the stay the patient is in, else of the record.
    let end = c
        .current_stay()
        .and(c.reference_time())
        .or(board.newest())
        .map(x_of)
        .unwrap_or_default();
    let start = c
        .current_stay()
        .and_then(|s| s.since)
        .map(x_of)
        .map_or(end - DAYS, |s| s.max(end - DAYS));
    let height = (ui.available_height() * 0.55).clamp(220.0, 420.0);
    plot(ui, board, start.min(end - 1.0), end + 0.25, height);
    ui.add_space(6.0);
    table(ui, board);
}

fn plot(ui: &mut egui::Ui, board: &VitalsBoard, from: f64, to: f64, height: f32) {
    let temp = egui::Color32::from_rgb(30, 90, 220);
    let pulse = egui::Color32::from_rgb(210, 40, 40);
    let bp = if ui.visuals().dark_mode {
        egui::Color32::from_gray(210)
    } else {
        egui::Color32::from_gray(60)
    };
    let t_points: Vec<[f64; 2]> = board
        .points(Sign::Temperature)
        .iter()
        .map(|p| [x_of(p.time), p.value])
        .collect();
    let p_points: Vec<[f64; 2]> = board
        .points(Sign::Pulse)
        .iter()
        .map(|p| [x_of(p.time), p_to_t(p.value)])
        .collect();
    // Blood pressure: systolic and diastolic of one reading share its time.
    let dia = board.points(Sign::Diastolic);
    let bars: Vec<(f64, f64, f64)> = board
        .points(Sign::Systolic)
        .iter()
        .filter_map(|s| {
            dia.iter()
                .find(|d| d.time == s.time)
                .map(|d| (x_of(s.time), p_to_t(d.value), p_to_t(s.value)))
        })
        .collect();
    Plot::new("vitals")
        .height(height)
        .default_x_bounds(from, to)
        .default_y_bounds(34.5, 43.0)
        // Days move; the scales never do (a scrolled-away temperature axis reads as a value).
        .allow_scroll([true, false])
        .allow_drag([true, false])
        .allow_zoom([true, false])
        .allow_boxed_zoom(false)
        .x_axis_formatter(|m, _| when(m.value))
        .custom_y_axes(vec![
            AxisHints::new_y().label("体温 ℃").formatter(|m, _| {
                if (35.0..=41.0).contains(&m.value) {
                    format!("{:.0}", m.value)
                } else {
                    String::new()
                }
            }),
            AxisHints::new_y()
                .label("脈拍 /分・血圧 mmHg")
                .placement(HPlacement::Right)
                .formatter(|m, _| format!("{:.0}", P0 + (m.value - T0) * P_PER_T)),
        ])
        .label_formatter(|pos| {
            let p = match pos {
                egui_plot::HoverPosition::NearDataPoint { position, .. } => position,
                egui_plot::HoverPosition::Elsewhere { position } => position,
            };
            Some(format!(
                "{}\n体温目盛 {:.1} ℃ ／ 脈拍・血圧目盛 {:.0}",
                when(p.x),
                p.y,
                P0 + (p.y - T0) * P_PER_T
            ))
        })
        .show(ui, |plot| {
            // Only what is in view (and one point either side, so lines reach the edges): a
            // 60-day stay measured 6 times a day is a thousand items otherwise, every frame.
            let b = plot.plot_bounds();
            let (lo, hi) = (b.min()[0], b.max()[0]);
            let visible = |pts: &[[f64; 2]]| -> Vec<[f64; 2]> {
                let first = pts.iter().position(|p| p[0] >= lo).unwrap_or(pts.len());
                let last = pts.iter().rposition(|p| p[0] <= hi).map_or(0, |i| i + 1);
                let from = first.saturating_sub(1);
                let to = (last + 1).min(pts.len());
                if from < to {
                    pts[from..to].to_vec()
                } else {
                    Vec::new()
                }
            };
            for (x, dlo, dhi) in bars.iter().filter(|(x, _, _)| *x >= lo && *x <= hi) {
                plot.line(
                    Line::new("血圧", PlotPoints::new(vec![[*x, *dlo], [*x, *dhi]]))
                        .color(bp)
                        .width(4.0),
                );
            }
            for (name, pts, color, shape) in [
                ("体温", visible(&t_points), temp, egui_plot::MarkerShape::Circle),
                ("脈拍", visible(&p_points), pulse, egui_plot::MarkerShape::Square),
            ] {
                // One item per segment avoids the miter spikes of sharp turns; many segments
                // are drawn as one line instead.
                if pts.len() <= 120 {
                    for w in pts.windows(2) {
                        plot.line(
                            Line::new(name, PlotPoints::new(w.to_vec()))
                                .color(color)
                                .width(2.0),
                        );
                    }
                } else {
                    plot.line(
                        Line::new(name, PlotPoints::new(pts.clone()))
                            .color(color)
                            .width(2.0),
                    );
                }
                plot.points(
                    Points::new(name, PlotPoints::new(pts))
                        .radius(4.0)
                        .shape(shape)
                        .color(color),
                );
            }
        });
    ui.horizontal(|ui| {
        ui.colored_label(temp, "● 体温（左目盛 ℃）");
        ui.colored_label(pulse, "■ 脈拍（右目盛 /分）");
        ui.colored_label(bp, "┃ 血圧 拡張期〜収縮期（右目盛 mmHg）");
    });
}

/// Every reading time, newest first, with one column per sign.
fn table(ui: &mut egui::Ui, board: &VitalsBoard) {
    // Every row of the board but height, which is not a ward observation.
    let cols: Vec<Sign> = Sign::ALL.into_iter().filter(|s| *s != Sign::Height).collect();
    let mut times: Vec<crate::model::Timestamp> = board
        .series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.time))
        .collect();
    times.sort();
    times.dedup();
    times.reverse();
    let cell = |sign: Sign, t: crate::model::Timestamp| -> String {
        board
            .points(sign)
            .iter()
            .rev()
            .find(|p| p.time == t)
            .map(|p| p.shown(sign))
            .unwrap_or_default()
    };
    let row_h = theme::BODY + 10.0;
    let mut b = egui_extras::TableBuilder::new(ui)
        .id_salt("vitals-table")
        .striped(true)
        .column(Column::exact(150.0));
    for _ in &cols {
        b = b.column(Column::exact(80.0));
    }
    b.header(row_h, |mut h| {
        h.col(|ui| {
            ui.strong("日時");
        });
        for &s in &cols {
            h.col(|ui| {
                ui.strong(s.label_ja()).on_hover_text(s.unit_ja());
            });
        }
    })
    .body(|body| {
        body.rows(row_h, times.len(), |mut row| {
            let Some(&t) = times.get(row.index()) else { return };
            row.col(|ui| {
                ui.label(RichText::new(format::ts(Some(t))).monospace());
            });
            for &s in &cols {
                row.col(|ui| {
                    ui.label(cell(s, t));
                });
            }
        });
    });
}
