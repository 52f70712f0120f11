//! The ingest problem list: every file that was rejected or read with warnings, virtualised so a
//! snapshot with 100,000 problem lines scrolls as fast as one with ten.

use super::app::LifeboatApp;
use super::{format, theme};
use crate::report::{MAX_LISTED_PROBLEMS, Severity};
use egui_extras::{Column, TableBuilder};

#[derive(Default)]
pub struct ProblemsState {
    pub open: bool,
    filter: String,
    errors_only: bool,
    /// Indices into the report's problems that pass the filter, rebuilt when the filter changes.
    shown: Option<(String, bool, Vec<usize>)>,
}

pub fn window(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let Some(index) = app.snapshot.clone() else { return };
    let report = index.report();
    let mut open = app.problems.open;
    egui::Window::new("取込時の問題一覧")
        .open(&mut open)
        .default_size([1000.0, 560.0])
        .resizable(true)
        .show(ui.ctx(), |ui| {
            let state = &mut app.problems;
            ui.label(format!(
                "ファイル {} 件: 取込 {}・警告あり {}・取込不可 {}・未対応 {}",
                report.files_total,
                report.files_mapped,
                report.files_with_warnings,
                report.files_rejected,
                report.files_unsupported
            ));
            if report.omitted_total() > 0 {
                ui.colored_label(
                    theme::palette(ui).warn,
                    format!(
                        "問題が多いため一部のみ表示しています（種類ごとに先頭 {} 件まで）。ほか {} 件は件数のみ記録: エラー {}・警告 {}・情報 {}",
                        format::count(MAX_LISTED_PROBLEMS as u64),
                        format::count(report.omitted_total()),
                        format::count(report.omitted(Severity::Error)),
                        format::count(report.omitted(Severity::Warning)),
                        format::count(report.omitted(Severity::Info)),
                    ),
                );
            }
            ui.horizontal(|ui| {
                let l = ui.label("絞り込み:");
                let field = ui
                    .add(egui::TextEdit::singleline(&mut state.filter).desired_width(280.0))
                    .labelled_by(l.id);
                super::keys::filter_esc(ui.ctx(), &field, &mut state.filter);
                ui.checkbox(&mut state.errors_only, "エラーのみ");
            });
            let stale = match &state.shown {
                Some((f, e, _)) => *f != state.filter || *e != state.errors_only,
                None => true,
            };
            if stale {
                let needle = state.filter.to_lowercase();
                let rows = report
                    .problems
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !state.errors_only || p.severity == Severity::Error)
                    .filter(|(_, p)| {
                        needle.is_empty()
                            || p.path.to_lowercase().contains(&needle)
                            || p.message.to_lowercase().contains(&needle)
                            || p.message_ja().to_lowercase().contains(&needle)
                    })
                    .map(|(i, _)| i)
                    .collect();
                state.shown = Some((state.filter.clone(), state.errors_only, rows));
            }
            let rows: &[usize] = state.shown.as_ref().map(|s| s.2.as_slice()).unwrap_or(&[]);
            ui.label(format!("{} 件", rows.len()));
            let pal = theme::palette(ui);
            let row_h = theme::BODY + 10.0;
            TableBuilder::new(ui)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .id_salt("problems")
                .striped(true)
                .resizable(true)
                .column(Column::initial(360.0).clip(true))
                .column(Column::initial(160.0).clip(true))
                .column(Column::initial(80.0))
                .column(Column::remainder().clip(true))
                .header(row_h, |mut h| {
                    for t in ["ファイル", "場所", "重要度", "内容"] {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_h, rows.len(), |mut row| {
                        let Some(p) = rows.get(row.index()).and_then(|&i| report.problems.get(i)) else {
                            return;
                        };
                        row.col(|ui| {
                            ui.label(&p.path).on_hover_text(&p.path);
                        });
                        row.col(|ui| {
                            ui.label(&p.place);
                        });
                        row.col(|ui| {
                            let c = match p.severity {
                                Severity::Error => pal.danger,
                                Severity::Warning => pal.warn,
                                Severity::Info => pal.muted,
                            };
                            ui.colored_label(c, p.severity.label_ja());
                        });
                        row.col(|ui| {
                            // Japanese where a template knows the kind; the English as sent on hover.
                            ui.label(p.message_ja()).on_hover_text(&p.message);
                        });
                    });
                });
        });
    // Esc that the filter did not use closes the window before it can reach the chart.
    if open && super::keys::take_esc(ui.ctx()) {
        open = false;
    }
    app.problems.open = open;
}
