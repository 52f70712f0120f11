//! The banner: who the patient is and where they are now, always at the top of the chart.

use super::age::{age_label, age_years};
use super::encounters::Stay;
use super::identity::Identity;
use crate::model::{
    BloodType, Clinical, Clinician, Code, Location, Patient, Quantity, Record, RecordStatus, Sex, Timestamp,
};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct CurrentAdmission {
    pub admitted: Option<Timestamp>,
    pub location: Option<Location>,
    /// Out on leave (外出・外泊) at the reference time: still an inpatient.
    pub on_leave: bool,
    pub planned_discharge: Option<Timestamp>,
    /// 入院日数: the admission day is day 1.
    pub day: Option<i64>,
}

impl CurrentAdmission {
    /// 「入院中（外出・外泊中） 3階東病棟 301号室 1番　入院日 2026-11-01（20日目）」 as the banner says it;
    /// `with_date: false` leaves out the admission date (the one-line banner).
    pub fn label_ja(&self, with_date: bool) -> String {
        let mut s = String::from(if self.on_leave {
            "入院中（外出・外泊中）"
        } else {
            "入院中"
        });
        if let Some(l) = self.location.as_ref().filter(|l| !l.is_empty()) {
            s.push_str(&format!(" {}", l.display()));
        }
        if with_date && let Some(t) = self.admitted {
            // The date part of the shown time: a month-only date stays `2026-11`.
            let shown = t.shown();
            s.push_str(&format!("　入院日 {}", shown.split(' ').next().unwrap_or(&shown)));
        }
        if let Some(n) = self.day {
            s.push_str(&format!("（{n}日目）"));
        }
        s
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Banner {
    pub patient_id: String,
    /// Demographics merged from every patient record (see [`merge_demographics`]).
    pub patient: Option<Patient>,
    /// `患者 太郎`, empty when unknown.
    pub name_kanji: String,
    /// `カンジャ タロウ`, empty when unknown.
    pub name_kana: String,
    pub sex: Sex,
    pub birth_date: Option<Timestamp>,
    /// Full years at the reference time (満年齢).
    pub age: Option<u32>,
    /// `72歳`, `2歳4か月`.
    pub age_label: String,
    pub blood_type: Option<BloodType>,
    pub height: Option<Quantity>,
    pub weight: Option<Quantity>,
    pub deceased: Option<Timestamp>,
    /// Set while admitted at the reference time.
    pub admission: Option<CurrentAdmission>,
    /// The department and doctor of the current stay, else of the latest encounter.
    pub department: Option<Code>,
    pub attending: Option<Clinician>,
    /// The patient records the demographics came from, the preferred one first.
    pub sources: Vec<usize>,
    /// Disagreements between the records on who the patient is (shown in red as
    /// 「患者情報の不一致」) and namesakes (「同姓同名あり」).
    pub identity: Identity,
}

impl Banner {
    pub fn build(
        patient_id: &str,
        records: &[Record],
        fallback: Option<&Patient>,
        stay: Option<&Stay>,
        reference: Option<Timestamp>,
    ) -> Self {
        let (patient, sources) = match merge_demographics(records) {
            Some((mut p, sources)) => {
                if let Some(f) = fallback {
                    fill(&mut p, f);
                }
                (Some(p), sources)
            }
            None => (fallback.cloned(), Vec::new()),
        };
        let mut b = Banner {
            patient_id: patient_id.to_string(),
            sources,
            ..Banner::default()
        };
        if let Some(p) = &patient {
            b.name_kanji = p.name_kanji.as_ref().map(|n| n.full()).unwrap_or_default();
            b.name_kana = p.name_kana.as_ref().map(|n| n.full()).unwrap_or_default();
            b.sex = p.sex;
            b.birth_date = p.birth_date;
            // Age stops at death.
            let on = p.deceased.or(reference);
            b.age = p
                .birth_date
                .zip(on)
                .and_then(|(birth, on)| age_years(birth.date(), on.date()));
            b.age_label = age_label(p.birth_date, on);
            b.blood_type = p.blood_type.clone().filter(|t| !t.display().is_empty());
            b.height = p.height.clone();
            b.weight = p.weight.clone();
            b.deceased = p.deceased;
        }
        b.patient = patient;
        if b.height.is_none() {
            b.height = latest_vital(records, &["8302-2", "身長"]);
        }
        if b.weight.is_none() {
            b.weight = latest_vital(records, &["29463-7", "3141-9", "体重"]);
        }
        match stay {
            Some(s) => {
                b.admission = Some(CurrentAdmission {
                    admitted: s.start,
                    location: s.location_at(reference).cloned(),
                    on_leave: s.on_leave_at(reference),
                    planned_discharge: s.planned_end,
                    day: s
                        .start
                        .zip(reference)
                        .map(|(a, r)| (r.date() - a.date()).num_days() + 1),
                });
                b.department = s.department_at(reference).cloned();
                b.attending = s.attending_at(reference).cloned();
            }
            None => {
                // The latest encounter (a visit) names the department looking after the patient.
                for r in records.iter().rev() {
                    if r.status != RecordStatus::Current {
                        continue;
                    }
                    if let Clinical::Encounter(e) = &r.data
                        && !e.cancellation
                        && (e.department.is_some() || e.attending.is_some())
                    {
                        b.department = e.department.clone();
                        b.attending = e.attending.clone();
                        break;
                    }
                }
            }
        }
        b
    }
}

/// The patient's demographics: the newest current patient record, with missing fields filled
/// from the other current ones, then from older versions. Cancelled records are never used.
/// Returns the merged patient and the records used, the preferred one first.
pub fn merge_demographics(records: &[Record]) -> Option<(Patient, Vec<usize>)> {
    let mut found: Vec<(usize, &Patient, RecordStatus, Option<Timestamp>)> = records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.data {
            Clinical::Patient(p) if r.status != RecordStatus::Cancelled => {
                Some((i, p, r.status, p.updated_at.or(r.provenance.written_at)))
            }
            _ => None,
        })
        .collect();
    if found.is_empty() {
        return None;
    }
    // Current before superseded, then newest first (later in the file order on ties).
    found.sort_by(|a, b| {
        (a.2 != RecordStatus::Current)
            .cmp(&(b.2 != RecordStatus::Current))
            .then(b.3.cmp(&a.3))
            .then(b.0.cmp(&a.0))
    });
    let mut merged = found[0].1.clone();
    for (_, p, _, _) in &found[1..] {
        fill(&mut merged, p);
    }
    Some((merged, found.iter().map(|f| f.0).collect()))
}

/// Fills what `p` lacks from `other`.
fn fill(p: &mut Patient, other: &Patient) {
    if p.id.is_empty() {
        p.id = other.id.clone();
    }
    if p.name_kanji.as_ref().is_none_or(|n| n.is_empty()) && other.name_kanji.is_some() {
        p.name_kanji = other.name_kanji.clone();
    }
    if p.name_kana.as_ref().is_none_or(|n| n.is_empty()) && other.name_kana.is_some() {
        p.name_kana = other.name_kana.clone();
    }
    if p.sex == Sex::Unknown {
        p.sex = other.sex;
    }
    p.birth_date = p.birth_date.or(other.birth_date);
    if p.addresses.is_empty() {
        p.addresses = other.addresses.clone();
    }
    if p.phones.is_empty() {
        p.phones = other.phones.clone();
    }
    if p.blood_type.as_ref().is_none_or(|b| b.display().is_empty()) && other.blood_type.is_some() {
        p.blood_type = other.blood_type.clone();
    }
    if p.height.is_none() {
        p.height = other.height.clone();
    }
    if p.weight.is_none() {
        p.weight = other.weight.clone();
    }
    p.deceased = p.deceased.or(other.deceased);
    // A set, not `Vec::contains`: merging many masters of many identifiers was quadratic.
    let mut seen: std::collections::HashSet<String> = p.other_ids.iter().cloned().collect();
    seen.insert(p.id.clone());
    for id in &other.other_ids {
        if !crate::model::push_distinct(
            &mut p.other_ids,
            &mut seen,
            id.clone(),
            crate::model::MAX_OTHER_IDS,
        ) {
            break;
        }
    }
}

/// The newest current vital sign whose code or name is one of `keys` (LOINC body height and
/// weight, or the Japanese name).
fn latest_vital(records: &[Record], keys: &[&str]) -> Option<Quantity> {
    records.iter().rev().find_map(|r| match &r.data {
        Clinical::Vital(v)
            if r.status == RecordStatus::Current
                && !v.value.is_empty()
                && keys.iter().any(|k| v.sign.code == *k || v.sign.text.contains(k)) =>
        {
            Some(Quantity::new(v.value.clone(), v.unit.clone()))
        }
        _ => None,
    })
}

#[cfg(test)]
mod admission_label_tests {
    use super::*;

    #[test]
    fn the_banners_words_for_a_stay() {
        let a = CurrentAdmission {
            admitted: Timestamp::parse_iso("2026-11-01T10:00"),
            location: None,
            on_leave: true,
            planned_discharge: None,
            day: Some(20),
        };
        assert_eq!(
            a.label_ja(true),
            "入院中（外出・外泊中）　入院日 2026-11-01（20日目）"
        );
        assert_eq!(a.label_ja(false), "入院中（外出・外泊中）（20日目）");
        let month = CurrentAdmission {
            admitted: Timestamp::parse_iso("2026-11"),
            on_leave: false,
            day: None,
            ..a
        };
        assert_eq!(month.label_ja(true), "入院中　入院日 2026-11");
    }
}
