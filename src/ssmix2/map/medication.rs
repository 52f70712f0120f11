//! OMP-01 prescriptions and OMP-02 injections (RDE^O11): one record per drug.

use super::ctx::Ctx;
use super::fields::{clinician, code, opt_code, quantity, sub_code, sub_unit, unit};
use super::groups::{find, find_all, groups};
use crate::hl7::{Message, Segment};
use crate::model::{
    Clinical, Code, Dispensing, DrugCodeSystem, MedicationOrder, OrderKind, PatientClass, Quantity,
};

pub fn drug_system(system: &str) -> DrugCodeSystem {
    let s = system.to_ascii_uppercase();
    if s.starts_with("HOT") {
        DrugCodeSystem::Hot
    } else if s == "YJ" || s == "MYAK" {
        DrugCodeSystem::Yj
    } else if s.starts_with("99") {
        DrugCodeSystem::Local
    } else {
        DrugCodeSystem::Other
    }
}

pub fn map_rde(ctx: &mut Ctx<'_>, msg: &Message, kind: OrderKind) {
    let visit_class = msg
        .first("PV1")
        .map(|pv1| pv1.field(2).trimmed())
        .unwrap_or_default();
    let order_groups = groups(msg, &["ORC"]);
    if order_groups.is_empty() {
        ctx.problem(
            msg.msh(),
            None,
            crate::report::Severity::Warning,
            "order message has no ORC segment; no drugs read",
        );
    }
    for g in order_groups {
        let orc = g[0];
        let Some(rxe) = find(&g, "RXE") else {
            ctx.problem(
                orc,
                None,
                crate::report::Severity::Warning,
                "order group without RXE; no drug read from it",
            );
            continue;
        };
        let rxcs: Vec<&Segment> = find_all(&g, "RXC").collect();
        let mut base = MedicationOrder::new(kind, Code::default(), DrugCodeSystem::Other);
        read_orc(ctx, &mut base, orc, &visit_class);
        read_rxe(&mut base, rxe);
        if let Some(tq1) = find(&g, "TQ1") {
            read_tq1(ctx, &mut base, tq1);
        }
        if let Some(rxr) = find(&g, "RXR") {
            base.route = opt_code(rxr.field(1));
            base.site = opt_code(rxr.field(2));
            base.device = opt_code(rxr.field(3));
        }
        let cancelled = matches!(base.order_control.as_str(), "CA" | "DC" | "OC");
        let mut segs: Vec<u32> = g.iter().filter(|s| s.id() != "RXC").map(|s| s.number).collect();
        segs.sort_unstable();
        if rxcs.is_empty() {
            let drug = code(rxe.field(2));
            if kind == OrderKind::Injection && drug_system(&drug.system) != DrugCodeSystem::Hot {
                ctx.warn(
                    rxe,
                    2,
                    "injection order without RXC drug lines; RXE-2 is shown as the drug",
                );
            }
            if drug.is_empty() {
                ctx.warn(rxe, 2, "RXE-2 has no drug; kept in the source only");
                continue;
            }
            base.drug_system = drug_system(&drug.system);
            base.drug = drug;
            ctx.push(segs, cancelled, Clinical::MedicationOrder(base));
        } else {
            // Injections: RXE-2 is the injection type, RXE-3/5 the total volume; drugs are RXC.
            base.injection_type = opt_code(rxe.field(2));
            base.volume = base.dose.take();
            base.dose_max = None;
            for rxc in rxcs {
                let drug = code(rxc.field(2));
                if drug.is_empty() {
                    ctx.warn(rxc, 2, "RXC row without a drug; kept in the source only");
                    continue;
                }
                let mut m = base.clone();
                m.drug_system = drug_system(&drug.system);
                m.drug = drug;
                m.component_role = rxc.field(1).trimmed();
                m.dose = quantity(rxc.field(3), rxc.field(4));
                let mut s = segs.clone();
                s.push(rxc.number);
                ctx.push(s, cancelled, Clinical::MedicationOrder(m));
            }
        }
    }
}

fn read_orc(ctx: &mut Ctx<'_>, m: &mut MedicationOrder, orc: &Segment, visit_class: &str) {
    m.order_control = orc.field(1).trimmed();
    m.order_no = orc.field(2).comp(1).trimmed();
    m.rp = orc.field(4).comp(1).trimmed();
    m.ordered_at = ctx.time(orc, 9);
    m.prescriber = clinician(orc.field(12));
    m.department = opt_code(orc.field(17));
    let class = orc.field(29).comp(1).trimmed();
    m.setting = match if class.is_empty() {
        visit_class
    } else {
        class.as_str()
    } {
        "I" => Some(PatientClass::Inpatient),
        "O" => Some(PatientClass::Outpatient),
        _ => None,
    };
}

fn read_rxe(m: &mut MedicationOrder, rxe: &Segment) {
    m.dose = quantity(rxe.field(3), rxe.field(5));
    m.dose_max = quantity(rxe.field(4), rxe.field(5));
    m.form = opt_code(rxe.field(6));
    m.instructions = rxe
        .field(7)
        .reps()
        .map(|r| {
            let t = r.comp(2).trimmed();
            if t.is_empty() { r.comp(1).trimmed() } else { t }
        })
        .filter(|s| !s.is_empty())
        .collect();
    m.total = quantity(rxe.field(10), rxe.field(11));
    let daily = rxe.field(19);
    let daily_value = daily.comp(1).trimmed();
    if !daily_value.is_empty() {
        m.daily_dose = Some(Quantity::new(daily_value, sub_unit(daily.comp(2))));
    }
    m.categories = rxe
        .field(21)
        .reps()
        .map(|r| super::fields::code(r))
        .filter(|c| !c.is_empty())
        .collect();
    for c in &m.categories {
        match c.code.as_str() {
            "OHI" | "IHI" => m.dispensing = Some(Dispensing::InHouse),
            "OHO" => m.dispensing = Some(Dispensing::Outside),
            _ if c.text.contains("院内") => m.dispensing = Some(Dispensing::InHouse),
            _ if c.text.contains("院外") => m.dispensing = Some(Dispensing::Outside),
            _ => {}
        }
        if m.setting.is_none() {
            m.setting = match c.code.as_str() {
                "OHP" => Some(PatientClass::Outpatient),
                "IHP" => Some(PatientClass::Inpatient),
                _ => None,
            };
        }
    }
    // RXE-22..24: give per time unit, rate amount, rate unit (`H1|102|ml/hr`).
    let rate = rxe.field(23).comp(1).trimmed();
    if !rate.is_empty() {
        m.rate = Some(Quantity::new(rate, unit(rxe.field(24))));
    }
    m.other_codes = rxe
        .field(31)
        .reps()
        .map(|r| super::fields::code(r))
        .filter(|c| !c.is_empty())
        .collect();
}

fn read_tq1(ctx: &mut Ctx<'_>, m: &mut MedicationOrder, tq1: &Segment) {
    // TQ1-3 is a repeat pattern whose first component is a CWE in subcomponents.
    let pattern = tq1.field(3).comp(1);
    let dosage = if pattern.raw().contains('&') {
        sub_code(pattern)
    } else {
        Code::new("", pattern.trimmed(), "")
    };
    if !dosage.is_empty() {
        m.dosage = Some(dosage);
    }
    let duration = tq1.field(6);
    let amount = duration.comp(1).trimmed();
    if !amount.is_empty() {
        let unit_code = duration.comp(2).sub(1).trimmed();
        let unit_text = duration.comp(2).sub(2).trimmed();
        let per = match unit_code.as_str() {
            "" | "d" | "D" | "日" | "日分" => Some(1),
            "wk" | "w" | "W" | "週" => Some(7),
            _ if unit_text.contains('日') => Some(1),
            _ => None,
        };
        match (amount.parse::<u32>(), per) {
            (Ok(n), Some(per)) => m.days = Some(n * per),
            _ => ctx.warn(
                tq1,
                6,
                format!("duration {amount} {unit_code} is not a number of days; shown as written"),
            ),
        }
        if m.days.is_none() {
            m.instructions.push(format!("期間: {amount}{unit_code}"));
        }
    }
    m.start = ctx.time(tq1, 7);
    m.end = ctx.time(tq1, 8);
    let text = tq1.field(11).text();
    if !text.is_empty() {
        m.instructions.push(text);
    }
}
