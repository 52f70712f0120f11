//! Department names learnt from the snapshot itself.
//!
//! Many systems send a department as `04^呼吸器内科` in some messages and as a bare `04` in
//! others (local code systems: the same code means the same department only within one
//! hospital, hence one snapshot). Every face should say 呼吸器内科, so the names are learnt from
//! every department code that comes with both a code and a text, and filled into the ones sent
//! with the code only. The code stays the fallback when no message names it.

use crate::model::{Clinical, Code, Record};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Code → name, learnt over a whole snapshot. Stored with the index metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DepartmentNames {
    /// (system, code) → text → how many times it was sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    seen: Vec<Learnt>,
    #[serde(skip)]
    counts: BTreeMap<(String, String), BTreeMap<String, u64>>,
}

/// One learnt pair, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Learnt {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    system: String,
    code: String,
    text: String,
}

impl DepartmentNames {
    /// Notes every department code of `r` that carries both a code and a text.
    pub fn learn(&mut self, r: &Record) {
        for c in department_codes(r) {
            let (code, text) = (c.code.trim(), c.text.trim());
            if code.is_empty() || text.is_empty() {
                continue;
            }
            *self
                .counts
                .entry((c.system.clone(), code.to_string()))
                .or_default()
                .entry(text.to_string())
                .or_default() += 1;
        }
    }

    /// Settles what was learnt: per code, the text sent most often (the smallest on ties, so
    /// that the result never depends on reading order).
    pub fn finish(&mut self) {
        let mut seen = Vec::with_capacity(self.counts.len());
        for ((system, code), texts) in std::mem::take(&mut self.counts) {
            let best = texts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
            if let Some((text, _)) = best {
                seen.push(Learnt { system, code, text });
            }
        }
        self.seen = seen;
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// The name of a department code: the pair learnt in the same code system, else the one
    /// name the code has across systems (a FHIR export often drops the local system). `None`
    /// when no message names it or the systems disagree.
    pub fn name_of(&self, system: &str, code: &str) -> Option<&str> {
        let code = code.trim();
        if code.is_empty() {
            return None;
        }
        if let Some(l) = self.seen.iter().find(|l| l.system == system && l.code == code) {
            return Some(&l.text);
        }
        let mut names = self
            .seen
            .iter()
            .filter(|l| l.code == code)
            .map(|l| l.text.as_str());
        let first = names.next()?;
        names.all(|n| n == first).then_some(first)
    }

    /// Fills the text of every department code of `r` sent with the code only.
    pub fn fill(&self, r: &mut Record) {
        if self.seen.is_empty() {
            return;
        }
        for c in department_codes_mut(r) {
            if c.text.trim().is_empty()
                && let Some(name) = self.name_of(&c.system, &c.code)
            {
                c.text = name.to_string();
            }
        }
    }

    /// [`DepartmentNames::fill`] over many records.
    pub fn fill_all(&self, records: &mut [Record]) {
        for r in records {
            self.fill(r);
        }
    }
}

/// The department codes a record carries.
fn department_codes(r: &Record) -> Vec<&Code> {
    let one = match &r.data {
        Clinical::Encounter(e) => e.department.as_ref(),
        Clinical::Diagnosis(d) => d.department.as_ref(),
        Clinical::MedicationOrder(m) => m.department.as_ref(),
        Clinical::LabOrder(l) => l.department.as_ref(),
        Clinical::Procedure(p) => p.department.as_ref(),
        _ => None,
    };
    one.into_iter().collect()
}

fn department_codes_mut(r: &mut Record) -> Vec<&mut Code> {
    let one = match &mut r.data {
        Clinical::Encounter(e) => e.department.as_mut(),
        Clinical::Diagnosis(d) => d.department.as_mut(),
        Clinical::MedicationOrder(m) => m.department.as_mut(),
        Clinical::LabOrder(l) => l.department.as_mut(),
        Clinical::Procedure(p) => p.department.as_mut(),
        _ => None,
    };
    one.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Diagnosis, Encounter, EncounterEvent, Provenance, RecordStatus};

    fn enc(dept: Code) -> Record {
        let mut e = Encounter::new(EncounterEvent::OutpatientVisit);
        e.department = Some(dept);
        Record {
            patient_id: "P1".into(),
            status: RecordStatus::Current,
            provenance: Provenance::default(),
            data: Clinical::Encounter(e),
        }
    }

    fn dx(dept: Code) -> Record {
        Record {
            patient_id: "P1".into(),
            status: RecordStatus::Current,
            provenance: Provenance::default(),
            data: Clinical::Diagnosis(Diagnosis {
                department: Some(dept),
                ..Diagnosis::default()
            }),
        }
    }

    fn dept_text(r: &Record) -> String {
        department_codes(r)
            .first()
            .map(|c| c.display().to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_code_sent_alone_gets_the_name_other_messages_gave_it() {
        let mut names = DepartmentNames::default();
        names.learn(&enc(Code::new("04", "呼吸器内科", "99Z01")));
        names.learn(&enc(Code::new("05", "", "99Z01")));
        names.finish();
        let mut bare = dx(Code::new("04", "", "99Z01"));
        names.fill(&mut bare);
        assert_eq!(dept_text(&bare), "呼吸器内科");
        // A FHIR export without the local system still matches the one name of 04.
        let mut no_system = enc(Code::new("04", "", ""));
        names.fill(&mut no_system);
        assert_eq!(dept_text(&no_system), "呼吸器内科");
        // Nobody named 05: the code stays.
        let mut unnamed = enc(Code::new("05", "", "99Z01"));
        names.fill(&mut unnamed);
        assert_eq!(dept_text(&unnamed), "05");
    }

    #[test]
    fn a_text_already_sent_is_kept_and_the_most_frequent_name_wins() {
        let mut names = DepartmentNames::default();
        names.learn(&enc(Code::new("01", "内科", "")));
        names.learn(&enc(Code::new("01", "内科", "")));
        names.learn(&enc(Code::new("01", "総合内科", "")));
        names.finish();
        assert_eq!(names.name_of("", "01"), Some("内科"));
        let mut own = enc(Code::new("01", "総合内科", ""));
        names.fill(&mut own);
        assert_eq!(dept_text(&own), "総合内科");
    }

    #[test]
    fn systems_that_disagree_leave_a_systemless_code_alone() {
        let mut names = DepartmentNames::default();
        names.learn(&enc(Code::new("02", "外科", "99A")));
        names.learn(&enc(Code::new("02", "小児科", "99B")));
        names.finish();
        assert_eq!(names.name_of("99B", "02"), Some("小児科"));
        assert_eq!(names.name_of("", "02"), None);
        let stored: DepartmentNames =
            serde_json::from_str(&serde_json::to_string(&names).unwrap_or_default()).unwrap_or_default();
        assert_eq!(stored.name_of("99A", "02"), Some("外科"));
    }
}
