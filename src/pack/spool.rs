//! Records set aside while the sources are read, until the data time is known and the window
//! rule can judge them: written to a temporary file (JSON, one record after another) with only
//! their places kept in memory, so that a 50,000-patient storage's years of orders, encounters
//! and vitals never sit in memory at once. Read back one patient at a time.

use crate::model::Record;
use anyhow::Context;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

pub struct RecordSpool {
    out: BufWriter<File>,
    at: u64,
    /// Patient → (offset, length) of each record.
    places: HashMap<String, Vec<(u64, u32)>>,
    /// The first write error: reported when the records are read back.
    failed: Option<std::io::Error>,
}

impl RecordSpool {
    pub fn new() -> anyhow::Result<Self> {
        let file = tempfile::tempfile().context("creating a temporary file for the window rule")?;
        Ok(Self {
            out: BufWriter::with_capacity(1 << 20, file),
            at: 0,
            places: HashMap::new(),
            failed: None,
        })
    }

    pub fn push(&mut self, r: &Record) {
        if self.failed.is_some() {
            return;
        }
        let bytes = match serde_json::to_vec(r) {
            Ok(b) => b,
            Err(e) => {
                self.failed = Some(std::io::Error::other(e));
                return;
            }
        };
        if let Err(e) = self.out.write_all(&bytes) {
            self.failed = Some(e);
            return;
        }
        self.places
            .entry(r.patient_id.clone())
            .or_default()
            .push((self.at, bytes.len() as u32));
        self.at += bytes.len() as u64;
    }

    /// Hands each patient's records to `each`, one patient at a time.
    pub fn each_patient(self, mut each: impl FnMut(&[Record])) -> anyhow::Result<()> {
        if let Some(e) = self.failed {
            return Err(anyhow::anyhow!("writing the window rule's temporary file: {e}"));
        }
        let mut file = self
            .out
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing the window rule's temporary file: {}", e.error()))?;
        let mut buf = Vec::new();
        for places in self.places.values() {
            let mut records = Vec::with_capacity(places.len());
            for &(off, len) in places {
                buf.resize(len as usize, 0);
                file.seek(SeekFrom::Start(off))?;
                file.read_exact(&mut buf)?;
                records
                    .push(serde_json::from_slice::<Record>(&buf).context("reading back a set-aside record")?);
            }
            each(&records);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Clinical, Provenance, RawRecord, RecordStatus};

    #[test]
    fn records_come_back_by_patient_as_they_went_in() {
        let mut spool = RecordSpool::new().expect("spool");
        let rec = |p: &str, file: &str| Record {
            patient_id: p.into(),
            status: RecordStatus::Current,
            provenance: Provenance {
                file: file.into(),
                ..Provenance::default()
            },
            data: Clinical::Raw(RawRecord::default()),
        };
        let all = [rec("A", "a/1"), rec("B", "b/1"), rec("A", "a/2")];
        for r in &all {
            spool.push(r);
        }
        let mut seen: Vec<Vec<Record>> = Vec::new();
        spool
            .each_patient(|rs| seen.push(rs.to_vec()))
            .expect("read back");
        seen.sort_by(|a, b| a[0].patient_id.cmp(&b[0].patient_id));
        assert_eq!(
            seen,
            vec![vec![all[0].clone(), all[2].clone()], vec![all[1].clone()]]
        );
    }
}
