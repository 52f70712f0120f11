//! Every record held in memory, grouped by patient: the simple store behind [`super::SnapshotIndex`]
//! until the on-disk index takes over.

use super::{OpenOptions, PatientHit};
use crate::ingest::{IngestOptions, ingest};
use crate::model::{Clinical, EncounterEvent, Record};
use crate::progress::{Progress, Stage};
use crate::report::IngestReport;
use crate::source::Snapshot;
use anyhow::bail;
use std::collections::HashMap;

pub struct MemoryStore {
    pub name: String,
    pub report: IngestReport,
    pub snapshot: Snapshot,
    pub patients: HashMap<String, PatientHit>,
    pub records: HashMap<String, Vec<Record>>,
}

impl MemoryStore {
    pub fn open(options: &OpenOptions, progress: &Progress) -> anyhow::Result<Self> {
        let mut snapshot = Snapshot::open(&options.roots)?;
        let ingest_options = IngestOptions {
            progress: Some(progress.clone()),
            ..Default::default()
        };
        let mut records: HashMap<String, Vec<Record>> = HashMap::new();
        let report = ingest(&mut snapshot, &ingest_options, |o| {
            for r in &o.records {
                records.entry(r.patient_id.clone()).or_default().push(r.clone());
            }
        });
        if progress.is_cancelled() {
            bail!("cancelled while reading {}", snapshot.name());
        }
        let mut patients = HashMap::new();
        for (id, list) in records.iter_mut() {
            list.sort_by_key(|r| (r.date().is_none(), r.date()));
            patients.insert(id.clone(), summarize(id, list));
        }
        progress.set_stage(Stage::Done);
        Ok(MemoryStore {
            name: snapshot.name(),
            report,
            snapshot,
            patients,
            records,
        })
    }

    pub fn search(&self, query: &str, limit: usize) -> Vec<PatientHit> {
        let words: Vec<String> = query
            .split([' ', '\u{3000}'])
            .filter(|w| !w.is_empty())
            .map(crate::text::katakana)
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, &PatientHit)> = self
            .patients
            .values()
            .filter_map(|p| {
                let hay = format!(
                    "{} {} {} {}",
                    p.id,
                    p.name_kanji,
                    p.name_kana,
                    p.birth_date.map(|b| b.to_iso()).unwrap_or_default()
                );
                let all = words.iter().all(|w| hay.contains(w.as_str()));
                if !all {
                    return None;
                }
                let rank = if words.len() == 1 && words[0] == p.id {
                    0
                } else {
                    1
                };
                Some((rank, p))
            })
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        hits.into_iter().take(limit).map(|(_, p)| p.clone()).collect()
    }

    pub fn census(&self) -> crate::chart::Census {
        let patients = self.records.iter().map(|(id, r)| (id.as_str(), r.as_slice()));
        crate::chart::Census::build(patients, self.report.as_of)
    }

    pub fn source_text(&self, record: &Record) -> anyhow::Result<String> {
        super::source_text::of(&self.snapshot, record)
    }
}

/// The search-result line of one patient from their records (sorted oldest first).
pub fn summarize(id: &str, records: &[Record]) -> PatientHit {
    let mut hit = PatientHit {
        id: id.to_string(),
        ..PatientHit::default()
    };
    let newest_patient = records
        .iter()
        .rev()
        .filter(|r| r.status == crate::model::RecordStatus::Current)
        .find_map(|r| match &r.data {
            Clinical::Patient(p) => Some(p),
            _ => None,
        });
    if let Some(p) = newest_patient {
        hit.name_kanji = p.name_kanji.as_ref().map(|n| n.full()).unwrap_or_default();
        hit.name_kana = p.name_kana.as_ref().map(|n| n.full()).unwrap_or_default();
        hit.sex = p.sex;
        hit.birth_date = p.birth_date;
    }
    hit.last_visit = records
        .iter()
        .filter(|r| r.status == crate::model::RecordStatus::Current)
        .filter_map(|r| match &r.data {
            Clinical::Encounter(e)
                if !e.cancellation
                    && matches!(
                        e.event,
                        EncounterEvent::OutpatientVisit | EncounterEvent::Admission | EncounterEvent::Stay
                    ) =>
            {
                e.time()
            }
            _ => None,
        })
        .max();
    hit
}
