//! Checks over the orders running now: the same drug (or the same class) active twice, and an
//! allergen that matches an active order.
//!
//! Drugs are compared by what the codes allow:
//! - the same drug: equal codes (any system), equal HOT7 (the first 7 digits of a HOT9/HOT13
//!   code name one drug product in any package), or equal names after normalization;
//! - the same class: equal YJ therapeutic class (the first 4 digits of a YJ code, 薬効分類).
//!
//! Allergens are matched against active orders by code (as above, the allergen being coded
//! with HOT or YJ) and by name (the allergen's normalized name inside the drug's, at least two
//! characters). A class such as 「ペニシリン系」 can only be matched when both sides carry a YJ
//! code; when they do not, [`AllergyCheck::limits`] says so in plain words.

use crate::model::{AllergyCategory, Code, DrugCodeSystem, MedicationOrder};
use crate::search::normalize;
use serde::Serialize;

/// What a drug can be compared by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrugKeys {
    /// Every code as `CODE` (upper-case, without system: systems are spelled many ways).
    pub codes: Vec<String>,
    /// HOT7 prefixes.
    pub hot7: Vec<String>,
    /// YJ therapeutic classes (4 digits).
    pub yj_class: Vec<String>,
    /// The normalized name.
    pub name: String,
}

impl DrugKeys {
    pub fn of_order(m: &MedicationOrder) -> Self {
        let mut k = DrugKeys {
            name: normalize(m.drug.display()).replace(' ', ""),
            ..DrugKeys::default()
        };
        k.add(&m.drug, Some(m.drug_system));
        for c in &m.other_codes {
            k.add(c, None);
        }
        k
    }

    /// An allergen coded as a drug (HOT or YJ), or only named.
    pub fn of_allergen(c: &Code) -> Self {
        let mut k = DrugKeys {
            name: normalize(c.display()).replace(' ', ""),
            ..DrugKeys::default()
        };
        k.add(c, None);
        k
    }

    fn add(&mut self, c: &Code, system: Option<DrugCodeSystem>) {
        let code = c.code.trim().to_ascii_uppercase();
        if code.is_empty() {
            return;
        }
        let sys = c.system.to_ascii_uppercase();
        let is_hot = system == Some(DrugCodeSystem::Hot) || sys.starts_with("HOT") || sys.contains("HOT");
        let is_yj = system == Some(DrugCodeSystem::Yj)
            || sys == "YJ"
            || sys.contains("YJ-CODE")
            || sys.contains("1.2.392.100495.20.2.73");
        if is_hot && code.len() >= 9 && code.chars().all(|ch| ch.is_ascii_digit()) {
            self.hot7.push(code[..7].to_string());
        }
        if is_yj && code.len() >= 4 && code.is_char_boundary(4) {
            self.yj_class.push(code[..4].to_string());
        }
        self.codes.push(code);
    }

    pub fn same_drug(&self, other: &DrugKeys) -> bool {
        self.codes.iter().any(|c| other.codes.contains(c))
            || self.hot7.iter().any(|c| other.hot7.contains(c))
            || (!self.name.is_empty() && self.name == other.name)
    }

    pub fn same_class(&self, other: &DrugKeys) -> bool {
        self.yj_class.iter().any(|c| other.yj_class.contains(c))
    }

    /// The allergen `self` matches the drug `drug`: by code, by class, or by name.
    pub fn allergen_matches(&self, drug: &DrugKeys) -> Option<MatchBy> {
        if self.codes.iter().any(|c| drug.codes.contains(c))
            || self.hot7.iter().any(|c| drug.hot7.contains(c))
        {
            return Some(MatchBy::Code);
        }
        if self.same_class(drug) {
            return Some(MatchBy::Class);
        }
        let name = self.name.trim_end_matches("系").trim_end_matches("製剤");
        if name.chars().count() >= 2
            && (drug.name.contains(name) || (drug.name.chars().count() >= 2 && name.contains(&drug.name)))
        {
            return Some(MatchBy::Name);
        }
        None
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchBy {
    Code,
    /// The YJ therapeutic class.
    Class,
    Name,
}

impl MatchBy {
    pub fn label_ja(self) -> &'static str {
        match self {
            MatchBy::Code => "コード一致",
            MatchBy::Class => "薬効分類一致",
            MatchBy::Name => "名称一致",
        }
    }
}

/// An allergy that matches an order running now.
#[derive(Clone, Debug, Serialize)]
pub struct AllergyMatch {
    /// Index into the chart's records of the allergy and of the order.
    pub allergy_record: usize,
    pub order_record: usize,
    pub allergen: String,
    pub drug: String,
    pub by: MatchBy,
}

impl AllergyMatch {
    /// `アレルギー「ペニシリン」と一致する薬剤: ペニシリンＧカリウム（名称一致）`.
    pub fn message_ja(&self) -> String {
        format!(
            "アレルギー「{}」と一致する薬剤: {}（{}）",
            self.allergen,
            self.drug,
            self.by.label_ja()
        )
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct AllergyCheck {
    pub matches: Vec<AllergyMatch>,
    /// What the codes did not allow to check, in plain Japanese; empty when every allergen and
    /// every active drug could be compared by class.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<String>,
}

/// Two active orders of the same drug, or of the same class.
#[derive(Clone, Debug, Serialize)]
pub struct DuplicateOrder {
    pub records: [usize; 2],
    pub drugs: [String; 2],
    /// The same drug (else the same YJ class).
    pub same_drug: bool,
}

impl DuplicateOrder {
    pub fn message_ja(&self) -> String {
        let what = if self.same_drug {
            "同一薬剤が重複"
        } else {
            "同効薬（同じ薬効分類）が重複"
        };
        if self.drugs[0] == self.drugs[1] {
            format!("{what}: {}", self.drugs[0])
        } else {
            format!("{what}: {} / {}", self.drugs[0], self.drugs[1])
        }
    }
}

/// One allergy as the check sees it.
pub struct AllergenIn<'a> {
    pub record: usize,
    pub category: AllergyCategory,
    pub allergen: &'a Code,
}

/// One active order as the check sees it.
pub struct OrderIn<'a> {
    pub record: usize,
    pub order: &'a MedicationOrder,
}

pub fn allergy_check(allergies: &[AllergenIn], orders: &[OrderIn]) -> AllergyCheck {
    let mut out = AllergyCheck::default();
    if allergies.is_empty() || orders.is_empty() {
        return out;
    }
    let drugs: Vec<(usize, &MedicationOrder, DrugKeys)> = orders
        .iter()
        .map(|o| (o.record, o.order, DrugKeys::of_order(o.order)))
        .collect();
    let mut uncoded_allergens = Vec::new();
    for a in allergies {
        // Food and other allergens are matched by name only (gelatin, egg in a drug's name).
        let keys = DrugKeys::of_allergen(a.allergen);
        if a.category == AllergyCategory::Drug && keys.yj_class.is_empty() {
            uncoded_allergens.push(a.allergen.display().to_string());
        }
        for (record, m, dk) in &drugs {
            let by = keys
                .allergen_matches(dk)
                .filter(|b| a.category == AllergyCategory::Drug || *b == MatchBy::Name);
            if let Some(by) = by {
                out.matches.push(AllergyMatch {
                    allergy_record: a.record,
                    order_record: *record,
                    allergen: a.allergen.display().to_string(),
                    drug: m.drug.display().to_string(),
                    by,
                });
            }
        }
    }
    let uncoded_drugs = drugs.iter().filter(|(_, _, k)| k.yj_class.is_empty()).count();
    if !uncoded_allergens.is_empty() {
        out.limits.push(format!(
            "薬剤アレルギー（{}）に薬効分類コード（YJ）がないため、同系統の薬剤は照合できません。名称の一致のみ確認しました。",
            uncoded_allergens.join("、")
        ));
    }
    if uncoded_drugs > 0 && uncoded_allergens.len() < allergies.len() {
        out.limits.push(format!(
            "実施中の薬剤 {uncoded_drugs} 件に薬効分類コード（YJ）がなく、系統での照合はできません。"
        ));
    }
    out
}

/// Pairs of active orders of the same drug or the same class (each pair once). Drugs of one
/// order are not compared with each other, and base solutions of injections (生理食塩液 carrying
/// several drips) are not compared at all.
pub fn duplicates(orders: &[OrderIn]) -> Vec<DuplicateOrder> {
    let orders: Vec<&OrderIn> = orders
        .iter()
        .filter(|o| !o.order.component_role.eq_ignore_ascii_case("B"))
        .collect();
    let keys: Vec<DrugKeys> = orders.iter().map(|o| DrugKeys::of_order(o.order)).collect();
    let mut out = Vec::new();
    for i in 0..orders.len() {
        for j in i + 1..orders.len() {
            let (a, b) = (orders[i].order, orders[j].order);
            if !a.order_no.is_empty() && a.order_no == b.order_no && a.kind == b.kind {
                continue;
            }
            let same_drug = keys[i].same_drug(&keys[j]);
            if same_drug || keys[i].same_class(&keys[j]) {
                out.push(DuplicateOrder {
                    records: [orders[i].record, orders[j].record],
                    drugs: [
                        orders[i].order.drug.display().to_string(),
                        orders[j].order.drug.display().to_string(),
                    ],
                    same_drug,
                });
            }
        }
    }
    out
}

/// A warning about the orders running now, as every face words it.
#[derive(Clone, Debug, Serialize)]
pub struct MedAlert {
    pub text: String,
    /// The records it is about (allergy and order, or the two orders).
    pub records: Vec<usize>,
}

/// Allergy matches first (they change what may be given), then duplicates.
pub fn alerts(check: &AllergyCheck, duplicates: &[DuplicateOrder]) -> Vec<MedAlert> {
    let mut out: Vec<MedAlert> = check
        .matches
        .iter()
        .map(|m| MedAlert {
            text: m.message_ja(),
            records: vec![m.allergy_record, m.order_record],
        })
        .collect();
    out.extend(duplicates.iter().map(|d| MedAlert {
        text: d.message_ja(),
        records: d.records.to_vec(),
    }));
    out
}
