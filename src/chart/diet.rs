//! What the patient may eat at the data time: the current diet order (OMD, FHIR NutritionOrder).
//!
//! Rule: among current, not cancelled diet orders, the newest whose start is at or before the
//! data time and whose end (a date-only end covers its whole day) has not passed. A later order
//! replaces an earlier one, as a ward's diet slip does. 禁食 / 絶食 / 欠食 in a code or text is
//! fasting (NPO) and is said first.

use super::activity::end_covers;
use crate::model::{Clinical, Record, RecordStatus, Timestamp};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct CurrentDiet {
    pub record: usize,
    pub start: Option<Timestamp>,
    /// Diet names as sent (常食, 全粥, エネルギー1600kcal, 塩分6g ...).
    pub diets: Vec<String>,
    /// Instructions as written (禁止食品, 刻み ...).
    pub instructions: Vec<String>,
    /// 禁食 / 絶食: nothing by mouth.
    pub fasting: bool,
}

impl CurrentDiet {
    /// `絶食` or `全粥 / 塩分6g（刻み）`.
    pub fn line_ja(&self) -> String {
        let mut s = self.diets.join(" / ");
        if !self.instructions.is_empty() {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&format!("（{}）", self.instructions.join("、")));
        }
        if self.fasting && !s.contains('禁') && !s.contains('絶') {
            s = format!("禁食 {s}");
        }
        s
    }
}

const FASTING: [&str; 4] = ["禁食", "絶食", "欠食", "NPO"];

pub fn current_diet(records: &[Record], now: Option<Timestamp>) -> Option<CurrentDiet> {
    let now = now?;
    records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == RecordStatus::Current)
        .filter_map(|(i, r)| match &r.data {
            Clinical::DietOrder(d) => Some((i, d)),
            _ => None,
        })
        .filter(|(_, d)| {
            let begin = d.start.or(d.ordered_at);
            begin.is_some_and(|b| b <= now) && d.end.is_none_or(|e| end_covers(e, now))
        })
        .max_by_key(|(i, d)| (d.start.or(d.ordered_at), *i))
        .map(|(i, d)| {
            let diets: Vec<String> = d.diets.iter().map(|c| c.display().to_string()).collect();
            let fasting = diets
                .iter()
                .chain(&d.instructions)
                .any(|t| FASTING.iter().any(|w| t.contains(w)));
            CurrentDiet {
                record: i,
                start: d.start.or(d.ordered_at),
                diets,
                instructions: d.instructions.clone(),
                fasting,
            }
        })
}
