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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{CensusEntry, WardCensus};
    use crate::model::{Sex, Timestamp};

    fn hit(id: &str, last: &str) -> PatientHit {
        PatientHit {
            id: id.into(),
            last_visit: Timestamp::parse_iso(last),
            ..PatientHit::default()
        }
    }

    fn entry(id: &str) -> CensusEntry {
        CensusEntry {
            patient_id: id.into(),
            name_kanji: String::new(),
            name_kana: String::new(),
            sex: Sex::Unknown,
            age: None,
            birth_date: None,
            room: String::new(),
            bed: String::new(),
            admitted: None,
            department: String::new(),
            attending: String::new(),
            on_leave: false,
            planned_discharge: None,
        }
    }

    fn ward(code: &str, ids: &[&str]) -> WardCensus {
        WardCensus {
            code: code.into(),
            name: format!("{code}病棟"),
            entries: ids.iter().map(|i| entry(i)).collect(),
        }
    }

    #[test]
    fn inpatients_by_ward_and_bed_then_the_latest_visits() {
        let census = Census {
            as_of: None,
            wards: vec![ward("3", &["P9", "P2"]), ward("10", &["P5"])],
        };
        let hits = vec![
            hit("P1", "2026-11-01"),
            hit("P2", "2020-01-01"),
            hit("P3", "2026-11-20"),
            hit("P5", "2026-11-19"),
            hit("P4", ""),
            hit("P9", "2026-01-01"),
            hit("P0", "2026-11-01"),
        ];
        let ids: Vec<String> = order(hits.clone(), &census, 10)
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["P9", "P2", "P5", "P3", "P0", "P1", "P4"]);
        let ids: Vec<String> = order(hits, &census, 4).into_iter().map(|h| h.id).collect();
        assert_eq!(ids, ["P9", "P2", "P5", "P3"], "the limit keeps the head");
    }
}
