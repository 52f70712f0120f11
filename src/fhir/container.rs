//! Containers: Bundles of every type (nested too), Bulk Data NDJSON (with per-patient blocks)
//! and single resources. Every entry and line is counted exactly once: mapped, kept
//! unmapped, or rejected with its place.

use super::detect::{self, Format};
use super::map::{self, Ctx};
use super::refs::{PatientIndex, PatientRef};
use crate::model::Record;
use crate::report::{Problem, ResourceCounts, Severity};
use lifeboat_fhir_parse::Resource;
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::ParametersParameterValue;
use std::collections::BTreeMap;

/// Entries without a resource (a transaction's DELETE, a response without a body) count here.
pub const NO_RESOURCE: &str = "(entry without resource)";
/// Lines or entries whose type cannot be told (broken JSON).
pub const UNKNOWN_TYPE: &str = "(unknown)";

/// What reading one file's resources produced.
pub struct Unpacked<'a> {
    pub index: &'a PatientIndex,
    pub path: &'a str,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    pub counts: BTreeMap<String, ResourceCounts>,
}

impl<'a> Unpacked<'a> {
    pub fn new(index: &'a PatientIndex, path: &'a str) -> Self {
        Self {
            index,
            path,
            records: Vec::new(),
            problems: Vec::new(),
            counts: BTreeMap::new(),
        }
    }

    fn count(&mut self, resource_type: &str) -> &mut ResourceCounts {
        self.counts.entry(resource_type.to_string()).or_default()
    }

    /// One entry (or line) that could not be read.
    pub fn reject(&mut self, resource_type: &str, place: &str, reason: String) {
        self.count(resource_type).rejected += 1;
        self.problems
            .push(Problem::new(self.path, Severity::Error, reason).at(place));
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
                        self.problems.push(
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
        let mapped = map::map(res, &ctx);
        let c = self.count(resource_type);
        if mapped.interpreted {
            c.mapped += 1;
        } else {
            c.unmapped += 1;
        }
        self.records.extend(mapped.records);
        self.problems.extend(mapped.problems);
    }

    /// A JSON document that fhirbolt rejected as a whole. When it is a Bundle, its entries are
    /// read one by one so that one bad entry costs only itself, with its index.
    pub fn json_fallback(&mut self, body: &[u8], whole_error: String) {
        let value: serde_json::Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                let t = first_type(body);
                self.reject(&t, "", format!("not valid JSON: {e}"));
                return;
            }
        };
        self.json_value(&value, "", None, &whole_error, 0);
    }

    fn json_value(
        &mut self,
        value: &serde_json::Value,
        place: &str,
        full_url: Option<String>,
        whole_error: &str,
        depth: usize,
    ) {
        let rt = value
            .get("resourceType")
            .and_then(|v| v.as_str())
            .unwrap_or(UNKNOWN_TYPE)
            .to_string();
        let entries = value.get("entry").and_then(|e| e.as_array());
        if rt == "Bundle"
            && let Some(entries) = entries
            && depth < 32
        {
            self.count("Bundle").mapped += 1;
            for (i, entry) in entries.iter().enumerate() {
                let here = super::scan::entry_place(place, i);
                let url = entry.get("fullUrl").and_then(|u| u.as_str()).map(str::to_string);
                match entry.get("resource") {
                    Some(child) => self.json_value(child, &here, url, whole_error, depth + 1),
                    None => {
                        self.count(NO_RESOURCE).unmapped += 1;
                        self.problems.push(
                            Problem::new(
                                self.path,
                                Severity::Info,
                                "Bundle entry without a resource; nothing to show",
                            )
                            .at(here),
                        );
                    }
                }
            }
            return;
        }
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        match super::parse_json(&bytes) {
            Ok(res) => self.resource(&res, place, full_url, None),
            Err(e) => {
                let reason = if place.is_empty() {
                    whole_error.to_string()
                } else {
                    e
                };
                self.reject(&rt, place, format!("not a valid FHIR R4 {rt}: {reason}"));
            }
        }
    }

    /// Bulk Data NDJSON: one resource per line. A `Parameters` line that names a patient opens
    /// a per-patient block: the lines after it belong to that patient unless they say otherwise.
    pub fn ndjson(&mut self, body: &[u8]) {
        let mut block: Option<String> = None;
        for (n, line) in body.split(|&b| b == b'\n').enumerate() {
            let line = detect::strip_bom(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let place = format!("line {}", n + 1);
            match super::parse_json(line) {
                Ok(Resource::Parameters(p)) if block_header(&p, self.index, self.path).is_some() => {
                    block = block_header(&p, self.index, self.path);
                    self.count("Parameters").mapped += 1;
                }
                Ok(res) => self.resource(&res, &place, None, block.clone()),
                Err(e) => {
                    let t = first_type(line);
                    let reason = if detect::has_top_level_resource_type(line) {
                        format!("not a valid FHIR R4 {t}: {e}")
                    } else {
                        format!("not a FHIR resource (no resourceType): {e}")
                    };
                    self.reject(&t, &place, reason);
                }
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
    detect::resource_types(bytes, Format::Json)
        .into_iter()
        .next()
        .unwrap_or_else(|| UNKNOWN_TYPE.to_string())
}
