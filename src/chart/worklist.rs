//! The injection and medication worklist (MAR) of one patient at the data time: what is running
//! now, what is due in the next 24 hours, and what was given in the last 48 hours.
//!
//! - Running: injections whose state is 実施中 (see [`super::activity`]), with rate, route and
//!   since when.
//! - Due: orders that start within the next 24 hours (予定), and the dose times of running
//!   prescriptions read from their dosage words (起床時 06:00, 朝 08:00, 昼 12:30, 夕 18:00,
//!   就寝前 21:00; 食前 half an hour earlier). A dosage with no such words, or one that is
//!   weekly, every other day or on set weekdays, is listed once without a time, marked
//!   「時刻は用法を確認」: the worklist never invents a schedule it cannot read.
//! - Given: administration records (OMP-11/OMP-12, FHIR MedicationAdministration) that
//!   started in the last 48 hours, newest first, with who gave them.

use super::activity::OrderState;
use super::medications::{ActiveMed, MedicationsView};
use crate::model::{Clinical, OrderKind, Precision, Record, RecordStatus, Timestamp};
use chrono::{Duration, NaiveTime};
use serde::Serialize;

/// How far ahead "due" looks, and how far back "given".
pub const DUE_HOURS: i64 = 24;
pub const GIVEN_HOURS: i64 = 48;

#[derive(Clone, Debug, Serialize)]
pub struct DueItem {
    /// None: the time cannot be read from the order (see `note`).
    pub time: Option<Timestamp>,
    pub kind: OrderKind,
    /// 入院 / 外来処方（入院前） / 持参薬 ...: a supply from outside the ward's orders is said.
    pub setting: super::OrderSetting,
    pub drug: String,
    pub dose: String,
    /// Dosage, route and rate as written.
    pub how: String,
    /// Why it is due: 開始予定, or the dosage word it came from; 「時刻は用法を確認」.
    pub note: String,
    pub record: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct GivenItem {
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub kind: OrderKind,
    pub drug: String,
    pub amount: String,
    pub rate: String,
    pub who: String,
    /// 実施 / 実施中 / 拒否 / 未実施 / 一部 / as sent.
    pub status: String,
    pub record: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Worklist {
    pub running: Vec<ActiveMed>,
    pub due: Vec<DueItem>,
    pub given: Vec<GivenItem>,
}

impl DueItem {
    /// `[処方] カルボシステイン`, `[処方・外来処方（入院前）] カンデサルタン`.
    pub fn what_ja(&self) -> String {
        if self.setting.is_ward_order() {
            format!("[{}] {}", self.kind.label_ja(), self.drug)
        } else {
            format!(
                "[{}・{}] {}",
                self.kind.label_ja(),
                self.setting.label_ja(),
                self.drug
            )
        }
    }
}

impl Worklist {
    pub fn build(records: &[Record], meds: &MedicationsView, now: Option<Timestamp>) -> Self {
        let Some(now) = now else {
            return Self::default();
        };
        let running: Vec<ActiveMed> = meds
            .active
            .iter()
            .filter(|m| m.kind == OrderKind::Injection && m.activity.state == OrderState::Active)
            .cloned()
            .collect();
        let horizon = now.value() + Duration::hours(DUE_HOURS);
        let mut due = Vec::new();
        for m in &meds.planned {
            if let Some(start) = m.start.filter(|s| s.value() <= horizon) {
                due.push(item(m, Some(start), "開始予定".into()));
            }
        }
        for m in meds.active.iter().filter(|m| m.kind == OrderKind::Prescription) {
            match dose_times(&m.dosage) {
                Some(times) => {
                    for day in 0..=1 {
                        let date = now.date() + chrono::Days::new(day);
                        if m.until.is_some_and(|u| date > u) {
                            continue;
                        }
                        for (t, word) in &times {
                            let at = date.and_time(*t);
                            if at > now.value() && at <= horizon {
                                due.push(item(
                                    m,
                                    Some(Timestamp::new(at, Precision::Minute)),
                                    word.to_string(),
                                ));
                            }
                        }
                    }
                }
                None => due.push(item(m, None, "時刻は用法を確認".into())),
            }
        }
        due.sort_by(|a, b| match (a.time, b.time) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.drug.cmp(&b.drug),
        });
        let since = now.value() - Duration::hours(GIVEN_HOURS);
        let mut given: Vec<GivenItem> = records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status == RecordStatus::Current)
            .filter_map(|(i, r)| match &r.data {
                Clinical::MedicationAdministration(a) => Some((i, a)),
                _ => None,
            })
            .filter(|(_, a)| a.start.is_some_and(|s| s.value() >= since && s <= now))
            .map(|(i, a)| GivenItem {
                start: a.start,
                end: a.end,
                kind: a.kind,
                drug: a.drug.display().to_string(),
                amount: a.amount.as_ref().map(|q| q.display()).unwrap_or_default(),
                rate: a.rate.as_ref().map(super::units::compact).unwrap_or_default(),
                who: a
                    .performer
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                status: completion_ja(&a.completion, a.end.is_none()),
                record: i,
            })
            .collect();
        given.sort_by(|a, b| b.start.cmp(&a.start).then(a.drug.cmp(&b.drug)));
        Self { running, due, given }
    }
}

fn item(m: &ActiveMed, time: Option<Timestamp>, note: String) -> DueItem {
    DueItem {
        time,
        kind: m.kind,
        setting: m.setting,
        drug: m.drug.clone(),
        dose: m.dose.clone(),
        how: m.how_ja(),
        note,
        record: m.record,
    }
}

fn completion_ja(code: &str, open: bool) -> String {
    match code {
        "CP" | "completed" => "実施".into(),
        "IP" | "in-progress" => "実施中".into(),
        "RE" | "not-done" => "未実施・拒否".into(),
        "NA" => "未実施".into(),
        "PA" => "一部実施".into(),
        "" if open => "実施中".into(),
        "" => "実施".into(),
        other => other.to_string(),
    }
}

/// Dose times read from dosage words, or None when they cannot be read (see the module text).
pub fn dose_times(dosage: &str) -> Option<Vec<(NaiveTime, &'static str)>> {
    let d = dosage;
    // Not every day: the day cannot be read reliably from words alone.
    if ["週", "隔日", "おき", "曜", "頓用", "頓服", "時々", "必要時"]
        .iter()
        .any(|w| d.contains(w))
        || d.contains("時、")
        || d.ends_with('時')
    {
        return None;
    }
    let before = d.contains("食前");
    let mut out: Vec<(NaiveTime, &'static str)> = Vec::new();
    let hm = |h: u32, m: u32| NaiveTime::from_hms_opt(h, m, 0);
    if d.contains("起床時") {
        out.extend(hm(6, 0).map(|t| (t, "起床時")));
    }
    let every_meal = d.contains("毎食");
    if every_meal || d.contains('朝') {
        out.extend(if before {
            hm(7, 30).map(|t| (t, "朝食前"))
        } else {
            hm(8, 0).map(|t| (t, "朝食後"))
        });
    }
    if every_meal || d.contains('昼') {
        out.extend(if before {
            hm(12, 0).map(|t| (t, "昼食前"))
        } else {
            hm(12, 30).map(|t| (t, "昼食後"))
        });
    }
    if every_meal || d.contains('夕') {
        out.extend(if before {
            hm(17, 30).map(|t| (t, "夕食前"))
        } else {
            hm(18, 0).map(|t| (t, "夕食後"))
        });
    }
    if d.contains("就寝前") || d.contains("寝る前") {
        out.extend(hm(21, 0).map(|t| (t, "就寝前")));
    }
    (!out.is_empty()).then_some(out)
}
