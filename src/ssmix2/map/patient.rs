//! PID (every message) and the patient master ADT-00 (PID, OBX height/weight/blood type, AL1).

use super::ctx::Ctx;
use super::fields::{code, quantity};
use crate::hl7::{Message, Segment};
use crate::model::{Address, BloodType, Clinical, Patient, PersonName, Phone, Sex};
use crate::text::{is_kana, katakana};

/// Demographics as PID carries them. Filed under the storage's patient ID; a different PID-3
/// is kept as another identifier and reported.
pub fn read_pid(ctx: &mut Ctx<'_>, pid: &Segment, report_mismatch: bool) -> Patient {
    let mut p = Patient {
        id: ctx.patient_id.to_string(),
        ..Patient::default()
    };
    let ids: Vec<String> = pid
        .field(3)
        .reps()
        .map(|r| r.comp(1).trimmed())
        .filter(|s| !s.is_empty())
        .collect();
    if !ids.is_empty() && !ids.iter().any(|i| i == ctx.patient_id) {
        if report_mismatch {
            ctx.warn(
                pid,
                3,
                format!(
                    "PID-3 patient ID {} differs from the storage's {}; filed under {}",
                    ids.join(", "),
                    ctx.patient_id,
                    ctx.patient_id
                ),
            );
        }
        p.other_ids = ids;
    }
    read_names(&mut p, pid);
    p.birth_date = ctx.time(pid, 7);
    p.sex = match pid.field(8).trimmed().as_str() {
        "M" | "1" => Sex::Male,
        "F" | "2" => Sex::Female,
        "O" | "A" => Sex::Other,
        _ => Sex::Unknown,
    };
    for rep in pid.field(11).reps() {
        let text = {
            let full = rep.comp(8).trimmed();
            if full.is_empty() {
                // State, city, street, other designation.
                [4, 3, 1, 2]
                    .iter()
                    .map(|i| rep.comp(*i).trimmed())
                    .collect::<Vec<_>>()
                    .concat()
            } else {
                full
            }
        };
        let postal_code = rep.comp(5).trimmed();
        if !text.is_empty() || !postal_code.is_empty() {
            p.addresses.push(Address {
                postal_code,
                text,
                kind: rep.comp(7).trimmed(),
            });
        }
    }
    for f in [13, 14] {
        for rep in pid.field(f).reps() {
            let number = {
                let n = rep.comp(12).trimmed();
                if n.is_empty() { rep.comp(1).trimmed() } else { n }
            };
            if !number.is_empty() {
                p.phones.push(Phone {
                    kind: rep.comp(2).trimmed(),
                    number,
                });
            }
        }
    }
    p.deceased = ctx.time(pid, 29);
    p.updated_at = ctx.time(pid, 33);
    p
}

/// PID-5: XPN.8 `I` is the kanji name, `P` the reading. Without that code, a kana-only name
/// is the reading and the other the kanji.
fn read_names(p: &mut Patient, pid: &Segment) {
    for rep in pid.field(5).reps() {
        let name = PersonName {
            family: rep.comp(1).trimmed(),
            given: rep.comp(2).trimmed(),
        };
        if name.is_empty() {
            continue;
        }
        let rep_code = rep.comp(8).trimmed();
        let reading = rep_code == "P" || (rep_code != "I" && is_kana(&name.full()));
        if reading {
            if p.name_kana.is_none() {
                p.name_kana = Some(PersonName {
                    family: katakana(&name.family),
                    given: katakana(&name.given),
                });
            }
        } else if p.name_kanji.is_none() {
            p.name_kanji = Some(name);
        }
    }
}

/// ADT-00: the patient master. ADT^A23 deletes the patient.
pub fn map_adt00(ctx: &mut Ctx<'_>, msg: &Message, event: &str) {
    let Some(pid) = msg.first("PID") else {
        ctx.problem(
            msg.msh(),
            None,
            crate::report::Severity::Warning,
            "ADT-00 message has no PID segment",
        );
        return;
    };
    let mut p = read_pid(ctx, pid, true);
    let mut segs = vec![pid.number];
    for obx in msg.all("OBX") {
        let test = code(obx.field(3));
        // JLAC10 analyte codes: 9N001 height, 9N006 weight, 5H010 ABO, 5H020 Rh.
        let analyte: String = test.code.chars().take(5).collect();
        let value = obx.field(5);
        match analyte.as_str() {
            "9N001" => p.height = quantity(value, obx.field(6)),
            "9N006" => p.weight = quantity(value, obx.field(6)),
            "5H010" | "5H020" => {
                let v = {
                    let t = value.comp(2).trimmed();
                    if t.is_empty() { value.comp(1).trimmed() } else { t }
                };
                let bt = p.blood_type.get_or_insert_with(BloodType::default);
                if analyte == "5H010" { bt.abo = v } else { bt.rh = v }
            }
            _ => {
                ctx.warn(obx, 3, format!("observation {} in ADT-00 is not a height, weight or blood type; kept in the source only", test.display()));
                continue;
            }
        }
        segs.push(obx.number);
    }
    ctx.push(segs, event == "A23", Clinical::Patient(p));
    for al1 in msg.all("AL1") {
        super::allergy::map_al1(ctx, al1);
    }
}
