//! Patient demographics.

use super::{Quantity, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
    Other,
    #[default]
    Unknown,
}

impl Sex {
    pub fn label_ja(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
            Sex::Other => "その他",
            Sex::Unknown => "不明",
        }
    }
}

/// A name in one script (kanji or kana). Either part may be missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub family: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub given: String,
}

impl PersonName {
    /// Family and given name separated by a space, as Japanese charts print them.
    pub fn full(&self) -> String {
        match (self.family.is_empty(), self.given.is_empty()) {
            (false, false) => format!("{} {}", self.family, self.given),
            (false, true) => self.family.clone(),
            _ => self.given.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.family.is_empty() && self.given.is_empty()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postal_code: String,
    pub text: String,
    /// HL7 address type / FHIR use: `H` home, `B` business ...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// `PRN` home, `WPN` work, `EMR` emergency, or a FHIR use.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    pub number: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BloodType {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub abo: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rh: String,
}

impl BloodType {
    /// `A型 Rh(+)`, `O型`, or empty.
    pub fn display(&self) -> String {
        let mut s = String::new();
        if !self.abo.is_empty() {
            s.push_str(&self.abo);
            if !self.abo.ends_with('型') {
                s.push('型');
            }
        }
        if !self.rh.is_empty() {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&self.rh);
        }
        s
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    /// The snapshot's patient ID.
    pub id: String,
    /// Every other identifier the source sent (FHIR identifiers, PID-3 when it differs ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_kanji: Option<PersonName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_kana: Option<PersonName>,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blood_type: Option<BloodType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Quantity>,
    /// When the source last changed these demographics (PID-33).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Date of death, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deceased: Option<Timestamp>,
}

impl Patient {
    pub fn summary(&self) -> String {
        let kanji = self.name_kanji.as_ref().map(PersonName::full).unwrap_or_default();
        let kana = self.name_kana.as_ref().map(PersonName::full).unwrap_or_default();
        let birth = self.birth_date.map(|b| b.to_iso()).unwrap_or_default();
        format!("{} {kanji}（{kana}） {} {birth}", self.id, self.sex.label_ja())
    }
}
