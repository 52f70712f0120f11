//! Opening a snapshot's index from the command line, with a progress line on the terminal.

use crate::index::{Freshness, OpenOptions, Origin, SnapshotIndex};
use crate::progress::{Progress, Stage};
use std::io::IsTerminal;
use std::time::Duration;

/// Opens (building when needed) and reports progress on stderr every half second while the
/// build runs on a worker thread.
pub fn open_with_progress(options: &OpenOptions, quiet: bool) -> anyhow::Result<SnapshotIndex> {
    let progress = Progress::new();
    let worker = {
        let options = options.clone();
        let progress = progress.clone();
        std::thread::spawn(move || SnapshotIndex::open(&options, &progress))
    };
    let tty = std::io::stderr().is_terminal();
    let mut last_line = String::new();
    let mut ticks = 0u32;
    let mut noted = false;
    while !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(100));
        ticks += 1;
        // Why a rebuild starts (damaged or changed index) is said even when quiet.
        if !noted && let Some(note) = progress.note() {
            eprintln!("lifeboat: {note}");
            noted = true;
        }
        let v = progress.view();
        if quiet || v.stage == Stage::Done || v.files_total == 0 && v.stage == Stage::Listing {
            continue;
        }
        // On a terminal, redraw one line; in logs, a line every 10 s.
        let every = if tty { 5 } else { 100 };
        if ticks.is_multiple_of(every) {
            let line = v.line();
            if tty {
                eprint!("\r{line:<100}");
            } else if line != last_line {
                eprintln!("{line}");
            }
            last_line = line;
        }
    }
    if tty && !last_line.is_empty() {
        eprintln!();
    }
    let index = worker
        .join()
        .map_err(|_| anyhow::anyhow!("the index build stopped unexpectedly"))??;
    if !noted && let Some(why) = index.rebuilt() {
        eprintln!("lifeboat: {}", why.message());
    }
    if let Some(pack) = index.pack() {
        eprintln!("{}", pack.describe());
        // Who made it, against this laptop's trusted keys; a signature that fails stops here
        // (the viewer holds the data back instead). The files' hashes: `lifeboat verify`.
        let sig = crate::trust::check_signature(&pack.dir, &crate::trust::TrustStore::default_store());
        eprintln!("signature: {}", sig.detail());
        if let crate::trust::SignatureCheck::Tampered { reason } = &sig {
            return Err(anyhow::Error::new(super::exit::Tampered(format!(
                "{}: {reason} (lifeboat verify {} tells more)",
                pack.dir.display(),
                pack.dir.display()
            ))));
        }
    }
    // Whether the answer comes from an index checked against the files is always said.
    eprintln!("{}", freshness_line(&index));
    if !quiet {
        let m = index.meta();
        match index.origin() {
            Origin::Built => eprintln!(
                "indexed {} patients, {} records from {} files in {:.1} s → {}",
                m.patients,
                m.records,
                m.report.files_total,
                m.build_seconds,
                index.index_dir().display()
            ),
            Origin::Reopened => eprintln!(
                "using the index built {} at {}",
                m.built_at,
                index.index_dir().display()
            ),
            Origin::Prebuilt if index.pack().is_some() => eprintln!(
                "using the pack's own index in place at {} (nothing copied to this laptop)",
                index.index_dir().display()
            ),
            Origin::Prebuilt => eprintln!(
                "using the prebuilt index on the media at {}",
                index.index_dir().display()
            ),
        }
    }
    Ok(index)
}

/// One line on stderr: checked (and how long it took), built just now, or not checked.
pub fn freshness_line(index: &SnapshotIndex) -> String {
    if index.pack().is_some() && index.freshness() == Freshness::Matches {
        return "index: shipped with the pack; the pack's files are the sizes its manifest says".to_string();
    }
    match (index.freshness(), index.check(), index.origin()) {
        (Freshness::Matches, _, Origin::Built) => {
            "index: built just now from the snapshot's files".to_string()
        }
        (Freshness::Matches, Some(c), _) => format!(
            "index: checked, the snapshot's {} files match it ({:.2} s)",
            c.files, c.seconds
        ),
        (Freshness::Matches, None, _) => "index: built from the snapshot's current files".to_string(),
        (Freshness::Unchecked, _, _) => format!(
            "warning: index not checked against the snapshot's files (--trust-index): changes \
             made after {} are not shown",
            index.meta().built_at
        ),
    }
}
