//! `lifeboat pack --viewer dist/viewer` (issue 17): the portable folder that
//! `packaging/windows/build.sh` and `packaging/linux/build.sh` write is copied whole onto the
//! media, byte for byte, Japanese file name included, and each copy is covered by the manifest
//! so that `verify` checks the viewer too.

#[path = "common/laptop.rs"]
mod laptop;

use laptop::{lifeboat, s, text};
use std::path::Path;

/// The files of `dist/viewer/` as the build scripts lay them out (contents are stand-ins).
const VIEWER: &[(&str, &[u8])] = &[
    ("lifeboat.exe", b"MZ gui stand-in"),
    ("lifeboat-cli.exe", b"MZ console stand-in"),
    ("lifeboat", b"\x7fELF stand-in"),
    (
        "はじめにお読みください.txt",
        "\u{feff}Lifeboat 起動のしかた\r\n".as_bytes(),
    ),
    ("THIRD-PARTY-LICENSES.txt", b"licences\r\n"),
];

#[test]
fn pack_copies_the_portable_viewer_folder_and_verify_checks_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let src = tmp.path().join("storage");
    let out = tmp.path().join("media");
    let viewer = tmp.path().join("dist").join("viewer");
    std::fs::create_dir_all(&viewer).expect("viewer dir");
    for (name, bytes) in VIEWER {
        std::fs::write(viewer.join(name), bytes).expect("viewer file");
    }
    let o = lifeboat(
        &home,
        &["gen", "--out", s(&src), "--patients", "4", "--days", "60"],
    );
    assert!(o.status.success(), "{}", text(&o));

    let o = lifeboat(
        &home,
        &[
            "pack",
            s(&src),
            "--out",
            s(&out),
            "--hospital",
            "テスト病院",
            "--viewer",
            s(&viewer),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));

    let generation = only_generation(&out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(generation.join("manifest.json")).expect("manifest"))
            .expect("manifest json");
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .filter(|p| p.starts_with("viewer/"))
        .collect();
    let mut expected: Vec<String> = VIEWER.iter().map(|(n, _)| format!("viewer/{n}")).collect();
    expected.sort();
    assert_eq!(listed, expected);
    for (name, bytes) in VIEWER {
        let copied = std::fs::read(generation.join("viewer").join(name)).expect("copied file");
        assert_eq!(&copied, bytes, "{name}");
    }
    let readme = std::fs::read_to_string(out.join("はじめにお読みください.txt")).expect("media readme");
    assert!(readme.contains("\\viewer\\lifeboat.exe"), "{readme}");

    // Unsigned but intact: 7. A viewer binary changed on the media: 6, naming it.
    let o = lifeboat(&home, &["verify", s(&out)]);
    assert_eq!(o.status.code(), Some(7), "{}", text(&o));
    std::fs::write(generation.join("viewer").join("lifeboat.exe"), b"MZ planted").expect("plant");
    let o = lifeboat(&home, &["verify", s(&out)]);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(text(&o).contains("viewer/lifeboat.exe"), "{}", text(&o));
}

fn only_generation(media: &Path) -> std::path::PathBuf {
    let dirs: Vec<_> = std::fs::read_dir(media)
        .expect("media")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.into_iter().next().expect("one generation")
}
