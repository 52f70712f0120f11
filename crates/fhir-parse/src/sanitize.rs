//! Works around fhirbolt 0.4 looping forever (Lax mode) on a JSON key it does not know whose
//! value is an array, and panicking on an empty array under a key it knows: its element map
//! access keeps returning the same key until the value is taken, and Lax mode never takes the
//! value of an unknown key (found by fuzzing, `fuzz/` target `fhir`).
//!
//! Before fhirbolt sees a resource, array values are removed when they are empty (FHIR JSON
//! never has empty arrays) or when their key is no element name anywhere in R4 (so Lax mode
//! would have ignored them anyway). Not covered: an R4 element name used as an array inside a
//! type that does not have it; that still needs fhirbolt fixed.

use serde_json::Value;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Every JSON key fhirbolt's R4 deserializers know (from its generated `serde(rename)`s).
fn known() -> &'static HashSet<&'static str> {
    static KNOWN: OnceLock<HashSet<&'static str>> = OnceLock::new();
    KNOWN.get_or_init(|| include_str!("known_keys.txt").lines().collect())
}

/// The JSON with the offending arrays removed, or `None` when there are none (or when it is
/// not JSON at all: fhirbolt then reports the syntax error itself).
pub fn json(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    if !clean(&mut value) {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

/// Removes offending arrays under `value`; true when something was removed.
fn clean(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => {
            let before = map.len();
            map.retain(|k, v| !matches!(v, Value::Array(a) if a.is_empty() || !known().contains(k.as_str())));
            let mut changed = map.len() != before;
            for v in map.values_mut() {
                changed |= clean(v);
            }
            changed
        }
        Value::Array(items) => items.iter_mut().fold(false, |changed, v| clean(v) | changed),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_empty_arrays_go_known_ones_stay() {
        let input = br#"{"resourceType":"Patient","foo":[{"url":"a"}],"name":[{"given":["A"],"bar":[1]}],"identifier":[],"x":{"y":1},"birthDate":"1948-03-02"}"#;
        let out = json(input).expect("changed");
        let v: Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(
            v,
            serde_json::json!({"resourceType":"Patient","name":[{"given":["A"]}],"x":{"y":1},"birthDate":"1948-03-02"})
        );
        assert!(json(br#"{"resourceType":"Patient","name":[{"given":["A"]}]}"#).is_none());
    }

    #[test]
    fn decimals_keep_their_precision() {
        let out = json(br#"{"resourceType":"Observation","valueQuantity":{"value":1.50},"z":[]}"#)
            .expect("changed");
        assert!(String::from_utf8_lossy(&out).contains("1.50"));
    }
}
