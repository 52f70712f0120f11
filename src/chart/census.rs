//! The ward census at the data time: who is admitted, in which ward, room and bed.
//!
//! Built from the stays of each patient (see [`super::stays`]): a patient is in the census when
//! a stay contains `as_of` (admitted, not yet discharged; out on leave still counts); without
//! `as_of`, when a stay is open. The location is the latest move's at `as_of`.

use super::age::age_years;
use super::banner::merge_demographics;
use super::encounters::{stay_at, stays};
use crate::model::{Record, Sex, Timestamp};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CensusEntry {
    pub patient_id: String,
    pub name_kanji: String,
    pub name_kana: String,
    pub sex: Sex,
    pub age: Option<u32>,
    pub birth_date: Option<Timestamp>,
    pub room: String,
    pub bed: String,
    pub admitted: Option<Timestamp>,
    pub department: String,
    pub attending: String,
    pub on_leave: bool,
    pub planned_discharge: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WardCensus {
    /// The ward code as sent; empty when the location names no ward.
    pub code: String,
    /// `3階東病棟`, else `{code}病棟`, else `病棟不明`.
    pub name: String,
    /// By room, then bed (numbers compared as numbers), then patient ID.
    pub entries: Vec<CensusEntry>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Census {
    pub as_of: Option<Timestamp>,
    /// By ward code (numbers compared as numbers); the ward without a code last.
    pub wards: Vec<WardCensus>,
}

impl Census {
    /// `patients` gives each patient's records; encounter and patient records are enough.
    pub fn build<'a>(
        patients: impl Iterator<Item = (&'a str, &'a [Record])>,
        as_of: Option<Timestamp>,
    ) -> Census {
        let mut wards: BTreeMap<String, WardCensus> = BTreeMap::new();
        for (id, records) in patients {
            let all = stays(records);
            let Some(stay) = stay_at(&all, as_of) else {
                continue;
            };
            let location = stay.location_at(as_of).cloned().unwrap_or_default();
            let demo = merge_demographics(records).map(|(p, _)| p);
            let name = |n: Option<&crate::model::PersonName>| n.map(|n| n.full()).unwrap_or_default();
            let on = as_of.or(stay.since);
            let entry = CensusEntry {
                patient_id: id.to_string(),
                name_kanji: name(demo.as_ref().and_then(|p| p.name_kanji.as_ref())),
                name_kana: name(demo.as_ref().and_then(|p| p.name_kana.as_ref())),
                sex: demo.as_ref().map(|p| p.sex).unwrap_or_default(),
                age: demo
                    .as_ref()
                    .and_then(|p| p.birth_date)
                    .zip(on)
                    .and_then(|(b, on)| age_years(b.date(), on.date())),
                birth_date: demo.as_ref().and_then(|p| p.birth_date),
                room: location.room.clone(),
                bed: location.bed.clone(),
                admitted: stay.start,
                department: stay
                    .department_at(as_of)
                    .map(|d| d.display().to_string())
                    .unwrap_or_default(),
                attending: stay
                    .attending_at(as_of)
                    .map(|a| a.display().to_string())
                    .unwrap_or_default(),
                on_leave: stay.on_leave_at(as_of),
                planned_discharge: stay.planned_end,
            };
            let code = if location.ward.is_empty() {
                location.ward_name.clone()
            } else {
                location.ward.clone()
            };
            let ward = wards.entry(code.clone()).or_insert_with(|| WardCensus {
                code: code.clone(),
                name: String::new(),
                entries: Vec::new(),
            });
            if ward.name.is_empty() && !location.ward_name.is_empty() {
                ward.name = location.ward_name.clone();
            }
            ward.entries.push(entry);
        }
        let mut wards: Vec<WardCensus> = wards.into_values().collect();
        for w in &mut wards {
            if w.name.is_empty() {
                w.name = if w.code.is_empty() {
                    "病棟不明".to_string()
                } else {
                    format!("{}病棟", w.code)
                };
            }
            w.entries.sort_by(|a, b| {
                natural_cmp(&a.room, &b.room)
                    .then_with(|| natural_cmp(&a.bed, &b.bed))
                    .then_with(|| a.patient_id.cmp(&b.patient_id))
            });
        }
        wards.sort_by(|a, b| {
            a.code
                .is_empty()
                .cmp(&b.code.is_empty())
                .then_with(|| natural_cmp(&a.code, &b.code))
        });
        Census { as_of, wards }
    }

    /// Patients admitted.
    pub fn len(&self) -> usize {
        self.wards.iter().map(|w| w.entries.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.wards.iter().all(|w| w.entries.is_empty())
    }

    pub fn entries(&self) -> impl Iterator<Item = (&WardCensus, &CensusEntry)> {
        self.wards
            .iter()
            .flat_map(|w| w.entries.iter().map(move |e| (w, e)))
    }

    pub fn ward(&self, code: &str) -> Option<&WardCensus> {
        self.wards.iter().find(|w| w.code == code)
    }
}

/// Compares room, bed and ward labels so that `2` < `10` < `10A` (runs of ASCII digits by
/// value), everything else by character.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let mut n = String::new();
                let mut m = String::new();
                while let Some(c) = x.next_if(char::is_ascii_digit) {
                    n.push(c);
                }
                while let Some(d) = y.next_if(char::is_ascii_digit) {
                    m.push(d);
                }
                let (nt, mt) = (n.trim_start_matches('0'), m.trim_start_matches('0'));
                let o = nt.len().cmp(&mt.len()).then_with(|| nt.cmp(mt));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}
