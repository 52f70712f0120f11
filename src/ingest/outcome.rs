//! What reading one file produced. Readers return this; the pipeline folds it into the report.

use crate::model::{Patient, Record, Timestamp};
use crate::report::{FileStatus, Problem, ResourceCounts, Severity};
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct FileOutcome {
    /// The file as shown in the report.
    pub path: String,
    pub status: FileStatus,
    /// `OMP-01`, `fhir:Bundle`, `not SS-MIX2` ...: for per-type counts.
    pub source_type: String,
    pub size: u64,
    pub patient_id: Option<String>,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// When the source system wrote it, for "data as of".
    pub written_at: Option<Timestamp>,
    /// Demographics as carried by any message (PID), for patients without a master record.
    pub demographics: Option<Patient>,
    /// FHIR: resources per type, mapped / kept unmapped / rejected. Empty for SS-MIX2.
    pub resources: BTreeMap<String, ResourceCounts>,
    /// A part of a large file handed on while it is read: records and problems only. The
    /// file's last outcome (not a part) carries its status, counts and totals.
    pub part: bool,
    /// The file says it is training or test data ([`crate::chart::mode`]).
    pub drill: bool,
}

impl FileOutcome {
    pub fn new(path: impl Into<String>, size: u64, source_type: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            status: FileStatus::Mapped,
            source_type: source_type.into(),
            size,
            patient_id: None,
            records: Vec::new(),
            problems: Vec::new(),
            written_at: None,
            demographics: None,
            resources: BTreeMap::new(),
            part: false,
            drill: false,
        }
    }

    /// Records and problems of a large file, handed on before the file is read to the end.
    pub fn part(path: impl Into<String>, records: Vec<Record>, problems: Vec<Problem>) -> Self {
        let mut o = Self::new(path, 0, "");
        o.records = records;
        o.problems = problems;
        o.part = true;
        o
    }

    /// A file that yields nothing, with the reason.
    pub fn rejected(
        path: impl Into<String>,
        size: u64,
        source_type: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::ending(
            path,
            size,
            source_type,
            FileStatus::Rejected,
            Severity::Error,
            reason,
        )
    }

    /// A kind of file this version does not read, with what it is.
    pub fn unsupported(
        path: impl Into<String>,
        size: u64,
        source_type: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::ending(
            path,
            size,
            source_type,
            FileStatus::Unsupported,
            Severity::Info,
            reason,
        )
    }

    fn ending(
        path: impl Into<String>,
        size: u64,
        source_type: impl Into<String>,
        status: FileStatus,
        severity: Severity,
        reason: impl Into<String>,
    ) -> Self {
        let mut o = Self::new(path, size, source_type);
        o.status = status;
        o.problems.push(Problem::new(o.path.clone(), severity, reason));
        o
    }

    /// Mapped, or mapped with warnings when any problem is a warning or worse.
    pub fn settle_status(&mut self) {
        if self.status == FileStatus::Mapped && self.problems.iter().any(|p| p.severity >= Severity::Warning)
        {
            self.status = FileStatus::MappedWithWarnings;
        }
    }
}
