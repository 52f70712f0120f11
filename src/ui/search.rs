//! Patient search: one box, results as you type, arrows to move, Enter to open.

use super::app::LifeboatApp;
use super::jobs::Job;
use super::{fonts, format, theme};
use crate::index::PatientHit;
use egui::{Key, Modifiers, RichText};
use egui_extras::{Column, TableBuilder};

const LIMIT: usize = 200;

type Answer = (String, Result<Vec<PatientHit>, String>);

pub struct SearchState {
    pub query: String,
    /// The query the results are for: searching runs only when the text changes.
    searched: Option<String>,
    /// A search running off the UI thread: a record word's first search on a cold index reads
    /// the disk for up to half a second, and typing must not stall. One at a time; the newest
    /// text is searched when it returns.
    running: Option<Job<Answer>>,
    pub results: Vec<PatientHit>,
    pub selected: usize,
    pub focus_next_frame: bool,
    /// Ctrl+F: select the whole text when focusing, so typing replaces it.
    pub select_all_next_frame: bool,
    error: Option<String>,
    /// The list shown before anything is typed (see [`super::start_list`]), made once.
    start: Option<Job<Result<Vec<PatientHit>, String>>>,
    start_list: Option<Result<Vec<PatientHit>, String>>,
}

impl Default for SearchState {
    fn default() -> Self {
        SearchState {
            query: String::new(),
            searched: None,
            running: None,
            results: Vec::new(),
            selected: 0,
            focus_next_frame: true,
            select_all_next_frame: false,
            error: None,
            start: None,
            start_list: None,
        }
    }
}

/// The rows on screen: the start list while the box is empty, else the search results.
fn rows(s: &SearchState) -> &[PatientHit] {
    if s.query.trim().is_empty() {
        match &s.start_list {
            Some(Ok(list)) => list,
            _ => &[],
        }
    } else {
        &s.results
    }
}

/// Makes the start list once per snapshot, off the UI thread.
fn start_list(
    s: &mut SearchState,
    ctx: &egui::Context,
    index: &std::sync::Arc<crate::index::SnapshotIndex>,
    inline: bool,
) {
    if s.start_list.is_none() && s.start.is_none() {
        let index = index.clone();
        s.start = Some(Job::start(ctx, inline, move |_| {
            super::start_list::build(&index, LIMIT)
        }));
    }
    if let Some(list) = s.start.as_mut().and_then(Job::poll) {
        s.start = None;
        s.start_list = Some(list);
    }
}

/// Takes a finished search's answer, if there is one.
fn settle(s: &mut SearchState) {
    if let Some((query, answer)) = s.running.as_mut().and_then(Job::poll) {
        s.running = None;
        s.selected = 0;
        s.error = answer.as_ref().err().cloned();
        s.results = answer.unwrap_or_default();
        s.searched = Some(query);
    }
}

pub fn show(app: &mut LifeboatApp, ui: &mut egui::Ui) {
    let Some(index) = app.snapshot.clone() else { return };
    let pal = theme::palette(ui);
    let inline_jobs = app.inline_jobs;
    let audit = app.audit.clone();
    let s = &mut app.search;
    let census = &app.census;
    start_list(s, ui.ctx(), &index, inline_jobs);
    let was_empty = s.query.trim().is_empty();

    // Arrow keys belong to the result list, not to the text cursor.
    let (down, up, enter, esc) = ui.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.key_pressed(Key::Enter),
            i.consume_key(Modifiers::NONE, Key::Escape),
        )
    });
    let mut scroll_to = None;
    let n = rows(s).len();
    if down && n > 0 {
        s.selected = (s.selected + 1).min(n - 1);
        scroll_to = Some(s.selected);
    }
    if up {
        s.selected = s.selected.saturating_sub(1);
        scroll_to = Some(s.selected);
    }
    if esc {
        s.query.clear();
        s.focus_next_frame = true;
    }

    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let l = ui.label(RichText::new("患者検索").font(fonts::bold(theme::BODY + 4.0)));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut s.query)
                    .id_salt("search-box")
                    .hint_text("患者ID・氏名（漢字/カナ）・生年月日（例 1948-03-02、昭和23年3月2日）")
                    .font(egui::FontId::proportional(theme::BODY + 3.0))
                    .desired_width(ui.available_width().min(720.0)),
            )
            .labelled_by(l.id);
        if s.focus_next_frame {
            edit.request_focus();
            s.focus_next_frame = false;
        }
        if s.select_all_next_frame {
            s.select_all_next_frame = false;
            let mut state = egui::TextEdit::load_state(ui.ctx(), edit.id).unwrap_or_default();
            let all = egui::text::CCursorRange::two(
                egui::text::CCursor::new(0),
                egui::text::CCursor::new(s.query.chars().count()),
            );
            state.cursor.set_char_range(Some(all));
            state.store(ui.ctx(), edit.id);
        }
    });
    ui.colored_label(
        pal.muted,
        "入力すると候補が表示されます。↑↓で選択、Enter でカルテを開く、Esc で消去。",
    );

    settle(s);
    if s.running.is_none() && s.searched.as_deref() != Some(s.query.as_str()) {
        let query = s.query.clone();
        // Every search run is logged with its text.
        if let Some(a) = &audit
            && !query.trim().is_empty()
        {
            a.record(crate::audit::Event::Search {
                text: query.trim().to_string(),
            });
        }
        let index = index.clone();
        s.running = Some(Job::start(ui.ctx(), inline_jobs, move |_| {
            let answer = index.search(query.trim(), LIMIT).map_err(|e| format!("{e:#}"));
            (query, answer)
        }));
        // Run inline (tests), the answer is already there.
        settle(s);
    }
    if let Some(e) = &s.error {
        ui.colored_label(pal.danger, format!("検索できませんでした: {e}"));
    }

    let mut open = None;
    if was_empty != s.query.trim().is_empty() {
        s.selected = 0;
    }
    if enter {
        match rows(s).get(s.selected) {
            Some(hit) => open = Some(hit.id.clone()),
            // egui drops the focus of a single-line field on Enter; keep typing possible.
            None => s.focus_next_frame = true,
        }
    }

    ui.add_space(4.0);
    if s.query.trim().is_empty() {
        let what = match &s.start_list {
            Some(Ok(l)) if !l.is_empty() => format!(
                "最近の患者 {} 名（入院中を病棟順に、続いて最終受診の新しい順）",
                l.len()
            ),
            Some(Err(e)) => format!("最近の患者を一覧にできませんでした: {e}"),
            _ => String::new(),
        };
        ui.label(format!(
            "{} 名の患者が登録されています。{what}",
            format::count(index.patient_count() as u64)
        ));
    } else if s.searched.as_deref() != Some(s.query.as_str()) && s.results.is_empty() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("検索中…");
        });
    } else if s.results.is_empty() {
        ui.label(RichText::new("該当する患者はいません").font(fonts::bold(theme::BODY)));
    } else {
        let more = if s.results.len() >= LIMIT {
            "（上位のみ表示）"
        } else {
            ""
        };
        ui.label(format!("検索結果: {} 件{more}", s.results.len()));
    }

    // Ages at the data time, as the banner, the census and the printouts give them.
    let today = index.as_of().map_or_else(format::today, |t| t.date());
    let row_h = theme::BODY + 14.0;
    let mut table = TableBuilder::new(ui)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .id_salt("search-results")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .column(Column::auto().at_least(110.0))
        .column(Column::auto().at_least(160.0))
        .column(Column::auto().at_least(180.0))
        .column(Column::exact(50.0))
        // Wide enough for an infant's 「2歳7か月」 (it was cut to 「2歳7…」).
        .column(Column::auto().at_least(84.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::auto().at_least(150.0))
        .column(Column::auto().at_least(150.0))
        .column(Column::remainder().at_least(120.0));
    if let Some(r) = scroll_to {
        table = table.scroll_to_row(r, None);
    }
    table
        .header(row_h, |mut h| {
            for t in [
                "患者ID",
                "氏名",
                "カナ",
                "性別",
                "年齢",
                "生年月日",
                "和暦",
                "病棟・病床",
                "最終受診",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            let shown = rows(s);
            body.rows(row_h, shown.len(), |mut row| {
                let i = row.index();
                let Some(hit) = shown.get(i) else { return };
                row.set_selected(i == s.selected);
                row.col(|ui| {
                    ui.label(RichText::new(&hit.id).monospace());
                });
                row.col(|ui| {
                    let name = if hit.name_kanji.is_empty() {
                        "（氏名なし）"
                    } else {
                        hit.name_kanji.as_str()
                    };
                    if ui
                        .add(egui::Button::selectable(
                            i == s.selected,
                            RichText::new(name).font(fonts::bold(theme::BODY + 1.0)),
                        ))
                        .clicked()
                    {
                        open = Some(hit.id.clone());
                    }
                    if hit.same_name {
                        // As Japanese EMRs do: another patient has this name; check the ID.
                        ui.label(
                            RichText::new("同姓同名あり")
                                .font(fonts::bold(theme::BODY - 1.0))
                                .color(theme::palette(ui).danger),
                        )
                        .on_hover_text("同じ氏名の患者が他にいます。患者IDと生年月日で確認してください");
                    }
                });
                row.col(|ui| {
                    ui.label(&hit.name_kana);
                });
                row.col(|ui| {
                    ui.label(hit.sex.label_ja());
                });
                row.col(|ui| {
                    ui.label(format::age_label(hit.birth_date, today));
                });
                row.col(|ui| {
                    ui.label(format::day(hit.birth_date));
                });
                row.col(|ui| {
                    ui.label(format::era(hit.birth_date));
                });
                row.col(|ui| {
                    match &hit.location {
                        Some(l) => ui.label(l.display()),
                        None => ui.label(census.location_of(&hit.id).unwrap_or_default()),
                    };
                });
                row.col(|ui| {
                    ui.label(format::day(hit.last_visit));
                });
                if row.response().clicked() {
                    open = Some(hit.id.clone());
                }
            });
        });

    if let Some(id) = open {
        app.open_chart(&id);
    }
}
