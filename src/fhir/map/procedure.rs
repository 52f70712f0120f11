//! Procedure and DiagnosticReport → procedure report (what was done, what was found).

use super::common::{concept, notes, opt, s, ts};
use super::{Ctx, Mapped, id_of, status_of, text_of};
use crate::fhir::text::{base64_decode, xhtml_to_text};
use crate::model::{
    Clinical, Code, Observation, ProcedureCategory, ProcedureItem, ProcedureReport, ProcedureStage,
};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{
    DiagnosticReport, DiagnosticReportEffective, Procedure, ProcedurePerformed,
};

fn category_of(codes: &[Code]) -> ProcedureCategory {
    let text = codes
        .iter()
        .map(|c| format!("{} {}", c.code, c.text))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    // Latin words must stand alone (`ct` is in many words); Japanese has no spaces, so
    // `放射線検査` is matched inside the text.
    if ["rad", "imaging", "ct", "mri", "x-ray"]
        .iter()
        .any(|w| text.split_whitespace().any(|t| t == *w))
        || text.contains("radiolog")
        || text.contains("放射線")
    {
        ProcedureCategory::Radiology
    } else if text.contains("endoscop") || text.contains("内視鏡") {
        ProcedureCategory::Endoscopy
    } else if text.contains("ecg") || text.contains("心電") || text.contains("生理") {
        ProcedureCategory::Physiology
    } else {
        ProcedureCategory::Other
    }
}

pub fn procedure(p: &Procedure, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(Some(&p.subject), &p.contained);
    let code = p.code.as_deref().map(concept).unwrap_or_default();
    let categories: Vec<Code> = p.category.as_deref().map(concept).into_iter().collect();
    let performed = match &p.performed {
        Some(ProcedurePerformed::DateTime(d)) => d.value.as_deref().and_then(crate::fhir::time::parse),
        Some(ProcedurePerformed::Period(x)) => ts(&x.start),
        _ => None,
    };
    let mut observations = Vec::new();
    for (label, value) in [
        (
            "部位",
            p.body_site
                .iter()
                .map(|c| concept(c).display().to_string())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (
            "理由",
            p.reason_code
                .iter()
                .map(|c| concept(c).display().to_string())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (
            "結果",
            p.outcome
                .as_deref()
                .map(|c| concept(c).display().to_string())
                .unwrap_or_default(),
        ),
        (
            "実施者",
            p.performer
                .iter()
                .filter_map(|x| ctx.clinician(&x.actor).map(|c| c.name))
                .collect::<Vec<_>>()
                .join("、"),
        ),
    ] {
        if !value.is_empty() {
            observations.push(Observation {
                label: Code::new("", label, ""),
                value,
                ..Observation::default()
            });
        }
    }
    let report = ProcedureReport {
        category: category_of(&categories),
        stage: ProcedureStage::Performed,
        order_no: p.identifier.first().map(|i| s(&i.value)).unwrap_or_default(),
        items: vec![ProcedureItem {
            procedure: code,
            order_no: String::new(),
            observations,
        }],
        findings: notes(&p.note).join("\n"),
        accession: String::new(),
        study_uid: String::new(),
        modality: String::new(),
        ordered_at: None,
        performed,
        orderer: p.recorder.as_deref().and_then(|x| ctx.clinician(x)),
        department: None,
    };
    let status = status_of(&text_of(&p.status));
    let rec = ctx.record(
        patient,
        "Procedure",
        id_of(&p.id).as_deref(),
        p.meta.as_deref(),
        status,
        Clinical::Procedure(report),
    );
    Mapped::one(rec, problems)
}

pub fn report(r: &DiagnosticReport, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(r.subject.as_deref(), &r.contained);
    let categories: Vec<Code> = r.category.iter().map(concept).collect();
    let performed = match &r.effective {
        Some(DiagnosticReportEffective::DateTime(d)) => d.value.as_deref().and_then(crate::fhir::time::parse),
        Some(DiagnosticReportEffective::Period(p)) => ts(&p.start),
        _ => None,
    };
    // Results are Observations of their own; the report lists them by name.
    let observations = r
        .result
        .iter()
        .map(|x| Observation {
            label: Code::new("", "結果", ""),
            value: opt(&x.display).unwrap_or_else(|| s(&x.reference)),
            ..Observation::default()
        })
        .collect();
    let mut findings: Vec<String> = Vec::new();
    if let Some(c) = opt(&r.conclusion) {
        findings.push(c);
    }
    findings.extend(r.conclusion_code.iter().map(|c| concept(c).display().to_string()));
    for a in &r.presented_form {
        let ct = s(&a.content_type);
        if ct.starts_with("text/")
            && let Some(bytes) = a
                .data
                .as_ref()
                .and_then(|d| d.value.as_deref())
                .and_then(base64_decode)
        {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            findings.push(if ct.contains("html") {
                xhtml_to_text(&text)
            } else {
                text
            });
        } else if let Some(t) = opt(&a.title) {
            findings.push(format!("【添付】{t}"));
        }
    }
    if findings.is_empty()
        && let Some(n) = r.text.as_deref()
    {
        findings.push(xhtml_to_text(&n.div.value));
    }
    let report = ProcedureReport {
        category: category_of(&categories),
        stage: ProcedureStage::Report,
        order_no: r.identifier.first().map(|i| s(&i.value)).unwrap_or_default(),
        items: vec![ProcedureItem {
            procedure: concept(&r.code),
            order_no: String::new(),
            observations,
        }],
        findings: findings.join("\n"),
        accession: String::new(),
        study_uid: String::new(),
        modality: String::new(),
        ordered_at: None,
        performed: performed.or(ts(&r.issued)),
        orderer: r.performer.iter().find_map(|x| ctx.clinician(x)),
        department: categories.first().cloned().filter(|c| !c.is_empty()),
    };
    let status = status_of(&text_of(&r.status));
    let rec = ctx.record(
        patient,
        "DiagnosticReport",
        id_of(&r.id).as_deref(),
        r.meta.as_deref(),
        status,
        Clinical::Procedure(report),
    );
    Mapped::one(rec, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_in_japanese_and_english() {
        let cat = |code: &str, text: &str| category_of(&[Code::new(code, text, "http://loinc.org")]);
        assert_eq!(cat("LP29684-5", "放射線検査"), ProcedureCategory::Radiology);
        assert_eq!(cat("RAD", "Radiology"), ProcedureCategory::Radiology);
        assert_eq!(cat("LP7796-8", "内視鏡検査"), ProcedureCategory::Endoscopy);
        assert_eq!(cat("LP29708-2", "生理検査"), ProcedureCategory::Physiology);
        assert_eq!(cat("", "act of caring"), ProcedureCategory::Other);
    }
}
