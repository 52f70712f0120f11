//! A pack's trust in the header and, when it is in doubt, in the way of the data.
//!
//! The header says 署名確認済み (green, with the signer and data time), 署名なし or 未登録の鍵による
//! 署名 (amber), or 改ざんの疑い (red); next to it the background check of the whole media
//! (全体確認中 n% → 全体確認済み). A signature that does not verify, a file that differs, or a
//! block that fails its hash while a chart is read puts a red screen in front of the data until
//! the operator chooses to go on; that choice is logged and the red header stays.

use super::jobs::Job;
use super::theme;
use crate::pack::manifest::Manifest;
use crate::pack::verify::{MediaCheck, TamperAlarm, check_media};
use crate::trust::{SignatureCheck, Tone, TrustStore, check_signature};
use egui::RichText;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct PackTrust {
    pack_dir: PathBuf,
    signature: SignatureCheck,
    media_job: Option<Job<MediaCheck>>,
    media: Option<MediaCheck>,
    alarm: TamperAlarm,
    /// The operator chose to see the data despite the doubt (logged).
    acknowledged: bool,
    /// The event log; `None`: [`crate::paths::events_log`].
    log: Option<PathBuf>,
}

impl PackTrust {
    /// Checks the signature now (one small file) and the whole media in the background.
    pub fn start(
        ctx: &egui::Context,
        inline: bool,
        pack_dir: &Path,
        manifest: Arc<Manifest>,
        alarm: TamperAlarm,
        store: &TrustStore,
        log: Option<PathBuf>,
    ) -> PackTrust {
        let signature = check_signature(pack_dir, store);
        let dir = pack_dir.to_path_buf();
        let media_job = Job::start(ctx, inline, move |progress| {
            check_media(&dir, &manifest, progress)
        });
        let mut t = PackTrust {
            pack_dir: pack_dir.to_path_buf(),
            signature,
            media_job: Some(media_job),
            media: None,
            alarm,
            acknowledged: false,
            log,
        };
        t.poll();
        t
    }

    pub fn poll(&mut self) {
        if let Some(job) = &mut self.media_job
            && let Some(check) = job.poll()
        {
            self.media_job = None;
            self.media = Some(check);
        }
    }

    pub fn signature(&self) -> &SignatureCheck {
        &self.signature
    }

    /// Still checking the whole media.
    pub fn checking(&self) -> bool {
        self.media_job.is_some()
    }

    /// Why the data is in doubt, when it is.
    pub fn suspect(&self) -> Option<String> {
        if let SignatureCheck::Tampered { reason } = &self.signature {
            return Some(reason.clone());
        }
        if let Some(bad) = self.media.as_ref().and_then(|m| m.bad.first()) {
            return Some(format!("{}: {}", bad.path, bad.reason));
        }
        self.alarm
            .raised()
            .map(|bad| format!("{}: {}", bad.path, bad.reason))
    }

    /// Whether the data must stay hidden now.
    pub fn must_hold(&self) -> bool {
        !self.acknowledged && self.suspect().is_some()
    }

    /// The operator goes on despite the doubt: logged with the reason.
    pub fn acknowledge(&mut self) {
        self.acknowledged = true;
        let reason = self.suspect().unwrap_or_default();
        let path = self.log.clone().or_else(crate::paths::events_log);
        if let Some(path) = path {
            log_event(
                &path,
                &format!(
                    "改ざんの疑いのあるメディアの表示を続行: {} ({reason})",
                    self.pack_dir.display()
                ),
            );
        }
    }
}

/// One line in the local event log, never on the media.
fn log_event(path: &Path, line: &str) {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
        let _ = writeln!(f, "{now}\t{line}");
    }
}

/// The header's trust badge and media check.
pub fn show(trust: &PackTrust, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    if let Some(reason) = trust.suspect() {
        egui::Frame::new()
            .fill(pal.danger_bg)
            .inner_margin(egui::Margin::symmetric(6, 2))
            .show(ui, |ui| {
                ui.label(RichText::new("改ざんの疑い").color(pal.danger).strong())
                    .on_hover_text(reason);
            });
    } else {
        let (color, tip) = match trust.signature.tone() {
            Tone::Good => (pal.ok, trust.signature.detail()),
            Tone::Caution => (pal.warn, trust.signature.detail()),
            Tone::Danger => (pal.danger, trust.signature.detail()),
        };
        ui.label(RichText::new(trust.signature.label_ja()).color(color))
            .on_hover_text(tip);
    }
    match (&trust.media_job, &trust.media) {
        (Some(job), _) => {
            let pct = (job.progress.view().fraction() * 100.0).round();
            ui.label(format!("全体確認中 {pct:.0}%"))
                .on_hover_text("メディアの全ファイルを署名時のハッシュと照合しています");
        }
        (None, Some(m)) if m.intact() => {
            ui.label(RichText::new("全体確認済み").color(pal.ok))
                .on_hover_text(format!(
                    "{} ファイル {:.0} MB を照合しました（{:.0} MB/秒）",
                    m.files,
                    m.bytes as f64 / 1e6,
                    m.rate_mb_s()
                ));
        }
        _ => {}
    }
}

/// What stands in front of the data while it is in doubt. Returns true when the operator
/// asked to close the pack.
pub fn hold_screen(trust: &mut PackTrust, ui: &mut egui::Ui) -> bool {
    let pal = theme::palette(ui);
    let mut close = false;
    ui.vertical_centered(|ui| {
        ui.add_space(40.0);
        ui.label(
            RichText::new("改ざんの疑い")
                .size(32.0)
                .color(pal.danger)
                .strong(),
        );
        ui.add_space(8.0);
        ui.label("このメディアの内容は、作成時に署名された内容と一致しません。");
        ui.label("表示される情報が正しくない可能性があります。別のメディアや紙の記録で確認してください。");
        ui.add_space(8.0);
        ui.label(RichText::new(trust.suspect().unwrap_or_default()).monospace());
        ui.add_space(16.0);
        if ui
            .button(RichText::new("内容を理解したうえで表示を続ける（記録されます）").color(pal.danger))
            .clicked()
        {
            trust.acknowledge();
        }
        ui.add_space(8.0);
        if ui.button("閉じる").clicked() {
            close = true;
        }
    });
    close
}
