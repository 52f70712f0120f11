//! One patient's records arranged for the chart tabs. Built once, off the UI thread, when the
//! chart opens; the tabs only read it (and keep small caches of their own filters).
//!
//! Rows refer to records by index into `records`, so selecting a row for "元データ" is cheap.

use crate::index::{PatientHit, SnapshotIndex};
use crate::model::{
    AbnormalFlag, AllergyCategory, Clinical, Encounter, EncounterEvent, LabResult, MedicationOrder, Patient,
    Record, RecordStatus, Timestamp,
};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What the allergy strip says. "None known" and "no data" are different statements.
#[derive(Clone, Debug, PartialEq)]
pub enum AllergyStrip {
    /// No allergy record at all: "記録なし".
    NoData,
    /// The source says the patient has no known allergies: "アレルギー情報なし".
    NoneKnown,
    /// Current allergies, drug allergies first.
    List(Vec<AllergyItem>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AllergyItem {
    pub record: usize,
    pub drug: bool,
    pub label: String,
    pub detail: String,
}

/// One Rp (a prescription group): the drugs ordered together with one dosage.
#[derive(Clone, Debug)]
pub struct RpGroup {
    /// Order number (ORC-2), shown on hover.
    pub order_no: String,
    pub rp: String,
    /// Indices of the medication orders in this group, in source order.
    pub lines: Vec<usize>,
    pub start: Option<Timestamp>,
    pub end: Option<NaiveDate>,
    /// Current, or the worst status when none of its lines stands.
    pub status: RecordStatus,
    pub active: bool,
}

/// Cumulative lab table: tests down, collection times across (newest first).
#[derive(Clone, Debug, Default)]
pub struct LabTable {
    pub times: Vec<Timestamp>,
    pub tests: Vec<LabRow>,
}

#[derive(Clone, Debug)]
pub struct LabRow {
    pub name: String,
    pub unit: String,
    pub range: String,
    pub range_low: Option<f64>,
    pub range_high: Option<f64>,
    /// Column index → record index (the newest value when a time holds two).
    pub cells: HashMap<usize, usize>,
    /// (time, value) for the trend plot, oldest first.
    pub series: Vec<(Timestamp, f64)>,
}

pub struct ChartData {
    pub id: String,
    pub hit: Option<PatientHit>,
    pub patient: Option<Patient>,
    /// All records, oldest first (as the index gives them).
    pub records: Vec<Record>,
    /// Data time of the snapshot, for "current" medications and the stay in progress.
    pub as_of: Option<Timestamp>,
    pub allergies: AllergyStrip,
    /// Every allergy record (for the allergy tab), newest first.
    pub allergy_rows: Vec<usize>,
    /// Prescription and injection groups, newest first.
    pub meds: Vec<RpGroup>,
    pub labs: LabTable,
    /// Diagnoses, active first then newest first.
    pub diagnoses: Vec<usize>,
    /// Encounters newest first.
    pub encounters: Vec<usize>,
    /// Documents and procedure reports newest first.
    pub documents: Vec<usize>,
    /// Every record newest first (undated last).
    pub timeline: Vec<usize>,
    pub error: Option<String>,
}

impl ChartData {
    /// Reads the patient from the index and arranges it.
    pub fn load(index: &SnapshotIndex, id: &str) -> ChartData {
        let hit = index.patient(id).ok().flatten();
        match index.records(id) {
            Ok(records) => ChartData::build(id, hit, records, index.as_of()),
            Err(e) => {
                let mut d = ChartData::build(id, hit, Vec::new(), index.as_of());
                d.error = Some(format!("{e:#}"));
                d
            }
        }
    }

    pub fn build(id: &str, hit: Option<PatientHit>, records: Vec<Record>, as_of: Option<Timestamp>) -> ChartData {
        let as_of_day = as_of.map(|t| t.date());
        let current = |r: &Record| r.status == RecordStatus::Current;

        let patient = records.iter().rev().filter(|r| current(r)).find_map(|r| match &r.data {
            Clinical::Patient(p) => Some(p.clone()),
            _ => None,
        });

        let mut timeline: Vec<usize> = (0..records.len()).collect();
        // Newest first, undated last.
        timeline.sort_by(|&a, &b| {
            let (da, db) = (records[a].date(), records[b].date());
            match (da, db) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(&b),
            }
        });
        let of_kind = |f: &dyn Fn(&Clinical) -> bool| -> Vec<usize> {
            timeline.iter().copied().filter(|&i| f(&records[i].data)).collect()
        };

        let allergy_rows = of_kind(&|c| matches!(c, Clinical::Allergy(_)));
        let allergies = allergy_strip(&records, &allergy_rows);

        let mut diagnoses = of_kind(&|c| matches!(c, Clinical::Diagnosis(_)));
        diagnoses.sort_by_key(|&i| match &records[i].data {
            Clinical::Diagnosis(d) => !(d.is_active() && current(&records[i])),
            _ => true,
        });
        let encounters = of_kind(&|c| matches!(c, Clinical::Encounter(_)));
        let documents = of_kind(&|c| matches!(c, Clinical::Document(_) | Clinical::Procedure(_)));
        let meds = rp_groups(&records, &timeline, as_of_day);
        let labs = lab_table(&records);

        ChartData {
            id: id.to_string(),
            hit,
            patient,
            records,
            as_of,
            allergies,
            allergy_rows,
            meds,
            labs,
            diagnoses,
            encounters,
            documents,
            timeline,
            error: None,
        }
    }

    /// The admission in progress at the data time, if any (newest admission with no later discharge).
    pub fn current_stay(&self) -> Option<&Encounter> {
        for &i in &self.encounters {
            let r = &self.records[i];
            if r.status != RecordStatus::Current {
                continue;
            }
            if let Clinical::Encounter(e) = &r.data {
                if e.cancellation {
                    continue;
                }
                match e.event {
                    EncounterEvent::Discharge => return None,
                    EncounterEvent::Admission | EncounterEvent::Transfer => return Some(e),
                    EncounterEvent::Stay if e.class == Some(crate::model::PatientClass::Inpatient) => {
                        return if e.end.is_none() { Some(e) } else { None };
                    }
                    _ => {}
                }
            }
        }
        None
    }

    pub fn active_meds(&self) -> impl Iterator<Item = &RpGroup> {
        self.meds.iter().filter(|g| g.active)
    }

    pub fn med(&self, i: usize) -> Option<&MedicationOrder> {
        match &self.records.get(i)?.data {
            Clinical::MedicationOrder(m) => Some(m),
            _ => None,
        }
    }

    pub fn lab(&self, i: usize) -> Option<&LabResult> {
        match &self.records.get(i)?.data {
            Clinical::LabResult(l) => Some(l),
            _ => None,
        }
    }
}

fn allergy_strip(records: &[Record], rows: &[usize]) -> AllergyStrip {
    if rows.is_empty() {
        return AllergyStrip::NoData;
    }
    let mut items = Vec::new();
    let mut none_known = false;
    for &i in rows {
        let r = &records[i];
        let Clinical::Allergy(a) = &r.data else { continue };
        if r.status != RecordStatus::Current || a.removed {
            continue;
        }
        if a.none_known {
            none_known = true;
            continue;
        }
        let name = a.allergen.display().to_string();
        if items.iter().any(|x: &AllergyItem| x.label == name) {
            continue;
        }
        let mut detail = a.category.label_ja().to_string();
        if let Some(s) = &a.severity {
            detail.push_str(&format!(" 重症度:{}", s.display()));
        }
        if !a.reaction.is_empty() {
            detail.push_str(&format!(" 症状:{}", a.reaction));
        }
        items.push(AllergyItem {
            record: i,
            drug: a.category == AllergyCategory::Drug,
            label: name,
            detail,
        });
    }
    if items.is_empty() {
        // "None known" only when the source says so; removed entries alone leave no statement.
        return if none_known {
            AllergyStrip::NoneKnown
        } else {
            AllergyStrip::NoData
        };
    }
    items.sort_by_key(|x| !x.drug);
    AllergyStrip::List(items)
}

fn med_end(m: &MedicationOrder) -> Option<NaiveDate> {
    if let Some(e) = m.end {
        return Some(e.date());
    }
    let start = m.start?.date();
    let days = m.days?;
    start.checked_add_days(chrono::Days::new(u64::from(days.saturating_sub(1))))
}

fn rp_groups(records: &[Record], newest_first: &[usize], as_of: Option<NaiveDate>) -> Vec<RpGroup> {
    let mut groups: Vec<RpGroup> = Vec::new();
    let mut by_key: HashMap<(String, String, String, RecordStatus), usize> = HashMap::new();
    for &i in newest_first {
        let r = &records[i];
        let Clinical::MedicationOrder(m) = &r.data else { continue };
        // Orders without numbers still group by start time, so one visit's drugs stay together.
        let when = m.start.or(m.ordered_at).map(|t| t.to_iso()).unwrap_or_default();
        let key = (m.order_no.clone(), m.rp.clone(), when, r.status);
        let g = *by_key.entry(key).or_insert_with(|| {
            groups.push(RpGroup {
                order_no: m.order_no.clone(),
                rp: m.rp.clone(),
                lines: Vec::new(),
                start: m.start.or(m.ordered_at),
                end: None,
                status: r.status,
                active: false,
            });
            groups.len() - 1
        });
        let group = &mut groups[g];
        group.lines.push(i);
        if let Some(e) = med_end(m) {
            group.end = Some(group.end.map_or(e, |x| x.max(e)));
        }
    }
    for g in &mut groups {
        g.lines.sort();
        g.active = g.status == RecordStatus::Current
            && match (g.end, as_of) {
                (Some(end), Some(now)) => end >= now,
                // Without an end date, an order of the last 30 days counts as current.
                (None, Some(now)) => g
                    .start
                    .is_some_and(|s| (now - s.date()).num_days() <= 30 && s.date() <= now),
                (_, None) => true,
            };
    }
    groups
}

fn lab_table(records: &[Record]) -> LabTable {
    let mut times: Vec<Timestamp> = Vec::new();
    let mut rows: Vec<LabRow> = Vec::new();
    let mut row_of: HashMap<String, usize> = HashMap::new();
    let mut results: Vec<(usize, Timestamp, usize)> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if r.status != RecordStatus::Current {
            continue;
        }
        let Clinical::LabResult(l) = &r.data else { continue };
        let Some(t) = l.collected.or(l.reported).or(r.date()) else {
            continue;
        };
        let key = format!("{}\u{1f}{}\u{1f}{}", l.test.code, l.test.display(), l.unit);
        let row = *row_of.entry(key).or_insert_with(|| {
            rows.push(LabRow {
                name: l.test.display().to_string(),
                unit: l.unit.clone(),
                range: l.range.clone(),
                range_low: l.range_low,
                range_high: l.range_high,
                cells: HashMap::new(),
                series: Vec::new(),
            });
            rows.len() - 1
        });
        times.push(t);
        results.push((row, t, i));
    }
    times.sort();
    times.dedup();
    times.reverse();
    let col_of: HashMap<Timestamp, usize> = times.iter().enumerate().map(|(c, t)| (*t, c)).collect();
    // Records come oldest first, so a later duplicate at the same time replaces an earlier one.
    for (row, t, i) in results {
        let Some(&c) = col_of.get(&t) else { continue };
        let r = &mut rows[row];
        r.cells.insert(c, i);
        if let Clinical::LabResult(l) = &records[i].data {
            // The newest reference range wins: ranges change when methods change.
            if !l.range.is_empty() {
                r.range = l.range.clone();
                r.range_low = l.range_low;
                r.range_high = l.range_high;
            }
            if let Some(v) = l.number {
                r.series.push((t, v));
            }
        }
    }
    for r in &mut rows {
        r.series.sort_by(|a, b| a.0.cmp(&b.0));
    }
    LabTable { times, tests: rows }
}

/// `H` / `L` colour class of a lab value.
pub fn flag_of(l: &LabResult) -> Option<AbnormalFlag> {
    l.flag.filter(|f| *f != AbnormalFlag::Normal)
}
