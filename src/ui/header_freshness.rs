//! The header's word on whether the index matches the snapshot's files: 確認中 while the
//! listing runs in the background (the snapshot opens at once from its index), 確認済み, or
//! 「元データが変更されています」 in red with a one-click 再作成.

use super::app::LifeboatApp;
use super::jobs::Job;
use super::theme;
use crate::index::{Freshness, SnapshotIndex};
use egui::RichText;
use std::sync::Arc;

#[derive(Default)]
pub struct FreshnessState {
    job: Option<Job<Result<bool, String>>>,
    known: Option<Known>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Known {
    Matches,
    Changed,
    /// The listing failed (media pulled, folder gone): said, not hidden.
    Unknown(String),
}

impl FreshnessState {
    /// What the open already knows, or a background check of an index opened unchecked.
    pub fn start(ctx: &egui::Context, index: &Arc<SnapshotIndex>, inline: bool) -> FreshnessState {
        match index.freshness() {
            Freshness::Matches => FreshnessState {
                job: None,
                known: Some(Known::Matches),
            },
            Freshness::Unchecked => {
                let index = index.clone();
                let job = Job::start(ctx, inline, move |_| index.verify().map_err(|e| format!("{e:#}")));
                FreshnessState {
                    job: Some(job),
                    known: None,
                }
            }
        }
    }

    /// Takes the background check's answer; returns the warning to log when it found the
    /// index stale or could not tell.
    pub fn poll(&mut self) -> Option<String> {
        let job = self.job.as_mut()?;
        let result = job.poll()?;
        self.job = None;
        let known = match result {
            Ok(true) => Known::Matches,
            Ok(false) => Known::Changed,
            Err(e) => Known::Unknown(e),
        };
        let warning = match &known {
            Known::Matches => None,
            Known::Changed => {
                Some("索引: 元データが変更されています（索引の作成後にファイルが変わった）".to_string())
            }
            Known::Unknown(e) => Some(format!("索引: 元データと照合できません: {e}")),
        };
        self.known = Some(known);
        warning
    }
}

/// The status in the header's first row.
pub fn show(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    match app.freshness.known.clone() {
        None => {
            ui.label("索引 確認中")
                .on_hover_text("索引が元データと一致しているか、ファイル一覧で確認しています");
        }
        Some(Known::Matches) => {
            ui.label(RichText::new("索引 確認済み").color(pal.ok))
                .on_hover_text("索引は元データのファイル一覧と一致しています");
        }
        Some(Known::Unknown(e)) => {
            ui.label(RichText::new("索引 確認できません").color(pal.warn))
                .on_hover_text(e);
        }
        Some(Known::Changed) => {
            egui::Frame::new()
                .fill(pal.danger_bg)
                .inner_margin(egui::Margin::symmetric(6, 2))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new("元データが変更されています")
                            .color(pal.danger)
                            .strong(),
                    )
                    .on_hover_text(
                        "索引を作成した後にファイルが追加・変更されました。表示は古い索引によるものです。",
                    );
                    if ui
                        .button("再作成")
                        .on_hover_text("元データから索引を作り直します")
                        .clicked()
                    {
                        app.rebuild_index();
                    }
                });
        }
    }
}
