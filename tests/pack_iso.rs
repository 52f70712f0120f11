//! A pack burned to a disc opens from it (issue 15, item 3): the media folder is made into a
//! Joliet ISO 9660 image (what Windows reads from a DVD-R) and into an ISO 9660 + UDF bridge
//! image, each mounted read-only with fuseiso (this kernel has no iso9660 or udf driver), and
//! `check`, `verify` and `show` read the pack from the mount. Long SS-MIX2 names never reach
//! the disc's file system: they live inside the archive. Needs xorriso, genisoimage, fuseiso
//! and /dev/fuse (`.ci/run` installs the packages).

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/laptop.rs"]
mod laptop;
use laptop::{run_in as run_tool, s, text};

/// `program ARGS...` on the laptop at `home` (fails naming the packages this test needs).
fn run(program: &str, args: &[&str], home: &Path) -> std::process::Output {
    run_tool(home, program, args)
}

/// Unmounts when dropped, so a failing assertion does not leave a mount behind.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("fusermount").arg("-u").arg(&self.0).status();
    }
}

#[test]
fn a_pack_opens_from_joliet_and_udf_disc_images() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let lifeboat = env!("CARGO_BIN_EXE_lifeboat");
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let media = tmp.path().join("media");
    let o = run(
        lifeboat,
        &[
            "pack",
            s(&sample),
            "--out",
            s(&media),
            "--hospital",
            "ディスク病院",
        ],
        &home,
    );
    assert!(o.status.success(), "{}", text(&o));

    let images = [
        (
            "joliet.iso",
            "xorriso",
            vec!["-as", "mkisofs", "-quiet", "-J", "-joliet-long", "-V", "LIFEBOAT"],
        ),
        (
            "udf.iso",
            "genisoimage",
            vec!["-quiet", "-udf", "-J", "-V", "LIFEBOAT"],
        ),
    ];
    for (name, tool, flags) in images {
        let iso = tmp.path().join(name);
        let mut args: Vec<&str> = flags.clone();
        args.extend(["-o", s(&iso), s(&media)]);
        let o = run(tool, &args, &home);
        assert!(o.status.success(), "{tool}: {}", text(&o));
        let mnt = tmp.path().join(format!("{name}.mnt"));
        std::fs::create_dir_all(&mnt).expect("mkdir");
        let o = run("fuseiso", &[s(&iso), s(&mnt)], &home);
        assert!(o.status.success(), "fuseiso {name}: {}", text(&o));
        let _mounted = Mount(mnt.clone());

        // Read-only, as a disc is: nothing may try to write there.
        assert!(
            std::fs::write(mnt.join("probe"), b"x").is_err(),
            "{name} is writable"
        );

        let o = run(lifeboat, &["verify", s(&mnt)], &home);
        assert_eq!(o.status.code(), Some(7), "{name}: intact, unsigned: {}", text(&o));
        let o = run(lifeboat, &["check", s(&mnt)], &home);
        assert!(
            o.status.success() || o.status.code() == Some(2),
            "{name}: {}",
            text(&o)
        );
        // The newest generation on the disc is the one read.
        assert!(
            text(&o).contains(&format!("{}/2", mnt.display())),
            "{name}: {}",
            text(&o)
        );
        let o = run(lifeboat, &["search", "0000000", "--snapshot", s(&mnt)], &home);
        assert!(o.status.success(), "{name}: {}", text(&o));
        let id = String::from_utf8_lossy(&o.stdout)
            .lines()
            .find_map(|l| {
                l.split_whitespace()
                    .next()
                    .filter(|w| w.len() == 10 && w.chars().all(|c| c.is_ascii_digit()))
                    .map(str::to_string)
            })
            .expect("a patient ID in the search output");
        let o = run(lifeboat, &["show", &id, "--snapshot", s(&mnt)], &home);
        assert!(o.status.success(), "{name}: {}", text(&o));
        assert!(text(&o).contains(&id), "{name}: {}", text(&o));
        assert!(
            text(&o).contains("using the pack's own index"),
            "{name}: the shipped index is used: {}",
            text(&o)
        );
    }
}
