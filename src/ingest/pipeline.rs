//! The ingest pipeline over a snapshot.

use super::FileOutcome;
use crate::fhir::{self, PatientIndex, Sniff};
use crate::progress::{Progress, Stage};
use crate::report::{IngestReport, Problem, Severity};
use crate::source::{ListingDigest, Snapshot, SourceFile, Spool};
use crate::ssmix2::extended;
use crate::ssmix2::layout::{self, Placement};
use crate::ssmix2::versions;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Read;
use std::ops::ControlFlow;
use std::sync::mpsc;

/// Files read per batch: bounds memory (outcomes of one batch at a time) while keeping both
/// cores busy. A batch ends at a patient boundary, so one patient's versions are resolved
/// together; it may grow past this for a patient with more files.
const BATCH: usize = 2048;

/// A batch also ends once its files add up to this: a few big FHIR files hold as many records
/// as thousands of messages.
const BATCH_BYTES: u64 = 16 * 1024 * 1024;

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

/// Reads every file and hands each outcome to `sink` (in listing order, batch by batch).
/// Returns the report; it always accounts for every listed file.
///
/// Memory does not grow with the number of files: a first walk counts the files (for the
/// progress display), computes the listing digest and notes patient IDs and FHIR files; a
/// second walk reads them batch by batch.
pub fn ingest(
    snapshot: &mut Snapshot,
    options: &IngestOptions,
    mut sink: impl FnMut(&FileOutcome),
) -> IngestReport {
    let mut report = IngestReport::new(snapshot.inputs().to_vec());
    let progress = options.progress.clone().unwrap_or_default();
    progress.set_stage(Stage::Listing);
    let listing = count(snapshot, options, &progress);
    report.listing_digest = listing.digest;
    for p in listing.problems {
        report.add_problem(p);
    }
    // Said once for the media; each file whose flag is lost is then read as status unknown.
    let mangled = listing.mangled.any();
    if mangled {
        let m = listing.mangled;
        report.add_problem(Problem::new(&m.example, Severity::Error, m.message()));
        report.mangled_names = Some(m);
    }
    progress.begin(listing.files, listing.bytes);
    let snap: &Snapshot = snapshot;
    // FHIR references cross files: a first pass indexes every Patient before reading.
    progress.set_stage(Stage::Linking);
    let fhir_index = PatientIndex::build(
        listing.patient_ids,
        listing
            .fhir_candidates
            .par_iter()
            .map(|f| (snap.display_path(f), scan_candidate(snap, f))),
    );
    drop(listing.fhir_candidates);
    progress.set_stage(Stage::Reading);
    let mut fold = Fold {
        report,
        patients: HashSet::new(),
        now: chrono::Local::now().naive_local() + chrono::Duration::days(1),
    };
    // Three stages overlap: the walk gathers batches, the reader parses one on all cores, and
    // this thread folds and sinks the previous one. Bounded channels keep a few batches in
    // flight at most; dropping a receiver stops the stages before it.
    std::thread::scope(|scope| {
        let (batch_tx, batch_rx) = mpsc::sync_channel::<Vec<(SourceFile, Placement)>>(2);
        let (read_tx, read_rx) = mpsc::sync_channel::<Vec<(FileOutcome, Placement)>>(1);
        let walk_progress = progress.clone();
        let spool = listing.spool;
        let walker = scope.spawn(move || gather(snap, spool, options, &walk_progress, &batch_tx));
        let fhir_index = &fhir_index;
        scope.spawn(move || {
            for files in batch_rx {
                if read_batch(snap, files, options, fhir_index, mangled, &read_tx).is_break() {
                    break;
                }
            }
        });
        for outcomes in read_rx {
            if progress.is_cancelled() {
                break;
            }
            for (o, placement) in outcomes {
                if !o.part {
                    progress.add_done(1, o.size);
                }
                let other_patient = options.patient.is_some() && matches!(placement, Placement::Other);
                if other_patient && o.records.is_empty() {
                    continue;
                }
                fold.add(&o);
                sink(&o);
            }
        }
        if let Ok(Some(problem)) = walker.join() {
            fold.report.add_problem(problem);
        }
    });
    let mut report = fold.report;
    report.patients = fold.patients.len() as u64;
    report
}

/// The second pass: files in listing order (from the spool, or a second walk when there is
/// none), cut into batches at patient boundaries. A spool that cannot be read back is a
/// problem for the report: the files after that point were not read.
fn gather(
    snap: &Snapshot,
    spool: Option<Spool>,
    options: &IngestOptions,
    progress: &Progress,
    out: &mpsc::SyncSender<Vec<(SourceFile, Placement)>>,
) -> Option<Problem> {
    let mut batch = Batch::default();
    let mut step = |f: SourceFile| {
        let placement = layout::place(&f.path);
        if !wanted(options, &placement) {
            return ControlFlow::Continue(());
        }
        let key = group_key(&placement);
        let new_group = key.is_none() || key != batch.key.as_deref();
        if new_group {
            if batch.files.len() >= BATCH || batch.bytes >= BATCH_BYTES {
                if progress.is_cancelled() || out.send(std::mem::take(&mut batch.files)).is_err() {
                    return ControlFlow::Break(());
                }
                batch.bytes = 0;
            }
            batch.key = key.map(str::to_string);
        }
        batch.bytes += f.size;
        batch.files.push((f, placement));
        ControlFlow::Continue(())
    };
    let mut problem = None;
    let walked = match spool {
        Some(spool) => {
            let total = spool.len();
            spool.replay(&mut step).unwrap_or_else(|e| {
                problem = Some(Problem::new(
                    "",
                    Severity::Error,
                    format!(
                        "the temporary list of the snapshot's {total} files could not be read back ({e}); \
                         files after the last one read were not read: read the snapshot again"
                    ),
                ));
                ControlFlow::Break(())
            })
        }
        None => snap.relist_each(&mut step),
    };
    if walked.is_continue() && !batch.files.is_empty() {
        let _ = out.send(batch.files);
    }
    problem
}

/// What the first walk learns.
#[derive(Default)]
struct Listing {
    files: u64,
    bytes: u64,
    digest: String,
    problems: Vec<crate::report::Problem>,
    /// SS-MIX2 patient IDs, so that a FHIR Patient carrying one joins that patient.
    patient_ids: HashSet<String>,
    /// Files outside the SS-MIX2 layout: FHIR or not, they are sniffed before reading.
    fhir_candidates: Vec<SourceFile>,
    /// The wanted files, for the second pass; none if no temporary file could be written.
    spool: Option<Spool>,
    /// Names a disc file system cut or mapped.
    mangled: crate::report::MangledNames,
}

fn count(snapshot: &mut Snapshot, options: &IngestOptions, progress: &Progress) -> Listing {
    let mut listing = Listing {
        spool: Spool::new().ok(),
        ..Listing::default()
    };
    let mut digest = ListingDigest::default();
    let problems = snapshot.list_each(|f| {
        digest.add(&f);
        let placement = layout::place(&f.path);
        if let Some(id) = patient_of(&placement)
            && !listing.patient_ids.contains(id)
        {
            listing.patient_ids.insert(id.to_string());
        }
        if let Some(m) = layout::mangled(&f.path) {
            listing.mangled.note(m == layout::Mangled::CutAt64, &f.path);
        }
        if !wanted(options, &placement) {
            return;
        }
        listing.files += 1;
        listing.bytes += f.size;
        if let Some(spool) = &mut listing.spool
            && spool.push(&f).is_err()
        {
            // No room for the temporary list: the second pass walks the folders again.
            listing.spool = None;
        }
        if listing.files.is_multiple_of(4096) {
            progress.set_totals(listing.files, listing.bytes);
        }
        if matches!(placement, Placement::Other) && f.unreadable.is_none() {
            listing.fhir_candidates.push(f);
        }
    });
    listing.digest = digest.finish();
    listing.problems = problems;
    listing
}

/// Files waiting to be read together.
#[derive(Default)]
struct Batch {
    files: Vec<(SourceFile, Placement)>,
    bytes: u64,
    /// The patient of the last file added, when it has one.
    key: Option<String>,
}

/// The report and the patient set, built outcome by outcome.
struct Fold {
    report: IngestReport,
    patients: HashSet<String>,
    /// Written times after this are not believed for the data-as-of time.
    now: chrono::NaiveDateTime,
}

impl Fold {
    fn add(&mut self, o: &FileOutcome) {
        let report = &mut self.report;
        if !o.part {
            report.add_file(o.status, o.size, &o.source_type);
            report.drill_files += u64::from(o.drill);
        }
        for r in &o.records {
            report.add_record(r.kind(), status_key(r.status));
        }
        if let Some(t) = o.written_at {
            if t.value() <= self.now {
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
            && !self.patients.contains(p)
        {
            self.patients.insert(p.clone());
        }
        if o.part || !o.resources.is_empty() {
            report.add_resources(&o.resources);
            // A FHIR file may hold many patients; markers such as `(unresolved)` are not one.
            for r in o.records.iter().filter(|r| !r.patient_id.starts_with('(')) {
                if !self.patients.contains(&r.patient_id) {
                    self.patients.insert(r.patient_id.clone());
                }
            }
        }
        for p in &o.problems {
            report.add_problem(p.clone());
        }
    }
}

/// FHIR and other files outside the layout larger than this are read alone, their records
/// handed on in parts while they are read, instead of with a batch on all cores: a batch
/// holds every record of its files at once.
pub const STREAM_BYTES: u64 = 4 * 1024 * 1024;

type Outcomes = Vec<(FileOutcome, Placement)>;

/// Reads one batch: runs of small files on all cores, large files outside the layout one by
/// one in parts; everything goes to `out` in listing order. Breaks when `out` is closed.
fn read_batch(
    snap: &Snapshot,
    files: Vec<(SourceFile, Placement)>,
    options: &IngestOptions,
    fhir_index: &PatientIndex,
    mangled: bool,
    out: &mpsc::SyncSender<Outcomes>,
) -> ControlFlow<()> {
    let mut run = Vec::new();
    for (file, placement) in files {
        let alone =
            matches!(placement, Placement::Other) && file.unreadable.is_none() && file.size > STREAM_BYTES;
        if !alone {
            run.push((file, placement));
            continue;
        }
        if !run.is_empty()
            && out
                .send(read_all(
                    snap,
                    std::mem::take(&mut run),
                    options,
                    fhir_index,
                    mangled,
                ))
                .is_err()
        {
            return ControlFlow::Break(());
        }
        let path = snap.display_path(&file);
        let mut closed = false;
        let mut send = |mut o: FileOutcome| {
            if let Some(id) = &options.patient {
                o.records.retain(|r| &r.patient_id == id);
            }
            closed = closed || out.send(vec![(o, Placement::Other)]).is_err();
        };
        let last = read_large(snap, &file, &path, fhir_index, &mut |records, problems| {
            send(FileOutcome::part(&path, records, problems))
        });
        send(last);
        if closed {
            return ControlFlow::Break(());
        }
    }
    if !run.is_empty()
        && out
            .send(read_all(snap, run, options, fhir_index, mangled))
            .is_err()
    {
        return ControlFlow::Break(());
    }
    ControlFlow::Continue(())
}

/// How many bytes of a file too large to read whole are looked at to tell NDJSON.
const HEAD_BYTES: u64 = 1024 * 1024;

/// A large file outside the layout: FHIR read with its records handed to `flush` in parts;
/// NDJSON too large to read whole read line by line from the source.
fn read_large(
    snap: &Snapshot,
    file: &SourceFile,
    path: &str,
    fhir_index: &PatientIndex,
    flush: fhir::Flush<'_>,
) -> FileOutcome {
    if file.size <= crate::source::MAX_FILE_BYTES {
        return match snap.read(file) {
            Ok(bytes) => match fhir::sniff(&bytes) {
                Sniff::Fhir(format) if !looks_like_hl7(&bytes) => {
                    fhir::read_file_parts(path, &bytes, format, fhir_index, flush)
                }
                _ => read_one(snap, file, &Placement::Other, None, fhir_index),
            },
            Err(e) => FileOutcome::rejected(path, file.size, "unreadable", e.to_string()),
        };
    }
    let streamed = snap.read_stream(file, |r| {
        let mut head = Vec::new();
        if let Err(e) = r.take(HEAD_BYTES).read_to_end(&mut head) {
            return FileOutcome::rejected(path, file.size, "unreadable", e.to_string());
        }
        if !fhir::is_ndjson_head(&head) {
            let reason = format!(
                "{} bytes, and not NDJSON (which is read line by line): files over {} bytes are not read whole",
                file.size,
                crate::source::MAX_FILE_BYTES
            );
            return FileOutcome::rejected(path, file.size, "too large", reason);
        }
        let mut rest = head.as_slice().chain(r);
        fhir::read_ndjson_stream(path, file.size, &mut rest, fhir_index, flush)
    });
    streamed.unwrap_or_else(|e| FileOutcome::rejected(path, file.size, "unreadable", e.to_string()))
}

/// Pass one over a file outside the layout: read whole, or NDJSON too large for that from a
/// reader, line by line.
fn scan_candidate(snap: &Snapshot, f: &SourceFile) -> fhir::scan::Found {
    if f.size <= crate::source::MAX_FILE_BYTES {
        return snap.read(f).map(|b| fhir::scan::scan(&b)).unwrap_or_default();
    }
    let mut found = fhir::scan::Found::default();
    let _ = snap.read_stream(f, |r| {
        let mut head = Vec::new();
        if r.take(HEAD_BYTES).read_to_end(&mut head).is_ok() && fhir::is_ndjson_head(&head) {
            let mut rest = head.as_slice().chain(r);
            let _ = fhir::scan::scan_ndjson(&mut rest, &mut found);
        }
    });
    found
}

/// Reads one batch on all cores; outcomes come back in listing order.
fn read_all(
    snap: &Snapshot,
    files: Vec<(SourceFile, Placement)>,
    options: &IngestOptions,
    fhir_index: &PatientIndex,
    mangled: bool,
) -> Vec<(FileOutcome, Placement)> {
    // Extended-storage vitals version by their content folder, slotted like standard files.
    let extended: Vec<(usize, &str, String, &str, layout::FileName)> = files
        .iter()
        .enumerate()
        .filter(|(_, (f, _))| f.unreadable.is_none())
        .filter_map(|(i, (f, p))| {
            let Placement::Extended {
                patient_id,
                data_type,
            } = p
            else {
                return None;
            };
            if !extended::is_vitals_document(data_type, &f.path) {
                return None;
            }
            let l = extended::locate(&f.path)?;
            let name = extended::parse_content_folder(l.content_folder).ok()?;
            Some((
                i,
                patient_id.as_str(),
                l.date_folder.to_string(),
                data_type.as_str(),
                name,
            ))
        })
        .collect();
    // Entries that are not read (links out of the snapshot ...) do not compete as versions.
    let read = files
        .iter()
        .enumerate()
        .filter(|(_, (f, _))| f.unreadable.is_none());
    let names = read.filter_map(|(i, (_, p))| match p {
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
    let names = names.chain(
        extended
            .iter()
            .map(|(i, patient, date, data_type, n)| (*i, (*patient, date.as_str(), *data_type), n)),
    );
    let mut versions = versions::resolve(names);
    for (i, (f, p)) in files.iter().enumerate() {
        if !versions.contains_key(&i) && versions::flag_lost(&f.path, p, mangled) {
            versions.insert(i, versions::Version::lost());
        }
    }
    files
        .into_par_iter()
        .enumerate()
        .map(|(i, (file, placement))| {
            let mut o = read_one(snap, &file, &placement, versions.get(&i), fhir_index);
            if let (Some(id), Placement::Other) = (&options.patient, &placement) {
                o.records.retain(|r| &r.patient_id == id);
            }
            (o, placement)
        })
        .collect()
}

/// The patient a file belongs to by where it is stored.
fn patient_of(p: &Placement) -> Option<&str> {
    match p {
        Placement::Standard { folder_patient, .. } => Some(folder_patient),
        Placement::Loose { name } => Some(&name.patient_id),
        Placement::Extended { patient_id, .. } => Some(patient_id),
        _ => None,
    }
}

/// Files with the same key stay in one batch: versions compete only within a storage slot,
/// which is always inside one patient.
fn group_key(p: &Placement) -> Option<&str> {
    match p {
        Placement::Standard { .. } | Placement::Loose { .. } | Placement::Extended { .. } => patient_of(p),
        _ => None,
    }
}

fn wanted(options: &IngestOptions, p: &Placement) -> bool {
    match (&options.patient, p) {
        (None, _) => true,
        // Files outside the layout (FHIR, stray HL7) may hold any patient: read, then filter.
        (Some(_), Placement::Other) => true,
        (Some(id), p) => patient_of(p) == Some(id.as_str()),
    }
}

fn status_key(s: crate::model::RecordStatus) -> &'static str {
    match s {
        crate::model::RecordStatus::Current => "current",
        crate::model::RecordStatus::Superseded => "superseded",
        crate::model::RecordStatus::Cancelled => "cancelled",
        crate::model::RecordStatus::Unknown => "unknown",
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
        // An archive that cannot be opened, a link out of the snapshot, a FIFO ...: counted.
        return FileOutcome::rejected(&path, file.size, "not read", reason.clone());
    }
    let vitals = matches!(placement, Placement::Extended { data_type, .. } if extended::is_vitals_document(data_type, &file.path));
    let hl7_file = vitals || matches!(placement, Placement::Standard { .. } | Placement::Loose { .. });
    if hl7_file && file.size > MAX_HL7_BYTES {
        let reason = format!(
            "{} bytes is far too large for an HL7 message (limit {MAX_HL7_BYTES}); not read",
            file.size
        );
        return FileOutcome::rejected(&path, file.size, "unreadable", reason);
    }
    match placement {
        Placement::Extended { .. } if vitals => match snap.read(file) {
            Ok(bytes) => crate::ssmix2::read_file(&path, &bytes, placement, version),
            Err(e) => FileOutcome::rejected(&path, file.size, "unreadable", e.to_string()),
        },
        Placement::Extended {
            patient_id,
            data_type,
        } => {
            let mut o = FileOutcome::unsupported(
                &path,
                file.size,
                "SS-MIX2 extended storage",
                if data_type == extended::VITALS_TYPE {
                    format!(
                        "a file beside {} in a vital signs content folder; the file is listed, not shown",
                        extended::MAIN_DOCUMENT
                    )
                } else {
                    format!(
                        "SS-MIX2 extended storage ({data_type}) is not read yet; the file is listed, not shown"
                    )
                },
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
            Ok(bytes) if looks_like_hl7(&bytes) => {
                crate::ssmix2::read_file(&path, &bytes, placement, version)
            }
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
