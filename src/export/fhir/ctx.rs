//! What every mapper needs: how to name the patient and other resources, and the export time.

use super::ids;
use super::types::Obj;
use crate::model::Clinician;
use chrono::NaiveDateTime;
use serde_json::{Value, json};

/// How resources point at each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefStyle {
    /// `Patient/0000010003`, resolved across the files of a Bulk Data export.
    Relative,
    /// `urn:uuid:...`, resolved against the `fullUrl`s of one Bundle.
    Urn,
}

/// One resource ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub resource_type: &'static str,
    pub id: String,
    pub json: Value,
}

/// The context of one patient's export.
pub struct Ctx<'a> {
    /// The snapshot's patient ID (the JP Core patient identifier value).
    pub patient_id: &'a str,
    /// The reference every resource of this patient uses for its subject.
    pub patient_ref: String,
    pub style: RefStyle,
    /// 10-digit medical institution code, for the JP Core patient identifier system.
    pub institution: &'a str,
    /// When the snapshot was taken: orders that ended before it are `completed`.
    pub as_of: Option<NaiveDateTime>,
    /// The patient's records come from training data: every resource is tagged `TRAIN`.
    pub drill: bool,
}

impl Ctx<'_> {
    /// A reference to another resource of this export.
    pub fn reference(&self, resource_type: &str, id: &str) -> String {
        match self.style {
            RefStyle::Relative => format!("{resource_type}/{id}"),
            RefStyle::Urn => format!("urn:uuid:{}", ids::uuid(resource_type, id)),
        }
    }

    pub fn subject(&self) -> Value {
        json!({"reference": self.patient_ref})
    }

    /// A person named by the source: the display name, and the staff id under the JP Core
    /// practitioner id system of the institution (`…20.3.41.1` + institution code).
    pub fn person(&self, c: &Clinician) -> Option<Value> {
        if c.name.is_empty() && c.id.is_empty() {
            return None;
        }
        let ident = (!c.id.is_empty()).then(|| {
            json!({"system": format!("urn:oid:1.2.392.100495.20.3.41.1{}", self.institution), "value": c.id})
        });
        Some(
            Obj::new()
                .text("display", c.display())
                .opt("identifier", ident)
                .build(),
        )
    }

    /// `completed` when `end` is before the export time, else `active`.
    pub fn order_status(&self, end: Option<NaiveDateTime>) -> &'static str {
        match (end, self.as_of) {
            (Some(end), Some(now)) if end < now => "completed",
            _ => "active",
        }
    }
}

#[cfg(test)]
pub fn test_ctx() -> Ctx<'static> {
    Ctx {
        patient_id: "0000010003",
        patient_ref: "Patient/0000010003".into(),
        style: RefStyle::Relative,
        institution: "2219999999",
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).and_then(|d| d.and_hms_opt(23, 0, 0)),
        drill: false,
    }
}
