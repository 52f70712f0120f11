//! Encounters. SS-MIX2 sends a stay as separate ADT events (admission, transfers, leave,
//! discharge); a FHIR server holds one Encounter per stay. The events of a patient are folded
//! here into stays (class IMP) and visits (class AMB, or EMER), each with its period, wards,
//! department and attending doctor.
//!
//! Plans (planned transfer or discharge) are not encounters and are left out; a planned
//! admission that no admission followed (one in the future) becomes a `planned` Encounter.

use super::ctx::Ctx;
use super::systems::{ACT_CODE, LOCAL_ID_BASE, PARTICIPATION};
use super::types::{Obj, concept, meta, period};
use crate::model::{
    Clinical, Clinician, Code, Encounter, EncounterEvent, Location, PatientClass, Record, Timestamp,
};
use serde_json::{Value, json};

/// One stay or visit, folded from its events.
#[derive(Debug)]
pub struct Visit<'a> {
    pub class: PatientClass,
    /// FHIR Encounter.status.
    pub status: &'static str,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    /// Wards in the order the patient was in them, with when they moved in and out.
    pub locations: Vec<(Location, Option<Timestamp>, Option<Timestamp>)>,
    pub department: Option<Code>,
    /// Attending doctors, oldest first, with when they took over.
    pub attendings: Vec<(Clinician, Option<Timestamp>)>,
    /// Leave (外出・外泊): out, back.
    pub leaves: Vec<(Option<Timestamp>, Option<Timestamp>)>,
    pub disposition: Option<Code>,
    pub visit_id: String,
    /// The event that opened it: its provenance names the resource.
    pub first: &'a Record,
    /// When the newest of its events was written.
    pub updated: Option<Timestamp>,
}

impl<'a> Visit<'a> {
    fn new(r: &'a Record, e: &Encounter, class: PatientClass, status: &'static str) -> Self {
        let mut v = Visit {
            class,
            status,
            start: e.start.or(e.event_time),
            end: None,
            locations: Vec::new(),
            department: None,
            attendings: Vec::new(),
            leaves: Vec::new(),
            disposition: None,
            visit_id: e.visit_id.clone(),
            first: r,
            updated: None,
        };
        v.absorb(r, e, v.start);
        v
    }

    /// Takes what an event says about where and with whom the patient is from `at` on.
    fn absorb(&mut self, r: &Record, e: &Encounter, at: Option<Timestamp>) {
        self.updated = self.updated.max(r.provenance.written_at);
        if let Some(l) = e.location.as_ref().filter(|l| !l.is_empty())
            && self.locations.last().is_none_or(|(last, _, _)| last != l)
        {
            if let Some(prev) = self.locations.last_mut() {
                prev.2 = at;
            }
            self.locations.push((l.clone(), at, None));
        }
        if let Some(d) = e.department.as_ref().filter(|d| !d.is_empty()) {
            self.department = Some(d.clone());
        }
        if let Some(a) = e.attending.as_ref().filter(|a| !a.display().is_empty())
            && self.attendings.last().is_none_or(|(last, _)| last != a)
        {
            self.attendings.push((a.clone(), at));
        }
        if self.visit_id.is_empty() {
            self.visit_id = e.visit_id.clone();
        }
    }
}

/// Folds a patient's encounter events into stays and visits. Only current events are
/// passed in; cancelling messages are skipped here too.
pub fn group<'a>(records: &[&'a Record]) -> Vec<Visit<'a>> {
    let mut events: Vec<(&'a Record, &'a Encounter)> = records
        .iter()
        .filter_map(|r| match &r.data {
            Clinical::Encounter(e) if !e.cancellation => Some((*r, e)),
            _ => None,
        })
        .collect();
    events.sort_by(|a, b| {
        a.1.time()
            .cmp(&b.1.time())
            .then_with(|| a.0.provenance.file.cmp(&b.0.provenance.file))
    });
    let admissions: Vec<Timestamp> = events
        .iter()
        .filter(|(_, e)| e.event == EncounterEvent::Admission)
        .filter_map(|(_, e)| e.start.or(e.event_time))
        .collect();
    let mut out = Vec::new();
    let mut open: Option<Visit> = None;
    for (r, e) in events {
        let at = e.event_time.or(e.start);
        match e.event {
            EncounterEvent::OutpatientVisit => {
                let class = match e.class {
                    Some(PatientClass::Emergency) => PatientClass::Emergency,
                    _ => PatientClass::Outpatient,
                };
                let mut v = Visit::new(r, e, class, "finished");
                v.end = e.end;
                out.push(v);
            }
            EncounterEvent::Stay => {
                // Already one piece (a FHIR source): kept as it came.
                let class = e.class.unwrap_or(PatientClass::Other);
                let status = if e.end.is_some() {
                    "finished"
                } else {
                    "in-progress"
                };
                let mut v = Visit::new(r, e, class, status);
                v.end = e.end;
                out.push(v);
            }
            EncounterEvent::PlannedAdmission => {
                // Realised when an admission starts after the plan was made.
                let made = r.provenance.written_at.or(e.planned_time);
                let realised = admissions.iter().any(|a| made.is_none_or(|m| *a >= m));
                if !realised {
                    let mut v = Visit::new(r, e, PatientClass::Inpatient, "planned");
                    v.start = e.planned_time.or(e.start);
                    out.push(v);
                }
            }
            EncounterEvent::Admission => {
                if let Some(mut prev) = open.take() {
                    // Admitted again without a discharge: the earlier stay's end is unknown.
                    prev.status = "unknown";
                    out.push(prev);
                }
                open = Some(Visit::new(r, e, PatientClass::Inpatient, "in-progress"));
            }
            EncounterEvent::Transfer | EncounterEvent::AttendingChange => {
                // Without its admission (before the data window) the stay starts here.
                let v = open.get_or_insert_with(|| Visit::new(r, e, PatientClass::Inpatient, "in-progress"));
                v.absorb(r, e, at);
            }
            EncounterEvent::LeaveOut => {
                if let Some(v) = open.as_mut() {
                    v.updated = v.updated.max(r.provenance.written_at);
                    v.leaves.push((at, None));
                }
            }
            EncounterEvent::LeaveReturn => {
                if let Some(v) = open.as_mut() {
                    v.updated = v.updated.max(r.provenance.written_at);
                    match v.leaves.last_mut() {
                        Some(last) if last.1.is_none() => last.1 = at.or(e.planned_time),
                        _ => v.leaves.push((None, at)),
                    }
                }
            }
            EncounterEvent::Discharge => {
                let mut v = open
                    .take()
                    .unwrap_or_else(|| Visit::new(r, e, PatientClass::Inpatient, "in-progress"));
                v.absorb(r, e, at);
                v.end = e.end.or(e.event_time);
                v.status = "finished";
                if let Some(last) = v.locations.last_mut() {
                    last.2 = v.end;
                }
                v.disposition = e.discharge_disposition.clone();
                out.push(v);
            }
            EncounterEvent::PlannedTransfer | EncounterEvent::PlannedDischarge => {}
        }
    }
    out.extend(open);
    out.sort_by_key(|v| v.start);
    out
}

pub fn encounter(v: &Visit, id: &str, ctx: &Ctx) -> Value {
    let (code, display) = match v.class {
        PatientClass::Inpatient => ("IMP", "入院"),
        PatientClass::Outpatient => ("AMB", "外来"),
        PatientClass::Emergency => ("EMER", "救急"),
        PatientClass::Other => ("AMB", "外来"),
    };
    let identifier: Vec<Value> = if v.visit_id.is_empty() {
        Vec::new()
    } else {
        vec![json!({"system": format!("{LOCAL_ID_BASE}visit"), "value": v.visit_id})]
    };
    // Newest first, so that a reader taking the first one gets the current doctor and ward.
    let participants = v
        .attendings
        .iter()
        .rev()
        .filter_map(|(doctor, since)| {
            Some(
                Obj::new()
                    .set(
                        "type",
                        json!([{"coding": [{"system": PARTICIPATION, "code": "ATND"}]}]),
                    )
                    .opt("period", period(*since, None))
                    .set("individual", ctx.person(doctor)?)
                    .build(),
            )
        })
        .collect();
    let locations = v
        .locations
        .iter()
        .rev()
        .map(|(l, from, to)| {
            let done = to.is_some() || v.status == "finished";
            Obj::new()
                .set("location", json!({"display": l.display()}))
                .set("status", if done { "completed" } else { "active" })
                .opt("period", period(*from, *to))
                .build()
        })
        .collect();
    let history = v
        .leaves
        .iter()
        .filter_map(|(out, back)| Some(json!({"status": "onleave", "period": period(*out, *back)?})))
        .collect();
    let hospitalization = v
        .disposition
        .as_ref()
        .map(|d| json!({"dischargeDisposition": concept(d)}));
    Obj::resource("Encounter", id)
        .opt("meta", meta(v.updated, ctx.drill))
        .list("identifier", identifier)
        .set("status", v.status)
        .list("statusHistory", history)
        .set(
            "class",
            json!({"system": ACT_CODE, "code": code, "display": display}),
        )
        .opt("serviceType", v.department.as_ref().map(concept))
        .set("subject", ctx.subject())
        .list("participant", participants)
        .opt("period", period(v.start, v.end))
        .opt("hospitalization", hospitalization)
        .list("location", locations)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fhir::ctx::test_ctx;
    use crate::model::{Provenance, RecordStatus};

    fn ts(s: &str) -> Option<Timestamp> {
        Timestamp::parse_iso(s)
    }

    fn event(ev: EncounterEvent, file: &str, f: impl FnOnce(&mut Encounter)) -> Record {
        let mut e = Encounter::new(ev);
        e.class = Some(PatientClass::Inpatient);
        f(&mut e);
        Record {
            patient_id: "0000010003".into(),
            status: RecordStatus::Current,
            provenance: Provenance {
                file: file.into(),
                written_at: e.time(),
                ..Provenance::default()
            },
            data: Clinical::Encounter(e),
        }
    }

    fn ward(name: &str) -> Option<Location> {
        Some(Location {
            ward: name.into(),
            ward_name: format!("{name}病棟"),
            ..Location::default()
        })
    }

    #[test]
    fn events_fold_into_one_stay_and_visits_stay_apart() {
        let recs = vec![
            event(EncounterEvent::Admission, "a", |e| {
                e.start = ts("2026-07-15T16:28");
                e.event_time = e.start;
                e.location = ward("3E");
                e.department = Some(Code::new("04", "", "99XY1"));
                e.attending = Some(Clinician {
                    id: "D0401".into(),
                    name: "宮田 雅人".into(),
                });
            }),
            event(EncounterEvent::Transfer, "b", |e| {
                e.event_time = ts("2026-07-20T10:00");
                e.location = ward("5W");
            }),
            event(EncounterEvent::LeaveOut, "c", |e| {
                e.event_time = ts("2026-07-25T09:00")
            }),
            event(EncounterEvent::LeaveReturn, "d", |e| {
                e.event_time = ts("2026-07-26T17:00")
            }),
            event(EncounterEvent::PlannedDischarge, "e", |e| {
                e.planned_time = ts("2026-08-02T11:36")
            }),
            event(EncounterEvent::Discharge, "f", |e| {
                e.start = ts("2026-07-15T16:28");
                e.end = ts("2026-08-02T11:36");
                e.event_time = e.end;
                e.location = ward("5W");
            }),
            event(EncounterEvent::OutpatientVisit, "g", |e| {
                e.class = Some(PatientClass::Outpatient);
                e.start = ts("2026-09-01T09:00");
            }),
            event(EncounterEvent::Admission, "h", |e| {
                e.start = ts("2026-11-01T08:47");
                e.location = ward("3E");
            }),
            // Cancelling messages never make an encounter.
            event(EncounterEvent::Discharge, "i", |e| {
                e.cancellation = true;
                e.end = ts("2026-11-02T10:00");
            }),
        ];
        let refs: Vec<&Record> = recs.iter().collect();
        let visits = group(&refs);
        assert_eq!(visits.len(), 3);
        let ctx = test_ctx();
        let stay = encounter(&visits[0], "s1", &ctx);
        assert_eq!(stay["class"]["code"], "IMP");
        assert_eq!(stay["status"], "finished");
        assert_eq!(stay["period"]["start"], "2026-07-15T16:28:00+09:00");
        assert_eq!(stay["period"]["end"], "2026-08-02T11:36:00+09:00");
        assert_eq!(stay["location"][0]["location"]["display"], "5W病棟");
        assert_eq!(stay["location"][0]["status"], "completed");
        assert_eq!(stay["location"][1]["period"]["end"], "2026-07-20T10:00:00+09:00");
        assert_eq!(stay["statusHistory"][0]["status"], "onleave");
        assert_eq!(
            stay["statusHistory"][0]["period"]["end"],
            "2026-07-26T17:00:00+09:00"
        );
        assert_eq!(stay["serviceType"]["coding"][0]["code"], "04");
        assert_eq!(stay["participant"][0]["individual"]["display"], "宮田 雅人");
        assert_eq!(stay["participant"][0]["type"][0]["coding"][0]["code"], "ATND");
        assert_eq!(stay["subject"]["reference"], "Patient/0000010003");
        let visit = encounter(&visits[1], "v1", &ctx);
        assert_eq!(visit["class"]["code"], "AMB");
        assert_eq!(visit["status"], "finished");
        let open = encounter(&visits[2], "s2", &ctx);
        assert_eq!(open["status"], "in-progress");
        assert!(open["period"].get("end").is_none());
        assert_eq!(open["location"][0]["status"], "active");
    }

    #[test]
    fn a_plan_that_no_admission_followed_is_planned() {
        let mut recs = [
            event(EncounterEvent::PlannedAdmission, "p1", |e| {
                e.planned_time = ts("2026-05-01T10:00")
            }),
            event(EncounterEvent::Admission, "a", |e| {
                e.start = ts("2026-05-01T09:30")
            }),
            event(EncounterEvent::PlannedAdmission, "p2", |e| {
                e.planned_time = ts("2026-11-24T10:00")
            }),
        ];
        // The first plan was made in April and came early; the second is still to come.
        recs[0].provenance.written_at = ts("2026-04-20T15:00");
        let refs: Vec<&Record> = recs.iter().collect();
        let visits = group(&refs);
        let statuses: Vec<&str> = visits.iter().map(|v| v.status).collect();
        assert_eq!(statuses, ["in-progress", "planned"]);
        assert_eq!(visits[1].start, ts("2026-11-24T10:00"));
    }
}
