//! FHIR R4 (JP Core) reader: JSON, XML and Bulk Data NDJSON files, Bundles of every type, into
//! the same clinical model the SS-MIX2 reader fills.
//!
//! Parsing itself happens in the `lifeboat-fhir-parse` crate (fhirbolt, Lax mode), the one
//! place where fhirbolt's generic deserializers are instantiated, so that editing this crate
//! never re-monomorphizes them (a release rebuild of this crate takes ~30 s instead of minutes).
//!
//! - [`detect`]: FHIR or not, JSON / NDJSON / XML, and other versions (DSTU2, STU3, R4B, R5),
//!   all by content.
//! - [`refs`]: the snapshot-wide first pass. The pipeline scans every non-SS-MIX2 file once,
//!   cheaply (`scan`), for Patients (`Patient/id`, fullUrl, identifiers) and Medication /
//!   Practitioner names with their places, and decides who is who there (`identity`: a
//!   business identifier or an SS-MIX2 patient ID joins Patients, a Bundle's urn:uuid never
//!   does). The reading pass, in parallel batches like SS-MIX2, resolves every reference
//!   against that index, within the containing Bundle first.
//! - `container`: Bundles (nested too), NDJSON lines, single resources; every entry counted.
//!   Memory follows one entry, not the file: a JSON Bundle is walked entry by entry (`skim`)
//!   and each entry's resource parsed alone; NDJSON is read line by line from a reader, of any
//!   size; a large file's records are handed on in parts ([`read_file_parts`]); problem lines
//!   are listed up to [`MAX_FILE_PROBLEMS`] per file and counted beyond. XML is still parsed
//!   whole, so XML files are refused above [`MAX_XML_BYTES`] or [`MAX_XML_ENTRIES`].
//! - [`map`]: one module per clinical concept; anything else is kept as JSON text.
//!
//! A resource whose patient reference matches nothing is kept under [`UNRESOLVED`] (so
//! `lifeboat show "(unresolved)"` lists them) with a warning naming the reference; resources
//! that are not about a patient (Organization, Practitioner ...) are kept under [`NO_PATIENT`].

pub mod bench;
mod container;
pub mod detect;
mod excerpt;
mod identity;
pub mod map;
pub mod refs;
pub mod scan;
mod skim;
pub mod text;
pub mod time;

pub use container::{Flush, MAX_FILE_PROBLEMS, MAX_LINE_BYTES, NO_RESOURCE, PART_RECORDS, UNKNOWN_TYPE};
pub use detect::{Format, Sniff, sniff};
pub use excerpt::excerpt;
pub use refs::{At, NO_PATIENT, PatientIndex, UNRESOLVED};

use crate::ingest::FileOutcome;
use crate::report::{FileStatus, Problem, Severity};
use container::Unpacked;
pub use lifeboat_fhir_parse::Parsed;

/// fhirbolt's JSON parse. fhirbolt 0.4 panics on some input (an empty `entry: []` in a nested
/// Bundle hits an `unwrap`); one bad file must not stop the import, so a panic becomes an error.
pub fn parse_json(body: &[u8]) -> Result<Parsed, String> {
    guarded(|| lifeboat_fhir_parse::parse_json(body))
}

/// fhirbolt's XML parse, refused up front for XML nested deeper than any real document.
pub fn parse_xml(body: &[u8]) -> Result<Parsed, String> {
    if detect::xml_too_deep(body, detect::MAX_XML_DEPTH) {
        return Err(format!(
            "XML elements nest deeper than {} levels; not parsed (real FHIR documents stay far below)",
            detect::MAX_XML_DEPTH
        ));
    }
    guarded(|| lifeboat_fhir_parse::parse_xml(body))
}

fn guarded(f: impl FnOnce() -> Result<Parsed, String>) -> Result<Parsed, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(format!(
            "the FHIR parser failed on this input (internal error {what:?})"
        ))
    })
}

/// XML is parsed whole by fhirbolt (no entry-by-entry reading yet), which takes about 40
/// times the file's size in memory for real resources and 2.6 KB per empty entry (2 MB of
/// `<entry/>` took 731 MB). Larger XML files, or XML Bundles of more entries, are refused with
/// a clear line; such volumes come as JSON or NDJSON, which are read entry by entry.
pub const MAX_XML_BYTES: u64 = 8 * 1024 * 1024;
/// See [`MAX_XML_BYTES`].
pub const MAX_XML_ENTRIES: usize = 50_000;

/// Why an XML file is too large to parse, if it is.
pub(crate) fn xml_too_large(body: &[u8]) -> Option<String> {
    if body.len() as u64 > MAX_XML_BYTES {
        return Some(format!(
            "FHIR XML of {} bytes is larger than the {MAX_XML_BYTES} bytes read as XML (it would need \
             gigabytes of memory); not read: export large data as JSON or NDJSON",
            body.len()
        ));
    }
    let entries = detect::xml_entries(body);
    (entries > MAX_XML_ENTRIES).then(|| {
        format!(
            "FHIR XML Bundle of {entries} entries is more than the {MAX_XML_ENTRIES} read as XML (it would need \
             gigabytes of memory); not read: export large data as JSON or NDJSON"
        )
    })
}

/// Whether the head of a file too large to read whole is Bulk Data NDJSON (its first line a
/// whole resource), which is read line by line from a reader.
pub fn is_ndjson_head(head: &[u8]) -> bool {
    let head = detect::strip_bom(head);
    let Some(end) = head.iter().position(|&b| b == b'\n') else {
        return false;
    };
    head.iter()
        .position(|b| !b.is_ascii_whitespace())
        .is_some_and(|i| head[i] == b'{')
        && detect::has_top_level_resource_type(&head[..end])
}

fn source_type(format: Format) -> &'static str {
    match format {
        Format::Json => "FHIR JSON",
        Format::Ndjson => "FHIR NDJSON",
        Format::Xml => "FHIR XML",
    }
}

/// Reads one FHIR file. Never fails: whatever goes wrong is in the outcome.
pub fn read_file(path: &str, bytes: &[u8], format: Format, index: &PatientIndex) -> FileOutcome {
    read(path, bytes, format, Unpacked::new(index, path))
}

/// [`read_file`], handing records on to `flush` in parts while the file is read, so that a
/// file of a million resources never holds them all; the outcome returned holds the rest and
/// the file's totals.
pub fn read_file_parts(
    path: &str,
    bytes: &[u8],
    format: Format,
    index: &PatientIndex,
    flush: container::Flush<'_>,
) -> FileOutcome {
    read(path, bytes, format, Unpacked::new(index, path).flushing(flush))
}

/// Bulk Data NDJSON of any size, from a reader, line by line (a file too large to read whole).
/// Other FHIR versions are spotted line by line here, each such line rejected.
pub fn read_ndjson_stream(
    path: &str,
    size: u64,
    reader: &mut dyn std::io::Read,
    index: &PatientIndex,
    flush: container::Flush<'_>,
) -> FileOutcome {
    let mut out = FileOutcome::new(path, size, source_type(Format::Ndjson));
    let mut u = Unpacked::new(index, path).flushing(flush);
    if let Err(e) = u.ndjson(reader) {
        u.problem(Problem::new(
            path,
            Severity::Error,
            format!("reading stopped by an I/O error ({e}); the lines after it were not read"),
        ));
    }
    settle(&mut out, u);
    out
}

fn read(path: &str, bytes: &[u8], format: Format, mut u: Unpacked) -> FileOutcome {
    let body = detect::strip_bom(bytes);
    let mut out = FileOutcome::new(path, bytes.len() as u64, source_type(format));
    if format == Format::Xml
        && let Some(reason) = xml_too_large(body)
    {
        let t = detect::first_resource_type(body, format).unwrap_or_else(|| UNKNOWN_TYPE.to_string());
        u.reject(&t, "", reason);
        settle(&mut out, u);
        return out;
    }
    if let Some(reason) = detect::other_version_in(body, format) {
        // Nothing of another version is read; every resource it names is counted as rejected.
        detect::each_resource_type(body, format, |t| {
            u.counts.entry(t.to_string()).or_default().rejected += 1;
            std::ops::ControlFlow::Continue(())
        });
        out.status = FileStatus::Rejected;
        out.problems.push(Problem::new(path, Severity::Error, reason));
        out.resources = u.counts;
        return out;
    }
    match format {
        Format::Json => u.json_document(body),
        Format::Ndjson => {
            let mut r: &[u8] = body;
            if let Err(e) = u.ndjson(&mut r) {
                u.problem(Problem::new(
                    path,
                    Severity::Error,
                    format!("reading failed: {e}"),
                ));
            }
        }
        Format::Xml => match parse_xml(body) {
            Ok(p) => {
                u.not_read("", &p.removed);
                u.resource(&p.resource, "", None, None)
            }
            Err(e) => {
                let types = detect::resource_types(body, format);
                let t = types.first().cloned().unwrap_or_else(|| UNKNOWN_TYPE.to_string());
                for t in &types {
                    u.counts.entry(t.clone()).or_default().rejected += 1;
                }
                u.problem(Problem::new(
                    path,
                    Severity::Error,
                    format!("not a valid FHIR R4 {t} (XML): {e}"),
                ));
            }
        },
    }
    settle(&mut out, u);
    out
}

/// The file's outcome from what was read: the records not handed on yet, every count, and a
/// status from every problem (listed, handed on or only counted).
fn settle(out: &mut FileOutcome, mut u: Unpacked) {
    u.finish();
    let read_nothing = u.counts.values().all(|c| c.mapped + c.unmapped == 0);
    out.patient_id = u.single_patient();
    out.written_at = u.written_at;
    out.drill = u.drill;
    let worst = u.worst;
    out.records = u.records;
    out.problems = u.problems;
    out.resources = u.counts;
    if read_nothing && worst == Some(Severity::Error) {
        out.status = FileStatus::Rejected;
    } else if worst >= Some(Severity::Warning) {
        out.status = FileStatus::MappedWithWarnings;
    }
}
