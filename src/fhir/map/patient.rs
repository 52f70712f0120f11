//! Patient: JP Core kanji and kana names (every other name kept), identifiers, sex, birth
//! date, address, telecom.

use super::common::{opt, s, ts};
use super::{Ctx, Mapped, id_of};
use crate::fhir::refs::{NO_PATIENT, PatientKeys};
use crate::model::{
    Address, Clinical, MAX_OTHER_IDS, MAX_OTHER_NAMES, OtherName, PersonName, Phone, RecordStatus, Sex,
    push_distinct,
};
use crate::report::Severity;
use crate::text::is_kana;
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{Patient, PatientDeceased};
use lifeboat_fhir_parse::fhirbolt::model::r4::types::{ExtensionValue, HumanName};
use std::collections::HashSet;

/// JP Core tells kanji from kana names by this extension: `IDE` ideographic, `SYL` syllabic.
const NAME_REPRESENTATION: &str = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

pub fn map(p: &Patient, ctx: &Ctx) -> Mapped {
    let keys = PatientKeys::from_resource(p, ctx.full_url.as_deref());
    let id = ctx
        .index
        .patient_id(ctx.at(), &keys)
        .unwrap_or_else(|| NO_PATIENT.to_string());
    let mut other_ids: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut dropped = 0usize;
    let rid = keys
        .id
        .iter()
        .filter(|rid| **rid != id)
        .map(|rid| format!("Patient/{rid}"));
    let idents = keys.identifiers.iter().filter(|i| i.value != id).map(|i| {
        if i.system.is_empty() {
            i.value.clone()
        } else {
            format!("{}|{}", i.system, i.value)
        }
    });
    for other in idents.chain(rid) {
        if !push_distinct(&mut other_ids, &mut seen, other, MAX_OTHER_IDS) {
            dropped += 1;
        }
    }
    let mut problems = Vec::new();
    if dropped > 0 {
        problems.push(ctx.problem(
            Severity::Warning,
            format!(
                "Patient has {dropped} more identifiers than the {MAX_OTHER_IDS} kept; the rest are not kept"
            ),
        ));
    }
    let (kanji, kana, other_names) = names(&p.name);
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
        other_names,
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
    Mapped::one(rec, problems)
}

/// How far a name is from the one to show: official first, then usual or unstated; a
/// maiden, old, temporary name or a nickname is never the main name.
fn rank(n: &HumanName) -> u8 {
    match n.r#use.as_ref().and_then(|u| u.value.as_deref()) {
        Some("official") => 0,
        None | Some("usual") => 1,
        _ => 2,
    }
}

/// The kanji and the kana name, and every other name as written. The representation
/// extension decides the script (`IDE` kanji, `SYL` kana, `ABC` alphabetic); without it a name
/// in kana only is the reading and any other is the name shown. An alphabetic name is shown
/// only when there is no other. Kana stays as written (hiragana is not turned into katakana;
/// the search index folds both).
fn names(names: &[HumanName]) -> (Option<PersonName>, Option<PersonName>, Vec<OtherName>) {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| rank(&names[i]));
    let mut kanji: Option<usize> = None;
    let mut kana: Option<usize> = None;
    let mut alphabetic: Option<usize> = None;
    for &i in order.iter().filter(|&&i| rank(&names[i]) < 2) {
        let n = &names[i];
        let p = person(n);
        if p.is_empty() {
            continue;
        }
        match representation(n).as_deref() {
            Some("IDE") => {
                kanji.get_or_insert(i);
            }
            Some("SYL") => {
                kana.get_or_insert(i);
            }
            Some("ABC") => {
                alphabetic.get_or_insert(i);
            }
            _ if is_kana(&p.full()) => {
                kana.get_or_insert(i);
            }
            _ => {
                kanji.get_or_insert(i);
            }
        }
    }
    let kanji = kanji.or(alphabetic);
    let main: Vec<(usize, PersonName)> = kanji
        .iter()
        .chain(kana.iter())
        .map(|&i| (i, person(&names[i])))
        .collect();
    let mut others = Vec::new();
    let mut seen = HashSet::new();
    for (i, n) in names.iter().enumerate() {
        if main.iter().any(|(j, _)| *j == i) {
            continue;
        }
        let name = person(n);
        let kind = s(&n.r#use);
        // The same name sent again as official or usual adds nothing.
        let repeated =
            matches!(kind.as_str(), "" | "official" | "usual") && main.iter().any(|(_, m)| *m == name);
        if name.is_empty() || repeated {
            continue;
        }
        let other = OtherName {
            name,
            kind,
            script: representation(n).unwrap_or_default(),
        };
        if !push_distinct(&mut others, &mut seen, other, MAX_OTHER_NAMES) {
            // Hostile repetition: the list is full; more names add nothing a person can read.
            break;
        }
    }
    let at = |i: Option<usize>| i.map(|i| person(&names[i]));
    (at(kanji), at(kana), others)
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

#[cfg(test)]
mod tests {
    use super::*;
    use lifeboat_fhir_parse::fhirbolt::model::r4::types::{Code as FCode, Extension, String as FString};

    fn name(family: &str, given: &str, use_: Option<&str>, rep: Option<&str>) -> HumanName {
        HumanName {
            family: Some(FString {
                value: Some(family.into()),
                ..Default::default()
            }),
            given: vec![FString {
                value: Some(given.into()),
                ..Default::default()
            }],
            r#use: use_.map(|u| FCode {
                value: Some(u.into()),
                ..Default::default()
            }),
            extension: rep
                .map(|r| Extension {
                    url: NAME_REPRESENTATION.into(),
                    value: Some(ExtensionValue::Code(FCode {
                        value: Some(r.into()),
                        ..Default::default()
                    })),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn every_name_kept_kana_as_written() {
        let (kanji, kana, others) = names(&[
            name("旧田", "花子", Some("maiden"), Some("IDE")),
            name("山田", "花子", Some("official"), Some("IDE")),
            name("やまだ", "はなこ", Some("official"), Some("SYL")),
            name("YAMADA", "HANAKO", Some("official"), Some("ABC")),
            name("ハナ", "", Some("nickname"), None),
        ]);
        assert_eq!(kanji.map(|n| n.full()).as_deref(), Some("山田 花子"));
        // Hiragana stays hiragana.
        assert_eq!(kana.map(|n| n.full()).as_deref(), Some("やまだ はなこ"));
        let shown: Vec<String> = others.iter().map(OtherName::label_ja).collect();
        assert_eq!(shown, ["旧姓 旧田 花子", "ローマ字 YAMADA HANAKO", "別名 ハナ"]);
        assert_eq!(
            (others[0].kind.as_str(), others[0].script.as_str()),
            ("maiden", "IDE")
        );
    }

    #[test]
    fn an_alphabetic_name_is_shown_when_there_is_no_other() {
        let (kanji, kana, others) = names(&[name("SMITH", "JOHN", None, Some("ABC"))]);
        assert_eq!(kanji.map(|n| n.full()).as_deref(), Some("SMITH JOHN"));
        assert!(kana.is_none() && others.is_empty());
    }
}
