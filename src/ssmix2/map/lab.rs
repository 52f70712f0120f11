//! Specimen tests: OML-01 orders (OML^O33) and OML-11 results (OUL^R22).

use super::ctx::Ctx;
use super::fields::{alt_code, clinician, code, opt_code};
use crate::hl7::{Message, Segment};
use crate::model::{AbnormalFlag, Clinical, Code, LabOrder, LabResult, Timestamp};

/// What the surrounding SPM / OBR / ORC say about the OBX rows that follow them.
#[derive(Default, Clone)]
struct Context {
    specimen: Option<Code>,
    collected: Option<Timestamp>,
    battery: Option<Code>,
    observed: Option<Timestamp>,
    reported: Option<Timestamp>,
    order_no: String,
    cancelled: bool,
}

pub fn map_results(ctx: &mut Ctx<'_>, msg: &Message) {
    let mut c = Context::default();
    let mut last_result: Option<usize> = None;
    for seg in &msg.segments {
        match seg.id() {
            "SPM" => {
                c = Context {
                    specimen: opt_code(seg.field(4)),
                    collected: ctx.time(seg, 17),
                    ..Context::default()
                };
            }
            "OBR" => {
                c.battery = opt_code(seg.field(4));
                c.observed = ctx.time(seg, 7);
                c.reported = ctx.time(seg, 22);
                let placer = seg.field(2).comp(1).trimmed();
                if !placer.is_empty() {
                    c.order_no = placer;
                }
            }
            "ORC" => {
                let placer = seg.field(2).comp(1).trimmed();
                if !placer.is_empty() {
                    c.order_no = placer;
                }
                c.cancelled = matches!(seg.field(1).trimmed().as_str(), "CA" | "DC");
            }
            "OBX" => {
                last_result = map_obx(ctx, seg, &c).then(|| ctx.records.len() - 1);
            }
            "NTE" => {
                // Comments belong to the result just before them.
                let text = seg
                    .field(3)
                    .reps()
                    .map(|r| r.text())
                    .collect::<Vec<_>>()
                    .join("\n");
                if let Some(i) = last_result
                    && !text.trim().is_empty()
                    && let Some(Clinical::LabResult(r)) = ctx.records.get_mut(i).map(|r| &mut r.data)
                {
                    r.comments.push(text);
                }
            }
            _ => {}
        }
    }
}

/// Returns whether a record was added.
fn map_obx(ctx: &mut Ctx<'_>, obx: &Segment, c: &Context) -> bool {
    let id = obx.field(3);
    let mut test = code(id);
    let local = alt_code(id);
    if test.is_empty() {
        if let Some(l) = &local {
            test = l.clone();
        } else {
            ctx.warn(
                obx,
                3,
                "result row without a test code or name; kept in the source only",
            );
            return false;
        }
    }
    let value_type = obx.field(2).trimmed();
    let value = result_value(ctx, obx, &value_type);
    let mut r = LabResult::new(test, value);
    r.local_test = local;
    r.value_type = value_type;
    r.unit = super::coded::unit(ctx, obx, 6, obx.field(6));
    // OBX-7 is a string: shown as written. A component separator in it means the sender did
    // not escape it; the text keeps it, and the range is not read as numbers.
    r.range = obx.field(7).text().trim().to_string();
    let split_range = obx.field(7).raw().contains(obx.field(7).delimiters().component);
    if split_range {
        ctx.warn(
            obx,
            7,
            format!(
                "reference range {:?} holds an unescaped component separator; shown as written",
                r.range
            ),
        );
    }
    if !split_range {
        (r.range_low, r.range_high) = parse_range(&r.range);
    }
    let flags: Vec<String> = obx
        .field(8)
        .reps()
        .map(|f| f.trimmed())
        .filter(|f| !f.is_empty())
        .collect();
    r.flag_code = flags.join("~");
    r.flag = flags.iter().find_map(|f| abnormal_flag(f));
    r.result_status = obx.field(11).trimmed();
    r.sub_id = obx.field(4).trimmed();
    r.specimen = c.specimen.clone();
    r.battery = c.battery.clone();
    r.collected = ctx.time(obx, 14).or(c.collected).or(c.observed);
    r.reported = c.reported;
    r.order_no = c.order_no.clone();
    // OBX-11 `X` (could not be obtained) and `D` (deleted) mean no valid result.
    let cancelled = c.cancelled || matches!(r.result_status.as_str(), "D" | "X");
    ctx.push(vec![obx.number], cancelled, Clinical::LabResult(r));
    true
}

/// The value as sent; coded values read as their text; SN pairs joined (`>` `100` → `> 100`).
fn result_value(ctx: &mut Ctx<'_>, obx: &Segment, value_type: &str) -> String {
    let parts: Vec<String> = obx
        .field(5)
        .reps()
        .map(|v| match value_type {
            // A coded value that does not parse as one is shown as written, not as a fragment.
            "CWE" | "CE" | "CNE" => super::coded::code_in(ctx, obx, 5, v, super::coded::CWE_PARTS)
                .display()
                .to_string(),
            "SN" => [1, 2, 3, 4]
                .iter()
                .map(|i| v.comp(*i).trimmed())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            "NM" => v.trimmed(),
            _ => v.text(),
        })
        .filter(|s| !s.is_empty())
        .collect();
    parts.join("、")
}

/// `6.70-8.3` → (6.7, 8.3); `<85` / `≦85` → (None, 85); `>40` → (40, None).
pub fn parse_range(range: &str) -> (Option<f64>, Option<f64>) {
    use crate::model::parse_number;
    let r = range.trim();
    if r.is_empty() {
        return (None, None);
    }
    for prefix in ["<=", "≦", "<", "＜"] {
        if let Some(rest) = r.strip_prefix(prefix) {
            return (None, parse_number(rest));
        }
    }
    for prefix in [">=", "≧", ">", "＞"] {
        if let Some(rest) = r.strip_prefix(prefix) {
            return (parse_number(rest), None);
        }
    }
    // Split on the first '-' / '～' / '〜' that is not a leading minus sign.
    let body = r
        .char_indices()
        .skip(1)
        .find(|(_, ch)| matches!(ch, '-' | '～' | '〜' | '−'));
    match body {
        Some((i, ch)) => (parse_number(&r[..i]), parse_number(&r[i + ch.len_utf8()..])),
        None => (None, None),
    }
}

pub(super) fn abnormal_flag(f: &str) -> Option<AbnormalFlag> {
    Some(match f {
        "H" | ">" => AbnormalFlag::High,
        "L" | "<" => AbnormalFlag::Low,
        "HH" => AbnormalFlag::CriticalHigh,
        "LL" => AbnormalFlag::CriticalLow,
        "A" | "AA" => AbnormalFlag::Abnormal,
        "N" => AbnormalFlag::Normal,
        _ => return None,
    })
}

/// What the ORC of a lab order says, for the OBR groups under it.
#[derive(Clone, Default)]
struct OrderContext {
    order_no: String,
    ordered_at: Option<Timestamp>,
    orderer: Option<crate::model::Clinician>,
    department: Option<Code>,
    cancelled: bool,
}

pub fn map_orders(ctx: &mut Ctx<'_>, msg: &Message) {
    let mut specimen = None;
    let mut collected = None;
    let mut orc_info: Option<OrderContext> = None;
    let mut current: Option<(LabOrder, Vec<u32>, bool)> = None;
    let flush = |ctx: &mut Ctx<'_>, cur: &mut Option<(LabOrder, Vec<u32>, bool)>| {
        if let Some((order, segs, cancelled)) = cur.take() {
            ctx.push(segs, cancelled, Clinical::LabOrder(order));
        }
    };
    for seg in &msg.segments {
        match seg.id() {
            "SPM" => {
                flush(ctx, &mut current);
                specimen = opt_code(seg.field(4));
                collected = ctx.time(seg, 17);
            }
            "ORC" => {
                flush(ctx, &mut current);
                orc_info = Some(OrderContext {
                    order_no: seg.field(2).comp(1).trimmed(),
                    ordered_at: ctx.time(seg, 9),
                    orderer: clinician(seg.field(12)),
                    department: opt_code(seg.field(17)),
                    cancelled: matches!(seg.field(1).trimmed().as_str(), "CA" | "DC"),
                });
            }
            "OBR" => {
                flush(ctx, &mut current);
                let OrderContext {
                    order_no,
                    ordered_at,
                    orderer,
                    department,
                    cancelled,
                } = orc_info.clone().unwrap_or_default();
                let order = LabOrder {
                    order_no: if order_no.is_empty() {
                        seg.field(2).comp(1).trimmed()
                    } else {
                        order_no
                    },
                    specimen: specimen.clone(),
                    battery: opt_code(seg.field(4)),
                    tests: Vec::new(),
                    collected,
                    ordered_at,
                    orderer: orderer.or_else(|| clinician(seg.field(16))),
                    department,
                };
                current = Some((order, vec![seg.number], cancelled));
            }
            "OBX" => {
                if let Some((order, segs, _)) = current.as_mut() {
                    let t = code(seg.field(3));
                    let t = if t.is_empty() {
                        alt_code(seg.field(3)).unwrap_or_default()
                    } else {
                        t
                    };
                    if !t.is_empty() {
                        order.tests.push(t);
                        segs.push(seg.number);
                    }
                } else {
                    ctx.problem(
                        seg,
                        None,
                        crate::report::Severity::Warning,
                        "test row before any OBR; kept in the source only",
                    );
                }
            }
            _ => {}
        }
    }
    flush(ctx, &mut current);
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("6.70-8.3"), (Some(6.7), Some(8.3)));
        assert_eq!(parse_range("<85"), (None, Some(85.0)));
        assert_eq!(parse_range("-1.0-1.0"), (Some(-1.0), Some(1.0)));
        assert_eq!(parse_range("陰性"), (None, None));
    }
}
