//! Hand-made records for the chart tests.

use crate::model::*;

pub fn ts(s: &str) -> Timestamp {
    match Timestamp::parse_iso(s) {
        Some(t) => t,
        None => panic!("bad test timestamp {s}"),
    }
}

pub fn record(patient: &str, status: RecordStatus, written: &str, data: Clinical) -> Record {
    Record {
        patient_id: patient.to_string(),
        status,
        provenance: Provenance {
            file: format!("test/{written}"),
            written_at: Some(ts(written)),
            ..Provenance::default()
        },
        data,
    }
}

pub fn current(written: &str, data: Clinical) -> Record {
    record("P1", RecordStatus::Current, written, data)
}

pub fn loc(ward: &str, room: &str, bed: &str) -> Location {
    Location {
        ward: ward.into(),
        ward_name: format!("{ward}病棟"),
        room: room.into(),
        bed: bed.into(),
    }
}

/// An SS-MIX2-style ADT event at `t` (admission start, discharge end, else event time).
pub fn adt(event: EncounterEvent, t: &str, location: Option<Location>) -> Encounter {
    let mut e = Encounter::new(event);
    e.class = Some(PatientClass::Inpatient);
    e.location = location;
    e.department = Some(Code::new("01", "内科", ""));
    e.attending = Some(Clinician {
        id: "D1".into(),
        name: "医師 一郎".into(),
    });
    match event {
        EncounterEvent::Admission => e.start = Some(ts(t)),
        EncounterEvent::Discharge => e.end = Some(ts(t)),
        _ => e.event_time = Some(ts(t)),
    }
    e.event_time = e.event_time.or(Some(ts(t)));
    e
}

pub fn cancel(mut e: Encounter) -> Encounter {
    e.cancellation = true;
    e
}

pub fn enc_record(written: &str, status: RecordStatus, e: Encounter) -> Record {
    record("P1", status, written, Clinical::Encounter(e))
}

pub fn patient(id: &str, family: &str, given: &str, birth: &str) -> Patient {
    Patient {
        id: id.into(),
        name_kanji: Some(PersonName {
            family: family.into(),
            given: given.into(),
        }),
        name_kana: Some(PersonName {
            family: "カンジャ".into(),
            given: "タロウ".into(),
        }),
        sex: Sex::Male,
        birth_date: Some(ts(birth)),
        ..Patient::default()
    }
}

pub fn rx(drug: &str, start: &str, days: Option<u32>) -> MedicationOrder {
    let mut m = MedicationOrder::new(
        OrderKind::Prescription,
        Code::new(format!("HOT-{drug}"), drug, "HOT9"),
        DrugCodeSystem::Hot,
    );
    m.order_no = format!("ORD-{drug}");
    m.rp = "1".into();
    m.start = Some(ts(start));
    m.ordered_at = Some(ts(start));
    m.days = days;
    m.dose = Some(Quantity::new("1", "錠"));
    m.order_control = "NW".into();
    m
}

pub fn lab(code: &str, name: &str, value: &str, collected: &str) -> LabResult {
    let mut l = LabResult::new(Code::new(code, name, "JC10"), value.to_string());
    l.unit = "mg/dL".into();
    l.range = "1.0-2.0".into();
    l.range_low = Some(1.0);
    l.range_high = Some(2.0);
    l.collected = Some(ts(collected));
    l.battery = Some(Code::new("B1", "生化学", ""));
    l
}
