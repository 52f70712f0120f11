//! Encounter → one stay or visit with start and end.

use super::common::{concept, concept_opt, opt, period_start_end, s};
use super::{Ctx, Mapped, id_of, status_of, text_of};
use crate::model::{Clinical, Encounter, EncounterEvent, Location, PatientClass};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::Encounter as FhirEncounter;

/// HL7 v3 ActEncounterCode → inpatient, outpatient, emergency.
pub fn class_of(code: &str) -> Option<PatientClass> {
    match code {
        "IMP" | "ACUTE" | "NONAC" | "PRENC" | "SS" => Some(PatientClass::Inpatient),
        "AMB" | "VR" | "HH" | "FLD" => Some(PatientClass::Outpatient),
        "EMER" => Some(PatientClass::Emergency),
        "" => None,
        _ => Some(PatientClass::Other),
    }
}

pub fn map(e: &FhirEncounter, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(e.subject.as_deref(), &e.contained);
    let class_code = s(&e.class.code);
    let class = class_of(&class_code);
    let status = text_of(&e.status);
    let event = match class {
        // A planned stay is a plan, not an admission: it must not count as one.
        Some(PatientClass::Inpatient) if status == "planned" => EncounterEvent::PlannedAdmission,
        Some(PatientClass::Outpatient) => EncounterEvent::OutpatientVisit,
        _ => EncounterEvent::Stay,
    };
    let mut enc = Encounter::new(event);
    enc.event_code = class_code;
    enc.class = class;
    let (start, end) = period_start_end(&e.period);
    if event == EncounterEvent::PlannedAdmission {
        enc.planned_time = start;
    } else {
        enc.start = start;
        enc.end = end;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::PatientIndex;
    use lifeboat_fhir_parse::Resource;

    fn read(json: &str) -> Encounter {
        let index = PatientIndex::default();
        let ctx = Ctx {
            index: &index,
            path: "Encounter.000.ndjson",
            place: "line 1".into(),
            full_url: None,
            block_patient: None,
        };
        let Ok(Resource::Encounter(e)) = crate::fhir::parse_json(json.as_bytes()).map(|p| p.resource) else {
            panic!("not an Encounter: {json}");
        };
        let mapped = map(&e, &ctx);
        match mapped.records.first().map(|r| &r.data) {
            Some(Clinical::Encounter(enc)) => enc.clone(),
            other => panic!("not an encounter: {other:?}"),
        }
    }

    #[test]
    fn a_planned_inpatient_encounter_is_a_planned_admission() {
        let planned = read(
            r#"{"resourceType":"Encounter","status":"planned","class":{"code":"IMP"},"period":{"start":"2026-11-24T10:00:00+09:00"}}"#,
        );
        assert_eq!(planned.event, EncounterEvent::PlannedAdmission);
        assert_eq!(
            planned.planned_time.map(|t| t.to_iso()).as_deref(),
            Some("2026-11-24T10:00:00")
        );
        assert!(planned.start.is_none());
        let stay = read(
            r#"{"resourceType":"Encounter","status":"in-progress","class":{"code":"IMP"},"period":{"start":"2026-11-01T08:47:00+09:00"}}"#,
        );
        assert_eq!(stay.event, EncounterEvent::Stay);
        assert_eq!(
            stay.start.map(|t| t.to_iso()).as_deref(),
            Some("2026-11-01T08:47:00")
        );
    }
}
