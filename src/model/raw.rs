//! The fallback: a message or resource we keep and show as source text but do not interpret.

use super::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RawRecord {
    /// What the source called it (`ADT-02`, `ADT^A99`, `Immunization` ...).
    pub source_type: String,
    /// Why it was not mapped.
    pub reason: String,
    /// The decoded source text, segments separated by newlines.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
}

impl RawRecord {
    pub fn summary(&self) -> String {
        format!("{}（{}）", self.source_type, self.reason)
    }
}
