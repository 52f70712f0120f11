//! Drill or real, never confused (issue 16). A snapshot is a drill's when any of its files
//! says, in its standard's own way, that it is not patient care: HL7 v2 MSH-11 processing ID
//! `T` (training) or `D` (debugging); FHIR `meta.tag` or `meta.security` with v3-ActReason
//! `TRAIN` or `HTEST` (test health data). One marked file marks the snapshot: drill data shown
//! as real is the dangerous mistake (someone could act on an invented allergy list), so the
//! rule leans that way.

use serde::{Deserialize, Serialize};

/// The code system of `TRAIN` and `HTEST`.
pub const ACT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataMode {
    #[default]
    Real,
    Drill,
}

impl DataMode {
    /// From the number of files marked as training or test data.
    pub fn of(drill_files: u64) -> DataMode {
        if drill_files > 0 {
            DataMode::Drill
        } else {
            DataMode::Real
        }
    }

    pub fn is_drill(self) -> bool {
        self == DataMode::Drill
    }

    /// As written in manifests and the audit log.
    pub fn key(self) -> &'static str {
        match self {
            DataMode::Real => "real",
            DataMode::Drill => "drill",
        }
    }
}

/// The words on every screen and page of a drill snapshot.
pub const DRILL_JA: &str = "訓練用データ";
/// The longer line under the banner.
pub const DRILL_NOTE_JA: &str = "訓練用データ — 実在の患者の記録ではありません。診療に使わないでください。";

/// MSH-11 (its first component): `T` training, `D` debugging; `P` and anything else is real.
pub fn hl7_marks_drill(processing_id: &str) -> bool {
    matches!(processing_id.trim(), "T" | "D")
}

/// A FHIR coding in `meta.tag` or `meta.security`.
pub fn fhir_marks_drill(system: Option<&str>, code: Option<&str>) -> bool {
    system.map(str::trim) == Some(ACT_REASON) && matches!(code.map(str::trim), Some("TRAIN" | "HTEST"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_by_the_standards_codes_only() {
        assert!(hl7_marks_drill("T") && hl7_marks_drill("D"));
        assert!(!hl7_marks_drill("P") && !hl7_marks_drill("") && !hl7_marks_drill("TRAIN"));
        assert!(fhir_marks_drill(Some(ACT_REASON), Some("TRAIN")));
        assert!(fhir_marks_drill(Some(ACT_REASON), Some("HTEST")));
        assert!(!fhir_marks_drill(Some("http://example.org/tags"), Some("TRAIN")));
        assert!(!fhir_marks_drill(Some(ACT_REASON), Some("TREAT")));
        assert_eq!(DataMode::of(0), DataMode::Real);
        assert_eq!(DataMode::of(1), DataMode::Drill);
    }
}
