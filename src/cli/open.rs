//! Opening a snapshot's index from the command line, with a progress line on the terminal.

use crate::index::{OpenOptions, Origin, SnapshotIndex};
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
    while !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(100));
        ticks += 1;
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
            Origin::Prebuilt => eprintln!(
                "using the prebuilt index on the media at {}",
                index.index_dir().display()
            ),
        }
    }
    Ok(index)
}
