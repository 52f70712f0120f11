//! The chart on an emergency laptop's 1366×768 screen (about 690 points of content under the
//! title and task bars): with 130% text the banner starts as one line, so the tables keep the
//! room; at 100% it is whole; either way the allergy strip stays and a button switches.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::ui::{LifeboatApp, Screen};
use std::path::PathBuf;

#[path = "common/viewer.rs"]
mod viewer;

/// The generated inpatient on a heparin drip (sample-data).
const HEPARIN: &str = "0000010035";

/// The window's content at `zoom` (130% text on 1366×690 pixels is 1051×531 points).
fn harness(zoom: f32) -> Harness<'static, Option<LifeboatApp>> {
    let index = tempfile::tempdir().expect("temp dir");
    let options = viewer::options(
        vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data")],
        index.path().join("index"),
    );
    let mut h = viewer::harness(
        Harness::builder(),
        options,
        egui::vec2(1366.0 / zoom, 690.0 / zoom),
        index,
    );
    h.run();
    h.get_by_label("患者検索").type_text(HEPARIN);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
    assert_eq!(h.state().as_ref().expect("app").screen(), Screen::Chart);
    h
}

fn has(h: &Harness<'_, Option<LifeboatApp>>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn at_130_percent_the_banner_is_one_line_and_can_be_opened() {
    let mut h = harness(1.3);
    assert!(has(&h, &format!("ID {HEPARIN}")));
    assert!(has(&h, "詳細表示"), "one-line banner with its button");
    assert!(!has(&h, "血液型"), "the full banner's second row is folded away");
    assert!(has(&h, "アレルギー:"), "the allergy strip stays");
    h.get_by_label("詳細表示").click();
    h.run();
    assert!(has(&h, "血液型"), "the whole banner on demand");
    h.get_by_label("1行表示").click();
    h.run();
    assert!(!has(&h, "血液型"));
}

#[test]
fn at_100_percent_the_banner_is_whole_on_the_summary_and_one_line_on_the_tables() {
    let mut h = harness(1.0);
    assert!(has(&h, "血液型"), "the whole banner on 概要");
    assert!(has(&h, "1行表示"), "with the button to fold it");
    assert!(has(&h, "アレルギー:"));
    h.get_by_label("検査").click();
    h.run();
    assert!(!has(&h, "血液型"), "one line over the lab table");
    assert!(has(&h, "詳細表示") && has(&h, "アレルギー:"));
    h.get_by_label("詳細表示").click();
    h.run();
    assert!(has(&h, "血液型"), "the operator's choice holds");
}
