//! The cumulative lab table (tests × collection times, newest first), trend series and the
//! latest value of each test. Only current results count.

use crate::model::{AbnormalFlag, Clinical, Code, LabResult, Record, RecordStatus, Timestamp};
use serde::Serialize;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// One collection time (a column). Results without any time share the last column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LabColumn {
    pub time: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LabCell {
    /// Index into [`LabTable::columns`].
    pub column: usize,
    pub record: usize,
    /// The value exactly as sent.
    pub value: String,
    pub number: Option<f64>,
    pub flag: Option<AbnormalFlag>,
    /// Other current results of the same test at the same time (repeats, other sources).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<usize>,
}

impl LabCell {
    /// `H`, `L`, `HH`, `LL`, `A`, or empty.
    pub fn mark(&self) -> &'static str {
        self.flag.map(AbnormalFlag::mark).unwrap_or("")
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct LabRow {
    /// See [`test_key`].
    pub key: String,
    pub name: String,
    /// The newest unit sent.
    pub unit: String,
    /// The newest reference range sent, as written, and its bounds when numeric.
    pub range: String,
    pub range_low: Option<f64>,
    pub range_high: Option<f64>,
    /// The battery or panel the test first came in (`血液学的検査`), or empty.
    pub group: String,
    /// Cells in column order (newest first).
    pub cells: Vec<LabCell>,
}

impl LabRow {
    pub fn cell(&self, column: usize) -> Option<&LabCell> {
        self.cells
            .binary_search_by_key(&column, |c| c.column)
            .ok()
            .and_then(|i| self.cells.get(i))
    }

    pub fn latest(&self) -> Option<&LabCell> {
        self.cells.first()
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct LabPoint {
    pub time: Timestamp,
    pub value: f64,
    pub flag: Option<AbnormalFlag>,
    pub record: usize,
}

/// Numeric results of one test for a trend plot, oldest first, with the reference band.
#[derive(Clone, Debug, Serialize)]
pub struct LabSeries {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub points: Vec<LabPoint>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LatestLab {
    pub key: String,
    pub name: String,
    pub value: String,
    pub unit: String,
    pub flag: Option<AbnormalFlag>,
    pub time: Option<Timestamp>,
    pub record: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct LabTable {
    /// Collection times, newest first (undated last).
    pub columns: Vec<LabColumn>,
    /// Grouped by battery in order of first appearance, tests in order of first appearance.
    pub rows: Vec<LabRow>,
}

/// The key of a test across results: code system and code (JLAC10 and LOINC spelled one way
/// whichever reader sent them), or the name (NFKC, no spaces) when no code was sent.
pub fn test_key(test: &Code) -> String {
    if test.code.trim().is_empty() {
        let name: String = test.text.nfkc().filter(|c| !c.is_whitespace()).collect();
        return format!("name:{name}");
    }
    let system = match test.system.trim() {
        "JC10" | "JC11" | "JLAC10" | "JLAC11" | "urn:oid:1.2.392.200119.4.504" => "JLAC10",
        "LN" | "LOINC" | "http://loinc.org" => "LOINC",
        other => other,
    };
    format!("{system}|{}", test.code.trim())
}

fn time_of(r: &LabResult) -> Option<Timestamp> {
    r.collected.or(r.reported)
}

impl LabTable {
    pub fn build(records: &[Record]) -> Self {
        let results: Vec<(usize, &Record, &LabResult)> = records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.data {
                Clinical::LabResult(l) if r.status == RecordStatus::Current => Some((i, r, l)),
                _ => None,
            })
            .collect();
        let mut times: Vec<Option<Timestamp>> = results.iter().map(|(_, _, l)| time_of(l)).collect();
        times.sort_by(|a, b| super::newest_first(*a, *b));
        times.dedup();
        let column_of: HashMap<Option<Timestamp>, usize> =
            times.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let columns: Vec<LabColumn> = times.into_iter().map(|time| LabColumn { time }).collect();

        // Rows and groups in order of first appearance (records are oldest first, and the
        // results of one message keep the lab's own order).
        let mut rows: Vec<LabRow> = Vec::new();
        let mut row_of: HashMap<String, usize> = HashMap::new();
        let mut group_order: Vec<String> = Vec::new();
        // Sort key of each cell's record among duplicates: newest report, then newest written.
        let mut cell_rank: HashMap<usize, (Option<Timestamp>, Option<Timestamp>)> = HashMap::new();
        for (i, r, l) in &results {
            let key = test_key(&l.test);
            let row = match row_of.get(&key) {
                Some(&x) => x,
                None => {
                    let group = l
                        .battery
                        .as_ref()
                        .map(|b| b.display().to_string())
                        .unwrap_or_default();
                    if !group_order.contains(&group) {
                        group_order.push(group.clone());
                    }
                    row_of.insert(key.clone(), rows.len());
                    rows.push(LabRow {
                        key,
                        name: String::new(),
                        unit: String::new(),
                        range: String::new(),
                        range_low: None,
                        range_high: None,
                        group,
                        cells: Vec::new(),
                    });
                    rows.len() - 1
                }
            };
            let column = column_of.get(&time_of(l)).copied().unwrap_or(0);
            cell_rank.insert(*i, (l.reported, r.provenance.written_at));
            rows[row].cells.push(LabCell {
                column,
                record: *i,
                value: l.value.clone(),
                number: l.number,
                flag: l.flag,
                also: Vec::new(),
            });
        }
        let lab = |i: usize| match records.get(i).map(|r| &r.data) {
            Some(Clinical::LabResult(l)) => Some(l),
            _ => None,
        };
        for row in &mut rows {
            // Newest column first; within a column the newest report wins, the rest are `also`.
            row.cells.sort_by(|a, b| {
                a.column.cmp(&b.column).then_with(|| {
                    let ra = cell_rank.get(&a.record);
                    let rb = cell_rank.get(&b.record);
                    rb.cmp(&ra).then(b.record.cmp(&a.record))
                })
            });
            let mut kept: Vec<LabCell> = Vec::with_capacity(row.cells.len());
            for c in row.cells.drain(..) {
                match kept.last_mut() {
                    Some(k) if k.column == c.column => k.also.push(c.record),
                    _ => kept.push(c),
                }
            }
            row.cells = kept;
            for c in &row.cells {
                let Some(l) = lab(c.record) else { continue };
                if row.name.is_empty() && !l.test.display().is_empty() {
                    row.name = l.test.display().to_string();
                }
                if row.unit.is_empty() && !l.unit.is_empty() {
                    row.unit = l.unit.clone();
                }
                if row.range.is_empty() && !l.range.is_empty() {
                    row.range = l.range.clone();
                    row.range_low = l.range_low;
                    row.range_high = l.range_high;
                }
            }
        }
        let group_rank: HashMap<&str, usize> = group_order
            .iter()
            .enumerate()
            .map(|(i, g)| (g.as_str(), i))
            .collect();
        // Stable: rows keep first-appearance order inside their group.
        let mut order: Vec<(usize, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (group_rank.get(r.group.as_str()).copied().unwrap_or(0), i))
            .collect();
        order.sort_unstable();
        let mut slots: Vec<Option<LabRow>> = rows.into_iter().map(Some).collect();
        let rows = order
            .into_iter()
            .filter_map(|(_, i)| slots.get_mut(i).and_then(Option::take))
            .collect();
        Self { columns, rows }
    }

    pub fn row(&self, key: &str) -> Option<&LabRow> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The numeric results of one test, oldest first, with the latest reference band.
    pub fn series(&self, key: &str) -> Option<LabSeries> {
        let row = self.row(key)?;
        let mut points: Vec<LabPoint> = row
            .cells
            .iter()
            .filter_map(|c| {
                let time = self.columns.get(c.column)?.time?;
                Some(LabPoint {
                    time,
                    value: c.number?,
                    flag: c.flag,
                    record: c.record,
                })
            })
            .collect();
        points.reverse();
        Some(LabSeries {
            key: row.key.clone(),
            name: row.name.clone(),
            unit: row.unit.clone(),
            low: row.range_low,
            high: row.range_high,
            points,
        })
    }

    /// The latest value of the `n` most recently measured tests (ties in table order), newest
    /// first: the "recent results" box of a summary.
    pub fn latest(&self, n: usize) -> Vec<LatestLab> {
        let mut out: Vec<(usize, LatestLab)> = self
            .rows
            .iter()
            .filter_map(|row| {
                let c = row.latest()?;
                Some((
                    c.column,
                    LatestLab {
                        key: row.key.clone(),
                        name: row.name.clone(),
                        value: c.value.clone(),
                        unit: row.unit.clone(),
                        flag: c.flag,
                        time: self.columns.get(c.column).and_then(|col| col.time),
                        record: c.record,
                    },
                ))
            })
            .collect();
        out.sort_by_key(|(col, _)| *col);
        out.into_iter().take(n).map(|(_, l)| l).collect()
    }
}
