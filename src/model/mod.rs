//! The clinical model: the contract between readers (SS-MIX2, FHIR) and faces (index, chart, GUI,
//! PDF). Nothing here knows HL7 or FHIR; readers fill it, everything else reads it.

mod allergy;
mod code;
mod diagnosis;
mod diet;
mod document;
mod encounter;
mod immunization;
mod lab;
mod medication;
mod patient;
mod procedure;
mod raw;
mod record;
mod time;
mod vital;

pub use allergy::{Allergy, AllergyCategory};
pub use code::{Clinician, Code, Quantity, parse_number};
pub use diagnosis::Diagnosis;
pub use diet::DietOrder;
pub use document::{Document, DocumentAttachment, DocumentSection};
pub use encounter::{Encounter, EncounterEvent, Location, PatientClass};
pub use immunization::Immunization;
pub use lab::{AbnormalFlag, LabOrder, LabResult};
pub use medication::{Dispensing, DrugCodeSystem, MedicationAdministration, MedicationOrder, OrderKind};
pub use patient::{
    Address, BloodType, MAX_OTHER_IDS, MAX_OTHER_NAMES, OtherName, Patient, PersonName, Phone, Sex,
    push_distinct,
};
pub use procedure::{Observation, ProcedureCategory, ProcedureItem, ProcedureReport, ProcedureStage};
pub use raw::RawRecord;
pub use record::{Clinical, Provenance, Record, RecordKind, RecordStatus};
pub use time::{Precision, Timestamp};
pub use vital::{Vital, VitalComponent};
