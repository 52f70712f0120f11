//! The viewer and the audit log (issue 16), driven as a nurse would: nothing of a patient shows
//! before sign-in or while locked; a scripted run logs exactly its events, each with the
//! operator and a chain that verifies.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::audit::chain;
use lifeboat::ui::{LifeboatApp, PrintRequest, Screen, StartOptions};
use std::path::{Path, PathBuf};

#[path = "common/viewer.rs"]
mod viewer;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

/// Nobody signed in yet: the sign-in form comes first.
fn options(root: PathBuf, dir: &Path) -> StartOptions {
    StartOptions {
        trust_dir: Some(dir.join("trust")),
        audit_log: Some(dir.join("audit.jsonl")),
        operator: None,
        ..viewer::options(vec![root], dir.join("index"))
    }
}

fn harness(dir: &Path) -> Harness<'static, Option<LifeboatApp>> {
    viewer::harness(
        Harness::builder(),
        options(nho(), dir),
        egui::vec2(1366.0, 690.0),
        (),
    )
}

fn has(h: &Harness<'_, Option<LifeboatApp>>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

/// What a passer-by could read: the patient's ID, name, and the screens that show them.
fn shows_patient_data(h: &Harness<'_, Option<LifeboatApp>>) -> bool {
    ["9999013", "患者 太郎", "カンジャ", "患者検索", "病棟一覧"]
        .iter()
        .any(|t| has(h, t))
}

fn app<'a>(h: &'a mut Harness<'static, Option<LifeboatApp>>) -> &'a mut LifeboatApp {
    h.state_mut().as_mut().expect("app")
}

#[test]
fn sign_in_search_open_print_lock_unlock_are_logged_and_nothing_shows_before_or_while_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path());
    h.run();
    h.run();
    assert!(has(&h, "利用者の確認"), "the sign-in form comes first");
    assert!(app(&mut h).snapshot().is_some(), "the snapshot is read meanwhile");
    assert!(!shows_patient_data(&h), "nothing of a patient before sign-in");
    // Ctrl+P on the sign-in form prints nothing.
    app(&mut h).print(PrintRequest::Patient {
        patient_id: "9999013".into(),
    });
    h.run();
    assert!(!has(&h, "この内容で印刷"));

    // An empty staff ID is refused, in Japanese.
    h.get_by_label("氏名").click();
    h.run();
    h.get_by_label("氏名").type_text("山田 花子");
    h.get_by_label("サインイン (Enter)").click();
    h.run();
    assert!(has(&h, "職員番号を入力してください"));
    h.get_by_label("職員番号").click();
    h.run();
    h.get_by_label("職員番号").type_text("N1234");
    h.get_by_label("2 看護師").click();
    h.get_by_label("サインイン (Enter)").click();
    h.run();
    assert_eq!(app(&mut h).screen(), Screen::Search);
    assert!(has(&h, "利用者: 看護師 山田 花子 (N1234)"), "the header says who");

    h.get_by_label("患者検索").type_text("9999013");
    h.run();
    h.get_by_label("9999013").click();
    h.run();
    assert_eq!(app(&mut h).screen(), Screen::Chart);
    assert!(has(&h, "患者 太郎"));

    let out = dir.path().join("pdf");
    std::fs::create_dir_all(&out).expect("mkdir");
    app(&mut h).print(PrintRequest::Patient {
        patient_id: "9999013".into(),
    });
    h.run();
    h.get_by_label("保存先フォルダ:").click();
    h.run();
    h.get_by_label("保存先フォルダ:")
        .type_text(&out.display().to_string());
    h.get_by_label("保存後に PDF を開く").click();
    h.run();
    h.get_by_label("この内容で印刷").click();
    h.run();
    let pdfs: Vec<_> = std::fs::read_dir(&out).expect("pdf dir").flatten().collect();
    assert_eq!(pdfs.len(), 1, "printed");

    // Locked: nothing shows, printing does nothing; the wrong staff ID does not unlock.
    app(&mut h).lock_now();
    h.run();
    assert!(app(&mut h).is_locked());
    assert!(has(&h, "画面をロックしました"));
    assert!(!shows_patient_data(&h), "nothing of a patient while locked");
    app(&mut h).print(PrintRequest::Patient {
        patient_id: "9999013".into(),
    });
    h.run();
    assert_eq!(
        std::fs::read_dir(&out).expect("pdf dir").count(),
        1,
        "no print while locked"
    );
    h.get_by_label("職員番号を入力").click();
    h.run();
    h.get_by_label("職員番号を入力").type_text("N9999");
    h.get_by_label_contains("続けて使う").click();
    h.run();
    assert!(has(&h, "職員番号が違います") && app(&mut h).is_locked());
    h.get_by_label("職員番号を入力").click();
    h.run();
    h.get_by_label("職員番号を入力").type_text("N1234");
    h.get_by_label_contains("続けて使う").click();
    h.run();
    assert!(!app(&mut h).is_locked());
    assert!(has(&h, "患者 太郎"), "back where it was");

    app(&mut h).audit().expect("audit log").flush();
    let bytes = std::fs::read(dir.path().join("audit.jsonl")).expect("log");
    let v = chain::verify(&bytes).expect("the chain verifies");
    let lines = lifeboat::audit::query::lines(&bytes);
    assert_eq!(v.lines as usize, lines.len());
    let events: Vec<String> = lines.iter().map(|l| l.event.name()).collect();
    assert_eq!(
        events,
        vec![
            "started",
            "snapshot_opened",
            "sign_in",
            "search",
            "chart_opened",
            "printed",
            "locked",
            "unlocked"
        ]
    );
    assert!(lines[1].operator.is_none(), "read before anyone signed in");
    for l in &lines[2..] {
        let op = l.operator.as_ref().expect("operator");
        assert_eq!((op.name.as_str(), op.staff_id.as_str()), ("山田 花子", "N1234"));
    }
    let printed = &lines[5];
    match &printed.event {
        lifeboat::audit::Event::Printed { sheet, pages, .. } => {
            assert_eq!(
                sheet.as_str(),
                &printed.prev[..8],
                "the sheets carry the head before it"
            );
            assert!(*pages >= 1);
        }
        other => panic!("{other:?}"),
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("\"event\":\"search\",\"text\":\"9999013\""),
        "{text}"
    );
    assert!(
        text.contains("\"event\":\"printed\",\"what\":\"patient summary\",\"patients\":[\"9999013\"]"),
        "{text}"
    );
    assert!(
        text.contains("\"event\":\"unlocked\",\"same_operator\":true"),
        "{text}"
    );
}

/// A drill snapshot says 訓練用データ on every screen, sign-in included; a real one never.
#[test]
fn a_drill_snapshot_says_so_on_every_screen_and_a_real_one_never() {
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    for (root, drill) in [(sample, true), (nho(), false)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = viewer::harness(
            Harness::builder(),
            options(root.clone(), dir.path()),
            egui::vec2(1366.0, 690.0),
            (),
        );
        h.run();
        h.run();
        assert_eq!(
            has(&h, "訓練用データ"),
            drill,
            "sign-in screen of {}",
            root.display()
        );
        app(&mut h).sign_in(viewer::nurse());
        h.run();
        assert_eq!(app(&mut h).screen(), Screen::Search);
        assert_eq!(
            has(&h, "訓練用データ"),
            drill,
            "search screen of {}",
            root.display()
        );
        h.get_by_label("病棟一覧").click();
        h.run();
        assert_eq!(app(&mut h).screen(), Screen::Census);
        assert_eq!(has(&h, "訓練用データ"), drill, "ward list of {}", root.display());
        app(&mut h).audit().expect("log").flush();
        let log = std::fs::read_to_string(dir.path().join("audit.jsonl")).expect("log");
        let mode = if drill {
            "\"mode\":\"drill\""
        } else {
            "\"mode\":\"real\""
        };
        assert!(log.contains(mode), "the log records the mode: {log}");
    }
}
