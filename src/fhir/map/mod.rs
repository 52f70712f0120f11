//! One FHIR resource → records of the clinical model. Each module maps one concept; what has
//! no mapping is kept as source text (`raw`).

pub mod common;
mod document;
mod encounter;
mod immunization;
mod medication;
mod observation;
mod patient;
mod problem;
mod procedure;
mod raw;

use super::refs::{At, NO_PATIENT, PatientIndex, PatientKeys, PatientRef, UNRESOLVED};
use crate::model::{Clinical, Clinician, Provenance, Record, RecordStatus};
use crate::report::{Problem, Severity};
use common::ts;
use lifeboat_fhir_parse::Resource;
use lifeboat_fhir_parse::fhirbolt::model::r4::types::{Meta, Reference};

/// Where a resource sits and what it can be resolved against.
pub struct Ctx<'a> {
    pub index: &'a PatientIndex,
    pub path: &'a str,
    /// `entry[3]`, `entry[0]/entry[2]`, `line 12`, or empty for a single-resource file.
    pub place: String,
    pub full_url: Option<String>,
    /// Bulk Data per-patient blocks: the patient named by the block's `Parameters` header.
    pub block_patient: Option<String>,
}

/// What one resource became.
#[derive(Default)]
pub struct Mapped {
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// False when the resource was kept as source text only.
    pub interpreted: bool,
}

impl Mapped {
    fn one(record: Record, problems: Vec<Problem>) -> Self {
        Mapped {
            records: vec![record],
            problems,
            interpreted: true,
        }
    }
}

pub fn map(res: &Resource, ctx: &Ctx) -> Mapped {
    match res {
        Resource::Patient(r) => patient::map(r, ctx),
        Resource::Condition(r) => problem::condition(r, ctx),
        Resource::AllergyIntolerance(r) => problem::allergy(r, ctx),
        Resource::MedicationRequest(r) => medication::request(r, ctx),
        Resource::MedicationStatement(r) => medication::statement(r, ctx),
        Resource::MedicationAdministration(r) => medication::administration(r, ctx),
        Resource::Observation(r) => observation::map(r, ctx),
        Resource::Encounter(r) => encounter::map(r, ctx),
        Resource::Procedure(r) => procedure::procedure(r, ctx),
        Resource::DiagnosticReport(r) => procedure::report(r, ctx),
        Resource::Immunization(r) => immunization::map(r, ctx),
        Resource::Composition(r) => document::composition(r, ctx),
        Resource::DocumentReference(r) => document::reference(r, ctx),
        other => raw::map(other, ctx, "no mapping for this resource type; kept as source"),
    }
}

/// The `meta` of the resource types read into the chart.
fn meta_of(res: &Resource) -> Option<&Meta> {
    match res {
        Resource::Patient(r) => r.meta.as_deref(),
        Resource::Condition(r) => r.meta.as_deref(),
        Resource::AllergyIntolerance(r) => r.meta.as_deref(),
        Resource::MedicationRequest(r) => r.meta.as_deref(),
        Resource::MedicationStatement(r) => r.meta.as_deref(),
        Resource::MedicationAdministration(r) => r.meta.as_deref(),
        Resource::Observation(r) => r.meta.as_deref(),
        Resource::Encounter(r) => r.meta.as_deref(),
        Resource::Procedure(r) => r.meta.as_deref(),
        Resource::DiagnosticReport(r) => r.meta.as_deref(),
        Resource::Immunization(r) => r.meta.as_deref(),
        Resource::Composition(r) => r.meta.as_deref(),
        Resource::DocumentReference(r) => r.meta.as_deref(),
        Resource::Bundle(r) => r.meta.as_deref(),
        _ => None,
    }
}

/// Whether the resource is marked as training or test data ([`crate::chart::mode`]).
pub fn marks_drill(res: &Resource) -> bool {
    let Some(meta) = meta_of(res) else {
        return false;
    };
    meta.tag.iter().chain(meta.security.iter()).any(|c| {
        crate::chart::mode::fhir_marks_drill(
            c.system.as_ref().and_then(|s| s.value.as_deref()),
            c.code.as_ref().and_then(|s| s.value.as_deref()),
        )
    })
}

impl Ctx<'_> {
    /// The patient a reference names, with a problem line when it cannot be found.
    pub fn patient(&self, r: Option<&Reference>, contained: &[Resource]) -> (String, Vec<Problem>) {
        let resolved = match r {
            Some(r) => self.resolve(r, contained),
            None => PatientRef::None,
        };
        self.settle(resolved)
    }

    pub fn settle(&self, resolved: PatientRef) -> (String, Vec<Problem>) {
        match resolved {
            PatientRef::Resolved(id) => (id, Vec::new()),
            PatientRef::Unresolved(what) => match &self.block_patient {
                Some(p) => (p.clone(), Vec::new()),
                None => (
                    UNRESOLVED.to_string(),
                    vec![self.problem(
                        Severity::Warning,
                        format!("patient reference {what} matches no Patient in the snapshot; kept under {UNRESOLVED}"),
                    )],
                ),
            },
            PatientRef::None => (
                self.block_patient.clone().unwrap_or_else(|| NO_PATIENT.to_string()),
                Vec::new(),
            ),
        }
    }

    fn resolve(&self, r: &Reference, contained: &[Resource]) -> PatientRef {
        let reference = r.reference.as_ref().and_then(|v| v.value.as_deref());
        if let Some(local) = reference.and_then(|x| x.strip_prefix('#')) {
            return match contained
                .iter()
                .find(|c| c.id().and_then(|i| i.value.as_deref()) == Some(local))
            {
                Some(Resource::Patient(p)) => {
                    let keys = PatientKeys::from_resource(p, None);
                    // A contained Patient has no place of its own: its identifiers decide.
                    let at = At {
                        place: "#contained",
                        ..self.at()
                    };
                    match self.index.patient_id(at, &keys) {
                        Some(id) => PatientRef::Resolved(id),
                        None => PatientRef::Unresolved(format!("#{local}")),
                    }
                }
                Some(_) => PatientRef::None,
                None => PatientRef::Unresolved(format!("#{local} (no such contained resource)")),
            };
        }
        let identifier = r.identifier.as_deref().and_then(|i| {
            let v = i.value.as_ref()?.value.as_deref()?;
            Some((
                i.system.as_ref().and_then(|s| s.value.as_deref()).unwrap_or(""),
                v,
            ))
        });
        let typed_other = r
            .r#type
            .as_ref()
            .and_then(|t| t.value.as_deref())
            .is_some_and(|t| t != "Patient" && !t.ends_with("/Patient"));
        if reference.is_none() && (identifier.is_none() || typed_other) {
            return PatientRef::None;
        }
        self.index.resolve(self.at(), reference, identifier)
    }

    /// Where this resource sits, for resolving what it references.
    pub fn at(&self) -> At<'_> {
        At {
            path: self.path,
            place: &self.place,
            full_url: self.full_url.as_deref(),
        }
    }

    /// A person named by a reference: its display, else the name of the Practitioner it
    /// points to anywhere in the snapshot. `None` when no name can be found (an id alone
    /// tells a reader nothing).
    pub fn clinician(&self, r: &Reference) -> Option<Clinician> {
        let id = r
            .reference
            .as_ref()
            .and_then(|v| v.value.clone())
            .unwrap_or_default();
        let name = r
            .display
            .as_ref()
            .and_then(|d| d.value.clone())
            .filter(|d| !d.is_empty())
            .or_else(|| self.index.practitioner(self.at(), &id).map(str::to_string))?;
        Some(Clinician { id, name })
    }

    pub fn problem(&self, severity: Severity, message: impl Into<String>) -> Problem {
        Problem::new(self.path, severity, message).at(self.place.clone())
    }

    /// A record with provenance: file, resource type, entry place and resource id.
    pub fn record(
        &self,
        patient_id: String,
        resource_type: &str,
        id: Option<&str>,
        meta: Option<&Meta>,
        status: RecordStatus,
        data: Clinical,
    ) -> Record {
        let entry = match (self.place.is_empty(), id) {
            (true, Some(id)) => format!("{resource_type}/{id}"),
            (false, Some(id)) => format!("{} {resource_type}/{id}", self.place),
            (_, None) => self.place.clone(),
        };
        Record {
            patient_id,
            status,
            provenance: Provenance {
                file: self.path.to_string(),
                data_type: resource_type.to_string(),
                message_id: String::new(),
                segments: Vec::new(),
                entry,
                written_at: meta.and_then(|m| ts(&m.last_updated)),
                drill: false,
            },
            data,
        }
    }
}

/// `entered-in-error` (any resource) and cancelled orders are kept, marked cancelled.
pub fn status_of(code: &str) -> RecordStatus {
    match code {
        "entered-in-error" | "cancelled" | "revoked" | "refuted" => RecordStatus::Cancelled,
        _ => RecordStatus::Current,
    }
}

/// The resource's logical id.
pub fn id_of(id: &Option<lifeboat_fhir_parse::fhirbolt::model::r4::types::Id>) -> Option<String> {
    id.as_ref().and_then(|i| i.value.clone())
}

/// Plain string of a required primitive.
pub fn text_of<P: common::Prim>(p: &P) -> String {
    p.get().unwrap_or_default().to_string()
}
