//! What a snapshot says about its patients as people, gathered while files stream past: the
//! demographics of the search line, the PID fallback for patients without a master, identity
//! claims and department names. The index build and the direct read both fold every outcome
//! through this, so both give the same chart.

use super::FileOutcome;
use crate::chart::departments::DepartmentNames;
use crate::chart::identity::{Claims, Identity, conflict_problem, same_names};
use crate::chart::merge_demographics;
use crate::model::{Clinical, Patient, Record, RecordStatus, Timestamp};
use crate::report::Problem;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What the chart needs about one patient beyond the records.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonFacts {
    /// The newest PID of any message, for a patient without a current master.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Patient>,
    #[serde(default, skip_serializing_if = "Identity::is_empty")]
    pub identity: Identity,
}

/// One patient while reading.
#[derive(Default)]
struct Person {
    /// The newest current master: the name of the search line and of the census.
    newest_master: Option<Record>,
    fallback: Option<(Option<Timestamp>, Patient)>,
    claims: Claims,
}

#[derive(Default)]
pub struct People {
    persons: HashMap<String, Person>,
    departments: DepartmentNames,
}

/// Everything settled after the last file.
pub struct Settled {
    /// Per patient: the demographics of the search line (merged master, else the fallback).
    pub lines: BTreeMap<String, Option<Patient>>,
    pub facts: BTreeMap<String, PersonFacts>,
    pub departments: DepartmentNames,
    /// One error per patient whose records disagree on who they are.
    pub problems: Vec<Problem>,
}

impl People {
    pub fn add(&mut self, o: &FileOutcome) {
        let mut has_master = false;
        let mut has_current = false;
        for r in &o.records {
            self.departments.learn(r);
            if r.status == RecordStatus::Current {
                has_current = true;
            }
            if !matches!(r.data, Clinical::Patient(_)) {
                continue;
            }
            has_master = true;
            let p = self.persons.entry(r.patient_id.clone()).or_default();
            p.claims.add_record(r);
            // Later in reading order wins on equal times, as the census always did.
            if r.status == RecordStatus::Current
                && p.newest_master
                    .as_ref()
                    .is_none_or(|m| m.provenance.written_at <= r.provenance.written_at)
            {
                p.newest_master = Some(r.clone());
            }
        }
        if let (Some(id), Some(d)) = (&o.patient_id, &o.demographics) {
            let p = self.persons.entry(id.clone()).or_default();
            if p.fallback.as_ref().is_none_or(|(t, _)| o.written_at > *t) {
                p.fallback = Some((o.written_at, d.clone()));
            }
            // A master speaks through its record; a message whose records were all replaced
            // or cancelled no longer speaks at all.
            if !has_master && has_current {
                p.claims.add_message(&o.path, o.written_at, d);
            }
        }
    }

    pub fn finish(self) -> Settled {
        let mut departments = self.departments;
        departments.finish();
        let mut lines = BTreeMap::new();
        let mut facts = BTreeMap::new();
        let mut problems = Vec::new();
        for (id, p) in self.persons {
            let line = p
                .newest_master
                .as_ref()
                .and_then(|m| merge_demographics(std::slice::from_ref(m)).map(|(d, _)| d))
                .or_else(|| p.fallback.as_ref().map(|(_, d)| d.clone()));
            let conflicts = p.claims.conflicts();
            if let Some(problem) = conflict_problem(&id, &conflicts) {
                problems.push(problem);
            }
            lines.insert(id.clone(), line);
            facts.insert(
                id,
                PersonFacts {
                    fallback: p.fallback.map(|(_, d)| d),
                    identity: Identity {
                        conflicts,
                        same_name: Vec::new(),
                    },
                },
            );
        }
        problems.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
        let names: Vec<(&str, String, String)> = lines
            .iter()
            .map(|(id, d)| {
                let name = |n: Option<&crate::model::PersonName>| n.map(|n| n.full()).unwrap_or_default();
                (
                    id.as_str(),
                    name(d.as_ref().and_then(|d| d.name_kanji.as_ref())),
                    name(d.as_ref().and_then(|d| d.name_kana.as_ref())),
                )
            })
            .collect();
        let same = same_names(names.iter().map(|(id, k, n)| (*id, k.as_str(), n.as_str())));
        for (id, others) in same {
            if let Some(f) = facts.get_mut(&id) {
                f.identity.same_name = others;
            }
        }
        Settled {
            lines,
            facts,
            departments,
            problems,
        }
    }
}
