//! `lifeboat bench`: the figures issue #4 asks for, measured in one run on one snapshot.
//!
//! 1. I/O floor: list and read every file (both cores), nothing else; twice, since the first
//!    read may come from disk and the second from the OS cache.
//! 2. Ingest: both readers over every file, records discarded.
//! 3. Index build: ingest + tantivy, into a scratch index folder.
//! 4. Viewing: reopen time, search latency over a few hundred mixed queries, chart open for
//!    the heaviest patient.
//! 5. On request only (`--phases hostile`): generated hostile shapes at n and 4n.
//! 6. On request only (`--phases pack`): pack against index build, nightly re-pack, size.
//!
//! Each phase runs in a child process of its own, so each peak RSS is that phase's alone.
//!
//! Run on a quiet machine; figures are medians or percentiles, and the ratio ingest / read is
//! the number to compare across machines.

mod audit;
mod floor;
mod hostile;
mod pack;
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
    /// Which phases to run, in order (a subset of [`PHASES`]).
    pub phases: Vec<Phase>,
}

/// One measured step, run in a process of its own so that its peak RSS is its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Phase {
    /// List and read every file twice (the first read may come from disk, the second from the
    /// OS cache where memory allows): the I/O floor.
    Floor,
    /// Both readers over every file, records dropped.
    Ingest,
    /// Ingest + tantivy into the scratch index.
    Build,
    /// Reopen, search latency, chart open, on the built index.
    View,
    /// Generated hostile inputs (long repetitions, huge Bundles) indexed at n and 4n: the
    /// time ratio shows whether each shape is linear. Not in the default phases; the
    /// snapshot is not read.
    Hostile,
    /// `lifeboat pack` (issue 15): full pack against the index build, nightly re-pack against
    /// the full pack, pack size against the raw bytes. Not in the default phases.
    Pack,
}

pub const PHASES: [Phase; 4] = [Phase::Floor, Phase::Ingest, Phase::Build, Phase::View];

/// What a phase hands back to the parent, on the last line of its output.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub seconds: f64,
    /// The floor's second (cached) read.
    pub warm_seconds: Option<f64>,
    pub messages: u64,
    pub bytes: u64,
    pub peak_rss: Option<u64>,
}

const FIGURES_TAG: &str = "@figures ";

/// Runs the phases, each in a child process, and prints their lines with the ratios.
pub fn run(opts: &BenchOptions) -> anyhow::Result<String> {
    let mut out = String::new();
    writeln!(
        out,
        "snapshot: {}",
        opts.roots
            .iter()
            .map(|r| r.display().to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    )?;
    writeln!(
        out,
        "threads: {}; each phase runs in its own process (peak RSS is that phase's alone)",
        rayon::current_num_threads()
    )?;
    let mut floor: Option<Figures> = None;
    for phase in &opts.phases {
        let (text, figures) = run_child(opts, *phase)?;
        out.push_str(&text);
        let ratio = |label: &str, s: f64, out: &mut String| -> std::fmt::Result {
            if let Some(f) = &floor {
                write!(out, "  {label}/read = {:.2} (first read)", s / f.seconds)?;
                if let Some(w) = f.warm_seconds {
                    write!(out, ", {:.2} (cached read)", s / w)?;
                }
                writeln!(out)?;
            }
            Ok(())
        };
        match phase {
            Phase::Floor => floor = Some(figures),
            Phase::Ingest => ratio("ingest", figures.seconds, &mut out)?,
            Phase::Build => ratio("build", figures.seconds, &mut out)?,
            Phase::View | Phase::Hostile | Phase::Pack => {}
        }
    }
    Ok(out)
}

fn run_child(opts: &BenchOptions, phase: Phase) -> anyhow::Result<(String, Figures)> {
    let exe = std::env::current_exe().context("locating the lifeboat executable")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("bench")
        .arg("--phase")
        .arg(format!("{phase:?}").to_lowercase())
        .arg("--index")
        .arg(&opts.index_dir)
        .arg("--queries")
        .arg(opts.queries.to_string());
    cmd.args(&opts.roots);
    let child = cmd
        .output()
        .with_context(|| format!("running the {phase:?} phase"))?;
    anyhow::ensure!(
        child.status.success(),
        "{phase:?} phase failed: {}",
        String::from_utf8_lossy(&child.stderr)
    );
    let stdout = String::from_utf8_lossy(&child.stdout);
    let mut text = String::new();
    let mut figures = Figures::default();
    for line in stdout.lines() {
        match line.strip_prefix(FIGURES_TAG) {
            Some(json) => figures = serde_json::from_str(json)?,
            None => writeln!(text, "{line}")?,
        }
    }
    Ok((text, figures))
}

/// Runs one phase in this process and returns its lines, the last one being its figures.
pub fn run_phase(opts: &BenchOptions, phase: Phase) -> anyhow::Result<String> {
    let mut out = String::new();
    let roots = &opts.roots;
    let mut figures = match phase {
        Phase::Floor => {
            let first = floor::read_all(roots)?;
            let warm = floor::read_all(roots)?;
            for (label, f) in [("first read", &first), ("second read", &warm)] {
                writeln!(
                    out,
                    "I/O floor, {label} (list + read every file): {} files, {:.1} MB in {:.1} s = {:.0} files/s, {:.1} MB/s",
                    f.files,
                    f.bytes as f64 / 1e6,
                    f.seconds,
                    f.files as f64 / f.seconds,
                    f.bytes as f64 / 1e6 / f.seconds
                )?;
            }
            Figures {
                seconds: first.seconds,
                warm_seconds: Some(warm.seconds),
                messages: first.files,
                bytes: first.bytes,
                peak_rss: None,
            }
        }
        Phase::Ingest => {
            let t = Instant::now();
            let mut snap = Snapshot::open(roots)?;
            let mut records = 0u64;
            let report = ingest(&mut snap, &IngestOptions::default(), |o| {
                records += o.records.len() as u64
            });
            let s = t.elapsed().as_secs_f64();
            let messages = report.files_mapped + report.files_with_warnings;
            writeln!(
                out,
                "ingest (both readers, records dropped): {messages} messages, {records} records in {s:.1} s = {:.0} messages/s, {:.1} MB/s",
                messages as f64 / s,
                report.bytes_total as f64 / 1e6 / s,
            )?;
            Figures {
                seconds: s,
                messages,
                bytes: report.bytes_total,
                ..Figures::default()
            }
        }
        Phase::Build => {
            let t = Instant::now();
            let idx = SnapshotIndex::open(
                &OpenOptions {
                    roots: roots.clone(),
                    index_dir: Some(opts.index_dir.clone()),
                    rebuild: true,
                    ignore_prebuilt: true,
                    verify_first: false,
                    pack: None,
                },
                &Progress::new(),
            )?;
            let s = t.elapsed().as_secs_f64();
            let report = idx.report();
            let messages = report.files_mapped + report.files_with_warnings;
            let size = dir_size(&opts.index_dir);
            writeln!(
                out,
                "index build (ingest + tantivy): {} patients, {} records, {messages} messages in {s:.1} s = {:.0} messages/s, {:.1} MB/s",
                idx.patient_count(),
                idx.meta().records,
                messages as f64 / s,
                report.bytes_total as f64 / 1e6 / s,
            )?;
            writeln!(
                out,
                "index size: {:.1} MB ({:.2}× the snapshot)",
                size as f64 / 1e6,
                size as f64 / report.bytes_total.max(1) as f64
            )?;
            Figures {
                seconds: s,
                messages,
                bytes: report.bytes_total,
                ..Figures::default()
            }
        }
        Phase::View => {
            out.push_str(&run_view(roots.clone(), opts.index_dir.clone(), opts.queries)?);
            Figures::default()
        }
        Phase::Hostile => {
            hostile::run(&mut out)?;
            Figures::default()
        }
        Phase::Pack => {
            let scratch = opts.index_dir.with_extension("pack-bench");
            let seconds = pack::run(roots, &scratch, &mut out)?;
            let _ = std::fs::remove_dir_all(&scratch);
            Figures {
                seconds,
                ..Figures::default()
            }
        }
    };
    figures.peak_rss = rss::peak_bytes();
    if phase != Phase::View {
        // The viewing figures print their own.
        writeln!(out, "  peak RSS of the {phase:?} phase: {}", rss::peak_text())?;
    }
    writeln!(out, "{FIGURES_TAG}{}", serde_json::to_string(&figures)?)?;
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
