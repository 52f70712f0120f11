//! FHIR data types built from model values: dateTime and instant, decimals kept as written,
//! Coding, CodeableConcept, Quantity, Period, and a small builder that leaves out empty fields.

use super::systems;
use crate::model::{Code, Precision, Quantity, Timestamp};
use serde_json::{Map, Value, json};

/// Hospital records are Japan Standard Time; FHIR wants the zone whenever a time is given.
pub const ZONE: &str = "+09:00";

/// FHIR `dateTime` at the precision the model has. FHIR requires seconds once a time is
/// given, so a time sent to the minute is written with `:00`.
pub fn date_time(t: Timestamp) -> String {
    match t.precision() {
        Precision::Year | Precision::Month | Precision::Day => t.to_iso(),
        Precision::Minute => format!("{}:00{ZONE}", t.to_iso()),
        Precision::Second | Precision::Millisecond => format!("{}{ZONE}", t.to_iso()),
    }
}

/// FHIR `instant` (always to the second, with the zone); a date alone becomes its midnight.
pub fn instant(t: Timestamp) -> String {
    match t.precision() {
        Precision::Second | Precision::Millisecond => format!("{}{ZONE}", t.to_iso()),
        _ => format!("{}{ZONE}", t.value().format("%Y-%m-%dT%H:%M:%S")),
    }
}

/// FHIR `date`: year, month or day, never a time.
pub fn date(t: Timestamp) -> String {
    match t.precision() {
        Precision::Year | Precision::Month | Precision::Day => t.to_iso(),
        _ => t.date().format("%Y-%m-%d").to_string(),
    }
}

/// A model value as a FHIR decimal, keeping its text (`3.60` stays `3.60`: serde_json's
/// `arbitrary_precision` is on, see Cargo.toml). `None` unless it is a plain JSON number.
pub fn decimal(s: &str) -> Option<Value> {
    let s = s.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let int_ok =
        int == "0" || (!int.is_empty() && !int.starts_with('0') && int.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !int_ok || !frac_ok {
        return None;
    }
    serde_json::from_str::<serde_json::Number>(s)
        .ok()
        .map(Value::Number)
}

/// Comparators FHIR Quantity knows, longest first.
const COMPARATORS: [&str; 4] = ["<=", ">=", "<", ">"];

/// `{value, unit}`, with a comparator for `<0.5`. `None` when the value is not a number.
pub fn quantity(q: &Quantity) -> Option<Value> {
    let v = q.value.trim();
    let (comparator, rest) = COMPARATORS
        .iter()
        .find_map(|c| v.strip_prefix(c).map(|r| (Some(*c), r)))
        .unwrap_or((None, v));
    let value = decimal(rest)?;
    Some(
        Obj::new()
            .set("value", value)
            .opt("comparator", comparator)
            .text("unit", &q.unit)
            .build(),
    )
}

/// One Coding. Empty parts are left out.
pub fn coding(c: &Code) -> Value {
    Obj::new()
        .opt("system", systems::uri(&c.system, &c.code))
        .text("code", &c.code)
        .text("display", &c.text)
        .build()
}

/// A CodeableConcept from codes (those with a code become codings) and the text a person reads.
pub fn concept_of(codes: &[&Code], text: &str) -> Value {
    Obj::new()
        .list(
            "coding",
            codes
                .iter()
                .filter(|c| !c.code.is_empty())
                .map(|c| coding(c))
                .collect(),
        )
        .text("text", text)
        .build()
}

/// A CodeableConcept of one code, its text as the concept text.
pub fn concept(c: &Code) -> Value {
    concept_of(&[c], &c.text)
}

/// A CodeableConcept with one coding of a fixed system (status and category concepts).
pub fn fixed(system: &str, code: &str) -> Value {
    json!({"coding": [{"system": system, "code": code}]})
}

pub fn period(start: Option<Timestamp>, end: Option<Timestamp>) -> Option<Value> {
    if start.is_none() && end.is_none() {
        return None;
    }
    Some(
        Obj::new()
            .opt("start", start.map(date_time))
            .opt("end", end.map(date_time))
            .build(),
    )
}

/// `meta.lastUpdated` from when the source wrote the record.
/// `meta`: when the source wrote it, and for training data the v3-ActReason `TRAIN` tag, so
/// that a drill stays a drill in any FHIR reader ([`crate::chart::mode`]).
pub fn meta(written: Option<Timestamp>, drill: bool) -> Option<Value> {
    let mut m = serde_json::Map::new();
    if let Some(t) = written {
        m.insert("lastUpdated".into(), json!(instant(t)));
    }
    if drill {
        m.insert(
            "tag".into(),
            json!([{"system": crate::chart::mode::ACT_REASON, "code": "TRAIN", "display": "training"}]),
        );
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// Builds a JSON object, leaving out what is empty, in insertion order (serde_json
/// `preserve_order`), so resources read in the order FHIR lists their elements.
#[derive(Default)]
pub struct Obj(Map<String, Value>);

impl Obj {
    pub fn new() -> Self {
        Self::default()
    }

    /// `resourceType` and `id`, the start of every resource.
    pub fn resource(resource_type: &str, id: &str) -> Self {
        Self::new().set("resourceType", resource_type).set("id", id)
    }

    pub fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.to_string(), value.into());
        self
    }

    pub fn opt(self, key: &str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// A string, only when it is not empty.
    pub fn text(self, key: &str, value: &str) -> Self {
        if value.is_empty() {
            self
        } else {
            self.set(key, value)
        }
    }

    /// A list, only when it is not empty.
    pub fn list(self, key: &str, values: Vec<Value>) -> Self {
        if values.is_empty() {
            self
        } else {
            self.set(key, Value::Array(values))
        }
    }

    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse_iso(s).unwrap_or_else(|| panic!("bad test timestamp {s}"))
    }

    #[test]
    fn times_keep_their_precision_with_the_zone() {
        assert_eq!(date_time(ts("1952-01")), "1952-01");
        assert_eq!(date_time(ts("2026-05-04")), "2026-05-04");
        assert_eq!(date_time(ts("2026-11-18T10:45")), "2026-11-18T10:45:00+09:00");
        assert_eq!(
            date_time(ts("2026-11-18T10:45:05.123")),
            "2026-11-18T10:45:05.123+09:00"
        );
        assert_eq!(instant(ts("2026-05-04")), "2026-05-04T00:00:00+09:00");
        assert_eq!(instant(ts("2026-11-18T10:45")), "2026-11-18T10:45:00+09:00");
        assert_eq!(date(ts("2026-11-18T10:45")), "2026-11-18");
    }

    #[test]
    fn decimals_keep_their_text() {
        let v = decimal("3.60").map(|v| v.to_string());
        assert_eq!(v.as_deref(), Some("3.60"), "arbitrary_precision must be on");
        assert_eq!(decimal("0.05").map(|v| v.to_string()).as_deref(), Some("0.05"));
        assert_eq!(decimal("-14").map(|v| v.to_string()).as_deref(), Some("-14"));
        for bad in ["(2+)", "07", "1.", ".5", "+5", "１２", "", "1e3", "> 100"] {
            assert!(decimal(bad).is_none(), "{bad}");
        }
        let q = quantity(&Quantity::new("<0.5", "mg/dL")).map(|v| v.to_string());
        assert_eq!(
            q.as_deref(),
            Some(r#"{"value":0.5,"comparator":"<","unit":"mg/dL"}"#)
        );
        assert!(quantity(&Quantity::new("(-)", "")).is_none());
    }

    #[test]
    fn concepts_leave_out_empty_parts() {
        let c = Code::new("E119", "", "I10");
        assert_eq!(
            concept(&c),
            json!({"coding": [{"system": systems::ICD10, "code": "E119"}]})
        );
        assert_eq!(concept(&Code::new("", "注射", "")), json!({"text": "注射"}));
    }
}
