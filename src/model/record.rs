//! A record: one clinical fact, whose patient, where it came from, and whether it still stands.

use super::*;
use serde::{Deserialize, Serialize};

/// Whether a record still stands. Readers never drop superseded or cancelled versions: the chart
/// hides them by default and shows them on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Current,
    /// An older version replaced by a newer one (SS-MIX2 condition flag 2).
    Superseded,
    /// Deleted, cancelled or entered in error (flag 0, ORC-1 `CA`, A11, PRB `DE`, IAM `D` ...).
    Cancelled,
    /// Which version this is cannot be known: the SS-MIX2 condition flag was lost with the file
    /// name (a disc file system cut or mapped it). Never treated as current; shown as 状態不明.
    Unknown,
}

/// Where a record came from, precisely enough to show the source text again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Path of the source file relative to its snapshot root, with `/` separators. With several
    /// roots it starts with the root's label.
    pub file: String,
    /// SS-MIX2 data type (`OMP-01`) or FHIR resource type.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data_type: String,
    /// HL7 MSH-10 message control id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message_id: String,
    /// 1-based numbers of the segments this record was built from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<u32>,
    /// FHIR: the Bundle entry index or NDJSON line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entry: String,
    /// When the source system wrote this version (SS-MIX2 file name 発生日時).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_at: Option<Timestamp>,
    /// The source says it is training or test data ([`crate::chart::mode`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drill: bool,
}

/// The clinical content. Records stream through the pipeline and are not held by the million,
/// so variants are not boxed (that would cost an allocation per record).
///
/// Externally tagged on purpose: it needs no buffering in serde, which
/// keeps it safe with serde_json's `arbitrary_precision` (turned on by fhirbolt).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)]
pub enum Clinical {
    Patient(Patient),
    Encounter(Encounter),
    Allergy(Allergy),
    Diagnosis(Diagnosis),
    MedicationOrder(MedicationOrder),
    MedicationAdministration(MedicationAdministration),
    LabOrder(LabOrder),
    LabResult(LabResult),
    Procedure(ProcedureReport),
    DietOrder(DietOrder),
    Vital(Vital),
    Immunization(Immunization),
    Document(Document),
    Raw(RawRecord),
}

/// The kinds of [`Clinical`], for counting, filtering and index fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Patient,
    Encounter,
    Allergy,
    Diagnosis,
    MedicationOrder,
    MedicationAdministration,
    LabOrder,
    LabResult,
    Procedure,
    DietOrder,
    Vital,
    Immunization,
    Document,
    Raw,
}

impl RecordKind {
    pub const ALL: [RecordKind; 14] = [
        RecordKind::Patient,
        RecordKind::Encounter,
        RecordKind::Allergy,
        RecordKind::Diagnosis,
        RecordKind::MedicationOrder,
        RecordKind::MedicationAdministration,
        RecordKind::LabOrder,
        RecordKind::LabResult,
        RecordKind::Procedure,
        RecordKind::DietOrder,
        RecordKind::Vital,
        RecordKind::Immunization,
        RecordKind::Document,
        RecordKind::Raw,
    ];

    /// Stable machine name, as used in JSON and in the index.
    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Patient => "patient",
            RecordKind::Encounter => "encounter",
            RecordKind::Allergy => "allergy",
            RecordKind::Diagnosis => "diagnosis",
            RecordKind::MedicationOrder => "medication_order",
            RecordKind::MedicationAdministration => "medication_administration",
            RecordKind::LabOrder => "lab_order",
            RecordKind::LabResult => "lab_result",
            RecordKind::Procedure => "procedure",
            RecordKind::DietOrder => "diet_order",
            RecordKind::Vital => "vital",
            RecordKind::Immunization => "immunization",
            RecordKind::Document => "document",
            RecordKind::Raw => "raw",
        }
    }

    /// Japanese label for screens and printouts.
    pub fn label_ja(self) -> &'static str {
        match self {
            RecordKind::Patient => "患者基本情報",
            RecordKind::Encounter => "受診・入退院",
            RecordKind::Allergy => "アレルギー",
            RecordKind::Diagnosis => "病名",
            RecordKind::MedicationOrder => "処方・注射",
            RecordKind::MedicationAdministration => "投薬・注射実施",
            RecordKind::LabOrder => "検体検査オーダ",
            RecordKind::LabResult => "検体検査結果",
            RecordKind::Procedure => "放射線・内視鏡・生理検査",
            RecordKind::DietOrder => "食事オーダ",
            RecordKind::Vital => "バイタルサイン",
            RecordKind::Immunization => "予防接種",
            RecordKind::Document => "文書（紹介状・サマリー）",
            RecordKind::Raw => "その他（未対応データ）",
        }
    }
}

/// One clinical fact of one patient.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The snapshot's key for the patient (SS-MIX2: the patient folder).
    pub patient_id: String,
    pub status: RecordStatus,
    pub provenance: Provenance,
    pub data: Clinical,
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match &self.data {
            Clinical::Patient(_) => RecordKind::Patient,
            Clinical::Encounter(_) => RecordKind::Encounter,
            Clinical::Allergy(_) => RecordKind::Allergy,
            Clinical::Diagnosis(_) => RecordKind::Diagnosis,
            Clinical::MedicationOrder(_) => RecordKind::MedicationOrder,
            Clinical::MedicationAdministration(_) => RecordKind::MedicationAdministration,
            Clinical::LabOrder(_) => RecordKind::LabOrder,
            Clinical::LabResult(_) => RecordKind::LabResult,
            Clinical::Procedure(_) => RecordKind::Procedure,
            Clinical::DietOrder(_) => RecordKind::DietOrder,
            Clinical::Vital(_) => RecordKind::Vital,
            Clinical::Immunization(_) => RecordKind::Immunization,
            Clinical::Document(_) => RecordKind::Document,
            Clinical::Raw(_) => RecordKind::Raw,
        }
    }

    /// The clinically meaningful time of the record (visit, start of an order, collection of a
    /// specimen ...), falling back to when the source wrote it. Used for sorting and timelines.
    pub fn date(&self) -> Option<Timestamp> {
        let own = match &self.data {
            Clinical::Patient(p) => p.updated_at,
            Clinical::Encounter(e) => e.time(),
            Clinical::Allergy(a) => a.recorded_at.or(a.onset),
            Clinical::Diagnosis(d) => d.diagnosed.or(d.onset).or(d.recorded_at),
            Clinical::MedicationOrder(m) => m.start.or(m.ordered_at),
            Clinical::MedicationAdministration(m) => m.start.or(m.end),
            Clinical::LabOrder(l) => l.collected.or(l.ordered_at),
            Clinical::LabResult(l) => l.collected.or(l.reported),
            Clinical::Procedure(p) => p.performed.or(p.ordered_at),
            Clinical::DietOrder(d) => d.start.or(d.ordered_at),
            Clinical::Vital(v) => v.measured,
            Clinical::Immunization(i) => i.occurred,
            Clinical::Document(d) => d.date,
            Clinical::Raw(r) => r.time,
        };
        own.or(self.provenance.written_at)
    }

    /// One line a person can read: what this record says, in its source language.
    pub fn summary(&self) -> String {
        match &self.data {
            Clinical::Patient(p) => p.summary(),
            Clinical::Encounter(e) => e.summary(),
            Clinical::Allergy(a) => a.summary(),
            Clinical::Diagnosis(d) => d.summary(),
            Clinical::MedicationOrder(m) => m.summary(),
            Clinical::MedicationAdministration(m) => m.summary(),
            Clinical::LabOrder(l) => l.summary(),
            Clinical::LabResult(l) => l.summary(),
            Clinical::Procedure(p) => p.summary(),
            Clinical::DietOrder(d) => d.summary(),
            Clinical::Vital(v) => v.summary(),
            Clinical::Immunization(i) => i.summary(),
            Clinical::Document(d) => d.summary(),
            Clinical::Raw(r) => r.summary(),
        }
    }
}
