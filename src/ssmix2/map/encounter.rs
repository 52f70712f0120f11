//! ADT events: visits, admissions, leave, transfers, discharges, attending changes, and the
//! messages that cancel them.

use super::ctx::Ctx;
use super::fields::{clinician, location, opt_code};
use crate::hl7::Message;
use crate::model::{Clinical, Code, Encounter, EncounterEvent, PatientClass};

/// The event of an ADT trigger, and whether the trigger cancels it.
pub fn event_for(trigger: &str) -> Option<(EncounterEvent, bool)> {
    use EncounterEvent::*;
    Some(match trigger {
        "A04" => (OutpatientVisit, false),
        "A14" => (PlannedAdmission, false),
        "A27" => (PlannedAdmission, true),
        "A01" => (Admission, false),
        "A11" => (Admission, true),
        "A21" => (LeaveOut, false),
        "A52" => (LeaveOut, true),
        "A22" => (LeaveReturn, false),
        "A53" => (LeaveReturn, true),
        "A15" => (PlannedTransfer, false),
        "A26" => (PlannedTransfer, true),
        "A02" => (Transfer, false),
        "A12" => (Transfer, true),
        "A16" => (PlannedDischarge, false),
        "A25" => (PlannedDischarge, true),
        "A03" => (Discharge, false),
        "A13" => (Discharge, true),
        "A54" => (AttendingChange, false),
        "A55" => (AttendingChange, true),
        _ => return None,
    })
}

/// The event a data type holds when the trigger does not say (SS-MIX2 data type table).
pub fn event_for_data_type(data_type: &str) -> Option<EncounterEvent> {
    use EncounterEvent::*;
    Some(match data_type {
        "ADT-01" => AttendingChange,
        "ADT-12" => OutpatientVisit,
        "ADT-21" => PlannedAdmission,
        "ADT-22" => Admission,
        "ADT-31" => LeaveOut,
        "ADT-32" => LeaveReturn,
        "ADT-41" => PlannedTransfer,
        "ADT-42" => Transfer,
        "ADT-51" => PlannedDischarge,
        "ADT-52" => Discharge,
        _ => return None,
    })
}

pub fn map_adt_event(
    ctx: &mut Ctx<'_>,
    msg: &Message,
    event: EncounterEvent,
    cancellation: bool,
    trigger: &str,
) {
    let mut e = Encounter::new(event);
    e.cancellation = cancellation;
    e.event_code = trigger.to_string();
    let mut segs = Vec::new();
    if let Some(evn) = msg.first("EVN") {
        segs.push(evn.number);
        // EVN-6 is when the event happened; EVN-2 only when it was recorded.
        e.event_time = ctx.time(evn, 6);
    }
    if let Some(pv1) = msg.first("PV1") {
        segs.push(pv1.number);
        e.class = match pv1.field(2).trimmed().as_str() {
            "I" => Some(PatientClass::Inpatient),
            "O" => Some(PatientClass::Outpatient),
            "E" => Some(PatientClass::Emergency),
            "" => None,
            _ => Some(PatientClass::Other),
        };
        let mut dept_from_location = None;
        match location(pv1.field(3)) {
            Some(Ok(l)) => e.location = Some(l),
            Some(Err(dept)) => dept_from_location = Some(dept),
            None => {}
        }
        if let Some(Ok(l)) = location(pv1.field(6)) {
            e.prior_location = Some(l);
        }
        e.attending = clinician(pv1.field(7));
        // PV1-10 hospital service `01^内科^99XY1`: code and name both kept.
        e.department = prefer(opt_code(pv1.field(10)), dept_from_location);
        e.visit_id = pv1.field(19).comp(1).trimmed();
        e.discharge_disposition = opt_code(pv1.field(36));
        e.start = ctx.time(pv1, 44);
        e.end = ctx.time(pv1, 45);
    } else {
        ctx.problem(
            msg.msh(),
            None,
            crate::report::Severity::Warning,
            "ADT message has no PV1 segment: no location, doctor or times",
        );
    }
    if let Some(pv2) = msg.first("PV2") {
        segs.push(pv2.number);
        let planned_field = match event {
            EncounterEvent::PlannedAdmission | EncounterEvent::PlannedTransfer => 8,
            EncounterEvent::PlannedDischarge => 9,
            EncounterEvent::LeaveReturn => 47,
            _ => 0,
        };
        if planned_field > 0 {
            e.planned_time = ctx.time(pv2, planned_field);
        }
    }
    // A department name is sometimes only in ORC-17 or ZPD; take ORC-17 text when present.
    if let Some(orc) = msg.first("ORC") {
        e.department = prefer(opt_code(orc.field(17)), e.department.take());
    }
    ctx.push(segs, cancellation, Clinical::Encounter(e));
}

/// The first department, its name taken from the second when both name the same code and
/// only the second sends the name: a department shown as a bare code loses nothing sent.
fn prefer(first: Option<Code>, second: Option<Code>) -> Option<Code> {
    match (first, second) {
        (Some(mut a), Some(b)) => {
            if a.text.is_empty() && (a.code == b.code || a.code.is_empty()) {
                a.text = b.text;
                if a.code.is_empty() {
                    a.code = b.code;
                }
                if a.system.is_empty() {
                    a.system = b.system;
                }
            }
            Some(a)
        }
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_names_are_kept() {
        let named = Code::new("01", "内科", "99XY1");
        let bare = Code::new("01", "", "");
        assert_eq!(
            prefer(Some(bare.clone()), Some(named.clone())),
            Some(named.clone())
        );
        assert_eq!(
            prefer(Some(named.clone()), Some(bare.clone())),
            Some(named.clone())
        );
        assert_eq!(prefer(None, Some(bare.clone())), Some(bare.clone()));
        // Another department's name is not borrowed.
        let other = Code::new("24", "産科", "99XY1");
        assert_eq!(prefer(Some(bare.clone()), Some(other)), Some(bare));
    }
}
