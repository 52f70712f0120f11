//! OMD (OMD^O03): diet orders.

use super::ctx::Ctx;
use super::fields::{clinician, code, sub_code};
use super::groups::{find, find_all, groups};
use crate::hl7::Message;
use crate::model::{Clinical, DietOrder};

pub fn map_omd(ctx: &mut Ctx<'_>, msg: &Message) {
    for g in groups(msg, &["ORC"]) {
        let orc = g[0];
        let mut d = DietOrder {
            order_no: orc.field(2).comp(1).trimmed(),
            ordered_at: ctx.time(orc, 9),
            orderer: clinician(orc.field(12)),
            ..DietOrder::default()
        };
        if let Some(tq1) = find(&g, "TQ1") {
            let f = sub_code(tq1.field(3).comp(1));
            d.frequency = (!f.is_empty()).then_some(f);
            d.start = ctx.time(tq1, 7);
            d.end = ctx.time(tq1, 8);
        }
        for ods in find_all(&g, "ODS") {
            d.diets
                .extend(ods.field(3).reps().map(code).filter(|c| !c.is_empty()));
            d.instructions.extend(
                ods.field(4)
                    .reps()
                    .map(|r| r.text())
                    .filter(|s| !s.trim().is_empty()),
            );
        }
        if d.diets.is_empty() && d.instructions.is_empty() {
            ctx.problem(
                orc,
                None,
                crate::report::Severity::Warning,
                "diet order without ODS diet or instructions",
            );
        }
        let cancelled = matches!(orc.field(1).trimmed().as_str(), "CA" | "DC");
        ctx.push(
            g.iter().map(|s| s.number).collect(),
            cancelled,
            Clinical::DietOrder(d),
        );
    }
}
