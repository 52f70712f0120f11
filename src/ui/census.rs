//! The ward board: inpatients at the data time by ward, room and bed, with what a ward reads
//! first — day of stay, main problem, allergies, diet, infection marks, drips running (the
//! printed cover carries the same columns, from `chart::BoardLine`). Virtualised rows, so an
//! 800-bed hospital scrolls at frame rate; click a row, or ↑↓ and Enter, to open the chart. The
//! board columns are filled on a second job (one chart per inpatient) and show 「…」 until then.

use super::app::{LifeboatApp, Screen};
use super::jobs::Job;
use super::{fonts, format, print_hook, theme};
use crate::chart::{BoardLine, Census, Worklist};
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
    board_job: Option<Job<HashMap<String, (BoardLine, Worklist)>>>,
    /// Patient ID → the board's columns and the worklist, once computed.
    board: HashMap<String, (BoardLine, Worklist)>,
    /// Show the ward's worklist (running, due in 24 h) instead of the board.
    worklist: bool,
    /// Row selected with ↑↓ (index into `shown`).
    selected: usize,
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

    /// Starts the board columns' job once the census is there.
    fn start_board(&mut self, ctx: &egui::Context, index: &Arc<SnapshotIndex>, inline: bool) {
        if self.board_job.is_some() || !self.board.is_empty() {
            return;
        }
        let Some(Ok(census)) = &self.census else { return };
        let ids: Vec<String> = census.entries().map(|(_, e)| e.patient_id.clone()).collect();
        if ids.is_empty() {
            return;
        }
        let idx = index.clone();
        self.board_job = Some(Job::start(ctx, inline, move |_| {
            ids.into_iter()
                .filter_map(|id| {
                    idx.chart(&id)
                        .ok()
                        .map(|c| (id, (c.board_line(), c.worklist().clone())))
                })
                .collect()
        }));
        if let Some(job) = &mut self.board_job
            && let Some(b) = job.poll()
        {
            self.board = b;
            self.board_job = None;
        }
    }

    fn poll_board(&mut self) {
        if let Some(job) = &mut self.board_job
            && let Some(b) = job.poll()
        {
            self.board = b;
            self.board_job = None;
        }
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
    st.start_board(&app.ctx, &index, app.inline_jobs);
    st.poll_board();
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
        let worklist = ui
            .add_enabled(!busy, egui::Button::new("ワークリスト印刷"))
            .on_hover_text("注射・投薬ワークリスト（実施中・24時間以内の予定・直近48時間の実施、チェック欄つき）を PDF にして開きます");
        if worklist.clicked() {
            print_request = Some(print_hook::PrintRequest::Worklist { ward: st.ward.clone() });
        }
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
    ui.horizontal(|ui| {
        if ui.selectable_label(!st.worklist, "病棟ボード").clicked() {
            st.worklist = false;
        }
        if ui
            .selectable_label(st.worklist, "ワークリスト（実施中・24時間以内の予定）")
            .clicked()
        {
            st.worklist = true;
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

    if st.worklist {
        let open = ward_worklist(ui, census, &st.shown, &st.board, st.board_job.is_some());
        if let Some(r) = print_request {
            app.print(r);
        }
        if let Some(id) = open {
            app.back_to = Screen::Census;
            app.open_chart(&id);
        }
        return;
    }
    // ↑↓ move the selection, Enter opens it (when no text field has the keyboard).
    if !st.shown.is_empty() && !ui.ctx().egui_wants_keyboard_input() {
        let (down, up, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            )
        });
        if down {
            st.selected = (st.selected + 1).min(st.shown.len() - 1);
        }
        if up {
            st.selected = st.selected.saturating_sub(1);
        }
        st.selected = st.selected.min(st.shown.len() - 1);
        if enter
            && let Some(&(wi, ei)) = st.shown.get(st.selected)
            && let Some(e) = census.wards.get(wi).and_then(|w| w.entries.get(ei))
        {
            app.back_to = Screen::Census;
            let id = e.patient_id.clone();
            app.open_chart(&id);
            return;
        }
    }
    let row_h = theme::BODY + 14.0;
    let mut open = None;
    let shown = &st.shown;
    let board = &st.board;
    let selected = st.selected;
    let pending = st.board_job.is_some();
    TableBuilder::new(ui)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .id_salt("census")
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::exact(105.0).clip(true))
        .column(Column::exact(70.0))
        .column(Column::exact(140.0).clip(true))
        .column(Column::exact(70.0))
        .column(Column::exact(60.0))
        .column(Column::exact(150.0).clip(true))
        .column(Column::exact(150.0).clip(true))
        .column(Column::exact(90.0).clip(true))
        .column(Column::exact(120.0).clip(true))
        .column(Column::remainder().at_least(100.0).clip(true))
        .header(row_h, |mut h| {
            for t in [
                "病棟",
                "病室-床",
                "氏名",
                "年齢・性別",
                "入院",
                "主病名",
                "アレルギー",
                "食事",
                "感染症",
                "点滴・外泊",
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
                row.set_selected(row.index() == selected);
                let b = board.get(&e.patient_id).map(|(b, _)| b);
                let wait = |ui: &mut egui::Ui| {
                    if pending {
                        ui.colored_label(pal.muted, "…");
                    }
                };
                row.col(|ui| {
                    ui.label(&w.name);
                });
                row.col(|ui| {
                    ui.label(RichText::new(format!("{}-{}", e.room, e.bed)).strong());
                });
                row.col(|ui| {
                    let name = if e.name_kanji.is_empty() {
                        "（氏名なし）"
                    } else {
                        &e.name_kanji
                    };
                    let r = ui.add(egui::Button::selectable(
                        false,
                        RichText::new(name).font(fonts::bold(theme::BODY + 1.0)),
                    ));
                    let r = r.on_hover_text(format!(
                        "{}　ID {}　{}　主治医 {}",
                        e.name_kana, e.patient_id, e.department, e.attending
                    ));
                    if r.clicked() {
                        open = Some(e.patient_id.clone());
                    }
                });
                row.col(|ui| {
                    ui.label(format!(
                        "{} {}",
                        e.age.map(|a| format!("{a}歳")).unwrap_or_default(),
                        e.sex.label_ja()
                    ));
                });
                row.col(|ui| match b.and_then(|b| b.day_of_stay) {
                    Some(d) => {
                        ui.label(format!("{d}日目"))
                            .on_hover_text(format!("入院日 {}", format::day(e.admitted)));
                    }
                    None => {
                        ui.label(format::day(e.admitted));
                    }
                });
                row.col(|ui| match b {
                    Some(b) => {
                        ui.label(&b.main_problem).on_hover_text(&b.main_problem);
                    }
                    None => wait(ui),
                });
                row.col(|ui| match b {
                    Some(b) if b.drug_allergy => {
                        ui.label(RichText::new(&b.allergy).strong().color(pal.danger))
                            .on_hover_text(&b.allergy);
                    }
                    Some(b) => {
                        ui.label(&b.allergy).on_hover_text(&b.allergy);
                    }
                    None => wait(ui),
                });
                row.col(|ui| match b {
                    Some(b) if b.fasting => {
                        ui.label(RichText::new(&b.diet).strong().color(pal.warn));
                    }
                    Some(b) => {
                        ui.label(&b.diet);
                    }
                    None => wait(ui),
                });
                row.col(|ui| match b {
                    Some(b) if !b.infection.is_empty() => {
                        // The marks only (`HCV(+)`); their result dates on hover.
                        let short: Vec<&str> = b
                            .infection
                            .iter()
                            .map(|m| m.split(' ').next().unwrap_or(m))
                            .collect();
                        ui.label(RichText::new(short.join(" ")).strong().color(pal.danger))
                            .on_hover_text(b.infection.join("\n"));
                    }
                    Some(_) => {
                        ui.colored_label(pal.muted, "—");
                    }
                    None => wait(ui),
                });
                row.col(|ui| {
                    if e.on_leave {
                        ui.colored_label(pal.warn, "外出・外泊中");
                    }
                    match b {
                        Some(b) if !b.drips.is_empty() => {
                            let t = b.drips.join(" / ");
                            ui.label(&t).on_hover_text(t);
                        }
                        Some(_) => {
                            if let Some(t) = e.planned_discharge {
                                ui.label(format!("退院予定 {}", format::day(Some(t))));
                            }
                        }
                        None => wait(ui),
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

/// The ward worklist: one block per bed, what runs now and what is due in the next 24 hours.
fn ward_worklist(
    ui: &mut egui::Ui,
    census: &Census,
    shown: &[(usize, usize)],
    board: &HashMap<String, (BoardLine, Worklist)>,
    pending: bool,
) -> Option<String> {
    let pal = theme::palette(ui);
    let mut open = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if pending {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("ワークリストを作成中…");
                });
                return;
            }
            for &(wi, ei) in shown {
                let Some(w) = census.wards.get(wi) else { continue };
                let Some(e) = w.entries.get(ei) else { continue };
                ui.add_space(6.0);
                ui.horizontal_wrapped(|ui| {
                    let title = format!("{} {}-{}　{}", w.name, e.room, e.bed, e.name_kanji);
                    if ui
                        .add(egui::Button::selectable(
                            false,
                            RichText::new(title).font(fonts::bold(theme::BODY + 1.0)),
                        ))
                        .clicked()
                    {
                        open = Some(e.patient_id.clone());
                    }
                    ui.colored_label(pal.muted, format!("ID {}", e.patient_id));
                });
                let Some((line, list)) = board.get(&e.patient_id) else {
                    ui.colored_label(pal.muted, "（読めませんでした）");
                    continue;
                };
                if line.drug_allergy {
                    ui.label(RichText::new(format!("薬剤アレルギー: {}", line.allergy)).color(pal.danger));
                }
                for m in &list.running {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("実施中").color(pal.ok));
                        ui.label(RichText::new(&m.drug).strong());
                        ui.label(format!("{} {}", m.dose, m.how_ja()));
                        ui.colored_label(pal.muted, format!("{}〜", format::ts(m.start)));
                    });
                }
                for d in &list.due {
                    ui.horizontal_wrapped(|ui| {
                        let t = d
                            .time
                            .map(|t| t.value().format("%m/%d %H:%M").to_string())
                            .unwrap_or_else(|| "時刻不明".into());
                        ui.label(RichText::new(t).monospace());
                        ui.label(d.what_ja());
                        ui.label(format!("{} {}", d.dose, d.how));
                        ui.colored_label(pal.muted, &d.note);
                    });
                }
                if list.running.is_empty() && list.due.is_empty() {
                    ui.colored_label(pal.muted, "実施中・24時間以内の予定なし");
                }
                ui.separator();
            }
        });
    open
}
