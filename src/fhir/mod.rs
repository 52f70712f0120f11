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
mod scan;
pub mod text;
pub mod time;

pub use container::{NO_RESOURCE, UNKNOWN_TYPE};
pub use detect::{Format, Sniff, sniff};
pub use excerpt::excerpt;
pub use refs::{At, NO_PATIENT, PatientIndex, UNRESOLVED};

use crate::ingest::FileOutcome;
use crate::report::{FileStatus, Problem, Severity};
use container::Unpacked;

/// fhirbolt's JSON parse. fhirbolt 0.4 panics on some input (an empty `entry: []` in a nested
/// Bundle hits an `unwrap`); one bad file must not stop the import, so a panic becomes an error.
pub fn parse_json(body: &[u8]) -> Result<lifeboat_fhir_parse::Resource, String> {
    guarded(|| lifeboat_fhir_parse::parse_json(body))
}

/// fhirbolt's XML parse, refused up front for XML nested deeper than any real document.
pub fn parse_xml(body: &[u8]) -> Result<lifeboat_fhir_parse::Resource, String> {
    if detect::xml_too_deep(body, detect::MAX_XML_DEPTH) {
        return Err(format!(
            "XML elements nest deeper than {} levels; not parsed (real FHIR documents stay far below)",
            detect::MAX_XML_DEPTH
        ));
    }
    guarded(|| lifeboat_fhir_parse::parse_xml(body))
}

fn guarded(
    f: impl FnOnce() -> Result<lifeboat_fhir_parse::Resource, String>,
) -> Result<lifeboat_fhir_parse::Resource, String> {
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

/// Reads one FHIR file. Never fails: whatever goes wrong is in the outcome.
pub fn read_file(path: &str, bytes: &[u8], format: Format, index: &PatientIndex) -> FileOutcome {
    let body = detect::strip_bom(bytes);
    let source_type = match format {
        Format::Json => "FHIR JSON",
        Format::Ndjson => "FHIR NDJSON",
        Format::Xml => "FHIR XML",
    };
    let mut out = FileOutcome::new(path, bytes.len() as u64, source_type);
    let mut u = Unpacked::new(index, path);
    let types = detect::resource_types(body, format);
    if let Some(reason) = detect::other_version(body, &types, format) {
        // Nothing of another version is read; every resource it names is counted as rejected.
        for t in &types {
            u.counts.entry(t.clone()).or_default().rejected += 1;
        }
        out.status = FileStatus::Rejected;
        out.problems.push(Problem::new(path, Severity::Error, reason));
        out.resources = u.counts;
        return out;
    }
    match format {
        Format::Json => match parse_json(body) {
            Ok(res) => u.resource(&res, "", None, None),
            Err(e) => u.json_fallback(body, e),
        },
        Format::Ndjson => u.ndjson(body),
        Format::Xml => match parse_xml(body) {
            Ok(res) => u.resource(&res, "", None, None),
            Err(e) => {
                let t = types.first().cloned().unwrap_or_else(|| UNKNOWN_TYPE.to_string());
                for t in &types {
                    u.counts.entry(t.clone()).or_default().rejected += 1;
                }
                u.problems.push(Problem::new(
                    path,
                    Severity::Error,
                    format!("not a valid FHIR R4 {t} (XML): {e}"),
                ));
            }
        },
    }
    let read_nothing = u.counts.values().all(|c| c.mapped + c.unmapped == 0);
    out.records = u.records;
    out.problems = u.problems;
    out.resources = u.counts;
    out.written_at = out.records.iter().filter_map(|r| r.provenance.written_at).max();
    let mut patients = out
        .records
        .iter()
        .map(|r| r.patient_id.as_str())
        .filter(|p| !p.starts_with('('));
    if let Some(first) = patients.next()
        && patients.all(|p| p == first)
    {
        out.patient_id = Some(first.to_string());
    }
    if read_nothing && out.problems.iter().any(|p| p.severity == Severity::Error) {
        out.status = FileStatus::Rejected;
    } else {
        out.settle_status();
    }
    out
}
