//! Words and units as a clinician reads them in the viewer (egui_kittest, accessibility tree).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::ui::{LifeboatApp, Screen};
use std::path::PathBuf;
#[path = "common/viewer.rs"]
mod viewer;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

fn harness(roots: Vec<PathBuf>) -> Harness<'static, Option<LifeboatApp>> {
    let index = tempfile::tempdir().expect("temp dir");
    let options = viewer::options(roots, index.path().join("index"));
    // A 1366×768 laptop: the rate must be readable there.
    viewer::harness(Harness::builder(), options, egui::vec2(1366.0, 690.0), index)
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
    assert_eq!(h.state().as_ref().map(|a| a.screen()), Some(Screen::Chart));
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

fn pdfs_in(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("print folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    v.sort();
    v
}

/// The first print asks for a folder (the operator is the signed-in one, said in the dialog);
/// the PDF lands there with the operator on its pages, the header says where it is, and the
/// next print asks nothing.
#[test]
fn print_asks_the_folder_once_and_prints_the_signed_in_operator() {
    let out = tempfile::tempdir().expect("temp dir");
    let mut h = harness(vec![nho()]);
    open_chart(&mut h, "9999013");
    h.get_by_label("印刷").click();
    h.run();
    assert!(
        has(&h, "印刷者: 看護師 看護 花子 (N0001)"),
        "the dialog names the signed-in operator"
    );
    assert!(
        pdfs_in(out.path()).is_empty(),
        "nothing printed before the answer"
    );

    h.get_by_label("保存先フォルダ:").click();
    h.run();
    h.get_by_label("保存先フォルダ:")
        .type_text(&out.path().display().to_string());
    h.get_by_label("保存後に PDF を開く").click();
    h.run();
    h.get_by_label("この内容で印刷").click();
    h.run();

    let files = pdfs_in(out.path());
    assert_eq!(files.len(), 1, "one PDF in the chosen folder: {files:?}");
    assert!(
        has(&h, &format!("PDF を保存しました: {}", out.path().display())),
        "the header says where the PDF is"
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&files[0])
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout).replace([' ', '\u{3000}'], "");
    assert!(
        text.contains("印刷者看護師看護花子(N0001)"),
        "operator on the page: {text}"
    );
    assert!(text.contains("監査"), "the chain head on the page");

    // Asked once: the next print goes straight to the folder.
    std::fs::remove_file(&files[0]).expect("remove first PDF");
    h.get_by_label("印刷").click();
    h.run();
    assert!(!has(&h, "この内容で印刷"), "no second question");
    assert_eq!(pdfs_in(out.path()).len(), 1, "printed again into the same folder");
    assert!(has(&h, "印刷者 看護師 看護 花子 (N0001)・保存先を変更"));
}

/// A path that is not there is said in Japanese on the open screen.
#[test]
fn open_screen_error_reads_in_japanese() {
    let mut h = harness(Vec::new());
    h.run();
    h.get_by_label("場所を入力:").focus();
    h.run();
    h.get_by_label("場所を入力:").type_text("/nonexistent/snapshot");
    h.run();
    h.get_by_label("開く").click();
    h.run();
    assert!(
        has(&h, "開けませんでした: /nonexistent/snapshot が見つかりません"),
        "Japanese cause on the open screen"
    );
    assert!(!has(&h, "not a folder"), "no English on the screen itself");
}

/// The header counts files in the 問題一覧 window's words and numbers: the kinds add up to the
/// total (before, its 取込 included the files with warnings and the window's did not).
#[test]
fn header_file_counts_use_the_problem_windows_words() {
    let mut h = harness(vec![nho()]);
    h.run();
    let r = h
        .state()
        .as_ref()
        .and_then(|a| a.snapshot())
        .map(|s| s.report().clone())
        .expect("nho opens");
    assert_eq!(
        r.files_mapped + r.files_with_warnings + r.files_rejected + r.files_unsupported,
        r.files_total
    );
    assert!(r.files_with_warnings > 0, "the sample has files with warnings");
    let want = format!(
        "取込 {}・警告あり {}・取込不可 {}・未対応 {}",
        r.files_mapped, r.files_with_warnings, r.files_rejected, r.files_unsupported
    );
    assert!(has(&h, &want), "header says {want}");
    h.get_by_label_contains("問題一覧（").click();
    h.run();
    assert!(
        h.query_all_by_label_contains(&want).count() >= 2,
        "header and window say the same"
    );
}
