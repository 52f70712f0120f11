//! `lifeboat bench --phases pack` (issue 15): a full pack against `lifeboat index` on the same
//! data, a nightly re-pack (nothing changed: every entry copied compressed from the previous
//! generation, the floor of a night with one more day) against the full pack, and the pack's
//! size against the raw bytes.

use crate::index::{OpenOptions, SnapshotIndex};
use crate::pack::{PackOptions, pack};
use crate::progress::Progress;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(roots: &[PathBuf], scratch: &Path, out: &mut String) -> anyhow::Result<f64> {
    let index_dir = scratch.join("index");
    let media = scratch.join("media");
    let _ = std::fs::remove_dir_all(&index_dir);
    let _ = std::fs::remove_dir_all(&media);
    let t = Instant::now();
    SnapshotIndex::open(
        &OpenOptions {
            roots: roots.to_vec(),
            index_dir: Some(index_dir.clone()),
            rebuild: true,
            ignore_prebuilt: true,
            verify_first: false,
            pack: None,
        },
        &Progress::new(),
    )?;
    let index_s = t.elapsed().as_secs_f64();
    let mut options = PackOptions::new(media.clone(), "bench".into());
    options.generations = 2;
    let full = pack(roots, &options, &Progress::new())?;
    let nightly = pack(roots, &options, &Progress::new())?;
    writeln!(out, "index build: {index_s:.1} s")?;
    for (label, r) in [("full", &full), ("nightly", &nightly)] {
        writeln!(
            out,
            "  {label}: choosing files {:.1} s, archive {:.1} s, index {:.1} s",
            r.select_seconds, r.archive_seconds, r.index_seconds
        )?;
    }
    writeln!(
        out,
        "full pack: {:.1} s = {:.2}× the index build ({} files packed, {} parts)",
        full.seconds,
        full.seconds / index_s.max(1e-9),
        full.packed_files,
        full.parts.len()
    )?;
    writeln!(
        out,
        "nightly re-pack (unchanged sources): {:.1} s = {:.2}× the full pack ({} entries reused, {} compressed)",
        nightly.seconds,
        nightly.seconds / full.seconds.max(1e-9),
        nightly.reused,
        nightly.compressed
    )?;
    writeln!(
        out,
        "pack size: {:.1} MB (archive {:.1} + index {:.1}) = {:.2}× the raw {:.1} MB",
        (full.pack_bytes + full.index_bytes) as f64 / 1e6,
        full.pack_bytes as f64 / 1e6,
        full.index_bytes as f64 / 1e6,
        (full.pack_bytes + full.index_bytes) as f64 / full.raw_bytes.max(1) as f64,
        full.raw_bytes as f64 / 1e6
    )?;
    let _ = std::fs::remove_dir_all(&media);
    Ok(full.seconds)
}
