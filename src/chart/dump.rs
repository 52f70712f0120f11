//! A whole chart of one patient grouped by kind, newest first: what `lifeboat show` prints.

use super::identity::Identity;
use super::{ChartSummary, CurrentDiet, InfectionMark, PatientChart, Worklist};
use crate::model::{Clinical, Patient, Record, RecordKind, RecordStatus, Timestamp};
use crate::report::Problem;
use serde::Serialize;

#[derive(Debug, Default, Serialize)]
pub struct PatientDump {
    /// What the chart says at the data time (admission, allergies, running orders, warnings), in
    /// the words of the viewer and the printout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<ChartSummary>,
    /// The ward's view at the data time (set with the summary): the diet in force, infection
    /// marks (未検査 included), and the injection and medication worklist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diet_now: Option<CurrentDiet>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub infection: Vec<InfectionMark>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worklist: Option<Worklist>,
    pub patient: Option<Patient>,
    /// Where the demographics came from: the patient master, or a message's PID when there is none.
    pub patient_source: String,
    /// Where the records disagree on who the patient is, and namesakes (同姓同名).
    #[serde(skip_serializing_if = "Identity::is_empty")]
    pub identity: Identity,
    pub allergies: Vec<Record>,
    pub diagnoses: Vec<Record>,
    pub medications: Vec<Record>,
    pub administrations: Vec<Record>,
    pub labs: Vec<Record>,
    pub lab_orders: Vec<Record>,
    pub encounters: Vec<Record>,
    pub procedures: Vec<Record>,
    pub diet: Vec<Record>,
    pub vitals: Vec<Record>,
    pub immunizations: Vec<Record>,
    /// Referral letters, discharge summaries and other narrative documents.
    pub documents: Vec<Record>,
    /// Records kept as source text, and older/cancelled versions of the patient master.
    pub other: Vec<Record>,
    pub problems: Vec<Problem>,
}

impl PatientDump {
    /// Arranges records; `fallback` demographics (from any PID) are used when no current
    /// patient master exists.
    pub fn build(mut records: Vec<Record>, fallback: Option<Patient>, problems: Vec<Problem>) -> Self {
        // Newest first, undated last, ties by provenance: one order whatever the read order.
        records.sort_by(super::order::newest_first);
        let mut d = PatientDump {
            problems,
            ..Self::default()
        };
        for r in records {
            match r.kind() {
                RecordKind::Patient => d.other.push(r),
                RecordKind::Allergy => d.allergies.push(r),
                RecordKind::Diagnosis => d.diagnoses.push(r),
                RecordKind::MedicationOrder => d.medications.push(r),
                RecordKind::MedicationAdministration => d.administrations.push(r),
                RecordKind::LabResult => d.labs.push(r),
                RecordKind::LabOrder => d.lab_orders.push(r),
                RecordKind::Encounter => d.encounters.push(r),
                RecordKind::Procedure => d.procedures.push(r),
                RecordKind::DietOrder => d.diet.push(r),
                RecordKind::Vital => d.vitals.push(r),
                RecordKind::Immunization => d.immunizations.push(r),
                RecordKind::Document => d.documents.push(r),
                RecordKind::Raw => d.other.push(r),
            }
        }
        // Demographics merged as the banner merges them (one FHIR person may have several
        // Patient resources joined by identifier): the preferred current record first.
        let masters: Vec<Record> = d
            .other
            .iter()
            .filter(|r| r.status == RecordStatus::Current && matches!(r.data, Clinical::Patient(_)))
            .cloned()
            .collect();
        if let Some((p, sources)) = super::merge_demographics(&masters) {
            d.patient = Some(p);
            d.patient_source = sources
                .first()
                .and_then(|&i| masters.get(i))
                .map(|r| r.provenance.file.clone())
                .unwrap_or_default();
        }
        if d.patient.is_none()
            && let Some(p) = fallback
        {
            d.patient = Some(p);
            d.patient_source = "PID of a message (no current ADT-00 patient master)".into();
        }
        d
    }

    /// Adds the chart summary at the data time `as_of`, from the same records and demographics.
    pub fn with_summary(mut self, patient_id: &str, as_of: Option<Timestamp>) -> Self {
        let records: Vec<Record> = self
            .sections()
            .iter()
            .flat_map(|(_, r)| r.iter().cloned())
            .collect();
        let chart =
            PatientChart::build(patient_id, records, as_of).with_fallback_demographics(self.patient.clone());
        self.summary = Some(chart.summary());
        self.diet_now = chart.diet();
        self.infection = chart.infection().to_vec();
        self.worklist = Some(chart.worklist().clone());
        self
    }

    /// Sections in reading order with their Japanese titles.
    pub fn sections(&self) -> [(&'static str, &[Record]); 13] {
        [
            ("アレルギー", &self.allergies),
            ("病名", &self.diagnoses),
            ("処方・注射", &self.medications),
            ("投薬・注射実施", &self.administrations),
            ("検体検査結果", &self.labs),
            ("バイタルサイン", &self.vitals),
            ("検体検査オーダ", &self.lab_orders),
            ("受診・入退院", &self.encounters),
            ("放射線・内視鏡・生理検査", &self.procedures),
            ("食事", &self.diet),
            ("予防接種", &self.immunizations),
            ("文書（紹介状・サマリー）", &self.documents),
            ("その他", &self.other),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.patient.is_none() && self.sections().iter().all(|(_, r)| r.is_empty())
    }
}
