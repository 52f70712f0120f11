//! NutritionOrder for diet orders: diet types, instructions, meals and period. Our reader
//! keeps NutritionOrder as source text, which is what the viewer shows for it.

use super::ctx::Ctx;
use super::systems::LOCAL_ID_BASE;
use super::types::{Obj, concept, date_time, meta, period};
use crate::model::{DietOrder, Timestamp};
use serde_json::{Value, json};

/// `None` when the order has no date at all: FHIR requires `dateTime`.
pub fn nutrition_order(d: &DietOrder, id: &str, written: Option<Timestamp>, ctx: &Ctx) -> Option<Value> {
    let when = d.ordered_at.or(d.start).or(written)?;
    let schedule = Obj::new()
        .opt(
            "repeat",
            period(d.start, d.end).map(|p| json!({"boundsPeriod": p})),
        )
        .opt("code", d.frequency.as_ref().map(concept))
        .build();
    let oral = Obj::new()
        .list("type", d.diets.iter().map(concept).collect())
        .list(
            "schedule",
            if schedule == json!({}) {
                Vec::new()
            } else {
                vec![schedule]
            },
        )
        .text("instruction", &d.instructions.join("\n"))
        .build();
    let identifier = if d.order_no.is_empty() {
        Vec::new()
    } else {
        vec![json!({"system": format!("{LOCAL_ID_BASE}order"), "value": d.order_no})]
    };
    Some(
        Obj::resource("NutritionOrder", id)
            .opt("meta", meta(written, ctx.drill))
            .list("identifier", identifier)
            .set("status", ctx.order_status(d.end.map(|e| e.value())))
            .set("intent", "order")
            .set("patient", ctx.subject())
            .set("dateTime", date_time(when))
            .opt("orderer", d.orderer.as_ref().and_then(|p| ctx.person(p)))
            .set("oralDiet", oral)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::model::{Clinician, Code};

    #[test]
    fn diet_order_fields() {
        let d = DietOrder {
            order_no: "000000020000007".into(),
            diets: vec![Code::new("010", "減塩食", "99XY3")],
            instructions: vec!["塩分６ｇ／日".into()],
            frequency: Some(Code::new("TID", "１日３回", "HL70335")),
            start: Timestamp::parse_iso("2026-04-15T06:00"),
            end: None,
            ordered_at: Timestamp::parse_iso("2026-04-15T03:05:00"),
            orderer: Some(Clinician {
                id: "D0202".into(),
                name: "川口 英樹".into(),
            }),
        };
        let j = nutrition_order(&d, "n1", None, &test_ctx()).unwrap_or_default();
        assert_eq!(j["status"], "active");
        assert_eq!(j["identifier"][0]["value"], "000000020000007");
        assert_eq!(j["patient"]["reference"], "Patient/0000010003");
        assert_eq!(j["dateTime"], "2026-04-15T03:05:00+09:00");
        assert_eq!(j["oralDiet"]["type"][0]["text"], "減塩食");
        assert_eq!(j["oralDiet"]["instruction"], "塩分６ｇ／日");
        assert_eq!(j["oralDiet"]["schedule"][0]["code"]["coding"][0]["code"], "TID");
        assert_eq!(
            j["oralDiet"]["schedule"][0]["repeat"]["boundsPeriod"]["start"],
            "2026-04-15T06:00:00+09:00"
        );
        assert_eq!(j["orderer"]["display"], "川口 英樹");
        let mut undated = d.clone();
        undated.ordered_at = None;
        undated.start = None;
        assert!(nutrition_order(&undated, "n2", None, &test_ctx()).is_none());
    }
}
