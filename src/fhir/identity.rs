//! Which Patient resources of a snapshot are one person, and the patient ID each person gets.
//!
//! A Bundle's `urn:uuid:` fullUrl names an entry inside that Bundle only: independent Bundles
//! (a referral letter from another hospital beside this hospital's export) reuse them for
//! different people. So Patient resources are one person only when
//! - a business identifier matches (system and value, the system not empty),
//! - an identifier equals an SS-MIX2 patient ID of the snapshot (JP Core patient system,
//!   MR-typed or without a system), so both formats meet under that ID,
//! - outside any Bundle (NDJSON lines, single-resource files: one export is one server) the
//!   `Patient/id` is the same, or
//! - the fullUrl is the same RESTful (`http(s)://`) URL, which names one server's resource.

use super::refs::{JP_PATIENT_ID_SYSTEM, PatientId, PatientKeys};
use super::scan::bundle_of;
use std::collections::{HashMap, HashSet};

/// One Patient resource as pass one found it.
pub struct Occurrence {
    pub place: String,
    pub keys: PatientKeys,
}

/// An identifier that may carry the local (SS-MIX2) patient ID.
pub fn is_local(i: &PatientId) -> bool {
    i.system.starts_with(JP_PATIENT_ID_SYSTEM) || i.system.is_empty() || i.mr
}

/// `http://x/fhir/Patient/1/_history/2` → `http://x/fhir/Patient/1`.
pub fn strip_history(url: &str) -> &str {
    match url.find("/_history/") {
        Some(i) => &url[..i],
        None => url,
    }
}

fn links(o: &Occurrence, ss_ids: &HashSet<String>) -> Vec<String> {
    let k = &o.keys;
    let mut out = Vec::new();
    for i in &k.identifiers {
        if !i.system.is_empty() {
            out.push(format!("id:{}|{}", i.system, i.value));
        }
        if is_local(i) && ss_ids.contains(&i.value) {
            out.push(format!("ss:{}", i.value));
        }
    }
    if bundle_of(&o.place).is_none()
        && let Some(id) = &k.id
    {
        out.push(format!("ref:Patient/{id}"));
    }
    if let Some(u) = k.full_url.as_deref().filter(|u| u.contains("://")) {
        out.push(format!("url:{}", strip_history(u)));
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The patient ID of every occurrence (same order), `None` when a Patient carries nothing
/// to name it by. Occurrences are in listing order; the first person to claim an ID keeps it,
/// a later different person with the same preferred ID takes its next candidate (the
/// identifier with its system), so two people never share an ID.
pub fn assign(occurrences: &[Occurrence], ss_ids: &HashSet<String>) -> Vec<Option<String>> {
    let n = occurrences.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, o) in occurrences.iter().enumerate() {
        for l in links(o, ss_ids) {
            match first.get(&l) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    // The earlier occurrence stays the root, so groups keep listing order.
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    first.insert(l, i);
                }
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = find(&mut parent, i);
        members[r].push(i);
    }
    let mut taken: HashSet<String> = ss_ids.clone();
    let mut out = vec![None; n];
    for (root, group) in members.iter().enumerate() {
        if group.is_empty() {
            continue;
        }
        let keys: Vec<&PatientKeys> = group.iter().map(|&i| &occurrences[i].keys).collect();
        let pid = decide(&keys, ss_ids, &mut taken);
        debug_assert_eq!(group.first(), Some(&root));
        for &i in group {
            out[i] = pid.clone();
        }
    }
    out
}

/// The candidates for a person's patient ID, best first: an SS-MIX2 patient ID it carries;
/// the JP Core patient ID; an MR number or an identifier without a system; an identifier with
/// its system; the resource id; the fullUrl.
fn candidates(keys: &[&PatientKeys]) -> Vec<String> {
    let ids = || keys.iter().flat_map(|k| k.identifiers.iter());
    let mut out: Vec<String> = Vec::new();
    out.extend(
        ids()
            .filter(|i| i.system.starts_with(JP_PATIENT_ID_SYSTEM))
            .map(|i| i.value.clone()),
    );
    out.extend(
        ids()
            .filter(|i| i.mr || i.system.is_empty())
            .map(|i| i.value.clone()),
    );
    out.extend(
        ids()
            .filter(|i| !i.system.is_empty())
            .map(|i| format!("{}|{}", i.system, i.value)),
    );
    out.extend(keys.iter().filter_map(|k| k.id.clone()));
    out.extend(keys.iter().filter_map(|k| k.full_url.clone()));
    out.retain(|c| !c.is_empty() && !c.starts_with('('));
    out
}

fn decide(keys: &[&PatientKeys], ss_ids: &HashSet<String>, taken: &mut HashSet<String>) -> Option<String> {
    if let Some(i) = keys
        .iter()
        .flat_map(|k| k.identifiers.iter())
        .find(|i| is_local(i) && ss_ids.contains(&i.value))
    {
        return Some(i.value.clone());
    }
    let cands = candidates(keys);
    let pick = match cands.iter().find(|c| !taken.contains(*c)) {
        Some(c) => c.clone(),
        None => {
            let base = cands.first()?;
            (2..)
                .map(|n| format!("{base}~{n}"))
                .find(|c| !taken.contains(c))
                .unwrap_or_default()
        }
    };
    taken.insert(pick.clone());
    Some(pick)
}

/// The patient ID of a Patient that pass one did not see (a contained Patient): decided from
/// its own keys, the same way, without claiming it.
pub fn decide_alone(keys: &PatientKeys, ss_ids: &HashSet<String>) -> Option<String> {
    let mut taken = HashSet::new();
    decide(&[keys], ss_ids, &mut taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(place: &str, url: Option<&str>, id: Option<&str>, idents: &[(&str, &str)]) -> Occurrence {
        Occurrence {
            place: place.into(),
            keys: PatientKeys {
                id: id.map(str::to_string),
                full_url: url.map(str::to_string),
                identifiers: idents
                    .iter()
                    .map(|(s, v)| PatientId {
                        system: s.to_string(),
                        value: v.to_string(),
                        mr: false,
                    })
                    .collect(),
            },
        }
    }

    const A: &str = "urn:oid:1.2.392.100495.20.3.51.11234567890";
    const B: &str = "urn:oid:1.2.392.100495.20.3.51.19876543210";

    #[test]
    fn same_urn_different_identifiers_are_two_people() {
        let o = [
            occ("entry[0]", Some("urn:uuid:1"), Some("p"), &[(A, "100")]),
            occ("entry[0]", Some("urn:uuid:1"), Some("p"), &[(B, "200")]),
        ];
        let ids = assign(&o, &HashSet::new());
        assert_eq!(ids, vec![Some("100".into()), Some("200".into())]);
    }

    #[test]
    fn same_value_other_institution_gets_its_system() {
        let o = [
            occ("entry[0]", Some("urn:uuid:1"), None, &[(A, "100")]),
            occ("entry[0]", Some("urn:uuid:1"), None, &[(B, "100")]),
            occ("entry[1]", Some("urn:uuid:9"), None, &[(A, "100")]),
        ];
        let ids = assign(&o, &HashSet::new());
        assert_eq!(ids[0].as_deref(), Some("100"));
        assert_eq!(ids[1], Some(format!("{B}|100")));
        assert_eq!(
            ids[2].as_deref(),
            Some("100"),
            "same system and value: same person"
        );
    }

    #[test]
    fn ndjson_lines_with_one_id_are_one_person_and_ss_mix2_ids_win() {
        let ss: HashSet<String> = ["9999013".to_string()].into_iter().collect();
        let o = [
            occ("line 1", None, Some("x"), &[]),
            occ("line 7", None, Some("x"), &[(A, "9999013")]),
            occ("entry[2]", Some("urn:uuid:5"), Some("x"), &[]),
        ];
        let ids = assign(&o, &ss);
        assert_eq!(ids[0].as_deref(), Some("9999013"));
        assert_eq!(ids[1].as_deref(), Some("9999013"));
        // Inside a Bundle the resource id links nothing; "x" is free, so it is this one's.
        assert_eq!(ids[2].as_deref(), Some("x"));
    }

    #[test]
    fn ss_mix2_id_is_never_taken_by_someone_else() {
        let ss: HashSet<String> = ["500".to_string()].into_iter().collect();
        let o = [occ("", None, Some("500"), &[("http://other/ids", "7")])];
        let ids = assign(&o, &ss);
        assert_eq!(ids[0].as_deref(), Some("http://other/ids|7"));
    }
}
