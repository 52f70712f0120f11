//! Ward census: inpatients at the data time by ward, room and bed. Virtualised rows, so an
//! 800-bed hospital scrolls at frame rate; click a row (or its name) to open the chart.

use super::app::{LifeboatApp, Screen};
use super::jobs::Job;
use super::{fonts, format, print_hook, theme};
use crate::index::SnapshotIndex;
use crate::model::{Sex, Timestamp};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

/// One occupied bed.
#[derive(Clone, Debug, Default)]
pub struct CensusRow {
    pub ward: String,
    pub room: String,
    pub bed: String,
    pub patient_id: String,
    pub name_kanji: String,
    pub name_kana: String,
    pub sex: Sex,
    pub birth_date: Option<Timestamp>,
    pub admitted: Option<Timestamp>,
    pub department: String,
    pub doctor: String,
}

#[derive(Default)]
pub struct CensusState {
    job: Option<Job<Result<Vec<CensusRow>, String>>>,
    rows: Option<Result<Vec<CensusRow>, String>>,
    /// Selected ward; empty: all wards.
    ward: String,
    shown: Vec<usize>,
    shown_for: Option<String>,
}

/// The census from the index (sorted by ward, room, bed).
fn load(index: &SnapshotIndex) -> Result<Vec<CensusRow>, String> {
    let mut rows = super::census_source::rows(index)?;
    rows.sort_by(|a, b| {
        (a.ward.as_str(), natural(&a.room), natural(&a.bed)).cmp(&(b.ward.as_str(), natural(&b.room), natural(&b.bed)))
    });
    Ok(rows)
}

/// Room and bed numbers sort as numbers when they are numbers ("2" before "10").
fn natural(s: &str) -> (u64, &str) {
    (s.trim().parse::<u64>().unwrap_or(u64::MAX), s)
}

pub fn show(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let Some(index) = app.snapshot.clone() else { return };
    let st = &mut app.census;
    if st.rows.is_none() && st.job.is_none() {
        let idx = index.clone();
        st.job = Some(Job::start(&app.ctx, app.inline_jobs, move |_| load(&idx)));
    }
    if let Some(job) = &mut st.job
        && let Some(r) = job.poll()
    {
        st.rows = Some(r);
        st.job = None;
        st.shown_for = None;
    }
    let pal = theme::palette(ui);
    ui.add_space(6.0);
    let rows = match &st.rows {
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
        Some(Ok(rows)) => rows,
    };

    let mut wards: Vec<&str> = rows.iter().map(|r| r.ward.as_str()).collect();
    wards.dedup();
    let as_of = format::ts(index.as_of());
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("病棟一覧（入院患者）").font(fonts::bold(theme::BODY + 4.0)));
        ui.label(format!("{as_of} 時点　{} 名", rows.len()));
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("病棟:");
        if ui.selectable_label(st.ward.is_empty(), "すべて").clicked() {
            st.ward.clear();
        }
        for w in &wards {
            let n = rows.iter().filter(|r| r.ward == *w).count();
            let label = if w.is_empty() { "（病棟不明）".to_string() } else { w.to_string() };
            if ui
                .selectable_label(st.ward == *w, format!("{label} {n}名"))
                .clicked()
            {
                st.ward = w.to_string();
            }
        }
        let print = ui.add_enabled(
            print_hook::available() && !st.ward.is_empty(),
            egui::Button::new("病棟サマリー印刷"),
        );
        let print = if print_hook::available() {
            print.on_hover_text("選んだ病棟の一覧を PDF にして開きます")
        } else {
            print.on_disabled_hover_text(print_hook::NOT_READY)
        };
        if print.clicked() {
            let _ = print_hook::print(&index, print_hook::PrintRequest::Ward { ward: &st.ward });
        }
    });
    if st.shown_for.as_deref() != Some(st.ward.as_str()) {
        st.shown = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| st.ward.is_empty() || r.ward == st.ward)
            .map(|(i, _)| i)
            .collect();
        st.shown_for = Some(st.ward.clone());
    }

    let today = format::today();
    let row_h = theme::BODY + 14.0;
    let mut open = None;
    TableBuilder::new(ui)
        .id_salt("census")
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(50.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::auto().at_least(150.0))
        .column(Column::auto().at_least(160.0))
        .column(Column::exact(60.0))
        .column(Column::exact(44.0))
        .column(Column::auto().at_least(110.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::remainder().at_least(100.0))
        .header(row_h, |mut h| {
            for t in [
                "病棟", "病室", "病床", "患者ID", "氏名", "カナ", "年齢", "性別", "入院日", "診療科", "主治医",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_h, st.shown.len(), |mut row| {
                let Some(r) = st.shown.get(row.index()).and_then(|&i| rows.get(i)) else {
                    return;
                };
                row.col(|ui| {
                    ui.label(&r.ward);
                });
                row.col(|ui| {
                    ui.label(&r.room);
                });
                row.col(|ui| {
                    ui.label(&r.bed);
                });
                row.col(|ui| {
                    ui.label(RichText::new(&r.patient_id).monospace());
                });
                row.col(|ui| {
                    if ui
                        .add(egui::Button::selectable(
                            false,
                            RichText::new(&r.name_kanji).font(fonts::bold(theme::BODY + 1.0)),
                        ))
                        .clicked()
                    {
                        open = Some(r.patient_id.clone());
                    }
                });
                row.col(|ui| {
                    ui.label(&r.name_kana);
                });
                row.col(|ui| {
                    ui.label(format::age_label(r.birth_date, today));
                });
                row.col(|ui| {
                    ui.label(format::sex(r.sex));
                });
                row.col(|ui| {
                    ui.label(format::day(r.admitted));
                });
                row.col(|ui| {
                    ui.label(&r.department);
                });
                row.col(|ui| {
                    ui.label(&r.doctor);
                });
                if row.response().clicked() {
                    open = Some(r.patient_id.clone());
                }
            });
        });
    if let Some(id) = open {
        app.back_to = Screen::Census;
        app.open_chart(&id);
    }
}
