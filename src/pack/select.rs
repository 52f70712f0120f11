//! Which source files go in a pack: a file goes in when any of its records is kept by the
//! window rule ([`crate::chart::window`]); a file that yields no record goes in when its
//! SS-MIX2 date folder lies inside the window, or it has no date to judge by. Everything else
//! is counted as left out (outside the window), per source. FHIR files go in whole.
//!
//! Memory: per file, its newest record date. The records of kinds the rule can keep outside the
//! window (demographics, allergies, diagnoses, encounters, orders and their administrations,
//! diets, vital signs, infection markers) wait in a temporary file ([`RecordSpool`]) until the
//! data time is known.

use super::spool::RecordSpool;
use crate::chart::Marker;
use crate::chart::window::WindowRule;
use crate::ingest::{IngestOptions, ingest};
use crate::model::{Clinical, Record, Timestamp};
use crate::progress::Progress;
use crate::report::IngestReport;
use crate::source::{Snapshot, SourceFile};
use crate::ssmix2::layout::{Placement, place};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

/// What one file said, enough to judge it once the data time is known.
#[derive(Default)]
struct FileInfo {
    records: u32,
    newest: Option<NaiveDate>,
    undated: bool,
}

/// A file chosen for the pack.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub file: SourceFile,
    /// The path in the archive: the display path (prefixed by the root's label with several
    /// sources), as provenance names it.
    pub name: String,
    /// Which given source it belongs to.
    pub source: usize,
}

/// Per given source: listed and packed files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceCount {
    pub files: u64,
    pub bytes: u64,
    pub packed_files: u64,
    pub packed_bytes: u64,
    /// Left out because they lie outside the window.
    pub left_out: u64,
    /// Files in the SS-MIX2 layout (or named as SS-MIX2 messages); the rest are FHIR or other.
    pub ssmix2_files: u64,
}

impl SourceCount {
    /// `"SS-MIX2"`, `"FHIR"` or `"mixed"`, as the manifest says.
    pub fn kind(&self) -> &'static str {
        match (self.ssmix2_files, self.files - self.ssmix2_files.min(self.files)) {
            (_, 0) => "SS-MIX2",
            (0, _) => "FHIR",
            _ => "mixed",
        }
    }
}

pub struct Selection {
    pub chosen: Vec<Chosen>,
    pub rule: WindowRule,
    pub report: IngestReport,
    pub per_source: Vec<SourceCount>,
}

/// Reads every file of `snap` once and picks the files for a window of `days`.
pub fn select(
    snap: &mut Snapshot,
    days: u32,
    labels: &[String],
    progress: &Progress,
) -> anyhow::Result<Selection> {
    let mut files: HashMap<String, FileInfo> = HashMap::new();
    let mut needed = RecordSpool::new()?;
    let options = IngestOptions {
        progress: Some(progress.clone()),
        ..Default::default()
    };
    let report = ingest(snap, &options, |o| {
        let info = files.entry(o.path.clone()).or_default();
        for r in &o.records {
            info.records += 1;
            match r.date() {
                Some(d) => info.newest = info.newest.max(Some(d.date())),
                None => info.undated = true,
            }
            if may_be_needed(r) {
                needed.push(r);
            }
        }
    });
    let rule = WindowRule::new(report.as_of, days);
    let mut keep: HashSet<String> = HashSet::new();
    needed.each_patient(|records| {
        for (r, why) in records.iter().zip(rule.kept(records)) {
            if why.is_some() {
                keep.insert(r.provenance.file.clone());
            }
        }
    })?;
    let mut chosen = Vec::new();
    let mut per_source = vec![SourceCount::default(); labels.len().max(1)];
    let _ = snap.relist_each(|f| {
        let name = snap.display_path(&f);
        let source = source_of(&name, labels);
        let count = &mut per_source[source];
        count.files += 1;
        count.bytes += f.size;
        if !matches!(place(&f.path), Placement::Other) {
            count.ssmix2_files += 1;
        }
        let inside = match files.get(&name) {
            Some(info) if info.records > 0 => {
                info.undated || rule.dated_inside(info.newest) || keep.contains(&name)
            }
            // No record: judged by the date folder, kept when there is none.
            _ => rule.dated_inside(folder_date(&f.path)),
        };
        if inside {
            count.packed_files += 1;
            count.packed_bytes += f.size;
            chosen.push(Chosen {
                file: f,
                name,
                source,
            });
        } else {
            count.left_out += 1;
        }
        ControlFlow::Continue(())
    });
    Ok(Selection {
        chosen,
        rule,
        report,
        per_source,
    })
}

/// Kinds the window rule may keep whatever their date.
fn may_be_needed(r: &Record) -> bool {
    match &r.data {
        Clinical::Patient(_)
        | Clinical::Allergy(_)
        | Clinical::Diagnosis(_)
        | Clinical::Encounter(_)
        | Clinical::MedicationOrder(_)
        | Clinical::MedicationAdministration(_)
        | Clinical::DietOrder(_)
        | Clinical::Vital(_) => true,
        Clinical::LabResult(l) => Marker::of(&l.test.code, &l.test.text).is_some(),
        _ => false,
    }
}

/// The SS-MIX2 date folder of a standardized-storage path (`-` and other layouts: none).
fn folder_date(path: &str) -> Option<NaiveDate> {
    match place(path) {
        Placement::Standard { folder_date, .. } => NaiveDate::parse_from_str(&folder_date, "%Y%m%d").ok(),
        _ => None,
    }
}

/// The given source a display path belongs to: by its leading label with several sources.
fn source_of(name: &str, labels: &[String]) -> usize {
    if labels.len() <= 1 {
        return 0;
    }
    labels
        .iter()
        .position(|l| name.strip_prefix(l.as_str()).is_some_and(|r| r.starts_with('/')))
        .unwrap_or(0)
}

/// The data time as the manifest writes it.
pub fn iso(t: Option<Timestamp>) -> Option<String> {
    t.map(|t| t.to_iso())
}
