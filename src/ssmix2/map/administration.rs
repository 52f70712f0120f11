//! OMP-11 / OMP-12 (RAS^O17): drugs given, one record per RXA.

use super::coded::{field_code, opt_field_code, quantity};
use super::ctx::Ctx;
use super::fields::{clinician, glued_quantity, location};
use super::groups::{find_all, groups};
use crate::hl7::Message;
use crate::model::{Clinical, MedicationAdministration, OrderKind};

pub fn map_ras(ctx: &mut Ctx<'_>, msg: &Message, kind: OrderKind) {
    for g in groups(msg, &["ORC"]) {
        let orc = g[0];
        let cancelled = matches!(orc.field(1).trimmed().as_str(), "CA" | "DC");
        let rxrs: Vec<_> = find_all(&g, "RXR").collect();
        let route = rxrs.first().and_then(|rxr| opt_field_code(ctx, rxr, 1));
        for rxr in rxrs.iter().skip(1) {
            ctx.warn(rxr, 1, "several RXR segments; the first route is shown");
        }
        for rxa in find_all(&g, "RXA") {
            let drug = field_code(ctx, rxa, 5);
            if drug.is_empty() {
                ctx.warn(rxa, 5, "RXA row without a drug; kept in the source only");
                continue;
            }
            let a = MedicationAdministration {
                kind,
                order_no: orc.field(2).comp(1).trimmed(),
                rp: orc.field(4).comp(1).trimmed(),
                drug,
                amount: quantity(ctx, rxa, 6, 7),
                start: ctx.time(rxa, 3),
                end: ctx.time(rxa, 4),
                route: route.clone(),
                rate: glued_quantity(&rxa.field(12).text()),
                performer: clinician(rxa.field(10)),
                location: match location(rxa.field(11)) {
                    Some(Ok(l)) => l.display(),
                    Some(Err(dept)) => dept.display().to_string(),
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
