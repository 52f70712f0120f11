//! `lifeboat keygen`, `trust`, `verify` and `forget` as IT runs them, on a pack folder made
//! here (manifest + signature), with the laptop's folders moved into a temporary HOME.

use lifeboat::pack::manifest::{MANIFEST, Manifest, SIGNATURE, hash_file};
use lifeboat::trust::Signer;
use std::path::Path;
use std::process::Output;

#[path = "common/laptop.rs"]
mod laptop;
use laptop::{s, text};

struct Laptop {
    home: tempfile::TempDir,
}

impl Laptop {
    fn new() -> Laptop {
        Laptop {
            home: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        laptop::lifeboat(self.home.path(), args)
    }
}

/// A pack folder with two files, listed and (when `signer`) signed.
fn pack(dir: &Path, signer: Option<&Signer>) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("snapshot.001.zip"), vec![42u8; 3 << 20]).expect("write");
    std::fs::write(dir.join("index.zip"), b"index bytes").expect("write");
    let m = Manifest {
        format: 1,
        hospital: "テスト病院".into(),
        data_time: Some("2026-12-07T08:00:00".into()),
        files: ["snapshot.001.zip", "index.zip"]
            .iter()
            .map(|p| hash_file(dir, p).expect("hash"))
            .collect(),
        ..Default::default()
    };
    std::fs::write(dir.join(MANIFEST), m.to_bytes()).expect("write");
    if let Some(s) = signer {
        let sig = s.sign(&m.to_bytes(), "hospital:テスト病院").expect("sign");
        std::fs::write(dir.join(SIGNATURE), sig).expect("write");
    }
}

#[test]
fn keygen_trust_verify_tamper_and_forget() {
    let it = Laptop::new();
    let work = tempfile::tempdir().expect("tempdir");
    let pass = work.path().join("pass.txt");
    std::fs::write(&pass, "長い合言葉 correct horse\n").expect("write");
    let base = work.path().join("hospital");
    let o = it.run(&[
        "keygen",
        "--out",
        s(&base),
        "--name",
        "テスト病院 情報システム課",
        "--passphrase-file",
        s(&pass),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let again = it.run(&["keygen", "--out", s(&base), "--passphrase-file", s(&pass)]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "never overwrites a key: {}",
        text(&again)
    );
    let signer = Signer::load(&base.with_extension("key"), "長い合言葉 correct horse").expect("unlock");

    let media = work.path().join("media");
    let generation = media.join("lifeboat-pack-20261207-0800");
    pack(&generation, Some(&signer));
    std::fs::create_dir_all(media.join("lifeboat-pack-20261208-0800.partial")).expect("mkdir");

    // Not trusted yet: intact but unverified.
    let o = it.run(&["verify", s(&media)]);
    assert_eq!(o.status.code(), Some(7), "{}", text(&o));
    assert!(text(&o).contains("未登録の鍵による署名"), "{}", text(&o));

    let o = it.run(&["trust", "add", s(&base.with_extension("pub"))]);
    assert!(o.status.success(), "{}", text(&o));
    let list = it.run(&["trust", "list"]);
    assert!(
        text(&list).contains(&signer.key_id()) && text(&list).contains("テスト病院 情報システム課"),
        "{}",
        text(&list)
    );

    let o = it.run(&["verify", s(&media)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("署名確認済み") && !text(&o).contains(".partial"),
        "{}",
        text(&o)
    );

    // A flipped byte in the archive: named, exit 6.
    let part = generation.join("snapshot.001.zip");
    let mut bytes = std::fs::read(&part).expect("read");
    bytes[(2 << 20) + 7] ^= 1;
    std::fs::write(&part, &bytes).expect("write");
    let o = it.run(&["verify", s(&generation)]);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(
        text(&o).contains("first bad file snapshot.001.zip: block 2"),
        "{}",
        text(&o)
    );
    bytes[(2 << 20) + 7] ^= 1;
    std::fs::write(&part, &bytes).expect("write");

    // An edited manifest (the hashes rewritten to match a changed file) fails the signature.
    let m = std::fs::read_to_string(generation.join(MANIFEST)).expect("read");
    std::fs::write(generation.join(MANIFEST), m.replace("テスト病院", "別の病院")).expect("write");
    let o = it.run(&["verify", s(&generation)]);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(text(&o).contains("改ざんの疑い"), "{}", text(&o));

    // Unsigned: intact, unverified.
    let plain = work.path().join("plain");
    pack(&plain, None);
    let o = it.run(&["verify", s(&plain)]);
    assert_eq!(o.status.code(), Some(7), "{}", text(&o));
    assert!(text(&o).contains("署名なし"), "{}", text(&o));

    let o = it.run(&["trust", "remove", &signer.key_id()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&it.run(&["trust", "list"])).contains("no trusted keys"));

    // forget: the local index folder goes, whatever is in it.
    let local = it.home.path().join("data/lifeboat/indexes/some-snapshot");
    std::fs::create_dir_all(&local).expect("mkdir");
    std::fs::write(local.join("meta.json"), b"{}").expect("write");
    let o = it.run(&["forget"]);
    assert!(o.status.success() && text(&o).contains("1 files"), "{}", text(&o));
    assert!(!it.home.path().join("data/lifeboat/indexes").exists());
}
