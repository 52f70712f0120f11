//! Chart assembly: one patient's records arranged for reading. Faces (CLI, GUI, PDF) read this,
//! never HL7 or FHIR.
//!
//! [`PatientChart`] holds one patient's records (every status, any mix of sources) sorted by time
//! and hands out the views: banner, allergies, medications, the cumulative lab table, problems,
//! encounters and stays, documents. Views point into [`PatientChart::records`] by index rather
//! than cloning records. [`Census`] is built apart, from many patients' encounter and patient
//! records, for the ward list.

mod activity;
mod age;
mod allergies;
mod banner;
mod board;
mod census;
pub mod departments;
mod diet;
mod documents;
mod dump;
mod encounters;
pub mod identity;
mod infection;
mod labs;
mod med_checks;
mod med_context;
mod medications;
pub mod mode;
pub mod order;
mod problems;
mod summary;
pub mod units;
mod vitals;
pub mod window;
mod worklist;

pub use activity::{Activity, Basis, OrderState, UNKNOWN_WINDOW_DAYS, activity, end_covers};
pub use age::{age_basis_ja, age_label, age_years, age_years_months};
pub use allergies::{Absence, AllergyItem, AllergyStatus, AllergyView, stated_absence};
pub use banner::{Banner, CurrentAdmission, merge_demographics};
pub use board::BoardLine;
pub use census::{Census, CensusEntry, WardCensus, natural_cmp};
pub use diet::{CurrentDiet, current_diet};
pub use documents::{DocumentKind, DocumentSectionView, DocumentView, documents};
pub use dump::PatientDump;
pub use encounters::{
    EncounterItem, Leave, Move, Stay, StaySource, encounter_list, stay_at, stays, unclear_stay_at,
};
pub use infection::{Finding, InfectionMark, Marker, infection_marks};
pub use labs::{LabCell, LabColumn, LabPoint, LabRow, LabSeries, LabTable, LatestLab, test_key};
pub use med_checks::{AllergyCheck, AllergyMatch, DrugKeys, DuplicateOrder, MatchBy, MedAlert};
pub use med_context::OrderSetting;
pub use medications::{ActiveMed, MedicationsView, OrderGroup, OrderLine};
pub use problems::{ProblemItem, ProblemList};
pub use summary::{ChartSummary, MedLine};
pub use vitals::{Sign, VitalPoint, VitalsBoard};
pub use worklist::{DUE_HOURS, DueItem, GIVEN_HOURS, GivenItem, Worklist, dose_times};

use crate::model::{Patient, Record, Timestamp};
use std::sync::OnceLock;

/// One patient's chart. Views are computed on first use and kept.
#[derive(Debug)]
pub struct PatientChart {
    patient_id: String,
    records: Vec<Record>,
    as_of: Option<Timestamp>,
    reference: Option<Timestamp>,
    fallback: Option<Patient>,
    identity: Option<identity::Identity>,
    stays: OnceLock<Vec<Stay>>,
    banner: OnceLock<Banner>,
    allergies: OnceLock<AllergyView>,
    medications: OnceLock<MedicationsView>,
    allergy_check: OnceLock<AllergyCheck>,
    vitals: OnceLock<VitalsBoard>,
    worklist: OnceLock<Worklist>,
    infection: OnceLock<Vec<InfectionMark>>,
    labs: OnceLock<LabTable>,
    problems: OnceLock<ProblemList>,
    encounters: OnceLock<Vec<EncounterItem>>,
    documents: OnceLock<Vec<DocumentView>>,
}

impl PatientChart {
    /// Sorts the records oldest first (stable: records of one message keep their order; records
    /// without any date go last). `as_of` is the snapshot's data time (the ingest report's).
    pub fn build(patient_id: &str, records: Vec<Record>, as_of: Option<Timestamp>) -> Self {
        let mut keyed: Vec<(Option<Timestamp>, Record)> =
            records.into_iter().map(|r| (r.date(), r)).collect();
        keyed.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let newest = keyed.iter().rev().find_map(|(d, _)| *d);
        let records: Vec<Record> = keyed.into_iter().map(|(_, r)| r).collect();
        Self {
            patient_id: patient_id.to_string(),
            records,
            as_of,
            reference: as_of.or(newest),
            fallback: None,
            identity: None,
            stays: OnceLock::new(),
            banner: OnceLock::new(),
            allergies: OnceLock::new(),
            medications: OnceLock::new(),
            allergy_check: OnceLock::new(),
            vitals: OnceLock::new(),
            worklist: OnceLock::new(),
            infection: OnceLock::new(),
            labs: OnceLock::new(),
            problems: OnceLock::new(),
            encounters: OnceLock::new(),
            documents: OnceLock::new(),
        }
    }

    /// Demographics to use when no patient record says otherwise (SS-MIX2: the PID of any
    /// message, for patients without an ADT-00 master).
    pub fn with_fallback_demographics(mut self, patient: Option<Patient>) -> Self {
        self.fallback = patient;
        self.banner = OnceLock::new();
        self
    }

    /// What the whole snapshot says about who the patient is (conflicting records, namesakes).
    /// Without it the banner lists the conflicts among this chart's own patient records.
    pub fn with_identity(mut self, identity: identity::Identity) -> Self {
        self.identity = Some(identity);
        self.banner = OnceLock::new();
        self
    }

    pub fn patient_id(&self) -> &str {
        &self.patient_id
    }

    /// The snapshot's data time, as given to [`PatientChart::build`].
    pub fn as_of(&self) -> Option<Timestamp> {
        self.as_of
    }

    /// The time "now" means in this chart: `as_of`, or the newest record's date without one.
    pub fn reference_time(&self) -> Option<Timestamp> {
        self.reference
    }

    /// Every record, oldest first. View indices point here.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn record(&self, index: usize) -> Option<&Record> {
        self.records.get(index)
    }

    /// The record is dated after the data time (「データ基準日時より後」): a planned order, an
    /// appointment, or a date typed wrong. Shown marked, never as the latest fact.
    pub fn is_after_data_time(&self, index: usize) -> bool {
        match (self.as_of, self.records.get(index).and_then(Record::date)) {
            (Some(now), Some(d)) => d > now,
            _ => false,
        }
    }

    /// Indices of the records dated after the data time.
    pub fn after_data_time(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.records.len()).filter(|&i| self.is_after_data_time(i))
    }

    /// What the chart says at the data time, in the words every face uses.
    pub fn summary(&self) -> ChartSummary {
        ChartSummary::build(self)
    }

    /// Admission-to-discharge periods, oldest first.
    pub fn stays(&self) -> &[Stay] {
        self.stays.get_or_init(|| stays(&self.records))
    }

    /// The stay the patient is in at the reference time, if admitted.
    pub fn current_stay(&self) -> Option<&Stay> {
        stay_at(self.stays(), self.as_of)
    }

    /// 入院状況不明: the data cannot tell whether the patient is in at the reference time (see
    /// [`Stay::uncertain`]).
    pub fn unclear_stay(&self) -> Option<&Stay> {
        unclear_stay_at(self.stays(), self.as_of)
    }

    pub fn banner(&self) -> &Banner {
        self.banner.get_or_init(|| {
            let mut b = Banner::build(
                &self.patient_id,
                &self.records,
                self.fallback.as_ref(),
                self.current_stay(),
                self.reference,
            );
            b.identity = match &self.identity {
                Some(i) => i.clone(),
                None => identity::Identity {
                    conflicts: identity::conflicts_in(&self.records),
                    same_name: Vec::new(),
                },
            };
            b
        })
    }

    pub fn allergies(&self) -> &AllergyView {
        self.allergies.get_or_init(|| AllergyView::build(&self.records))
    }

    pub fn medications(&self) -> &MedicationsView {
        self.medications.get_or_init(|| {
            MedicationsView::build(&self.records, self.reference, self.current_stay(), self.stays())
        })
    }

    /// The 温度板: every vital-sign reading by row, oldest first.
    pub fn vitals(&self) -> &VitalsBoard {
        self.vitals.get_or_init(|| VitalsBoard::build(&self.records))
    }

    /// The injection and medication worklist at the data time.
    pub fn worklist(&self) -> &Worklist {
        self.worklist
            .get_or_init(|| Worklist::build(&self.records, self.medications(), self.reference))
    }

    /// The diet order in force at the data time.
    pub fn diet(&self) -> Option<CurrentDiet> {
        current_diet(&self.records, self.reference)
    }

    /// Infection marks from the newest result of each marker; 未検査 when never tested.
    pub fn infection(&self) -> &[InfectionMark] {
        self.infection.get_or_init(|| infection_marks(&self.records))
    }

    /// This patient's line on the ward board and the printed cover.
    pub fn board_line(&self) -> BoardLine {
        BoardLine::build(self)
    }

    /// Red warnings about the orders running now: allergens matching an order, then the same
    /// drug or class running twice. Every face shows exactly these texts.
    pub fn medication_alerts(&self) -> Vec<MedAlert> {
        med_checks::alerts(self.allergy_check(), &self.medications().duplicates)
    }

    /// Allergens that match an order running now (or of unknown state), and what the codes did
    /// not allow to check.
    pub fn allergy_check(&self) -> &AllergyCheck {
        self.allergy_check.get_or_init(|| {
            let allergies = self.allergies();
            let meds = self.medications();
            let allergens: Vec<med_checks::AllergenIn> = allergies
                .items
                .iter()
                .filter_map(|item| match self.records.get(item.record).map(|r| &r.data) {
                    Some(crate::model::Clinical::Allergy(a)) => Some(med_checks::AllergenIn {
                        record: item.record,
                        category: a.category,
                        allergen: &a.allergen,
                    }),
                    _ => None,
                })
                .collect();
            let orders: Vec<med_checks::OrderIn> = meds
                .active
                .iter()
                .chain(&meds.unknown)
                .chain(&meds.planned)
                .filter_map(|m| match self.records.get(m.record).map(|r| &r.data) {
                    Some(crate::model::Clinical::MedicationOrder(o)) => Some(med_checks::OrderIn {
                        record: m.record,
                        order: o,
                    }),
                    _ => None,
                })
                .collect();
            med_checks::allergy_check(&allergens, &orders)
        })
    }

    pub fn labs(&self) -> &LabTable {
        self.labs.get_or_init(|| LabTable::build(&self.records))
    }

    pub fn problems(&self) -> &ProblemList {
        self.problems
            .get_or_init(|| ProblemList::build(&self.records, self.reference))
    }

    /// Encounter records, newest first, every status (the item says which).
    pub fn encounters(&self) -> &[EncounterItem] {
        self.encounters.get_or_init(|| encounter_list(&self.records))
    }

    /// Procedure reports and documents, newest first.
    pub fn documents(&self) -> &[DocumentView] {
        self.documents.get_or_init(|| documents(&self.records))
    }
}

/// `Some` ordering helper: records are compared newest first, undated last.
pub(crate) fn newest_first(a: Option<Timestamp>, b: Option<Timestamp>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

#[cfg(test)]
mod med_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;
#[cfg(test)]
mod ward_tests;
