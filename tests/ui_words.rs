//! Words and units as a clinician reads them in the viewer (egui_kittest, accessibility tree).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::ui::{LifeboatApp, Screen, StartOptions};
use std::path::PathBuf;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

fn harness(roots: Vec<PathBuf>) -> Harness<'static, Option<LifeboatApp>> {
    let index = tempfile::tempdir().expect("temp dir");
    let options = StartOptions {
        roots,
        settings_path: None,
        inline_jobs: true,
        index_dir: Some(index.path().join("index")),
    };
    Harness::builder()
        // A 1366×768 laptop: the rate must be readable there.
        .with_size(egui::vec2(1366.0, 690.0))
        .with_context_setup(lifeboat::ui::install_fonts)
        .build_ui_state(
            move |ui, app: &mut Option<LifeboatApp>| {
                let _keep = &index;
                app.get_or_insert_with(|| LifeboatApp::new(ui.ctx(), options.clone()))
                    .show(ui);
            },
            None,
        )
}

fn has(h: &Harness<'_, Option<LifeboatApp>>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn open_chart(h: &mut Harness<'_, Option<LifeboatApp>>, id: &str) {
    h.run();
    h.get_by_label("患者検索").type_text(id);
    h.run();
    h.get_by_label(id).click();
    h.run();
    assert_eq!(
        h.state().as_ref().map(|a| a.screen()),
        Some(Screen::Chart)
    );
}

/// The sample's drip is sent as `102` with `ml/hr^ミリリッター／時間^ISO+`: the 処方・注射 table
/// shows `102 mL/h`, never the spelled-out katakana.
#[test]
fn injection_rate_is_shown_compact() {
    let mut h = harness(vec![nho()]);
    open_chart(&mut h, "9999013");
    h.get_by_label("処方・注射").click();
    h.run();
    h.get_by_label("終了した処方・注射も表示").click();
    h.run();
    // Injections only, so that the drip's rows are on screen at 690 px.
    h.get_by_label("注射").click();
    h.run();
    assert!(has(&h, "ソリタ") || has(&h, "102"), "the drip is listed");
    assert!(
        h.query_all_by_label("102 mL/h").next().is_some(),
        "rate cell reads 102 mL/h"
    );
    assert!(!has(&h, "ミリリッター"), "no spelled-out rate unit in the table");
}
