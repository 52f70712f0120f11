//! Totals over a whole snapshot, built file by file.

use super::{MANGLED_NAMES_JA, MangledNames, Problem, Severity};
use crate::model::{RecordKind, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What became of one input file. Every file gets exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Mapped,
    MappedWithWarnings,
    /// Could not be read into records; the reason is in the problems.
    Rejected,
    /// A kind of file this version does not read yet (extended storage, transaction files ...).
    Unsupported,
}

impl FileStatus {
    pub fn label_ja(self) -> &'static str {
        match self {
            FileStatus::Mapped => "取込済",
            FileStatus::MappedWithWarnings => "取込済（警告あり）",
            FileStatus::Rejected => "取込不可",
            FileStatus::Unsupported => "未対応",
        }
    }
}

/// What became of the FHIR resources of one type: every Bundle entry, NDJSON line and
/// single-resource file lands in exactly one of these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceCounts {
    /// Read into a clinical record (or, for Bundles and bulk headers, unpacked).
    pub mapped: u64,
    /// Kept as source text (viewable), not interpreted.
    pub unmapped: u64,
    /// Could not be read; the problems say where and why.
    pub rejected: u64,
}

impl ResourceCounts {
    pub fn total(&self) -> u64 {
        self.mapped + self.unmapped + self.rejected
    }

    pub fn add(&mut self, other: &ResourceCounts) {
        self.mapped += other.mapped;
        self.unmapped += other.unmapped;
        self.rejected += other.rejected;
    }
}

/// Problem lines kept per severity; beyond this they are counted (the first ones say what kind
/// of trouble a snapshot has, and the counts say how much).
pub const MAX_LISTED_PROBLEMS: usize = 20_000;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct IngestReport {
    /// The snapshot's roots as given.
    pub roots: Vec<String>,
    pub files_total: u64,
    pub files_mapped: u64,
    pub files_with_warnings: u64,
    pub files_rejected: u64,
    pub files_unsupported: u64,
    pub bytes_total: u64,
    /// Record counts by kind (`lab_result` → 1234). Every kind is listed, zero included.
    pub records: BTreeMap<String, u64>,
    /// Records by status (`current`, `superseded`, `cancelled`).
    pub record_status: BTreeMap<String, u64>,
    /// Distinct patients seen.
    pub patients: u64,
    /// Data as of: the newest time a source system wrote a message that was read.
    pub as_of: Option<Timestamp>,
    /// Files per SS-MIX2 data type (or other source type), for a quick look at coverage.
    pub files_by_type: BTreeMap<String, u64>,
    /// FHIR resources per resource type: mapped, kept unmapped, rejected.
    #[serde(default)]
    pub fhir_resources: BTreeMap<String, ResourceCounts>,
    /// Problem lines, at most [`MAX_LISTED_PROBLEMS`] of each severity.
    pub problems: Vec<Problem>,
    /// Problems counted but not listed, by severity: a vendor export that warns on every one of
    /// two million messages would otherwise hold (and store with the index) two million lines.
    #[serde(default)]
    pub problems_omitted: BTreeMap<Severity, u64>,
    /// Lines listed per severity (by `Severity as usize`), to apply the cap without a scan.
    #[serde(skip)]
    listed: [usize; 3],
    /// Digest of the file listing (paths, sizes, times): tells whether an index still matches.
    #[serde(default)]
    pub listing_digest: String,
    /// Set when the media cut or mapped file names: versions cannot be told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mangled_names: Option<MangledNames>,
    /// Files marked as training or test data (MSH-11 `T`/`D`, FHIR `TRAIN`/`HTEST`).
    #[serde(default)]
    pub drill_files: u64,
}

impl IngestReport {
    pub fn new(roots: Vec<String>) -> Self {
        let records = RecordKind::ALL.iter().map(|k| (k.key().to_string(), 0)).collect();
        Self {
            roots,
            records,
            ..Self::default()
        }
    }

    /// Drill or real ([`crate::chart::mode`]).
    pub fn mode(&self) -> crate::chart::mode::DataMode {
        crate::chart::mode::DataMode::of(self.drill_files)
    }

    /// Counts one file.
    pub fn add_file(&mut self, status: FileStatus, bytes: u64, source_type: &str) {
        self.files_total += 1;
        self.bytes_total += bytes;
        match status {
            FileStatus::Mapped => self.files_mapped += 1,
            FileStatus::MappedWithWarnings => self.files_with_warnings += 1,
            FileStatus::Rejected => self.files_rejected += 1,
            FileStatus::Unsupported => self.files_unsupported += 1,
        }
        *self.files_by_type.entry(source_type.to_string()).or_insert(0) += 1;
    }

    pub fn add_record(&mut self, kind: RecordKind, status_key: &str) {
        *self.records.entry(kind.key().to_string()).or_insert(0) += 1;
        *self.record_status.entry(status_key.to_string()).or_insert(0) += 1;
    }

    pub fn add_resources(&mut self, counts: &BTreeMap<String, ResourceCounts>) {
        for (k, c) in counts {
            self.fhir_resources.entry(k.clone()).or_default().add(c);
        }
    }

    pub fn note_time(&mut self, t: Timestamp) {
        if self.as_of.is_none_or(|a| t > a) {
            self.as_of = Some(t);
        }
    }

    /// Problems that are not about the file as a whole (listing, loops) count nowhere else.
    pub fn add_problem(&mut self, p: Problem) {
        let i = p.severity as usize;
        if self.listed.iter().sum::<usize>() != self.problems.len() {
            // Read back from JSON (the counters are not stored): count once.
            self.listed = [0; 3];
            for q in &self.problems {
                self.listed[q.severity as usize] += 1;
            }
        }
        if self.listed[i] < MAX_LISTED_PROBLEMS {
            self.listed[i] += 1;
            self.problems.push(p);
        } else {
            *self.problems_omitted.entry(p.severity).or_insert(0) += 1;
        }
    }

    /// The four file counts add up to the total: the report's promise that nothing was lost.
    pub fn is_consistent(&self) -> bool {
        self.files_mapped + self.files_with_warnings + self.files_rejected + self.files_unsupported
            == self.files_total
    }

    /// Problems of a severity, listed or not.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems.iter().filter(|p| p.severity == severity).count() + self.omitted(severity) as usize
    }

    /// Problems of a severity counted but not listed.
    pub fn omitted(&self, severity: Severity) -> u64 {
        self.problems_omitted.get(&severity).copied().unwrap_or(0)
    }

    /// Problems counted but not listed, all severities.
    pub fn omitted_total(&self) -> u64 {
        self.problems_omitted.values().sum()
    }

    /// The warning about the media itself, shown once in red at the top, if any.
    pub fn media_warning(&self) -> Option<&'static str> {
        self.mangled_names
            .as_ref()
            .filter(|m| m.any())
            .map(|_| MANGLED_NAMES_JA)
    }

    pub fn record_total(&self) -> u64 {
        self.records.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_beyond_the_cap_are_counted_not_listed() {
        let mut r = IngestReport::new(vec![]);
        for i in 0..MAX_LISTED_PROBLEMS + 5 {
            r.add_problem(Problem::new(format!("f{i}"), Severity::Warning, "odd"));
        }
        r.add_problem(Problem::new("bad", Severity::Error, "unreadable"));
        assert_eq!(r.problems.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(r.count(Severity::Warning), MAX_LISTED_PROBLEMS + 5);
        assert_eq!(r.count(Severity::Error), 1);
        assert_eq!(r.omitted_total(), 5);
        // Stored with the index and read back: the counts survive, and the cap still holds.
        let mut back: IngestReport = serde_json::from_slice(&serde_json::to_vec(&r).unwrap()).unwrap();
        assert_eq!(back.count(Severity::Warning), MAX_LISTED_PROBLEMS + 5);
        back.add_problem(Problem::new("more", Severity::Warning, "odd"));
        assert_eq!(back.problems.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(back.omitted_total(), 6);
    }
}
