//! Allergies and intolerances.

use super::{Code, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllergyCategory {
    /// Drug allergies come first on every screen: they change what may be given.
    Drug,
    Food,
    Environment,
    Pollen,
    Other,
}

impl AllergyCategory {
    pub fn label_ja(self) -> &'static str {
        match self {
            AllergyCategory::Drug => "薬剤",
            AllergyCategory::Food => "食物",
            AllergyCategory::Environment => "環境",
            AllergyCategory::Pollen => "花粉",
            AllergyCategory::Other => "その他",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Allergy {
    pub category: AllergyCategory,
    /// The category as sent (`DA^薬剤アレルギー^HL70127`).
    #[serde(default, skip_serializing_if = "Code::is_empty")]
    pub category_code: Code,
    pub allergen: Code,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Code>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reaction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset: Option<Timestamp>,
    /// Onset as free text when no date was given (`小学校低学年の頃`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub onset_text: String,
    /// The source says this allergy was removed (IAM action `D`).
    #[serde(default)]
    pub removed: bool,
    /// A statement that no allergy is known (FHIR "no known allergy" codes): "none known" must
    /// be told apart from "no data", and is never an allergy.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub none_known: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<Timestamp>,
}

impl Allergy {
    pub fn summary(&self) -> String {
        if self.none_known {
            return format!(
                "[{}] 記録上なし（{}）",
                self.category.label_ja(),
                self.allergen.display()
            );
        }
        let mut s = format!("[{}] {}", self.category.label_ja(), self.allergen.display());
        if let Some(sev) = &self.severity {
            s.push_str(&format!(" 重症度:{}", sev.display()));
        }
        if !self.reaction.is_empty() {
            s.push_str(&format!(" 症状:{}", self.reaction));
        }
        if let Some(o) = self.onset {
            s.push_str(&format!(" 発症:{o}"));
        } else if !self.onset_text.is_empty() {
            s.push_str(&format!(" 発症:{}", self.onset_text));
        }
        if self.removed {
            s.push_str("（削除）");
        }
        s
    }
}
