//! OMP-11 / OMP-12 (RAS^O17): drugs given, one record per RXA.

use super::ctx::Ctx;
use super::fields::{clinician, code, glued_quantity, location, opt_code, quantity};
use super::groups::{find, find_all, groups};
use crate::hl7::Message;
use crate::model::{Clinical, MedicationAdministration, OrderKind};

pub fn map_ras(ctx: &mut Ctx<'_>, msg: &Message, kind: OrderKind) {
    for g in groups(msg, &["ORC"]) {
        let orc = g[0];
        let cancelled = matches!(orc.field(1).trimmed().as_str(), "CA" | "DC");
        let route = find(&g, "RXR").and_then(|rxr| opt_code(rxr.field(1)));
        for rxa in find_all(&g, "RXA") {
            let drug = code(rxa.field(5));
            if drug.is_empty() {
                ctx.warn(rxa, 5, "RXA row without a drug; kept in the source only");
                continue;
            }
            let a = MedicationAdministration {
                kind,
                order_no: orc.field(2).comp(1).trimmed(),
                rp: orc.field(4).comp(1).trimmed(),
                drug,
                amount: quantity(rxa.field(6), rxa.field(7)),
                start: ctx.time(rxa, 3),
                end: ctx.time(rxa, 4),
                route: route.clone(),
                rate: glued_quantity(&rxa.field(12).text()),
                performer: clinician(rxa.field(10)),
                location: match location(rxa.field(11)) {
                    Some(Ok(l)) => l.display(),
                    Some(Err(dept)) => dept,
                    None => String::new(),
                },
                comments: rxa
                    .field(9)
                    .reps()
                    .map(|r| {
                        let t = r.comp(2).trimmed();
                        if t.is_empty() { r.comp(1).trimmed() } else { t }
                    })
                    .filter(|s| !s.is_empty())
                    .collect(),
                completion: rxa.field(20).trimmed(),
            };
            ctx.push(
                vec![orc.number, rxa.number],
                cancelled,
                Clinical::MedicationAdministration(a),
            );
        }
    }
}
