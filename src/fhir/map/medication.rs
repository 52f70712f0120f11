//! MedicationRequest / MedicationStatement → medication order; MedicationAdministration →
//! administration. Drugs coded with HOT, YJ or the general-name code in OID or URL form (a
//! contained Medication too); every dosage instruction kept, its 用法 code with its text (a
//! JAMI code sent without text decoded), the text exactly as written; the order's setting
//! (入院 / 外来) from its category or its encounter.

use super::common::{coding, coding_in, concept, concept_opt, notes, opt, quantity, s, ts};
use super::{Ctx, Mapped, id_of, status_of, text_of};
use crate::codes::jami_usage;
use crate::model::{
    Clinical, Code, Dispensing, DrugCodeSystem, MedicationAdministration as ModelAdministration,
    MedicationOrder, OrderKind, PatientClass, Quantity,
};
use lifeboat_fhir_parse::Resource;
use lifeboat_fhir_parse::fhirbolt::model::r4::resources::{
    MedicationAdministration, MedicationAdministrationDosageRate, MedicationAdministrationEffective,
    MedicationAdministrationMedication, MedicationRequest, MedicationRequestMedication, MedicationStatement,
    MedicationStatementEffective, MedicationStatementMedication,
};
use lifeboat_fhir_parse::fhirbolt::model::r4::types::{
    CodeableConcept, Dosage, DosageDoseAndRateDose, DosageDoseAndRateRate, Reference, TimingRepeatBounds,
};

/// Which national code a coding system is (OID and URL forms, per the JP Core URL map).
fn system_kind(system: &str) -> DrugCodeSystem {
    if system.contains("master-HOT")
        || system.contains("1.2.392.200119.4.40")
        || system.contains("1.2.392.100495.20.2.74")
    {
        DrugCodeSystem::Hot
    } else if system.contains("YJ-code") || system.contains("1.2.392.100495.20.2.73") {
        DrugCodeSystem::Yj
    } else if system.contains("MedicationGeneralOrderCode") || system.contains("1.2.392.100495.20.2.81") {
        DrugCodeSystem::GenericName
    } else if system.is_empty() || system.contains("1.2.392.100495.20.1") || system.contains("/Local") {
        DrugCodeSystem::Local
    } else {
        DrugCodeSystem::Other
    }
}

/// The drug: its text, the national code preferred (HOT, then YJ, then general name), the
/// other codings kept beside it.
fn drug(c: &CodeableConcept) -> (Code, DrugCodeSystem, Vec<Code>) {
    let all: Vec<Code> = c.coding.iter().map(coding).collect();
    let rank = |k: &Code| match system_kind(&k.system) {
        DrugCodeSystem::Hot => 0,
        DrugCodeSystem::Yj => 1,
        DrugCodeSystem::GenericName => 2,
        DrugCodeSystem::Other => 3,
        DrugCodeSystem::Local => 4,
    };
    let best = all
        .iter()
        .enumerate()
        .min_by_key(|(_, k)| rank(k))
        .map(|(i, _)| i);
    let text = concept(c).text;
    match best {
        Some(i) => {
            let mut main = all[i].clone();
            let sys = system_kind(&main.system);
            if !text.is_empty() {
                main.text = text;
            }
            let others = all
                .into_iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, k)| k)
                .collect();
            (main, sys, others)
        }
        None => (Code::new("", text, ""), DrugCodeSystem::Local, Vec::new()),
    }
}

/// A drug given by reference: contained, elsewhere in the snapshot, or only its display.
fn drug_ref(r: &Reference, contained: &[Resource], ctx: &Ctx) -> (Code, DrugCodeSystem, Vec<Code>) {
    let reference = s(&r.reference);
    if let Some(local) = reference.strip_prefix('#')
        && let Some(Resource::Medication(m)) = contained
            .iter()
            .find(|c| c.id().and_then(|i| i.value.as_deref()) == Some(local))
        && let Some(code) = &m.code
    {
        return drug(code);
    }
    if let Some(code) = ctx.index.medication(ctx.at(), &reference) {
        let sys = system_kind(&code.system);
        return (code.clone(), sys, Vec::new());
    }
    let text = opt(&r.display).unwrap_or(reference);
    (Code::new("", text, ""), DrugCodeSystem::Local, Vec::new())
}

/// JAMI 用法 code systems (OID and URL), and the MHLW 電子処方箋 用法マスタ that reuses its codes.
const JAMI_USAGE: [&str; 2] = ["1.2.392.200250.2.2.20.20", "jami.jp/CodeSystem/MedicationUsage"];
const EPRESCRIPTION_USAGE: &str = "MedicationUsage_ePrescription";

/// One dosage repetition's 用法 as coded: the JAMI coding preferred, with the text a person
/// reads (the concept's text, else a display, else the JAMI code decoded).
fn usage(c: &CodeableConcept) -> Option<Code> {
    let jami = coding_in(c, &JAMI_USAGE);
    let chosen = jami
        .or_else(|| coding_in(c, &[EPRESCRIPTION_USAGE]))
        .or_else(|| c.coding.first());
    let mut code = chosen.map(coding).unwrap_or_default();
    code.text = opt(&c.text)
        .or_else(|| chosen.and_then(|k| opt(&k.display)))
        .or_else(|| c.coding.iter().find_map(|k| opt(&k.display)))
        .or_else(|| {
            jami.and_then(|k| opt(&k.code))
                .and_then(|k| jami_usage::describe(&k))
        })
        .unwrap_or_default();
    (!code.is_empty()).then_some(code)
}

/// Fills dose, dosage, route, method, site, timing, rate and days from the dosage
/// instructions. Every instruction is kept: the first coded 用法 in `dosage`, the others in
/// `more_dosages`, the written texts in `instructions`.
fn apply_dosage(m: &mut MedicationOrder, dosages: &[Dosage]) {
    let mut coded: Vec<Code> = Vec::new();
    for d in dosages {
        let written = opt(&d.text);
        let code = d
            .timing
            .as_deref()
            .and_then(|t| t.code.as_deref())
            .and_then(usage);
        match (code, written) {
            // The written text already says what the code says: keep the code with the text
            // as written, so it is shown once.
            (Some(mut c), Some(w)) if !c.text.is_empty() && w.contains(&c.text) => {
                c.text = w;
                coded.push(c);
            }
            (code, written) => {
                coded.extend(code);
                m.instructions.extend(written);
            }
        }
        if let Some(text) = opt(&d.patient_instruction) {
            m.instructions.push(text);
        }
        for a in &d.additional_instruction {
            let c = concept(a);
            if !c.display().is_empty() {
                m.instructions.push(c.display().to_string());
            }
        }
        if m.route.is_none() {
            m.route = concept_opt(&d.route);
        }
        if m.method.is_none() {
            m.method = concept_opt(&d.method);
        }
        if m.site.is_none() {
            m.site = concept_opt(&d.site);
        }
        if let Some(timing) = d.timing.as_deref() {
            if let Some(repeat) = &timing.repeat {
                match &repeat.bounds {
                    Some(TimingRepeatBounds::Duration(dur)) if m.days.is_none() => {
                        let unit = s(&dur.code);
                        if unit == "d" || unit.is_empty() {
                            m.days = dur.value.as_ref().and_then(|v| v.value.as_deref()).and_then(days);
                        }
                    }
                    Some(TimingRepeatBounds::Period(p)) if m.start.is_none() => {
                        m.start = ts(&p.start);
                        m.end = ts(&p.end);
                    }
                    _ => {}
                }
            }
            if m.start.is_none() {
                m.start = timing
                    .event
                    .first()
                    .and_then(|e| e.value.as_deref())
                    .and_then(crate::fhir::time::parse);
            }
        }
        for dr in &d.dose_and_rate {
            match &dr.dose {
                Some(DosageDoseAndRateDose::Quantity(q)) if m.dose.is_none() => m.dose = Some(quantity(q)),
                Some(DosageDoseAndRateDose::Range(r)) if m.dose.is_none() => {
                    m.dose = r.low.as_deref().map(quantity);
                    m.dose_max = r.high.as_deref().map(quantity);
                }
                _ => {}
            }
            match &dr.rate {
                // JP Core sends the daily dose as a ratio per 1 day.
                Some(DosageDoseAndRateRate::Ratio(r))
                    if m.daily_dose.is_none()
                        && r.denominator.as_deref().is_some_and(|q| s(&q.code) == "d") =>
                {
                    m.daily_dose = r.numerator.as_deref().map(quantity);
                }
                // Any other ratio is a rate (`50 mL/h`).
                Some(DosageDoseAndRateRate::Ratio(r)) if m.rate.is_none() => {
                    m.rate = r.numerator.as_deref().map(|n| {
                        let mut q = quantity(n);
                        if let Some(den) = r.denominator.as_deref() {
                            q.unit = format!("{}/{}", q.unit, per(den));
                        }
                        q
                    });
                }
                Some(DosageDoseAndRateRate::Quantity(q)) if m.rate.is_none() => m.rate = Some(quantity(q)),
                Some(DosageDoseAndRateRate::Range(r)) if m.rate.is_none() => {
                    m.rate = r.low.as_deref().map(|lo| {
                        let mut q = quantity(lo);
                        if let Some(hi) = r.high.as_deref() {
                            q = Quantity::new(format!("{}〜{}", q.value, quantity(hi).value), q.unit);
                        }
                        q
                    });
                }
                _ => {}
            }
        }
    }
    let mut coded = coded.into_iter();
    m.dosage = coded.next();
    m.more_dosages = coded.collect();
}

/// The denominator of a rate as a person writes it: `h`, `2 h`.
fn per(q: &lifeboat_fhir_parse::fhirbolt::model::r4::types::Quantity) -> String {
    let q = quantity(q);
    if q.value.is_empty() || q.value == "1" {
        q.unit
    } else {
        q.display()
    }
}

/// Where an order belongs (入院 / 外来), from its categories as sent: HL7
/// medicationrequest-category, HL7 table 0482, MERIT-9 処方区分 (`IHP` 入院処方, `DCG`
/// 退院処方, `OHP` 外来処方, `OHO` 院外処方).
fn setting_of(categories: &[&CodeableConcept]) -> Option<PatientClass> {
    categories.iter().flat_map(|c| c.coding.iter()).find_map(|k| {
        let system = s(&k.system);
        let code = s(&k.code);
        match (code.as_str(), system.as_str()) {
            ("inpatient" | "discharge", _) => Some(PatientClass::Inpatient),
            ("outpatient", _) => Some(PatientClass::Outpatient),
            ("community", _) => Some(PatientClass::Other),
            ("I", sys) if sys.ends_with("v2-0482") => Some(PatientClass::Inpatient),
            ("O", sys) if sys.ends_with("v2-0482") => Some(PatientClass::Outpatient),
            ("IHP" | "DCG", _) => Some(PatientClass::Inpatient),
            ("OHP" | "OHO", _) => Some(PatientClass::Outpatient),
            _ => None,
        }
    })
}

/// The class of the encounter an order names (contained, in its Bundle, or in the snapshot).
fn encounter_setting(r: Option<&Reference>, contained: &[Resource], ctx: &Ctx) -> Option<PatientClass> {
    let reference = s(&r?.reference);
    let class = match reference.strip_prefix('#') {
        Some(local) => contained.iter().find_map(|c| match c {
            Resource::Encounter(e) if e.id.as_ref().and_then(|i| i.value.as_deref()) == Some(local) => {
                e.class.code.as_ref().and_then(|c| c.value.clone())
            }
            _ => None,
        })?,
        None => ctx.index.encounter_class(ctx.at(), &reference)?.to_string(),
    };
    super::encounter::class_of(&class)
}

fn days(v: &str) -> Option<u32> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|d| *d >= 0.0 && *d < 100_000.0)
        .map(|d| d.round() as u32)
}

fn kind_of(route: Option<&Code>, categories: &[Code]) -> OrderKind {
    let injection = |k: &Code| {
        let t = format!("{} {}", k.code, k.text).to_lowercase();
        t.contains("inject") || t.contains("注射") || t.contains("iv") && k.code.len() <= 3
    };
    if route.is_some_and(injection) || categories.iter().any(injection) {
        OrderKind::Injection
    } else {
        OrderKind::Prescription
    }
}

fn identifier_like(
    ids: &[lifeboat_fhir_parse::fhirbolt::model::r4::types::Identifier],
    needles: &[&str],
) -> String {
    ids.iter()
        .find(|i| {
            let sys = s(&i.system);
            needles.iter().any(|n| sys.contains(n))
        })
        .map(|i| s(&i.value))
        .unwrap_or_default()
}

pub fn request(r: &MedicationRequest, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(Some(&r.subject), &r.contained);
    let (drug, sys, others) = match &r.medication {
        MedicationRequestMedication::CodeableConcept(c) => drug(c),
        MedicationRequestMedication::Reference(x) => drug_ref(x, &r.contained, ctx),
        _ => (Code::default(), DrugCodeSystem::Local, Vec::new()),
    };
    let categories: Vec<Code> = r.category.iter().map(concept).collect();
    let mut m = MedicationOrder::new(OrderKind::Prescription, drug, sys);
    m.other_codes = others;
    m.categories = categories;
    m.setting = setting_of(&r.category.iter().collect::<Vec<_>>())
        .or_else(|| encounter_setting(r.encounter.as_deref(), &r.contained, ctx));
    for k in r.category.iter().flat_map(|c| c.coding.iter()) {
        match s(&k.code).as_str() {
            "OHI" | "IHI" => m.dispensing = Some(Dispensing::InHouse),
            "OHO" => m.dispensing = Some(Dispensing::Outside),
            _ => {}
        }
    }
    apply_dosage(&mut m, &r.dosage_instruction);
    m.kind = kind_of(m.route.as_ref(), &m.categories);
    m.rp = identifier_like(&r.identifier, &["RPGroupNumber", "1.2.392.100495.20.3.81"]);
    m.order_no = r
        .group_identifier
        .as_deref()
        .map(|g| s(&g.value))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            identifier_like(
                &r.identifier,
                &["1.2.392.100495.20.3.11", "resourceInstance-identifier"],
            )
        });
    if let Some(dr) = &r.dispense_request {
        m.total = dr.quantity.as_deref().map(quantity);
        if m.days.is_none() {
            m.days = dr
                .expected_supply_duration
                .as_deref()
                .and_then(|d| d.value.as_ref())
                .and_then(|v| v.value.as_deref())
                .and_then(days);
        }
        if m.start.is_none() {
            m.start = dr.validity_period.as_deref().and_then(|p| ts(&p.start));
        }
    }
    m.instructions.extend(notes(&r.note));
    m.prescriber = r.requester.as_deref().and_then(|x| ctx.clinician(x));
    m.ordered_at = ts(&r.authored_on);
    m.order_control = text_of(&r.status);
    let status = status_of(&text_of(&r.status));
    let rec = ctx.record(
        patient,
        "MedicationRequest",
        id_of(&r.id).as_deref(),
        r.meta.as_deref(),
        status,
        Clinical::MedicationOrder(m),
    );
    Mapped::one(rec, problems)
}

pub fn statement(r: &MedicationStatement, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(Some(&r.subject), &r.contained);
    let (drug, sys, others) = match &r.medication {
        MedicationStatementMedication::CodeableConcept(c) => drug(c),
        MedicationStatementMedication::Reference(x) => drug_ref(x, &r.contained, ctx),
        _ => (Code::default(), DrugCodeSystem::Local, Vec::new()),
    };
    let mut m = MedicationOrder::new(OrderKind::Prescription, drug, sys);
    m.other_codes = others;
    m.categories = r.category.as_deref().map(concept).into_iter().collect();
    m.setting = setting_of(&r.category.as_deref().into_iter().collect::<Vec<_>>())
        .or_else(|| encounter_setting(r.context.as_deref(), &r.contained, ctx));
    // A statement is what the patient takes or took, not an order: say so.
    m.categories
        .push(Code::new("MedicationStatement", "服薬状況（申告・記録）", ""));
    apply_dosage(&mut m, &r.dosage);
    match &r.effective {
        Some(MedicationStatementEffective::DateTime(d)) => {
            m.start = d.value.as_deref().and_then(crate::fhir::time::parse)
        }
        Some(MedicationStatementEffective::Period(p)) => {
            m.start = ts(&p.start);
            m.end = ts(&p.end);
        }
        _ => {}
    }
    m.instructions.extend(notes(&r.note));
    m.ordered_at = ts(&r.date_asserted);
    m.order_control = text_of(&r.status);
    let status = status_of(&text_of(&r.status));
    let rec = ctx.record(
        patient,
        "MedicationStatement",
        id_of(&r.id).as_deref(),
        r.meta.as_deref(),
        status,
        Clinical::MedicationOrder(m),
    );
    Mapped::one(rec, problems)
}

pub fn administration(r: &MedicationAdministration, ctx: &Ctx) -> Mapped {
    let (patient, problems) = ctx.patient(Some(&r.subject), &r.contained);
    let (drug, _, _) = match &r.medication {
        MedicationAdministrationMedication::CodeableConcept(c) => drug(c),
        MedicationAdministrationMedication::Reference(x) => drug_ref(x, &r.contained, ctx),
        _ => (Code::default(), DrugCodeSystem::Local, Vec::new()),
    };
    let (start, end) = match &r.effective {
        MedicationAdministrationEffective::DateTime(d) => {
            let t = d.value.as_deref().and_then(crate::fhir::time::parse);
            (t, t)
        }
        MedicationAdministrationEffective::Period(p) => (ts(&p.start), ts(&p.end)),
        _ => (None, None),
    };
    let dosage = r.dosage.as_ref();
    let route = dosage.and_then(|d| concept_opt(&d.route));
    let rate: Option<Quantity> = dosage.and_then(|d| match &d.rate {
        Some(MedicationAdministrationDosageRate::Quantity(q)) => Some(quantity(q)),
        Some(MedicationAdministrationDosageRate::Ratio(x)) => x.numerator.as_deref().map(|n| {
            let mut q = quantity(n);
            if let Some(den) = x.denominator.as_deref() {
                q.unit = format!("{}/{}", q.unit, quantity(den).display());
            }
            q
        }),
        _ => None,
    });
    let mut comments = notes(&r.note);
    if let Some(t) = dosage.and_then(|d| opt(&d.text)) {
        comments.insert(0, t);
    }
    let kind = kind_of(
        route.as_ref(),
        &r.category.as_deref().map(concept).into_iter().collect::<Vec<_>>(),
    );
    let a = ModelAdministration {
        kind,
        order_no: r.request.as_deref().map(|x| s(&x.reference)).unwrap_or_default(),
        rp: String::new(),
        drug,
        amount: dosage.and_then(|d| d.dose.as_deref()).map(quantity),
        start,
        end,
        route,
        rate,
        performer: r.performer.iter().find_map(|p| ctx.clinician(&p.actor)),
        location: String::new(),
        comments,
        completion: text_of(&r.status),
    };
    let status = status_of(&text_of(&r.status));
    let rec = ctx.record(
        patient,
        "MedicationAdministration",
        id_of(&r.id).as_deref(),
        r.meta.as_deref(),
        status,
        Clinical::MedicationAdministration(a),
    );
    Mapped::one(rec, problems)
}
