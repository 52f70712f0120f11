//! TQ1 of a drug order: every dosage repetition of every TQ1, duration in days, start and end.
//! JAHIS sends supplementary dosages (「１日おき」, 「月曜日、木曜日」, 「隔日」) as further TQ1-3
//! repetitions beside the main one, and stepped regimens as several TQ1 segments.

use super::coded::{CWE_PARTS, code_in, sub_code_in};
use super::ctx::Ctx;
use crate::hl7::{Field, Segment};
use crate::model::{Code, MedicationOrder};

/// Reads every TQ1 of one order group into `m`: the first dosage repetition is `dosage`, the
/// rest `more_dosages`, in the order sent.
pub fn read_tq1s(ctx: &mut Ctx<'_>, m: &mut MedicationOrder, tq1s: &[&Segment]) {
    let mut dosages: Vec<Code> = Vec::new();
    let mut durations: Vec<(u32, u32)> = Vec::new(); // (days, segment number)
    let mut sequential = true;
    for (i, tq1) in tq1s.iter().enumerate() {
        for rep in tq1.field(3).reps() {
            if let Some(c) = dosage(ctx, tq1, rep) {
                dosages.push(c);
            }
        }
        if let Some(days) = duration(ctx, m, tq1) {
            durations.push((days, tq1.number));
        }
        // TQ1-12 `S` (synchronous): the next TQ1 follows this one, so their durations add up.
        if i + 1 < tq1s.len() && tq1.field(12).trimmed() != "S" {
            sequential = false;
        }
        let text = tq1.field(11).text();
        if !text.is_empty() && !m.instructions.contains(&text) {
            m.instructions.push(text);
        }
    }
    let mut dosages = dosages.into_iter();
    m.dosage = dosages.next();
    m.more_dosages = dosages.collect();
    read_days(ctx, m, tq1s, &durations, sequential);
    read_period(ctx, m, tq1s);
}

/// One TQ1-3 repetition. Component 1 is a CWE in subcomponents (`code&text&system`); a pattern
/// sent in components instead (`code^text^system`) is read as a CWE when it parses as one.
fn dosage(ctx: &mut Ctx<'_>, tq1: &Segment, rep: Field<'_>) -> Option<Code> {
    let first = rep.comp(1);
    let in_components = !rep.comp(2).is_empty() || !rep.comp(3).is_empty();
    let c = if first.raw().contains(rep.delimiters().subcomponent) {
        sub_code_in(ctx, tq1, 3, first)
    } else if in_components {
        // RPT components 2.. are calendar alignment, phase, period: never a dosage text.
        ctx.warn(
            tq1,
            3,
            "dosage sent in components instead of subcomponents; read as code^text^system",
        );
        code_in(ctx, tq1, 3, rep, CWE_PARTS)
    } else {
        Code::new("", first.trimmed(), "")
    };
    (!c.is_empty()).then_some(with_jami_text(c))
}

/// A JAMI 16-character dosage code sent without its text gets the text its structure says
/// (`1013044400000000` → 内服・経口・１日３回朝昼夕食後); a code it cannot decode stays a code.
fn with_jami_text(mut c: Code) -> Code {
    if c.text.is_empty()
        && c.code.len() == 16
        && let Some(text) = crate::codes::jami_usage::describe(&c.code)
    {
        c.text = text;
    }
    c
}

/// TQ1-6 in days, or `None` (an unreadable duration is kept as an instruction and warned).
fn duration(ctx: &mut Ctx<'_>, m: &mut MedicationOrder, tq1: &Segment) -> Option<u32> {
    let duration = tq1.field(6);
    let amount = duration.comp(1).trimmed();
    if amount.is_empty() {
        return None;
    }
    let unit_code = duration.comp(2).sub(1).trimmed();
    let unit_text = duration.comp(2).sub(2).trimmed();
    let per = match unit_code.as_str() {
        "" | "d" | "D" | "日" | "日分" => Some(1),
        "wk" | "w" | "W" | "週" => Some(7),
        _ if unit_text.contains('日') => Some(1),
        _ => None,
    };
    match (amount.parse::<u32>(), per) {
        (Ok(n), Some(per)) => Some(n.saturating_mul(per)),
        _ => {
            ctx.warn(
                tq1,
                6,
                format!("duration {amount} {unit_code} is not a number of days; shown as written"),
            );
            m.instructions.push(format!("期間: {amount}{unit_code}"));
            None
        }
    }
}

/// Days supplied: the sum when the TQ1s follow each other (TQ1-12 `S`), else the first TQ1's;
/// a different duration in another TQ1 is warned and kept as an instruction.
fn read_days(
    ctx: &mut Ctx<'_>,
    m: &mut MedicationOrder,
    tq1s: &[&Segment],
    durations: &[(u32, u32)],
    sequential: bool,
) {
    let Some(&(first, _)) = durations.first() else {
        return;
    };
    if tq1s.len() > 1 && sequential && durations.len() == tq1s.len() {
        m.days = Some(durations.iter().fold(0u32, |a, (d, _)| a.saturating_add(*d)));
        return;
    }
    m.days = Some(first);
    for &(days, number) in &durations[1..] {
        if days != first
            && let Some(seg) = tq1s.iter().find(|s| s.number == number)
        {
            ctx.warn(
                seg,
                6,
                format!("duration {days} days differs from the first TQ1's {first}; both shown"),
            );
            m.instructions.push(format!("期間: {days}日"));
        }
    }
}

/// Start and end: the earliest start and the latest end over all TQ1s, warned when they differ.
fn read_period(ctx: &mut Ctx<'_>, m: &mut MedicationOrder, tq1s: &[&Segment]) {
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for tq1 in tq1s {
        if let Some(t) = ctx.time(tq1, 7) {
            starts.push(t);
        }
        if let Some(t) = ctx.time(tq1, 8) {
            ends.push(t);
        }
    }
    m.start = starts.iter().min().copied();
    m.end = ends.iter().max().copied();
    let differ = |v: &[crate::model::Timestamp]| v.windows(2).any(|w| w[0] != w[1]);
    if (differ(&starts) || differ(&ends))
        && let Some(last) = tq1s.last()
    {
        ctx.warn(
            last,
            7,
            "TQ1 segments give different start/end times; the earliest start and latest end are shown",
        );
    }
}
