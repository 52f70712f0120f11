//! The ingest pipeline over a snapshot.

use super::FileOutcome;
use crate::fhir::{self, PatientIndex, Sniff};
use crate::progress::{Progress, Stage};
use crate::report::{IngestReport, Problem, Severity};
use crate::source::{Snapshot, SourceFile};
use crate::ssmix2::layout::{self, Placement};
use crate::ssmix2::versions;
use rayon::prelude::*;
use std::collections::HashSet;

/// Files read per batch: bounds memory (outcomes of one batch at a time) while keeping both
/// cores busy.
const BATCH: usize = 2048;

/// An SS-MIX2 message is a few kilobytes; real ones never approach this. Larger files in a
/// storage are hostile or misplaced and are rejected unread, which bounds memory per file.
pub const MAX_HL7_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    /// Read only the files of this patient (by storage path / file name).
    pub patient: Option<String>,
    /// Counters for a progress display; cancelling it stops the read between batches.
    pub progress: Option<Progress>,
}

/// Reads every file and hands each outcome to `sink` (in path order, batch by batch).
/// Returns the report; it always accounts for every listed file.
pub fn ingest(
    snapshot: &mut Snapshot,
    options: &IngestOptions,
    mut sink: impl FnMut(&FileOutcome),
) -> IngestReport {
    let mut report = IngestReport::new(snapshot.inputs().to_vec());
    let progress = options.progress.clone().unwrap_or_default();
    progress.set_stage(Stage::Listing);
    let (files, listing_problems) = snapshot.list();
    report.listing_digest = crate::source::listing_digest(&files);
    for p in listing_problems {
        report.add_problem(p);
    }
    let placed: Vec<(SourceFile, Placement)> = files
        .into_iter()
        .map(|f| {
            let p = layout::place(&f.path);
            (f, p)
        })
        .collect();
    // SS-MIX2 patient IDs, so that a FHIR Patient carrying one joins that patient.
    let ss_ids: HashSet<String> = placed
        .iter()
        .filter_map(|(_, p)| match p {
            Placement::Standard { folder_patient, .. } => Some(folder_patient.clone()),
            Placement::Loose { name } => Some(name.patient_id.clone()),
            Placement::Extended { patient_id, .. } => Some(patient_id.clone()),
            _ => None,
        })
        .collect();
    let placed: Vec<(SourceFile, Placement)> = placed
        .into_iter()
        .filter(|(_, p)| match (&options.patient, p) {
            (None, _) => true,
            (Some(id), Placement::Standard { folder_patient, .. }) => folder_patient == id,
            (Some(id), Placement::Loose { name }) => &name.patient_id == id,
            (Some(id), Placement::Extended { patient_id, .. }) => patient_id == id,
            // Files outside the layout (FHIR, stray HL7) may hold any patient: read, then filter.
            (Some(_), Placement::Other) => true,
            (Some(_), _) => false,
        })
        .collect();
    let names = placed.iter().enumerate().filter_map(|(i, (_, p))| match p {
        Placement::Standard {
            folder_patient,
            folder_date,
            folder_type,
            name: Ok(n),
        } => Some((
            i,
            (
                folder_patient.as_str(),
                folder_date.as_str(),
                folder_type.as_str(),
            ),
            n,
        )),
        Placement::Loose { name: n } => Some((
            i,
            (n.patient_id.as_str(), n.care_date.as_str(), n.data_type.as_str()),
            n,
        )),
        _ => None,
    });
    let versions = versions::resolve(names);
    progress.set_totals(placed.len() as u64, placed.iter().map(|(f, _)| f.size).sum());
    let now = chrono::Local::now().naive_local() + chrono::Duration::days(1);
    let mut patients: HashSet<String> = HashSet::new();
    let snap: &Snapshot = snapshot;
    // FHIR references cross files: a first pass indexes every Patient before reading.
    let others: Vec<&SourceFile> = placed
        .iter()
        .filter(|(f, p)| matches!(p, Placement::Other) && f.unreadable.is_none())
        .map(|(f, _)| f)
        .collect();
    progress.set_stage(Stage::Linking);
    let fhir_index = PatientIndex::build(ss_ids, others.par_iter().map(|f| snap.read(f).ok()));
    progress.set_stage(Stage::Reading);
    for (batch_no, batch) in placed.chunks(BATCH).enumerate() {
        if progress.is_cancelled() {
            break;
        }
        let outcomes: Vec<(FileOutcome, &Placement)> = batch
            .par_iter()
            .enumerate()
            .map(|(j, (file, placement))| {
                let index = batch_no * BATCH + j;
                let mut o = read_one(snap, file, placement, versions.get(&index), &fhir_index);
                if let (Some(id), Placement::Other) = (&options.patient, placement) {
                    o.records.retain(|r| &r.patient_id == id);
                }
                (o, placement)
            })
            .collect();
        for (o, placement) in outcomes {
            progress.add_done(1, o.size);
            if options.patient.is_some() && matches!(placement, Placement::Other) && o.records.is_empty() {
                continue;
            }
            report.add_file(o.status, o.size, &o.source_type);
            for r in &o.records {
                report.add_record(r.kind(), status_key(r.status));
            }
            if let Some(t) = o.written_at {
                if t.value() <= now {
                    report.note_time(t);
                } else {
                    report.add_problem(Problem::new(
                        &o.path,
                        Severity::Warning,
                        format!("written time {t} is in the future; not used for the data-as-of time"),
                    ));
                }
            }
            if let Some(p) = &o.patient_id
                && !patients.contains(p)
            {
                patients.insert(p.clone());
            }
            if !o.resources.is_empty() {
                report.add_resources(&o.resources);
                // A FHIR file may hold many patients; markers such as `(unresolved)` are not one.
                for r in o.records.iter().filter(|r| !r.patient_id.starts_with('(')) {
                    if !patients.contains(&r.patient_id) {
                        patients.insert(r.patient_id.clone());
                    }
                }
            }
            report.problems.extend(o.problems.iter().cloned());
            sink(&o);
        }
    }
    report.patients = patients.len() as u64;
    report
}

fn status_key(s: crate::model::RecordStatus) -> &'static str {
    match s {
        crate::model::RecordStatus::Current => "current",
        crate::model::RecordStatus::Superseded => "superseded",
        crate::model::RecordStatus::Cancelled => "cancelled",
    }
}

fn read_one(
    snap: &Snapshot,
    file: &SourceFile,
    placement: &Placement,
    version: Option<&versions::Version>,
    fhir_index: &PatientIndex,
) -> FileOutcome {
    let path = snap.display_path(file);
    if let Some(reason) = &file.unreadable {
        return FileOutcome::rejected(&path, file.size, "unreadable archive", reason.clone());
    }
    let hl7_file = matches!(placement, Placement::Standard { .. } | Placement::Loose { .. });
    if hl7_file && file.size > MAX_HL7_BYTES {
        let reason = format!(
            "{} bytes is far too large for an HL7 message (limit {MAX_HL7_BYTES}); not read",
            file.size
        );
        return FileOutcome::rejected(&path, file.size, "unreadable", reason);
    }
    match placement {
        Placement::Extended {
            patient_id,
            data_type,
        } => {
            let mut o = FileOutcome::unsupported(
                &path,
                file.size,
                "SS-MIX2 extended storage",
                format!(
                    "SS-MIX2 extended storage ({data_type}) is not read yet; the file is listed, not shown"
                ),
            );
            o.patient_id = Some(patient_id.clone());
            o
        }
        Placement::Transaction => FileOutcome::unsupported(
            &path,
            file.size,
            "SS-MIX2 transaction storage",
            "SS-MIX2 transaction storage file: not needed to view the standardized storage",
        ),
        Placement::Standard { .. } | Placement::Loose { .. } => match snap.read(file) {
            Ok(bytes) => crate::ssmix2::read_file(&path, &bytes, placement, version),
            Err(e) => FileOutcome::rejected(&path, file.size, "unreadable", e.to_string()),
        },
        Placement::Other => match snap.read(file) {
            // An HL7 message outside the layout is still read, filed under its PID-3.
            Ok(bytes) if looks_like_hl7(&bytes) => crate::ssmix2::read_file(&path, &bytes, placement, None),
            Ok(bytes) => match fhir::sniff(&bytes) {
                Sniff::Fhir(format) => fhir::read_file(&path, &bytes, format, fhir_index),
                Sniff::NonFhirJson(note) => {
                    FileOutcome::unsupported(&path, file.size, "JSON (not FHIR)", note)
                }
                Sniff::Other => {
                    FileOutcome::unsupported(&path, file.size, "other", "not an SS-MIX2 file, nor FHIR")
                }
            },
            Err(e) => FileOutcome::rejected(&path, file.size, "unreadable", e.to_string()),
        },
    }
}

fn looks_like_hl7(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    start.starts_with(b"MSH")
}
