//! References to patients (and medications) across the whole snapshot.
//!
//! A resource names its patient by `urn:uuid:` (against a Bundle entry's fullUrl), `Type/id`
//! (against any file of the snapshot), an absolute URL, `#id` (a contained resource) or a
//! logical identifier. Files are read in parallel batches, so the pipeline first runs a cheap
//! pass over every FHIR file ([`PatientIndex::build`]) that collects each Patient's keys and
//! decides its patient ID once; the reading pass then resolves against this index.

use super::detect::{self, Format, Sniff};
use crate::model::Code;
use lifeboat_fhir_parse::Resource;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// JP Core patient ID system: this prefix plus the 10-digit institution code.
pub const JP_PATIENT_ID_SYSTEM: &str = "urn:oid:1.2.392.100495.20.3.51.1";

/// Records whose patient reference points nowhere in the snapshot are kept under this ID (and
/// reported), so that `lifeboat show "(unresolved)"` lists them.
pub const UNRESOLVED: &str = "(unresolved)";
/// Resources that are not about a patient (Organization, Practitioner, Medication ...).
pub const NO_PATIENT: &str = "(no patient)";

/// One identifier of a patient: system, value, and whether it is typed MR (medical record).
#[derive(Clone, Debug, Default)]
pub struct PatientId {
    pub system: String,
    pub value: String,
    pub mr: bool,
}

/// What a Patient resource can be found by.
#[derive(Clone, Debug, Default)]
pub struct PatientKeys {
    pub id: Option<String>,
    pub full_url: Option<String>,
    pub identifiers: Vec<PatientId>,
}

impl PatientKeys {
    pub fn from_resource(
        p: &lifeboat_fhir_parse::fhirbolt::model::r4::resources::Patient,
        full_url: Option<&str>,
    ) -> Self {
        PatientKeys {
            id: p.id.as_ref().and_then(|i| i.value.clone()),
            full_url: full_url.map(str::to_string),
            identifiers: p
                .identifier
                .iter()
                .filter_map(|i| {
                    let value = i.value.as_ref()?.value.clone()?;
                    let system = i
                        .system
                        .as_ref()
                        .and_then(|s| s.value.clone())
                        .unwrap_or_default();
                    let mr = i.r#type.as_ref().is_some_and(|t| {
                        t.coding
                            .iter()
                            .any(|c| c.code.as_ref().and_then(|c| c.value.as_deref()) == Some("MR"))
                    });
                    Some(PatientId { system, value, mr })
                })
                .collect(),
        }
    }
}

/// Patient keys and medication codes found in the whole snapshot.
#[derive(Debug, Default)]
pub struct PatientIndex {
    /// `Patient/id`, fullUrl, `ident:system|value` → patient ID.
    patients: HashMap<String, String>,
    /// SS-MIX2 patient IDs of the snapshot: a FHIR Patient carrying one is that patient.
    ss_ids: HashSet<String>,
    /// `Medication/id` and fullUrl → the drug, for MedicationRequests that reference one.
    medications: HashMap<String, Code>,
    /// `Practitioner/id` and fullUrl → the name, for prescribers and attending doctors that
    /// are referenced without a display.
    practitioners: HashMap<String, String>,
}

/// What a reference to a patient came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatientRef {
    Resolved(String),
    /// A patient reference that matches nothing in the snapshot (as written).
    Unresolved(String),
    /// No patient reference, or a reference to something else (a Group, a Location ...).
    None,
}

impl PatientIndex {
    pub fn new(ss_ids: HashSet<String>) -> Self {
        Self {
            ss_ids,
            ..Self::default()
        }
    }

    /// The patient ID for a Patient resource: an identifier equal to an SS-MIX2 patient ID
    /// (JP Core patient system, MR-typed or without a system) first, so both formats meet
    /// under one ID; then the JP Core patient ID, an MR number or an identifier without a system, the
    /// resource id, the fullUrl.
    pub fn decide(&self, keys: &PatientKeys) -> Option<String> {
        let local =
            |i: &&PatientId| i.system.starts_with(JP_PATIENT_ID_SYSTEM) || i.system.is_empty() || i.mr;
        if let Some(i) = keys
            .identifiers
            .iter()
            .filter(local)
            .find(|i| self.ss_ids.contains(&i.value))
        {
            return Some(i.value.clone());
        }
        if let Some(i) = keys
            .identifiers
            .iter()
            .find(|i| i.system.starts_with(JP_PATIENT_ID_SYSTEM))
        {
            return Some(i.value.clone());
        }
        if let Some(i) = keys.identifiers.iter().find(|i| i.mr || i.system.is_empty()) {
            return Some(i.value.clone());
        }
        keys.id.clone().or_else(|| keys.full_url.clone())
    }

    /// The ID of a Patient as mapped: the one the index already gave it, so that every file
    /// agrees, else decided now.
    pub fn patient_id(&self, keys: &PatientKeys) -> Option<String> {
        if let Some(u) = &keys.full_url
            && let Some(p) = self.patients.get(u)
        {
            return Some(p.clone());
        }
        if let Some(id) = &keys.id
            && let Some(p) = self.patients.get(&format!("Patient/{id}"))
        {
            return Some(p.clone());
        }
        self.decide(keys)
    }

    fn add_patient(&mut self, keys: &PatientKeys) {
        let Some(pid) = self.patient_id(keys) else {
            return;
        };
        let mut put = |k: String| {
            self.patients.entry(k).or_insert_with(|| pid.clone());
        };
        if let Some(id) = &keys.id {
            put(format!("Patient/{id}"));
        }
        if let Some(u) = &keys.full_url {
            put(u.clone());
        }
        for i in &keys.identifiers {
            put(format!("ident:{}|{}", i.system, i.value));
            put(format!("ident:|{}", i.value));
        }
    }

    fn add_medication(&mut self, id: Option<&str>, full_url: Option<&str>, code: Code) {
        if let Some(id) = id {
            self.medications
                .entry(format!("Medication/{id}"))
                .or_insert_with(|| code.clone());
        }
        if let Some(u) = full_url {
            self.medications.entry(u.to_string()).or_insert(code);
        }
    }

    fn add_practitioner(&mut self, id: Option<&str>, full_url: Option<&str>, name: String) {
        if let Some(id) = id {
            self.practitioners
                .entry(format!("Practitioner/{id}"))
                .or_insert_with(|| name.clone());
        }
        if let Some(u) = full_url {
            self.practitioners.entry(u.to_string()).or_insert(name);
        }
    }

    /// The name of a practitioner referenced by `reference`.
    pub fn practitioner(&self, reference: &str) -> Option<&str> {
        self.practitioners
            .get(reference)
            .or_else(|| {
                type_and_id(reference).and_then(|(t, id)| self.practitioners.get(&format!("{t}/{id}")))
            })
            .map(String::as_str)
    }

    /// A medication referenced by `reference` (`Medication/x`, a fullUrl, an absolute URL).
    pub fn medication(&self, reference: &str) -> Option<&Code> {
        self.medications
            .get(reference)
            .or_else(|| type_and_id(reference).and_then(|(t, id)| self.medications.get(&format!("{t}/{id}"))))
    }

    /// Resolves a reference given as its parts. `base` is the fullUrl of the entry that holds
    /// the reference (relative references resolve against its server base).
    pub fn resolve(
        &self,
        reference: Option<&str>,
        identifier: Option<(&str, &str)>,
        base: Option<&str>,
    ) -> PatientRef {
        if let Some(r) = reference.map(str::trim).filter(|r| !r.is_empty()) {
            if let Some(p) = self.patients.get(r) {
                return PatientRef::Resolved(p.clone());
            }
            if let Some((t, id)) = type_and_id(r) {
                if t != "Patient" {
                    return PatientRef::None;
                }
                if let Some(p) = self.patients.get(&format!("Patient/{id}")) {
                    return PatientRef::Resolved(p.clone());
                }
                if let Some(b) = base.and_then(server_base)
                    && let Some(p) = self.patients.get(&format!("{b}Patient/{id}"))
                {
                    return PatientRef::Resolved(p.clone());
                }
            }
            if identifier.is_none() {
                return PatientRef::Unresolved(r.to_string());
            }
        }
        if let Some((system, value)) = identifier {
            for k in [format!("ident:{system}|{value}"), format!("ident:|{value}")] {
                if let Some(p) = self.patients.get(&k) {
                    return PatientRef::Resolved(p.clone());
                }
            }
            if self.ss_ids.contains(value) {
                return PatientRef::Resolved(value.to_string());
            }
            return PatientRef::Unresolved(format!("{system}|{value}"));
        }
        PatientRef::None
    }

    /// Pass one: collects Patient keys and Medication codes from every FHIR file. Files are
    /// scanned in parallel and merged in the order given, so the first Patient with a key
    /// decides it.
    pub fn build<'a>(
        ss_ids: HashSet<String>,
        files: impl rayon::iter::IndexedParallelIterator<Item = Option<Vec<u8>>> + 'a,
    ) -> Self {
        use rayon::prelude::*;
        let found: Vec<Found> = files
            .map(|bytes| bytes.map(|b| scan(&b)).unwrap_or_default())
            .collect();
        let mut index = Self::new(ss_ids);
        for f in found {
            for keys in &f.patients {
                index.add_patient(keys);
            }
            for (id, url, code) in f.medications {
                index.add_medication(id.as_deref(), url.as_deref(), code);
            }
            for (id, url, name) in f.practitioners {
                index.add_practitioner(id.as_deref(), url.as_deref(), name);
            }
        }
        index
    }

    pub fn len(&self) -> usize {
        self.patients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patients.is_empty()
    }
}

/// `Patient/123`, `Patient/123/_history/2`, `http://x/fhir/Patient/123` → (`Patient`, `123`).
pub fn type_and_id(reference: &str) -> Option<(&str, &str)> {
    if reference.starts_with('#') || reference.starts_with("urn:") {
        return None;
    }
    let path = reference.split(['?', '#']).next().unwrap_or(reference);
    let path = match path.find("/_history/") {
        Some(i) => &path[..i],
        None => path,
    };
    let mut parts = path.rsplit('/');
    let id = parts.next().filter(|s| !s.is_empty())?;
    let t = parts.next()?;
    t.chars().next().filter(char::is_ascii_uppercase)?;
    Some((t, id))
}

/// `http://x/fhir/Observation/1` → `http://x/fhir/`.
fn server_base(full_url: &str) -> Option<&str> {
    if !full_url.contains("://") {
        return None;
    }
    let (t, id) = type_and_id(full_url)?;
    full_url.strip_suffix(&format!("{t}/{id}"))
}

/// What pass one found in one file.
#[derive(Default)]
struct Found {
    patients: Vec<PatientKeys>,
    medications: Vec<(Option<String>, Option<String>, Code)>,
    practitioners: Vec<(Option<String>, Option<String>, String)>,
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
    /// shape would fail the whole file. (No untagged enums: `arbitrary_precision` breaks them.)
    identifier: Option<serde_json::Value>,
    code: Option<serde_json::Value>,
    name: Option<serde_json::Value>,
    entry: Vec<MiniEntry>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MiniEntry {
    #[serde(rename = "fullUrl")]
    full_url: Option<String>,
    resource: Option<MiniResource>,
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

fn scan(bytes: &[u8]) -> Found {
    let mut found = Found::default();
    match detect::sniff(bytes) {
        Sniff::Fhir(Format::Json) => {
            if let Ok(r) = serde_json::from_slice::<MiniResource>(detect::strip_bom(bytes)) {
                collect_mini(&r, None, &mut found);
            }
        }
        Sniff::Fhir(Format::Ndjson) => {
            for line in bytes.split(|&b| b == b'\n') {
                if let Ok(r) = serde_json::from_slice::<MiniResource>(detect::strip_bom(line)) {
                    collect_mini(&r, None, &mut found);
                }
            }
        }
        Sniff::Fhir(Format::Xml) => {
            // XML has no cheap skim; parse it fully (XML snapshots are the rare case).
            if let Ok(r) = super::parse_xml(bytes) {
                collect_full(&r, None, &mut found);
            }
        }
        _ => {}
    }
    found
}

fn collect_mini(r: &MiniResource, full_url: Option<&str>, found: &mut Found) {
    match r.resource_type.as_str() {
        "Patient" => found.patients.push(PatientKeys {
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
        }),
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
                found
                    .medications
                    .push((r.id.clone(), full_url.map(str::to_string), code));
            }
        }
        "Practitioner" => {
            if let Some(name) = r.name.as_ref().and_then(mini_name) {
                found
                    .practitioners
                    .push((r.id.clone(), full_url.map(str::to_string), name));
            }
        }
        _ => {}
    }
    for e in &r.entry {
        if let Some(res) = &e.resource {
            collect_mini(res, e.full_url.as_deref(), found);
        }
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

fn collect_full(r: &Resource, full_url: Option<&str>, found: &mut Found) {
    match r {
        Resource::Patient(p) => found.patients.push(PatientKeys::from_resource(p, full_url)),
        Resource::Medication(m) => {
            if let Some(c) = &m.code {
                found.medications.push((
                    m.id.as_ref().and_then(|i| i.value.clone()),
                    full_url.map(str::to_string),
                    super::map::common::concept(c),
                ));
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
                found.practitioners.push((
                    p.id.as_ref().and_then(|i| i.value.clone()),
                    full_url.map(str::to_string),
                    text,
                ));
            }
        }
        Resource::Bundle(b) => {
            for e in &b.entry {
                if let Some(res) = &e.resource {
                    collect_full(res, e.full_url.as_ref().and_then(|u| u.value.as_deref()), found);
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
    fn references_split() {
        assert_eq!(type_and_id("Patient/123"), Some(("Patient", "123")));
        assert_eq!(
            type_and_id("http://x/fhir/Patient/1/_history/2"),
            Some(("Patient", "1"))
        );
        assert_eq!(type_and_id("urn:uuid:abc"), None);
        assert_eq!(server_base("http://x/fhir/Observation/1"), Some("http://x/fhir/"));
    }

    #[test]
    fn ss_mix2_id_wins() {
        let index = PatientIndex::new(["9999013".to_string()].into_iter().collect());
        let keys = PatientKeys {
            id: Some("p1".into()),
            full_url: None,
            identifiers: vec![PatientId {
                system: "urn:oid:1.2.392.100495.20.3.51.11234567890".into(),
                value: "9999013".into(),
                mr: false,
            }],
        };
        assert_eq!(index.decide(&keys).as_deref(), Some("9999013"));
    }
}
