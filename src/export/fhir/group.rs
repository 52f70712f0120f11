//! Groups what the ingest pipeline reads into one bundle of records per patient, so that a
//! patient is written as soon as the reader has moved past them: memory holds one patient.
//!
//! An SS-MIX2 storage lists each patient's files together (one folder per patient), so a
//! patient is done when files of the next one arrive. Files that hold several patients (FHIR
//! Bundles, NDJSON) are spread over the read; their records wait until the end, and go out
//! as a later part of a patient already written, if any.

use crate::ingest::FileOutcome;
use crate::model::{Patient, Record, Timestamp};
use std::collections::{BTreeMap, HashSet};

/// One patient's records (or a later part of them).
#[derive(Debug, Default)]
pub struct PatientChunk {
    pub patient_id: String,
    pub records: Vec<Record>,
    /// Demographics from any message (PID) with when it was written, for patients without a
    /// patient master record: the newest wins.
    pub demographics: Option<(Option<Timestamp>, Patient)>,
    /// The patient was written before: this part must not repeat the Patient.
    pub late: bool,
}

impl PatientChunk {
    fn new(patient_id: &str, late: bool) -> Self {
        PatientChunk {
            patient_id: patient_id.to_string(),
            late,
            ..Self::default()
        }
    }

    fn offer_demographics(&mut self, written: Option<Timestamp>, p: &Patient) {
        if self.demographics.as_ref().is_none_or(|(t, _)| written > *t) {
            self.demographics = Some((written, p.clone()));
        }
    }
}

#[derive(Default)]
pub struct Grouper {
    current: Option<PatientChunk>,
    pending: BTreeMap<String, PatientChunk>,
    done: HashSet<String>,
    /// Records filed under `(unresolved)` or `(no patient)`: not a patient, not exported.
    pub without_patient: u64,
}

impl Grouper {
    /// Takes one file's outcome; returns the previous patient when this file starts another.
    pub fn add(&mut self, o: &FileOutcome) -> Option<PatientChunk> {
        let single = o.patient_id.as_deref().filter(|p| !p.starts_with('('));
        let mut finished = None;
        if let Some(p) = single
            && self.current.as_ref().is_none_or(|c| c.patient_id != p)
        {
            finished = self.current.take();
            if let Some(f) = &finished {
                self.done.insert(f.patient_id.clone());
            }
            let mut next = self
                .pending
                .remove(p)
                .unwrap_or_else(|| PatientChunk::new(p, false));
            next.late = self.done.contains(p);
            self.current = Some(next);
        }
        for r in &o.records {
            if r.patient_id.starts_with('(') {
                self.without_patient += 1;
                continue;
            }
            match self.current.as_mut() {
                Some(c) if c.patient_id == r.patient_id => c.records.push(r.clone()),
                _ => {
                    let late = self.done.contains(&r.patient_id);
                    self.pending
                        .entry(r.patient_id.clone())
                        .or_insert_with(|| PatientChunk::new(&r.patient_id, late))
                        .records
                        .push(r.clone());
                }
            }
        }
        if let (Some(p), Some(d)) = (single, &o.demographics)
            && let Some(c) = self.current.as_mut().filter(|c| c.patient_id == p)
        {
            c.offer_demographics(o.written_at, d);
        }
        finished
    }

    /// The patient being read and every patient still waiting, in ID order.
    pub fn finish(mut self) -> Vec<PatientChunk> {
        let mut out: Vec<PatientChunk> = self.current.take().into_iter().collect();
        for c in &out {
            self.done.insert(c.patient_id.clone());
        }
        for (id, mut c) in std::mem::take(&mut self.pending) {
            c.late = self.done.contains(&id);
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Clinical, Provenance, RawRecord, RecordStatus};

    fn rec(patient: &str) -> Record {
        Record {
            patient_id: patient.into(),
            status: RecordStatus::Current,
            provenance: Provenance::default(),
            data: Clinical::Raw(RawRecord {
                source_type: String::new(),
                reason: String::new(),
                text: String::new(),
                time: None,
            }),
        }
    }

    fn outcome(patient: Option<&str>, records: &[&str]) -> FileOutcome {
        let mut o = FileOutcome::new("f", 0, "t");
        o.patient_id = patient.map(str::to_string);
        o.records = records.iter().map(|p| rec(p)).collect();
        o
    }

    #[test]
    fn patients_flush_when_the_next_one_starts() {
        let mut g = Grouper::default();
        assert!(g.add(&outcome(Some("A"), &["A", "A"])).is_none());
        // A multi-patient file in between: A's record joins A, B's waits.
        assert!(g.add(&outcome(None, &["A", "B", "(unresolved)"])).is_none());
        let a = g.add(&outcome(Some("C"), &["C"]));
        let a = a.unwrap_or_default();
        assert_eq!((a.patient_id.as_str(), a.records.len(), a.late), ("A", 3, false));
        // A again after it was written: a later part.
        assert!(g.add(&outcome(None, &["A"])).is_none());
        assert_eq!(g.without_patient, 1);
        let rest = g.finish();
        let got: Vec<(&str, usize, bool)> = rest
            .iter()
            .map(|c| (c.patient_id.as_str(), c.records.len(), c.late))
            .collect();
        assert_eq!(got, [("C", 1, false), ("A", 1, true), ("B", 1, false)]);
    }
}
