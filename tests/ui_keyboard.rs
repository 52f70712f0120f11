//! The viewer by keyboard and clipboard (egui_kittest, headless): Esc closes the innermost thing
//! first, Ctrl+F selects the search text, Alt+digits never type, Ctrl+P prints the open chart,
//! 「コピー」 and Ctrl+C put tab-separated text on the clipboard, PgDn/End scroll lists, and the
//! search screen starts with the recent patients.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::ui::{LifeboatApp, PrintRequest, Screen};
use std::path::PathBuf;
#[path = "common/viewer.rs"]
mod viewer;

/// The generated inpatient on a heparin drip (sample-data).
const HEPARIN: &str = "0000010035";

fn sample_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn harness() -> Harness<'static, Option<LifeboatApp>> {
    harness_with(false)
}

/// `tofu`: draw characters no font has as boxes, as the viewer does (a test harness panics):
/// the end of the patient list holds a generated patient whose name came undecodable (U+FFFD).
fn harness_with(tofu: bool) -> Harness<'static, Option<LifeboatApp>> {
    let index = tempfile::tempdir().expect("temp dir");
    let options = viewer::options(vec![sample_data()], index.path().join("index"));
    let mut builder = Harness::builder();
    if tofu {
        builder = builder.allow_missing_glyphs();
    }
    let mut h = viewer::harness(builder, options, egui::vec2(1366.0, 690.0), index);
    h.run();
    h
}

fn app<'a>(h: &'a Harness<'_, Option<LifeboatApp>>) -> &'a LifeboatApp {
    h.state().as_ref().expect("app built on the first frame")
}

fn has(h: &Harness<'_, Option<LifeboatApp>>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn open_chart(h: &mut Harness<'_, Option<LifeboatApp>>, id: &str) {
    h.get_by_label("患者検索").type_text(id);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(app(h).screen(), Screen::Chart);
    assert!(has(h, &format!("ID {id}")), "chart of {id}");
}

/// Focuses the field labelled `label` and types `text` into it.
fn type_into(h: &mut Harness<'_, Option<LifeboatApp>>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn value(h: &Harness<'_, Option<LifeboatApp>>, label: &str) -> String {
    h.get_by_label(label).value().unwrap_or_default()
}

fn alt(h: &mut Harness<'_, Option<LifeboatApp>>, key: egui::Key) {
    h.key_press_modifiers(egui::Modifiers::ALT, key);
    h.run();
}

/// What the frames since the last call put on the clipboard, stepping frame by frame (the
/// harness keeps only the last frame's output).
fn copied(h: &mut Harness<'_, Option<LifeboatApp>>) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..4 {
        h.step();
        for c in &h.output().platform_output.commands {
            if let egui::OutputCommand::CopyText(t) = c {
                out.push(t.clone());
            }
        }
    }
    out
}

#[test]
fn esc_clears_a_filter_then_closes_a_popup_then_leaves_the_chart() {
    // The problems window lists undecodable names (U+FFFD) as sent.
    let mut h = harness_with(true);
    open_chart(&mut h, HEPARIN);
    alt(&mut h, egui::Key::Num3);
    assert!(has(&h, "文字で絞り込み:"), "Alt+3 opens 経過");
    type_into(&mut h, "文字で絞り込み:", "ヘパリン");
    assert_eq!(value(&h, "文字で絞り込み:"), "ヘパリン");

    // 1st Esc: the filter's text goes, the chart stays.
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
    assert_eq!(value(&h, "文字で絞り込み:"), "", "filter cleared");

    // An open combo box takes the next Esc.
    h.get_by_label("種類で絞り込み").click();
    h.run();
    assert!(has(&h, "すべて表示"), "combo box open");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
    assert!(!has(&h, "すべて表示"), "combo box closed");

    // The problems window, opened over the chart, takes the next.
    h.get_by_label_contains("問題一覧（").click();
    h.run();
    assert!(has(&h, "取込時の問題一覧"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!has(&h, "取込時の問題一覧"), "window closed");
    assert_eq!(app(&h).screen(), Screen::Chart);

    // Nothing open: Esc leaves the chart.
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Search);
}

#[test]
fn a_lab_filter_understands_abbreviations_and_esc_clears_it() {
    let mut h = harness();
    open_chart(&mut h, HEPARIN);
    alt(&mut h, egui::Key::Num6);
    assert!(has(&h, "項目で絞り込み:"), "Alt+6 opens 検査");
    assert!(has(&h, "総蛋白"), "unfiltered table");
    type_into(&mut h, "項目で絞り込み:", "ｃｒ");
    assert!(has(&h, "クレアチニン"), "cr finds クレアチニン");
    assert!(!has(&h, "総蛋白"), "and nothing else");
    assert!(!has(&h, "ＣＲＰ"), "cr is creatinine, not CRP");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart, "Esc cleared the filter only");
    assert!(has(&h, "総蛋白"), "whole table again");
}

#[test]
fn timeline_date_filter_says_when_it_cannot_read_the_date() {
    let mut h = harness();
    open_chart(&mut h, HEPARIN);
    alt(&mut h, egui::Key::Num3);
    type_into(&mut h, "期間:", "きのう");
    assert!(has(&h, "「きのう」は日付として読めません"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!has(&h, "日付として読めません"));
    type_into(&mut h, "期間:", "R8.11.20");
    assert!(!has(&h, "日付として読めません"), "era dates are dates");
}

#[test]
fn ctrl_f_selects_the_search_text_so_typing_replaces_it() {
    let mut h = harness();
    open_chart(&mut h, HEPARIN);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Search);
    assert!(h.get_by_label("患者検索").is_focused(), "the box has the focus");
    h.get_by_label("患者検索").type_text("99");
    h.run();
    assert_eq!(value(&h, "患者検索"), "99", "typing replaced {HEPARIN}");
}

#[test]
fn alt_digits_switch_tabs_without_typing_into_a_focused_filter() {
    let mut h = harness();
    open_chart(&mut h, HEPARIN);
    alt(&mut h, egui::Key::Num3);
    type_into(&mut h, "文字で絞り込み:", "ab");
    // X11 sends the digit as text too, with Alt held (the harness runs a frame per event).
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::ALT));
    h.event(egui::Event::Key {
        key: egui::Key::Num3,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::ALT,
    });
    h.event(egui::Event::Text("3".into()));
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.run();
    assert_eq!(value(&h, "文字で絞り込み:"), "ab", "no digit typed");
    assert!(
        h.get_by_label("文字で絞り込み:").is_focused(),
        "and the focus stays"
    );
}

#[test]
fn ctrl_p_prints_the_open_chart() {
    let mut h = harness();
    h.state_mut().as_mut().expect("app").hold_prints();
    // Not on a chart: nothing to print.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    h.run();
    assert!(app(&h).held_prints().is_empty());
    open_chart(&mut h, HEPARIN);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    h.run();
    assert_eq!(
        app(&h).held_prints(),
        [PrintRequest::Patient {
            patient_id: HEPARIN.to_string()
        }]
    );
}

#[test]
fn copy_buttons_put_the_lab_table_and_medication_list_on_the_clipboard_as_tsv() {
    let mut h = harness();
    open_chart(&mut h, HEPARIN);
    alt(&mut h, egui::Key::Num6);
    type_into(&mut h, "項目で絞り込み:", "K");
    h.get_by_label("コピー").click();
    let texts = copied(&mut h);
    let labs = texts.first().expect("the lab table was copied");
    let lines: Vec<&str> = labs.lines().collect();
    assert!(lines[0].starts_with("検査項目\t単位\t基準値\t"), "{}", lines[0]);
    assert_eq!(lines.len(), 2, "header and the potassium row: {labs}");
    assert!(lines[1].starts_with("カリウム\t"), "{}", lines[1]);
    let cols = lines[0].split('\t').count();
    assert_eq!(lines[1].split('\t').count(), cols, "one cell per column");

    alt(&mut h, egui::Key::Num4);
    h.get_by_label("コピー").click();
    let texts = copied(&mut h);
    let meds = texts.first().expect("the medication list was copied");
    let mut lines = meds.lines();
    assert_eq!(
        lines.next(),
        Some("オーダ日\t区分\t薬剤\t状態\t1回量\t用法\t経路\t日数\t速度")
    );
    let heparin = lines
        .find(|l| l.contains("ヘパリンＮａ注５千単位／５ｍＬ「モチダ」"))
        .expect("the running heparin drip is in the list");
    assert_eq!(heparin.split('\t').count(), 9);
    assert!(heparin.contains("\t実施中\t"), "{heparin}");
}

#[test]
fn ctrl_c_copies_the_selected_row() {
    let mut h = harness();
    open_chart(&mut h, HEPARIN);
    alt(&mut h, egui::Key::Num4);
    // Injections only: with wrapped cells the prescriptions push the drip below 690 px.
    h.get_by_label("注射").click();
    h.run();
    h.get_all_by_label("ヘパリンＮａ注５千単位／５ｍＬ「モチダ」")
        .next()
        .expect("heparin row")
        .click();
    h.run();
    h.event(egui::Event::Copy);
    let texts = copied(&mut h);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].contains("\tヘパリンＮａ注５千単位／５ｍＬ「モチダ」\t"),
        "{}",
        texts[0]
    );
    assert!(texts[0].ends_with('\n') && texts[0].lines().count() == 1);
}

#[test]
fn search_starts_with_the_inpatients_by_ward_then_recent_visits() {
    let mut h = harness();
    let index = app(&h).snapshot().expect("sample-data opens");
    let census = index.census().clone();
    let total = index.patient_count();
    let (_, first) = census.entries().next().expect("inpatients");
    assert!(has(&h, "最近の患者"), "the start list is announced");
    // The census's first bed is the first row, before anything is typed.
    let first_row = h
        .query_all_by_label(&first.patient_id)
        .next()
        .expect("first inpatient listed");
    let _ = first_row;
    // ↓ and Enter open the second inpatient, as on the census.
    let (_, second) = census.entries().nth(1).expect("2 inpatients");
    h.key_press(egui::Key::ArrowDown);
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
    assert!(has(&h, &format!("ID {}", second.patient_id)));
    assert!(total > 0);
}

#[test]
fn end_and_home_scroll_the_start_list() {
    let mut h = harness_with(true);
    let index = app(&h).snapshot().expect("sample-data opens");
    let (_, first) = index.census().entries().next().expect("inpatients");
    let first = first.patient_id.clone();
    assert!(index.patient_count() > 40, "a list longer than the screen");
    assert!(has(&h, &first));
    // The search box has the focus: End would move its cursor. Leave it first.
    h.get_by_label_contains("名の患者が登録されています").click();
    h.run();
    assert!(!h.get_by_label("患者検索").is_focused());
    h.key_press(egui::Key::End);
    h.run();
    assert!(!has(&h, &first), "End scrolled the first row away");
    h.key_press(egui::Key::Home);
    h.run();
    assert!(has(&h, &first), "Home brought it back");
    // PgDn works with the box focused too.
    h.get_by_label("患者検索").focus();
    h.run();
    h.key_press(egui::Key::PageDown);
    h.run();
    assert!(!has(&h, &first), "PgDn scrolled a page");
}
