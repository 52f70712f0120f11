//! AllergyIntolerance: category (medication, food, environment), the allergen as coded and
//! written, reaction and its severity, clinical status (removed → inactive), onset.

use super::ctx::Ctx;
use super::systems::{ALLERGY_CLINICAL, ALLERGY_VERIFICATION, SNOMED};
use super::types::{Obj, concept, date_time, fixed, meta};
use crate::model::{Allergy, AllergyCategory, Timestamp};
use serde_json::{Value, json};

/// SNOMED CT "No known allergy": how FHIR says "none known", which is never an allergy.
const NO_KNOWN_ALLERGY: &str = "716186003";

pub fn allergy(a: &Allergy, id: &str, written: Option<Timestamp>, ctx: &Ctx) -> Value {
    // FHIR has four categories; pollen is an environmental allergen there.
    let category = match a.category {
        AllergyCategory::Drug => Some("medication"),
        AllergyCategory::Food => Some("food"),
        AllergyCategory::Environment | AllergyCategory::Pollen => Some("environment"),
        AllergyCategory::Other => None,
    };
    let code = if a.none_known {
        json!({
            "coding": [{"system": SNOMED, "code": NO_KNOWN_ALLERGY, "display": "No known allergy"}],
            "text": a.allergen.display(),
        })
    } else {
        concept(&a.allergen)
    };
    // HL7 table 0128 (SV, MO, MI) or a FHIR severity.
    let severity = a.severity.as_ref().and_then(|s| match s.code.as_str() {
        "SV" | "severe" => Some("severe"),
        "MO" | "moderate" => Some("moderate"),
        "MI" | "mild" => Some("mild"),
        _ => None,
    });
    let reaction: Vec<Value> = if a.reaction.is_empty() {
        Vec::new()
    } else {
        vec![
            Obj::new()
                .set("manifestation", json!([{"text": a.reaction}]))
                .opt("severity", severity)
                .build(),
        ]
    };
    let clinical = if a.removed { "inactive" } else { "active" };
    Obj::resource("AllergyIntolerance", id)
        .opt("meta", meta(written, ctx.drill))
        .set("clinicalStatus", fixed(ALLERGY_CLINICAL, clinical))
        .set("verificationStatus", fixed(ALLERGY_VERIFICATION, "confirmed"))
        .set("type", "allergy")
        .opt("category", category.map(|c| json!([c])))
        .set("code", code)
        .set("patient", ctx.subject())
        .opt("onsetDateTime", a.onset.map(date_time))
        .opt(
            "onsetString",
            (a.onset.is_none() && !a.onset_text.is_empty()).then(|| a.onset_text.clone()),
        )
        .opt("recordedDate", a.recorded_at.map(date_time))
        .list("reaction", reaction)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::model::Code;

    fn milk() -> Allergy {
        Allergy {
            category: AllergyCategory::Food,
            category_code: Code::new("FA", "食物アレルギー", "HL70127"),
            allergen: Code::new("5A1002402023009", "牛乳", "JC10"),
            severity: Some(Code::new("MO", "中等度", "HL70128")),
            reaction: "湿疹".into(),
            onset: Timestamp::parse_iso("2002-09-05"),
            onset_text: String::new(),
            removed: false,
            none_known: false,
            recorded_at: Timestamp::parse_iso("2020-03-04T10:40:32"),
        }
    }

    #[test]
    fn category_allergen_reaction_status() {
        let j = allergy(&milk(), "a1", None, &test_ctx());
        assert_eq!(j["category"], json!(["food"]));
        assert_eq!(j["code"]["text"], "牛乳");
        assert_eq!(j["code"]["coding"][0]["code"], "5A1002402023009");
        assert_eq!(j["clinicalStatus"]["coding"][0]["code"], "active");
        assert_eq!(j["reaction"][0]["manifestation"][0]["text"], "湿疹");
        assert_eq!(j["reaction"][0]["severity"], "moderate");
        assert_eq!(j["onsetDateTime"], "2002-09-05");
        assert_eq!(j["recordedDate"], "2020-03-04T10:40:32+09:00");
        assert_eq!(j["patient"]["reference"], "Patient/0000010003");

        let mut pollen = milk();
        pollen.category = AllergyCategory::Pollen;
        pollen.removed = true;
        pollen.onset = None;
        pollen.onset_text = "小学校低学年の頃".into();
        let j = allergy(&pollen, "a2", None, &test_ctx());
        assert_eq!(j["category"], json!(["environment"]));
        assert_eq!(j["clinicalStatus"]["coding"][0]["code"], "inactive");
        assert_eq!(j["onsetString"], "小学校低学年の頃");
    }
}
