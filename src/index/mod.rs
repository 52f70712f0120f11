//! The opened snapshot as the faces (GUI, PDF, CLI) see it: find patients, read one patient's
//! records, the ingest report and the data time.
//!
//! This is the contract for the faces. The first implementation keeps every record in memory
//! (fine for sample-data and drills); the tantivy index replaces the internals, not the API.

mod hit;
mod memory;
mod source_text;

pub use hit::PatientHit;

use crate::model::{Record, Timestamp};
use crate::progress::Progress;
use crate::report::IngestReport;
use std::path::PathBuf;

/// What to open and where its index may live.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Snapshot folders or zip archives, read together.
    pub roots: Vec<PathBuf>,
    /// Where to keep the index; default: the per-user data folder.
    pub index_dir: Option<PathBuf>,
    /// Rebuild even when a complete index exists.
    pub rebuild: bool,
}

/// An opened snapshot.
pub struct SnapshotIndex {
    inner: memory::MemoryStore,
}

impl SnapshotIndex {
    /// Opens the snapshot, reading it (and building the index) when needed. Progress counters
    /// are bumped as files are read; cancelling `progress` makes this return an error.
    pub fn open(options: &OpenOptions, progress: &Progress) -> anyhow::Result<SnapshotIndex> {
        Ok(SnapshotIndex {
            inner: memory::MemoryStore::open(options, progress)?,
        })
    }

    /// The snapshot's display name (folder or archive name).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub fn report(&self) -> &IngestReport {
        &self.inner.report
    }

    /// The newest data time in the snapshot ("データ基準日時").
    pub fn as_of(&self) -> Option<Timestamp> {
        self.inner.report.as_of
    }

    pub fn patient_count(&self) -> usize {
        self.inner.patients.len()
    }

    /// Patients matching what was typed in the search box, best first.
    pub fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<PatientHit>> {
        Ok(self.inner.search(query, limit))
    }

    /// One patient's summary line, by exact id.
    pub fn patient(&self, id: &str) -> anyhow::Result<Option<PatientHit>> {
        Ok(self.inner.patients.get(id).cloned())
    }

    /// Every record of one patient (all statuses), oldest first; undated records last.
    pub fn records(&self, id: &str) -> anyhow::Result<Vec<Record>> {
        Ok(self.inner.records.get(id).cloned().unwrap_or_default())
    }

    /// The ward census at the data time: every admitted patient by ward, room and bed.
    // Interim in-memory version so that printouts can be built; the tantivy store replaces it.
    pub fn census(&self) -> anyhow::Result<crate::chart::Census> {
        Ok(crate::chart::Census::build(
            self.inner
                .records
                .iter()
                .map(|(id, r)| (id.as_str(), r.as_slice())),
            self.as_of(),
        ))
    }

    /// The original text a record came from: its HL7 segments, or its FHIR resource.
    pub fn source_text(&self, record: &Record) -> anyhow::Result<String> {
        self.inner.source_text(record)
    }
}
