//! 文書・レポート: referral letters, discharge summaries, and radiology/endoscopy/physiology
//! reports, listed on the left and read as text on the right.

use super::ChartState;
use crate::ui::{fonts, format, theme};
use egui::RichText;

#[derive(Default)]
pub struct DocumentsState {
    selected: usize,
    /// Text of the selected document, made when the selection changes.
    text: Option<(usize, String)>,
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let docs = chart.data.chart.documents();
    let st = &mut chart.documents;
    if docs.is_empty() {
        ui.colored_label(pal.muted, "文書・レポートの記録はありません");
        return;
    }
    st.selected = st.selected.min(docs.len() - 1);
    let mut source = None;
    egui::Panel::left("doc-list")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            let row_h = theme::BODY * 2.0 + 18.0;
            egui::ScrollArea::vertical().show_rows(ui, row_h, docs.len(), |ui, range| {
                // Justified and left-aligned: full-width rows with their text on the left.
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                    for i in range {
                        let Some(d) = docs.get(i) else { continue };
                        let text = format!("{}　{}\n{}", format::day(d.date), d.kind.label_ja(), d.title);
                        let resp = ui.add(
                            egui::Button::selectable(st.selected == i, text)
                                .min_size(egui::vec2(0.0, row_h - 6.0)),
                        );
                        if resp.clicked() {
                            st.selected = i;
                        }
                    }
                });
            });
        });
    if st.text.as_ref().is_none_or(|t| t.0 != st.selected) {
        let text = docs.get(st.selected).map(|d| d.as_text()).unwrap_or_default();
        st.text = Some((st.selected, text));
    }
    let Some(d) = docs.get(st.selected) else { return };
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&d.title).font(fonts::bold(theme::BODY + 3.0)));
            ui.label(format::ts(d.date));
            if !d.status.is_empty() {
                ui.colored_label(pal.warn, &d.status);
            }
            if super::source_button(ui) {
                source = Some(d.record);
            }
        });
        ui.separator();
        // Letters and reports are read and copied: text selection on here.
        ui.style_mut().interaction.selectable_labels = true;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let text = st.text.as_ref().map(|t| t.1.as_str()).unwrap_or_default();
                ui.add(egui::Label::new(RichText::new(text).size(theme::BODY + 1.0)).wrap());
            });
    });
    if let Some(i) = source {
        chart.show_source(i);
    }
}
