//! Immunization → vaccination record.

use super::common::{concept, concept_opt, notes, quantity, s};
use super::{Ctx, Mapped, id_of, status_of, text_of};
use crate::model::{Clinical, Immunization};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{
    Immunization as FhirImmunization, ImmunizationOccurrence, ImmunizationProtocolAppliedDoseNumber,
};

pub fn map(i: &FhirImmunization, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(Some(&i.patient), &i.contained);
    let status = text_of(&i.status);
    let (occurred, occurred_text) = match &i.occurrence {
        ImmunizationOccurrence::DateTime(d) => (
            d.value.as_deref().and_then(crate::fhir::time::parse),
            String::new(),
        ),
        ImmunizationOccurrence::String(x) => (None, x.value.clone().unwrap_or_default()),
        _ => (None, String::new()),
    };
    let imm = Immunization {
        vaccine: concept(&i.vaccine_code),
        not_given: status == "not-done",
        status: status.clone(),
        occurred,
        occurred_text,
        lot: s(&i.lot_number),
        dose: i.dose_quantity.as_deref().map(quantity),
        site: concept_opt(&i.site),
        route: concept_opt(&i.route),
        performer: i.performer.iter().find_map(|p| ctx.clinician(&p.actor)),
        dose_number: i
            .protocol_applied
            .first()
            .map(|p| match &p.dose_number {
                ImmunizationProtocolAppliedDoseNumber::PositiveInt(n) => {
                    n.value.map(|n| n.to_string()).unwrap_or_default()
                }
                ImmunizationProtocolAppliedDoseNumber::String(x) => x.value.clone().unwrap_or_default(),
                _ => String::new(),
            })
            .unwrap_or_default(),
        notes: notes(&i.note),
    };
    let rec = ctx.record(
        patient,
        "Immunization",
        id_of(&i.id).as_deref(),
        i.meta.as_deref(),
        status_of(&status),
        Clinical::Immunization(imm),
    );
    Mapped::one(rec, problems)
}
