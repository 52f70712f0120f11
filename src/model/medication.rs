//! Prescriptions, injections and their administration.

use super::{Clinician, Code, PatientClass, Quantity, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    Prescription,
    Injection,
}

impl OrderKind {
    pub fn label_ja(self) -> &'static str {
        match self {
            OrderKind::Prescription => "処方",
            OrderKind::Injection => "注射",
        }
    }
}

/// Which national drug code the drug code is, so that two sources can be matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugCodeSystem {
    Hot,
    Yj,
    /// 一般名処方マスタ.
    GenericName,
    Local,
    Other,
}

/// 院内 (dispensed by the hospital) or 院外 (community pharmacy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dispensing {
    InHouse,
    Outside,
}

/// One drug of one order: a prescription line (RXE) or one drug of an injection (RXC).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MedicationOrder {
    pub kind: OrderKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_no: String,
    /// Rp number (ORC-4): drugs with the same Rp share a dosage.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rp: String,
    pub drug: Code,
    pub drug_system: DrugCodeSystem,
    /// Other codes for the same drug (YJ beside HOT ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_codes: Vec<Code>,
    /// Amount per administration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Quantity>,
    /// Upper amount when a range was ordered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_max: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_dose: Option<Quantity>,
    /// Total dispensed amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Code>,
    /// Dosage (用法) as coded and written: JAMI code and its text (the first repetition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dosage: Option<Code>,
    /// Further dosage repetitions, in the order sent (TQ1-3 repeats such as 「１日おき」 beside
    /// 「１日１回朝食後」, further TQ1 segments, further FHIR dosageInstruction). Never dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_dosages: Vec<Code>,
    /// Further instructions as written (RXE-7, dosage text given in words).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instructions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Code>,
    /// Administration method (RXR-4 静注, 点滴静注 ...; FHIR dosage.method).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Code>,
    /// Routing instruction (RXR-5 主管 / 側管).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<Code>,
    /// Site modifier (RXR-6 左 / 右).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_modifier: Option<Code>,
    /// Days supplied (処方日数).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<PatientClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispensing: Option<Dispensing>,
    /// Order categories as sent (外来処方, 院内処方, 定時処方 ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Code>,
    /// Injections: the injection type (一般, 抗がん剤, TPN ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injection_type: Option<Code>,
    /// Injections: the drug's role in the mix (`B` base solution, `A` additive).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub component_role: String,
    /// Injections: total volume of the mix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<Quantity>,
    /// Injections: rate (`102 ml/hr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prescriber: Option<Clinician>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<Timestamp>,
    /// The order control as sent (`NW`, `CA` ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_control: String,
}

impl MedicationOrder {
    pub fn new(kind: OrderKind, drug: Code, drug_system: DrugCodeSystem) -> Self {
        Self {
            kind,
            order_no: String::new(),
            rp: String::new(),
            drug,
            drug_system,
            other_codes: Vec::new(),
            dose: None,
            dose_max: None,
            daily_dose: None,
            total: None,
            form: None,
            dosage: None,
            more_dosages: Vec::new(),
            instructions: Vec::new(),
            route: None,
            site: None,
            device: None,
            method: None,
            line: None,
            site_modifier: None,
            days: None,
            start: None,
            end: None,
            setting: None,
            dispensing: None,
            categories: Vec::new(),
            injection_type: None,
            component_role: String::new(),
            volume: None,
            rate: None,
            prescriber: None,
            department: None,
            ordered_at: None,
            order_control: String::new(),
        }
    }

    /// The dosage as a person reads it: every coded repetition, then the written instructions.
    pub fn dosage_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for d in self.dosage.iter().chain(&self.more_dosages) {
            let t = d.display();
            if !t.is_empty() && !parts.iter().any(|p| p == t) {
                parts.push(t.to_string());
            }
        }
        for i in &self.instructions {
            if !parts.contains(i) {
                parts.push(i.clone());
            }
        }
        parts.join(" ")
    }

    /// Route with method, line and site as written: `静脈内 点滴静注 側管 左手`.
    pub fn route_text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for c in [
            &self.route,
            &self.method,
            &self.line,
            &self.site,
            &self.site_modifier,
        ]
        .into_iter()
        .flatten()
        {
            let t = c.display();
            if !t.is_empty() && !parts.contains(&t) {
                parts.push(t);
            }
        }
        parts.join(" ")
    }

    pub fn summary(&self) -> String {
        let mut s = format!("[{}] {}", self.kind.label_ja(), self.drug.display());
        if let Some(d) = &self.dose {
            s.push_str(&format!(" {}", d.display()));
        }
        let dosage = self.dosage_text();
        if !dosage.is_empty() {
            s.push_str(&format!(" {dosage}"));
        }
        if let Some(days) = self.days {
            s.push_str(&format!(" {days}日分"));
        }
        if let Some(r) = &self.rate {
            s.push_str(&format!(" 速度:{}", r.display()));
        }
        if let Some(t) = self.start {
            s.push_str(&format!(" 開始:{}", t.shown()));
        }
        s
    }
}

/// One drug given, as recorded at the bedside (SS-MIX2 OMP-11/12, FHIR MedicationAdministration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MedicationAdministration {
    pub kind: OrderKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order_no: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rp: String,
    pub drug: Code,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performer: Option<Clinician>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub location: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
    /// Completion status as sent (`CP` complete, `RE` refused, `NA` not given, `PA` partial).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub completion: String,
}

impl MedicationAdministration {
    pub fn summary(&self) -> String {
        let mut s = format!("[{}実施] {}", self.kind.label_ja(), self.drug.display());
        if let Some(a) = &self.amount {
            s.push_str(&format!(" {}", a.display()));
        }
        if let Some(t) = self.start {
            s.push_str(&format!(" {}", t.shown()));
        }
        if let Some(t) = self.end.filter(|e| Some(*e) != self.start) {
            s.push_str(&format!("〜{}", t.shown()));
        }
        if let Some(r) = &self.rate {
            s.push_str(&format!(" 速度:{}", r.display()));
        }
        for c in &self.comments {
            s.push_str(&format!(" {c}"));
        }
        s
    }
}
