//! OMP-01 prescriptions and OMP-02 injections (RDE^O11): one record per drug.

use super::coded::{CWE_PARTS, code_in, field_code, opt_field_code, quantity, sub_unit, unit};
use super::ctx::Ctx;
use super::fields::{clinician, opt_code};
use super::groups::{find, find_all, groups};
use super::timing::read_tq1s;
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
        read_rxe(ctx, &mut base, rxe);
        let tq1s: Vec<&Segment> = find_all(&g, "TQ1").collect();
        read_tq1s(ctx, &mut base, &tq1s);
        let rxrs: Vec<&Segment> = find_all(&g, "RXR").collect();
        read_rxrs(ctx, &mut base, &rxrs);
        let cancelled = matches!(base.order_control.as_str(), "CA" | "DC" | "OC");
        let mut segs: Vec<u32> = g.iter().filter(|s| s.id() != "RXC").map(|s| s.number).collect();
        segs.sort_unstable();
        if rxcs.is_empty() {
            let drug = field_code(ctx, rxe, 2);
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
            base.injection_type = opt_field_code(ctx, rxe, 2);
            base.volume = base.dose.take();
            base.dose_max = None;
            for rxc in rxcs {
                let drug = field_code(ctx, rxc, 2);
                if drug.is_empty() {
                    ctx.warn(rxc, 2, "RXC row without a drug; kept in the source only");
                    continue;
                }
                let mut m = base.clone();
                m.drug_system = drug_system(&drug.system);
                m.drug = drug;
                // RXC-1 (HL7 0166): `B` base solution, `A` additive.
                m.component_role = rxc.field(1).trimmed();
                m.dose = quantity(ctx, rxc, 3, 4);
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
    // ORC-17 `01^内科^99XY1`: code and name both kept.
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

fn read_rxe(ctx: &mut Ctx<'_>, m: &mut MedicationOrder, rxe: &Segment) {
    // RXE-3/4 minimum and maximum amount share the unit RXE-5 (read, and warned, once).
    let (min, max) = (rxe.field(3).comp(1).trimmed(), rxe.field(4).comp(1).trimmed());
    if !min.is_empty() || !max.is_empty() {
        let u = unit(ctx, rxe, 5, rxe.field(5));
        m.dose = (!min.is_empty()).then(|| Quantity::new(min, u.clone()));
        m.dose_max = (!max.is_empty()).then(|| Quantity::new(max, u));
    }
    m.form = opt_field_code(ctx, rxe, 6);
    let mut instructions = Vec::new();
    for r in rxe.field(7).reps() {
        let c = code_in(ctx, rxe, 7, r, CWE_PARTS);
        let t = c.display().to_string();
        if !t.is_empty() {
            instructions.push(t);
        }
    }
    m.instructions = instructions;
    m.total = quantity(ctx, rxe, 10, 11);
    let daily = rxe.field(19);
    let daily_value = daily.comp(1).trimmed();
    if !daily_value.is_empty() {
        let u = sub_unit(ctx, rxe, 19, daily.comp(2));
        m.daily_dose = Some(Quantity::new(daily_value, u));
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
        let u = unit(ctx, rxe, 24, rxe.field(24));
        m.rate = Some(Quantity::new(rate, u));
    }
    m.other_codes = rxe
        .field(31)
        .reps()
        .map(|r| super::fields::code(r))
        .filter(|c| !c.is_empty())
        .collect();
}

/// RXR-1 route, -2 site, -3 device, -4 method, -5 routing instruction (主管/側管), -6 site
/// modifier (左/右). A second RXR is warned and kept as an instruction, never dropped.
fn read_rxrs(ctx: &mut Ctx<'_>, m: &mut MedicationOrder, rxrs: &[&Segment]) {
    let Some((first, rest)) = rxrs.split_first() else {
        return;
    };
    m.route = opt_field_code(ctx, first, 1);
    m.site = opt_field_code(ctx, first, 2);
    m.device = opt_field_code(ctx, first, 3);
    m.method = opt_field_code(ctx, first, 4);
    m.line = opt_field_code(ctx, first, 5);
    m.site_modifier = opt_field_code(ctx, first, 6);
    for rxr in rest {
        let parts: Vec<String> = (1..=6)
            .filter_map(|f| opt_field_code(ctx, rxr, f))
            .map(|c| c.display().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        ctx.warn(
            rxr,
            1,
            "several RXR segments; the first route is shown, this one is kept as an instruction",
        );
        if !parts.is_empty() {
            m.instructions.push(format!("経路: {}", parts.join(" ")));
        }
    }
}
