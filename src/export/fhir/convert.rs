//! One patient's records → FHIR resources: the Patient (with height and weight), the stays and
//! visits, then every other current record in the order it was read.
//!
//! Only what a FHIR server would hold now is written: superseded versions are left out (a
//! server keeps only the newest version of a resource), and so are cancelled and deleted
//! records. In SS-MIX2 a cancellation is the original message plus a cancelling one, both
//! flagged deleted, with no one-to-one FHIR resource; writing them as `entered-in-error` would
//! need guessing which of the pair stands for the fact. The viewer hides them by default too.

use super::ctx::{Ctx, Resource};
use super::group::PatientChunk;
use super::ids::{self, Allocator};
use super::{allergy, condition, encounter, medication, nutrition, observation, patient, report};
use crate::model::{Clinical, Patient, Provenance, Record, RecordKind, RecordStatus};
use anyhow::Result;
use std::collections::{BTreeMap, HashMap};

/// Why records were not written, counted per reason.
pub type Skipped = BTreeMap<String, u64>;

fn skip(skipped: &mut Skipped, why: &str) {
    skip_n(skipped, why, 1);
}

fn skip_n(skipped: &mut Skipped, why: &str, n: u64) {
    if n > 0 {
        *skipped.entry(why.to_string()).or_default() += n;
    }
}

/// A stable id seed: the patient, the resource type and where the record came from.
fn seed(patient: &str, resource_type: &str, p: &Provenance) -> String {
    let segments: Vec<String> = p.segments.iter().map(u32::to_string).collect();
    ids::hash_id(&[
        patient,
        resource_type,
        &p.file,
        &p.data_type,
        &p.message_id,
        &segments.join(","),
        &p.entry,
    ])
}

/// The FHIR resource type a current record becomes, if any.
fn target(r: &Record) -> Option<&'static str> {
    Some(match &r.data {
        Clinical::Allergy(_) => "AllergyIntolerance",
        Clinical::Diagnosis(_) => "Condition",
        Clinical::MedicationOrder(_) => "MedicationRequest",
        Clinical::MedicationAdministration(_) => "MedicationAdministration",
        Clinical::LabResult(_) | Clinical::Vital(_) => "Observation",
        Clinical::Procedure(_) => "DiagnosticReport",
        Clinical::DietOrder(_) => "NutritionOrder",
        _ => return None,
    })
}

/// The demographics to write: the newest current patient master, else the newest PID seen,
/// else any patient master version, else only the ID.
fn demographics(chunk: &PatientChunk) -> (Patient, Option<crate::model::Timestamp>) {
    let masters = || {
        chunk.records.iter().filter_map(|r| match &r.data {
            Clinical::Patient(p) => Some((r, p)),
            _ => None,
        })
    };
    let newest = |current_only: bool| {
        masters()
            .filter(|(r, _)| !current_only || r.status == RecordStatus::Current)
            .max_by_key(|(r, _)| r.provenance.written_at)
            .map(|(r, p)| (p.clone(), p.updated_at.or(r.provenance.written_at)))
    };
    newest(true)
        .or_else(|| {
            chunk
                .demographics
                .as_ref()
                .map(|(t, p)| (p.clone(), p.updated_at.or(*t)))
        })
        .or_else(|| newest(false))
        .unwrap_or_else(|| {
            (
                Patient {
                    id: chunk.patient_id.clone(),
                    ..Patient::default()
                },
                None,
            )
        })
}

/// The Patient, and height and weight from its master record as vital signs.
fn write_patient(
    chunk: &PatientChunk,
    ctx: &Ctx,
    alloc: &mut Allocator,
    emit: &mut dyn FnMut(Resource) -> Result<()>,
) -> Result<()> {
    let pid = chunk.patient_id.as_str();
    let (p, updated) = demographics(chunk);
    let id = alloc.take(ids::patient_id(pid));
    emit(Resource {
        resource_type: "Patient",
        json: patient::patient(&p, &id, updated, ctx),
        id,
    })?;
    let when = updated.map(|t| t.to_iso()).unwrap_or_default();
    for (loinc, name, q) in [("8302-2", "身長", &p.height), ("29463-7", "体重", &p.weight)] {
        let Some(q) = q else { continue };
        let id = alloc.take(ids::hash_id(&[pid, "Observation", loinc, &when]));
        if let Some(json) = observation::body_measure(loinc, name, q, updated, &id, ctx) {
            emit(Resource {
                resource_type: "Observation",
                id,
                json,
            })?;
        }
    }
    Ok(())
}

pub fn convert(
    chunk: &PatientChunk,
    ctx: &Ctx,
    skipped: &mut Skipped,
    emit: &mut dyn FnMut(Resource) -> Result<()>,
) -> Result<()> {
    let pid = chunk.patient_id.as_str();
    let mut alloc = Allocator::default();
    if !chunk.late {
        write_patient(chunk, ctx, &mut alloc, emit)?;
    }

    let mut current: Vec<&Record> = Vec::with_capacity(chunk.records.len());
    for r in &chunk.records {
        match r.status {
            RecordStatus::Superseded => skip(skipped, "superseded versions"),
            RecordStatus::Cancelled => skip(skipped, "cancelled or deleted"),
            RecordStatus::Unknown => skip(skipped, "version unknown (file name cut by the media)"),
            RecordStatus::Current if r.kind() == RecordKind::Patient => {
                if chunk.late {
                    skip(
                        skipped,
                        "patient master in a later part (the Patient was written before)",
                    );
                }
            }
            RecordStatus::Current => current.push(r),
        }
    }

    let events: Vec<&Record> = current
        .iter()
        .copied()
        .filter(|r| r.kind() == RecordKind::Encounter)
        .collect();
    let visits = encounter::group(&events);
    skip_n(
        skipped,
        "encounter events folded into a stay (or plans and cancellations)",
        events.len().saturating_sub(visits.len()) as u64,
    );
    for v in &visits {
        let id = alloc.take(seed(pid, "Encounter", &v.first.provenance));
        emit(Resource {
            resource_type: "Encounter",
            json: encounter::encounter(v, &id, ctx),
            id,
        })?;
    }

    // Ids first, so that an administration can point at its order wherever it comes.
    let ids: Vec<Option<String>> = current
        .iter()
        .map(|r| target(r).map(|t| alloc.take(seed(pid, t, &r.provenance))))
        .collect();
    let mut orders: HashMap<(&str, &str), &str> = HashMap::new();
    for (r, id) in current.iter().zip(&ids) {
        if let (Clinical::MedicationOrder(m), Some(id)) = (&r.data, id)
            && !m.order_no.is_empty()
        {
            orders
                .entry((m.order_no.as_str(), m.drug.code.as_str()))
                .or_insert(id);
        }
    }

    for (r, id) in current.iter().zip(&ids) {
        let Some(id) = id else {
            match r.kind() {
                RecordKind::Encounter => {}
                RecordKind::LabOrder => skip(skipped, "lab orders (their results are written)"),
                other => skip(skipped, &format!("{} (no FHIR writer yet)", other.key())),
            }
            continue;
        };
        let written = r.provenance.written_at;
        let json = match &r.data {
            Clinical::Allergy(a) => Some(allergy::allergy(a, id, written, ctx)),
            Clinical::Diagnosis(d) => Some(condition::condition(d, id, written, ctx)),
            Clinical::MedicationOrder(m) => Some(medication::request(m, id, written, ctx)),
            Clinical::MedicationAdministration(a) => {
                let request = orders
                    .get(&(a.order_no.as_str(), a.drug.code.as_str()))
                    .map(|o| ctx.reference("MedicationRequest", o));
                let out = medication::administration(a, id, written, request, ctx);
                if out.is_none() {
                    skip(skipped, "administrations without a time");
                }
                out
            }
            Clinical::LabResult(l) => Some(observation::lab(l, id, written, ctx)),
            Clinical::Vital(v) => Some(observation::vital(v, id, written, ctx)),
            Clinical::Procedure(p) => {
                let out = report::report(p, id, written, ctx);
                if out.is_none() {
                    skip(
                        skipped,
                        "examination orders (performed examinations are written as reports)",
                    );
                }
                out
            }
            Clinical::DietOrder(d) => {
                let out = nutrition::nutrition_order(d, id, written, ctx);
                if out.is_none() {
                    skip(skipped, "diet orders without any date");
                }
                out
            }
            _ => None,
        };
        if let (Some(json), Some(t)) = (json, target(r)) {
            emit(Resource {
                resource_type: t,
                id: id.clone(),
                json,
            })?;
        }
    }
    Ok(())
}
