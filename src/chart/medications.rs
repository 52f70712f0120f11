//! Medications: what the patient is on now, and every order grouped as the 処方・注射 tab shows
//! it (order number and Rp), older versions kept for showing on demand.
//!
//! Active rules (at the reference time `now`):
//! - only current records; an order discontinued or cancelled (SS-MIX2 ORC-1 `DC`/`CA`/`OC` in
//!   any non-superseded record of the same order and Rp, or a FHIR status stopped / cancelled /
//!   completed / entered-in-error / draft / on-hold / not-taken) is never active;
//! - a prescription is active from its start (else its order date) while the supplied days have
//!   not run out (the start day is day 1), and not after its end when one was sent; without days
//!   or end (頓用 sent as a number of doses) it counts as active for [`UNKNOWN_DURATION_DAYS`]
//!   and says so;
//! - an injection is active while running (start ≤ now ≤ end), or, without an end, when it
//!   started inside the stay the patient is in now (outpatient injections without an end are
//!   only active on their day).

use super::encounters::Stay;
use super::newest_first;
use crate::model::{
    Clinical, Dispensing, MedicationOrder, OrderKind, PatientClass, Record, RecordStatus, Timestamp,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// How long a prescription without days or an end date is shown as active.
pub const UNKNOWN_DURATION_DAYS: i64 = 30;

#[derive(Clone, Debug, Serialize)]
pub struct ActiveMed {
    pub record: usize,
    pub kind: OrderKind,
    pub drug: String,
    /// `1 錠`.
    pub dose: String,
    /// `内服・経口・１日３回朝昼夕食後`.
    pub dosage: String,
    pub route: String,
    pub days: Option<u32>,
    /// The start (else the order date).
    pub start: Option<Timestamp>,
    /// The last day covered (prescriptions) or the end (injections), when known.
    pub until: Option<NaiveDate>,
    /// No days and no end were sent: `until` is an assumption.
    pub duration_unknown: bool,
    pub rate: String,
    pub prescriber: String,
    pub department: String,
    pub order_no: String,
    pub rp: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct OrderLine {
    pub record: usize,
    pub drug: String,
    pub dose: String,
    pub dosage: String,
    pub days: Option<u32>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub rate: String,
    pub status: RecordStatus,
    /// Stopped by a DC/CA order or a FHIR status, though the record itself may be current.
    pub discontinued: bool,
    /// Active at the reference time.
    pub active: bool,
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
    /// Active now: injections first, then prescriptions, newest start first; one line per drug.
    pub active: Vec<ActiveMed>,
    /// Every order, newest first.
    pub groups: Vec<OrderGroup>,
}

const FHIR_STOPPED: [&str; 8] = [
    "stopped",
    "cancelled",
    "completed",
    "entered-in-error",
    "draft",
    "on-hold",
    "not-taken",
    "revoked",
];

fn hl7_stop(control: &str) -> bool {
    matches!(control, "DC" | "CA" | "OC" | "OD")
}

impl MedicationsView {
    pub fn build(records: &[Record], now: Option<Timestamp>, stay: Option<&Stay>) -> Self {
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

        let mut groups: Vec<OrderGroup> = Vec::new();
        let mut group_of: HashMap<(OrderKind, &str, &str), usize> = HashMap::new();
        let mut active: Vec<ActiveMed> = Vec::new();
        for (i, r, m) in &orders {
            let stop = discontinued(m);
            let is_active = r.status == RecordStatus::Current && !stop && active_at(m, now, stay).is_some();
            let line = OrderLine {
                record: *i,
                drug: m.drug.display().to_string(),
                dose: dose_text(m),
                dosage: m.dosage_text(),
                days: m.days,
                start: m.start,
                end: m.end,
                rate: m.rate.as_ref().map(|q| q.display()).unwrap_or_default(),
                status: r.status,
                discontinued: stop,
                active: is_active,
                order_control: m.order_control.clone(),
            };
            if is_active && let Some((until, unknown)) = active_at(m, now, stay) {
                active.push(ActiveMed {
                    record: *i,
                    kind: m.kind,
                    drug: line.drug.clone(),
                    dose: line.dose.clone(),
                    dosage: line.dosage.clone(),
                    route: m
                        .route
                        .as_ref()
                        .map(|c| c.display().to_string())
                        .unwrap_or_default(),
                    days: m.days,
                    start: m.start.or(m.ordered_at),
                    until,
                    duration_unknown: unknown,
                    rate: line.rate.clone(),
                    prescriber: clinician(m),
                    department: department(m),
                    order_no: m.order_no.clone(),
                    rp: m.rp.clone(),
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

        // One line per drug: a renewed prescription overlapping the old one shows once (newest).
        active.sort_by(|a, b| {
            kind_rank(a.kind)
                .cmp(&kind_rank(b.kind))
                .then(newest_first(a.start, b.start))
                .then(a.order_no.cmp(&b.order_no))
                .then(super::census::natural_cmp(&a.rp, &b.rp))
                .then(a.record.cmp(&b.record))
        });
        let mut seen: HashSet<(OrderKind, String)> = HashSet::new();
        active.retain(|a| {
            let code = records
                .get(a.record)
                .and_then(|r| match &r.data {
                    Clinical::MedicationOrder(m) if !m.drug.code.is_empty() => Some(m.drug.code.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| a.drug.clone());
            seen.insert((a.kind, code))
        });
        Self { active, groups }
    }

    /// Groups shown by default (some line current and not discontinued).
    pub fn current_groups(&self) -> impl Iterator<Item = &OrderGroup> {
        self.groups.iter().filter(|g| g.current)
    }
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

/// When `m` is active at `now`: the last day covered (if known) and whether that is assumed.
/// Status and discontinuation are checked by the caller.
fn active_at(
    m: &MedicationOrder,
    now: Option<Timestamp>,
    stay: Option<&Stay>,
) -> Option<(Option<NaiveDate>, bool)> {
    let now = now?;
    let begin = m.start.or(m.ordered_at)?;
    if begin > now {
        return None;
    }
    if m.end
        .is_some_and(|e| (e.has_time() && e < now) || (!e.has_time() && e.date() < now.date()))
    {
        return None;
    }
    match m.kind {
        OrderKind::Prescription => {
            let (last_day, unknown) = match (m.days, m.end) {
                (Some(d), _) => (begin.date() + chrono::Days::new(u64::from(d.max(1)) - 1), false),
                (None, Some(e)) => (e.date(), false),
                (None, None) => (
                    begin.date() + chrono::Days::new(UNKNOWN_DURATION_DAYS as u64 - 1),
                    true,
                ),
            };
            let last_day = match m.end {
                Some(e) => last_day.min(e.date()),
                None => last_day,
            };
            (now.date() <= last_day).then_some((Some(last_day), unknown))
        }
        OrderKind::Injection => match m.end {
            Some(e) => Some((Some(e.date()), false)),
            None => {
                let in_stay = stay.is_some_and(|s| s.contains(begin) && s.contains(now));
                (in_stay || begin.date() == now.date()).then_some((None, false))
            }
        },
    }
}
