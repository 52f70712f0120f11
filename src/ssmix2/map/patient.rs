//! PID (every message) and the patient master ADT-00 (PID, OBX height/weight/blood type, AL1).

use super::coded::quantity;
use super::ctx::Ctx;
use super::fields::code;
use crate::hl7::{Message, Segment};
use crate::model::{
    Address, BloodType, Clinical, MAX_OTHER_IDS, MAX_OTHER_NAMES, OtherName, Patient, PersonName, Phone, Sex,
    push_distinct,
};
use crate::text::is_kana;
use std::collections::HashSet;

/// Demographics as PID carries them. Filed under the storage's patient ID; a different PID-3
/// is kept as another identifier and reported.
pub fn read_pid(ctx: &mut Ctx<'_>, pid: &Segment, report_mismatch: bool) -> Patient {
    let mut p = Patient {
        id: ctx.patient_id.to_string(),
        ..Patient::default()
    };
    let mut ids: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut dropped = 0usize;
    let mut sent_own = false;
    for id in pid.field(3).reps().map(|r| r.comp(1).trimmed()) {
        if id.is_empty() {
            continue;
        }
        sent_own = sent_own || id == ctx.patient_id;
        if !push_distinct(&mut ids, &mut seen, id, MAX_OTHER_IDS) {
            dropped += 1;
        }
    }
    if !ids.is_empty() && !sent_own {
        if report_mismatch {
            let more = if dropped > 0 {
                format!(" and {dropped} more")
            } else {
                String::new()
            };
            let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
            let shown = if ids.len() > 5 {
                format!("{}, ... ({} in all{more})", shown.join(", "), ids.len())
            } else {
                format!("{}{more}", shown.join(", "))
            };
            ctx.warn(
                pid,
                3,
                format!(
                    "PID-3 patient ID {shown} differs from the storage's {}; filed under {}",
                    ctx.patient_id, ctx.patient_id
                ),
            );
        }
        p.other_ids = ids;
    }
    if dropped > 0 {
        ctx.warn(
            pid,
            3,
            format!("PID-3 repeats {dropped} more identifiers than the {MAX_OTHER_IDS} kept; the rest are not kept"),
        );
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

/// One XPN repetition as sent.
struct SentName {
    name: PersonName,
    /// XPN-7 name type (`L` legal, `M` maiden, `A` alias, `D` display ...).
    kind: String,
    /// XPN-8 representation (`I` ideographic, `P` phonetic, `A` alphabetic), as sent.
    script: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Kana,
    Alphabetic,
}

impl SentName {
    fn script(&self) -> Script {
        match self.script.as_str() {
            "I" => Script::Kanji,
            "P" => Script::Kana,
            "A" => Script::Alphabetic,
            // Without XPN-8, a kana-only name is the reading and any other the kanji name.
            _ if is_kana(&self.name.full()) => Script::Kana,
            _ => Script::Kanji,
        }
    }

    fn other(self, default_kind: &str) -> OtherName {
        OtherName {
            name: self.name,
            kind: if self.kind.is_empty() {
                default_kind.to_string()
            } else {
                self.kind
            },
            script: self.script,
        }
    }
}

fn sent_names(f: crate::hl7::Field<'_>) -> Vec<SentName> {
    f.reps()
        .map(|rep| SentName {
            name: PersonName {
                family: rep.comp(1).trimmed(),
                given: rep.comp(2).trimmed(),
            },
            kind: rep.comp(7).trimmed(),
            script: rep.comp(8).trimmed(),
        })
        .filter(|n| !n.name.is_empty())
        .collect()
}

/// PID-5: the kanji name (XPN-8 `I`) and its reading (`P`), as written: kana stay as sent
/// (hiragana is not turned into katakana; search folds kana anyway). Of several names in one
/// script the legal one (XPN-7 `L` or none) is the main name. Every other repetition, and
/// PID-9 aliases, are kept in `other_names` with their type and script. PID-6 is the
/// mother's maiden name, not the patient's, and is not read.
fn read_names(p: &mut Patient, pid: &Segment) {
    let mut names = sent_names(pid.field(5));
    let mut main = |script: Script| -> Option<PersonName> {
        let legal = names
            .iter()
            .position(|n| n.script() == script && matches!(n.kind.as_str(), "L" | ""));
        let i = legal.or_else(|| names.iter().position(|n| n.script() == script))?;
        Some(names.remove(i).name)
    };
    p.name_kanji = main(Script::Kanji);
    p.name_kana = main(Script::Kana);
    if p.name_kanji.is_none() {
        // A patient known only by an alphabetic name: that is the name to show.
        p.name_kanji = main(Script::Alphabetic);
    }
    let aliases = sent_names(pid.field(9));
    let mut seen = HashSet::new();
    for n in names
        .into_iter()
        .map(|n| n.other(""))
        .chain(aliases.into_iter().map(|n| n.other("A")))
    {
        let is_main = p.name_kanji.as_ref() == Some(&n.name) || p.name_kana.as_ref() == Some(&n.name);
        if !is_main && !push_distinct(&mut p.other_names, &mut seen, n, MAX_OTHER_NAMES) {
            // Hostile repetition: the list is full; more names add nothing a person can read.
            break;
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
            "9N001" => p.height = quantity(ctx, obx, 5, 6),
            "9N006" => p.weight = quantity(ctx, obx, 5, 6),
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
