//! Vaccinations given (or recorded as not given).

use super::{Clinician, Code, Quantity, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Immunization {
    pub vaccine: Code,
    /// Status as sent (`completed`, `not-done` ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// Recorded as not given (status `not-done`): shown, never read as a vaccination.
    #[serde(default)]
    pub not_given: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred: Option<Timestamp>,
    /// The time as free text when no date was given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub occurred_text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lot: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performer: Option<Clinician>,
    /// Dose number in the series, as sent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dose_number: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Immunization {
    pub fn summary(&self) -> String {
        let mut s = format!("[予防接種] {}", self.vaccine.display());
        if !self.dose_number.is_empty() {
            s.push_str(&format!(" 第{}回", self.dose_number));
        }
        if let Some(d) = &self.dose {
            s.push_str(&format!(" {}", d.display()));
        }
        if !self.lot.is_empty() {
            s.push_str(&format!(" ロット:{}", self.lot));
        }
        if self.not_given {
            s.push_str("（未実施）");
        }
        if self.occurred.is_none() && !self.occurred_text.is_empty() {
            s.push_str(&format!(" {}", self.occurred_text));
        }
        s
    }
}
