//! Small conversions from fhirbolt's R4 types to model values.

use crate::fhir::time;
use crate::model::{Code, Quantity, Timestamp};
use lifeboat_fhir_parse::fhirbolt::model::r4::types as t;

/// fhirbolt primitives keep their value as `Option<String>`.
pub trait Prim {
    fn get(&self) -> Option<&str>;
}

macro_rules! prim {
    ($($ty:ident),*) => {$(
        impl Prim for t::$ty {
            fn get(&self) -> Option<&str> {
                self.value.as_deref()
            }
        }
    )*};
}
prim!(
    String,
    Code,
    Uri,
    Url,
    Canonical,
    DateTime,
    Date,
    Instant,
    Markdown,
    Id,
    Oid,
    Uuid,
    Time,
    Base64Binary,
    Decimal
);

/// The value of an optional primitive, or "".
pub fn s<P: Prim>(p: &Option<P>) -> std::string::String {
    p.as_ref().and_then(|v| v.get()).unwrap_or_default().to_string()
}

pub fn opt<P: Prim>(p: &Option<P>) -> Option<std::string::String> {
    p.as_ref()
        .and_then(|v| v.get())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

pub fn ts<P: Prim>(p: &Option<P>) -> Option<Timestamp> {
    p.as_ref().and_then(|v| v.get()).and_then(time::parse)
}

pub fn coding(c: &t::Coding) -> Code {
    Code::new(s(&c.code), s(&c.display), s(&c.system))
}

/// A concept as one code: the text a person reads (concept text, else the first display),
/// with the first coding's code and system.
pub fn concept(c: &t::CodeableConcept) -> Code {
    let first = c.coding.first();
    let text = opt(&c.text)
        .or_else(|| c.coding.iter().find_map(|k| opt(&k.display)))
        .unwrap_or_default();
    Code::new(
        first.map(|k| s(&k.code)).unwrap_or_default(),
        text,
        first.map(|k| s(&k.system)).unwrap_or_default(),
    )
}

pub fn concept_opt(c: &Option<Box<t::CodeableConcept>>) -> Option<Code> {
    c.as_deref().map(concept).filter(|c| !c.is_empty())
}

/// Every coding of a concept as its own code (for alternative code systems).
pub fn codings(c: &t::CodeableConcept) -> Vec<Code> {
    c.coding.iter().map(coding).collect()
}

/// The first coding whose system contains any of `systems` (OID and URL forms differ).
pub fn coding_in<'a>(c: &'a t::CodeableConcept, systems: &[&str]) -> Option<&'a t::Coding> {
    c.coding.iter().find(|k| {
        let sys = k.system.as_ref().and_then(|v| v.get()).unwrap_or("");
        systems.iter().any(|x| sys.contains(x))
    })
}

/// `value comparator unit` as sent, e.g. `< 5 mg/dL`.
pub fn quantity(q: &t::Quantity) -> Quantity {
    let mut value = s(&q.value);
    if let Some(c) = opt(&q.comparator) {
        value = format!("{c}{value}");
    }
    let unit = opt(&q.unit).or_else(|| opt(&q.code)).unwrap_or_default();
    let mut out = Quantity::new(value, unit);
    if q.comparator.is_some() {
        out.number = None;
    }
    out
}

pub fn period_start_end(p: &Option<Box<t::Period>>) -> (Option<Timestamp>, Option<Timestamp>) {
    match p.as_deref() {
        Some(p) => (ts(&p.start), ts(&p.end)),
        None => (None, None),
    }
}

/// Text of annotations (notes), one string each.
pub fn notes(n: &[t::Annotation]) -> Vec<std::string::String> {
    n.iter()
        .filter_map(|a| a.text.get().map(str::to_string))
        .collect()
}

/// The first code of a concept's codings, lower-cased (status concepts such as
/// clinicalStatus).
pub fn status_code(c: &Option<Box<t::CodeableConcept>>) -> std::string::String {
    c.as_deref()
        .and_then(|c| c.coding.iter().find_map(|k| opt(&k.code)))
        .unwrap_or_default()
        .to_ascii_lowercase()
}
