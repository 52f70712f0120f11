//! `lifeboat bench`: the figures issue #4 asks for, measured in one run on one snapshot.
//!
//! 1. I/O floor: list and read every file (both cores), nothing else.
//! 2. Ingest: both readers over every file, records discarded.
//! 3. Index build: ingest + tantivy, into a scratch index folder.
//! 4. Viewing, in a fresh child process (so its RSS is the viewer's, not the builder's):
//!    reopen time, search latency over a few hundred mixed queries, chart open for the
//!    heaviest patient.
//!
//! Run on a quiet machine; figures are medians or percentiles, and the ratio ingest / read is
//! the number to compare across machines.

mod floor;
mod rss;
mod view;

pub use view::run_view;

use crate::index::{OpenOptions, SnapshotIndex};
use crate::ingest::{IngestOptions, ingest};
use crate::progress::Progress;
use crate::source::Snapshot;
use anyhow::Context;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct BenchOptions {
    pub roots: Vec<PathBuf>,
    /// Scratch index folder (rebuilt).
    pub index_dir: PathBuf,
    /// Mixed search queries to time.
    pub queries: usize,
}

pub fn run(opts: &BenchOptions) -> anyhow::Result<String> {
    let mut out = String::new();
    let roots = &opts.roots;
    writeln!(
        out,
        "snapshot: {}",
        roots
            .iter()
            .map(|r| r.display().to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    )?;
    writeln!(out, "threads: {}", rayon::current_num_threads())?;

    let f = floor::read_all(roots)?;
    writeln!(
        out,
        "I/O floor (list + read every file): {} files, {:.1} MB in {:.1} s = {:.0} files/s, {:.1} MB/s",
        f.files,
        f.bytes as f64 / 1e6,
        f.seconds,
        f.files as f64 / f.seconds,
        f.bytes as f64 / 1e6 / f.seconds
    )?;

    let t = Instant::now();
    let mut snap = Snapshot::open(roots)?;
    let mut records = 0u64;
    let report = ingest(&mut snap, &IngestOptions::default(), |o| {
        records += o.records.len() as u64
    });
    let ingest_s = t.elapsed().as_secs_f64();
    let messages = report.files_mapped + report.files_with_warnings;
    writeln!(
        out,
        "ingest (both readers, records dropped): {} messages, {records} records in {ingest_s:.1} s = {:.0} messages/s, {:.1} MB/s; ingest/read = {:.2}",
        messages,
        messages as f64 / ingest_s,
        report.bytes_total as f64 / 1e6 / ingest_s,
        ingest_s / f.seconds
    )?;

    let t = Instant::now();
    let idx = SnapshotIndex::open(
        &OpenOptions {
            roots: roots.clone(),
            index_dir: Some(opts.index_dir.clone()),
            rebuild: true,
            ignore_prebuilt: true,
        },
        &Progress::new(),
    )?;
    let build_s = t.elapsed().as_secs_f64();
    let size = dir_size(&opts.index_dir);
    writeln!(
        out,
        "index build (ingest + tantivy): {} patients, {} records in {build_s:.1} s = {:.0} messages/s, {:.1} MB/s; build/read = {:.2}",
        idx.patient_count(),
        idx.meta().records,
        messages as f64 / build_s,
        report.bytes_total as f64 / 1e6 / build_s,
        build_s / f.seconds
    )?;
    writeln!(
        out,
        "index size: {:.1} MB ({:.2}× the snapshot)",
        size as f64 / 1e6,
        size as f64 / report.bytes_total.max(1) as f64
    )?;
    writeln!(
        out,
        "peak RSS of this process (floor + ingest + build): {}",
        rss::peak_text()
    )?;
    drop(idx);

    // The viewer's figures from a fresh process.
    let exe = std::env::current_exe().context("locating the lifeboat executable")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("bench")
        .arg("--view")
        .arg("--index")
        .arg(&opts.index_dir)
        .arg("--queries")
        .arg(opts.queries.to_string());
    cmd.args(roots);
    let child = cmd.output().context("running the viewing benchmark")?;
    anyhow::ensure!(
        child.status.success(),
        "viewing benchmark failed: {}",
        String::from_utf8_lossy(&child.stderr)
    );
    out.push_str(&String::from_utf8_lossy(&child.stdout));
    Ok(out)
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
