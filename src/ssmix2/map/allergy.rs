//! Allergies: ADT-61 IAM rows and ADT-00 AL1 rows.

use super::ctx::Ctx;
use super::fields::{code, opt_code};
use crate::hl7::{Message, Segment};
use crate::model::{Allergy, AllergyCategory, Clinical, Code};

/// HL7 table 0127, with the Japanese text as a fallback for local codes.
fn category(c: &Code) -> AllergyCategory {
    match c.code.as_str() {
        "DA" | "MA" => AllergyCategory::Drug,
        "FA" => AllergyCategory::Food,
        "EA" => AllergyCategory::Environment,
        "LA" => AllergyCategory::Pollen,
        _ if c.text.contains('薬') => AllergyCategory::Drug,
        _ if c.text.contains("食") => AllergyCategory::Food,
        _ if c.text.contains("花粉") => AllergyCategory::Pollen,
        _ => AllergyCategory::Other,
    }
}

pub fn map_adt61(ctx: &mut Ctx<'_>, msg: &Message) {
    let recorded = msg.first("EVN").and_then(|evn| ctx.time(evn, 2));
    for iam in msg.all("IAM") {
        let allergen = code(iam.field(3));
        if allergen.is_empty() {
            ctx.warn(iam, 3, "IAM row without an allergen; kept in the source only");
            continue;
        }
        let category_code = code(iam.field(2));
        let action = iam.field(6).comp(1).trimmed();
        // IAM-11 is a date, but some systems put words there ("小学校低学年の頃"): keep them.
        let onset_raw = iam.field(11).text();
        let onset = crate::hl7::parse_timestamp(&onset_raw).ok().flatten();
        let mut onset_text = iam.field(12).text();
        if onset.is_none() && !onset_raw.trim().is_empty() && onset_text.is_empty() {
            onset_text = onset_raw;
        }
        let a = Allergy {
            category: category(&category_code),
            category_code,
            allergen,
            severity: opt_code(iam.field(4)),
            reaction: iam.field(5).text(),
            onset,
            onset_text,
            removed: action == "D",
            none_known: false,
            recorded_at: ctx.time(iam, 13).or(recorded),
        };
        ctx.push(vec![iam.number], action == "D", Clinical::Allergy(a));
    }
}

pub fn map_al1(ctx: &mut Ctx<'_>, al1: &Segment) {
    let allergen = code(al1.field(3));
    if allergen.is_empty() {
        ctx.warn(al1, 3, "AL1 row without an allergen; kept in the source only");
        return;
    }
    let category_code = code(al1.field(2));
    let a = Allergy {
        category: category(&category_code),
        category_code,
        allergen,
        severity: opt_code(al1.field(4)),
        reaction: al1
            .field(5)
            .reps()
            .map(|r| r.text())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("、"),
        onset: ctx.time(al1, 6),
        onset_text: String::new(),
        removed: false,
        none_known: false,
        recorded_at: None,
    };
    ctx.push(vec![al1.number], false, Clinical::Allergy(a));
}
