//! Is this order running at the data time? The one rule for prescriptions and injections, used by
//! the 概要 and 処方・注射 views, the printouts and `lifeboat show` alike.
//!
//! `now` is the snapshot's data time (データ基準日時). In this order:
//!
//! 1. A superseded version is 旧版; an order stopped or cancelled (HL7 ORC-1 `DC`/`CA`/`OC`/`OD`
//!    anywhere for the same order and Rp, a FHIR status stopped / cancelled / completed /
//!    entered-in-error / draft / on-hold / not-taken / revoked) is 中止.
//! 2. Without any date (no start, no order date) the data cannot tell: 不明.
//! 3. Starting after `now`: 予定.
//! 4. Running (実施中) when any of these covers `now`, else ended (終了):
//!    - the period: an end with a time covers up to and including that minute; an end that is a
//!      date without a time covers that whole day (an order ending "2024-05-10" runs all day);
//!    - the supplied days (処方日数, TQ1-6): the start day is day 1;
//!    - the last administration of this order (OMP-12, MedicationAdministration) started at or
//!      before `now` and ends at or after it, or has no end and started less than 24 hours
//!      before `now` (a drip hung and not yet down).
//!
//!    When an end or days were sent and none of these covers `now`, the order has ended.
//! 5. Neither end nor days were sent (頓用 written as a number of doses, an injection without an
//!    end):
//!    - an injection started on the data day is running (当日開始);
//!    - a continuous infusion (sent with a rate) started inside the stay the patient is in now
//!      is running (持続投与・入院中);
//!    - otherwise the data cannot tell: 不明 while the order started within
//!      [`UNKNOWN_WINDOW_DAYS`] of `now` or inside the current stay, and older ones are counted
//!      as ended ("no end sent, started long ago") so that years of one-off orders do not crowd
//!      the list. 不明 is never shown as running: the faces list it apart, with its source.

use super::encounters::Stay;
use crate::model::{MedicationAdministration, MedicationOrder, OrderKind, RecordStatus, Timestamp};
use chrono::NaiveDate;
use serde::Serialize;

/// How far back an order without end or days is still shown as 不明 rather than ended.
pub const UNKNOWN_WINDOW_DAYS: i64 = 30;

/// FHIR MedicationRequest/Administration statuses that mean "not going on".
pub const FHIR_STOPPED: [&str; 8] = [
    "stopped",
    "cancelled",
    "completed",
    "entered-in-error",
    "draft",
    "on-hold",
    "not-taken",
    "revoked",
];

/// HL7 order controls that stop or cancel an order.
pub fn hl7_stop(control: &str) -> bool {
    matches!(control, "DC" | "CA" | "OC" | "OD")
}

/// Where an order stands at the data time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Running at the data time.
    Active,
    /// Starts after the data time.
    Planned,
    /// Its period, days or administration ended before the data time.
    Ended,
    /// Stopped or cancelled by an order control or a status.
    Stopped,
    /// Replaced by a newer version of the same order.
    Superseded,
    /// The data cannot tell whether it is still going on.
    Unknown,
}

impl OrderState {
    pub fn label_ja(self) -> &'static str {
        match self {
            OrderState::Active => "実施中",
            OrderState::Planned => "予定",
            OrderState::Ended => "終了",
            OrderState::Stopped => "中止",
            OrderState::Superseded => "旧版",
            OrderState::Unknown => "不明",
        }
    }
}

/// Why the state was decided: shown beside 実施中 and 不明 so that a reader can check it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The order's start and end.
    Period,
    /// The supplied days.
    Days,
    /// An administration record of the order.
    Administration,
    /// An injection without an end, started on the data day.
    SameDay,
    /// A continuous infusion (with a rate) started inside the current stay, without an end.
    Continuous,
    /// Neither end nor days were sent.
    NoEnd,
    /// No date at all.
    NoDate,
    /// The record's status or an order control.
    Status,
    /// The record's version was lost with its file name (a disc cut it).
    VersionLost,
}

impl Basis {
    pub fn label_ja(self) -> &'static str {
        match self {
            Basis::Period => "期間",
            Basis::Days => "日数",
            Basis::Administration => "実施記録",
            Basis::SameDay => "当日開始",
            Basis::Continuous => "持続投与・入院中",
            Basis::NoEnd => "終了日・日数の記録なし",
            Basis::NoDate => "日付の記録なし",
            Basis::Status => "状態",
            Basis::VersionLost => "取消・旧版を判別できません",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub state: OrderState,
    pub basis: Basis,
    /// The first time the order covers (its start, else its order date).
    pub begin: Option<Timestamp>,
    /// The last day the order covers, when known.
    pub until: Option<NaiveDate>,
}

impl Activity {
    fn of(state: OrderState, basis: Basis, begin: Option<Timestamp>, until: Option<NaiveDate>) -> Self {
        Self {
            state,
            basis,
            begin,
            until,
        }
    }

    /// `実施中（期間）`, `不明（終了日・日数の記録なし）`, `終了`.
    pub fn label_ja(&self) -> String {
        match self.state {
            OrderState::Active | OrderState::Unknown => {
                format!("{}（{}）", self.state.label_ja(), self.basis.label_ja())
            }
            s => s.label_ja().to_string(),
        }
    }
}

/// `end` covers `now`: up to the minute when it has a time, the whole day when it is a date.
pub fn end_covers(end: Timestamp, now: Timestamp) -> bool {
    if end.has_time() {
        now <= end
    } else {
        now.date() <= end.date()
    }
}

/// The last day covered by `days` supplied from `begin` (the start day is day 1).
pub fn last_supplied_day(begin: Timestamp, days: u32) -> NaiveDate {
    begin.date() + chrono::Days::new(u64::from(days.max(1)) - 1)
}

/// The one rule (see the module text). `administrations` are this order's administration
/// records (any order); `stopped` says whether an order control or status stopped it.
pub fn activity(
    m: &MedicationOrder,
    status: RecordStatus,
    stopped: bool,
    now: Option<Timestamp>,
    stay: Option<&Stay>,
    administrations: &[&MedicationAdministration],
) -> Activity {
    let begin = m.start.or(m.ordered_at);
    let end_day = m.end.map(|e| e.date());
    let supplied = match (begin, m.days) {
        (Some(b), Some(d)) => Some(last_supplied_day(b, d)),
        _ => None,
    };
    let until = match (end_day, supplied) {
        (Some(e), Some(s)) => Some(e.min(s)),
        (e, s) => e.or(s),
    };
    if status == RecordStatus::Superseded {
        return Activity::of(OrderState::Superseded, Basis::Status, begin, until);
    }
    if status == RecordStatus::Cancelled || stopped {
        return Activity::of(OrderState::Stopped, Basis::Status, begin, until);
    }
    // The version was lost with the file name: it may be a cancelled one, so never active.
    if status == RecordStatus::Unknown {
        return Activity::of(OrderState::Unknown, Basis::VersionLost, begin, until);
    }
    let Some(now) = now else {
        return Activity::of(OrderState::Unknown, Basis::NoDate, begin, until);
    };
    let Some(b) = begin else {
        return Activity::of(OrderState::Unknown, Basis::NoDate, begin, until);
    };
    if administration_covers(administrations, now) {
        return Activity::of(OrderState::Active, Basis::Administration, begin, until);
    }
    if b > now {
        return Activity::of(OrderState::Planned, Basis::Period, begin, until);
    }
    if m.end.is_some() || supplied.is_some() {
        let end_ok = m.end.is_none_or(|e| end_covers(e, now));
        let days_ok = supplied.is_none_or(|last| now.date() <= last);
        let basis = if m.end.is_some() {
            Basis::Period
        } else {
            Basis::Days
        };
        let state = if end_ok && days_ok {
            OrderState::Active
        } else {
            OrderState::Ended
        };
        return Activity::of(state, basis, begin, until);
    }
    if m.kind == OrderKind::Injection {
        if b.date() == now.date() {
            return Activity::of(OrderState::Active, Basis::SameDay, begin, until);
        }
        let in_stay = stay.is_some_and(|s| s.contains(b) && s.contains(now));
        if in_stay && m.rate.is_some() {
            return Activity::of(OrderState::Active, Basis::Continuous, begin, until);
        }
    }
    let recent = (now.date() - b.date()).num_days() < UNKNOWN_WINDOW_DAYS;
    let in_stay = stay.is_some_and(|s| s.contains(b) && s.contains(now));
    let state = if recent || in_stay {
        OrderState::Unknown
    } else {
        OrderState::Ended
    };
    Activity::of(state, Basis::NoEnd, begin, until)
}

/// The latest administration started at or before `now` is still going on at `now`: it ends at or
/// after `now`, or it has no end yet and started less than a day before (a bottle is hung for at
/// most a day; an older open administration says nothing about now).
fn administration_covers(administrations: &[&MedicationAdministration], now: Timestamp) -> bool {
    let given = |a: &&&MedicationAdministration| {
        !matches!(
            a.completion.as_str(),
            "RE" | "NA" | "not-done" | "entered-in-error"
        )
    };
    administrations
        .iter()
        .filter(given)
        .filter(|a| a.start.is_some_and(|s| s <= now))
        .max_by_key(|a| a.start)
        .is_some_and(|a| match (a.start, a.end) {
            (_, Some(e)) => e >= now,
            (Some(s), None) => now.value() - s.value() < chrono::Duration::hours(24),
            (None, None) => false,
        })
}
