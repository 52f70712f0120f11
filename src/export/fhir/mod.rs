//! Model → FHIR R4 (JP Core style) writer: the same hospital as Bulk Data NDJSON or one
//! `collection` Bundle per patient, so that drills and benchmarks can run both readers.
//!
//! The export reads a snapshot through the ingest pipeline (so what is written is exactly what
//! Lifeboat read) and writes patient by patient: memory holds the records of a few patients.
//! Resource ids are derived from the patient and the record's provenance, so the same
//! snapshot always gives byte-identical files.
//!
//! - [`group`]: outcomes → one patient at a time.
//! - `convert`: one patient's records → resources (one module per resource kind).
//! - [`layout`], `writer`: file layout and streaming output.

mod allergy;
mod condition;
mod convert;
mod ctx;
mod encounter;
pub mod group;
pub mod ids;
pub mod layout;
mod medication;
mod nutrition;
mod observation;
mod patient;
mod report;
pub mod systems;
mod types;
mod writer;

pub use layout::{Layout, check_out_dir};

use crate::ingest::{FileOutcome, IngestOptions, ingest};
use crate::report::IngestReport;
use crate::source::Snapshot;
use anyhow::Result;
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The medical institution code used for the synthetic hospital (prefecture 22, Shizuoka, as
/// its addresses; the 9999999 says it is not a real institution).
pub const SYNTHETIC_INSTITUTION: &str = "2219999999";

#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// Output folder: missing or empty (see [`check_out_dir`]).
    pub out: PathBuf,
    pub layout: Layout,
    /// 10-digit medical institution code, for the JP Core patient identifier system.
    pub institution: String,
    /// When the snapshot was taken: orders that ended before it are `completed`, the rest
    /// `active`. Without it every order is `active`.
    pub as_of: Option<NaiveDateTime>,
    /// Every resource is training data (`lifeboat gen`); otherwise a patient's resources are
    /// tagged when their records come from files marked so.
    pub drill: bool,
}

#[derive(Clone, Debug, Default)]
pub struct ExportSummary {
    pub patients: u64,
    /// Resources written per type.
    pub resources: BTreeMap<String, u64>,
    pub files: u64,
    pub bytes: u64,
    /// Records not written, per reason.
    pub skipped: BTreeMap<String, u64>,
}

impl ExportSummary {
    pub fn resources_total(&self) -> u64 {
        self.resources.values().sum()
    }

    /// A few lines for the command line.
    pub fn render(&self) -> String {
        let mut s = format!(
            "{} patients, {} resources in {} files ({:.1} MB)\n",
            self.patients,
            self.resources_total(),
            self.files,
            self.bytes as f64 / 1e6
        );
        for (t, n) in &self.resources {
            s.push_str(&format!("  {t}: {n}\n"));
        }
        if !self.skipped.is_empty() {
            s.push_str("not written:\n");
            for (why, n) in &self.skipped {
                s.push_str(&format!("  {why}: {n}\n"));
            }
        }
        s
    }
}

/// Writes patients as FHIR, one [`group::PatientChunk`] at a time.
pub struct Exporter {
    opts: ExportOptions,
    writer: writer::Writer,
    /// Bundle parts written per patient, for patients whose records come in several parts.
    parts: HashMap<String, u32>,
    summary: ExportSummary,
}

impl Exporter {
    /// Creates the output folder; it must be missing or empty.
    pub fn new(opts: ExportOptions) -> Result<Self> {
        check_out_dir(&opts.out, &[])?;
        let writer = writer::Writer::new(opts.layout, &opts.out)?;
        Ok(Exporter {
            opts,
            writer,
            parts: HashMap::new(),
            summary: ExportSummary::default(),
        })
    }

    /// Closes every file. `without_patient`: records the grouper found no patient for.
    pub fn finish(mut self, without_patient: u64) -> Result<ExportSummary> {
        if without_patient > 0 {
            self.summary
                .skipped
                .insert("records of no known patient".into(), without_patient);
        }
        let files = self.writer.finish()?;
        self.summary.files = files.len() as u64;
        self.summary.bytes = files.iter().map(|(_, size)| size).sum();
        Ok(self.summary)
    }

    pub fn write_patient(&mut self, chunk: &group::PatientChunk) -> Result<()> {
        let patient_res = ids::patient_id(&chunk.patient_id);
        let part = {
            let n = self.parts.entry(chunk.patient_id.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let style = match self.opts.layout {
            Layout::Ndjson => ctx::RefStyle::Relative,
            Layout::Bundles => ctx::RefStyle::Urn,
        };
        let mut ctx = ctx::Ctx {
            patient_id: &chunk.patient_id,
            patient_ref: String::new(),
            style,
            institution: &self.opts.institution,
            as_of: self.opts.as_of,
            drill: self.opts.drill || chunk.records.iter().any(|r| r.provenance.drill),
        };
        // A later Bundle part has no Patient entry: it names the Patient of the first part by
        // its id, which our reader (and any server) resolves across files.
        ctx.patient_ref = if chunk.late {
            format!("Patient/{patient_res}")
        } else {
            ctx.reference("Patient", &patient_res)
        };
        if !chunk.late {
            self.summary.patients += 1;
        }
        self.writer.begin_patient(&patient_res, part)?;
        let writer = &mut self.writer;
        let resources = &mut self.summary.resources;
        convert::convert(chunk, &ctx, &mut self.summary.skipped, &mut |r| {
            *resources.entry(r.resource_type.to_string()).or_default() += 1;
            writer.write(&r)
        })?;
        self.writer.end_patient()
    }
}

/// Patients waiting between the reader and the writer: enough to keep both busy, few enough
/// to keep memory to a few patients.
const QUEUE: usize = 16;

/// Reads `snapshot` and writes it as FHIR into `opts.out`. Returns what was written and the
/// ingest report of what was read.
///
/// The writer runs on its own thread, so that converting and writing one patient overlaps
/// with reading the next files (the pipeline hands outcomes over one at a time).
pub fn export_snapshot(
    snapshot: &mut Snapshot,
    opts: &ExportOptions,
) -> Result<(ExportSummary, IngestReport)> {
    // Nothing is ever written to the snapshot's media.
    let roots: Vec<PathBuf> = snapshot.inputs().iter().map(PathBuf::from).collect();
    let roots: Vec<&std::path::Path> = roots.iter().map(PathBuf::as_path).collect();
    check_out_dir(&opts.out, &roots)?;
    let mut exporter = Exporter::new(opts.clone())?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<group::PatientChunk>(QUEUE);
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || -> Result<Exporter> {
            for chunk in rx {
                exporter.write_patient(&chunk)?;
            }
            Ok(exporter)
        });
        let mut grouper = group::Grouper::default();
        // A failed send means the writer stopped on an error, which `join` reports below.
        let report = ingest(snapshot, &IngestOptions::default(), |o: &FileOutcome| {
            if let Some(chunk) = grouper.add(o) {
                let _ = tx.send(chunk);
            }
        });
        let without_patient = grouper.without_patient;
        for chunk in grouper.finish() {
            let _ = tx.send(chunk);
        }
        drop(tx);
        let exporter = worker
            .join()
            .map_err(|_| anyhow::anyhow!("the FHIR writer thread panicked"))??;
        Ok((exporter.finish(without_patient)?, report))
    })
}
