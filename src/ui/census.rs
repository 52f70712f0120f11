//! Ward census: inpatients at the data time by ward, room and bed. Virtualised rows, so an
//! 800-bed hospital scrolls at frame rate; click a row (or its name) to open the chart.

use super::app::{LifeboatApp, Screen};
use super::jobs::Job;
use super::{fonts, format, print_hook, theme};
use crate::chart::Census;
use crate::index::SnapshotIndex;
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Default)]
pub struct CensusState {
    job: Option<Job<Result<Census, String>>>,
    census: Option<Result<Census, String>>,
    /// Selected ward code; `None`: all wards.
    ward: Option<String>,
    /// (ward, entry) pairs shown, for the ward they were made for.
    shown: Vec<(usize, usize)>,
    shown_for: Option<Option<String>>,
    /// Patient ID → "ward room bed", for the search results of admitted patients.
    locations: HashMap<String, String>,
}

impl CensusState {
    /// Takes the census (once per snapshot) on a worker: the index keeps it ready, but copying an
    /// 800-bed census and its location map is still no work for the UI thread.
    pub fn start(&mut self, ctx: &egui::Context, index: &Arc<SnapshotIndex>, inline: bool) {
        if self.census.is_some() || self.job.is_some() {
            return;
        }
        let idx = index.clone();
        self.job = Some(Job::start(ctx, inline, move |_| Ok(idx.census().clone())));
        self.poll();
    }

    pub fn poll(&mut self) {
        if let Some(job) = &mut self.job
            && let Some(r) = job.poll()
        {
            if let Ok(c) = &r {
                self.locations = c
                    .entries()
                    .map(|(w, e)| {
                        let mut s = w.name.clone();
                        if !e.room.is_empty() {
                            s.push_str(&format!(" {}", e.room));
                        }
                        if !e.bed.is_empty() {
                            s.push_str(&format!(" {}", e.bed));
                        }
                        (e.patient_id.clone(), s)
                    })
                    .collect();
            }
            self.census = Some(r);
            self.job = None;
            self.shown_for = None;
        }
    }

    /// Where an admitted patient lies, once the census is built.
    pub fn location_of(&self, patient_id: &str) -> Option<&str> {
        self.locations.get(patient_id).map(String::as_str)
    }
}

pub fn show(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let Some(index) = app.snapshot.clone() else { return };
    let st = &mut app.census;
    st.start(&app.ctx, &index, app.inline_jobs);
    st.poll();
    let pal = theme::palette(ui);
    ui.add_space(6.0);
    let census = match &st.census {
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("病棟一覧を作成中…");
            });
            return;
        }
        Some(Err(e)) => {
            ui.colored_label(pal.warn, format!("病棟一覧を表示できません: {e}"));
            return;
        }
        Some(Ok(c)) => c,
    };

    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("病棟一覧（入院患者）").font(fonts::bold(theme::BODY + 4.0)));
        ui.label(format!(
            "データ基準日時 {} 時点　入院 {} 名",
            format::ts(census.as_of),
            census.len()
        ));
    });
    if census.is_empty() {
        ui.colored_label(pal.muted, "データ基準日時に入院中の患者はいません");
        return;
    }
    let mut print_request = None;
    let busy = app.printing.busy();
    ui.horizontal_wrapped(|ui| {
        ui.label("病棟:");
        if ui.selectable_label(st.ward.is_none(), "すべて").clicked() {
            st.ward = None;
        }
        for w in &census.wards {
            let on = st.ward.as_deref() == Some(w.code.as_str());
            if ui
                .selectable_label(on, format!("{} {}名", w.name, w.entries.len()))
                .clicked()
            {
                st.ward = Some(w.code.clone());
            }
        }
        ui.separator();
        let label = if st.ward.is_some() {
            "この病棟を印刷"
        } else {
            "全病棟を印刷"
        };
        let print = ui
            .add_enabled(!busy, egui::Button::new(label))
            .on_hover_text("病棟の患者一覧を PDF にして開きます（ビューアから印刷）");
        if print.clicked() {
            print_request = Some(match &st.ward {
                Some(w) => print_hook::PrintRequest::Ward { ward: w.clone() },
                None => print_hook::PrintRequest::AllWards,
            });
        }
    });
    if st.shown_for.as_ref() != Some(&st.ward) {
        st.shown = census
            .wards
            .iter()
            .enumerate()
            .filter(|(_, w)| st.ward.as_ref().is_none_or(|c| *c == w.code))
            .flat_map(|(wi, w)| (0..w.entries.len()).map(move |ei| (wi, ei)))
            .collect();
        st.shown_for = Some(st.ward.clone());
    }

    let row_h = theme::BODY + 14.0;
    let mut open = None;
    let shown = &st.shown;
    TableBuilder::new(ui)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .id_salt("census")
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::auto().at_least(100.0))
        .column(Column::auto().at_least(50.0))
        .column(Column::auto().at_least(40.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::auto().at_least(130.0))
        .column(Column::auto().at_least(140.0))
        .column(Column::exact(56.0))
        .column(Column::exact(40.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::remainder().at_least(60.0).clip(true))
        .header(row_h, |mut h| {
            for t in [
                "病棟",
                "病室",
                "病床",
                "患者ID",
                "氏名",
                "カナ",
                "年齢",
                "性別",
                "入院日",
                "診療科",
                "主治医",
                "",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, shown.len(), |mut row| {
                let Some(&(wi, ei)) = shown.get(row.index()) else {
                    return;
                };
                let Some(w) = census.wards.get(wi) else { return };
                let Some(e) = w.entries.get(ei) else { return };
                row.col(|ui| {
                    ui.label(&w.name);
                });
                row.col(|ui| {
                    ui.label(&e.room);
                });
                row.col(|ui| {
                    ui.label(&e.bed);
                });
                row.col(|ui| {
                    ui.label(RichText::new(&e.patient_id).monospace());
                });
                row.col(|ui| {
                    let name = if e.name_kanji.is_empty() {
                        "（氏名なし）"
                    } else {
                        &e.name_kanji
                    };
                    if ui
                        .add(egui::Button::selectable(
                            false,
                            RichText::new(name).font(fonts::bold(theme::BODY + 1.0)),
                        ))
                        .clicked()
                    {
                        open = Some(e.patient_id.clone());
                    }
                });
                row.col(|ui| {
                    ui.label(&e.name_kana);
                });
                row.col(|ui| {
                    ui.label(e.age.map(|a| format!("{a}歳")).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(e.sex.label_ja());
                });
                row.col(|ui| {
                    ui.label(format::day(e.admitted));
                });
                row.col(|ui| {
                    ui.label(&e.department);
                });
                row.col(|ui| {
                    ui.label(&e.attending);
                });
                row.col(|ui| {
                    if e.on_leave {
                        ui.colored_label(pal.warn, "外出・外泊中");
                    } else if let Some(t) = e.planned_discharge {
                        ui.label(format!("退院予定 {}", format::day(Some(t))));
                    }
                });
                if row.response().clicked() {
                    open = Some(e.patient_id.clone());
                }
            });
        });
    if let Some(r) = print_request {
        app.print(r);
    }
    if let Some(id) = open {
        app.back_to = Screen::Census;
        app.open_chart(&id);
    }
}
