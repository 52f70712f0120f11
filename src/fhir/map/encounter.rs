//! Encounter → one stay or visit with start and end.

use super::common::{concept, concept_opt, opt, period_start_end, s};
use super::{Ctx, Mapped, id_of, status_of, text_of};
use crate::model::{Clinical, Encounter, EncounterEvent, Location, PatientClass};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::Encounter as FhirEncounter;

pub fn map(e: &FhirEncounter, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(e.subject.as_deref(), &e.contained);
    let class_code = s(&e.class.code);
    let class = match class_code.as_str() {
        "IMP" | "ACUTE" | "NONAC" | "PRENC" | "SS" => Some(PatientClass::Inpatient),
        "AMB" | "VR" | "HH" | "FLD" => Some(PatientClass::Outpatient),
        "EMER" => Some(PatientClass::Emergency),
        "" => None,
        _ => Some(PatientClass::Other),
    };
    let event = match class {
        Some(PatientClass::Outpatient) => EncounterEvent::OutpatientVisit,
        _ => EncounterEvent::Stay,
    };
    let mut enc = Encounter::new(event);
    enc.event_code = class_code;
    enc.class = class;
    let (start, end) = period_start_end(&e.period);
    enc.start = start;
    enc.end = end;
    enc.department = concept_opt(&e.service_type).or_else(|| e.r#type.first().map(concept));
    enc.location = e
        .location
        .iter()
        .filter_map(|l| opt(&l.location.display))
        .next()
        .map(|ward_name| Location {
            ward_name,
            ..Location::default()
        });
    enc.attending = e
        .participant
        .iter()
        .filter_map(|p| p.individual.as_deref())
        .find_map(|r| ctx.clinician(r));
    enc.discharge_disposition = e
        .hospitalization
        .as_ref()
        .and_then(|h| concept_opt(&h.discharge_disposition));
    enc.visit_id = e.identifier.first().map(|i| s(&i.value)).unwrap_or_default();
    let status = text_of(&e.status);
    enc.cancellation = status == "cancelled";
    enc.status = status.clone();
    let rec = ctx.record(
        patient,
        "Encounter",
        id_of(&e.id).as_deref(),
        e.meta.as_deref(),
        status_of(&status),
        Clinical::Encounter(enc),
    );
    Mapped::one(rec, problems)
}
