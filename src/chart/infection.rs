//! Infection marks (感染症マーク): what the staff must protect themselves and others from,
//! derived from the lab records — HBs抗原, HCV抗体, 梅毒 (TP antibody, RPR/STS), HIV, and
//! MRSA or another resistant organism in a culture.
//!
//! Tests are recognised by JLAC10 analyte code (the first five characters) or by name; the
//! newest result of each marker decides. A result is positive when it says so (陽性, (+), 1+,
//! POS, 検出), or is flagged high / above its range for a quantitative test; negative when it
//! says 陰性, (-), NEG, 検出せず; anything else is shown as written with 要確認. A marker never
//! tested is 「未検査」 — not "negative".

use crate::model::{AbnormalFlag, Clinical, Record, RecordStatus, Timestamp};
use crate::search::normalize;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    HbsAntigen,
    HcvAntibody,
    Syphilis,
    Hiv,
    ResistantOrganism,
}

impl Marker {
    pub const ALL: [Marker; 5] = [
        Marker::HbsAntigen,
        Marker::HcvAntibody,
        Marker::Syphilis,
        Marker::Hiv,
        Marker::ResistantOrganism,
    ];

    pub fn label_ja(self) -> &'static str {
        match self {
            Marker::HbsAntigen => "HBs",
            Marker::HcvAntibody => "HCV",
            Marker::Syphilis => "梅毒",
            Marker::Hiv => "HIV",
            Marker::ResistantOrganism => "耐性菌",
        }
    }

    /// The marker a lab test reports, by JLAC10 analyte or by name.
    pub fn of(code: &str, name: &str) -> Option<Marker> {
        let c = code.trim();
        if c.len() >= 5 && c.is_ascii() {
            match &c[..5] {
                "5F016" => return Some(Marker::HbsAntigen),
                "5F360" => return Some(Marker::HcvAntibody),
                "5E071" | "5E072" | "5E073" | "5E011" | "5E010" => return Some(Marker::Syphilis),
                "5F601" | "5F602" | "5F603" => return Some(Marker::Hiv),
                _ => {}
            }
        }
        let n = normalize(name).replace(' ', "");
        let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
        // normalize() lower-cases and turns katakana into hiragana.
        if has(&["hbs抗原", "hbsag", "hbs-ag"]) {
            Some(Marker::HbsAntigen)
        } else if has(&["hcv抗体", "hcvab", "hcv-ab", "hcv抗体価"]) {
            Some(Marker::HcvAntibody)
        } else if has(&[
            "梅毒",
            "tpha",
            "tpla",
            "tp抗体",
            "rpr",
            "sts",
            "がらす板",
            "わっせるまん",
        ]) {
            Some(Marker::Syphilis)
        } else if has(&["hiv"]) {
            Some(Marker::Hiv)
        } else if has(&["mrsa", "vre", "esbl", "cre", "mdrp", "耐性菌", "多剤耐性"]) {
            Some(Marker::ResistantOrganism)
        } else {
            None
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    Positive,
    Negative,
    /// The value says neither: shown as written.
    Unclear,
    NotTested,
}

#[derive(Clone, Debug, Serialize)]
pub struct InfectionMark {
    pub marker: Marker,
    pub finding: Finding,
    pub date: Option<Timestamp>,
    /// The value as sent.
    pub value: String,
    pub record: Option<usize>,
}

impl InfectionMark {
    /// `HBs(+) 2026-11-06`, `HCV(−)`, `梅毒 未検査`, `HIV 要確認 判定保留`.
    pub fn label_ja(&self) -> String {
        let day = self.date.map(|d| format!(" {}", d.date())).unwrap_or_default();
        match self.finding {
            Finding::Positive => format!("{}(+){day}", self.marker.label_ja()),
            Finding::Negative => format!("{}(−){day}", self.marker.label_ja()),
            Finding::Unclear => format!("{} 要確認 {}{day}", self.marker.label_ja(), self.value),
            // Cultures are not a test "for" resistant organisms: none found is not "untested".
            Finding::NotTested if self.marker == Marker::ResistantOrganism => "耐性菌 検出記録なし".into(),
            Finding::NotTested => format!("{} 未検査", self.marker.label_ja()),
        }
    }
}

/// The newest result of a marker so far: when, which record, what it says, the value.
type Newest = (Option<Timestamp>, usize, Finding, String);

/// Every marker, in [`Marker::ALL`] order, from its newest result.
pub fn infection_marks(records: &[Record]) -> Vec<InfectionMark> {
    let mut newest: Vec<Option<Newest>> = vec![None; Marker::ALL.len()];
    for (i, r) in records.iter().enumerate() {
        if r.status != RecordStatus::Current {
            continue;
        }
        let Clinical::LabResult(l) = &r.data else { continue };
        let marker = match Marker::of(&l.test.code, &l.test.text) {
            Some(m) => m,
            // A culture is named for the specimen (喀痰培養), not the organism: it counts only
            // when its result names a resistant organism.
            None if is_culture(&l.test.text) && names_resistant(&l.value) => Marker::ResistantOrganism,
            None => continue,
        };
        let mut finding = finding_of(&l.value, l.flag, l.range_high, l.number);
        // A culture names its organism: "MRSA" in the value itself is the finding.
        if marker == Marker::ResistantOrganism && finding == Finding::Unclear && names_resistant(&l.value) {
            finding = Finding::Positive;
        }
        let slot = &mut newest[marker as usize];
        let when = l.collected.or(l.reported).or(r.provenance.written_at);
        if slot.as_ref().is_none_or(|(t, _, _, _)| when >= *t) {
            *slot = Some((when, i, finding, l.value.clone()));
        }
    }
    Marker::ALL
        .iter()
        .zip(newest)
        .map(|(&marker, found)| match found {
            Some((date, record, finding, value)) => InfectionMark {
                marker,
                finding,
                date,
                value,
                record: Some(record),
            },
            None => InfectionMark {
                marker,
                finding: Finding::NotTested,
                date: None,
                value: String::new(),
                record: None,
            },
        })
        .collect()
}

fn is_culture(name: &str) -> bool {
    ["培養", "同定", "塗抹", "細菌"].iter().any(|w| name.contains(w))
}

fn names_resistant(value: &str) -> bool {
    let v = normalize(value);
    let says_not = ["検出せず", "検出されず", "陰性"].iter().any(|w| v.contains(w));
    !says_not
        && ["mrsa", "vre", "esbl", "cre", "mdrp", "耐性"]
            .iter()
            .any(|w| v.contains(w))
}

fn finding_of(value: &str, flag: Option<AbnormalFlag>, high: Option<f64>, number: Option<f64>) -> Finding {
    let v = normalize(value).replace(' ', "");
    let negative = [
        "陰性",
        "(-)",
        "-",
        "neg",
        "negative",
        "検出せず",
        "検出されず",
        "陰",
    ];
    let positive = [
        "陽性", "(+)", "+", "1+", "2+", "3+", "pos", "positive", "検出", "陽",
    ];
    if negative
        .iter()
        .any(|w| v == *w || v.starts_with(&format!("{w}(")) || v.starts_with("陰性"))
    {
        return Finding::Negative;
    }
    if positive.iter().any(|w| v == *w || v.starts_with("陽性")) || v.contains("(+)") {
        return Finding::Positive;
    }
    if v.contains("(-)") || v.contains("陰性") {
        return Finding::Negative;
    }
    match (flag, number, high) {
        (Some(AbnormalFlag::High | AbnormalFlag::CriticalHigh | AbnormalFlag::Abnormal), _, _) => {
            Finding::Positive
        }
        (_, Some(n), Some(h)) if n > h => Finding::Positive,
        (_, Some(_), Some(_)) => Finding::Negative,
        _ => Finding::Unclear,
    }
}
