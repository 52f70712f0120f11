//! Coded elements (CWE/CE) checked before they are read. A sender that forgets to escape `^`
//! (`10^3/μL`) or `&` splits one value into several parts; reading component 2 would then show
//! a fragment (`3/μL`). A value that does not parse as its type is shown as written, with a
//! warning that names the segment and field, never as a fragment.

use super::ctx::Ctx;
use super::fields::{code, sub_code};
use crate::hl7::{Field, Segment};
use crate::model::{Code, Quantity};

/// Components of a CE (units in OBX-6, RXE-5, RXC-4 ...).
pub const CE_PARTS: usize = 6;
/// Components of a CWE (v2.5: two triplets, two version ids, original text).
pub const CWE_PARTS: usize = 9;

/// Coding systems SS-MIX2 senders use (HL7 tables, JAHIS/JAMI/MEDIS tables, local `99xxx`).
pub fn known_system(system: &str) -> bool {
    let s = system.trim().to_ascii_uppercase();
    const EXACT: &[&str] = &[
        "JC10", "JC11", "JLAC10", "JLAC11", "ISO+", "ANS+", "UCUM", "MR9P", "MERIT-9", "YJ", "MYAK", "I10",
        "ICD10", "MDCDX", "MDCDX2", "L", "LN", "LOINC",
    ];
    const PREFIXES: &[&str] = &["HOT", "JHSD", "JHSI", "JHSP", "JHSR", "JAMI", "JJ1017", "JSHR"];
    if EXACT.contains(&s.as_str()) || PREFIXES.iter().any(|p| s.starts_with(p)) {
        return true;
    }
    // HL7 tables (`HL70162`) and local tables (`99XY1`, `99I02`).
    let tail = |p: &str| s.strip_prefix(p).filter(|t| !t.is_empty());
    tail("HL7").is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()))
        || tail("99").is_some_and(|t| {
            t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Why these parts (components or subcomponents, as sent) are not a sane coded value, or
/// `None` when they are. `unit` adds the check for a split power of ten.
pub fn judge(parts: &[String], max_parts: usize, unit: bool) -> Option<String> {
    let sent = parts
        .iter()
        .rposition(|p| !p.trim().is_empty())
        .map_or(0, |i| i + 1);
    if sent > max_parts {
        return Some(format!("has {sent} parts where the type has at most {max_parts}"));
    }
    for i in [2, 5] {
        let system = parts.get(i).map_or("", |s| s.trim());
        if !system.is_empty() && !known_system(system) {
            return Some(format!("names an unknown coding system {system:?}"));
        }
    }
    if unit && sent >= 2 {
        let first = parts[0].trim();
        let second = parts[1].trim();
        let ends_digit = first.chars().last().is_some_and(|c| c.is_ascii_digit());
        let starts_digit = second
            .trim_start_matches(['-', '+'])
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        if ends_digit && starts_digit {
            return Some("looks like an expression split at an unescaped separator".into());
        }
    }
    None
}

fn components(f: Field<'_>) -> Vec<String> {
    let first = f.reps().next().map_or("", |r| r.raw());
    first
        .split(f.delimiters().component)
        .map(str::to_string)
        .collect()
}

fn subcomponents(f: Field<'_>) -> Vec<String> {
    f.raw()
        .split(f.delimiters().subcomponent)
        .map(str::to_string)
        .collect()
}

/// The first repetition as written, escapes decoded.
fn as_written(f: Field<'_>) -> String {
    f.reps().next().map(|r| r.trimmed()).unwrap_or_default()
}

fn warn(ctx: &mut Ctx<'_>, seg: &Segment, field: usize, what: &str, shown: &str, reason: &str) {
    ctx.warn(seg, field, format!("{what} {shown:?} {reason}; shown as written"));
}

/// A unit (CE): its text, else its code; as written when malformed.
pub fn unit(ctx: &mut Ctx<'_>, seg: &Segment, field: usize, f: Field<'_>) -> String {
    if let Some(reason) = judge(&components(f), CE_PARTS, true) {
        let shown = as_written(f);
        warn(ctx, seg, field, "unit", &shown, &reason);
        return shown;
    }
    super::fields::unit(f)
}

/// A unit in subcomponents (`TAB&錠&MR9P`, as in RXE-19.2).
pub fn sub_unit(ctx: &mut Ctx<'_>, seg: &Segment, field: usize, f: Field<'_>) -> String {
    if let Some(reason) = judge(&subcomponents(f), CE_PARTS, true) {
        let shown = f.trimmed();
        warn(ctx, seg, field, "unit", &shown, &reason);
        return shown;
    }
    super::fields::sub_unit(f)
}

/// An amount field and its unit field, when the amount was sent.
pub fn quantity(ctx: &mut Ctx<'_>, seg: &Segment, amount: usize, unit_field: usize) -> Option<Quantity> {
    let v = seg.field(amount).comp(1).trimmed();
    if v.is_empty() {
        return None;
    }
    let u = unit(ctx, seg, unit_field, seg.field(unit_field));
    Some(Quantity::new(v, u))
}

/// A CWE/CE; when malformed, the whole value as written becomes the text (no code, no system).
pub fn code_in(ctx: &mut Ctx<'_>, seg: &Segment, field: usize, f: Field<'_>, max_parts: usize) -> Code {
    if let Some(reason) = judge(&components(f), max_parts, false) {
        let shown = as_written(f);
        warn(ctx, seg, field, "coded value", &shown, &reason);
        return Code::new("", shown, "");
    }
    code(f)
}

/// A CWE in one field (its first repetition).
pub fn field_code(ctx: &mut Ctx<'_>, seg: &Segment, field: usize) -> Code {
    code_in(ctx, seg, field, seg.field(field), CWE_PARTS)
}

pub fn opt_field_code(ctx: &mut Ctx<'_>, seg: &Segment, field: usize) -> Option<Code> {
    let c = field_code(ctx, seg, field);
    (!c.is_empty()).then_some(c)
}

/// A CWE carried in subcomponents (`code&text&system`, as in TQ1-3).
pub fn sub_code_in(ctx: &mut Ctx<'_>, seg: &Segment, field: usize, f: Field<'_>) -> Code {
    if let Some(reason) = judge(&subcomponents(f), CWE_PARTS, false) {
        let shown = f.trimmed();
        warn(ctx, seg, field, "coded value", &shown, &reason);
        return Code::new("", shown, "");
    }
    sub_code(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Vec<String> {
        s.split('^').map(str::to_string).collect()
    }

    #[test]
    fn systems_senders_use_are_known() {
        for s in [
            "HL70162",
            "99XY1",
            "99I02",
            "JC10",
            "ISO+",
            "MR9P",
            "HOT9",
            "JAMISDP01",
            "JHSP0005",
            "JJ1017",
            "JSHR002",
            "LN",
            "I10",
            "MDCDX2",
            "YJ",
        ] {
            assert!(known_system(s), "{s}");
        }
        for s in ["μL", "T3", "HL7", "99", "mg", "HL70162X"] {
            assert!(!known_system(s), "{s}");
        }
    }

    #[test]
    fn verdicts() {
        assert_eq!(judge(&parts("mg/dL^mg/dL^ISO+"), CE_PARTS, true), None);
        assert_eq!(judge(&parts("TAB^錠^MR9P"), CE_PARTS, true), None);
        assert_eq!(judge(&parts("%"), CE_PARTS, true), None);
        assert!(judge(&parts("10^3/μL"), CE_PARTS, true).is_some_and(|r| r.contains("split")));
        assert!(judge(&parts("x10^4/μL"), CE_PARTS, true).is_some());
        assert!(judge(&parts("10^6/μL^ISO+"), CE_PARTS, true).is_some());
        // Not a unit: a numeric code with a text is fine.
        assert_eq!(judge(&parts("01^3回目^99XYZ"), CWE_PARTS, false), None);
        assert!(
            judge(&parts("620007329^ソリタ^T3^HOT9"), CWE_PARTS, false).is_some_and(|r| r.contains("\"T3\""))
        );
        assert!(
            judge(&parts("a^b^L^c^d^LN^1^2^x^extra"), CWE_PARTS, false)
                .is_some_and(|r| r.contains("10 parts"))
        );
        // Trailing empty components are not counted.
        assert_eq!(judge(&parts("TAB^錠^MR9P^^^^^^^^"), CE_PARTS, true), None);
    }
}
