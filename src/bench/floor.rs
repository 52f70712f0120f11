//! The I/O floor: the time to list and read every byte of the snapshot and do nothing with it.

use crate::source::Snapshot;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

pub struct Floor {
    pub files: u64,
    pub bytes: u64,
    pub seconds: f64,
}

pub fn read_all(roots: &[PathBuf]) -> anyhow::Result<Floor> {
    let t = Instant::now();
    let mut snap = Snapshot::open(roots)?;
    let (files, _) = snap.list();
    let snap = &snap;
    // Same batching and threads as the ingest pipeline, so the comparison is fair.
    let bytes: u64 = files
        .par_chunks(2048)
        .map(|batch| {
            batch
                .iter()
                .map(|f| snap.read(f).map_or(0, |b| std::hint::black_box(b).len() as u64))
                .sum::<u64>()
        })
        .sum();
    Ok(Floor {
        files: files.len() as u64,
        bytes,
        seconds: t.elapsed().as_secs_f64().max(1e-9),
    })
}
