//! Containers: Bundles of every type (nested too), Bulk Data NDJSON (with per-patient blocks)
//! and single resources. Every entry and line is counted exactly once: mapped, kept
//! unmapped, or rejected with its place.

use super::detect::{self, Format};
use super::map::{self, Ctx};
use super::refs::{PatientIndex, PatientRef};
use super::skim;
use crate::model::Record;
use crate::report::{Problem, ResourceCounts, Severity};
use lifeboat_fhir_parse::Resource;
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::ParametersParameterValue;
use std::collections::BTreeMap;
use std::io::{BufRead, Read};

/// Entries without a resource (a transaction's DELETE, a response without a body) count here.
pub const NO_RESOURCE: &str = "(entry without resource)";
/// Lines or entries whose type cannot be told (broken JSON).
pub const UNKNOWN_TYPE: &str = "(unknown)";

/// Problem lines listed per file; beyond this each severity is counted in one summary line
/// (the counts per resource type still account for every entry).
pub const MAX_FILE_PROBLEMS: usize = 10_000;

/// Records handed on at a time when the reader may hand a file on in parts: a Bundle of a
/// million Observations then never holds more than this many records.
pub const PART_RECORDS: usize = 4096;

/// Deepest Bundle nesting unpacked entry by entry; deeper ones go to fhirbolt whole.
const MAX_NESTING: usize = 32;

/// Receives a file's records in parts while it is read.
pub type Flush<'f> = &'f mut dyn FnMut(Vec<Record>, Vec<Problem>);

/// Problems beyond [`MAX_FILE_PROBLEMS`] of one severity: how many, first and last place.
#[derive(Default)]
struct Unlisted {
    count: u64,
    first: String,
    last: String,
}

/// What reading one file's resources produced.
pub struct Unpacked<'a, 'f> {
    pub index: &'a PatientIndex,
    pub path: &'a str,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    pub counts: BTreeMap<String, ResourceCounts>,
    /// Problems listed so far (flushed ones included) and the worst severity seen.
    listed: usize,
    pub worst: Option<Severity>,
    unlisted: BTreeMap<Severity, Unlisted>,
    flush: Option<Flush<'f>>,
    /// Over every record, flushed or not: the newest written time and the one patient.
    pub written_at: Option<crate::model::Timestamp>,
    patients: Patients,
    /// A resource read says it is training or test data.
    pub drill: bool,
    /// A Bundle of this file says so: every record after it is marked.
    drill_bundle: bool,
}

/// Whether all of a file's records are about one patient.
#[derive(Default)]
enum Patients {
    #[default]
    None,
    One(String),
    Several,
}

impl<'a, 'f> Unpacked<'a, 'f> {
    pub fn new(index: &'a PatientIndex, path: &'a str) -> Self {
        Self {
            index,
            path,
            records: Vec::new(),
            problems: Vec::new(),
            counts: BTreeMap::new(),
            listed: 0,
            worst: None,
            unlisted: BTreeMap::new(),
            flush: None,
            written_at: None,
            patients: Patients::None,
            drill: false,
            drill_bundle: false,
        }
    }

    /// Records (and listed problems) are handed to `flush` every [`PART_RECORDS`].
    pub fn flushing(mut self, flush: Flush<'f>) -> Self {
        self.flush = Some(flush);
        self
    }

    fn count(&mut self, resource_type: &str) -> &mut ResourceCounts {
        self.counts.entry(resource_type.to_string()).or_default()
    }

    /// Lists a problem, or counts it once the file has listed [`MAX_FILE_PROBLEMS`].
    pub fn problem(&mut self, p: Problem) {
        self.worst = self.worst.max(Some(p.severity));
        if self.listed < MAX_FILE_PROBLEMS {
            self.listed += 1;
            self.problems.push(p);
            return;
        }
        let u = self.unlisted.entry(p.severity).or_default();
        if u.count == 0 {
            u.first = p.place.clone();
        }
        u.count += 1;
        u.last = p.place;
    }

    /// One entry (or line) that could not be read.
    /// Says which elements of a resource were left out because R4 does not define them there
    /// (fhirbolt would ignore them, or loop on them; see `lifeboat_fhir_parse::sanitize`).
    pub fn not_read(&mut self, place: &str, removed: &lifeboat_fhir_parse::Removed) {
        if removed.count == 0 {
            return;
        }
        let mut what = removed.paths.join(", ");
        if removed.count > removed.paths.len() {
            what.push_str(&format!(" ({} in all)", removed.count));
        }
        self.problem(
            Problem::new(
                self.path,
                Severity::Warning,
                format!("elements FHIR R4 does not define here were not read: {what}"),
            )
            .at(place),
        );
    }

    pub fn reject(&mut self, resource_type: &str, place: &str, reason: String) {
        self.count(resource_type).rejected += 1;
        self.problem(Problem::new(self.path, Severity::Error, reason).at(place));
    }

    fn add_records(&mut self, mut records: Vec<Record>) {
        for r in &mut records {
            // Inside a Bundle marked as training data, every record is.
            r.provenance.drill |= self.drill_bundle;
            self.written_at = self.written_at.max(r.provenance.written_at);
            if r.patient_id.starts_with('(') {
                continue;
            }
            match &self.patients {
                Patients::None => self.patients = Patients::One(r.patient_id.clone()),
                Patients::One(p) if *p != r.patient_id => self.patients = Patients::Several,
                _ => {}
            }
        }
        self.records.extend(records);
    }

    /// Between entries: hands the records on when a part is full.
    fn after_entry(&mut self) {
        if self.records.len() >= PART_RECORDS
            && let Some(flush) = self.flush.as_mut()
        {
            flush(
                std::mem::take(&mut self.records),
                std::mem::take(&mut self.problems),
            );
        }
    }

    /// The one patient every record is about, if so.
    pub fn single_patient(&self) -> Option<String> {
        match &self.patients {
            Patients::One(p) => Some(p.clone()),
            _ => None,
        }
    }

    /// Ends the file: the summary lines of problems that were counted, not listed.
    pub fn finish(&mut self) {
        for (severity, u) in std::mem::take(&mut self.unlisted) {
            self.problems.push(
                Problem::new(
                    self.path,
                    severity,
                    format!(
                        "{} more problems of this severity in this file are not listed (from {} to {}); \
                         every entry is counted in the resource counts",
                        u.count, u.first, u.last
                    ),
                )
                .at(u.first),
            );
        }
    }

    /// A resource at `place`, unpacked when it is a Bundle, mapped otherwise.
    pub fn resource(
        &mut self,
        res: &Resource,
        place: &str,
        full_url: Option<String>,
        block_patient: Option<String>,
    ) {
        let resource_type = lifeboat_fhir_parse::resource_type(res);
        if let Resource::Bundle(b) = res {
            self.count("Bundle").mapped += 1;
            if map::marks_drill(res) {
                self.drill = true;
                self.drill_bundle = true;
            }
            for (i, entry) in b.entry.iter().enumerate() {
                let here = super::scan::entry_place(place, i);
                let url = entry.full_url.as_ref().and_then(|u| u.value.clone());
                match &entry.resource {
                    Some(child) => self.resource(child, &here, url, block_patient.clone()),
                    None => {
                        self.count(NO_RESOURCE).unmapped += 1;
                        let what = entry
                            .request
                            .as_ref()
                            .map(|r| {
                                format!(
                                    "request {} {}",
                                    r.method.value.as_deref().unwrap_or(""),
                                    r.url.value.as_deref().unwrap_or("")
                                )
                            })
                            .or_else(|| {
                                entry
                                    .response
                                    .as_ref()
                                    .map(|r| format!("response {}", r.status.value.as_deref().unwrap_or("")))
                            })
                            .unwrap_or_else(|| "nothing".into());
                        self.problem(
                            Problem::new(
                                self.path,
                                Severity::Info,
                                format!("Bundle entry without a resource ({what}); nothing to show"),
                            )
                            .at(here),
                        );
                    }
                }
            }
            return;
        }
        let ctx = Ctx {
            index: self.index,
            path: self.path,
            place: place.to_string(),
            full_url,
            block_patient,
        };
        let mut mapped = map::map(res, &ctx);
        if map::marks_drill(res) {
            self.drill = true;
            for r in &mut mapped.records {
                r.provenance.drill = true;
            }
        }
        let c = self.count(resource_type);
        if mapped.interpreted {
            c.mapped += 1;
        } else {
            c.unmapped += 1;
        }
        self.add_records(mapped.records);
        for p in mapped.problems {
            self.problem(p);
        }
    }

    /// A whole JSON document. A Bundle is read entry by entry (see [`skim`]): each entry's
    /// resource goes to fhirbolt alone, so memory follows the largest entry, and one bad
    /// entry costs only itself, with its place.
    pub fn json_document(&mut self, body: &[u8]) {
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            let t = first_type(body);
            self.reject(&t, "", format!("not valid JSON: {e}"));
            return;
        }
        self.json_slice(body, "", None, None, 0);
    }

    /// One valid JSON value at `place`: a Bundle unpacked entry by entry, anything else parsed.
    fn json_slice(
        &mut self,
        value: &[u8],
        place: &str,
        full_url: Option<String>,
        block_patient: Option<String>,
        depth: usize,
    ) {
        let rt = skim::member(value, "resourceType").and_then(skim::string);
        if rt.as_deref() == Some("Bundle") && depth < MAX_NESTING {
            self.count("Bundle").mapped += 1;
            if skim::member(value, "meta").is_some_and(json_meta_marks_drill) {
                self.drill = true;
                self.drill_bundle = true;
            }
            let Some(entries) = skim::member(value, "entry") else {
                return;
            };
            if entries.first() != Some(&b'[') {
                self.problem(
                    Problem::new(
                        self.path,
                        Severity::Warning,
                        "Bundle.entry is not a list; nothing read from it",
                    )
                    .at(place),
                );
                return;
            }
            for (i, entry) in skim::elements(entries).enumerate() {
                let here = super::scan::entry_place(place, i);
                self.json_entry(entry, &here, block_patient.clone(), depth);
                self.after_entry();
            }
            return;
        }
        let rt = rt.unwrap_or_else(|| UNKNOWN_TYPE.to_string());
        match super::parse_json(value) {
            Ok(p) => {
                self.not_read(place, &p.removed);
                self.resource(&p.resource, place, full_url, block_patient)
            }
            Err(e) => self.reject(&rt, place, format!("not a valid FHIR R4 {rt}: {e}")),
        }
    }

    /// One Bundle entry (`{fullUrl, resource, request, response}`) at `here`.
    fn json_entry(&mut self, entry: &[u8], here: &str, block_patient: Option<String>, depth: usize) {
        if !skim::is_object(entry) {
            self.reject(UNKNOWN_TYPE, here, "Bundle entry is not a JSON object".into());
            return;
        }
        let (mut url, mut resource, mut request, mut response) = (None, None, None, None);
        for (k, v) in skim::members(entry) {
            if skim::key_is(k, "fullUrl") {
                url = skim::string(v);
            } else if skim::key_is(k, "resource") {
                resource = Some(v).filter(|v| *v != b"null");
            } else if skim::key_is(k, "request") {
                request = Some(v);
            } else if skim::key_is(k, "response") {
                response = Some(v);
            }
        }
        if let Some(r) = resource {
            self.json_slice(r, here, url, block_patient, depth + 1);
            return;
        }
        self.count(NO_RESOURCE).unmapped += 1;
        let field = |v: &[u8], name: &str| skim::member(v, name).and_then(skim::string).unwrap_or_default();
        let what = match (request, response) {
            (Some(r), _) => format!("request {} {}", field(r, "method"), field(r, "url")),
            (None, Some(r)) => format!("response {}", field(r, "status")),
            (None, None) => "nothing".into(),
        };
        self.problem(
            Problem::new(
                self.path,
                Severity::Info,
                format!("Bundle entry without a resource ({what}); nothing to show"),
            )
            .at(here),
        );
    }

    /// Bulk Data NDJSON from a reader, line by line: one resource per line. A `Parameters`
    /// line that names a patient opens a per-patient block: the lines after it belong to that
    /// patient unless they say otherwise. Memory follows the longest line, which is bounded
    /// by [`MAX_LINE_BYTES`].
    pub fn ndjson(&mut self, reader: &mut dyn std::io::Read) -> std::io::Result<()> {
        let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
        let mut block: Option<String> = None;
        let mut line = Vec::new();
        let mut n = 0usize;
        loop {
            line.clear();
            n += 1;
            let read = (&mut reader)
                .take(MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut line)?;
            if read == 0 {
                return Ok(());
            }
            if line.len() > MAX_LINE_BYTES && line.last() != Some(&b'\n') {
                let skipped = skip_line(&mut reader)?;
                let t = first_type(&line);
                self.reject(
                    &t,
                    &format!("line {n}"),
                    format!(
                        "line of {} bytes is longer than the {MAX_LINE_BYTES} bytes a resource may take; not read",
                        line.len() as u64 + skipped
                    ),
                );
                continue;
            }
            self.ndjson_line(n, &line, &mut block);
            self.after_entry();
        }
    }

    fn ndjson_line(&mut self, n: usize, line: &[u8], block: &mut Option<String>) {
        let line = detect::strip_bom(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let place = format!("line {n}");
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            let t = first_type(line);
            let reason = if detect::has_top_level_resource_type(line) {
                format!("not a valid FHIR R4 {t}: {e}")
            } else {
                format!("not a FHIR resource (no resourceType): {e}")
            };
            self.reject(&t, &place, reason);
            return;
        }
        match skim::member(line, "resourceType")
            .and_then(skim::string)
            .as_deref()
        {
            None => self.reject(
                UNKNOWN_TYPE,
                &place,
                "not a FHIR resource (no resourceType)".to_string(),
            ),
            Some("Parameters") => match super::parse_json(line) {
                Ok(parsed) => {
                    self.not_read(&place, &parsed.removed);
                    match &parsed.resource {
                        Resource::Parameters(p) if block_header(p, self.index, self.path).is_some() => {
                            *block = block_header(p, self.index, self.path);
                            self.count("Parameters").mapped += 1;
                        }
                        res => self.resource(res, &place, None, block.clone()),
                    }
                }
                Err(e) => self.reject(
                    "Parameters",
                    &place,
                    format!("not a valid FHIR R4 Parameters: {e}"),
                ),
            },
            Some(_) => self.json_slice(line, &place, None, block.clone(), 0),
        }
    }
}

/// The longest NDJSON line read: one resource, however rich, stays far below this.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Skips the rest of an overlong line without keeping it; the bytes skipped.
fn skip_line(reader: &mut impl std::io::BufRead) -> std::io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(skipped + i as u64 + 1);
            }
            None => {
                let len = buf.len();
                reader.consume(len);
                skipped += len as u64;
            }
        }
    }
}

/// The patient a Bulk Data block header (`Parameters`) names, resolved.
fn block_header(
    p: &lifeboat_fhir_parse::fhirbolt::model::r4::resources::Parameters,
    index: &PatientIndex,
    path: &str,
) -> Option<String> {
    p.parameter.iter().find_map(|param| match &param.value {
        Some(ParametersParameterValue::Reference(r)) => {
            let reference = r.reference.as_ref().and_then(|x| x.value.as_deref());
            let at = super::refs::At {
                path,
                ..Default::default()
            };
            match index.resolve(at, reference, None) {
                PatientRef::Resolved(id) => Some(id),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The first resource type named in some bytes, for counting what could not be parsed.
pub fn first_type(bytes: &[u8]) -> String {
    detect::first_resource_type(bytes, Format::Json).unwrap_or_else(|| UNKNOWN_TYPE.to_string())
}

/// Whether a JSON `meta` marks training or test data (`tag` or `security`).
fn json_meta_marks_drill(meta: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(m)) = serde_json::from_slice::<serde_json::Value>(meta) else {
        return false;
    };
    ["tag", "security"]
        .iter()
        .filter_map(|k| m.get(*k).and_then(|v| v.as_array()))
        .flatten()
        .any(|c| {
            crate::chart::mode::fhir_marks_drill(
                c.get("system").and_then(|v| v.as_str()),
                c.get("code").and_then(|v| v.as_str()),
            )
        })
}
