//! Specimen laboratory orders and results.

use super::{Clinician, Code, Timestamp};
use serde::{Deserialize, Serialize};

/// The abnormal flag as a person acts on it; the sent code is kept beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbnormalFlag {
    High,
    Low,
    CriticalHigh,
    CriticalLow,
    Abnormal,
    Normal,
}

impl AbnormalFlag {
    /// `H`, `L`, `HH`, `LL`, `A`, or empty for normal.
    pub fn mark(self) -> &'static str {
        match self {
            AbnormalFlag::High => "H",
            AbnormalFlag::Low => "L",
            AbnormalFlag::CriticalHigh => "HH",
            AbnormalFlag::CriticalLow => "LL",
            AbnormalFlag::Abnormal => "A",
            AbnormalFlag::Normal => "",
        }
    }
}

/// One test result. The value is kept exactly as sent; `number` only when it is a plain number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabResult {
    /// The test: JLAC10 (`JC10`) or LOINC when sent, else the local code.
    pub test: Code,
    /// The hospital's own code for the same test, when sent beside the standard one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_test: Option<Code>,
    /// HL7 value type (`NM`, `ST`, `CWE` ...) or FHIR value[x] type.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value_type: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Reference range as sent (`6.70-8.3`, `<85`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub range: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_high: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<AbnormalFlag>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub flag_code: String,
    /// Result status as sent (`F` final, `P` preliminary, `C` corrected ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub result_status: String,
    /// Groups rows that belong together (a microbiology organism and its counts).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specimen: Option<Code>,
    /// The panel or battery (OBR-4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_no: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
}

impl LabResult {
    pub fn new(test: Code, value: String) -> Self {
        Self {
            test,
            local_test: None,
            value_type: String::new(),
            number: super::code::parse_number(&value),
            value,
            unit: String::new(),
            range: String::new(),
            range_low: None,
            range_high: None,
            flag: None,
            flag_code: String::new(),
            result_status: String::new(),
            sub_id: String::new(),
            specimen: None,
            battery: None,
            collected: None,
            reported: None,
            order_no: String::new(),
            comments: Vec::new(),
        }
    }

    pub fn summary(&self) -> String {
        let mut s = format!("{} {}", self.test.display(), self.value);
        if !self.unit.is_empty() {
            s.push_str(&format!(" {}", self.unit));
        }
        if let Some(f) = self.flag.filter(|f| *f != AbnormalFlag::Normal) {
            s.push_str(&format!(" {}", f.mark()));
        }
        if !self.range.is_empty() {
            s.push_str(&format!(" (基準値 {})", self.range));
        }
        if let Some(t) = self.collected.or(self.reported) {
            s.push_str(&format!(" {}", t.shown()));
        }
        s
    }
}

/// A specimen test order (what was asked for, before results exist).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LabOrder {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specimen: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery: Option<Code>,
    pub tests: Vec<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orderer: Option<Clinician>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Code>,
}

impl LabOrder {
    pub fn summary(&self) -> String {
        let tests: Vec<&str> = self.tests.iter().map(Code::display).collect();
        let mut s = String::from("検査オーダ");
        if let Some(sp) = &self.specimen {
            s.push_str(&format!(" [{}]", sp.display()));
        }
        s.push_str(&format!(" {}", tests.join("、")));
        s
    }
}
