//! Diet orders.

use super::{Clinician, Code, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DietOrder {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_no: String,
    /// Diet codes (ODS-3), one per repetition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diets: Vec<Code>,
    /// Free-text instructions (ODS-4): 塩分控えめ ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instructions: Vec<String>,
    /// Meals or frequency (TQ1-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orderer: Option<Clinician>,
}

impl DietOrder {
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self.diets.iter().map(|d| d.display().to_string()).collect();
        parts.extend(self.instructions.iter().cloned());
        let mut s = format!("食事: {}", parts.join(" / "));
        if let Some(f) = &self.frequency {
            s.push_str(&format!(" {}", f.display()));
        }
        if let Some(t) = self.start {
            s.push_str(&format!(" 開始:{}", t.shown()));
        }
        s
    }
}
