//! Pass one: a cheap read of one FHIR file for what references can point to (Patients,
//! Medications, Practitioners), each with its place in the file, named exactly as the reading
//! pass names it (`entry[3]`, `entry[0]/entry[2]`, `line 12`), so that the reading pass finds
//! the Bundle an entry sits in.

use super::detect::{self, Format, Sniff};
use super::refs::{PatientId, PatientKeys};
use super::skim;
use crate::model::Code;
use lifeboat_fhir_parse::Resource;
use serde::Deserialize;

/// A Medication or Practitioner found, with what it is called by.
pub struct Target<T> {
    pub place: String,
    pub id: Option<String>,
    pub full_url: Option<String>,
    pub value: T,
}

/// What pass one found in one file.
#[derive(Default)]
pub struct Found {
    /// Each Patient resource with its place.
    pub patients: Vec<(String, PatientKeys)>,
    pub medications: Vec<Target<Code>>,
    pub practitioners: Vec<Target<String>>,
    /// Encounters with their class code (`IMP`, `AMB`, `EMER` ...), for the setting of the
    /// orders that reference them.
    pub encounters: Vec<Target<String>>,
}

/// The place of entry `i` of a Bundle at `place` (the reading pass names them the same way).
pub fn entry_place(place: &str, i: usize) -> String {
    if place.is_empty() {
        format!("entry[{i}]")
    } else {
        format!("{place}/entry[{i}]")
    }
}

/// The place of the Bundle an entry at `place` belongs to; `None` for a resource outside any
/// Bundle (a single-resource file, an NDJSON line).
pub fn bundle_of(place: &str) -> Option<&str> {
    if !place.ends_with(']') {
        return None;
    }
    match place.rfind("/entry[") {
        Some(i) => Some(&place[..i]),
        None => place.starts_with("entry[").then_some(""),
    }
}

/// The few fields pass one needs, read with serde skipping everything else (much faster than
/// the full model). Plain structs only: no flatten/untagged, which `arbitrary_precision` breaks.
#[derive(Deserialize, Default)]
#[serde(default)]
struct MiniResource {
    #[serde(rename = "resourceType")]
    resource_type: String,
    id: Option<String>,
    /// These change shape between resource types (a Bundle has one identifier, a
    /// PractitionerRole a list of codes, an Organization a string name), so they are kept as
    /// JSON values and read only for the types that need them; a typed field of the wrong
    /// shape would fail the whole file.
    identifier: Option<serde_json::Value>,
    code: Option<serde_json::Value>,
    name: Option<serde_json::Value>,
    class: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MiniIdentifier {
    system: Option<String>,
    value: Option<String>,
    #[serde(rename = "type")]
    kind: Option<MiniConcept>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MiniConcept {
    coding: Vec<MiniCoding>,
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MiniCoding {
    system: Option<String>,
    code: Option<String>,
    display: Option<String>,
}

/// Pass one over a file read whole (JSON, NDJSON or XML up to their limits).
pub fn scan(bytes: &[u8]) -> Found {
    let mut found = Found::default();
    match detect::sniff(bytes) {
        Sniff::Fhir(Format::Json) => {
            let body = detect::strip_bom(bytes);
            if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
                scan_json(body, "", None, &mut found);
            }
        }
        Sniff::Fhir(Format::Ndjson) => {
            let mut r: &[u8] = bytes;
            let _ = scan_ndjson(&mut r, &mut found);
        }
        Sniff::Fhir(Format::Xml) if super::xml_too_large(bytes).is_none() => {
            // XML has no cheap skim; parse it fully (XML snapshots are the rare case).
            if let Ok(p) = super::parse_xml(bytes) {
                collect_full(&p.resource, "", None, &mut found);
            }
        }
        _ => {}
    }
    found
}

/// Pass one over NDJSON from a reader, line by line (files of any size); lines longer than
/// [`super::MAX_LINE_BYTES`] are skipped, as the reading pass rejects them.
pub fn scan_ndjson(reader: &mut dyn std::io::Read, found: &mut Found) -> std::io::Result<()> {
    use std::io::{BufRead, Read};
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        n += 1;
        let read = (&mut reader)
            .take(super::MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(());
        }
        if line.len() > super::MAX_LINE_BYTES && line.last() != Some(&b'\n') {
            // Overlong: the rest of the line is read and dropped a buffer at a time.
            loop {
                let buf = reader.fill_buf()?;
                if buf.is_empty() {
                    return Ok(());
                }
                if let Some(i) = buf.iter().position(|&b| b == b'\n') {
                    reader.consume(i + 1);
                    break;
                }
                let len = buf.len();
                reader.consume(len);
            }
            continue;
        }
        let body = detect::strip_bom(&line);
        if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
            scan_json(body, &format!("line {n}"), None, found);
        }
    }
}

/// One valid JSON value at `place`: Bundles walked entry by entry (never held as a whole),
/// the few resource types references point to read with the small model.
fn scan_json(value: &[u8], place: &str, full_url: Option<&str>, found: &mut Found) {
    let rt = skim::member(value, "resourceType").and_then(skim::string);
    match rt.as_deref() {
        Some("Bundle") => {
            let entries = skim::member(value, "entry").unwrap_or_default();
            for (i, e) in skim::elements(entries).enumerate() {
                let url = skim::member(e, "fullUrl").and_then(skim::string);
                if let Some(res) = skim::member(e, "resource").filter(|r| skim::is_object(r)) {
                    scan_json(res, &entry_place(place, i), url.as_deref(), found);
                }
            }
        }
        Some("Patient" | "Medication" | "Encounter" | "Practitioner") => {
            if let Ok(r) = serde_json::from_slice::<MiniResource>(value) {
                collect_mini(&r, place, full_url, found);
            }
        }
        _ => {}
    }
}

fn collect_mini(r: &MiniResource, place: &str, full_url: Option<&str>, found: &mut Found) {
    let target = |value: String| Target {
        place: place.to_string(),
        id: r.id.clone(),
        full_url: full_url.map(str::to_string),
        value,
    };
    match r.resource_type.as_str() {
        "Patient" => found.patients.push((
            place.to_string(),
            PatientKeys {
                id: r.id.clone(),
                full_url: full_url.map(str::to_string),
                identifiers: r
                    .identifier
                    .clone()
                    .and_then(|v| serde_json::from_value::<Vec<MiniIdentifier>>(v).ok())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|i| {
                        Some(PatientId {
                            system: i.system.clone().unwrap_or_default(),
                            value: i.value.clone()?,
                            mr: i
                                .kind
                                .as_ref()
                                .is_some_and(|k| k.coding.iter().any(|c| c.code.as_deref() == Some("MR"))),
                        })
                    })
                    .collect(),
            },
        )),
        "Medication" => {
            if let Some(c) = r
                .code
                .clone()
                .and_then(|v| serde_json::from_value::<MiniConcept>(v).ok())
            {
                let coding = c.coding.first();
                let code = Code::new(
                    coding.and_then(|c| c.code.clone()).unwrap_or_default(),
                    c.text
                        .clone()
                        .or_else(|| c.coding.iter().find_map(|c| c.display.clone()))
                        .unwrap_or_default(),
                    coding.and_then(|c| c.system.clone()).unwrap_or_default(),
                );
                found.medications.push(Target {
                    place: place.to_string(),
                    id: r.id.clone(),
                    full_url: full_url.map(str::to_string),
                    value: code,
                });
            }
        }
        "Encounter" => {
            if let Some(class) = r
                .class
                .as_ref()
                .and_then(|c| c.get("code"))
                .and_then(|c| c.as_str())
            {
                found.encounters.push(target(class.to_string()));
            }
        }
        "Practitioner" => {
            if let Some(name) = r.name.as_ref().and_then(mini_name) {
                found.practitioners.push(Target {
                    place: place.to_string(),
                    id: r.id.clone(),
                    full_url: full_url.map(str::to_string),
                    value: name,
                });
            }
        }
        _ => {}
    }
}

/// The first HumanName as a person writes it: `text`, else prefix, given and family.
fn mini_name(v: &serde_json::Value) -> Option<String> {
    let n = v.as_array()?.first()?;
    if let Some(t) = n.get("text").and_then(|t| t.as_str()) {
        return Some(t.to_string());
    }
    let strings = |k: &str| -> Vec<String> {
        n.get(k)
            .and_then(|x| x.as_array())
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let mut parts = strings("prefix");
    parts.extend(strings("given"));
    if let Some(f) = n.get("family").and_then(|f| f.as_str()) {
        parts.push(f.to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn collect_full(r: &Resource, place: &str, full_url: Option<&str>, found: &mut Found) {
    match r {
        Resource::Patient(p) => found
            .patients
            .push((place.to_string(), PatientKeys::from_resource(p, full_url))),
        Resource::Medication(m) => {
            if let Some(c) = &m.code {
                found.medications.push(Target {
                    place: place.to_string(),
                    id: m.id.as_ref().and_then(|i| i.value.clone()),
                    full_url: full_url.map(str::to_string),
                    value: super::map::common::concept(c),
                });
            }
        }
        Resource::Encounter(e) => {
            if let Some(class) = e.class.code.as_ref().and_then(|c| c.value.clone()) {
                found.encounters.push(Target {
                    place: place.to_string(),
                    id: e.id.as_ref().and_then(|i| i.value.clone()),
                    full_url: full_url.map(str::to_string),
                    value: class,
                });
            }
        }
        Resource::Practitioner(p) => {
            if let Some(n) = p.name.first() {
                let text = n.text.as_ref().and_then(|t| t.value.clone()).unwrap_or_else(|| {
                    let mut parts: Vec<String> = n
                        .prefix
                        .iter()
                        .chain(&n.given)
                        .filter_map(|x| x.value.clone())
                        .collect();
                    parts.extend(n.family.as_ref().and_then(|f| f.value.clone()));
                    parts.join(" ")
                });
                found.practitioners.push(Target {
                    place: place.to_string(),
                    id: p.id.as_ref().and_then(|i| i.value.clone()),
                    full_url: full_url.map(str::to_string),
                    value: text,
                });
            }
        }
        Resource::Bundle(b) => {
            for (i, e) in b.entry.iter().enumerate() {
                if let Some(res) = &e.resource {
                    collect_full(
                        res,
                        &entry_place(place, i),
                        e.full_url.as_ref().and_then(|u| u.value.as_deref()),
                        found,
                    );
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_places() {
        assert_eq!(bundle_of("entry[3]"), Some(""));
        assert_eq!(bundle_of("entry[0]/entry[2]"), Some("entry[0]"));
        assert_eq!(bundle_of("line 4/entry[1]"), Some("line 4"));
        assert_eq!(bundle_of("line 4"), None);
        assert_eq!(bundle_of(""), None);
        assert_eq!(entry_place("", 2), "entry[2]");
        assert_eq!(entry_place("line 4", 0), "line 4/entry[0]");
    }

    #[test]
    fn places_of_nested_entries() {
        let f = scan(
            br#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[
            {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","id":"p"}}]}}]}"#,
        );
        assert_eq!(f.patients.len(), 1);
        assert_eq!(f.patients[0].0, "entry[0]/entry[0]");
        assert_eq!(f.patients[0].1.full_url.as_deref(), Some("urn:uuid:1"));
    }
}
