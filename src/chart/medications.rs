//! Medications: what the patient is on now, and every order grouped as the 処方・注射 tab shows
//! it (order number and Rp), older versions kept for showing on demand.
//!
//! Whether an order runs at the data time is decided in one place, [`super::activity`]. This
//! view adds the order's context (入院 / 外来 / 外来処方（入院前） / 持参薬, see
//! [`super::med_context`]), one line per drug for renewals, and the checks a nurse needs before
//! giving anything: the same drug or the same class active twice, and an allergen that matches
//! an active order (see [`super::med_checks`]).

use super::activity::{Activity, FHIR_STOPPED, OrderState, activity, hl7_stop};
use super::encounters::Stay;
use super::med_checks::{DrugKeys, DuplicateOrder, OrderIn, duplicates};
use super::med_context::{OrderSetting, order_setting};
use super::newest_first;
use crate::model::{
    Clinical, Dispensing, MedicationAdministration, MedicationOrder, OrderKind, PatientClass, Record,
    RecordStatus, Timestamp,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One order line running now, planned, or of unknown state, as the 概要, the printout and
/// `show` list it.
#[derive(Clone, Debug, Serialize)]
pub struct ActiveMed {
    pub record: usize,
    pub kind: OrderKind,
    pub drug: String,
    /// `1 錠`.
    pub dose: String,
    /// Every dosage repetition and instruction: `内服・経口・１日３回朝昼夕食後`.
    pub dosage: String,
    /// Route with method, line and site: `静脈内 点滴静注 側管`.
    pub route: String,
    pub days: Option<u32>,
    /// The start (else the order date).
    pub start: Option<Timestamp>,
    /// The last day covered (prescriptions) or the end (injections), when known.
    pub until: Option<NaiveDate>,
    pub activity: Activity,
    /// 入院 / 外来 / 外来処方（入院前） / 持参薬 ...
    pub setting: OrderSetting,
    /// Compact (`80 mL/h`, see `units::compact`).
    pub rate: String,
    /// The rate as sent, when it reads differently from `rate` (for a tooltip).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rate_as_sent: String,
    pub prescriber: String,
    pub department: String,
    pub order_no: String,
    pub rp: String,
    /// Older lines of the same drug, setting, dose and dosage that this renewal replaces.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub renews: Vec<usize>,
}

impl ActiveMed {
    /// `実施中（期間）・入院`: the state with its basis, and the setting.
    pub fn state_ja(&self) -> String {
        format!("{}・{}", self.activity.label_ja(), self.setting.label_ja())
    }

    /// Dosage, route and rate in one cell: `１日１回朝食後 静脈内 点滴静注 速度 80 mL/h`.
    pub fn how_ja(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for s in [&self.dosage, &self.route] {
            if !s.is_empty() {
                parts.push(s.clone());
            }
        }
        if !self.rate.is_empty() {
            parts.push(format!("速度 {}", self.rate));
        }
        parts.join(" ")
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct OrderLine {
    pub record: usize,
    pub drug: String,
    pub dose: String,
    pub dosage: String,
    pub route: String,
    pub days: Option<u32>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    /// Compact (`80 mL/h`, see `units::compact`).
    pub rate: String,
    /// The rate as sent, when it reads differently from `rate` (for a tooltip).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rate_as_sent: String,
    pub status: RecordStatus,
    /// Stopped by a DC/CA order or a FHIR status, though the record itself may be current.
    pub discontinued: bool,
    /// Running at the reference time (`activity.state == Active`).
    pub active: bool,
    pub activity: Activity,
    pub setting: OrderSetting,
    /// The order control or FHIR status as sent.
    pub order_control: String,
}

/// One Rp of one order (or one FHIR request).
#[derive(Clone, Debug, Serialize)]
pub struct OrderGroup {
    pub kind: OrderKind,
    pub order_no: String,
    pub rp: String,
    /// The order date (else the start) of its newest current line.
    pub date: Option<Timestamp>,
    pub department: String,
    pub prescriber: String,
    pub setting: Option<PatientClass>,
    pub dispensing: Option<Dispensing>,
    /// Some line is current and not discontinued: shown by default.
    pub current: bool,
    pub lines: Vec<OrderLine>,
}

impl OrderGroup {
    /// `処方 2011-07-01 内科 医師 一郎`.
    pub fn header(&self) -> String {
        let mut parts = vec![self.kind.label_ja().to_string()];
        if let Some(d) = self.date {
            parts.push(d.date().to_string());
        }
        for s in [&self.department, &self.prescriber] {
            if !s.is_empty() {
                parts.push(s.clone());
            }
        }
        parts.join(" ")
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct MedicationsView {
    /// Running now: injections first, then prescriptions, newest start first; a renewal of the
    /// same drug, setting, dose and dosage shows once (the newest, with the lines it renews).
    pub active: Vec<ActiveMed>,
    /// Of unknown state (no end and no days sent, started recently or in this stay): listed
    /// apart, never as running.
    pub unknown: Vec<ActiveMed>,
    /// Starting after the data time.
    pub planned: Vec<ActiveMed>,
    /// The same drug or the same class running twice.
    pub duplicates: Vec<DuplicateOrder>,
    /// Every order, newest first.
    pub groups: Vec<OrderGroup>,
}

/// Administrations of one order: by order number and Rp, else order number and drug code.
fn administrations_by_order(
    records: &[Record],
) -> HashMap<(OrderKind, String, String), Vec<&MedicationAdministration>> {
    let mut map: HashMap<(OrderKind, String, String), Vec<&MedicationAdministration>> = HashMap::new();
    for r in records {
        if r.status != RecordStatus::Current {
            continue;
        }
        if let Clinical::MedicationAdministration(a) = &r.data
            && !a.order_no.is_empty()
        {
            map.entry((a.kind, a.order_no.clone(), a.rp.clone()))
                .or_default()
                .push(a);
            if !a.drug.code.is_empty() {
                map.entry((a.kind, a.order_no.clone(), format!("drug:{}", a.drug.code)))
                    .or_default()
                    .push(a);
            }
        }
    }
    map
}

impl MedicationsView {
    /// `now` is the data time; `current` the stay the patient is in then; `stays` every stay.
    pub fn build(records: &[Record], now: Option<Timestamp>, current: Option<&Stay>, stays: &[Stay]) -> Self {
        let orders: Vec<(usize, &Record, &MedicationOrder)> = records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.data {
                Clinical::MedicationOrder(m) => Some((i, r, m)),
                _ => None,
            })
            .collect();
        // Orders (and Rps) stopped by a DC/CA message anywhere, e.g. stored under another date.
        let mut stopped: HashSet<(OrderKind, &str, &str)> = HashSet::new();
        for (_, r, m) in &orders {
            if r.status != RecordStatus::Superseded && hl7_stop(&m.order_control) && !m.order_no.is_empty() {
                stopped.insert((m.kind, m.order_no.as_str(), m.rp.as_str()));
            }
        }
        let discontinued = |m: &MedicationOrder| {
            hl7_stop(&m.order_control)
                || FHIR_STOPPED.contains(&m.order_control.as_str())
                || (!m.order_no.is_empty()
                    && (stopped.contains(&(m.kind, m.order_no.as_str(), m.rp.as_str()))
                        || stopped.contains(&(m.kind, m.order_no.as_str(), ""))))
        };
        let given = administrations_by_order(records);
        let no_admin: Vec<&MedicationAdministration> = Vec::new();

        let mut groups: Vec<OrderGroup> = Vec::new();
        let mut group_of: HashMap<(OrderKind, &str, &str), usize> = HashMap::new();
        let mut listed: Vec<ActiveMed> = Vec::new();
        for (i, r, m) in &orders {
            let stop = discontinued(m);
            let admins = given
                .get(&(m.kind, m.order_no.clone(), m.rp.clone()))
                .or_else(|| given.get(&(m.kind, m.order_no.clone(), format!("drug:{}", m.drug.code))))
                .filter(|_| !m.order_no.is_empty())
                .unwrap_or(&no_admin);
            let act = activity(m, r.status, stop, now, current, admins);
            let setting = order_setting(m, act.begin, current, stays);
            let line = OrderLine {
                record: *i,
                drug: m.drug.display().to_string(),
                dose: dose_text(m),
                dosage: m.dosage_text(),
                route: m.route_text(),
                days: m.days,
                start: m.start,
                end: m.end,
                rate: m.rate.as_ref().map(super::units::compact).unwrap_or_default(),
                rate_as_sent: m
                    .rate
                    .as_ref()
                    .map(super::units::as_sent_if_different)
                    .unwrap_or_default(),
                status: r.status,
                discontinued: stop,
                active: act.state == OrderState::Active,
                activity: act,
                setting,
                order_control: m.order_control.clone(),
            };
            if matches!(
                act.state,
                OrderState::Active | OrderState::Unknown | OrderState::Planned
            ) {
                listed.push(ActiveMed {
                    record: *i,
                    kind: m.kind,
                    drug: line.drug.clone(),
                    dose: line.dose.clone(),
                    dosage: line.dosage.clone(),
                    route: line.route.clone(),
                    days: m.days,
                    start: act.begin,
                    until: act.until,
                    activity: act,
                    setting,
                    rate: line.rate.clone(),
                    rate_as_sent: line.rate_as_sent.clone(),
                    prescriber: clinician(m),
                    department: department(m),
                    order_no: m.order_no.clone(),
                    rp: m.rp.clone(),
                    renews: Vec::new(),
                });
            }
            let current_line = r.status == RecordStatus::Current && !stop;
            let gi = if m.order_no.is_empty() {
                None
            } else {
                group_of
                    .get(&(m.kind, m.order_no.as_str(), m.rp.as_str()))
                    .copied()
            };
            match gi {
                Some(g) => {
                    let grp = &mut groups[g];
                    if current_line || !grp.current {
                        refresh_header(grp, m);
                    }
                    grp.current |= current_line;
                    grp.lines.push(line);
                }
                None => {
                    if !m.order_no.is_empty() {
                        group_of.insert((m.kind, m.order_no.as_str(), m.rp.as_str()), groups.len());
                    }
                    let mut grp = OrderGroup {
                        kind: m.kind,
                        order_no: m.order_no.clone(),
                        rp: m.rp.clone(),
                        date: None,
                        department: String::new(),
                        prescriber: String::new(),
                        setting: None,
                        dispensing: None,
                        current: current_line,
                        lines: vec![line],
                    };
                    refresh_header(&mut grp, m);
                    groups.push(grp);
                }
            }
        }
        groups.sort_by(|a, b| {
            newest_first(a.date, b.date)
                .then(a.order_no.cmp(&b.order_no))
                .then(super::census::natural_cmp(&a.rp, &b.rp))
        });

        listed.sort_by(|a, b| {
            kind_rank(a.kind)
                .cmp(&kind_rank(b.kind))
                .then(newest_first(a.start, b.start))
                .then(a.order_no.cmp(&b.order_no))
                .then(super::census::natural_cmp(&a.rp, &b.rp))
                .then(a.record.cmp(&b.record))
        });
        let order_of = |rec: usize| match records.get(rec).map(|r| &r.data) {
            Some(Clinical::MedicationOrder(m)) => Some(m),
            _ => None,
        };
        let mut active: Vec<ActiveMed> = Vec::new();
        let mut unknown = Vec::new();
        let mut planned = Vec::new();
        let mut active_keys: Vec<(DrugKeys, String)> = Vec::new();
        for a in listed {
            match a.activity.state {
                OrderState::Active => {
                    // A renewal: the same drug, setting, dose and dosage as a newer running line.
                    let keys = order_of(a.record).map(DrugKeys::of_order).unwrap_or_default();
                    let shape = renewal_shape(&a);
                    match active_keys
                        .iter()
                        .position(|(k, s)| *s == shape && k.same_drug(&keys))
                    {
                        Some(pos) => active[pos].renews.push(a.record),
                        None => {
                            active_keys.push((keys, shape));
                            active.push(a);
                        }
                    }
                }
                OrderState::Unknown => unknown.push(a),
                _ => planned.push(a),
            }
        }
        let running: Vec<OrderIn> = active
            .iter()
            .filter_map(|a| {
                order_of(a.record).map(|order| OrderIn {
                    record: a.record,
                    order,
                })
            })
            .collect();
        let duplicates = duplicates(&running);
        Self {
            active,
            unknown,
            planned,
            duplicates,
            groups,
        }
    }

    /// Groups shown by default (some line current and not discontinued).
    pub fn current_groups(&self) -> impl Iterator<Item = &OrderGroup> {
        self.groups.iter().filter(|g| g.current)
    }

    /// Duplicate warnings that name `record`.
    pub fn duplicates_of(&self, record: usize) -> impl Iterator<Item = &DuplicateOrder> {
        self.duplicates
            .iter()
            .filter(move |d| d.records.contains(&record))
    }
}

/// What makes two running lines of one drug a renewal rather than a second order: the same
/// kind, ward-or-not setting, dose and dosage.
fn renewal_shape(a: &ActiveMed) -> String {
    format!(
        "{:?}|{}|{}|{}|{}",
        a.kind,
        a.setting.is_ward_order(),
        a.setting == OrderSetting::OutpatientBeforeAdmission,
        a.dose,
        a.dosage
    )
}

fn kind_rank(k: OrderKind) -> u8 {
    match k {
        OrderKind::Injection => 0,
        OrderKind::Prescription => 1,
    }
}

fn refresh_header(g: &mut OrderGroup, m: &MedicationOrder) {
    g.date = m.ordered_at.or(m.start).or(g.date);
    let d = department(m);
    if !d.is_empty() {
        g.department = d;
    }
    let p = clinician(m);
    if !p.is_empty() {
        g.prescriber = p;
    }
    g.setting = m.setting.or(g.setting);
    g.dispensing = m.dispensing.or(g.dispensing);
}

fn department(m: &MedicationOrder) -> String {
    m.department
        .as_ref()
        .map(|d| d.display().to_string())
        .unwrap_or_default()
}

fn clinician(m: &MedicationOrder) -> String {
    m.prescriber
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

fn dose_text(m: &MedicationOrder) -> String {
    match (&m.dose, &m.dose_max) {
        (Some(d), Some(max)) if max.value != d.value => format!("{}〜{}", d.value, max.display()),
        (Some(d), _) => d.display(),
        (None, _) => String::new(),
    }
}
