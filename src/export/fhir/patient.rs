//! Patient: JP Core identifier, kanji (IDE) and kana (SYL) names, sex, birth date, address,
//! telephone. Height and weight become vital-sign Observations (see observation.rs).

use super::ctx::Ctx;
use super::systems::{JP_PATIENT_ID_SYSTEM, NAME_REPRESENTATION};
use super::types::{Obj, date, date_time, meta};
use crate::model::{Patient, PersonName, Sex, Timestamp};
use serde_json::{Value, json};

pub fn patient(p: &Patient, id: &str, updated: Option<Timestamp>, ctx: &Ctx) -> Value {
    let mut names = Vec::new();
    if let Some(n) = p.name_kanji.as_ref().filter(|n| !n.is_empty()) {
        names.push(name(n, "IDE"));
    }
    if let Some(n) = p.name_kana.as_ref().filter(|n| !n.is_empty()) {
        names.push(name(n, "SYL"));
    }
    let gender = match p.sex {
        Sex::Male => "male",
        Sex::Female => "female",
        Sex::Other => "other",
        Sex::Unknown => "unknown",
    };
    let telecom = p
        .phones
        .iter()
        .filter(|ph| !ph.number.is_empty())
        .map(|ph| {
            Obj::new()
                .set("system", "phone")
                .set("value", ph.number.as_str())
                .opt("use", phone_use(&ph.kind))
                .build()
        })
        .collect();
    let address = p
        .addresses
        .iter()
        .map(|a| {
            Obj::new()
                .opt("use", address_use(&a.kind))
                .text("text", &a.text)
                .text("postalCode", &a.postal_code)
                .set("country", "JP")
                .build()
        })
        .collect();
    Obj::resource("Patient", id)
        .opt("meta", meta(updated, ctx.drill))
        .set(
            "identifier",
            json!([{
                "system": format!("{JP_PATIENT_ID_SYSTEM}{}", ctx.institution),
                "value": ctx.patient_id,
            }]),
        )
        .list("name", names)
        .list("telecom", telecom)
        .set("gender", gender)
        .opt("birthDate", p.birth_date.map(date))
        .opt("deceasedDateTime", p.deceased.map(date_time))
        .list("address", address)
        .build()
}

/// A HumanName marked kanji (`IDE`) or kana (`SYL`) as JP Core does.
fn name(n: &PersonName, representation: &str) -> Value {
    let given: Vec<Value> = if n.given.is_empty() {
        Vec::new()
    } else {
        vec![Value::from(n.given.as_str())]
    };
    Obj::new()
        .set(
            "extension",
            json!([{"url": NAME_REPRESENTATION, "valueCode": representation}]),
        )
        .set("use", "official")
        .text("text", &n.full())
        .text("family", &n.family)
        .list("given", given)
        .build()
}

/// HL7 v2 telecom use (`PRN`, `WPN` ...) or a FHIR use, as FHIR ContactPoint.use.
fn phone_use(kind: &str) -> Option<&'static str> {
    match kind {
        "PRN" | "home" => Some("home"),
        "WPN" | "work" => Some("work"),
        "mobile" => Some("mobile"),
        _ => None,
    }
}

/// HL7 v2 address type (`H`, `B`, `O`) or a FHIR use, as FHIR Address.use.
fn address_use(kind: &str) -> Option<&'static str> {
    match kind {
        "H" | "home" => Some("home"),
        "B" | "O" | "work" => Some("work"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::model::{Address, Phone};

    #[test]
    fn jp_core_names_identifier_and_demographics() {
        let p = Patient {
            id: "0000010003".into(),
            name_kanji: Some(PersonName {
                family: "中川".into(),
                given: "正雄".into(),
            }),
            name_kana: Some(PersonName {
                family: "ナカガワ".into(),
                given: "マサオ".into(),
            }),
            sex: Sex::Male,
            birth_date: Timestamp::parse_iso("1940-05-08"),
            addresses: vec![Address {
                postal_code: "424-6474".into(),
                text: "静岡県静岡市清水区西町２－２２－１３".into(),
                kind: "H".into(),
            }],
            phones: vec![Phone {
                kind: "PRN".into(),
                number: "054-664-6759".into(),
            }],
            ..Patient::default()
        };
        let j = patient(
            &p,
            "0000010003",
            Timestamp::parse_iso("2021-04-28T11:05"),
            &test_ctx(),
        );
        assert_eq!(j["resourceType"], "Patient");
        assert_eq!(j["id"], "0000010003");
        assert_eq!(j["meta"]["lastUpdated"], "2021-04-28T11:05:00+09:00");
        assert_eq!(
            j["identifier"][0]["system"],
            "urn:oid:1.2.392.100495.20.3.51.12219999999"
        );
        assert_eq!(j["identifier"][0]["value"], "0000010003");
        assert_eq!(j["name"][0]["extension"][0]["url"], NAME_REPRESENTATION);
        assert_eq!(j["name"][0]["extension"][0]["valueCode"], "IDE");
        assert_eq!(j["name"][0]["text"], "中川 正雄");
        assert_eq!(j["name"][0]["family"], "中川");
        assert_eq!(j["name"][0]["given"][0], "正雄");
        assert_eq!(j["name"][1]["extension"][0]["valueCode"], "SYL");
        assert_eq!(j["name"][1]["family"], "ナカガワ");
        assert_eq!(j["gender"], "male");
        assert_eq!(j["birthDate"], "1940-05-08");
        assert_eq!(j["address"][0]["use"], "home");
        assert_eq!(j["address"][0]["postalCode"], "424-6474");
        assert_eq!(
            j["telecom"][0],
            json!({"system": "phone", "value": "054-664-6759", "use": "home"})
        );
    }
}
