//! 経過: every record by date, newest first, with kind, date range and text filters. The filtered
//! list is rebuilt only when a filter changes; rows are virtualised.

use super::{ChartState, status_label};
use crate::model::{RecordKind, RecordStatus};
use crate::search::{filter_date, normalize};
use crate::ui::{format, keys, theme};
use egui::RichText;
use egui_extras::Column;
use std::collections::BTreeSet;

const DATE_FORMS: &str = "日付の書き方: 2026-11-20、11/20、R8.11.20、令和8年11月20日";

#[derive(Default)]
pub struct TimelineState {
    text: String,
    from: String,
    to: String,
    /// Kinds hidden by the user (empty: all shown).
    hidden: BTreeSet<RecordKind>,
    show_old: bool,
    /// The kinds this patient has, for the kind filter (made once).
    kinds: Option<BTreeSet<RecordKind>>,
    /// Summaries in the search normalisation (width, case, kana), made on first use of the
    /// text filter.
    summaries: Option<Vec<String>>,
    rows: Vec<usize>,
    key: Option<(String, String, String, BTreeSet<RecordKind>, bool)>,
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    let records = d.records();
    let st = &mut chart.timeline;
    let kinds = st
        .kinds
        .get_or_insert_with(|| records.iter().map(|r| r.kind()).collect())
        .clone();
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("文字で絞り込み:");
        let field = ui
            .add(egui::TextEdit::singleline(&mut st.text).desired_width(200.0))
            .labelled_by(l.id);
        keys::filter_esc(ui.ctx(), &field, &mut st.text);
        let l = ui.label("期間:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut st.from)
                    .hint_text("開始日")
                    .desired_width(120.0),
            )
            .labelled_by(l.id)
            .on_hover_text(DATE_FORMS);
        keys::filter_esc(ui.ctx(), &field, &mut st.from);
        ui.label("〜");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut st.to)
                    .hint_text("終了日")
                    .desired_width(120.0),
            )
            .on_hover_text(format!("終了日（この日を含む）。{DATE_FORMS}"));
        keys::filter_esc(ui.ctx(), &field, &mut st.to);
        ui.checkbox(&mut st.show_old, "取消・旧版も表示");
        let shown = kinds.iter().filter(|k| !st.hidden.contains(k)).count();
        egui::ComboBox::from_label("種類で絞り込み")
            .selected_text(format!("{shown}/{} 表示", kinds.len()))
            .show_ui(ui, |ui| {
                if ui.button("すべて表示").clicked() {
                    st.hidden.clear();
                }
                for k in &kinds {
                    let mut on = !st.hidden.contains(k);
                    if ui.checkbox(&mut on, k.label_ja()).changed() {
                        if on {
                            st.hidden.remove(k);
                        } else {
                            st.hidden.insert(*k);
                        }
                    }
                }
            });
    });
    let key = (
        st.text.clone(),
        st.from.clone(),
        st.to.clone(),
        st.hidden.clone(),
        st.show_old,
    );
    let reference = chart.data.chart.as_of().map(|t| t.date());
    let from = filter_date::parse(&st.from, reference);
    let to = filter_date::parse(&st.to, reference);
    for (typed, parsed) in [(&st.from, from), (&st.to, to)] {
        if parsed.is_err() {
            ui.colored_label(
                pal.danger,
                format!(
                    "「{}」は日付として読めません（この条件は使っていません）。{DATE_FORMS}",
                    typed.trim()
                ),
            );
        }
    }
    if st.key.as_ref() != Some(&key) {
        let needle = normalize(st.text.trim());
        if !needle.is_empty() && st.summaries.is_none() {
            st.summaries = Some(records.iter().map(|r| normalize(&r.summary())).collect());
        }
        let from = from.ok().flatten();
        let to = to.ok().flatten();
        st.rows = d
            .timeline
            .iter()
            .copied()
            .filter(|&i| {
                let r = &records[i];
                // Records whose version was lost (状態不明) are shown: hiding them would hide
                // most of a cut disc; their status column says what they are.
                let old = matches!(r.status, RecordStatus::Superseded | RecordStatus::Cancelled);
                if !st.show_old && old {
                    return false;
                }
                if st.hidden.contains(&r.kind()) {
                    return false;
                }
                let day = r.date().map(|t| t.date());
                if from.is_some_and(|f| day.is_none_or(|x| x < f))
                    || to.is_some_and(|t| day.is_none_or(|x| x > t))
                {
                    return false;
                }
                needle.is_empty()
                    || st
                        .summaries
                        .as_ref()
                        .and_then(|s| s.get(i))
                        .is_some_and(|s| s.contains(&needle))
            })
            .collect();
        st.key = Some(key);
    }
    ui.label(format!("{} 件（全 {} 件）", st.rows.len(), records.len()));

    let rows = &st.rows;
    let mut clicks = super::RowClicks::default();
    let selected = chart.selected;
    let row_h = theme::BODY + 12.0;
    super::record_table(ui, "timeline")
        .column(Column::exact(170.0))
        .column(Column::exact(190.0))
        .column(Column::remainder().clip(true))
        .column(Column::exact(100.0))
        .header(row_h, |mut h| {
            for t in ["日時", "種類", "内容", "状態"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, rows.len(), |mut row| {
                let Some(&i) = rows.get(row.index()) else { return };
                row.set_selected(selected == Some(i));
                let r = &records[i];
                row.col(|ui| {
                    let t = RichText::new(format::ts(r.date())).monospace();
                    if chart.data.chart.is_after_data_time(i) {
                        ui.label(t.color(pal.warn))
                            .on_hover_text("データ基準日時より後の記録（予定、または日付の誤り）");
                    } else {
                        ui.label(t);
                    }
                });
                row.col(|ui| {
                    ui.label(r.kind().label_ja());
                });
                row.col(|ui| {
                    let s = r.summary();
                    ui.label(&s).on_hover_text(&s);
                });
                row.col(|ui| {
                    if chart.data.chart.is_after_data_time(i)
                        && r.status == crate::model::RecordStatus::Current
                    {
                        ui.colored_label(pal.warn, "基準日時後");
                    } else {
                        ui.colored_label(pal.warn, status_label(r.status));
                    }
                });
                clicks.note(&row.response(), i);
            });
        });
    clicks.apply(chart);
}
