//! The banner nobody can miss: who this is (name in kanji and kana, ID, sex, age, birth date,
//! blood type, where they lie) and, right under it, the allergy strip.

use super::ChartState;
use super::data::AllergyStrip;
use crate::index::SnapshotIndex;
use crate::ui::{fonts, format, print_hook, theme};
use egui::RichText;

pub fn show(chart: &mut ChartState, index: &SnapshotIndex, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let d = &chart.data;
    let hit = d.hit.clone().unwrap_or_default();
    let p = d.patient.as_ref();
    let kanji = p
        .and_then(|p| p.name_kanji.as_ref())
        .map(|n| n.full())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| hit.name_kanji.clone());
    let kana = p
        .and_then(|p| p.name_kana.as_ref())
        .map(|n| n.full())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| hit.name_kana.clone());
    let sex = p.map(|p| p.sex).unwrap_or(hit.sex);
    let birth = p.and_then(|p| p.birth_date).or(hit.birth_date);
    let blood = p
        .and_then(|p| p.blood_type.as_ref())
        .map(|b| b.display())
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "不明".into());
    let deceased = p.and_then(|p| p.deceased);

    egui::Frame::new()
        .fill(pal.banner_bg)
        .inner_margin(egui::Margin::symmetric(12, 8))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(if kanji.is_empty() { "（氏名なし）" } else { &kanji })
                        .font(fonts::bold(theme::BODY + 13.0)),
                );
                if !kana.is_empty() {
                    ui.label(RichText::new(&kana).size(theme::BODY + 3.0));
                }
                ui.add_space(12.0);
                ui.label(RichText::new(format!("ID {}", d.id)).font(fonts::bold(theme::BODY + 3.0)));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let b = ui.add_enabled(print_hook::available(), egui::Button::new("印刷"));
                    let b = if print_hook::available() {
                        b.on_hover_text("このカルテを PDF にして開きます")
                    } else {
                        b.on_disabled_hover_text(print_hook::NOT_READY)
                    };
                    if b.clicked() {
                        let _ = print_hook::print(index, print_hook::PrintRequest::Patient { patient_id: &d.id });
                    }
                });
            });
            ui.horizontal_wrapped(|ui| {
                let big = |s: String| RichText::new(s).font(fonts::bold(theme::BODY + 2.0));
                ui.label(big(format::sex(sex).to_string()));
                ui.label(big(format::age_label(birth, format::today())));
                ui.label(big(format!("生年月日 {}", or_unknown(format::day(birth)))));
                ui.label(big(format!("血液型 {blood}")));
                if let Some(stay) = d.current_stay() {
                    let mut s = String::from("入院中");
                    if let Some(l) = stay.location.as_ref().filter(|l| !l.is_empty()) {
                        s.push_str(&format!(" {}", l.display()));
                    }
                    if let Some(dep) = &stay.department {
                        s.push_str(&format!(" {}", dep.display()));
                    }
                    if let Some(t) = stay.start {
                        s.push_str(&format!("（{} 入院）", format::day(Some(t))));
                    }
                    ui.label(big(s));
                }
                if let Some(t) = deceased {
                    ui.label(big(format!("死亡 {}", format::day(Some(t)))).color(pal.danger));
                }
            });
        });
    allergy_strip(chart, ui);
}

fn or_unknown(s: String) -> String {
    if s.is_empty() { "不明".into() } else { s }
}

fn allergy_strip(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let (fill, content): (egui::Color32, Vec<RichText>) = match &chart.data.allergies {
        AllergyStrip::NoData => (
            pal.warn_bg,
            vec![RichText::new("記録なし").font(fonts::bold(theme::BODY + 2.0)).color(pal.warn)],
        ),
        AllergyStrip::NoneKnown => (
            ui.visuals().faint_bg_color,
            vec![RichText::new("アレルギー情報なし").font(fonts::bold(theme::BODY + 2.0))],
        ),
        AllergyStrip::List(items) => {
            let any_drug = items.iter().any(|i| i.drug);
            let fill = if any_drug { pal.danger_bg } else { pal.warn_bg };
            let texts = items
                .iter()
                .map(|i| {
                    let t = RichText::new(&i.label).font(fonts::bold(theme::BODY + 2.0));
                    if i.drug { t.color(pal.danger) } else { t }
                })
                .collect();
            (fill, texts)
        }
    };
    let details: Vec<String> = match &chart.data.allergies {
        AllergyStrip::List(items) => items.iter().map(|i| i.detail.clone()).collect(),
        _ => Vec::new(),
    };
    let mut open_tab = false;
    egui::Frame::new()
        .fill(fill)
        .inner_margin(egui::Margin::symmetric(12, 6))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("アレルギー:").font(fonts::bold(theme::BODY + 2.0)));
                for (i, t) in content.into_iter().enumerate() {
                    let r = ui.label(t);
                    if let Some(d) = details.get(i) {
                        r.on_hover_text(d);
                    }
                }
                if ui.small_button("詳細").clicked() {
                    open_tab = true;
                }
            });
        });
    if open_tab {
        chart.tab = super::Tab::Allergies;
    }
}
