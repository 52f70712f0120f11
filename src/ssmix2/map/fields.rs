//! Reading HL7 data types (CWE, XCN, PL, CQ ...) into model values.

use crate::hl7::Field;
use crate::model::{Clinician, Code, Location, Quantity};

/// CWE/CE `code^text^system` (components 1-3).
pub fn code(f: Field<'_>) -> Code {
    Code::new(f.comp(1).trimmed(), f.comp(2).trimmed(), f.comp(3).trimmed())
}

/// The alternate coding of a CWE (components 4-6).
pub fn alt_code(f: Field<'_>) -> Option<Code> {
    let c = Code::new(f.comp(4).trimmed(), f.comp(5).trimmed(), f.comp(6).trimmed());
    (!c.is_empty()).then_some(c)
}

/// A CWE carried in subcomponents (`code&text&system`, as in TQ1-3).
pub fn sub_code(f: Field<'_>) -> Code {
    Code::new(f.sub(1).trimmed(), f.sub(2).trimmed(), f.sub(3).trimmed())
}

pub fn opt_code(f: Field<'_>) -> Option<Code> {
    let c = code(f);
    (!c.is_empty()).then_some(c)
}

/// XCN: id, family^given; among repetitions prefer the kanji (`I`) one for the name.
pub fn clinician(f: Field<'_>) -> Option<Clinician> {
    let mut id = String::new();
    let mut name = String::new();
    let mut fallback = String::new();
    for rep in f.reps() {
        if id.is_empty() {
            id = rep.comp(1).trimmed();
        }
        let n = join_name(&rep.comp(2).trimmed(), &rep.comp(3).trimmed());
        if n.is_empty() {
            continue;
        }
        // XCN.15 is the name representation code (I = ideographic).
        let rep_code = rep.comp(15).trimmed();
        if rep_code == "I" && name.is_empty() {
            name = n;
        } else if fallback.is_empty() && rep_code != "P" {
            fallback = n;
        }
    }
    if name.is_empty() {
        name = fallback;
    }
    (!id.is_empty() || !name.is_empty()).then_some(Clinician { id, name })
}

pub fn join_name(family: &str, given: &str) -> String {
    match (family.is_empty(), given.is_empty()) {
        (false, false) => format!("{family} {given}"),
        (false, true) => family.to_string(),
        _ => given.to_string(),
    }
}

/// PL: ward^room^bed, ward name in PL.9. A location of type `C` (clinic) is a department
/// and is returned as `Err(department)`, its name from PL.9 when sent.
pub fn location(f: Field<'_>) -> Option<Result<Location, Code>> {
    if f.is_empty() {
        return None;
    }
    let ward = f.comp(1).trimmed();
    if f.comp(6).trimmed() == "C" {
        return (!ward.is_empty()).then(|| Err(Code::new(ward, f.comp(9).trimmed(), "")));
    }
    let loc = Location {
        ward,
        ward_name: f.comp(9).trimmed(),
        room: f.comp(2).trimmed(),
        bed: f.comp(3).trimmed(),
    };
    (!loc.is_empty()).then_some(Ok(loc))
}

/// A unit given as CWE: the text (`錠`) reads better than the code (`TAB`).
pub fn unit(f: Field<'_>) -> String {
    let text = f.comp(2).trimmed();
    if text.is_empty() {
        f.comp(1).trimmed()
    } else {
        text
    }
}

/// A unit given in subcomponents (`TAB&錠&MR9P`).
pub fn sub_unit(f: Field<'_>) -> String {
    let text = f.sub(2).trimmed();
    if text.is_empty() { f.sub(1).trimmed() } else { text }
}

/// A quantity written as one string with its unit glued on (`102ml/hr`).
pub fn glued_quantity(s: &str) -> Option<Quantity> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    if split == 0 {
        return Some(Quantity::new(s, ""));
    }
    Some(Quantity::new(&s[..split], s[split..].trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hl7::Message;

    fn seg(text: &str) -> Message {
        Message::parse(vec![(1, "MSH|^~\\&|X".into()), (2, text.into())]).unwrap()
    }

    #[test]
    fn clinician_prefers_kanji_repetition() {
        let m = seg("ORC|NW|1||||||||||110^医師^一郎^^^^^^^L^^^^^I~^イシ^イチロウ^^^^^^^L^^^^^P");
        let c = clinician(m.segments[1].field(12)).unwrap();
        assert_eq!(c.id, "110");
        assert_eq!(c.name, "医師 一郎");
        let m = seg("PV1|0001|I|32^302^1^^^N||||ishi01^医師一郎^^^^^^^^L^^^^^I");
        assert_eq!(clinician(m.segments[1].field(7)).unwrap().name, "医師一郎");
    }

    #[test]
    fn locations_and_departments() {
        let m = seg("PV1|0001|I|32^302^1^^^N^^^3階東病棟||||");
        let l = location(m.segments[1].field(3)).unwrap().unwrap();
        assert_eq!(
            (l.ward.as_str(), l.room.as_str(), l.bed.as_str()),
            ("32", "302", "1")
        );
        assert_eq!(l.ward_name, "3階東病棟");
        let m = seg("PV1|0001|O|01^^^^^C");
        assert_eq!(
            location(m.segments[1].field(3)).unwrap(),
            Err(Code::new("01", "", ""))
        );
        let m = seg("PV1|0001|O|01^^^^^C^^^内科");
        assert_eq!(
            location(m.segments[1].field(3)).unwrap(),
            Err(Code::new("01", "内科", ""))
        );
    }

    #[test]
    fn glued_units() {
        let q = glued_quantity("102ml/hr").unwrap();
        assert_eq!(
            (q.value.as_str(), q.number, q.unit.as_str()),
            ("102", Some(102.0), "ml/hr")
        );
    }
}
