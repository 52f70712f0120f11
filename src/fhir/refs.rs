//! References to patients, medications and practitioners.
//!
//! A resource names its patient by `urn:uuid:` or an absolute URL (against the fullUrls of
//! the Bundle that holds it), `Type/id` (relative to the server of its entry; the snapshot is
//! one server for resources whose server is not known), `#id` (a contained resource) or a
//! logical identifier. Files are read in parallel batches, so the pipeline first runs a cheap
//! pass over every FHIR file ([`PatientIndex::build`]) that finds every Patient, Medication
//! and Practitioner with its file and place, decides who is who once (`identity`), and keeps
//! each Bundle's own names apart (`Scope`); the reading pass then resolves against this index.

use super::{identity, scan};
use crate::model::Code;
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

/// Several resources can claim one key (`Patient/1` in two exports, one urn:uuid in two
/// Bundles): a key resolves only when every claim agrees.
#[derive(Debug)]
struct Claims<T>(Vec<T>);

/// Different claims kept per key: two already make a key ambiguous, and a key claimed by
/// thousands (one identifier value on 200,000 Patients) must not cost a scan per claim.
const MAX_CLAIMS: usize = 8;

impl<T: PartialEq> Claims<T> {
    fn add(&mut self, v: T) {
        if self.0.len() < MAX_CLAIMS && !self.0.contains(&v) {
            self.0.push(v);
        }
    }
}

/// "3", or "8 or more" when the claims were capped.
fn how_many(n: usize) -> String {
    if n >= MAX_CLAIMS {
        format!("{n} or more")
    } else {
        n.to_string()
    }
}

impl<T> Default for Claims<T> {
    fn default() -> Self {
        Claims(Vec::new())
    }
}

/// What a key came to.
enum Found<'a, T> {
    One(&'a T),
    /// The key names different things (as many as given).
    Ambiguous(usize),
    Nothing,
}

fn lookup<'a, T>(map: &'a HashMap<String, Claims<T>>, key: &str) -> Found<'a, T> {
    match map.get(key).map(|c| c.0.as_slice()) {
        Some([one]) => Found::One(one),
        Some(many) if many.len() > 1 => Found::Ambiguous(many.len()),
        _ => Found::Nothing,
    }
}

/// What the entries of one Bundle are called by (fullUrl, and `Type/id` for relative
/// references): Patients (their patient ID), Medications, Practitioners.
#[derive(Debug, Default)]
struct Scope {
    patients: HashMap<String, Claims<String>>,
    medications: HashMap<String, Claims<Code>>,
    practitioners: HashMap<String, Claims<String>>,
    encounters: HashMap<String, Claims<String>>,
}

/// Per file: the patient ID of each Patient resource (by place) and the scope of each Bundle
/// (by the Bundle's place).
#[derive(Debug, Default)]
struct FileScopes {
    patients: HashMap<String, String>,
    bundles: HashMap<String, Scope>,
}

/// Patient identities, Bundle scopes and snapshot-wide keys, built once before reading.
#[derive(Debug, Default)]
pub struct PatientIndex {
    /// SS-MIX2 patient IDs of the snapshot: a FHIR Patient carrying one is that patient.
    ss_ids: HashSet<String>,
    files: HashMap<String, FileScopes>,
    /// Snapshot-wide (the snapshot is one server): `Patient/id` and RESTful fullUrls →
    /// patient IDs. urn: fullUrls are never here: they mean something only in their Bundle.
    patients: HashMap<String, Claims<String>>,
    /// `ident:system|value` and `ident:|value` → patient IDs.
    identifiers: HashMap<String, Claims<String>>,
    /// `Medication/id` and RESTful fullUrls → the drug.
    medications: HashMap<String, Claims<Code>>,
    /// `Practitioner/id` and RESTful fullUrls → the name, for prescribers and attending
    /// doctors referenced without a display.
    practitioners: HashMap<String, Claims<String>>,
    /// `Encounter/id` and RESTful fullUrls → the class code, for the setting of orders.
    encounters: HashMap<String, Claims<String>>,
}

/// What a reference to a patient came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatientRef {
    Resolved(String),
    /// A patient reference that matches nothing in the snapshot (as written, with why).
    Unresolved(String),
    /// No patient reference, or a reference to something else (a Group, a Location ...).
    None,
}

/// Where a reference is written: the file, the entry's place and the entry's fullUrl.
#[derive(Clone, Copy, Debug, Default)]
pub struct At<'a> {
    pub path: &'a str,
    pub place: &'a str,
    pub full_url: Option<&'a str>,
}

/// A RESTful fullUrl (`http(s)://...`), which names a resource on a server, unlike a urn.
fn restful(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

impl PatientIndex {
    pub fn new(ss_ids: HashSet<String>) -> Self {
        Self {
            ss_ids,
            ..Self::default()
        }
    }

    /// The ID of a Patient resource as pass one decided it (by file and place); else, for a
    /// Patient pass one did not see (contained), by its identifiers, else from its own keys.
    pub fn patient_id(&self, at: At, keys: &PatientKeys) -> Option<String> {
        if let Some(p) = self.files.get(at.path).and_then(|f| f.patients.get(at.place)) {
            return Some(p.clone());
        }
        for i in keys.identifiers.iter().filter(|i| !i.system.is_empty()) {
            if let Found::One(p) = lookup(&self.identifiers, &format!("ident:{}|{}", i.system, i.value)) {
                return Some(p.clone());
            }
        }
        identity::decide_alone(keys, &self.ss_ids)
    }

    fn scope(&self, at: At) -> Option<&Scope> {
        let bundle = scan::bundle_of(at.place)?;
        self.files.get(at.path)?.bundles.get(bundle)
    }

    /// Resolves a reference to a Patient, a Medication or a Practitioner (`kind`) in the
    /// FHIR R4 order: the containing (innermost) Bundle first, by fullUrl, by the entry's
    /// server base + `Type/id`, by `Type/id`; a urn: that is not in that Bundle is not looked
    /// up anywhere else; other references then against the whole snapshot.
    fn find<'a, T>(
        &'a self,
        at: At,
        reference: &str,
        kind: &str,
        in_scope: impl Fn(&'a Scope) -> &'a HashMap<String, Claims<T>>,
        global: &'a HashMap<String, Claims<T>>,
    ) -> Result<&'a T, String> {
        let r = identity::strip_history(reference.trim());
        let relative = type_and_id(r).filter(|_| !r.contains("://"));
        // A relative reference is relative to the server of the entry that holds it: from an
        // entry on a known server it matches that server's URL, else only resources whose
        // server is not known (`?Type/id`: NDJSON, single files, urn: entries); from an entry
        // whose server is not known it matches any `Type/id`.
        let keys: Vec<String> = match (relative, at.full_url.and_then(server_base)) {
            (Some((t, id)), Some(b)) => vec![format!("{b}{t}/{id}"), format!("?{t}/{id}")],
            (Some((t, id)), None) => vec![format!("{t}/{id}")],
            (None, _) => vec![r.to_string()],
        };
        if let Some(scope) = self.scope(at) {
            for k in &keys {
                match lookup(in_scope(scope), k) {
                    Found::One(v) => return Ok(v),
                    Found::Ambiguous(n) => {
                        return Err(format!(
                            "{r} (names {} different {kind} entries in its Bundle)",
                            how_many(n)
                        ));
                    }
                    Found::Nothing => {}
                }
            }
        }
        if r.starts_with("urn:") {
            return Err(match scan::bundle_of(at.place) {
                Some(_) => format!(
                    "{r} (a urn: names an entry of its own Bundle only, and its Bundle has no such {kind})"
                ),
                None => format!(
                    "{r} (a urn: names an entry of its own Bundle only, and this resource is in no Bundle)"
                ),
            });
        }
        if relative.is_none() && !restful(r) {
            return Err(r.to_string());
        }
        for k in &keys {
            match lookup(global, k) {
                Found::One(v) => return Ok(v),
                Found::Ambiguous(n) => {
                    return Err(format!(
                        "{r} (names {} different {kind} resources in the snapshot)",
                        how_many(n)
                    ));
                }
                Found::Nothing => {}
            }
        }
        Err(r.to_string())
    }

    /// The name of a practitioner referenced by `reference`.
    pub fn practitioner(&self, at: At, reference: &str) -> Option<&str> {
        self.find(
            at,
            reference,
            "Practitioner",
            |s| &s.practitioners,
            &self.practitioners,
        )
        .ok()
        .map(String::as_str)
    }

    /// The class code (`IMP`, `AMB` ...) of an encounter referenced by `reference`.
    pub fn encounter_class(&self, at: At, reference: &str) -> Option<&str> {
        self.find(at, reference, "Encounter", |s| &s.encounters, &self.encounters)
            .ok()
            .map(String::as_str)
    }

    /// A medication referenced by `reference` (`Medication/x`, a fullUrl, an absolute URL).
    pub fn medication(&self, at: At, reference: &str) -> Option<&Code> {
        self.find(at, reference, "Medication", |s| &s.medications, &self.medications)
            .ok()
    }

    /// Resolves a patient reference given as its parts, written at `at`.
    pub fn resolve(&self, at: At, reference: Option<&str>, identifier: Option<(&str, &str)>) -> PatientRef {
        if let Some(r) = reference.map(str::trim).filter(|r| !r.is_empty()) {
            if let Some((t, _)) = type_and_id(r)
                && t != "Patient"
            {
                return PatientRef::None;
            }
            match self.find(at, r, "Patient", |s| &s.patients, &self.patients) {
                Ok(p) => return PatientRef::Resolved(p.clone()),
                Err(why) if identifier.is_none() => return PatientRef::Unresolved(why),
                Err(_) => {}
            }
        }
        if let Some((system, value)) = identifier {
            for k in [format!("ident:{system}|{value}"), format!("ident:|{value}")] {
                match lookup(&self.identifiers, &k) {
                    Found::One(p) => return PatientRef::Resolved(p.clone()),
                    Found::Ambiguous(n) => {
                        return PatientRef::Unresolved(format!(
                            "{system}|{value} (names {} different patients in the snapshot)",
                            how_many(n)
                        ));
                    }
                    Found::Nothing => {}
                }
            }
            if self.ss_ids.contains(value) {
                return PatientRef::Resolved(value.to_string());
            }
            return PatientRef::Unresolved(format!("{system}|{value}"));
        }
        PatientRef::None
    }

    /// Pass one: reads every FHIR file cheaply (in parallel) for Patients, Medications and
    /// Practitioners with their places, then decides who is who (see `identity`) in the order
    /// the files are given, so the first person to claim an ID keeps it.
    pub fn build<'a>(
        ss_ids: HashSet<String>,
        files: impl rayon::iter::IndexedParallelIterator<Item = (String, scan::Found)> + 'a,
    ) -> Self {
        let found: Vec<(String, scan::Found)> = files.collect();
        let mut index = Self::new(ss_ids);
        let mut occurrences = Vec::new();
        let mut owners = Vec::new();
        for (f, (_, found)) in found.iter().enumerate() {
            for (place, keys) in &found.patients {
                occurrences.push(identity::Occurrence {
                    place: place.clone(),
                    keys: keys.clone(),
                });
                owners.push(f);
            }
        }
        let ids = identity::assign(&occurrences, &index.ss_ids);
        for ((o, f), pid) in occurrences.iter().zip(owners).zip(ids) {
            let Some(pid) = pid else { continue };
            index.add_patient(&found[f].0, o, pid);
        }
        for (path, found) in &found {
            for m in &found.medications {
                index.add_target(
                    path,
                    m,
                    "Medication",
                    |i| &mut i.medications,
                    |s| &mut s.medications,
                );
            }
            for e in &found.encounters {
                index.add_target(path, e, "Encounter", |i| &mut i.encounters, |s| &mut s.encounters);
            }
            for p in &found.practitioners {
                index.add_target(
                    path,
                    p,
                    "Practitioner",
                    |i| &mut i.practitioners,
                    |s| &mut s.practitioners,
                );
            }
        }
        index
    }

    fn add_patient(&mut self, path: &str, o: &identity::Occurrence, pid: String) {
        let file = self.files.entry(path.to_string()).or_default();
        file.patients.insert(o.place.clone(), pid.clone());
        let k = &o.keys;
        let url = k.full_url.as_deref().map(identity::strip_history);
        if let Some(bundle) = scan::bundle_of(&o.place) {
            let scope = file.bundles.entry(bundle.to_string()).or_default();
            for key in keys_of("Patient", k.id.as_deref(), url, true) {
                scope.patients.entry(key).or_default().add(pid.clone());
            }
        }
        for key in keys_of("Patient", k.id.as_deref(), url, false) {
            self.patients.entry(key).or_default().add(pid.clone());
        }
        for i in &k.identifiers {
            for key in [
                format!("ident:{}|{}", i.system, i.value),
                format!("ident:|{}", i.value),
            ] {
                self.identifiers.entry(key).or_default().add(pid.clone());
            }
        }
    }

    fn add_target<T: PartialEq + Clone>(
        &mut self,
        path: &str,
        t: &scan::Target<T>,
        kind: &str,
        global: impl Fn(&mut Self) -> &mut HashMap<String, Claims<T>>,
        in_scope: impl Fn(&mut Scope) -> &mut HashMap<String, Claims<T>>,
    ) {
        let url = t.full_url.as_deref().map(identity::strip_history);
        if let Some(bundle) = scan::bundle_of(&t.place) {
            let scope = self
                .files
                .entry(path.to_string())
                .or_default()
                .bundles
                .entry(bundle.to_string())
                .or_default();
            let map = in_scope(scope);
            for key in keys_of(kind, t.id.as_deref(), url, true) {
                map.entry(key).or_default().add(t.value.clone());
            }
        }
        let map = global(self);
        for key in keys_of(kind, t.id.as_deref(), url, false) {
            map.entry(key).or_default().add(t.value.clone());
        }
    }

    /// How many Patient resources pass one placed.
    pub fn len(&self) -> usize {
        self.files.values().map(|f| f.patients.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

/// What a resource is called by: its fullUrl (a urn: only inside its Bundle), `Type/id`, and
/// `?Type/id` when its server is not known (no RESTful fullUrl).
fn keys_of(kind: &str, id: Option<&str>, url: Option<&str>, in_bundle: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(u) = url.filter(|u| in_bundle || restful(u)) {
        out.push(u.to_string());
    }
    if let Some(id) = id {
        out.push(format!("{kind}/{id}"));
        if !url.is_some_and(restful) {
            out.push(format!("?{kind}/{id}"));
        }
    }
    out
}

/// `http://x/fhir/Observation/1` → `http://x/fhir/`.
fn server_base(full_url: &str) -> Option<&str> {
    if !full_url.contains("://") {
        return None;
    }
    let (t, id) = type_and_id(full_url)?;
    full_url.strip_suffix(&format!("{t}/{id}"))
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
}
