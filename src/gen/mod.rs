//! Synthetic hospital generator: writes an SS-MIX2 standardized storage
//! full of plausible (entirely fictional) Japanese patients.
//!
//! Deterministic for a seed: every patient has its own PRNG streams derived
//! from (seed, patient index), beds are allocated in a sequential pre-pass,
//! and files are then generated per patient in parallel.

mod adt;
mod beds;
mod broken;
mod care;
mod dept;
mod drugs;
mod dx;
mod exam;
mod exams;
mod hl7;
mod lab;
mod labs;
mod names;
mod patient;
mod profile;
mod record;
mod rng;
mod rx;
mod scenario;
mod serology;
mod story;
mod ts;
mod vitals;
mod writer;

#[cfg(test)]
mod tests;

use anyhow::{Context, bail};
use rayon::prelude::*;
use std::path::PathBuf;

/// The fixed default end date, so output is deterministic.
pub const DEFAULT_END: &str = "2026-11-20";

pub struct GenOptions {
    pub out: PathBuf,
    pub patients: u32,
    /// How far back from `end` the data goes.
    pub days: u32,
    pub seed: u64,
    pub end: chrono::NaiveDate,
}

pub struct GenSummary {
    pub patients: u32,
    pub files: u64,
    pub bytes: u64,
    pub broken_files: Vec<PathBuf>,
    pub inpatients_at_end: u32,
    /// The patient IDs of those inpatients, sorted.
    pub inpatient_ids: Vec<String>,
}

/// Generate a storage into `opts.out`, which must be missing or empty.
pub fn generate(opts: &GenOptions) -> anyhow::Result<GenSummary> {
    let out = &opts.out;
    if out.exists() {
        if !out.is_dir() {
            bail!("{} exists and is not a directory", out.display());
        }
        let mut entries = std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
        if entries.next().is_some() {
            bail!("refusing to write into non-empty folder {}", out.display());
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;

    let end = opts.end;
    let start = end - chrono::TimeDelta::days(opts.days as i64);
    // Export ("snapshot") time: late evening of the end date.
    let export = ts::at(end, 23, 0);

    let profiles: Vec<profile::Profile> = (0..opts.patients)
        .into_par_iter()
        .map(|i| profile::build(i, opts.seed, end))
        .collect();
    let hospital = beds::allocate(&profiles, opts.seed, start, end, export);

    let (files, bytes) = profiles
        .par_iter()
        .map(|p| -> anyhow::Result<(u64, u64)> {
            let stays = &hospital.stays[p.idx as usize];
            let files = story::run(p, stays, opts.seed, start, end, export);
            files
                .write(out)
                .with_context(|| format!("writing patient {}", p.id))?;
            Ok((files.files.len() as u64, files.bytes()))
        })
        .try_reduce(|| (0, 0), |a, b| Ok((a.0 + b.0, a.1 + b.1)))?;

    let mut inpatient_ids: Vec<String> = profiles
        .iter()
        .filter(|p| {
            hospital.stays[p.idx as usize]
                .iter()
                .any(|s| s.admit <= export && s.discharge > export)
        })
        .map(|p| p.id.clone())
        .collect();
    inpatient_ids.sort();

    let broken_files = broken::write_all(out, opts.seed, end)?;
    let broken_bytes: u64 = broken_files
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();

    Ok(GenSummary {
        patients: opts.patients,
        files: files + broken_files.len() as u64,
        bytes: bytes + broken_bytes,
        broken_files,
        inpatients_at_end: hospital.inpatients_at_end,
        inpatient_ids,
    })
}
