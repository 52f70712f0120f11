//! Opening a snapshot: folder or zip pickers, a typed path (the pickers can fail silently on a
//! bare machine), the recent list, and while reading a progress bar with a cancel button.

use super::app::LifeboatApp;
use super::jobs::Job;
use super::{fonts, format, theme};
use crate::progress::{Stage, format_duration};
use egui::RichText;
use std::path::PathBuf;

#[derive(Default)]
pub struct OpenState {
    pub typed: String,
    /// What is typed into the passphrase field of an encrypted pack (cleared once used).
    pub passphrase: String,
    pub error: Option<String>,
    /// A hint after the file dialog returned nothing.
    note: Option<String>,
    /// A file dialog running on its own thread (it blocks while open).
    picker: Option<Job<Option<PathBuf>>>,
}

pub fn show(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    if let Some(job) = &mut app.open.picker
        && let Some(result) = job.poll()
    {
        app.open.picker = None;
        match result {
            Some(path) => {
                app.open.typed = path.display().to_string();
                app.open.note = None;
                app.start_open(vec![path]);
            }
            // rfd says the same for "cancelled" and "no dialog available on this machine".
            None => app.open.note = Some(
                "選択されませんでした。ファイル選択の画面が出ない場合は、下の欄に場所を入力してください。"
                    .into(),
            ),
        }
    }
    let pal = theme::palette(ui);
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(12.0);
        ui.label(RichText::new("スナップショットを開く").font(fonts::bold(theme::BODY + 8.0)));
        ui.label("SS-MIX2 標準化ストレージ・FHIR のフォルダ、または ZIP ファイルを選んでください。データは読むだけで、書き換えません。");
        ui.add_space(10.0);

        if let Some((roots, job)) = &app.loading {
            let v = job.progress.view();
            let names: Vec<String> = roots.iter().map(|p| p.display().to_string()).collect();
            ui.label(RichText::new(format!("読み込み中: {}", names.join("、"))).font(fonts::bold(theme::BODY)));
            // Why the index is being built again (damaged, or the files changed).
            if let Some(note) = job.progress.note() {
                ui.colored_label(pal.warn, note);
            }
            ui.add(
                egui::ProgressBar::new(v.fraction())
                    .show_percentage()
                    .desired_width(ui.available_width().min(720.0)),
            );
            // While listing, the total is still growing: say how many were found so far.
            let mut line = if v.stage == Stage::Listing {
                format!(
                    "{}　{} ファイル（{:.1} MB）を確認",
                    v.stage.label_ja(),
                    format::count(v.files_total),
                    v.bytes_total as f64 / 1e6
                )
            } else {
                format!(
                    "{}　ファイル {}/{}　{:.1}/{:.1} MB",
                    v.stage.label_ja(),
                    format::count(v.files_done),
                    format::count(v.files_total),
                    v.bytes_done as f64 / 1e6,
                    v.bytes_total as f64 / 1e6
                )
            };
            if v.mb_per_s > 0.0 {
                line.push_str(&format!("　{:.1} MB/秒（{:.0} ファイル/秒）", v.mb_per_s, v.files_per_s));
            }
            match v.remaining {
                Some(r) => line.push_str(&format!("　残り約 {}", format_duration(r))),
                None => line.push_str(&format!("　経過 {}", format_duration(v.elapsed))),
            }
            ui.label(line);
            if ui.button("中止").clicked() {
                app.cancel_open();
            }
            ui.add_space(12.0);
        }
        if let Some((dir, _)) = app.locked.clone() {
            passphrase_box(app, ui, &dir);
        }
        if let Some(e) = &app.open.error {
            egui::Frame::new()
                .fill(pal.danger_bg)
                .inner_margin(8)
                .show(ui, |ui| {
                    let ja = error_ja(e);
                    let r = ui.colored_label(pal.danger, format!("開けませんでした: {ja}"));
                    if ja != *e {
                        r.on_hover_text(format!("詳細: {e}"));
                    }
                });
            ui.add_space(8.0);
        }

        ui.horizontal(|ui| {
            let busy = app.open.picker.is_some();
            if ui.add_enabled(!busy, egui::Button::new("フォルダを選ぶ…")).clicked() {
                app.open.picker = Some(Job::start(&app.ctx, false, |_| rfd::FileDialog::new().pick_folder()));
            }
            if ui.add_enabled(!busy, egui::Button::new("ZIP ファイルを選ぶ…")).clicked() {
                app.open.picker = Some(Job::start(&app.ctx, false, |_| {
                    rfd::FileDialog::new().add_filter("ZIP", &["zip", "ZIP"]).pick_file()
                }));
            }
            if busy {
                ui.label("ファイル選択の画面が開いています…");
            }
        });
        if let Some(n) = &app.open.note {
            ui.colored_label(pal.warn, n);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let l = ui.label("場所を入力:");
            let edit = ui.add(
                egui::TextEdit::singleline(&mut app.open.typed)
                    .hint_text("例: D:\\SS-MIX2 または /media/usb/export.zip（複数は ; で区切る）")
                    .desired_width((ui.available_width() - 90.0).min(900.0)),
            );
            let edit = edit.labelled_by(l.id);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("開く").clicked() || enter) && !app.open.typed.trim().is_empty() {
                let roots: Vec<PathBuf> = app
                    .open
                    .typed
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(PathBuf::from)
                    .collect();
                app.start_open(roots);
            }
        });

        ui.add_space(14.0);
        ui.label(RichText::new("最近開いたスナップショット").font(fonts::bold(theme::BODY + 2.0)));
        if app.settings.recent.is_empty() {
            ui.colored_label(pal.muted, "まだありません");
        }
        let mut chosen = None;
        for roots in &app.settings.recent {
            let text: Vec<String> = roots.iter().map(|p| p.display().to_string()).collect();
            let present = roots.iter().all(|p| p.exists());
            let label = if present {
                text.join(" ; ")
            } else {
                format!("{}（見つかりません）", text.join(" ; "))
            };
            if ui.add_enabled(present, egui::Button::new(label)).clicked() {
                chosen = Some(roots.clone());
            }
        }
        if let Some(roots) = chosen {
            app.start_open(roots);
        }
        if let Some(index) = &app.snapshot {
            ui.add_space(14.0);
            ui.label(format!(
                "現在開いているスナップショット: {}（患者 {} 名）",
                index.name(),
                format::count(index.patient_count() as u64)
            ));
            if ui.button("患者検索へ").clicked() {
                app.go_search();
            }
        }
    });
}

/// An opening error in Japanese for the common causes (the English text stays on hover and in
/// the log): a path that is not there, one that cannot be opened, a broken ZIP.
fn error_ja(e: &str) -> String {
    if let Some(path) = e
        .strip_suffix(": not a folder, zip archive or file")
        .or_else(|| e.strip_suffix(": not found"))
    {
        return format!("{path} が見つかりません（フォルダ・ZIP ファイルのどちらでもありません）");
    }
    if let Some((path, why)) = e.split_once(": cannot open: ") {
        return format!("{path} を開けません（{}）", io_ja(why));
    }
    if let Some((path, _)) = e.split_once(": unreadable zip archive: ") {
        return format!("{path} は読めない ZIP ファイルです（壊れているか、ZIP ではありません）");
    }
    e.to_string()
}

/// The common I/O failures as the OS words them (`Permission denied (os error 13)`).
fn io_ja(why: &str) -> String {
    let lower = why.to_ascii_lowercase();
    if lower.contains("permission denied") || lower.contains("access is denied") {
        "アクセス権がありません".into()
    } else if lower.contains("no such file") || lower.contains("cannot find") {
        "見つかりません".into()
    } else if lower.contains("input/output error") || lower.contains("i/o error") {
        "読み取りエラー（媒体の傷・接続不良の可能性）".into()
    } else {
        why.to_string()
    }
}

/// The passphrase field for an encrypted pack. The passphrase unlocks the pack key in memory
/// only; it is never stored.
fn passphrase_box(app: &mut LifeboatApp, ui: &mut egui::Ui, dir: &std::path::Path) {
    ui.label(RichText::new("暗号化されたメディアです").font(fonts::bold(theme::BODY)));
    ui.label(format!(
        "{} を開くにはパスフレーズを入力してください。",
        dir.display()
    ));
    let mut go = false;
    ui.horizontal(|ui| {
        let l = ui.label("パスフレーズ:");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut app.open.passphrase)
                    .password(true)
                    .desired_width(280.0),
            )
            .labelled_by(l.id);
        if !edit.has_focus() && app.open.passphrase.is_empty() {
            edit.request_focus();
        }
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            go = true;
        }
        go |= ui.button("開く").clicked();
    });
    if app.unlocking.is_some() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("パスフレーズを確認しています…");
        });
    }
    if go && !app.open.passphrase.is_empty() && app.unlocking.is_none() {
        let p = std::mem::take(&mut app.open.passphrase);
        app.unlock(&p);
    }
    ui.add_space(12.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_opening_errors_read_in_japanese() {
        assert_eq!(
            error_ja("/media/usb/ss: not a folder, zip archive or file"),
            "/media/usb/ss が見つかりません（フォルダ・ZIP ファイルのどちらでもありません）"
        );
        assert_eq!(
            error_ja("D:\\export: cannot open: Permission denied (os error 13)"),
            "D:\\export を開けません（アクセス権がありません）"
        );
        assert_eq!(
            error_ja("a.zip: unreadable zip archive: invalid Zip archive: No valid central directory"),
            "a.zip は読めない ZIP ファイルです（壊れているか、ZIP ではありません）"
        );
        assert_eq!(
            error_ja("/nonexistent/snapshot: not found"),
            "/nonexistent/snapshot が見つかりません（フォルダ・ZIP ファイルのどちらでもありません）"
        );
        assert_eq!(error_ja("読み込みを中止しました"), "読み込みを中止しました");
    }
}
