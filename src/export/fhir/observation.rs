//! Observation: specimen lab results (category laboratory, JLAC10 and the local code, value as
//! Quantity or string, reference range, H/L interpretation, collected and reported times) and
//! vital signs (category vital-signs, LOINC), including height and weight from the patient
//! master.

use super::ctx::Ctx;
use super::systems::{INTERPRETATION, LOINC, OBSERVATION_CATEGORY};
use super::types::{Obj, concept_of, date_time, decimal, fixed, instant, meta, quantity};
use crate::model::{AbnormalFlag, Code, LabResult, Quantity, Timestamp, Vital, VitalComponent};
use serde_json::{Value, json};

/// A value as FHIR `value[x]`: a Quantity when it is a number, else a string.
fn value(text: &str, unit: &str) -> Option<(&'static str, Value)> {
    if text.is_empty() {
        return None;
    }
    match quantity(&Quantity::new(text, unit)) {
        Some(q) => Some(("valueQuantity", q)),
        None => Some(("valueString", json!(text))),
    }
}

fn interpretation(flag: Option<AbnormalFlag>) -> Option<Value> {
    let code = match flag? {
        AbnormalFlag::Normal => "N",
        f => f.mark(),
    };
    Some(json!([{"coding": [{"system": INTERPRETATION, "code": code}]}]))
}

/// The range as written (`6.6-8.1`, `>=60`, `<=0.5`, `(-)`): low and high only when the text
/// says them, as written, so that `8.0-20.0` keeps its zeros.
fn reference_range(range: &str, unit: &str) -> Option<Value> {
    let r = range.trim();
    if r.is_empty() {
        return None;
    }
    let bound = |s: &str| decimal(s).map(|v| Obj::new().set("value", v).text("unit", unit).build());
    let (low, high) = if let Some(lo) = r.strip_prefix(">=") {
        (bound(lo), None)
    } else if let Some(hi) = r.strip_prefix("<=") {
        (None, bound(hi))
    } else {
        // `a-b`; a leading minus belongs to the low number.
        let cut = r.char_indices().skip(1).find(|(_, c)| *c == '-').map(|(i, _)| i);
        match cut.map(|i| (bound(&r[..i]), bound(&r[i + 1..]))) {
            Some((Some(lo), Some(hi))) => (Some(lo), Some(hi)),
            _ => (None, None),
        }
    };
    Some(json!([Obj::new()
        .opt("low", low)
        .opt("high", high)
        .set("text", r)
        .build()]))
}

pub fn lab(l: &LabResult, id: &str, written: Option<Timestamp>, ctx: &Ctx) -> Value {
    let status = match l.result_status.as_str() {
        "P" | "preliminary" | "I" | "registered" => "preliminary",
        "C" | "corrected" => "corrected",
        "amended" => "amended",
        _ => "final",
    };
    let codes: Vec<&Code> = std::iter::once(&l.test).chain(l.local_test.iter()).collect();
    let value = value(&l.value, &l.unit);
    let specimen = l
        .specimen
        .as_ref()
        .map(|s| json!({"display": s.display()}))
        .filter(|s| s["display"] != "");
    let notes = l.comments.iter().map(|c| json!({"text": c})).collect();
    let mut o = Obj::resource("Observation", id)
        .opt("meta", meta(written, ctx.drill))
        .set("status", status)
        .set("category", json!([fixed(OBSERVATION_CATEGORY, "laboratory")]))
        .set("code", concept_of(&codes, &l.test.text))
        .set("subject", ctx.subject())
        .opt("effectiveDateTime", l.collected.map(date_time))
        .opt("issued", l.reported.map(instant));
    // A result not yet in has no value; dataAbsentReason would add words the source never sent.
    if let Some((key, v)) = value {
        o = o.set(key, v);
    }
    o.opt("interpretation", interpretation(l.flag))
        .list("note", notes)
        .opt("specimen", specimen)
        .opt("referenceRange", reference_range(&l.range, &l.unit))
        .build()
}

/// The LOINC code of the FHIR vital-signs profiles for a sign sent with a JLAC10 code (SS-MIX2
/// extended storage, by analyte: the first five characters, so that NHO's 16-character
/// temperature code maps too) or as SpO2 by name. The code as sent stays as a second coding.
fn vital_loinc(sign: &Code) -> Option<Code> {
    if sign.system == LOINC {
        return None;
    }
    let c = sign.code.trim();
    let analyte = if c.len() >= 15 && c.is_ascii() {
        &c[..5]
    } else {
        ""
    };
    let (code, name) = match analyte {
        "9P100" => ("8310-5", "Body temperature"),
        "9P300" => ("8867-4", "Heart rate"),
        "9A751" => ("8480-6", "Systolic blood pressure"),
        "9A761" => ("8462-4", "Diastolic blood pressure"),
        "9P200" => ("9279-1", "Respiratory rate"),
        "9N006" => ("29463-7", "Body weight"),
        "9N001" => ("8302-2", "Body height"),
        _ if sign.text.eq_ignore_ascii_case("SpO2") || c.eq_ignore_ascii_case("SPO2") => {
            ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")
        }
        _ => return None,
    };
    Some(Code::new(code, name, LOINC))
}

pub fn vital(v: &Vital, id: &str, written: Option<Timestamp>, ctx: &Ctx) -> Value {
    let component = |c: &VitalComponent| {
        let mut o = Obj::new().set("code", concept_of(&[&c.name], &c.name.text));
        if let Some((key, val)) = value(&c.value, &c.unit) {
            o = o.set(key, val);
        }
        o.build()
    };
    let mut o = Obj::resource("Observation", id)
        .opt("meta", meta(written, ctx.drill))
        .set("status", "final")
        .set("category", json!([fixed(OBSERVATION_CATEGORY, "vital-signs")]))
        .set("code", {
            let loinc = vital_loinc(&v.sign);
            let codes: Vec<&Code> = loinc.iter().chain(std::iter::once(&v.sign)).collect();
            concept_of(&codes, &v.sign.text)
        })
        .set("subject", ctx.subject())
        .opt("effectiveDateTime", v.measured.map(date_time));
    if let Some((key, val)) = value(&v.value, &v.unit) {
        o = o.set(key, val);
    }
    o.opt("interpretation", interpretation(v.flag))
        .list("component", v.components.iter().map(component).collect())
        .build()
}

/// Height (`8302-2`) or weight (`29463-7`) from the patient master, as a vital sign.
pub fn body_measure(
    loinc: &str,
    name: &str,
    q: &Quantity,
    when: Option<Timestamp>,
    id: &str,
    ctx: &Ctx,
) -> Option<Value> {
    quantity(q)?;
    let v = Vital {
        sign: Code::new(loinc, name, LOINC),
        value: q.value.clone(),
        number: q.number,
        unit: q.unit.clone(),
        components: Vec::new(),
        flag: None,
        measured: when,
    };
    Some(vital(&v, id, when, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::export::fhir::systems::JLAC10;

    fn tp() -> LabResult {
        let mut l = LabResult::new(Code::new("3A010000002327101", "総蛋白", "JC10"), "6.30".into());
        l.local_test = Some(Code::new("10222", "ＴＰ", "99X03"));
        l.unit = "g/dL".into();
        l.range = "6.6-8.1".into();
        l.flag = Some(AbnormalFlag::Low);
        l.result_status = "F".into();
        l.specimen = Some(Code::new("023", "血清", "JC10"));
        l.collected = Timestamp::parse_iso("2026-11-18T10:45");
        l.reported = Timestamp::parse_iso("2026-11-18T11:48:22");
        l
    }

    #[test]
    fn numeric_lab_result() {
        let j = lab(&tp(), "o1", None, &test_ctx());
        assert_eq!(j["status"], "final");
        assert_eq!(j["category"][0]["coding"][0]["code"], "laboratory");
        assert_eq!(
            j["code"]["coding"][0],
            json!({"system": JLAC10, "code": "3A010000002327101", "display": "総蛋白"})
        );
        assert_eq!(j["code"]["coding"][1]["code"], "10222");
        assert_eq!(j["code"]["text"], "総蛋白");
        assert_eq!(j["valueQuantity"].to_string(), r#"{"value":6.30,"unit":"g/dL"}"#);
        assert_eq!(j["interpretation"][0]["coding"][0]["code"], "L");
        assert_eq!(j["referenceRange"][0]["low"]["value"].to_string(), "6.6");
        assert_eq!(j["referenceRange"][0]["high"]["value"].to_string(), "8.1");
        assert_eq!(j["referenceRange"][0]["text"], "6.6-8.1");
        assert_eq!(j["effectiveDateTime"], "2026-11-18T10:45:00+09:00");
        assert_eq!(j["issued"], "2026-11-18T11:48:22+09:00");
        assert_eq!(j["specimen"]["display"], "血清");
    }

    #[test]
    fn text_results_and_ranges() {
        let mut l = tp();
        l.value = "(2+)".into();
        l.unit = String::new();
        l.range = "(-)".into();
        l.flag = Some(AbnormalFlag::Abnormal);
        let j = lab(&l, "o2", None, &test_ctx());
        assert_eq!(j["valueString"], "(2+)");
        assert!(j.get("valueQuantity").is_none());
        assert_eq!(j["interpretation"][0]["coding"][0]["code"], "A");
        assert_eq!(j["referenceRange"][0], json!({"text": "(-)"}));
        let r = reference_range(">=60", "mL/min/1.73m2").unwrap_or_default();
        assert_eq!(r[0]["low"]["value"], 60);
        assert!(r[0].get("high").is_none());
        let r = reference_range("8.0-20.0", "mg/dL").unwrap_or_default();
        assert_eq!(r[0]["high"]["value"].to_string(), "20.0");
        let r = reference_range("-5-5", "").unwrap_or_default();
        assert_eq!(r[0]["low"]["value"], -5);
    }

    #[test]
    fn jlac10_vitals_gain_their_loinc_code() {
        let v = Vital {
            sign: Code::new("9P10000000000001", "体温", "JC10"),
            value: "38.6".into(),
            number: Some(38.6),
            unit: "℃".into(),
            measured: Timestamp::parse_iso("2026-11-19T06:00"),
            ..Vital::default()
        };
        let j = vital(&v, "t1", None, &test_ctx());
        assert_eq!(j["category"][0]["coding"][0]["code"], "vital-signs");
        assert_eq!(j["code"]["coding"][0]["system"], LOINC);
        assert_eq!(j["code"]["coding"][0]["code"], "8310-5");
        assert_eq!(j["code"]["coding"][1]["code"], "9P10000000000001");
        assert_eq!(j["code"]["text"], "体温");
        assert_eq!(j["effectiveDateTime"], "2026-11-19T06:00:00+09:00");
        let spo2 = Vital {
            sign: Code::new("SPO2", "SpO2", "99ZL01"),
            ..v.clone()
        };
        assert_eq!(
            vital(&spo2, "s1", None, &test_ctx())["code"]["coding"][0]["code"],
            "59408-5"
        );
        let other = Vital {
            sign: Code::new("JCS", "意識レベル", "99ZL01"),
            ..v
        };
        let j = vital(&other, "o1", None, &test_ctx());
        assert_eq!(j["code"]["coding"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn weight_is_a_vital_sign() {
        let j = body_measure(
            "29463-7",
            "体重",
            &Quantity::new("53.4", "kg"),
            Timestamp::parse_iso("2021-04-28T11:05"),
            "w1",
            &test_ctx(),
        )
        .unwrap_or_default();
        assert_eq!(j["category"][0]["coding"][0]["code"], "vital-signs");
        assert_eq!(
            j["code"]["coding"][0],
            json!({"system": LOINC, "code": "29463-7", "display": "体重"})
        );
        assert_eq!(j["valueQuantity"].to_string(), r#"{"value":53.4,"unit":"kg"}"#);
    }
}
