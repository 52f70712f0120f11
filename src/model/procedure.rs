//! Radiology, endoscopy and physiological examinations: orders and reports.

use super::{Clinician, Code, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureCategory {
    Radiology,
    Endoscopy,
    Physiology,
    Other,
}

impl ProcedureCategory {
    pub fn label_ja(self) -> &'static str {
        match self {
            ProcedureCategory::Radiology => "放射線検査",
            ProcedureCategory::Endoscopy => "内視鏡検査",
            ProcedureCategory::Physiology => "生理検査",
            ProcedureCategory::Other => "検査・処置",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureStage {
    /// Ordered, not yet done.
    Order,
    /// Done (実施通知), perhaps with findings.
    Performed,
    /// A result or report with findings.
    Report,
}

/// One observation on a procedure: a finding text, a measurement, a staff member, a drug used.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub label: Code,
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value_type: String,
}

/// One requested or performed procedure (an OBR), with what was observed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcedureItem {
    pub procedure: Code,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_no: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureReport {
    pub category: ProcedureCategory,
    pub stage: ProcedureStage,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_no: String,
    /// The procedures of the order, parent first.
    pub items: Vec<ProcedureItem>,
    /// Report text a person reads (findings and impression), assembled from the items.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub findings: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub accession: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub study_uid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub modality: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performed: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orderer: Option<Clinician>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Code>,
}

impl ProcedureReport {
    pub fn title(&self) -> String {
        self.items
            .first()
            .map(|i| i.procedure.display().to_string())
            .unwrap_or_default()
    }

    pub fn summary(&self) -> String {
        let stage = match self.stage {
            ProcedureStage::Order => "オーダ",
            ProcedureStage::Performed => "実施",
            ProcedureStage::Report => "結果",
        };
        let mut s = format!("[{}{stage}] {}", self.category.label_ja(), self.title());
        if !self.findings.is_empty() {
            let first_line = self
                .findings
                .lines()
                .find(|l| !l.starts_with('■'))
                .unwrap_or_default();
            let first: String = first_line.chars().take(60).collect();
            s.push_str(&format!(" {first}"));
        }
        s
    }
}
