//! Which records a packed window keeps (issue 15): the one rule, used by `lifeboat pack` to pick
//! files and by the tests that prove the chart from a pack equals the full storage's chart
//! restricted by it.
//!
//! A record is kept when it is dated on or after the window's first day (data time minus
//! `days`), or undated (it cannot be placed, so it is never dropped), or the chart needs it at
//! the data time whatever its date. What the chart needs is asked of the chart's own rules, never
//! re-decided here: the current demographics, every allergy record (「なし」 statements too), the
//! current problem list ([`ProblemList`]), the stay the patient is in (or whose state is unclear)
//! with all its records ([`stays`]), orders running, planned or of unknown state at the data time
//! ([`MedicationsView`], i.e. [`super::activity`]: 不明 is kept, never dropped), the diet in
//! force, the newest result of each infection marker and the newest reading of each vital sign
//! (the summary shows them with their date).
//!
//! Records dated after the data time are kept too: the chart shows them (予定, marked).

use super::activity::OrderState;
use super::diet::current_diet;
use super::encounters::{stay_at, stays, unclear_stay_at};
use super::infection::infection_marks;
use super::medications::MedicationsView;
use super::problems::ProblemList;
use super::vitals::VitalsBoard;
use crate::model::{Clinical, Record, RecordStatus, Timestamp};
use chrono::NaiveDate;
use serde::Serialize;

/// Why a record is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// Dated inside the window (or after the data time).
    Dated,
    /// Without any date.
    Undated,
    Demographics,
    Allergy,
    Problem,
    Stay,
    Order,
    Diet,
    Infection,
    /// The newest reading of a vital sign, shown in the summary with its date.
    Vitals,
}

/// A window of `days` days ending at the data time `as_of`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowRule {
    pub as_of: Option<Timestamp>,
    pub days: u32,
}

impl WindowRule {
    pub fn new(as_of: Option<Timestamp>, days: u32) -> Self {
        Self { as_of, days }
    }

    /// The first day inside the window; none without a data time (then everything is kept).
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.as_of
            .map(|t| t.date() - chrono::Days::new(u64::from(self.days)))
    }

    /// A date inside the window, or after it; an unknown date counts as inside (never dropped
    /// for want of a date).
    pub fn dated_inside(&self, date: Option<NaiveDate>) -> bool {
        match (self.first_day(), date) {
            (Some(first), Some(d)) => d >= first,
            _ => true,
        }
    }

    /// For each record of ONE patient (all of them, any order), why it is kept, or `None`.
    pub fn kept(&self, records: &[Record]) -> Vec<Option<Keep>> {
        let mut out: Vec<Option<Keep>> = records
            .iter()
            .map(|r| match r.date() {
                None => Some(Keep::Undated),
                Some(d) if self.dated_inside(Some(d.date())) => Some(Keep::Dated),
                Some(_) => None,
            })
            .collect();
        if self.first_day().is_none() || out.iter().all(Option::is_some) {
            return out;
        }
        let mut keep = |i: usize, why: Keep| {
            if let Some(slot) = out.get_mut(i)
                && slot.is_none()
            {
                *slot = Some(why);
            }
        };
        for (i, r) in records.iter().enumerate() {
            match &r.data {
                // Every allergy record, whatever its status: the chart lists removed ones on demand.
                Clinical::Allergy(_) => keep(i, Keep::Allergy),
                Clinical::Patient(_) if r.status == RecordStatus::Current => keep(i, Keep::Demographics),
                _ => {}
            }
        }
        let now = self.as_of;
        for item in ProblemList::build(records, now).active {
            keep(item.record, Keep::Problem);
        }
        let all_stays = stays(records);
        for stay in [stay_at(&all_stays, now), unclear_stay_at(&all_stays, now)]
            .into_iter()
            .flatten()
        {
            for &i in &stay.records {
                keep(i, Keep::Stay);
            }
        }
        let current = stay_at(&all_stays, now);
        let meds = MedicationsView::build(records, now, current, &all_stays);
        for line in meds.groups.iter().flat_map(|g| &g.lines) {
            if matches!(
                line.activity.state,
                OrderState::Active | OrderState::Unknown | OrderState::Planned
            ) {
                keep(line.record, Keep::Order);
            }
        }
        if let Some(d) = current_diet(records, now) {
            keep(d.record, Keep::Diet);
        }
        // The newest reading of each sign (all readings at that time: ties keep their order).
        for (_, points) in &VitalsBoard::build(records).series {
            let newest = points.last().map(|p| p.time);
            for p in points.iter().filter(|p| Some(p.time) == newest) {
                keep(p.record, Keep::Vitals);
            }
        }
        for mark in infection_marks(records) {
            if let Some(i) = mark.record {
                keep(i, Keep::Infection);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil::{current, rx, ts};
    use crate::model::{Allergy, AllergyCategory, Code, Diagnosis};

    fn allergy(recorded: &str) -> Allergy {
        Allergy {
            category: AllergyCategory::Drug,
            category_code: Code::default(),
            allergen: Code::new("1", "ペニシリン", "99"),
            severity: None,
            reaction: String::new(),
            onset: None,
            onset_text: String::new(),
            removed: false,
            none_known: false,
            recorded_at: Some(ts(recorded)),
        }
    }

    fn dx(diagnosed: &str, resolved: Option<&str>) -> Diagnosis {
        Diagnosis {
            name: "高血圧症".into(),
            diagnosed: Some(ts(diagnosed)),
            resolved: resolved.map(ts),
            ..Diagnosis::default()
        }
    }

    #[test]
    fn old_records_go_unless_the_chart_needs_them() {
        let rule = WindowRule::new(Some(ts("2026-12-01T23:00")), 400);
        assert_eq!(rule.first_day(), NaiveDate::from_ymd_opt(2025, 10, 27));
        // No end, no days, started long ago: ended by the activity rule, so dropped.
        let mut old_order = rx("A", "2018-05-01", None);
        old_order.order_no = "OLD".into();
        // 800 days supplied from before the window: running at the data time.
        let mut running = rx("B", "2025-01-01", Some(800));
        running.order_no = "RUN".into();
        // Ended long ago.
        let ended = rx("C", "2020-01-01", Some(7));
        let records = vec![
            current("2015-01-01", Clinical::Allergy(allergy("2015-01-01"))),
            current("2016-01-01", Clinical::Diagnosis(dx("2016-01-01", None))),
            current(
                "2016-01-01",
                Clinical::Diagnosis(dx("2016-01-01", Some("2017-01-01"))),
            ),
            current("2018-05-01", Clinical::MedicationOrder(old_order)),
            current("2025-01-01", Clinical::MedicationOrder(running)),
            current("2020-01-01", Clinical::MedicationOrder(ended)),
            current(
                "2026-11-30",
                Clinical::MedicationOrder(rx("D", "2026-11-30", Some(7))),
            ),
        ];
        assert_eq!(
            rule.kept(&records),
            vec![
                Some(Keep::Allergy),
                Some(Keep::Problem),
                None,
                None,
                Some(Keep::Order),
                None,
                Some(Keep::Dated),
            ]
        );
        // Without a data time nothing can be placed: everything stays.
        let all = WindowRule::new(None, 400).kept(&records);
        assert!(all.iter().all(Option::is_some), "{all:?}");
    }
}
