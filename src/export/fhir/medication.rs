//! MedicationRequest (prescriptions and injections) and MedicationAdministration, JP Core style:
//! HOT codes, dosage text exactly as the order's, JAMI usage code as the timing code, dose per
//! administration, the daily dose as a Ratio per 1 day, days supplied, route.

use super::ctx::Ctx;
use super::systems::{LOCAL_ID_BASE, MERIT9_CATEGORY, RP_NUMBER, UCUM};
use super::types::{Obj, concept, concept_of, date_time, meta, quantity};
use crate::model::{Code, MedicationAdministration, MedicationOrder, OrderKind, Timestamp};
use serde_json::{Value, json};

/// `n 日` as a UCUM duration.
fn days(n: u32) -> Value {
    json!({"value": n, "unit": "日", "system": UCUM, "code": "d"})
}

/// Injections say so in a category a person (and our reader) can read: the route alone does
/// not tell a subcutaneous injection from an ointment.
fn injection_category() -> Value {
    json!({"text": "注射"})
}

pub fn request(m: &MedicationOrder, id: &str, written: Option<Timestamp>, ctx: &Ctx) -> Value {
    let end = m.end.map(|e| e.value()).or_else(|| {
        let start = m.start?.value();
        Some(start + chrono::Duration::days(i64::from(m.days?)))
    });
    let mut categories: Vec<Value> = m
        .categories
        .iter()
        .map(|c| {
            // MERIT-9 order categories (外来処方, 院外処方 ...) have a JP Core code system.
            if c.system.eq_ignore_ascii_case("MR9P") {
                let mut c = c.clone();
                c.system = MERIT9_CATEGORY.to_string();
                concept(&c)
            } else {
                concept(c)
            }
        })
        .collect();
    if m.kind == OrderKind::Injection && !m.categories.iter().any(|c| c.text.contains("注射")) {
        categories.push(injection_category());
    }
    let drug_codes: Vec<&Code> = std::iter::once(&m.drug).chain(&m.other_codes).collect();
    let identifier: Vec<Value> = if m.rp.is_empty() {
        Vec::new()
    } else {
        vec![json!({"system": RP_NUMBER, "value": m.rp})]
    };
    let group = (!m.order_no.is_empty())
        .then(|| json!({"system": format!("{LOCAL_ID_BASE}order"), "value": m.order_no}));
    let dispense = Obj::new()
        .opt("quantity", m.total.as_ref().and_then(quantity))
        .opt("expectedSupplyDuration", m.days.map(days))
        .build();
    Obj::resource("MedicationRequest", id)
        .opt("meta", meta(written, ctx.drill))
        .list("identifier", identifier)
        .set("status", ctx.order_status(end))
        .set("intent", "order")
        .list("category", categories)
        .set("medicationCodeableConcept", concept_of(&drug_codes, &m.drug.text))
        .set("subject", ctx.subject())
        .opt("authoredOn", m.ordered_at.map(date_time))
        .opt("requester", m.prescriber.as_ref().and_then(|p| ctx.person(p)))
        .opt("groupIdentifier", group)
        .set("dosageInstruction", json!([dosage(m)]))
        .opt("dispenseRequest", (dispense != json!({})).then_some(dispense))
        .build()
}

fn dosage(m: &MedicationOrder) -> Value {
    let repeat = match (m.days, m.end) {
        (Some(n), _) => Some(json!({"boundsDuration": days(n)})),
        (None, Some(end)) => Some(json!({"boundsPeriod": Obj::new()
            .opt("start", m.start.map(date_time))
            .set("end", date_time(end))
            .build()})),
        (None, None) => None,
    };
    // The first day goes in `event` unless a bounding period already carries it.
    let event = m
        .start
        .filter(|_| m.days.is_some() || m.end.is_none())
        .map(|s| json!([date_time(s)]));
    let timing = Obj::new()
        .opt("event", event)
        .opt("repeat", repeat)
        .opt("code", m.dosage.as_ref().map(concept))
        .build();
    let mut dose_and_rate = Vec::new();
    let dose = match (&m.dose, &m.dose_max) {
        (Some(lo), Some(hi)) => quantity(lo)
            .zip(quantity(hi))
            .map(|(lo, hi)| ("doseRange", json!({"low": lo, "high": hi}))),
        (Some(d), None) => quantity(d).map(|q| ("doseQuantity", q)),
        _ => None,
    };
    let daily = m.daily_dose.as_ref().and_then(quantity).map(
        |n| json!({"numerator": n, "denominator": {"value": 1, "unit": "日", "system": UCUM, "code": "d"}}),
    );
    if dose.is_some() || daily.is_some() {
        let mut o = Obj::new();
        if let Some((key, d)) = dose {
            o = o.set(key, d);
        }
        dose_and_rate.push(o.opt("rateRatio", daily).build());
    }
    // Rate is a choice with the daily ratio: an infusion rate gets its own element.
    if let Some(rate) = m.rate.as_ref().and_then(quantity) {
        dose_and_rate.push(json!({"rateQuantity": rate}));
    }
    Obj::new()
        .text("text", &m.dosage_text())
        .opt("timing", (timing != json!({})).then_some(timing))
        .opt("site", m.site.as_ref().map(concept))
        .opt("route", m.route.as_ref().map(concept))
        .list("doseAndRate", dose_and_rate)
        .build()
}

/// `None` when the record has no time: FHIR requires `effective[x]`.
pub fn administration(
    a: &MedicationAdministration,
    id: &str,
    written: Option<Timestamp>,
    request: Option<String>,
    ctx: &Ctx,
) -> Option<Value> {
    let effective = match (a.start, a.end) {
        (Some(s), Some(e)) if s != e => (
            "effectivePeriod",
            json!({"start": date_time(s), "end": date_time(e)}),
        ),
        (Some(t), _) | (None, Some(t)) => ("effectiveDateTime", json!(date_time(t))),
        (None, None) => return None,
    };
    // HL7 v2 completion status (table 0322) or a FHIR status.
    let status = match a.completion.as_str() {
        "RE" | "NA" | "not-done" => "not-done",
        "PA" | "stopped" => "stopped",
        "in-progress" | "on-hold" | "unknown" => "in-progress",
        _ => "completed",
    };
    let request = match request {
        Some(r) => Some(json!({"reference": r})),
        None => (!a.order_no.is_empty())
            .then(|| json!({"identifier": {"system": format!("{LOCAL_ID_BASE}order"), "value": a.order_no}})),
    };
    let dose = Obj::new()
        .opt("route", a.route.as_ref().map(concept))
        .opt("dose", a.amount.as_ref().and_then(quantity))
        .opt("rateQuantity", a.rate.as_ref().and_then(quantity))
        .build();
    let performer: Vec<Value> = a
        .performer
        .as_ref()
        .and_then(|p| ctx.person(p))
        .map(|p| json!({"actor": p}))
        .into_iter()
        .collect();
    let notes = a.comments.iter().map(|c| json!({"text": c})).collect();
    let has_dose = dose.get("dose").is_some() || dose.get("rateQuantity").is_some();
    Some(
        Obj::resource("MedicationAdministration", id)
            .opt("meta", meta(written, ctx.drill))
            .set("status", status)
            .opt(
                "category",
                (a.kind == OrderKind::Injection).then(injection_category),
            )
            .set("medicationCodeableConcept", concept(&a.drug))
            .set("subject", ctx.subject())
            .set(effective.0, effective.1)
            .list("performer", performer)
            .opt("request", request)
            .list("note", notes)
            // FHIR: a dosage has a dose or a rate (mad-1).
            .opt("dosage", has_dose.then_some(dose))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::export::fhir::systems::{HOT9, JAMI_USAGE, YJ};
    use crate::model::{Clinician, DrugCodeSystem, Quantity};

    fn fexofenadine() -> MedicationOrder {
        let mut m = MedicationOrder::new(
            OrderKind::Prescription,
            Code::new(
                "117010302",
                "フェキソフェナジン塩酸塩錠６０ｍｇ「サワイ」",
                "HOT9",
            ),
            DrugCodeSystem::Hot,
        );
        m.order_no = "000000440000060".into();
        m.rp = "1".into();
        m.other_codes = vec![Code::new("4490023F1195", "", "YJ")];
        m.dose = Some(Quantity::new("1", "錠"));
        m.daily_dose = Some(Quantity::new("2", "錠"));
        m.total = Some(Quantity::new("56", "錠"));
        m.dosage = Some(Code::new(
            "1012040400000000",
            "内服・経口・１日２回朝夕食後",
            "JAMISDP01",
        ));
        m.route = Some(Code::new("PO", "口", "HL70162"));
        m.days = Some(28);
        m.start = Timestamp::parse_iso("2026-11-03T13:11");
        m.categories = vec![Code::new("OHP", "外来処方", "MR9P")];
        m.prescriber = Some(Clinician {
            id: "D0103".into(),
            name: "北村 拓海".into(),
        });
        m.ordered_at = Timestamp::parse_iso("2026-11-03T13:11:00");
        m
    }

    #[test]
    fn prescription_fields() {
        let j = request(&fexofenadine(), "m1", None, &test_ctx());
        assert_eq!(
            j["status"], "active",
            "28 days from 11-03 run past the export on 11-20"
        );
        assert_eq!(j["intent"], "order");
        assert_eq!(j["identifier"][0], json!({"system": RP_NUMBER, "value": "1"}));
        assert_eq!(j["groupIdentifier"]["value"], "000000440000060");
        assert_eq!(j["category"][0]["coding"][0]["system"], MERIT9_CATEGORY);
        let med = &j["medicationCodeableConcept"];
        assert_eq!(
            med["coding"][0],
            json!({"system": HOT9, "code": "117010302", "display": "フェキソフェナジン塩酸塩錠６０ｍｇ「サワイ」"})
        );
        assert_eq!(med["coding"][1]["system"], YJ);
        assert_eq!(med["text"], "フェキソフェナジン塩酸塩錠６０ｍｇ「サワイ」");
        let d = &j["dosageInstruction"][0];
        assert_eq!(d["text"], "内服・経口・１日２回朝夕食後");
        assert_eq!(d["timing"]["code"]["coding"][0]["system"], JAMI_USAGE);
        assert_eq!(d["timing"]["code"]["coding"][0]["code"], "1012040400000000");
        assert_eq!(d["timing"]["event"][0], "2026-11-03T13:11:00+09:00");
        assert_eq!(d["timing"]["repeat"]["boundsDuration"]["value"], 28);
        assert_eq!(d["route"]["coding"][0]["code"], "PO");
        assert_eq!(
            d["doseAndRate"][0]["doseQuantity"],
            json!({"value": 1, "unit": "錠"})
        );
        assert_eq!(
            d["doseAndRate"][0]["rateRatio"]["numerator"],
            json!({"value": 2, "unit": "錠"})
        );
        assert_eq!(d["doseAndRate"][0]["rateRatio"]["denominator"]["code"], "d");
        assert_eq!(j["dispenseRequest"]["expectedSupplyDuration"]["value"], 28);
        assert_eq!(j["dispenseRequest"]["quantity"]["value"], 56);
        assert_eq!(j["requester"]["display"], "北村 拓海");
        assert_eq!(j["authoredOn"], "2026-11-03T13:11:00+09:00");

        let mut old = fexofenadine();
        old.start = Timestamp::parse_iso("2026-01-05T10:00");
        assert_eq!(request(&old, "m2", None, &test_ctx())["status"], "completed");
    }

    #[test]
    fn injection_with_period_and_rate() {
        let mut m = MedicationOrder::new(
            OrderKind::Injection,
            Code::new("620007329", "ソリタ－Ｔ３号輸液５００ｍＬ", "HOT9"),
            DrugCodeSystem::Hot,
        );
        m.dose = Some(Quantity::new("1", "本"));
        m.instructions = vec!["８時間一定速度で".into()];
        m.route = Some(Code::new("IV", "静脈内", "HL70162"));
        m.start = Timestamp::parse_iso("2026-09-02T22:00");
        m.end = Timestamp::parse_iso("2026-09-03T06:00");
        m.rate = Some(Quantity::new("63", "ミリリッター／時間"));
        let j = request(&m, "i1", None, &test_ctx());
        assert_eq!(j["category"][0]["text"], "注射");
        let d = &j["dosageInstruction"][0];
        assert_eq!(d["text"], "８時間一定速度で");
        assert_eq!(
            d["timing"]["repeat"]["boundsPeriod"]["start"],
            "2026-09-02T22:00:00+09:00"
        );
        assert_eq!(
            d["timing"]["repeat"]["boundsPeriod"]["end"],
            "2026-09-03T06:00:00+09:00"
        );
        assert!(d["timing"].get("event").is_none());
        assert_eq!(d["doseAndRate"][1]["rateQuantity"]["value"], 63);
        assert_eq!(j["status"], "completed");
    }

    #[test]
    fn administration_fields() {
        let a = MedicationAdministration {
            kind: OrderKind::Injection,
            order_no: "000000440000039".into(),
            rp: String::new(),
            drug: Code::new("620008901", "生理食塩液１００ｍＬ「オーツカ」", "HOT9"),
            amount: Some(Quantity::new("1", "本")),
            start: Timestamp::parse_iso("2026-09-02T20:00"),
            end: Timestamp::parse_iso("2026-09-02T21:00"),
            route: Some(Code::new("IV", "静脈内", "HL70162")),
            rate: None,
            performer: Some(Clinician {
                id: "N0058".into(),
                name: "入力 花子".into(),
            }),
            location: String::new(),
            comments: vec!["刺入部異常なし".into()],
            completion: "CP".into(),
        };
        let j = administration(&a, "x1", None, Some("MedicationRequest/i1".into()), &test_ctx());
        let j = j.unwrap_or_default();
        assert_eq!(j["status"], "completed");
        assert_eq!(j["category"]["text"], "注射");
        assert_eq!(j["effectivePeriod"]["end"], "2026-09-02T21:00:00+09:00");
        assert_eq!(j["request"]["reference"], "MedicationRequest/i1");
        assert_eq!(j["performer"][0]["actor"]["display"], "入力 花子");
        assert_eq!(j["dosage"]["dose"], json!({"value": 1, "unit": "本"}));
        assert_eq!(j["note"][0]["text"], "刺入部異常なし");
        let mut untimed = a.clone();
        untimed.start = None;
        untimed.end = None;
        assert!(administration(&untimed, "x2", None, None, &test_ctx()).is_none());
    }
}
