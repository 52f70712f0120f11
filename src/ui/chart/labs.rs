//! 検査: the cumulative table (tests down, collection times across, newest on the left, H red /
//! L blue, with units and ranges) and a trend plot of one test over its reference range band.
//!
//! The table pages through dates a screenful at a time instead of laying out hundreds of columns,
//! and its rows are virtualised, so a 10,000-result patient costs the same per frame as a small one.

use super::ChartState;
use crate::chart::LabSeries;
use crate::model::AbnormalFlag;
use crate::search::lab_alias::LabFilter;
use crate::ui::{fonts, format, theme};
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Corner, Legend, Line, Plot, PlotPoints, Points, Span};

/// Above this many days the trend line is one polyline again (cheaper, rougher corners).
const MAX_SEGMENTS: usize = 3000;

/// Width of one date column; the page holds as many as fit the window.
const DATE_COL: f32 = 108.0;

#[derive(Default)]
pub struct LabsState {
    /// First date column shown (0 = newest).
    first_date: usize,
    /// The test plotted, if the plot is shown; its series is made once when chosen.
    plot: Option<LabSeries>,
    /// A second test drawn on the same plot (Cr with K), with its own reference band.
    overlay: Option<LabSeries>,
    range: super::trend_range::TrendRange,
    filter: String,
    /// Rows passing the filter, for the filter text they were made for.
    rows: Option<(String, Vec<usize>)>,
}

/// A value coloured by its flag: H red, L blue, other abnormal in the warning colour.
pub fn flag_text(pal: &theme::Palette, text: String, flag: Option<AbnormalFlag>) -> RichText {
    let t = RichText::new(text);
    match flag {
        Some(AbnormalFlag::High | AbnormalFlag::CriticalHigh) => {
            t.color(pal.high).font(fonts::bold(theme::BODY))
        }
        Some(AbnormalFlag::Low | AbnormalFlag::CriticalLow) => {
            t.color(pal.low).font(fonts::bold(theme::BODY))
        }
        Some(AbnormalFlag::Abnormal) => t.color(pal.warn).font(fonts::bold(theme::BODY)),
        _ => t,
    }
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let t = chart.data.chart.labs();
    let st = &mut chart.labs;
    if t.rows.is_empty() {
        ui.colored_label(theme::palette(ui).muted, "検体検査の結果はありません");
        return;
    }
    let mut choose = None;
    let mut choose_overlay: Option<Option<String>> = None;
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(st.plot.is_none(), "累積表").clicked() {
            st.plot = None;
            st.overlay = None;
        }
        let label = match &st.plot {
            Some(s) => s.name.clone(),
            None => "（項目を選ぶ）".into(),
        };
        egui::ComboBox::from_label("の推移グラフ")
            .selected_text(label)
            .height(480.0)
            .show_ui(ui, |ui| {
                for r in &t.rows {
                    if r.cells.iter().all(|c| c.number.is_none()) {
                        continue;
                    }
                    let on = st.plot.as_ref().is_some_and(|s| s.key == r.key);
                    if ui.selectable_label(on, &r.name).clicked() {
                        choose = Some(r.key.clone());
                    }
                }
            });
        if st.plot.is_some() {
            let label = match &st.overlay {
                Some(s) => s.name.clone(),
                None => "（なし）".into(),
            };
            egui::ComboBox::from_label("を重ねる")
                .selected_text(label)
                .height(480.0)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(st.overlay.is_none(), "（なし）").clicked() {
                        choose_overlay = Some(None);
                    }
                    for r in &t.rows {
                        if r.cells.iter().all(|c| c.number.is_none())
                            || st.plot.as_ref().is_some_and(|s| s.key == r.key)
                        {
                            continue;
                        }
                        let on = st.overlay.as_ref().is_some_and(|s| s.key == r.key);
                        if ui.selectable_label(on, &r.name).clicked() {
                            choose_overlay = Some(Some(r.key.clone()));
                        }
                    }
                });
        }
        if st.plot.is_none() {
            ui.separator();
            let l = ui.label("項目で絞り込み:");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut st.filter)
                        .hint_text("例 CRP、Cr、K、ｸﾚｱ")
                        .desired_width(160.0),
                )
                .labelled_by(l.id)
                .on_hover_text("項目名の一部、または略号（CRP・Cr・K・Na・Hb・PLT・WBC・AST・ALT・eGFR・BNP・HbA1c・Glu）。Esc で消去");
            crate::ui::keys::filter_esc(ui.ctx(), &field, &mut st.filter);
            crate::ui::clipboard::copy_button(
                ui,
                "表示中の検査項目の全日付をタブ区切りでコピー",
                || crate::ui::clipboard::labs_tsv(t, filtered(t, st)),
            );
        }
    });
    ui.add_space(4.0);
    let now = chart.data.chart.reference_time();
    let stay_since = chart.data.chart.current_stay().and_then(|s| s.since);
    if st.plot.is_none() {
        choose = table(ui, t, st).or(choose);
    } else if let Some(s) = &st.plot {
        if let Some(r) = super::trend_range::bar(ui, st.range, stay_since) {
            st.range = r;
        }
        let bounds = st.range.bounds(now, stay_since);
        plot(ui, s, st.overlay.as_ref(), bounds);
    }
    if let Some(key) = choose {
        st.plot = t.series(&key);
        if st.overlay.as_ref().map(|o| &o.key) == Some(&key) {
            st.overlay = None;
        }
    }
    if let Some(o) = choose_overlay {
        st.overlay = o.and_then(|key| t.series(&key));
    }
}

/// The rows passing the item filter (see [`LabFilter`]), made again when the text changes.
fn filtered<'a>(t: &crate::chart::LabTable, st: &'a mut LabsState) -> &'a [usize] {
    if st.rows.as_ref().is_none_or(|r| r.0 != st.filter) {
        let f = LabFilter::new(&st.filter);
        let rows = (0..t.rows.len())
            .filter(|&i| f.matches(&t.rows[i].name, &t.rows[i].key))
            .collect();
        st.rows = Some((st.filter.clone(), rows));
    }
    st.rows.as_ref().map(|r| r.1.as_slice()).unwrap_or(&[])
}

/// Draws the table; returns the key of a test whose name was clicked.
fn table(ui: &mut egui::Ui, t: &crate::chart::LabTable, st: &mut LabsState) -> Option<String> {
    let total = t.columns.len();
    let spacing = ui.spacing().item_spacing.x;
    let fixed = 200.0 + 84.0 + 120.0 + 4.0 * spacing + 20.0;
    let per_page = (((ui.available_width() - fixed) / (DATE_COL + spacing)).floor() as usize).clamp(1, 16);
    st.first_date = st.first_date.min(total.saturating_sub(1));
    let cols: Vec<usize> = (st.first_date..(st.first_date + per_page).min(total)).collect();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(st.first_date > 0, egui::Button::new("← 新しい日付"))
            .clicked()
        {
            st.first_date = st.first_date.saturating_sub(per_page);
        }
        ui.label(format!(
            "{}〜{} 回目 / 全 {} 回（左が新しい）",
            st.first_date + 1,
            st.first_date + cols.len(),
            total
        ));
        if ui
            .add_enabled(st.first_date + per_page < total, egui::Button::new("古い日付 →"))
            .clicked()
        {
            st.first_date += per_page;
        }
    });
    let first_date = st.first_date;
    let rows = filtered(t, st);
    let pal = theme::palette(ui);
    let row_h = theme::BODY + 12.0;
    let mut chosen = None;
    let mut builder = TableBuilder::new(ui)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .id_salt(("labs", first_date))
        .striped(true)
        .column(Column::exact(200.0).clip(true))
        .column(Column::exact(84.0).clip(true))
        .column(Column::exact(120.0).clip(true));
    for _ in &cols {
        builder = builder.column(Column::exact(DATE_COL).clip(true));
    }
    builder
        .column(Column::remainder())
        .header(row_h + 18.0, |mut h| {
            for s in ["検査項目", "単位", "基準値"] {
                h.col(|ui| {
                    ui.strong(s);
                });
            }
            for &c in &cols {
                h.col(|ui| {
                    // Two labels, not one with a newline: table cells truncate to one line.
                    let when = t.columns.get(c).and_then(|c| c.time);
                    ui.vertical(|ui| {
                        ui.spacing_mut().item_spacing.y = 0.0;
                        let small = |s: String| RichText::new(s).strong().size(theme::BODY - 1.0);
                        match when {
                            Some(w) => {
                                ui.label(small(w.value().format("%Y-%m-%d").to_string()));
                                if w.has_time() {
                                    ui.label(small(w.value().format("%H:%M").to_string()));
                                }
                            }
                            None => {
                                ui.label(small("日時不明".into()));
                            }
                        }
                    });
                });
            }
            h.col(|_| {});
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(r) = rows.get(row.index()).and_then(|&i| t.rows.get(i)) else {
                    return;
                };
                row.col(|ui| {
                    let b = ui
                        .add(egui::Button::new(RichText::new(&r.name).strong()).frame(false))
                        .on_hover_text(if r.group.is_empty() {
                            "クリックで推移グラフ".to_string()
                        } else {
                            format!("{}　クリックで推移グラフ", r.group)
                        });
                    if b.clicked() {
                        chosen = Some(r.key.clone());
                    }
                });
                row.col(|ui| {
                    ui.colored_label(pal.muted, &r.unit).on_hover_text(&r.unit);
                });
                row.col(|ui| {
                    ui.colored_label(pal.muted, &r.range);
                });
                for &c in &cols {
                    row.col(|ui| {
                        if let Some(cell) = r.cell(c) {
                            let mut v = cell.value.clone();
                            if !cell.mark().is_empty() {
                                v.push(' ');
                                v.push_str(cell.mark());
                            }
                            ui.label(flag_text(&pal, v, cell.flag));
                        }
                    });
                }
                row.col(|_| {});
            });
        });
    chosen
}

/// Days since 1970 as the x axis, so dates are spaced by time, not by count.
/// A time on a plot's day axis (days since the epoch); shared by the trend plot and the 温度板.
pub(super) fn x_of(t: crate::model::Timestamp) -> f64 {
    t.value().and_utc().timestamp() as f64 / 86_400.0
}

fn date_of(x: f64) -> String {
    chrono::DateTime::from_timestamp((x * 86_400.0) as i64, 0)
        .map(|d| d.naive_utc().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The trend of `s` (and `overlay`, in its own colour with its own band), opening on `bounds`.
fn plot(ui: &mut egui::Ui, s: &LabSeries, overlay: Option<&LabSeries>, bounds: Option<(f64, f64)>) {
    let pal = theme::palette(ui);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&s.name).font(fonts::bold(theme::BODY + 3.0)));
        ui.label(format!(
            "単位 {}",
            if s.unit.is_empty() { "なし" } else { &s.unit }
        ));
        match (s.low, s.high) {
            (Some(l), Some(h)) => ui.label(format!("基準範囲 {l}〜{h}（緑の帯）")),
            (Some(l), None) => ui.label(format!("基準 {l} 以上")),
            (None, Some(h)) => ui.label(format!("基準 {h} 以下")),
            (None, None) => ui.label("基準範囲なし"),
        };
        ui.label(format!("{} 点", s.points.len()));
        if let Some(p) = s.points.last() {
            ui.label(RichText::new(format!("最新 {} （{}）", p.value, format::day(Some(p.time)))).strong());
        }
    });
    if s.points.is_empty() {
        ui.colored_label(pal.muted, "数値の結果がないためグラフにできません");
        return;
    }
    let points: Vec<[f64; 2]> = s.points.iter().map(|p| [x_of(p.time), p.value]).collect();
    // The line joins one value per day (the day's last): several collections within hours
    // draw a vertical zigzag that egui strokes as spikes. The points still show every value.
    let mut daily: Vec<[f64; 2]> = Vec::new();
    let mut last_day = None;
    for (p, xy) in s.points.iter().zip(&points) {
        let day = p.time.date();
        match daily.last_mut() {
            Some(last) if last_day == Some(day) => *last = *xy,
            _ => daily.push(*xy),
        }
        last_day = Some(day);
    }
    // Neutral line and points, so H (red) and L (blue) stand out.
    let line_color = if ui.visuals().dark_mode {
        egui::Color32::from_gray(220)
    } else {
        egui::Color32::from_gray(40)
    };
    let high: Vec<[f64; 2]> = s
        .points
        .iter()
        .filter(|p| matches!(p.flag, Some(AbnormalFlag::High | AbnormalFlag::CriticalHigh)))
        .map(|p| [x_of(p.time), p.value])
        .collect();
    let low: Vec<[f64; 2]> = s
        .points
        .iter()
        .filter(|p| matches!(p.flag, Some(AbnormalFlag::Low | AbnormalFlag::CriticalLow)))
        .map(|p| [x_of(p.time), p.value])
        .collect();
    // A new id per span and overlay, so a new choice opens on its own bounds. The legend sits
    // top left: the newest values are on the right.
    let id = (
        "trend",
        s.key.as_str(),
        overlay.map(|o| o.key.as_str()),
        bounds.map(|(a, b)| (a.to_bits(), b.to_bits())),
    );
    let mut plot = Plot::new(id).legend(Legend::default().position(Corner::LeftTop));
    if let Some((from, to)) = bounds {
        plot = plot.default_x_bounds(from, to);
    }
    if let Some(o) = overlay {
        for bound in [o.low, o.high].into_iter().flatten() {
            plot = plot.include_y(bound);
        }
    }
    let overlay_color = egui::Color32::from_rgb(0xd9, 0x7a, 0x00);
    // Keep the reference band in view even when every value lies outside it.
    for bound in [s.low, s.high].into_iter().flatten() {
        plot = plot.include_y(bound);
    }
    plot.height(ui.available_height().max(240.0))
        .x_axis_formatter(|m, _| date_of(m.value))
        .y_axis_label(s.unit.clone())
        .label_formatter(|pos| {
            let p = match pos {
                egui_plot::HoverPosition::NearDataPoint { position, .. } => position,
                egui_plot::HoverPosition::Elsewhere { position } => position,
            };
            Some(format!("{}\n{:.2}", date_of(p.x), p.y))
        })
        .show(ui, |p| {
            if let (Some(lo), Some(hi)) = (s.low, s.high)
                && lo <= hi
            {
                p.span(
                    Span::new("基準範囲", lo..=hi)
                        .axis(egui_plot::Axis::Y)
                        .fill(pal.ok.gamma_multiply(0.18))
                        .border_color(pal.ok),
                );
            }
            // One item per segment: egui strokes a polyline's sharp turns as spikes (miter
            // joins), which read as false peaks. Segments share the name, so one legend entry.
            if daily.len() <= MAX_SEGMENTS {
                for w in daily.windows(2) {
                    p.line(
                        Line::new(s.name.clone(), PlotPoints::new(w.to_vec()))
                            .color(line_color)
                            .width(1.5)
                            .allow_band(false),
                    );
                }
            } else {
                p.line(
                    Line::new(s.name.clone(), PlotPoints::new(daily))
                        .color(line_color)
                        .width(1.5),
                );
            }
            p.points(
                Points::new("値", PlotPoints::new(points))
                    .radius(4.5)
                    .color(line_color)
                    .filled(true),
            );
            if !high.is_empty() {
                p.points(
                    Points::new("H（高値）", PlotPoints::new(high))
                        .radius(6.0)
                        .color(pal.high)
                        .filled(true),
                );
            }
            if !low.is_empty() {
                p.points(
                    Points::new("L（低値）", PlotPoints::new(low))
                        .radius(6.0)
                        .color(pal.low)
                        .filled(true),
                );
            }
            if let Some(o) = overlay {
                let name = if o.unit.is_empty() {
                    o.name.clone()
                } else {
                    format!("{}（{}）", o.name, o.unit)
                };
                if let (Some(lo), Some(hi)) = (o.low, o.high)
                    && lo <= hi
                {
                    p.span(
                        Span::new(format!("{} 基準範囲", o.name), lo..=hi)
                            .axis(egui_plot::Axis::Y)
                            .fill(overlay_color.gamma_multiply(0.12))
                            .border_color(overlay_color),
                    );
                }
                let pts: Vec<[f64; 2]> = o.points.iter().map(|p| [x_of(p.time), p.value]).collect();
                p.line(
                    Line::new(name.clone(), PlotPoints::new(pts.clone()))
                        .color(overlay_color)
                        .width(1.5),
                );
                p.points(
                    Points::new(name, PlotPoints::new(pts))
                        .radius(4.0)
                        .color(overlay_color)
                        .filled(true),
                );
            }
        });
}
