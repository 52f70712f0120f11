//! 元データ: the original HL7 segments or FHIR resource of the selected record, read back from
//! the snapshot on demand (one record at a time, cached), on a job: a big FHIR Bundle or an
//! archive that must be listed first would otherwise freeze the window.

use super::ChartState;
use crate::index::SnapshotIndex;
use crate::ui::jobs::Job;
use crate::ui::{format, theme};
use egui::RichText;
use std::sync::Arc;

#[derive(Default)]
pub struct SourceState {
    cache: Option<(usize, Result<String, String>)>,
    reading: Option<(usize, Job<Result<String, String>>)>,
}

pub fn show(chart: &mut ChartState, index: &Arc<SnapshotIndex>, inline_jobs: bool, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    let records = d.records();
    let mut pick = None;
    egui::Panel::left("source-list")
        .resizable(true)
        .default_size(420.0)
        .show(ui, |ui| {
            ui.label(RichText::new("記録を選んでください").strong());
            let row_h = theme::BODY + 12.0;
            egui::ScrollArea::vertical().show_rows(ui, row_h, d.timeline.len(), |ui, range| {
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                    for &i in &d.timeline[range] {
                        let r = &records[i];
                        let text = format!("{} {}", format::day(r.date()), r.summary());
                        let resp = ui.add(
                            egui::Button::selectable(chart.selected == Some(i), text)
                                .truncate()
                                .min_size(egui::vec2(0.0, row_h - 4.0)),
                        );
                        if resp.clicked() {
                            pick = Some(i);
                        }
                    }
                });
            });
        });
    if let Some(i) = pick {
        chart.selected = Some(i);
    }
    let Some(i) = chart.selected else {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.colored_label(
                pal.muted,
                "左の一覧、または各タブの「元データ」ボタンで記録を選ぶと、元の HL7/FHIR が表示されます。",
            );
        });
        return;
    };
    let Some(record) = records.get(i) else { return };
    let st = &mut chart.source;
    if st.cache.as_ref().map(|c| c.0) != Some(i) && st.reading.as_ref().map(|r| r.0) != Some(i) {
        let index = Arc::clone(index);
        let record = record.clone();
        let job = Job::start(ui.ctx(), inline_jobs, move |_| {
            index.source_text(&record).map_err(|e| format!("{e:#}"))
        });
        st.reading = Some((i, job));
    }
    if let Some((j, job)) = st.reading.as_mut()
        && let Some(text) = job.poll()
    {
        st.cache = Some((*j, text));
        st.reading = None;
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let p = &record.provenance;
        ui.label(RichText::new(record.summary()).strong());
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("ファイル: {}", p.file));
            if !p.data_type.is_empty() {
                ui.label(format!("種別: {}", p.data_type));
            }
            if !p.message_id.is_empty() {
                ui.label(format!("メッセージID: {}", p.message_id));
            }
            if !p.entry.is_empty() {
                ui.label(format!("位置: {}", p.entry));
            }
            ui.label(format!(
                "状態: {}",
                match record.status {
                    crate::model::RecordStatus::Current => "有効",
                    crate::model::RecordStatus::Superseded => "旧版",
                    crate::model::RecordStatus::Cancelled => "取消",
                    crate::model::RecordStatus::Unknown => "状態不明",
                }
            ));
        });
        ui.separator();
        match chart.source.cache.as_ref().filter(|c| c.0 == i) {
            Some((_, Ok(text))) => {
                ui.style_mut().interaction.selectable_labels = true;
                egui::ScrollArea::both()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(RichText::new(text).monospace()).extend());
                    });
            }
            Some((_, Err(e))) => {
                ui.colored_label(pal.danger, format!("元データを読めませんでした: {e}"));
            }
            None => {
                ui.spinner();
            }
        }
    });
}
