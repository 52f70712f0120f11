//! The 温度板 (flowsheet): every vital-sign reading sorted into the rows a ward reads —
//! temperature, pulse, blood pressure, respiration, SpO2, weight, intake and output — whatever
//! the source called them (LOINC from FHIR / JP Core, JLAC10 from SS-MIX2 extended storage,
//! or a Japanese name).
//!
//! Signs are recognised by code first (LOINC; the JLAC10 analyte, the first five characters, so
//! that the 16-character `9P10000000000001` typo of NHO's samples still reads as temperature),
//! then by name. A reading that fits no row is kept in `other`, never dropped.

use crate::model::{Clinical, Record, RecordStatus, Timestamp, Vital};
use serde::Serialize;

/// The rows of a 温度板.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    Temperature,
    Pulse,
    Systolic,
    Diastolic,
    Respiration,
    SpO2,
    Weight,
    Height,
    Intake,
    Output,
}

impl Sign {
    pub const ALL: [Sign; 10] = [
        Sign::Temperature,
        Sign::Pulse,
        Sign::Systolic,
        Sign::Diastolic,
        Sign::Respiration,
        Sign::SpO2,
        Sign::Weight,
        Sign::Height,
        Sign::Intake,
        Sign::Output,
    ];

    pub fn label_ja(self) -> &'static str {
        match self {
            Sign::Temperature => "体温",
            Sign::Pulse => "脈拍",
            Sign::Systolic => "収縮期血圧",
            Sign::Diastolic => "拡張期血圧",
            Sign::Respiration => "呼吸数",
            Sign::SpO2 => "SpO2",
            Sign::Weight => "体重",
            Sign::Height => "身長",
            Sign::Intake => "IN",
            Sign::Output => "OUT",
        }
    }

    /// The unit a ward writes, shown when the source sent none.
    pub fn unit_ja(self) -> &'static str {
        match self {
            Sign::Temperature => "℃",
            Sign::Pulse => "/分",
            Sign::Systolic | Sign::Diastolic => "mmHg",
            Sign::Respiration => "/分",
            Sign::SpO2 => "%",
            Sign::Weight => "kg",
            Sign::Height => "cm",
            Sign::Intake | Sign::Output => "mL",
        }
    }

    /// Recognises a sign by its code (LOINC or JLAC10) or name.
    pub fn of(code: &str, name: &str) -> Option<Sign> {
        let c = code.trim();
        let by_code = match c {
            "8310-5" | "8331-1" | "8332-9" | "8333-7" => Some(Sign::Temperature),
            "8867-4" | "8889-8" | "8893-0" => Some(Sign::Pulse),
            "8480-6" => Some(Sign::Systolic),
            "8462-4" => Some(Sign::Diastolic),
            "9279-1" => Some(Sign::Respiration),
            "59408-5" | "2708-6" | "2710-2" => Some(Sign::SpO2),
            "29463-7" | "3141-9" | "3142-7" => Some(Sign::Weight),
            "8302-2" | "8306-3" => Some(Sign::Height),
            "9192-6" | "8975-5" => Some(Sign::Intake),
            "9187-6" | "9188-4" => Some(Sign::Output),
            _ => None,
        };
        if by_code.is_some() {
            return by_code;
        }
        // JLAC10: the analyte is the first five characters (the rest varies, and one public
        // sample sends a 16-character code).
        if c.len() >= 15 && c.is_ascii() {
            match &c[..5] {
                "9P100" => return Some(Sign::Temperature),
                "9P300" => return Some(Sign::Pulse),
                "9A751" => return Some(Sign::Systolic),
                "9A761" => return Some(Sign::Diastolic),
                "9P200" => return Some(Sign::Respiration),
                "9N006" => return Some(Sign::Weight),
                "9N001" => return Some(Sign::Height),
                _ => {}
            }
        }
        let n = name.trim();
        let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
        if has(&["体温", "Body temperature", "腋窩温"]) {
            Some(Sign::Temperature)
        } else if has(&["脈拍", "心拍", "Heart rate", "Pulse"]) {
            Some(Sign::Pulse)
        } else if has(&["収縮期", "最高血圧", "Systolic"]) {
            Some(Sign::Systolic)
        } else if has(&["拡張期", "最低血圧", "Diastolic"]) {
            Some(Sign::Diastolic)
        } else if has(&["呼吸数", "呼吸回数", "Respiratory rate"]) {
            Some(Sign::Respiration)
        } else if has(&["SpO2", "ＳｐＯ２", "酸素飽和度", "Oxygen saturation"]) {
            Some(Sign::SpO2)
        } else if has(&["体重", "Body weight"]) {
            Some(Sign::Weight)
        } else if has(&["身長", "Body height"]) {
            Some(Sign::Height)
        } else if has(&["摂取量", "飲水量", "IN量", "輸液量", "Intake"]) {
            Some(Sign::Intake)
        } else if has(&["排出量", "尿量", "OUT量", "Output"]) {
            Some(Sign::Output)
        } else {
            None
        }
    }
}

/// One number of one sign at one time.
#[derive(Clone, Debug, Serialize)]
pub struct VitalPoint {
    pub time: Timestamp,
    pub value: f64,
    /// As sent (`36.8`).
    pub text: String,
    pub unit: String,
    pub record: usize,
}

impl VitalPoint {
    /// The value as sent, unless it carries more decimals than the sign is measured with
    /// (FHIR senders compute `37.553671936802`): then rounded to the sign's precision — one
    /// decimal for temperature and weight, whole numbers for the rest.
    pub fn shown(&self, sign: Sign) -> String {
        let decimals = self.text.split_once('.').map_or(0, |(_, d)| d.len());
        let keep = match sign {
            Sign::Temperature | Sign::Weight | Sign::Height => 1,
            _ => 0,
        };
        if decimals > 2 {
            format!("{:.*}", keep, self.value)
        } else {
            self.text.clone()
        }
    }
}

/// Every reading, by sign, oldest first.
#[derive(Clone, Debug, Default, Serialize)]
pub struct VitalsBoard {
    pub series: Vec<(Sign, Vec<VitalPoint>)>,
    /// Readings that fit no row (kept and listed).
    pub other: Vec<usize>,
}

impl VitalsBoard {
    pub fn build(records: &[Record]) -> Self {
        let mut by: std::collections::BTreeMap<Sign, Vec<VitalPoint>> = Default::default();
        let mut other = Vec::new();
        for (i, r) in records.iter().enumerate() {
            if r.status != RecordStatus::Current {
                continue;
            }
            let Clinical::Vital(v) = &r.data else { continue };
            let Some(time) = v.measured.or(r.provenance.written_at) else {
                other.push(i);
                continue;
            };
            let mut placed = false;
            for (sign, value, text, unit) in readings(v) {
                by.entry(sign).or_default().push(VitalPoint {
                    time,
                    value,
                    text,
                    unit,
                    record: i,
                });
                placed = true;
            }
            if !placed {
                other.push(i);
            }
        }
        let mut series: Vec<(Sign, Vec<VitalPoint>)> = by.into_iter().collect();
        for (_, points) in &mut series {
            points.sort_by_key(|p| p.time);
        }
        Self { series, other }
    }

    pub fn points(&self, sign: Sign) -> &[VitalPoint] {
        self.series
            .iter()
            .find(|(s, _)| *s == sign)
            .map(|(_, p)| p.as_slice())
            .unwrap_or(&[])
    }

    pub fn latest(&self, sign: Sign) -> Option<&VitalPoint> {
        self.points(sign).last()
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// The time of the newest reading of any sign.
    pub fn newest(&self) -> Option<Timestamp> {
        self.series
            .iter()
            .filter_map(|(_, p)| p.last().map(|p| p.time))
            .max()
    }

    /// `体温 37.8℃ 脈拍 96/分 血圧 132/78 SpO2 96%` from the newest reading of each, with the
    /// time of the newest.
    pub fn latest_line(&self) -> String {
        let v = |s: Sign| self.latest(s).map(|p| p.shown(s));
        let mut parts = Vec::new();
        if let Some(t) = v(Sign::Temperature) {
            parts.push(format!("体温 {t}℃"));
        }
        if let Some(p) = v(Sign::Pulse) {
            parts.push(format!("脈拍 {p}/分"));
        }
        match (v(Sign::Systolic), v(Sign::Diastolic)) {
            (Some(s), Some(d)) => parts.push(format!("血圧 {s}/{d}")),
            (Some(s), None) => parts.push(format!("血圧 {s}/—")),
            _ => {}
        }
        if let Some(r) = v(Sign::Respiration) {
            parts.push(format!("呼吸 {r}/分"));
        }
        if let Some(o) = v(Sign::SpO2) {
            parts.push(format!("SpO2 {o}%"));
        }
        parts.join("　")
    }
}

/// The numbers of one reading with their signs: a blood pressure gives two.
fn readings(v: &Vital) -> Vec<(Sign, f64, String, String)> {
    let mut out = Vec::new();
    let own = Sign::of(&v.sign.code, &v.sign.text);
    if let Some(n) = v.number
        && let Some(sign) = own
    {
        out.push((sign, n, v.value.clone(), v.unit.clone()));
    }
    for c in &v.components {
        let Some(n) = c.number else { continue };
        if let Some(sign) = Sign::of(&c.name.code, &c.name.text) {
            out.push((sign, n, c.value.clone(), c.unit.clone()));
        }
    }
    out
}
