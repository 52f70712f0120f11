//! Resources without a mapping: kept whole as JSON text, filed under their patient when they
//! name one, listed in the report as unmapped.

use super::{Ctx, Mapped};
use crate::fhir::refs::PatientRef;
use crate::model::{Clinical, RawRecord, RecordStatus};
use lifeboat_fhir_parse::Resource;
use serde_json::Value;

/// Fields that name the patient in resources we do not map (R4 uses these names).
const PATIENT_FIELDS: &[&str] = &["subject", "patient", "beneficiary", "for"];
/// Fields that date a resource, in order of preference.
const DATE_FIELDS: &[&str] = &[
    "effectiveDateTime",
    "authoredOn",
    "occurrenceDateTime",
    "whenHandedOver",
    "date",
    "recorded",
    "created",
    "issued",
];

pub fn map(res: &Resource, ctx: &Ctx, reason: &str) -> Mapped {
    let resource_type = lifeboat_fhir_parse::resource_type(res);
    let (text, value) = match lifeboat_fhir_parse::to_json(res) {
        Ok(t) => {
            let v = serde_json::from_str::<Value>(&t).unwrap_or(Value::Null);
            (t, v)
        }
        Err(e) => (
            format!("(could not write the resource back as JSON: {e})"),
            Value::Null,
        ),
    };
    let resolved = PATIENT_FIELDS
        .iter()
        .find_map(|f| value.get(*f))
        .map(|r| {
            let reference = r.get("reference").and_then(Value::as_str);
            let ident = r.get("identifier").and_then(|i| {
                Some((
                    i.get("system").and_then(Value::as_str).unwrap_or(""),
                    i.get("value").and_then(Value::as_str)?,
                ))
            });
            if reference.is_some_and(|x| x.starts_with('#')) {
                // Contained patients are rare outside mapped types; the reference stays in the text.
                PatientRef::None
            } else if reference.is_none() && ident.is_none() {
                PatientRef::None
            } else {
                ctx.index.resolve(ctx.at(), reference, ident)
            }
        })
        .unwrap_or(PatientRef::None);
    let (patient, problems) = ctx.settle(resolved);
    let time = DATE_FIELDS
        .iter()
        .find_map(|f| value.get(*f).and_then(Value::as_str))
        .or_else(|| value.pointer("/period/start").and_then(Value::as_str))
        .and_then(crate::fhir::time::parse);
    let id = res.id().and_then(|i| i.value.clone());
    let raw = RawRecord {
        source_type: format!("FHIR {resource_type}"),
        reason: reason.to_string(),
        text,
        time,
    };
    let rec = ctx.record(
        patient,
        resource_type,
        id.as_deref(),
        res.meta(),
        RecordStatus::Current,
        Clinical::Raw(raw),
    );
    Mapped {
        records: vec![rec],
        problems,
        interpreted: false,
    }
}
