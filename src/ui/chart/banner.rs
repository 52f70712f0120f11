//! The banner nobody can miss: who this is (name in kanji and kana, ID, sex, age, birth date,
//! blood type, where they lie) and, right under it, the allergy strip.

use super::ChartState;
use crate::chart::AllergyStatus;
use crate::model::AllergyCategory;
use crate::ui::print_hook::PrintRequest;
use crate::ui::{fonts, format, theme};
use egui::RichText;

/// Below this height (points) of chart area the banner starts as one line. On a 1366×768
/// laptop (about 690 points of window content) the chart area is about 548 points at 100% text
/// and about 420 at 130%, where three banner rows would leave the lab table a handful of rows.
const COMPACT_BELOW: f32 = 480.0;

/// Returns a print request when the print button was pressed.
pub fn show(chart: &mut ChartState, ui: &mut egui::Ui) -> Option<PrintRequest> {
    // The whole banner on 概要; the tables get the room elsewhere (at 100% on 1366×768 the
    // whole banner left the lab table five rows). The button overrides either way.
    let compact = chart
        .banner_compact
        .unwrap_or(chart.tab != super::Tab::Summary || ui.available_height() < COMPACT_BELOW);
    if compact {
        let request = compact_line(chart, ui);
        identity_strip(&chart.data.chart.banner().identity, ui);
        allergy_strip(chart, ui);
        return request;
    }
    let mut request = None;
    let pal = theme::palette(ui);
    let b = chart.data.chart.banner();
    let blood = b
        .blood_type
        .as_ref()
        .map(|x| x.display())
        .filter(|x| !x.is_empty())
        .unwrap_or_else(|| "不明".into());

    egui::Frame::new()
        .fill(pal.banner_bg)
        .inner_margin(egui::Margin::symmetric(12, 8))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let name = display_name(b);
                ui.label(RichText::new(name).font(fonts::bold(theme::BODY + 13.0)));
                if !b.name_kana.is_empty() {
                    ui.label(RichText::new(&b.name_kana).size(theme::BODY + 3.0));
                }
                ui.add_space(12.0);
                ui.label(RichText::new(format!("ID {}", b.patient_id)).font(fonts::bold(theme::BODY + 3.0)));
                if !b.identity.same_name.is_empty() {
                    ui.label(
                        RichText::new("同姓同名あり")
                            .font(fonts::bold(theme::BODY + 1.0))
                            .color(pal.danger),
                    )
                    .on_hover_text(format!("同じ氏名の患者: {}", b.identity.same_name.join("、")));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let button = ui
                        .button("印刷")
                        .on_hover_text("このカルテの要約を PDF にして開きます（ビューアから印刷）");
                    if button.clicked() {
                        request = Some(PrintRequest::Patient {
                            patient_id: b.patient_id.clone(),
                        });
                    }
                    if ui
                        .small_button("1行表示")
                        .on_hover_text("患者情報を1行にまとめ、表を広く使います")
                        .clicked()
                    {
                        chart.banner_compact = Some(true);
                    }
                });
            });
            ui.horizontal_wrapped(|ui| {
                let big = |s: String| RichText::new(s).font(fonts::bold(theme::BODY + 2.0));
                ui.label(big(b.sex.label_ja().to_string()));
                if !b.age_label.is_empty() {
                    // The age is at the data time (or death), not today: say so on hover.
                    let at = match b.deceased {
                        Some(d) => format!("死亡時（{}）", format::day(Some(d))),
                        None => format!("データ基準日時 {}", format::ts(chart.data.chart.as_of())),
                    };
                    ui.label(big(b.age_label.clone()))
                        .on_hover_text(format!("{at} 時点の満年齢"));
                }
                ui.label(big(format!(
                    "生年月日 {}",
                    or_unknown(format::birth(b.birth_date))
                )));
                ui.label(big(format!("血液型 {blood}")));
                if let Some(h) = &b.height {
                    ui.label(format!("身長 {}", h.display()));
                }
                if let Some(w) = &b.weight {
                    ui.label(format!("体重 {}", w.display()));
                }
            });
            ui.horizontal_wrapped(|ui| {
                if let Some(a) = &b.admission {
                    ui.label(RichText::new(a.label_ja(true)).font(fonts::bold(theme::BODY + 1.0)));
                } else if let Some(stay) = chart.data.chart.unclear_stay() {
                    // The data cannot tell: say so, and show the messages that disagree.
                    let c = &chart.data.chart;
                    let lines: Vec<String> = stay
                        .records
                        .iter()
                        .filter_map(|&i| c.record(i))
                        .map(|r| format!("{}　{}　{}", format::ts(r.date()), r.summary(), r.provenance.file))
                        .collect();
                    ui.label(
                        RichText::new("入院状況不明（退院の後に入院を示さない転棟・外泊等の記録）")
                            .font(fonts::bold(theme::BODY + 1.0))
                            .color(pal.danger),
                    )
                    .on_hover_text(format!("矛盾する記録:\n{}", lines.join("\n")));
                } else {
                    ui.label("外来（データ基準日時に入院中ではありません）");
                }
                if let Some(dep) = &b.department {
                    ui.label(format!("診療科 {}", dep.display()));
                }
                if let Some(doc) = &b.attending {
                    ui.label(format!("主治医 {}", doc.display()));
                }
                if let Some(t) = b.deceased {
                    ui.label(
                        RichText::new(format!("死亡 {}", format::day(Some(t))))
                            .font(fonts::bold(theme::BODY + 1.0))
                            .color(pal.danger),
                    );
                }
            });
        });
    ward_row(chart, ui);
    identity_strip(&b.identity, ui);
    allergy_strip(chart, ui);
    request
}

/// The kanji name, or 「（氏名なし）」 when the data has none.
fn display_name(b: &crate::chart::Banner) -> &str {
    if b.name_kanji.is_empty() {
        "（氏名なし）"
    } else {
        &b.name_kanji
    }
}

/// The banner in one line: name, kana, ID, sex, age, where the patient is, and a button back
/// to the full banner. The identity and allergy strips stay under it, whatever the size.
fn compact_line(chart: &mut ChartState, ui: &mut egui::Ui) -> Option<PrintRequest> {
    let pal = theme::palette(ui);
    let b = chart.data.chart.banner();
    let mut request = None;
    let mut expand = false;
    egui::Frame::new()
        .fill(pal.banner_bg)
        .inner_margin(egui::Margin::symmetric(10, 4))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let name = display_name(b);
                ui.label(RichText::new(name).font(fonts::bold(theme::BODY + 5.0)));
                if !b.name_kana.is_empty() {
                    ui.label(&b.name_kana);
                }
                ui.label(RichText::new(format!("ID {}", b.patient_id)).font(fonts::bold(theme::BODY + 1.0)));
                if !b.identity.same_name.is_empty() {
                    ui.label(RichText::new("同姓同名あり").strong().color(pal.danger));
                }
                ui.label(format!("{} {}", b.sex.label_ja(), b.age_label));
                if let Some(a) = &b.admission {
                    ui.label(RichText::new(a.label_ja(false)).strong());
                } else if chart.data.chart.unclear_stay().is_some() {
                    ui.label(RichText::new("入院状況不明").strong().color(pal.danger));
                } else {
                    ui.label("外来");
                }
                if let Some(t) = b.deceased {
                    ui.label(
                        RichText::new(format!("死亡 {}", format::day(Some(t))))
                            .strong()
                            .color(pal.danger),
                    );
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button("印刷").clicked() {
                        request = Some(PrintRequest::Patient {
                            patient_id: b.patient_id.clone(),
                        });
                    }
                    if ui
                        .small_button("詳細表示")
                        .on_hover_text("生年月日・血液型・診療科・主治医などを表示します")
                        .clicked()
                    {
                        expand = true;
                    }
                });
            });
        });
    if expand {
        chart.banner_compact = Some(false);
    }
    request
}

/// Records filed under this ID that disagree on who the patient is: in red, with every value,
/// before anything else is read (the sources on hover).
fn identity_strip(identity: &crate::chart::identity::Identity, ui: &mut egui::Ui) {
    if identity.conflicts.is_empty() {
        return;
    }
    let pal = theme::palette(ui);
    egui::Frame::new()
        .fill(pal.danger_bg)
        .inner_margin(egui::Margin::symmetric(12, 6))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new("患者情報の不一致")
                        .font(fonts::bold(theme::BODY + 2.0))
                        .color(pal.danger),
                );
                ui.label("（記録によって患者情報が異なります。本人確認をしてください）");
            });
            for c in &identity.conflicts {
                let sources: Vec<String> = c
                    .values
                    .iter()
                    .map(|v| format!("{}: {}", v.value, v.files.join(", ")))
                    .collect();
                ui.label(
                    RichText::new(c.line())
                        .font(fonts::bold(theme::BODY + 1.0))
                        .color(pal.danger),
                )
                .on_hover_text(sources.join("\n"));
            }
        });
}

fn or_unknown(s: String) -> String {
    if s.is_empty() { "不明".into() } else { s }
}

/// Drug allergies first and red; "nothing recorded" and "the record says none" look different on
/// purpose, with their words from `AllergyStatus` (the one table every face uses).
fn allergy_strip(chart: &mut ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let v = chart.data.chart.allergies();
    let big = |s: &str| RichText::new(s).font(fonts::bold(theme::BODY + 2.0));
    let fill = match v.status {
        AllergyStatus::NoData => pal.warn_bg,
        AllergyStatus::NoneKnown => ui.visuals().faint_bg_color,
        AllergyStatus::Known if v.drugs().next().is_some() => pal.danger_bg,
        AllergyStatus::Known => pal.warn_bg,
    };
    let mut open_tab = false;
    egui::Frame::new()
        .fill(fill)
        .inner_margin(egui::Margin::symmetric(12, 6))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(big("アレルギー:"));
                match v.status {
                    AllergyStatus::NoData => {
                        ui.label(big(v.status.headline_ja()).color(pal.warn));
                        ui.label(v.status.explain_ja());
                    }
                    AllergyStatus::NoneKnown => {
                        ui.label(big(v.status.headline_ja()));
                        ui.label(v.status.explain_ja());
                    }
                    AllergyStatus::Known => {
                        for item in &v.items {
                            let drug = item.category == AllergyCategory::Drug;
                            let text = if drug {
                                big(&format!("薬剤: {}", item.allergen)).color(pal.danger)
                            } else {
                                big(&item.allergen)
                            };
                            let mut detail = item.category.label_ja().to_string();
                            if !item.severity.is_empty() {
                                detail.push_str(&format!(" 重症度:{}", item.severity));
                            }
                            if !item.reaction.is_empty() {
                                detail.push_str(&format!(" 症状:{}", item.reaction));
                            }
                            ui.label(text).on_hover_text(detail);
                        }
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

/// The ward's line: infection marks (positive in red, 未検査 muted), the diet in force, and the
/// newest vitals with their time.
fn ward_row(chart: &ChartState, ui: &mut egui::Ui) {
    let pal = theme::palette(ui);
    let c = &chart.data.chart;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("感染症").strong());
        for m in c.infection() {
            let text = m.label_ja();
            match m.finding {
                crate::chart::Finding::Positive => {
                    ui.label(
                        RichText::new(text)
                            .font(fonts::bold(theme::BODY))
                            .color(pal.danger),
                    );
                }
                crate::chart::Finding::Unclear => {
                    ui.colored_label(pal.warn, text);
                }
                _ => {
                    ui.colored_label(pal.muted, text);
                }
            }
        }
        ui.separator();
        ui.label(RichText::new("食事").strong());
        match c.diet() {
            Some(d) if d.fasting => {
                ui.label(
                    RichText::new(d.line_ja())
                        .font(fonts::bold(theme::BODY))
                        .color(pal.warn),
                )
                .on_hover_text(format!("開始 {}", format::ts(d.start)));
            }
            Some(d) => {
                ui.label(d.line_ja())
                    .on_hover_text(format!("開始 {}", format::ts(d.start)));
            }
            None => {
                ui.colored_label(pal.muted, "指示なし");
            }
        }
        let v = c.vitals();
        if let Some(t) = v.newest() {
            ui.separator();
            ui.label(RichText::new("バイタル").strong());
            ui.label(v.latest_line());
            ui.colored_label(pal.muted, format!("（{}）", format::ts(Some(t))));
        }
    });
}
