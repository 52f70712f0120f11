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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Hash)]
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

/// A further name the record gives besides the main kanji and kana names: a maiden name, an
/// alias, a name in another script (alphabetic, a second kana spelling). Kept as written and
/// searched like the main names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub struct OtherName {
    pub name: PersonName,
    /// What kind of name, as sent: HL7 XPN-7 type (`L` legal, `M` maiden, `A` alias ...) or FHIR
    /// `HumanName.use` (`maiden`, `old`, `nickname` ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The script, as sent: HL7 XPN-8 (`I` ideographic, `P` phonetic, `A` alphabetic) or the FHIR
    /// iso21090-EN-representation (`IDE`, `SYL`, `ABC`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub script: String,
}

impl OtherName {
    /// `旧姓 山田 花子`, as shown beside the main names.
    pub fn label_ja(&self) -> String {
        let kind = match self.kind.as_str() {
            "M" | "maiden" => "旧姓",
            "A" | "nickname" | "anonymous" => "別名",
            "old" => "旧名",
            "usual" => "通称",
            _ => match self.script.as_str() {
                "A" | "ABC" => "ローマ字",
                "P" | "SYL" => "カナ",
                "I" | "IDE" => "漢字",
                _ => "別名",
            },
        };
        format!("{kind} {}", self.name.full())
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

/// Other identifiers kept per patient. A person has a handful; a longer list is broken or
/// hostile (400,000 PID-3 repetitions were seen) and the rest is counted in a warning, so that
/// every later step over the list stays small.
pub const MAX_OTHER_IDS: usize = 100;
/// Other names kept per patient, for the same reason.
pub const MAX_OTHER_NAMES: usize = 100;

/// Adds `item` unless it is already there (`seen` mirrors `list`) or the list is full;
/// `false` when it was dropped for want of room.
pub fn push_distinct<T: Clone + Eq + std::hash::Hash>(
    list: &mut Vec<T>,
    seen: &mut std::collections::HashSet<T>,
    item: T,
    cap: usize,
) -> bool {
    if seen.contains(&item) {
        return true;
    }
    if list.len() >= cap {
        return false;
    }
    seen.insert(item.clone());
    list.push(item);
    true
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
    /// Every further name the record gives (maiden, alias, other scripts), as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<OtherName>,
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
