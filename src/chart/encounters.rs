//! Encounters as a list, and stays: admission-to-discharge periods rebuilt from SS-MIX2 events
//! (admission, transfer, leave, discharge, and the messages that cancel them) and from FHIR
//! Encounters sent as one piece.

use super::newest_first;
use crate::model::{
    Clinical, Clinician, Code, Encounter, EncounterEvent, Location, PatientClass, Record, RecordStatus,
    Timestamp,
};
use serde::Serialize;

/// One encounter record for the 受診・入退院 list.
#[derive(Clone, Debug, Serialize)]
pub struct EncounterItem {
    pub record: usize,
    pub event: EncounterEvent,
    /// The record cancels an earlier event (A11, A12, A13 ...).
    pub cancellation: bool,
    pub status: RecordStatus,
    pub time: Option<Timestamp>,
    pub class: Option<PatientClass>,
    pub department: Option<Code>,
    pub location: Option<Location>,
    pub attending: Option<Clinician>,
    /// `入院`, `転科・転棟（取消）` ...
    pub label: String,
}

/// Every encounter record, newest first (undated last), every status.
pub fn encounter_list(records: &[Record]) -> Vec<EncounterItem> {
    let mut out: Vec<EncounterItem> = records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.data {
            Clinical::Encounter(e) => Some(EncounterItem {
                record: i,
                event: e.event,
                cancellation: e.cancellation,
                status: r.status,
                time: e.time(),
                class: e.class,
                department: e.department.clone(),
                location: e.location.clone().filter(has_place),
                attending: e.attending.clone(),
                label: if e.cancellation {
                    format!("{}（取消）", e.event.label_ja())
                } else {
                    e.event.label_ja().to_string()
                },
            }),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| newest_first(a.time, b.time).then(b.record.cmp(&a.record)));
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaySource {
    /// Rebuilt from SS-MIX2 ADT events.
    Events,
    /// A FHIR Encounter of class inpatient.
    Fhir,
}

/// Where the patient was and who looked after them from `time` on: the admission itself, a
/// transfer, or a change of attending doctor.
#[derive(Clone, Debug, Serialize)]
pub struct Move {
    pub time: Option<Timestamp>,
    pub event: EncounterEvent,
    pub location: Option<Location>,
    pub department: Option<Code>,
    pub attending: Option<Clinician>,
    pub record: usize,
}

/// A leave of absence (外出・外泊); `back` is None while the patient is still out.
#[derive(Clone, Debug, Serialize)]
pub struct Leave {
    pub out: Timestamp,
    pub back: Option<Timestamp>,
    pub record: usize,
}

/// One admission-to-discharge period.
#[derive(Clone, Debug, Serialize)]
pub struct Stay {
    /// Admission time as sent; None when the admission itself is missing (admitted before the
    /// snapshot's window, or its message lost) and the stay is known only from later events.
    pub start: Option<Timestamp>,
    /// The earliest time known to lie inside the stay: `start`, else the first event seen.
    pub since: Option<Timestamp>,
    /// Discharge time; None while admitted.
    pub end: Option<Timestamp>,
    /// `end` was not sent: a later admission ended this stay.
    pub end_inferred: bool,
    /// Over, though no end was sent (a FHIR Encounter `finished` without `period.end`): never
    /// an admission now.
    pub ended_unknown: bool,
    /// From a planned discharge (退院予定), while admitted.
    pub planned_end: Option<Timestamp>,
    /// 入院状況不明: built from transfer, leave or doctor-change messages that came after a
    /// discharge and name no admission (neither its visit number nor its admission time). The
    /// data cannot tell whether the patient is in: such a stay contains no time, so it never
    /// makes the patient 入院中 or puts them on the census; the faces say 「入院状況不明」 and
    /// show `records` (the discharge first).
    pub uncertain: bool,
    /// Location, department and doctor changes, oldest first (the admission first).
    pub moves: Vec<Move>,
    pub leaves: Vec<Leave>,
    /// Every record that built this stay.
    pub records: Vec<usize>,
    pub source: StaySource,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub visit_id: String,
}

impl Stay {
    fn new(start: Option<Timestamp>, since: Option<Timestamp>, source: StaySource) -> Self {
        Self {
            start,
            since,
            end: None,
            end_inferred: false,
            ended_unknown: false,
            planned_end: None,
            uncertain: false,
            moves: Vec::new(),
            leaves: Vec::new(),
            records: Vec::new(),
            source,
            visit_id: String::new(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.end.is_none() && !self.ended_unknown && !self.uncertain
    }

    /// Admitted at `t`: on or after the start (or first event), before the discharge. A stay
    /// that ended at an unknown time, or that the data cannot place (`uncertain`), contains no
    /// time at all.
    pub fn contains(&self, t: Timestamp) -> bool {
        !self.ended_unknown
            && !self.uncertain
            && self.since.is_none_or(|s| s <= t)
            && self.end.is_none_or(|e| t < e)
    }

    /// The uncertain stay covers `t` (its messages came at or before `t` and nothing closed it).
    pub fn unclear_at(&self, t: Option<Timestamp>) -> bool {
        self.uncertain
            && t.is_none_or(|t| self.since.is_none_or(|s| s <= t) && self.end.is_none_or(|e| t < e))
    }

    fn last_move_at<T>(&self, t: Option<Timestamp>, f: impl Fn(&Move) -> Option<&T>) -> Option<&T> {
        let upto = |m: &&Move| match (t, m.time) {
            (Some(t), Some(mt)) => mt <= t,
            _ => true,
        };
        self.moves
            .iter()
            .filter(upto)
            .filter_map(&f)
            .last()
            .or_else(|| self.moves.iter().find_map(&f))
    }

    /// The location at `t` (the latest move at or before it; None: the latest of all).
    pub fn location_at(&self, t: Option<Timestamp>) -> Option<&Location> {
        self.last_move_at(t, |m| m.location.as_ref())
    }

    pub fn department_at(&self, t: Option<Timestamp>) -> Option<&Code> {
        self.last_move_at(t, |m| m.department.as_ref())
    }

    pub fn attending_at(&self, t: Option<Timestamp>) -> Option<&Clinician> {
        self.last_move_at(t, |m| m.attending.as_ref())
    }

    /// Out on leave at `t` (None: out now, per the latest events).
    pub fn on_leave_at(&self, t: Option<Timestamp>) -> bool {
        self.leaves.iter().any(|l| {
            let started = t.is_none_or(|t| l.out <= t);
            let not_back = match (l.back, t) {
                (None, _) => true,
                (Some(b), Some(t)) => t < b,
                (Some(_), None) => false,
            };
            started && not_back
        })
    }
}

/// The stay the data cannot place at `t` (see [`Stay::uncertain`]), when no stay contains `t`.
pub fn unclear_stay_at(stays: &[Stay], t: Option<Timestamp>) -> Option<&Stay> {
    if stay_at(stays, t).is_some() {
        return None;
    }
    stays.iter().rev().find(|s| s.unclear_at(t))
}

/// The stay the patient is in at `t`; with no `t`, the open stay. The latest wins when sources
/// overlap.
pub fn stay_at(stays: &[Stay], t: Option<Timestamp>) -> Option<&Stay> {
    stays
        .iter()
        .rev()
        .find(|s| t.map_or(s.is_open(), |t| s.contains(t)))
}

/// Order of events at the same minute: the admission before a transfer before a discharge.
fn rank(e: EncounterEvent) -> u8 {
    match e {
        EncounterEvent::Admission => 0,
        EncounterEvent::AttendingChange => 1,
        EncounterEvent::Transfer => 2,
        EncounterEvent::LeaveOut => 3,
        EncounterEvent::LeaveReturn => 4,
        EncounterEvent::PlannedDischarge => 5,
        EncounterEvent::Discharge => 6,
        _ => 7,
    }
}

fn stay_event(e: EncounterEvent) -> bool {
    matches!(
        e,
        EncounterEvent::Admission
            | EncounterEvent::Transfer
            | EncounterEvent::LeaveOut
            | EncounterEvent::LeaveReturn
            | EncounterEvent::PlannedDischarge
            | EncounterEvent::Discharge
            | EncounterEvent::AttendingChange
    )
}

/// When the event took effect, else when its message was written (a message without PV1-44 or
/// EVN-6 still places its event). Planned discharges are placed when sent: their own time is
/// the plan.
fn effective_time(r: &Record, e: &Encounter) -> Option<Timestamp> {
    match e.event {
        EncounterEvent::PlannedDischarge => e.event_time.or(r.provenance.written_at),
        _ => e.time().or(r.provenance.written_at),
    }
}

struct Event<'a> {
    idx: usize,
    e: &'a Encounter,
    time: Option<Timestamp>,
    written: Option<Timestamp>,
    /// The record is current (others are only targets for the cancels that repeat them).
    current: bool,
}

/// Every stay, oldest first. Only current records count. A cancelling record (A11, A12, A13,
/// A52, A53, A55 ...) takes away the event it repeats: of the same kind, written before it, at
/// the same time (else the latest before it). Deleted pairs (an A02 and its A12, both flag 0)
/// thus cancel each other and leave the other events alone.
pub fn stays(records: &[Record]) -> Vec<Stay> {
    let mut events: Vec<Event> = Vec::new();
    let mut cancels: Vec<Event> = Vec::new();
    let mut fhir: Vec<Event> = Vec::new();
    for (idx, r) in records.iter().enumerate() {
        let Clinical::Encounter(e) = &r.data else {
            continue;
        };
        // Older versions are neither events nor cancels.
        if r.status == RecordStatus::Superseded {
            continue;
        }
        let ev = Event {
            idx,
            e,
            time: effective_time(r, e),
            written: r.provenance.written_at,
            current: r.status == RecordStatus::Current,
        };
        if e.cancellation {
            if stay_event(e.event) {
                cancels.push(ev);
            }
        } else if e.event == EncounterEvent::Stay {
            // A planned stay is not an admission yet.
            if ev.current && e.class == Some(PatientClass::Inpatient) && e.status != "planned" {
                fhir.push(ev);
            }
        } else if stay_event(e.event) && e.class != Some(PatientClass::Outpatient) {
            events.push(ev);
        }
    }
    apply_cancellations(&mut events, &mut cancels);
    events.retain(|ev| ev.current);
    events.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then(rank(a.e.event).cmp(&rank(b.e.event)))
            .then(a.written.cmp(&b.written))
            .then(a.idx.cmp(&b.idx))
    });
    let mut out = walk(&events);
    merge_fhir(&mut out, &fhir);
    out.sort_by_key(|s| s.since);
    out
}

fn apply_cancellations(events: &mut Vec<Event>, cancels: &mut [Event]) {
    cancels.sort_by(|a, b| a.written.cmp(&b.written).then(a.idx.cmp(&b.idx)));
    let mut removed = vec![false; events.len()];
    for c in cancels.iter() {
        let candidates = || {
            events.iter().enumerate().filter(|(i, ev)| {
                !removed[*i]
                    && ev.e.event == c.e.event
                    && match (ev.written, c.written) {
                        (Some(w), Some(cw)) => w <= cw,
                        _ => true,
                    }
            })
        };
        let same_time = candidates()
            .filter(|(_, ev)| ev.time.is_some() && ev.time == c.time)
            .max_by(|a, b| a.1.written.cmp(&b.1.written).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i);
        let target = same_time.or_else(|| {
            candidates()
                .filter(|(_, ev)| match (ev.time, c.time) {
                    (Some(t), Some(ct)) => t <= ct,
                    _ => true,
                })
                .max_by(|a, b| a.1.time.cmp(&b.1.time).then(a.0.cmp(&b.0)))
                .map(|(i, _)| i)
        });
        if let Some(i) = target {
            removed[i] = true;
        }
    }
    let mut i = 0;
    events.retain(|_| {
        let keep = !removed[i];
        i += 1;
        keep
    });
}

/// A location that names anything (FHIR often sends only the ward's name).
fn has_place(l: &Location) -> bool {
    !l.is_empty() || !l.ward_name.is_empty()
}

fn move_of(ev: &Event) -> Move {
    Move {
        time: ev.time,
        event: ev.e.event,
        location: ev.e.location.clone().filter(has_place),
        department: ev.e.department.clone(),
        attending: ev.e.attending.clone(),
        record: ev.idx,
    }
}

fn same_day(a: Option<Timestamp>, b: Option<Timestamp>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.date() == b.date())
}

fn walk(events: &[Event]) -> Vec<Stay> {
    let mut out: Vec<Stay> = Vec::new();
    let mut open: Option<Stay> = None;
    for ev in events {
        let Some(time) = ev.time else {
            // An event we cannot place in time cannot open or close anything.
            continue;
        };
        let e = ev.e;
        match e.event {
            EncounterEvent::Admission => {
                if let Some(s) = open.as_mut()
                    && same_day(s.start, Some(time))
                {
                    // The same admission sent again (an update of the A01): one stay.
                    s.start = s.start.min(Some(time));
                    s.since = s.since.min(Some(time));
                    s.moves.push(move_of(ev));
                    s.moves.sort_by_key(|m| m.time);
                    s.records.push(ev.idx);
                    continue;
                }
                if let Some(mut s) = open.take() {
                    s.end = Some(time);
                    s.end_inferred = true;
                    out.push(s);
                }
                let mut s = Stay::new(Some(time), Some(time), StaySource::Events);
                s.visit_id = e.visit_id.clone();
                s.moves.push(move_of(ev));
                s.records.push(ev.idx);
                open = Some(s);
            }
            EncounterEvent::Discharge => {
                let mut s = match open.take() {
                    Some(s) => s,
                    None => {
                        // A repeated discharge of the stay just closed adds nothing.
                        if let Some(last) = out.last_mut()
                            && last.end == Some(time)
                        {
                            last.records.push(ev.idx);
                            continue;
                        }
                        // A discharge whose admission we never saw: PV1-44 says when it began.
                        Stay::new(e.start, e.start, StaySource::Events)
                    }
                };
                if s.start.is_none()
                    && let Some(st) = e.start.filter(|st| *st <= time)
                {
                    s.start = Some(st);
                    s.since = Some(s.since.map_or(st, |x| x.min(st)));
                }
                if s.moves.is_empty() {
                    s.moves.push(move_of(ev));
                }
                s.end = Some(time);
                s.planned_end = None;
                if let Some(l) = s.leaves.last_mut()
                    && l.back.is_none()
                {
                    l.back = Some(time);
                }
                s.records.push(ev.idx);
                out.push(s);
            }
            EncounterEvent::PlannedDischarge => {
                // A plan says nothing about whether the patient is in: it only annotates a stay.
                if let Some(s) = open.as_mut() {
                    s.records.push(ev.idx);
                    s.planned_end = e.planned_time.or(s.planned_end);
                }
            }
            _ => {
                if open.is_none()
                    && let Some(last) = out.last_mut()
                    && belongs_to(last, e)
                {
                    // A late message about the stay just closed (a transfer sent after the
                    // discharge, naming the same admission): it does not readmit the patient.
                    last.records.push(ev.idx);
                    continue;
                }
                // A transfer, leave or doctor change means the patient is in, even when the
                // admission lies before the snapshot's window: the stay starts unknown. After a
                // discharge, though, nothing says the patient came back: the stay is uncertain,
                // and the discharge is kept with it as the conflicting message.
                let s = open.get_or_insert_with(|| {
                    let mut s = Stay::new(None, Some(time), StaySource::Events);
                    if let Some(last) = out.last() {
                        s.uncertain = true;
                        s.records.extend(last.records.last().copied());
                    }
                    s
                });
                s.records.push(ev.idx);
                match e.event {
                    EncounterEvent::Transfer | EncounterEvent::AttendingChange => {
                        s.moves.push(move_of(ev));
                    }
                    EncounterEvent::LeaveOut => s.leaves.push(Leave {
                        out: time,
                        back: None,
                        record: ev.idx,
                    }),
                    EncounterEvent::LeaveReturn => {
                        if let Some(l) = s.leaves.last_mut()
                            && l.back.is_none()
                        {
                            l.back = Some(time);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out.extend(open);
    out
}

/// Whether an event names a closed stay: the same visit number, or the same admission time
/// (PV1-44) as the stay's start.
fn belongs_to(stay: &Stay, e: &Encounter) -> bool {
    let same_visit = !stay.visit_id.is_empty() && stay.visit_id == e.visit_id;
    let same_admission = stay.start.is_some() && e.start == stay.start;
    same_visit || same_admission
}

/// FHIR inpatient Encounters become stays; one that starts on the day an SS-MIX2 stay starts is
/// the same admission and only fills what the events lack.
fn merge_fhir(out: &mut Vec<Stay>, fhir: &[Event]) {
    for ev in fhir {
        let e = ev.e;
        if let Some(s) = out
            .iter_mut()
            .find(|s| s.source == StaySource::Events && same_day(s.start, e.start))
        {
            if s.end.is_none() && e.end.is_some() {
                s.end = e.end;
            }
            if s.end.is_none() && e.status == "finished" {
                s.ended_unknown = true;
            }
            if s.moves.iter().all(|m| m.location.is_none()) {
                s.moves.push(move_of(ev));
            }
            s.records.push(ev.idx);
            continue;
        }
        let mut s = Stay::new(e.start, e.start, StaySource::Fhir);
        s.end = e.end;
        s.ended_unknown = e.end.is_none() && e.status == "finished";
        s.visit_id = e.visit_id.clone();
        s.moves.push(move_of(ev));
        s.records.push(ev.idx);
        out.push(s);
    }
}
