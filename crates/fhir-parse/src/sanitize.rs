//! Keeps fhirbolt 0.4 from looping forever or panicking on JSON or XML it does not expect.
//!
//! fhirbolt reads a resource in two steps: text → a generic element tree → the typed model. In
//! the second step its element map access hands out a repeated (array) value item by item and
//! only moves to the next key once the model takes the value; in Lax mode the model never takes
//! the value of a key its type does not have, so a repeated unknown element (`"coding": [..]`
//! inside a HumanName, or two `<foo>` in XML) loops forever, and an empty array hits an
//! `unwrap` (found by fuzzing, `fuzz/` target `fhir`).
//!
//! So the tree (the JSON value, or fhirbolt's element tree for XML) is walked with fhirbolt's
//! own schema (`fhirbolt_shared::path::ElementPath`, the one its Strict mode validates with)
//! and every element the R4 type at that place does not have is removed before the typed step. Lax mode would have ignored those elements anyway, so
//! the resource comes out the same; the removed paths are returned so that the reader can say
//! what was not read instead of dropping it silently. A repeated value where R4 allows one (two
//! `gender`s) makes fhirbolt reject the whole resource; the first value is kept and the rest
//! reported, so an AllergyIntolerance does not vanish over a doubled field.
//!
//! JSON is cleaned before fhirbolt builds its element tree, because building it already
//! converts every primitive by the schema and fails on an unknown key holding a number.

use fhirbolt::FhirReleases;
use fhirbolt::element::{Element, Primitive, Value};
use fhirbolt_shared::path::ElementPath;
use serde_json::Value as Json;

pub type R4Element = Element<{ FhirReleases::R4 }>;

/// At most this many distinct removed paths are kept per resource; more are counted.
pub const MAX_REPORTED: usize = 20;

/// Children a primitive (string, date, ...) may have in the element tree.
const PRIMITIVE_CHILDREN: &[&str] = &["id", "extension", "value"];

/// What `clean` removed from one resource.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Distinct FHIRPath-like places (`Patient.name.coding`), first `MAX_REPORTED` only.
    pub paths: Vec<String>,
    /// Every removed element, the reported ones included.
    pub count: usize,
}

impl Removed {
    fn note(&mut self, at: &[String], key: &str, extra_values: Option<usize>) {
        self.count += 1;
        if self.paths.len() < MAX_REPORTED {
            let mut p = at.join(".");
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(key);
            if let Some(n) = extra_values {
                p.push_str(&format!(
                    " ({} values where R4 allows one; the first was read)",
                    n + 1
                ));
            }
            if !self.paths.contains(&p) {
                self.paths.push(p);
            }
        }
    }
}

/// Cleans a JSON resource in place (see the module text). A key `_x` (a primitive's id and
/// extensions) stands where `x` does.
pub fn clean_json(root: &mut Json) -> Removed {
    let mut removed = Removed::default();
    let mut path = ElementPath::new(FhirReleases::R4);
    let mut at = Vec::new();
    if let Json::Object(_) = root {
        walk_json(root, &mut path, &mut at, &mut removed);
    }
    removed
}

fn walk_json(object: &mut Json, path: &mut ElementPath, at: &mut Vec<String>, removed: &mut Removed) {
    let Json::Object(map) = object else { return };
    let resource_type = match map.get("resourceType") {
        Some(Json::String(t)) if path.current_element_is_resource() || path.is_empty() => Some(t.clone()),
        _ => None,
    };
    if let Some(t) = &resource_type {
        path.push(t);
        at.push(t.clone());
    }
    map.retain(|key, value| {
        if resource_type.is_some() && key == "resourceType" {
            return true;
        }
        let name = key.strip_prefix('_').unwrap_or(key);
        if !allowed(path, name) {
            removed.note(at, key, None);
            return false;
        }
        path.push(name);
        at.push(name.to_string());
        let keep = match value {
            Json::Array(items) if items.is_empty() => false,
            Json::Array(items) => {
                if items.len() > 1 && !path.current_element_is_sequence() {
                    removed.note(&at[..at.len() - 1], name, Some(items.len() - 1));
                    items.truncate(1);
                }
                for item in items.iter_mut() {
                    walk_json(item, path, at, removed);
                }
                true
            }
            Json::Object(_) => {
                walk_json(value, path, at, removed);
                true
            }
            _ => true,
        };
        at.pop();
        path.pop();
        keep
    });
    if resource_type.is_some() {
        at.pop();
        path.pop();
    }
}

/// Cleans fhirbolt's element tree of an XML resource in place (see the module text).
pub fn clean(root: &mut R4Element) -> Removed {
    let mut removed = Removed::default();
    let mut path = ElementPath::new(FhirReleases::R4);
    let mut at = Vec::new();
    walk(root, &mut path, &mut at, &mut removed);
    removed
}

fn walk(element: &mut R4Element, path: &mut ElementPath, at: &mut Vec<String>, removed: &mut Removed) {
    // A resource (the root, `contained`, `Bundle.entry.resource` ...) names its type first;
    // the same test fhirbolt makes.
    let resource_type = match element.get("resourceType") {
        Some(Value::Primitive(Primitive::String(t)))
            if path.current_element_is_resource() || path.is_empty() =>
        {
            Some(t.clone())
        }
        _ => None,
    };
    if let Some(t) = &resource_type {
        path.push(t);
        at.push(t.clone());
    }
    element.retain(|key, value| {
        if resource_type.is_some() && key == "resourceType" {
            return true;
        }
        if !allowed(path, key) {
            removed.note(at, key, None);
            return false;
        }
        path.push(key);
        if let Value::Sequence(items) = value {
            if items.is_empty() {
                path.pop();
                return false;
            }
            if items.len() > 1 && !path.current_element_is_sequence() {
                removed.note(at, key, Some(items.len() - 1));
                items.truncate(1);
            }
        }
        at.push(key.clone());
        match value {
            Value::Element(e) => walk(e, path, at, removed),
            Value::Sequence(items) => {
                for e in items.iter_mut() {
                    walk(e, path, at, removed);
                }
            }
            Value::Primitive(_) => {}
        }
        at.pop();
        path.pop();
        true
    });
    if resource_type.is_some() {
        at.pop();
        path.pop();
    }
}

/// Whether R4 defines `key` at `path` (fhirbolt's Strict-mode field check).
fn allowed(path: &ElementPath, key: &str) -> bool {
    if path.current_element_is_primitive() {
        PRIMITIVE_CHILDREN.contains(&key)
    } else {
        path.children().is_some_and(|set| set.contains(key))
    }
}
