//! `lifeboat pack --generations 2` killed (SIGKILL, as a power cut or a pulled drive) at several
//! moments: the output folder always holds the complete generations it had, each checks against
//! its manifest, and the next run completes and removes what the cut run left.

use lifeboat::pack::generation::check;
use lifeboat::pack::open::generations;
use lifeboat::pack::{Manifest, media};
use lifeboat::synth::{DEFAULT_END, GenOptions, generate};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn run(src: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lifeboat"));
    c.arg("pack")
        .arg(src)
        .arg("--out")
        .arg(out)
        .args([
            "--days",
            "200",
            "--generations",
            "2",
            "--hospital",
            "停電試験病院",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn complete_run(src: &Path, out: &Path) -> Duration {
    let started = Instant::now();
    let status = run(src, out).status().expect("run pack");
    assert!(status.success(), "pack failed: {status}");
    started.elapsed()
}

/// Every complete generation checks against its manifest; returns them.
fn all_check(out: &Path) -> Vec<PathBuf> {
    let gens = generations(out);
    for g in &gens {
        let m = Manifest::read(g).expect("manifest");
        check(g, &m).unwrap_or_else(|e| panic!("{}: {e:#}", g.display()));
    }
    gens
}

#[test]
fn a_kill_at_any_moment_leaves_the_complete_generations() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = tmp.path().join("storage");
    generate(&GenOptions {
        out: src.clone(),
        patients: 30,
        days: 400,
        seed: 3,
        end: chrono::NaiveDate::parse_from_str(DEFAULT_END, "%Y-%m-%d").expect("date"),
    })
    .expect("generate");
    let out = tmp.path().join("usb");
    complete_run(&src, &out);
    let full = complete_run(&src, &out);
    assert_eq!(all_check(&out).len(), 2);

    for fraction in [0.1, 0.5, 0.9] {
        let before = all_check(&out);
        let mut child = run(&src, &out).spawn().expect("spawn");
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        let after = all_check(&out);
        assert!(after.len() >= 2, "killed at {fraction}: {after:?}");
        // Only the oldest goes, and only once a newer one is complete: the newest stays.
        let newest = before.last().expect("a generation");
        assert!(
            after.contains(newest),
            "killed at {fraction}: lost {}",
            newest.display()
        );
        complete_run(&src, &out);
        let gens = all_check(&out);
        assert_eq!(gens.len(), 2, "after the rerun: {gens:?}");
        assert!(
            !std::fs::read_dir(&out)
                .expect("list")
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".partial")),
            "the rerun removed what the cut run left"
        );
    }

    // Killed right after the rename: watch for the new generation and kill at once.
    let before = generations(&out);
    let mut child = run(&src, &out).spawn().expect("spawn");
    let deadline = Instant::now() + full * 20;
    while Instant::now() < deadline {
        let now = generations(&out);
        if now.iter().any(|g| !before.contains(g)) {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    let after = all_check(&out);
    assert!(after.len() >= 2, "killed after the rename: {after:?}");
    assert!(
        after.iter().any(|g| !before.contains(g)),
        "the new generation is complete"
    );
    complete_run(&src, &out);
    assert_eq!(all_check(&out).len(), 2);
    let readme = std::fs::read_to_string(out.join(media::README)).expect("readme");
    let newest = generations(&out).pop().expect("a generation");
    let name = newest.file_name().expect("name").to_string_lossy().into_owned();
    assert!(
        readme.contains(&name),
        "the readme names the newest generation {name}:\n{readme}"
    );
    assert!(readme.contains("停電試験病院"), "{readme}");
}
