//! DiagnosticReport for radiology, endoscopy and physiology examinations that were performed
//! or reported: the examination code, JP Core category, when it was done, and the findings as
//! the conclusion text. Orders not yet performed are not reports and are left out.

use super::ctx::Ctx;
use super::systems::{IDENTIFIER_TYPE, LOCAL_ID_BASE, LOINC};
use super::types::{Obj, concept, date_time, meta};
use crate::model::{ProcedureCategory, ProcedureReport, ProcedureStage, Timestamp};
use serde_json::{Value, json};

/// JP Core DiagnosticReport categories (LOINC parts), with the label a person reads.
fn category(c: ProcedureCategory) -> Option<Value> {
    let code = match c {
        ProcedureCategory::Radiology => "LP29684-5",
        ProcedureCategory::Endoscopy => "LP7796-8",
        // JP Core has no physiology part; 循環器 covers ECG and echo, the common ones.
        ProcedureCategory::Physiology => "LP29708-2",
        ProcedureCategory::Other => return None,
    };
    Some(json!({
        "coding": [{"system": LOINC, "code": code}],
        "text": c.label_ja(),
    }))
}

/// `None` for an order that has not been performed.
pub fn report(p: &ProcedureReport, id: &str, written: Option<Timestamp>, ctx: &Ctx) -> Option<Value> {
    if p.stage == ProcedureStage::Order {
        return None;
    }
    let code = p
        .items
        .first()
        .map(|i| concept(&i.procedure))
        .unwrap_or_else(|| json!({"text": p.category.label_ja()}));
    let mut identifier = Vec::new();
    if !p.order_no.is_empty() {
        identifier.push(json!({"system": format!("{LOCAL_ID_BASE}order"), "value": p.order_no}));
    }
    if !p.accession.is_empty() {
        identifier.push(json!({
            "type": {"coding": [{"system": IDENTIFIER_TYPE, "code": "ACSN"}]},
            "system": format!("{LOCAL_ID_BASE}accession"),
            "value": p.accession,
        }));
    }
    Some(
        Obj::resource("DiagnosticReport", id)
            .opt("meta", meta(written, ctx.drill))
            .list("identifier", identifier)
            .set("status", "final")
            .opt("category", category(p.category).map(|c| json!([c])))
            .set("code", code)
            .set("subject", ctx.subject())
            .opt("effectiveDateTime", p.performed.map(date_time))
            .text("conclusion", &p.findings)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::model::{Code, ProcedureItem};

    #[test]
    fn performed_examination_is_a_report() {
        let mut p = ProcedureReport {
            category: ProcedureCategory::Radiology,
            stage: ProcedureStage::Performed,
            order_no: "000000000000002".into(),
            items: vec![ProcedureItem {
                procedure: Code::new("1000000000000000", "Ｘ線単純撮影", "JJ1017"),
                ..ProcedureItem::default()
            }],
            findings: "読影所見: 腰椎の変形性変化あり。".into(),
            accession: "A20260507000002".into(),
            study_uid: String::new(),
            modality: "CR".into(),
            ordered_at: None,
            performed: Timestamp::parse_iso("2026-05-07T11:19"),
            orderer: None,
            department: None,
        };
        let j = report(&p, "r1", None, &test_ctx()).unwrap_or_default();
        assert_eq!(j["status"], "final");
        assert_eq!(j["category"][0]["coding"][0]["code"], "LP29684-5");
        assert_eq!(j["category"][0]["text"], "放射線検査");
        assert_eq!(j["code"]["text"], "Ｘ線単純撮影");
        assert_eq!(j["conclusion"], "読影所見: 腰椎の変形性変化あり。");
        assert_eq!(j["effectiveDateTime"], "2026-05-07T11:19:00+09:00");
        assert_eq!(j["identifier"][1]["type"]["coding"][0]["code"], "ACSN");
        p.stage = ProcedureStage::Order;
        assert!(report(&p, "r2", None, &test_ctx()).is_none());
    }
}
