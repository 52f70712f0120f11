//! 文書・レポート: referral letters, discharge summaries, and radiology/endoscopy/physiology
//! reports, listed on the left and read as text on the right.

use super::ChartState;
use crate::model::{Clinical, Record};
use crate::ui::{fonts, format, theme};
use egui::RichText;

#[derive(Default)]
pub struct DocumentsState {
    selected: Option<usize>,
}

fn title(r: &Record) -> String {
    match &r.data {
        Clinical::Document(d) if !d.title.is_empty() => d.title.clone(),
        Clinical::Document(d) => d.doc_type.display().to_string(),
        Clinical::Procedure(p) => format!("{} {}", p.category.label_ja(), p.title()),
        _ => r.summary(),
    }
}

fn body(r: &Record) -> String {
    match &r.data {
        Clinical::Document(d) => d.as_text(),
        Clinical::Procedure(p) => {
            let mut s = String::new();
            for item in &p.items {
                s.push_str(&format!("【{}】\n", item.procedure.display()));
                for o in &item.observations {
                    s.push_str(&format!("  {}: {} {}\n", o.label.display(), o.value, o.unit));
                }
            }
            if !p.findings.is_empty() {
                s.push_str("\n");
                s.push_str(&p.findings);
                s.push('\n');
            }
            if let Some(o) = &p.orderer {
                s.push_str(&format!("\n依頼医: {}", o.display()));
            }
            s
        }
        _ => r.summary(),
    }
}

pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    let st = &mut chart.documents;
    if d.documents.is_empty() {
        ui.colored_label(pal.muted, "文書・レポートの記録はありません");
        return;
    }
    if st.selected.is_none() {
        st.selected = d.documents.first().copied();
    }
    let mut source = None;
    egui::Panel::left("doc-list")
        .resizable(true)
        .default_size(360.0)
        .show(ui, |ui| {
            let row_h = theme::BODY * 2.0 + 16.0;
            egui::ScrollArea::vertical().show_rows(ui, row_h, d.documents.len(), |ui, range| {
                for &i in &d.documents[range] {
                    let r = &d.records[i];
                    let text = format!("{}\n{}", format::day(r.date()), title(r));
                    let resp = ui.add_sized(
                        [ui.available_width(), row_h - 6.0],
                        egui::Button::selectable(st.selected == Some(i), text),
                    );
                    if resp.clicked() {
                        st.selected = Some(i);
                    }
                }
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(i) = st.selected else { return };
        let Some(r) = d.records.get(i) else { return };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(title(r)).font(fonts::bold(theme::BODY + 3.0)));
            ui.label(format::ts(r.date()));
            if super::source_button(ui) {
                source = Some(i);
            }
        });
        ui.separator();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(body(r)).size(theme::BODY + 1.0)).wrap());
        });
    });
    if let Some(i) = source {
        chart.show_source(i);
    }
}
