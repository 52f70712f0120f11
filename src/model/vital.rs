//! Vital signs: blood pressure, pulse, temperature, respiration, SpO2, height, weight, BMI.
//!
//! Kept apart from specimen lab results because they are read apart: a ward flowsheet rather
//! than the cumulative lab table, and blood pressure is one reading made of two numbers.

use super::{AbnormalFlag, Code, Timestamp};
use serde::{Deserialize, Serialize};

/// One number of a reading (systolic, diastolic ...), kept as sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VitalComponent {
    pub name: Code,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vital {
    /// What was measured (LOINC `8867-4` heart rate ...).
    pub sign: Code,
    /// The value as sent; empty when the reading is only its components (blood pressure).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<VitalComponent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<AbnormalFlag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Timestamp>,
}

impl Vital {
    /// `120/80 mmHg` for blood pressure, `36.8 Cel` otherwise.
    pub fn reading(&self) -> String {
        if !self.value.is_empty() || self.components.is_empty() {
            return if self.unit.is_empty() {
                self.value.clone()
            } else {
                format!("{} {}", self.value, self.unit)
            };
        }
        let values: Vec<&str> = self.components.iter().map(|c| c.value.as_str()).collect();
        let unit = self.components.first().map(|c| c.unit.as_str()).unwrap_or("");
        let joined = values.join("/");
        if unit.is_empty() {
            joined
        } else {
            format!("{joined} {unit}")
        }
    }

    pub fn summary(&self) -> String {
        let mut s = format!("[バイタル] {} {}", self.sign.display(), self.reading());
        if let Some(f) = self.flag.filter(|f| *f != AbnormalFlag::Normal) {
            s.push_str(&format!(" {}", f.mark()));
        }
        s
    }
}
