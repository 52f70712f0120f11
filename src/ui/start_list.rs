//! The search screen before anything is typed: the patients seen most recently in the snapshot.
//! Inpatients first in census order (ward, room, bed), then everyone else by last visit, newest
//! first, so the night nurse's own ward is a glance away and an empty table never greets them.

use crate::chart::Census;
use crate::index::{PatientHit, SnapshotIndex};
use std::collections::HashMap;

/// Patients read for the list at most: their stored summaries are small, but a snapshot of a
/// whole region must not stall the first screen. Past this, the non-admitted part is a sample.
pub const SCAN_LIMIT: usize = 100_000;

/// The start list of `index`, at most `limit` patients.
pub fn build(index: &SnapshotIndex, limit: usize) -> Result<Vec<PatientHit>, String> {
    let hits = index
        .some_patients(index.patient_count().min(SCAN_LIMIT))
        .map_err(|e| format!("{e:#}"))?;
    Ok(order(hits, index.census(), limit))
}

/// Inpatients by their census position, then by last visit (newest first), then by ID.
pub fn order(hits: Vec<PatientHit>, census: &Census, limit: usize) -> Vec<PatientHit> {
    let place: HashMap<&str, (usize, usize)> = census
        .wards
        .iter()
        .enumerate()
        .flat_map(|(w, ward)| {
            ward.entries
                .iter()
                .enumerate()
                .map(move |(n, e)| (e.patient_id.as_str(), (w, n)))
        })
        .collect();
    let mut keyed: Vec<(Option<(usize, usize)>, PatientHit)> = hits
        .into_iter()
        .map(|h| (place.get(h.id.as_str()).copied(), h))
        .collect();
    keyed.sort_by(|(pa, a), (pb, b)| match (pa, pb) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b
            .last_visit
            .map(|t| t.value())
            .cmp(&a.last_visit.map(|t| t.value()))
            .then_with(|| a.id.cmp(&b.id)),
    });
    keyed.into_iter().take(limit).map(|(_, h)| h).collect()
}
