//! Visits, admissions, transfers, leave and discharge.

use super::{Clinician, Code, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EncounterEvent {
    OutpatientVisit,
    PlannedAdmission,
    Admission,
    LeaveOut,
    LeaveReturn,
    PlannedTransfer,
    Transfer,
    PlannedDischarge,
    Discharge,
    AttendingChange,
    /// An encounter sent as one piece (FHIR Encounter), with start and end.
    Stay,
}

impl EncounterEvent {
    pub fn label_ja(self) -> &'static str {
        match self {
            EncounterEvent::OutpatientVisit => "外来受診",
            EncounterEvent::PlannedAdmission => "入院予定",
            EncounterEvent::Admission => "入院",
            EncounterEvent::LeaveOut => "外出・外泊",
            EncounterEvent::LeaveReturn => "外出・外泊から帰院",
            EncounterEvent::PlannedTransfer => "転科・転棟予定",
            EncounterEvent::Transfer => "転科・転棟",
            EncounterEvent::PlannedDischarge => "退院予定",
            EncounterEvent::Discharge => "退院",
            EncounterEvent::AttendingChange => "担当医変更",
            EncounterEvent::Stay => "受診・入院",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatientClass {
    Inpatient,
    Outpatient,
    Emergency,
    Other,
}

/// Ward, room and bed (or a department for outpatients).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ward: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ward_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bed: String,
}

impl Location {
    pub fn is_empty(&self) -> bool {
        self.ward.is_empty() && self.room.is_empty() && self.bed.is_empty()
    }

    /// `3階東病棟 302号室 1番` style, falling back to codes.
    pub fn display(&self) -> String {
        let mut parts = Vec::new();
        if !self.ward_name.is_empty() {
            parts.push(self.ward_name.clone());
        } else if !self.ward.is_empty() {
            parts.push(format!("{}病棟", self.ward));
        }
        if !self.room.is_empty() {
            parts.push(format!("{}号室", self.room));
        }
        if !self.bed.is_empty() {
            parts.push(format!("{}番", self.bed));
        }
        parts.join(" ")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Encounter {
    pub event: EncounterEvent,
    /// The message cancels `event` (A11 cancels an admission, A13 a discharge ...).
    #[serde(default)]
    pub cancellation: bool,
    /// The source's event code (HL7 trigger such as `A01`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub event_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<PatientClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attending: Option<Clinician>,
    /// When the event took effect (transfer time, leave time ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<Timestamp>,
    /// For planned events: the planned date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_time: Option<Timestamp>,
    /// Admission or visit start, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// Discharge or visit end, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge_disposition: Option<Code>,
    /// Visit or admission number, when sent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub visit_id: String,
    /// Status as sent by FHIR (`in-progress`, `finished`, `onleave` ...): a finished stay whose
    /// end was not sent is over all the same. Empty for HL7 events, whose trigger says it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
}

impl Encounter {
    pub fn new(event: EncounterEvent) -> Self {
        Self {
            event,
            cancellation: false,
            event_code: String::new(),
            class: None,
            department: None,
            location: None,
            prior_location: None,
            attending: None,
            event_time: None,
            planned_time: None,
            start: None,
            end: None,
            discharge_disposition: None,
            visit_id: String::new(),
            status: String::new(),
        }
    }

    /// The time this event is about, for sorting: the event itself, else the plan, else the
    /// start or end of the stay.
    pub fn time(&self) -> Option<Timestamp> {
        let primary = match self.event {
            EncounterEvent::Admission | EncounterEvent::OutpatientVisit | EncounterEvent::Stay => self.start,
            EncounterEvent::Discharge => self.end,
            _ => None,
        };
        primary
            .or(self.event_time)
            .or(self.planned_time)
            .or(self.start)
            .or(self.end)
    }

    pub fn summary(&self) -> String {
        let mut s = self.event.label_ja().to_string();
        if self.cancellation {
            s.push_str("（取消）");
        }
        if let Some(d) = &self.department {
            s.push(' ');
            s.push_str(d.display());
        }
        if let Some(l) = self.location.as_ref().filter(|l| !l.is_empty()) {
            s.push(' ');
            s.push_str(&l.display());
        }
        if let Some(a) = &self.attending {
            s.push_str(" 担当医:");
            s.push_str(a.display());
        }
        s
    }
}
