//! PPR-01: the whole problem list of a patient in one message (PRB rows, ZPR modifiers).

use super::ctx::Ctx;
use super::fields::{code, opt_code};
use crate::hl7::Message;
use crate::model::{Clinical, Code, Diagnosis};

pub fn map_ppr01(ctx: &mut Ctx<'_>, msg: &Message) {
    let department = msg.first("ORC").and_then(|orc| opt_code(orc.field(17)));
    for prb in msg.all("PRB") {
        let medis = opt_code(prb.field(3));
        let text = prb.field(17).trimmed();
        let name = if !text.is_empty() {
            text
        } else {
            medis
                .as_ref()
                .map(|m| m.display().to_string())
                .unwrap_or_default()
        };
        if name.is_empty() {
            ctx.warn(
                prb,
                3,
                "PRB row without a diagnosis name; kept in the source only",
            );
            continue;
        }
        let cls = prb.field(10);
        let icd_code = cls.comp(1).trimmed();
        let icd10 = (!icd_code.is_empty()).then(|| {
            let system = cls.comp(3).trimmed();
            Code::new(
                icd_code,
                cls.comp(2).trimmed(),
                if system.is_empty() {
                    "I10".to_string()
                } else {
                    system
                },
            )
        });
        // PRB-10.4-6 is the setting of the diagnosis (JHSD0004: 外来時, 入院時, 退院時 ...).
        let setting = {
            let c = Code::new(
                cls.comp(4).trimmed(),
                cls.comp(5).trimmed(),
                cls.comp(6).trimmed(),
            );
            (!c.is_empty()).then_some(c)
        };
        let confirmation = code(prb.field(13));
        let ranking = code(prb.field(18));
        let action = prb.field(1).trimmed();
        let d = Diagnosis {
            suspected: confirmation.code == "1" || confirmation.text.contains("疑") || name.ends_with("疑い"),
            main: ranking.code == "1" || ranking.text.contains("主"),
            name,
            medis,
            icd10,
            onset: ctx.time(prb, 16),
            diagnosed: ctx.time(prb, 7),
            outcome: opt_code(prb.field(14)),
            outcome_date: ctx.time(prb, 15),
            resolved: ctx.time(prb, 9),
            setting,
            department: department.clone(),
            instance_id: prb.field(4).trimmed(),
            recorded_at: ctx.time(prb, 2),
        };
        // PRB-1 `DE` deletes the problem (entered in error).
        ctx.push(vec![prb.number], action == "DE", Clinical::Diagnosis(d));
    }
}
