//! The problem list: active diagnoses (main first, suspected marked) and resolved ones.

use super::newest_first;
use crate::model::{Clinical, Diagnosis, Record, RecordStatus, Timestamp};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize)]
pub struct ProblemItem {
    pub record: usize,
    /// The name as recorded, `（疑い）` added for a suspected diagnosis not already saying so.
    pub name: String,
    pub main: bool,
    pub suspected: bool,
    pub icd10: String,
    /// Onset, else the date of diagnosis.
    pub since: Option<Timestamp>,
    /// When it ended (resolved, else the outcome date), for resolved problems.
    pub ended: Option<Timestamp>,
    pub outcome: String,
    pub department: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ProblemList {
    /// Main diagnoses first, then newest first.
    pub active: Vec<ProblemItem>,
    /// Newest ended first.
    pub resolved: Vec<ProblemItem>,
}

impl ProblemList {
    /// Current diagnoses only. A diagnosis whose end lies after `now` is still active then.
    pub fn build(records: &[Record], now: Option<Timestamp>) -> Self {
        let mut items: Vec<(bool, ProblemItem)> = Vec::new();
        // The same problem (one instance id) sent by several current records: the newest wins.
        let mut by_instance: HashMap<&str, usize> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            let Clinical::Diagnosis(d) = &r.data else {
                continue;
            };
            if r.status != RecordStatus::Current {
                continue;
            }
            let ended = d.resolved.or(d.outcome_date.filter(|_| !d.is_active()));
            let active = d.is_active() || matches!((ended, now), (Some(e), Some(n)) if e > n);
            let item = item_of(i, d, ended);
            if !d.instance_id.is_empty()
                && let Some(&pos) = by_instance.get(d.instance_id.as_str())
            {
                items[pos] = (active, item);
                continue;
            }
            if !d.instance_id.is_empty() {
                by_instance.insert(d.instance_id.as_str(), items.len());
            }
            items.push((active, item));
        }
        let (mut active, mut resolved): (Vec<_>, Vec<_>) = items.into_iter().partition(|(a, _)| *a);
        active.sort_by(|(_, a), (_, b)| {
            b.main
                .cmp(&a.main)
                .then(newest_first(a.since, b.since))
                .then(b.record.cmp(&a.record))
        });
        resolved.sort_by(|(_, a), (_, b)| newest_first(a.ended, b.ended).then(b.record.cmp(&a.record)));
        Self {
            active: active.into_iter().map(|(_, p)| p).collect(),
            resolved: resolved.into_iter().map(|(_, p)| p).collect(),
        }
    }
}

fn item_of(record: usize, d: &Diagnosis, ended: Option<Timestamp>) -> ProblemItem {
    let mut name = d.name.clone();
    if d.suspected && !name.contains("疑い") {
        name.push_str("（疑い）");
    }
    ProblemItem {
        record,
        name,
        main: d.main,
        suspected: d.suspected,
        icd10: d.icd10.as_ref().map(|c| c.code.clone()).unwrap_or_default(),
        since: d.onset.or(d.diagnosed),
        ended,
        outcome: d
            .outcome
            .as_ref()
            .map(|o| o.display().to_string())
            .unwrap_or_default(),
        department: d
            .department
            .as_ref()
            .map(|c| c.display().to_string())
            .unwrap_or_default(),
    }
}
