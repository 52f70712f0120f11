//! Signed and encrypted packs (issue 15, item 2): made by `lifeboat pack --encrypt --key`,
//! opened by the CLI and the viewer with the passphrase, checked against the trusted keys; a
//! flipped byte anywhere is 改ざんの疑い, a wrong passphrase a clear error, and nothing
//! readable is on the media.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::ui::{LifeboatApp, StartOptions};
use std::path::PathBuf;
use std::process::Output;

#[path = "common/laptop.rs"]
mod laptop;
use laptop::{s, text};

#[path = "common/viewer.rs"]
mod viewer;

const PASS: &str = "病棟の合言葉 2026";
const KEY_PASS: &str = "署名鍵の合言葉";

struct Site {
    tmp: tempfile::TempDir,
}

impl Site {
    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn run(&self, args: &[&str]) -> Output {
        laptop::lifeboat(&self.path("home"), args)
    }
}

/// A signed, encrypted pack of the bundled sample data in `usb/`, its key trusted.
fn site() -> Site {
    let site = Site {
        tmp: tempfile::tempdir().expect("tempdir"),
    };
    std::fs::write(site.path("pass.txt"), format!("{PASS}\n")).expect("write");
    std::fs::write(site.path("keypass.txt"), KEY_PASS).expect("write");
    let o = site.run(&[
        "keygen",
        "--out",
        s(&site.path("hosp")),
        "--name",
        "テスト病院",
        "--passphrase-file",
        s(&site.path("keypass.txt")),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = site.run(&["trust", "add", s(&site.path("hosp.pub"))]);
    assert!(o.status.success(), "{}", text(&o));
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let o = site.run(&[
        "pack",
        s(&sample),
        "--out",
        s(&site.path("usb")),
        "--hospital",
        "テスト病院",
        "--encrypt",
        "--passphrase-file",
        s(&site.path("pass.txt")),
        "--key",
        s(&site.path("hosp.key")),
        "--key-passphrase-file",
        s(&site.path("keypass.txt")),
        "--work-factor",
        "10",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    site
}

fn generation(site: &Site) -> PathBuf {
    let mut g: Vec<PathBuf> = std::fs::read_dir(site.path("usb"))
        .expect("usb")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("manifest.json").is_file())
        .collect();
    g.sort();
    g.pop().expect("a generation")
}

#[test]
fn an_encrypted_signed_pack_from_the_command_line() {
    let site = site();
    let g = generation(&site);
    // Nothing readable: no HL7 segment and no patient ID in any file but the manifest.
    for e in std::fs::read_dir(&g).expect("list").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("manifest") {
            continue;
        }
        let bytes = std::fs::read(e.path()).expect("read");
        assert!(!bytes.windows(4).any(|w| w == b"MSH|"), "{name} holds plain HL7");
        assert!(
            !bytes.windows(4).any(|w| w == b"PK\x03\x04"),
            "{name} holds a plain zip"
        );
    }
    let m = lifeboat::pack::Manifest::read(&g).expect("manifest");
    assert_eq!(m.encryption.as_deref(), Some("age-passphrase"));
    assert!(m.parts.iter().all(|p| p.ends_with(".zip.age")), "{:?}", m.parts);

    let o = site.run(&["verify", s(&site.path("usb"))]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("署名確認済み (テスト病院"), "{}", text(&o));

    // The chart, with the passphrase from a file.
    let usb = site.path("usb");
    let o = site.run(&[
        "search",
        "0000000",
        "--snapshot",
        s(&usb),
        "--passphrase-file",
        s(&site.path("pass.txt")),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let first_id = String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .next()
                .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_string)
        })
        .expect("a patient ID in the search output");
    let o = site.run(&[
        "show",
        &first_id,
        "--snapshot",
        s(&usb),
        "--passphrase-file",
        s(&site.path("pass.txt")),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(&first_id));
    assert!(text(&o).contains("signature: 署名確認済み"), "{}", text(&o));

    // A wrong passphrase: a clear error, exit 1. None at all without a terminal: says how.
    std::fs::write(site.path("wrong.txt"), "ちがう").expect("write");
    let o = site.run(&[
        "show",
        &first_id,
        "--snapshot",
        s(&usb),
        "--passphrase-file",
        s(&site.path("wrong.txt")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("パスフレーズが違います"), "{}", text(&o));
    let o = site.run(&["show", &first_id, "--snapshot", s(&usb)]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("--passphrase-file"), "{}", text(&o));

    // The shipped index is read in place: no copy in the laptop's data folder (which holds
    // the audit log alone), nothing for `forget` to remove.
    let local: Vec<String> = std::fs::read_dir(site.path("home/data/lifeboat"))
        .expect("the data folder holds the audit log")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(local, vec!["audit.jsonl"]);
    let o = site.run(&["forget"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("nothing to remove"), "{}", text(&o));

    // A flipped byte in the encrypted archive: verify names it and exits 6.
    let part = g.join(&m.parts[0]);
    let mut bytes = std::fs::read(&part).expect("read");
    let at = bytes.len() / 2;
    bytes[at] ^= 0x10;
    std::fs::write(&part, &bytes).expect("write");
    let o = site.run(&["verify", s(&g)]);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("first bad file {}", m.parts[0])),
        "{}",
        text(&o)
    );

    // An edited manifest: `show` answers nothing from it (exit 6).
    let mtext = std::fs::read_to_string(g.join("manifest.json")).expect("read");
    std::fs::write(g.join("manifest.json"), mtext.replace("テスト病院", "偽の病院")).expect("write");
    let o = site.run(&[
        "show",
        &first_id,
        "--snapshot",
        s(&usb),
        "--passphrase-file",
        s(&site.path("pass.txt")),
    ]);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(text(&o).contains("改ざんの疑い"), "{}", text(&o));
}

fn harness(roots: Vec<PathBuf>, trust: PathBuf, index: PathBuf) -> Harness<'static, Option<LifeboatApp>> {
    let options = StartOptions {
        trust_dir: Some(trust),
        ..viewer::options(roots, index)
    };
    viewer::harness(Harness::builder(), options, egui::vec2(1366.0, 768.0), ())
}

fn has(h: &Harness<'_, Option<LifeboatApp>>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn the_viewer_asks_for_the_passphrase_shows_the_signer_and_holds_a_tampered_pack() {
    let site = site();
    let trust = site.path("home/config/lifeboat/trusted");
    let usb = site.path("usb");
    let mut h = harness(vec![usb.clone()], trust.clone(), site.path("idx1"));
    h.run();
    assert!(has(&h, "暗号化されたメディアです"), "asks for the passphrase");
    assert!(h.state().as_ref().expect("app").snapshot().is_none());
    h.state_mut().as_mut().expect("app").unlock("まちがい");
    h.run();
    assert!(has(&h, "パスフレーズが違います"));
    h.state_mut().as_mut().expect("app").unlock(PASS);
    h.run();
    h.run();
    let app = h.state().as_ref().expect("app");
    assert!(app.snapshot().is_some(), "opens with the right passphrase");
    assert!(has(&h, "署名確認済み"), "the signer is trusted");
    assert!(has(&h, "全体確認済み"), "the whole media was checked");
    drop(h);

    // A flipped byte in an archive part: the whole-media check finds it, and the data stays
    // hidden behind 改ざんの疑い until the operator goes on.
    let g = generation(&site);
    let m = lifeboat::pack::Manifest::read(&g).expect("manifest");
    let part = g.join(&m.parts[0]);
    let mut bytes = std::fs::read(&part).expect("read");
    let at = bytes.len() / 3;
    bytes[at] ^= 1;
    std::fs::write(&part, &bytes).expect("write");
    let mut h = harness(vec![usb.clone()], trust.clone(), site.path("idx2"));
    h.run();
    // Unlocked already in this process: no second prompt.
    h.run();
    assert!(has(&h, "改ざんの疑い"), "red warning");
    assert!(
        has(&h, "内容を理解したうえで表示を続ける"),
        "the data is held back"
    );
    assert!(!has(&h, "患者ID・氏名"), "no search screen behind the warning");
    h.get_by_label_contains("内容を理解したうえで表示を続ける")
        .click();
    h.run();
    assert!(!has(&h, "内容を理解したうえで表示を続ける"));
    assert!(has(&h, "改ざんの疑い"), "the red header stays");
    h.state()
        .as_ref()
        .and_then(|a| a.audit())
        .expect("audit log")
        .flush();
    let log = std::fs::read_to_string(site.path("idx2").with_extension("audit.jsonl"))
        .expect("the choice is logged");
    let line = |event: &str| {
        log.lines()
            .find(|l| l.contains(&format!("\"event\":\"{event}\"")))
            .unwrap_or_else(|| panic!("no {event} line in {log}"))
            .to_string()
    };
    let warning = line("warning");
    assert!(
        warning.contains("改ざんの疑い") && warning.contains("differs from the manifest"),
        "{warning}"
    );
    let chosen = line("override");
    assert!(
        chosen.contains("改ざんの疑いのあるメディアの表示を続行")
            && chosen.contains("differs from the manifest"),
        "{chosen}"
    );
    assert!(chosen.contains("\"staff_id\":\"N0001\""), "who chose: {chosen}");
    drop(h);

    // A flipped byte in the shipped index: it is never copied to the laptop; the open fails
    // saying why, nothing is shown.
    bytes[at] ^= 1;
    std::fs::write(&part, &bytes).expect("write");
    let index = g.join(m.index.as_deref().expect("index"));
    let mut ib = std::fs::read(&index).expect("read");
    let n = ib.len() - 100;
    ib[n] ^= 1;
    std::fs::write(&index, &ib).expect("write");
    let mut h = harness(vec![usb], trust, site.path("idx3"));
    h.run();
    let app = h.state().as_ref().expect("app");
    assert!(app.snapshot().is_none(), "a tampered index is not used");
    assert!(has(&h, "改ざんの疑い"), "the open screen says why");
}
