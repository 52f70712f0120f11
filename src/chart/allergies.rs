//! Allergies: what must not be given. "No data" and "none known" are different answers and are
//! never shown alike.

use crate::model::{Allergy, AllergyCategory, Clinical, Record, RecordStatus, Timestamp};
use serde::Serialize;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AllergyStatus {
    /// Nothing current says anything about allergies (there may be removed or cancelled entries,
    /// listed in `inactive`).
    NoData,
    /// The data says no allergy is known, and lists none.
    NoneKnown,
    /// At least one allergy stands.
    Known,
}

/// The one table of allergy wording: the viewer's strip and tab, the printouts and `lifeboat
/// show` all take their words from here, so that "nothing recorded" and "the record says none"
/// can never be worded alike or swapped. The ambiguous 「アレルギー情報なし」 is used nowhere.
impl AllergyStatus {
    /// The headline: `アレルギー未記録`, `アレルギーなし（記録あり）`, `アレルギーあり`.
    pub fn headline_ja(self) -> &'static str {
        match self {
            AllergyStatus::NoData => "アレルギー未記録",
            AllergyStatus::NoneKnown => "アレルギーなし（記録あり）",
            AllergyStatus::Known => "アレルギーあり",
        }
    }

    /// What the headline means, in a sentence (empty for `Known`: the list says it).
    pub fn explain_ja(self) -> &'static str {
        match self {
            AllergyStatus::NoData => {
                "アレルギー歴の記録がありません（有無は不明）。本人・家族に確認してください。"
            }
            AllergyStatus::NoneKnown => "記録上、既知のアレルギーはありません。",
            AllergyStatus::Known => "",
        }
    }

    /// Headline and explanation on one line, as printed and shown where there is room.
    pub fn line_ja(self) -> String {
        match self.explain_ja() {
            "" => self.headline_ja().to_string(),
            e => format!("{}: {e}", self.headline_ja()),
        }
    }

    /// The short mark of a ward list (the census cover): `薬剤アレルギーあり` ...
    pub fn mark_ja(self, drug: bool) -> &'static str {
        match self {
            AllergyStatus::Known if drug => "薬剤アレルギーあり",
            AllergyStatus::Known => "あり（薬剤以外）",
            AllergyStatus::NoneKnown => "なし（記録あり）",
            AllergyStatus::NoData => "未記録",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct AllergyItem {
    /// The newest record saying this.
    pub record: usize,
    /// Older current records naming the same allergen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<usize>,
    pub category: AllergyCategory,
    pub allergen: String,
    pub severity: String,
    pub reaction: String,
    /// The onset date, or the onset as written (`小学校低学年の頃`).
    pub onset: String,
    pub recorded_at: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AllergyView {
    pub status: AllergyStatus,
    /// Standing allergies: drugs first, then food, then the rest; by allergen within a category.
    pub items: Vec<AllergyItem>,
    /// Current "no known allergy" statements (a FHIR no-known-allergy code, or an allergen
    /// written as 「なし」, see [`stated_absence`]).
    pub none_known: Vec<usize>,
    /// Current entries that say the allergies are unknown (「不明」, 「未確認」): not an allergy,
    /// and not "none" either; the status stays 未記録 unless something else is known.
    pub unknown: Vec<usize>,
    /// Removed, superseded or cancelled entries, for showing on demand.
    pub inactive: Vec<usize>,
}

impl AllergyView {
    pub fn build(records: &[Record]) -> Self {
        let mut items: Vec<AllergyItem> = Vec::new();
        let mut by_key: HashMap<(AllergyCategory, String), usize> = HashMap::new();
        let mut none_known = Vec::new();
        let mut unknown = Vec::new();
        let mut inactive = Vec::new();
        // Records are oldest first, so a later statement about the same allergen wins.
        for (i, r) in records.iter().enumerate() {
            let Clinical::Allergy(a) = &r.data else {
                continue;
            };
            let key = (a.category, allergen_key(a));
            if r.status != RecordStatus::Current || a.removed {
                // A current removal also takes back what was said before it.
                if r.status != RecordStatus::Superseded
                    && a.removed
                    && let Some(pos) = by_key.remove(&key)
                {
                    let gone = items.remove(pos);
                    inactive.push(gone.record);
                    inactive.extend(gone.also);
                    for v in by_key.values_mut() {
                        if *v > pos {
                            *v -= 1;
                        }
                    }
                }
                inactive.push(i);
                continue;
            }
            match stated_absence(a) {
                Some(Absence::None) => {
                    none_known.push(i);
                    continue;
                }
                Some(Absence::Unknown) => {
                    unknown.push(i);
                    continue;
                }
                None => {}
            }
            let item = item_of(i, a);
            match by_key.get(&key) {
                Some(&pos) => {
                    let old = std::mem::replace(&mut items[pos], item);
                    items[pos].also.push(old.record);
                    items[pos].also.extend(old.also);
                }
                None => {
                    by_key.insert(key, items.len());
                    items.push(item);
                }
            }
        }
        items.sort_by(|a, b| a.category.cmp(&b.category).then(a.allergen.cmp(&b.allergen)));
        inactive.sort_unstable();
        inactive.dedup();
        let status = if !items.is_empty() {
            AllergyStatus::Known
        } else if !none_known.is_empty() {
            AllergyStatus::NoneKnown
        } else {
            AllergyStatus::NoData
        };
        Self {
            status,
            items,
            none_known,
            unknown,
            inactive,
        }
    }

    /// Drug allergies only: what changes what may be given.
    pub fn drugs(&self) -> impl Iterator<Item = &AllergyItem> {
        self.items.iter().filter(|a| a.category == AllergyCategory::Drug)
    }
}

/// What an allergy entry says when it names no allergen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Absence {
    /// "No known allergy".
    None,
    /// "Not known / not asked".
    Unknown,
}

/// What does 「なし」 mean? Vendors send an AL1/IAM row (or a FHIR AllergyIntolerance) whose
/// allergen is the word 「なし」 to say the patient has none. The rule: an entry flagged
/// `none_known`, or whose allergen is uncoded (or locally coded) and reads, after NFKC and
/// without spaces or punctuation, as なし / 無し / 特になし / アレルギーなし / 該当なし / NKA /
/// NKDA, says "none known"; one reading 不明 / 未確認 / 未聴取 / unknown says "not known". Such
/// an entry is never listed as an allergen called 「なし」.
pub fn stated_absence(a: &Allergy) -> Option<Absence> {
    if a.none_known {
        return Some(Absence::None);
    }
    let national = matches!(
        a.allergen.system.to_ascii_uppercase().as_str(),
        s if s.starts_with("HOT") || s == "YJ" || s == "JC10" || s.contains("SNOMED")
    );
    if national {
        return None;
    }
    let text: String = a
        .allergen
        .display()
        .nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '.' | '・' | '-' | '(' | ')' | '（' | '）'))
        .collect::<String>()
        .to_lowercase();
    let text = text.trim_start_matches("アレルギー").trim_start_matches("薬剤");
    match text {
        "なし"
        | "無し"
        | "無"
        | "特になし"
        | "特に無し"
        | "アレルギーなし"
        | "該当なし"
        | "既知のアレルギーなし"
        | "nka"
        | "nkda"
        | "none"
        | "noknownallergy"
        | "noknownallergies" => Some(Absence::None),
        "不明" | "未確認" | "未聴取" | "確認中" | "unknown" => Some(Absence::Unknown),
        _ => None,
    }
}

/// The same allergen across sources and versions: the code with its system when there is one,
/// else the name (NFKC, no spaces).
fn allergen_key(a: &Allergy) -> String {
    if a.allergen.code.is_empty() {
        a.allergen.text.nfkc().filter(|c| !c.is_whitespace()).collect()
    } else {
        format!("{}|{}", a.allergen.system, a.allergen.code)
    }
}

fn item_of(record: usize, a: &Allergy) -> AllergyItem {
    AllergyItem {
        record,
        also: Vec::new(),
        category: a.category,
        allergen: a.allergen.display().to_string(),
        severity: a
            .severity
            .as_ref()
            .map(|s| s.display().to_string())
            .unwrap_or_default(),
        reaction: a.reaction.clone(),
        onset: a
            .onset
            .map(|o| o.to_iso())
            .unwrap_or_else(|| a.onset_text.clone()),
        recorded_at: a.recorded_at,
    }
}
