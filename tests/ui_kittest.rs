//! The desktop viewer driven headless (egui_kittest, accessibility tree; no GPU, no display):
//! open a snapshot, search, open a chart, read its tabs.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::ui::{LifeboatApp, Screen};
use std::path::PathBuf;
#[path = "common/viewer.rs"]
mod viewer;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

fn sample_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// A harness around the whole app with the snapshot loaded synchronously, its index in a
/// folder of its own (tests run in parallel) that lives as long as the harness.
fn harness(roots: Vec<PathBuf>) -> Harness<'static, Option<LifeboatApp>> {
    let index = tempfile::tempdir().expect("temp dir");
    let options = viewer::options(roots, index.path().join("index"));
    viewer::harness(Harness::builder(), options, egui::vec2(1400.0, 1000.0), index)
}

use viewer::has;

fn app<'a>(h: &'a Harness<'_, Option<LifeboatApp>>) -> &'a LifeboatApp {
    h.state().as_ref().expect("app built on the first frame")
}

#[test]
fn nho_patient_from_search_to_labs() {
    let mut h = harness(vec![nho()]);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Search);
    assert!(
        has(&h, "データ基準日時 2011-12-20 22:44"),
        "header shows the data time"
    );

    // No click first: the search box has the focus from the start.
    h.get_by_label("患者検索").type_text("カンジャ");
    h.run();
    assert!(has(&h, "カンジャ タロウ"), "search result lists the kana name");
    // Both are marked, as Japanese EMRs mark namesakes.
    assert_eq!(
        h.query_all_by_label("同姓同名あり").count(),
        2,
        "both rows of 患者 太郎 carry the 同姓同名 mark"
    );
    // Two sample patients are called 患者 太郎: click the row of 9999013 (rows open on click).
    h.get_by_label("9999013").click();
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);

    // Banner (with its print button) and allergy strip.
    assert!(has(&h, "ID 9999013"));
    assert!(has(&h, "同姓同名あり"), "the banner marks the namesake");
    // The public test data gives 9999013 several birth dates: shown, never merged.
    assert!(
        has(&h, "患者情報の不一致"),
        "the banner lists conflicting records"
    );
    assert!(has(&h, "生年月日: 1947-05-15 / 1948-04-05"), "with the values");
    assert!(h.query_all_by_label("印刷").next().is_some(), "print button");
    for allergen in ["スギ", "ソバ", "アリナミン"] {
        assert!(has(&h, allergen), "allergy strip shows {allergen}");
    }

    h.get_by_label("処方・注射").click();
    h.run();
    // Past orders are behind a checkbox: the 2011 sample has nothing current in 2011-12.
    if !has(&h, "ダーゼン錠") {
        h.get_by_label("終了した処方・注射も表示").click();
        h.run();
    }
    assert!(has(&h, "ダーゼン錠"), "medication tab lists ダーゼン錠");

    h.get_by_label("検査").click();
    h.run();
    assert!(has(&h, "総蛋白"), "labs table lists 総蛋白");
    assert!(
        h.query_all_by_label("7.2").next().is_some(),
        "labs table shows the 7.2 value in a cell of its own"
    );

    // The trend plot opens on a span (not admitted: 90 days) with the span buttons, and a
    // second test can be laid over it.
    h.get_by_label("の推移グラフ").click();
    h.run();
    // The popup's entry (the table behind it has a 総蛋白 row too).
    h.query_all_by_label("総蛋白")
        .last()
        .expect("popup entry")
        .click();
    h.run();
    assert!(has(&h, "期間:"), "span buttons");
    for span in ["7日", "30日", "90日", "1年", "全期間"] {
        assert!(h.query_all_by_label(span).next().is_some(), "span {span}");
    }
    assert!(has(&h, "を重ねる"), "a second test can be laid over");
    h.get_by_label("全期間").click();
    h.run();
    assert!(has(&h, "総蛋白"));
    h.get_by_label("累積表").click();
    h.run();

    // Esc goes back to the search.
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Search);
}

#[test]
fn generated_patient_found_by_birth_date() {
    let mut h = harness(vec![sample_data()]);
    h.run();
    let index = app(&h).snapshot().expect("sample-data opens");
    // Take a real birth date from the snapshot, then find that patient by typing it.
    let some = index.search("0", 50).expect("search");
    let target = some
        .iter()
        .find(|p| p.birth_date.is_some() && !p.name_kanji.is_empty())
        .cloned()
        .expect("a generated patient with a birth date");
    let birth = target.birth_date.map(|b| b.to_iso()).unwrap_or_default();

    h.get_by_label("患者検索").type_text(&birth);
    h.run();
    assert!(has(&h, &target.name_kanji), "{birth} finds {}", target.name_kanji);
    // The same date in the Japanese era finds the patient too (what a patient says at the desk).
    let era = lifeboat::ui::format::era(target.birth_date);
    assert!(!era.is_empty());
    h.get_by_label("患者検索").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("患者検索").type_text(&era);
    h.run();
    assert!(has(&h, &target.name_kanji), "{era} finds {}", target.name_kanji);
    // Enter opens the first result.
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
    assert!(has(&h, &format!("ID {}", &target.id)) || has(&h, "ID "));
}

#[test]
fn open_screen_without_snapshot() {
    let mut h = harness(Vec::new());
    h.run();
    assert_eq!(app(&h).screen(), Screen::Open);
    assert!(has(&h, "フォルダを選ぶ"));
    assert!(has(&h, "場所を入力"));
    // A path that is not there gives a message, not a panic.
    h.get_by_label("場所を入力:").focus();
    h.run();
    h.get_by_label("場所を入力:").type_text("/nonexistent/snapshot");
    h.run();
    assert!(
        h.query_all_by_value("/nonexistent/snapshot").next().is_some(),
        "typed"
    );
    h.get_by_label("開く").click();
    h.run();
    assert!(
        has(&h, "開けませんでした"),
        "screen {:?}, snapshot {:?}",
        app(&h).screen(),
        app(&h).snapshot().map(|s| s.name().to_string())
    );
}

#[test]
fn census_lists_inpatients_and_opens_a_chart() {
    let mut h = harness(vec![sample_data()]);
    h.run();
    let census = app(&h).snapshot().expect("sample-data opens").census().clone();
    let (ward, first) = census.entries().next().expect("sample-data has inpatients");
    let (ward_name, name) = (ward.name.clone(), first.name_kanji.clone());

    h.get_by_label("病棟一覧").click();
    h.run();
    assert_eq!(app(&h).screen(), Screen::Census);
    assert!(has(&h, &format!("入院 {} 名", census.len())));
    assert!(has(&h, &ward_name));
    h.get_all_by_label(&name)
        .next()
        .expect("name in the census")
        .click();
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
    assert!(has(&h, "入院中"), "the banner says the patient is admitted");
    // Esc returns to where the chart was opened from.
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Census);
}

#[test]
fn ward_board_opens_with_the_keyboard_and_the_worklist_shows_the_running_drip() {
    let mut h = harness(vec![sample_data()]);
    h.run();
    let census = app(&h).snapshot().expect("sample-data opens").census().clone();
    h.get_by_label("病棟一覧").click();
    h.run();
    // The board columns: the heparin patient's drip is listed on the board.
    assert!(has(&h, "点滴・外泊"), "board header");
    assert!(has(&h, "ヘパリン"), "the running drip on the ward board");
    // ↓ twice and Enter open the third inpatient's chart.
    let third = census
        .entries()
        .nth(2)
        .map(|(_, e)| e.patient_id.clone())
        .expect("3 inpatients");
    h.key_press(egui::Key::ArrowDown);
    h.key_press(egui::Key::ArrowDown);
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
    assert!(has(&h, &format!("ID {third}")), "opened {third}");

    // The heparin patient's worklist: running now, with rate and route.
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("患者検索 (Ctrl+F)").click();
    h.run();
    h.get_by_label("患者検索").type_text("0000010035");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("投薬・注射").click();
    h.run();
    assert!(has(&h, "実施中の注射・点滴"));
    assert!(has(&h, "ヘパリンＮａ注５千単位／５ｍＬ「モチダ」"));
    assert!(has(&h, "これから24時間の予定"));
    assert!(has(&h, "直近48時間の実施記録"));
}

#[test]
fn the_vitals_board_shows_a_fhir_patients_readings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bundle = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "../shared/samples/fhir/synthea-bundles/Cammy_Kreiger_968df7cb-9393-48b6-a9cf-0a9e9a73d4a9.json",
    );
    std::fs::copy(&bundle, dir.path().join("cammy.json")).expect("copy the sample bundle");
    let mut h = harness(vec![dir.path().to_path_buf()]);
    h.run();
    h.get_by_label("患者検索").type_text("968df7cb");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
    h.get_by_label("温度板").click();
    h.run();
    // The newest reading in words, and the table below the plot.
    assert!(has(&h, "血圧 118/82"), "latest blood pressure");
    assert!(has(&h, "2019-10-19 07:53"), "the reading's time");
    assert!(has(&h, "収縮期血圧"), "table header");
}

#[test]
fn a_pack_opens_from_its_media_folder_with_the_hospital_in_the_header() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // The bundled sample data, whose names the other tests already show.
    let src = sample_data();
    let media = tmp.path().join("usb");
    let o = lifeboat::pack::PackOptions::new(media.clone(), "キティ病院".into());
    let report = lifeboat::pack::pack(&[src], &o, &lifeboat::progress::Progress::new()).expect("pack");
    let generation = report
        .dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let mut h = harness(vec![media]);
    h.run();
    let index = app(&h).snapshot().expect("the pack opens");
    assert_eq!(index.origin(), lifeboat::index::Origin::Prebuilt);
    assert!(
        has(&h, &format!("キティ病院（{generation}）")),
        "the header names the hospital and the generation"
    );
    let as_of = index.as_of().expect("data time").date().to_string();
    assert!(has(&h, &as_of), "the header shows the data time {as_of}");
}

/// A generated broken file names a patient "\u{FFFD}$" (bytes that do not decode): the search
/// list showed it in the bold face, where egui 0.37 had no glyph and panicked, closing the
/// viewer on bad input.
#[test]
fn a_name_with_undecodable_bytes_is_listed_without_a_crash() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("storage");
    lifeboat::synth::generate(&lifeboat::synth::GenOptions {
        out: out.clone(),
        patients: 6,
        days: 200,
        seed: 11,
        end: chrono::NaiveDate::parse_from_str(lifeboat::synth::DEFAULT_END, "%Y-%m-%d").expect("date"),
    })
    .expect("generate");
    let mut h = harness(vec![out]);
    h.run();
    assert_eq!(app(&h).screen(), Screen::Search);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("0000000003");
    h.run();
    assert!(has(&h, "0000000003"), "the patient is listed");
    h.state_mut().as_mut().expect("app").open_chart("0000000003");
    h.run();
    assert_eq!(app(&h).screen(), Screen::Chart);
}
