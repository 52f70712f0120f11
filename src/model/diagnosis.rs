//! Diagnoses (problem list).

use super::{Code, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The name as the doctor recorded it, with prefix/suffix modifiers applied.
    pub name: String,
    /// MEDIS 病名管理番号 (`MDCDX2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medis: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icd10: Option<Code>,
    /// 疑い病名.
    #[serde(default)]
    pub suspected: bool,
    /// 主病名.
    #[serde(default)]
    pub main: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosed: Option<Timestamp>,
    /// Outcome (転帰): 治癒, 死亡, 中止, 回復せず ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_date: Option<Timestamp>,
    /// The date the problem ended, when it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Timestamp>,
    /// Setting of the diagnosis (外来時, 入院時, 退院時 ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Code>,
    /// The source's id for this problem, stable across versions.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instance_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<Timestamp>,
}

impl Diagnosis {
    /// Still a problem: not resolved and no ending outcome.
    pub fn is_active(&self) -> bool {
        self.resolved.is_none() && !self.outcome.as_ref().is_some_and(outcome_ends_problem)
    }

    pub fn summary(&self) -> String {
        let mut s = self.name.clone();
        if self.suspected && !s.contains("疑い") {
            s.push_str("（疑い）");
        }
        if self.main {
            s.push_str(" [主病名]");
        }
        if let Some(icd) = &self.icd10 {
            s.push_str(&format!(" ICD-10:{}", icd.code));
        }
        if let Some(d) = self.onset.or(self.diagnosed) {
            s.push_str(&format!(" 開始:{d}"));
        }
        if let Some(o) = &self.outcome {
            s.push_str(&format!(" 転帰:{}", o.display()));
        }
        if let Some(r) = self.resolved {
            s.push_str(&format!(" 終了:{r}"));
        }
        s
    }
}

/// HL7 table 0241 / JAHIS outcomes that end a problem; `N` (not recovered) and an empty
/// outcome keep it active.
fn outcome_ends_problem(outcome: &Code) -> bool {
    matches!(
        outcome.code.as_str(),
        "R" | "D" | "F" | "C" | "resolved" | "inactive" | "remission"
    ) || ["治癒", "死亡", "中止", "寛解", "軽快"]
        .iter()
        .any(|w| outcome.text.contains(w))
}
