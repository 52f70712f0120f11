//! The patient chart: the banner and allergy strip on top, then one tab at a time. Each tab is
//! its own file and reads the [`ChartData`] built once when the chart opened.

mod allergies;
mod banner;
mod data;
mod diagnoses;
mod documents;
mod encounters;
mod labs;
mod meds;
mod source;
mod summary;
mod timeline;
mod trend_range;
mod vitals;
mod worklist;

pub use data::ChartData;

use super::app::LifeboatApp;
use super::theme;
use crate::model::RecordStatus;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Summary,
    Vitals,
    Timeline,
    Meds,
    Worklist,
    Labs,
    Diagnoses,
    Allergies,
    Encounters,
    Documents,
    Source,
}

impl Tab {
    pub const ALL: [Tab; 11] = [
        Tab::Summary,
        Tab::Vitals,
        Tab::Timeline,
        Tab::Meds,
        Tab::Worklist,
        Tab::Labs,
        Tab::Diagnoses,
        Tab::Allergies,
        Tab::Encounters,
        Tab::Documents,
        Tab::Source,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Summary => "概要",
            Tab::Vitals => "温度板",
            Tab::Timeline => "経過",
            Tab::Meds => "処方・注射",
            Tab::Worklist => "投薬・注射",
            Tab::Labs => "検査",
            Tab::Diagnoses => "病名",
            Tab::Allergies => "アレルギー",
            Tab::Encounters => "受診・入退院",
            Tab::Documents => "文書・レポート",
            Tab::Source => "元データ",
        }
    }
}

pub struct ChartState {
    pub data: ChartData,
    pub tab: Tab,
    /// The record whose source "元データ" shows.
    pub selected: Option<usize>,
    /// "取消・旧版も表示" on the problem and encounter tabs.
    show_old: bool,
    source: source::SourceState,
    timeline: timeline::TimelineState,
    meds: meds::MedsState,
    labs: labs::LabsState,
    documents: documents::DocumentsState,
    /// One-line banner: `None` follows the screen (compact when the chart area is short, as at
    /// 1366×768 with 130% text); the banner's button sets it.
    pub banner_compact: Option<bool>,
}

impl ChartState {
    pub fn new(data: ChartData) -> ChartState {
        ChartState {
            data,
            tab: Tab::Summary,
            selected: None,
            show_old: false,
            source: source::SourceState::default(),
            timeline: timeline::TimelineState::default(),
            meds: meds::MedsState::default(),
            labs: labs::LabsState::default(),
            documents: documents::DocumentsState::default(),
            banner_compact: None,
        }
    }

    /// Name for the header's chart button.
    pub fn title(&self) -> String {
        let b = self.data.chart.banner();
        if b.name_kanji.is_empty() {
            b.patient_id.clone()
        } else {
            b.name_kanji.clone()
        }
    }

    /// Selects a record and shows its source.
    pub fn show_source(&mut self, record: usize) {
        self.selected = Some(record);
        self.tab = Tab::Source;
    }
}

pub fn show(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let Some(index) = app.snapshot.clone() else { return };
    if let Some((id, _)) = &app.chart_job {
        // Shown for the frames a large chart takes to assemble on its thread.
        ui.add_space(20.0);
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("患者 {id} のカルテを読み込み中…"));
        });
        return;
    }
    let inline_jobs = app.inline_jobs;
    let Some(chart) = app.chart.as_mut() else {
        ui.label("患者を検索して選んでください。");
        return;
    };
    // Alt+1 … Alt+9, Alt+0 switch tabs, for keyboard users (元データ: double-click a row).
    const KEYS: [egui::Key; 10] = [
        egui::Key::Num1,
        egui::Key::Num2,
        egui::Key::Num3,
        egui::Key::Num4,
        egui::Key::Num5,
        egui::Key::Num6,
        egui::Key::Num7,
        egui::Key::Num8,
        egui::Key::Num9,
        egui::Key::Num0,
    ];
    for (key, tab) in KEYS.into_iter().zip(Tab::ALL) {
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::ALT, key)) {
            chart.tab = tab;
        }
    }
    let print = banner::show(chart, ui);
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        for (n, tab) in Tab::ALL.into_iter().enumerate() {
            let text = egui::RichText::new(tab.label()).size(theme::BODY + 1.0);
            if ui
                .selectable_label(chart.tab == tab, text)
                .on_hover_text(match n {
                    0..=8 => format!("Alt+{}", n + 1),
                    9 => "Alt+0".to_string(),
                    _ => "行をダブルクリック".to_string(),
                })
                .clicked()
            {
                chart.tab = tab;
            }
        }
    });
    ui.separator();
    if let Some(e) = &chart.data.error {
        ui.colored_label(theme::palette(ui).danger, format!("記録を読めませんでした: {e}"));
    }
    if chart.tab == Tab::Meds {
        let view = chart.data.chart.medications();
        crate::ui::clipboard::copy_button(
            ui,
            "表示中の処方・注射（実施中・継続不明・予定）をタブ区切りでコピー",
            || crate::ui::clipboard::meds_tsv(view),
        );
    }
    match chart.tab {
        Tab::Summary => summary::show(chart, ui),
        Tab::Vitals => vitals::show(chart, ui),
        Tab::Worklist => worklist::show(chart, ui),
        Tab::Timeline => timeline::show(chart, ui),
        Tab::Meds => meds::show(chart, ui),
        Tab::Labs => labs::show(chart, ui),
        Tab::Diagnoses => diagnoses::show(chart, ui),
        Tab::Allergies => allergies::show(chart, ui),
        Tab::Encounters => encounters::show(chart, ui),
        Tab::Documents => documents::show(chart, ui),
        Tab::Source => source::show(chart, &index, inline_jobs, ui),
    }
    // Ctrl+C outside a text field copies the selected row, on the tabs whose rows are selected
    // (the selection outlives a tab change; a tab that does not show it must not copy it).
    let rows_selectable = matches!(
        chart.tab,
        Tab::Meds | Tab::Timeline | Tab::Diagnoses | Tab::Allergies | Tab::Encounters
    );
    if rows_selectable
        && crate::ui::clipboard::take_copy(ui.ctx())
        && let Some(text) = crate::ui::clipboard::selected_row_tsv(chart)
    {
        ui.ctx().copy_text(text);
    }
    if let Some(request) = print {
        app.print(request);
    }
}

/// `取消` / `旧版` / empty, for status columns.
pub fn status_label(s: RecordStatus) -> &'static str {
    match s {
        RecordStatus::Current => "",
        RecordStatus::Superseded => "旧版",
        RecordStatus::Cancelled => "取消",
        RecordStatus::Unknown => "状態不明",
    }
}

/// Tells how to reach the source of a row; tables select a row on click and show its source on
/// double click.
/// A chart tab's record table: the hint above it, striped rows that can be clicked (select) and
/// double-clicked (source).
pub fn record_table<'a>(ui: &'a mut egui::Ui, id: &str) -> egui_extras::TableBuilder<'a> {
    source_hint(ui);
    egui_extras::TableBuilder::new(ui)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .id_salt(id)
        .striped(true)
        // Drag a column edge to widen it: a drug name or a comment sometimes needs the room.
        .resizable(true)
        .sense(egui::Sense::click())
}

fn source_hint(ui: &mut egui::Ui) {
    ui.colored_label(
        theme::palette(ui).muted,
        "行をクリックで選択、ダブルクリックで元データ（HL7/FHIR）を表示",
    );
}

/// What a table's rows were clicked for this frame: a click selects the record, a double click
/// shows its source. Collected while rows draw, applied after the table (which borrows `ui`).
#[derive(Default)]
pub struct RowClicks {
    pick: Option<usize>,
    source: Option<usize>,
}

impl RowClicks {
    pub fn note(&mut self, resp: &egui::Response, record: usize) {
        if resp.double_clicked() {
            self.source = Some(record);
        } else if resp.clicked() {
            self.pick = Some(record);
        }
    }

    pub fn apply(self, chart: &mut ChartState) {
        if let Some(i) = self.pick {
            chart.selected = Some(i);
        }
        if let Some(i) = self.source {
            chart.show_source(i);
        }
    }
}

/// A small button that jumps to the record's source; true when clicked.
pub fn source_button(ui: &mut egui::Ui) -> bool {
    ui.small_button("元データ")
        .on_hover_text("この記録の元データ（HL7/FHIR）を表示")
        .clicked()
}
