//! Replays, on stable, every input the fuzz targets (`fuzz/`) ever crashed, hung or blew
//! memory on (`tests/fuzz-regressions/<target>/`), and their seeds (`fuzz/seeds/<target>/`),
//! through the same functions the targets call (`lifeboat::fuzzing`).

use std::path::{Path, PathBuf};
use std::time::Duration;

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `target` on every regression input and seed of `name`; returns how many ran.
fn replay(name: &str, target: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in [
        root.join("tests/fuzz-regressions").join(name),
        root.join("fuzz/seeds").join(name),
    ] {
        for path in inputs(&dir) {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            // On a worker thread, so that an input that hangs fails the test instead of
            // hanging `cargo test` (generous for a debug build; the hangs were endless).
            let (done, finished) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                target(&bytes);
                let _ = done.send(());
            });
            match finished.recv_timeout(Duration::from_secs(30)) {
                Ok(()) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    panic!("{}: still running after 30 s", path.display())
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    panic!("{}: panicked", path.display())
                }
            }
            n += 1;
        }
    }
    n
}

#[test]
fn hl7() {
    assert!(replay("hl7", lifeboat::fuzzing::hl7) >= 22);
}

#[test]
fn ssmix2_layout() {
    assert!(replay("ssmix2_layout", lifeboat::fuzzing::ssmix2_layout) >= 3);
}

#[test]
fn fhir() {
    // Regressions: fhirbolt 0.4 looped forever on a repeated element its type does not have
    // (`e$xtension`, `foo`, `coding` inside a HumanName, two `<foo>` in XML) and panicked on
    // an empty array (`identifier: []`).
    assert!(replay("fhir", lifeboat::fuzzing::fhir) >= 29);
}

#[test]
fn zip_listing() {
    assert!(replay("zip_listing", lifeboat::fuzzing::zip_listing) >= 3);
}

#[test]
fn dates() {
    assert!(replay("dates", lifeboat::fuzzing::dates) >= 20);
}

#[test]
fn search_query() {
    assert!(replay("search_query", lifeboat::fuzzing::search_query) >= 10);
}
