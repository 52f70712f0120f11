//! The header, always visible once a snapshot is open: which snapshot, its data time and age
//! (warning colour when old), the ingest summary, navigation and display settings.

use super::app::{LifeboatApp, Screen};
use super::{fonts, format, theme};
use egui::RichText;

pub fn show(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let Some(index) = app.snapshot.clone() else { return };
    let pal = theme::palette(ui);
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Lifeboat").font(fonts::bold(theme::BODY + 2.0)));
        ui.label(RichText::new(index.name()).font(fonts::bold(theme::BODY)))
            .on_hover_text(
                app.roots
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        ui.separator();
        as_of(ui, index.as_of(), &pal);
        ui.separator();
        super::header_freshness::show(app, ui);
        if let Some(trust) = &app.pack_trust {
            super::header_trust::show(trust, ui);
        }
        ui.separator();
        let r = index.report();
        ui.label(file_counts_ja(r));
        let problems = r.problems.len() as u64 + r.omitted_total();
        let label = format!("問題一覧（{}件）", format::count(problems));
        let button = if r.files_rejected > 0 {
            egui::Button::new(RichText::new(label).color(pal.warn))
        } else {
            egui::Button::new(label)
        };
        if ui.add(button).clicked() {
            app.problems.open = !app.problems.open;
        }
        ui.separator();
        if let Some(op) = app.operator.clone() {
            ui.label(format!("利用者: {}", op.label()));
            if ui.button("利用者の交代").clicked() {
                app.sign_out();
            }
        }
    });
    // Once, above everything else: on this media a cancelled order may look like any other.
    if let Some(warning) = index.report().media_warning() {
        ui.label(
            RichText::new(format!("！ {warning}"))
                .color(pal.danger)
                .font(fonts::bold(theme::BODY)),
        );
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .selectable_label(app.screen == Screen::Search, "患者検索 (Ctrl+F)")
            .clicked()
        {
            app.go_search();
        }
        if ui
            .selectable_label(app.screen == Screen::Census, "病棟一覧")
            .clicked()
        {
            app.screen = Screen::Census;
        }
        if let Some(c) = &app.chart {
            let name = c.title();
            if ui
                .selectable_label(app.screen == Screen::Chart, format!("カルテ: {name}"))
                .clicked()
            {
                app.screen = Screen::Chart;
            }
        }
        if ui
            .selectable_label(app.screen == Screen::Open, "スナップショットを開く")
            .clicked()
        {
            app.screen = Screen::Open;
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            display_controls(app, ui);
        });
    });
    if let Some((ok, text)) = app.printing.message.clone() {
        ui.horizontal_wrapped(|ui| {
            let color = if ok { pal.ok } else { pal.danger };
            ui.colored_label(color, text);
            if let Some(name) = app.printing.operator()
                && ui.small_button(format!("印刷者 {name}・保存先を変更")).clicked()
            {
                app.printing.edit_settings();
            }
            if ui.small_button("閉じる").clicked() {
                app.printing.message = None;
            }
        });
    }
    // The 印刷 dialog floats over whichever screen asked to print.
    app.printing.show_prompt(ui.ctx());
    ui.add_space(2.0);
}

/// "データ基準日時 2011-12-20 22:44（3日前）", in a warning box when stale or unknown.
fn as_of(ui: &mut egui::Ui, as_of: Option<crate::model::Timestamp>, pal: &theme::Palette) {
    let Some(t) = as_of else {
        egui::Frame::new()
            .fill(pal.warn_bg)
            .inner_margin(egui::Margin::symmetric(6, 2))
            .show(ui, |ui| {
                ui.label(RichText::new("データ基準日時: 不明").color(pal.warn).strong());
            });
        return;
    };
    let age_days = (format::now() - t.value()).num_days();
    let text = format!(
        "データ基準日時 {}（{}）",
        format::ts(Some(t)),
        format::ago(t.value(), format::now())
    );
    if age_days >= theme::STALE_AFTER_DAYS {
        egui::Frame::new()
            .fill(pal.warn_bg)
            .inner_margin(egui::Margin::symmetric(6, 2))
            .show(ui, |ui| {
                ui.label(
                    RichText::new(format!("注意 {text}"))
                        .color(pal.warn)
                        .font(fonts::bold(theme::BODY)),
                );
            })
            .response
            .on_hover_text(format!(
                "データが{}日以上前のものです。最新の情報ではない可能性があります。",
                theme::STALE_AFTER_DAYS
            ));
    } else {
        ui.label(RichText::new(text).font(fonts::bold(theme::BODY)));
    }
}

fn display_controls(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let dark = app.settings.mode == theme::Mode::Dark;
    if ui
        .button(if dark { "明るい表示" } else { "暗い表示" })
        .on_hover_text("表示の明暗を切り替えます")
        .clicked()
    {
        app.settings.mode = if dark {
            theme::Mode::Light
        } else {
            theme::Mode::Dark
        };
        theme::apply(&app.ctx, app.settings.mode);
        app.save_settings();
    }
    let zoom = app.ctx.zoom_factor();
    if ui.button("文字 大").on_hover_text("拡大 (Ctrl +)").clicked() {
        app.ctx.set_zoom_factor((zoom + 0.1).min(3.0));
    }
    ui.label(format!("{:.0}%", zoom * 100.0));
    if ui.button("文字 小").on_hover_text("縮小 (Ctrl -)").clicked() {
        app.ctx.set_zoom_factor((zoom - 0.1).max(0.5));
    }
}

/// `ファイル 1,234（取込 1,200・警告あり 30・取込不可 4・未対応 0）`: the four kinds add up to
/// the total, in the words and numbers of the 問題一覧 window, so that header and window agree.
pub(crate) fn file_counts_ja(r: &crate::report::IngestReport) -> String {
    format!(
        "ファイル {}（取込 {}・警告あり {}・取込不可 {}・未対応 {}）",
        format::count(r.files_total),
        format::count(r.files_mapped),
        format::count(r.files_with_warnings),
        format::count(r.files_rejected),
        format::count(r.files_unsupported)
    )
}

/// Across the top of every screen of a drill snapshot: 訓練用データ, in the warning colours.
pub fn drill_banner(ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    egui::Frame::new()
        .fill(pal.warn_bg)
        .inner_margin(egui::Margin::symmetric(8, 3))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(crate::chart::mode::DRILL_NOTE_JA)
                    .color(pal.warn)
                    .font(fonts::bold(theme::BODY + 1.0)),
            );
        });
}
