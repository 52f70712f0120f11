//! Condition → diagnosis; AllergyIntolerance → allergy (or a "none known" statement).

use super::common::{coding, coding_in, concept, concept_opt, notes, opt, status_code, ts};
use super::{Ctx, Mapped, id_of, status_of};
use crate::model::{Allergy, AllergyCategory, Clinical, Code, Diagnosis, RecordStatus};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{
    AllergyIntolerance, AllergyIntoleranceOnset, Condition, ConditionAbatement, ConditionOnset,
};

const MEDIS_SYSTEMS: &[&str] = &[
    "master-disease-keyNumber",
    "1.2.392.200119.4.101.2",
    "master-disease-exCode",
];
const ICD10_SYSTEMS: &[&str] = &[
    "http://hl7.org/fhir/sid/icd-10",
    "ICD10-2013",
    "urn:oid:2.16.840.1.113883.6.3",
];

pub fn condition(c: &Condition, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(Some(&c.subject), &c.contained);
    let code = c.code.as_deref();
    let name = code
        .map(concept)
        .map(|k| k.display().to_string())
        .unwrap_or_default();
    let medis = code.and_then(|k| coding_in(k, MEDIS_SYSTEMS)).map(coding);
    let icd10 = code.and_then(|k| coding_in(k, ICD10_SYSTEMS)).map(coding);
    let verification = status_code(&c.verification_status);
    let clinical = status_code(&c.clinical_status);
    let onset = match &c.onset {
        Some(ConditionOnset::DateTime(d)) => d.value.as_deref().and_then(crate::fhir::time::parse),
        Some(ConditionOnset::Period(p)) => ts(&p.start),
        _ => None,
    };
    let resolved = match &c.abatement {
        Some(ConditionAbatement::DateTime(d)) => d.value.as_deref().and_then(crate::fhir::time::parse),
        Some(ConditionAbatement::Period(p)) => ts(&p.end).or(ts(&p.start)),
        _ => None,
    };
    let outcome = if matches!(clinical.as_str(), "resolved" | "inactive" | "remission") {
        c.clinical_status.as_deref().map(concept)
    } else {
        None
    };
    let d = Diagnosis {
        name: if name.is_empty() {
            "（病名なし）".into()
        } else {
            name
        },
        medis,
        icd10,
        suspected: matches!(
            verification.as_str(),
            "provisional" | "differential" | "unconfirmed"
        ),
        main: false,
        onset,
        diagnosed: None,
        outcome,
        outcome_date: None,
        resolved,
        setting: c.category.first().map(concept),
        department: None,
        instance_id: id_of(&c.id).unwrap_or_default(),
        recorded_at: ts(&c.recorded_date),
    };
    let status = status_of(&verification);
    let rec = ctx.record(
        patient,
        "Condition",
        id_of(&c.id).as_deref(),
        c.meta.as_deref(),
        status,
        Clinical::Diagnosis(d),
    );
    Mapped::one(rec, problems)
}

/// SNOMED CT "no known ..." codes: a statement that there is none, never an allergy.
const NO_KNOWN: &[&str] = &[
    "716186003",
    "409137002",
    "429625007",
    "428607008",
    "428197003",
    "1631000175102",
];

pub fn allergy(a: &AllergyIntolerance, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(Some(&a.patient), &a.contained);
    let categories: Vec<&str> = a.category.iter().filter_map(|c| c.value.as_deref()).collect();
    let category = match categories.first().copied() {
        Some("medication") => AllergyCategory::Drug,
        Some("food") => AllergyCategory::Food,
        Some("environment") => AllergyCategory::Environment,
        _ => AllergyCategory::Other,
    };
    let allergen = a
        .code
        .as_deref()
        .map(concept)
        .or_else(|| a.reaction.iter().find_map(|r| concept_opt(&r.substance)))
        .unwrap_or_default();
    let none_known = a.code.as_deref().is_some_and(|c| {
        c.coding.iter().any(|k| {
            k.code
                .as_ref()
                .and_then(|v| v.value.as_deref())
                .is_some_and(|v| NO_KNOWN.contains(&v))
        })
    });
    let mut reaction: Vec<String> = Vec::new();
    for r in &a.reaction {
        for m in &r.manifestation {
            let text = concept(m).display().to_string();
            if !text.is_empty() {
                reaction.push(text);
            }
        }
        if let Some(d) = opt(&r.description) {
            reaction.push(d);
        }
    }
    reaction.extend(notes(&a.note));
    let severity = a
        .reaction
        .iter()
        .find_map(|r| opt(&r.severity))
        .or_else(|| opt(&a.criticality).map(|c| format!("criticality {c}")))
        .map(|s| Code::new(s.clone(), s, ""));
    let (onset, onset_text) = match &a.onset {
        Some(AllergyIntoleranceOnset::DateTime(d)) => (
            d.value.as_deref().and_then(crate::fhir::time::parse),
            String::new(),
        ),
        Some(AllergyIntoleranceOnset::String(s)) => (None, s.value.clone().unwrap_or_default()),
        Some(AllergyIntoleranceOnset::Period(p)) => (ts(&p.start), String::new()),
        _ => (None, String::new()),
    };
    let clinical = status_code(&a.clinical_status);
    let verification = status_code(&a.verification_status);
    let allergy = Allergy {
        category,
        category_code: Code::new(
            categories.join(","),
            "",
            "http://hl7.org/fhir/allergy-intolerance-category",
        ),
        allergen,
        severity,
        reaction: reaction.join("、"),
        onset,
        onset_text,
        removed: matches!(clinical.as_str(), "inactive" | "resolved"),
        none_known,
        recorded_at: ts(&a.recorded_date),
    };
    let status = if verification == "entered-in-error" || verification == "refuted" {
        status_of(&verification)
    } else {
        RecordStatus::Current
    };
    let rec = ctx.record(
        patient,
        "AllergyIntolerance",
        id_of(&a.id).as_deref(),
        a.meta.as_deref(),
        status,
        Clinical::Allergy(allergy),
    );
    Mapped::one(rec, problems)
}
