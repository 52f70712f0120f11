//! Patient: JP Core kanji and kana names, identifiers, sex, birth date, address, telecom.

use super::common::{opt, s, ts};
use super::{Ctx, Mapped, id_of};
use crate::fhir::refs::{NO_PATIENT, PatientKeys};
use crate::model::{Address, Clinical, PersonName, Phone, RecordStatus, Sex};
use crate::text::{is_kana, katakana};
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{Patient, PatientDeceased};
use lifeboat_fhir_parse::fhirbolt::model::r4::types::{ExtensionValue, HumanName};

/// JP Core tells kanji from kana names by this extension: `IDE` ideographic, `SYL` syllabic.
const NAME_REPRESENTATION: &str = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

pub fn map(p: &Patient, ctx: &Ctx) -> Mapped {
    let keys = PatientKeys::from_resource(p, ctx.full_url.as_deref());
    let id = ctx
        .index
        .patient_id(ctx.at(), &keys)
        .unwrap_or_else(|| NO_PATIENT.to_string());
    let mut other_ids: Vec<String> = keys
        .identifiers
        .iter()
        .filter(|i| i.value != id)
        .map(|i| {
            if i.system.is_empty() {
                i.value.clone()
            } else {
                format!("{}|{}", i.system, i.value)
            }
        })
        .collect();
    if let Some(rid) = &keys.id
        && rid != &id
    {
        other_ids.push(format!("Patient/{rid}"));
    }
    let (kanji, kana) = names(&p.name);
    let sex = match p.gender.as_ref().and_then(|g| g.value.as_deref()) {
        Some("male") => Sex::Male,
        Some("female") => Sex::Female,
        Some("other") => Sex::Other,
        _ => Sex::Unknown,
    };
    let deceased = match &p.deceased {
        Some(PatientDeceased::DateTime(d)) => d.value.as_deref().and_then(crate::fhir::time::parse),
        _ => None,
    };
    let addresses = p
        .address
        .iter()
        .map(|a| {
            let text = opt(&a.text).unwrap_or_else(|| {
                let mut parts = vec![s(&a.state), s(&a.city), s(&a.district)];
                parts.extend(a.line.iter().map(|l| l.value.clone().unwrap_or_default()));
                parts.retain(|x| !x.is_empty());
                parts.join(" ")
            });
            Address {
                postal_code: s(&a.postal_code),
                text,
                kind: s(&a.r#use),
            }
        })
        .collect();
    let phones = p
        .telecom
        .iter()
        .filter(|t| {
            matches!(
                t.system.as_ref().and_then(|x| x.value.as_deref()),
                None | Some("phone") | Some("sms")
            )
        })
        .filter_map(|t| {
            Some(Phone {
                kind: s(&t.r#use),
                number: opt(&t.value)?,
            })
        })
        .collect();
    let patient = crate::model::Patient {
        id: id.clone(),
        other_ids,
        name_kanji: kanji,
        name_kana: kana,
        other_names: Vec::new(),
        sex,
        birth_date: ts(&p.birth_date),
        addresses,
        phones,
        blood_type: None,
        height: None,
        weight: None,
        updated_at: p.meta.as_deref().and_then(|m| ts(&m.last_updated)),
        deceased,
    };
    let rec = ctx.record(
        id,
        "Patient",
        id_of(&p.id).as_deref(),
        p.meta.as_deref(),
        RecordStatus::Current,
        Clinical::Patient(patient),
    );
    Mapped::one(rec, Vec::new())
}

/// The kanji and the kana name. The representation extension decides; without it a name in
/// kana only is the reading, and the first other name (`official` first) is the name shown.
fn names(names: &[HumanName]) -> (Option<PersonName>, Option<PersonName>) {
    let mut kanji = None;
    let mut kana = None;
    let mut plain: Vec<&HumanName> = Vec::new();
    for n in names {
        match representation(n).as_deref() {
            Some("IDE") => {
                kanji.get_or_insert_with(|| person(n));
            }
            Some("SYL") => {
                kana.get_or_insert_with(|| {
                    let p = person(n);
                    PersonName {
                        family: katakana(&p.family),
                        given: katakana(&p.given),
                    }
                });
            }
            _ => plain.push(n),
        }
    }
    plain.sort_by_key(|n| n.r#use.as_ref().and_then(|u| u.value.as_deref()) != Some("official"));
    for n in plain {
        let p = person(n);
        if p.is_empty() {
            continue;
        }
        if is_kana(&p.full()) && kana.is_none() {
            kana = Some(PersonName {
                family: katakana(&p.family),
                given: katakana(&p.given),
            });
        } else if kanji.is_none() {
            kanji = Some(p);
        }
    }
    (kanji, kana)
}

fn representation(n: &HumanName) -> Option<String> {
    n.extension
        .iter()
        .find(|e| e.url == NAME_REPRESENTATION)
        .and_then(|e| match &e.value {
            Some(ExtensionValue::Code(c)) => c.value.clone(),
            _ => None,
        })
}

/// Family and given names; from `text` ("山田 太郎") when the parts are missing.
fn person(n: &HumanName) -> PersonName {
    let family = s(&n.family);
    let given: Vec<String> = n.given.iter().filter_map(|g| g.value.clone()).collect();
    if family.is_empty() && given.is_empty() {
        let text = s(&n.text);
        let mut parts = text.splitn(2, [' ', '　']);
        return PersonName {
            family: parts.next().unwrap_or_default().to_string(),
            given: parts.next().unwrap_or_default().trim().to_string(),
        };
    }
    PersonName {
        family,
        given: given.join(" "),
    }
}
