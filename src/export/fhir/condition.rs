//! Condition: MEDIS disease number and ICD-10 codings, the name as recorded, clinical and
//! verification status (疑い → provisional), onset, abatement and recorded dates.

use super::ctx::Ctx;
use super::systems::{CONDITION_CATEGORY, CONDITION_CLINICAL, CONDITION_VERIFICATION};
use super::types::{Obj, concept_of, date_time, fixed, meta};
use crate::model::{Diagnosis, Timestamp};
use serde_json::{Value, json};

pub fn condition(d: &Diagnosis, id: &str, written: Option<Timestamp>, ctx: &Ctx) -> Value {
    let clinical = if d.is_active() {
        "active"
    } else if d.resolved.is_some() || d.outcome.as_ref().is_some_and(|o| o.code == "R") {
        "resolved"
    } else {
        "inactive"
    };
    let verification = if d.suspected { "provisional" } else { "confirmed" };
    let codes: Vec<&crate::model::Code> = d.medis.iter().chain(d.icd10.iter()).collect();
    // The setting (外来時, 入院時 ...) says at which encounter it was diagnosed.
    let mut category = fixed(CONDITION_CATEGORY, "encounter-diagnosis");
    if let Some(s) = d.setting.as_ref().filter(|s| !s.text.is_empty()) {
        category["text"] = json!(s.text);
    }
    Obj::resource("Condition", id)
        .opt("meta", meta(written, ctx.drill))
        .set("clinicalStatus", fixed(CONDITION_CLINICAL, clinical))
        .set("verificationStatus", fixed(CONDITION_VERIFICATION, verification))
        .set("category", json!([category]))
        .set("code", concept_of(&codes, &d.name))
        .set("subject", ctx.subject())
        .opt("onsetDateTime", d.onset.map(date_time))
        .opt("abatementDateTime", d.resolved.map(date_time))
        .opt("recordedDate", d.recorded_at.map(date_time))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::export::fhir::systems::{ICD10, MEDIS_DISEASE};
    use crate::model::Code;

    #[test]
    fn codes_statuses_and_dates() {
        let d = Diagnosis {
            name: "２型糖尿病の疑い".into(),
            medis: Some(Code::new("20061234", "２型糖尿病", "MDCDX2")),
            icd10: Some(Code::new("E119", "", "I10")),
            suspected: true,
            onset: Timestamp::parse_iso("2024-05-29"),
            outcome: Some(Code::new("N", "回復せず", "HL70241")),
            setting: Some(Code::new("O", "外来時", "JHSD0004")),
            recorded_at: Timestamp::parse_iso("2024-06-03"),
            ..Diagnosis::default()
        };
        let j = condition(&d, "c1", None, &test_ctx());
        assert_eq!(j["clinicalStatus"]["coding"][0]["code"], "active");
        assert_eq!(j["verificationStatus"]["coding"][0]["code"], "provisional");
        assert_eq!(j["code"]["text"], "２型糖尿病の疑い");
        assert_eq!(j["code"]["coding"][0]["system"], MEDIS_DISEASE);
        assert_eq!(j["code"]["coding"][0]["code"], "20061234");
        assert_eq!(j["code"]["coding"][1]["system"], ICD10);
        assert_eq!(j["code"]["coding"][1]["code"], "E119");
        assert_eq!(j["category"][0]["text"], "外来時");
        assert_eq!(j["onsetDateTime"], "2024-05-29");
        assert_eq!(j["recordedDate"], "2024-06-03");
        assert!(j.get("abatementDateTime").is_none());

        let healed = Diagnosis {
            name: "腰痛症".into(),
            outcome: Some(Code::new("R", "治癒", "HL70241")),
            resolved: Timestamp::parse_iso("2026-05-24"),
            ..Diagnosis::default()
        };
        let j = condition(&healed, "c2", None, &test_ctx());
        assert_eq!(j["clinicalStatus"]["coding"][0]["code"], "resolved");
        assert_eq!(j["verificationStatus"]["coding"][0]["code"], "confirmed");
        assert_eq!(j["abatementDateTime"], "2026-05-24");
        assert!(j["code"].get("coding").is_none());
    }
}
