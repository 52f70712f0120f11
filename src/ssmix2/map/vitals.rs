//! Vital signs from extended storage: ORU^R30 in `L-OBSERVATIONS^OBSERVATIONS^99ZL01`
//! (NHO-VITAL). One OBX is one reading: JLAC10 9P100 temperature, 9P300 pulse, 9A751/9A761
//! systolic/diastolic, 9P200 respiration, and whatever else the sender measures (SpO2, weight,
//! in/out), kept with its code as sent so that the chart can place or list it. A systolic and a
//! diastolic OBX stay two records: the chart pairs them by time.

use super::ctx::Ctx;
use super::fields::{alt_code, code};
use crate::hl7::{Message, Segment};
use crate::model::{Clinical, Timestamp, Vital, parse_number};

pub fn map_oru_r30(ctx: &mut Ctx<'_>, msg: &Message) {
    // OBR-7 (observation time) applies to the OBX rows after it; ORC-1 CA/DC cancels them.
    let mut observed: Option<Timestamp> = None;
    let mut cancelled = false;
    for seg in &msg.segments {
        match seg.id() {
            "ORC" => cancelled = matches!(seg.field(1).trimmed().as_str(), "CA" | "DC"),
            "OBR" => observed = ctx.time(seg, 7),
            "OBX" => map_obx(ctx, seg, observed, cancelled),
            _ => {}
        }
    }
}

fn map_obx(ctx: &mut Ctx<'_>, obx: &Segment, observed: Option<Timestamp>, cancelled: bool) {
    let id = obx.field(3);
    let mut sign = code(id);
    if sign.is_empty() {
        match alt_code(id) {
            Some(local) => sign = local,
            None => {
                ctx.warn(
                    obx,
                    3,
                    "vital sign row without a code or name; kept in the source only",
                );
                return;
            }
        }
    }
    let value_type = obx.field(2).trimmed();
    let value = match value_type.as_str() {
        "CWE" | "CE" | "CNE" => super::coded::code_in(ctx, obx, 5, obx.field(5), super::coded::CWE_PARTS)
            .display()
            .to_string(),
        _ => obx.field(5).text().trim().to_string(),
    };
    if value.is_empty() {
        ctx.warn(
            obx,
            5,
            format!(
                "vital sign {} without a value; kept in the source only",
                sign.display()
            ),
        );
        return;
    }
    let number = parse_number(&value);
    if number.is_none() && matches!(value_type.as_str(), "NM" | "") {
        ctx.warn(
            obx,
            5,
            format!(
                "{} value {value:?} is not a number; listed as sent, not plotted",
                sign.display()
            ),
        );
    }
    let unit = super::coded::unit(ctx, obx, 6, obx.field(6));
    let flag = obx
        .field(8)
        .reps()
        .find_map(|f| super::lab::abnormal_flag(&f.trimmed()));
    // The measurement time is OBX-14, else OBR-7, else when the file was written (NHO-VITAL).
    let measured = ctx.time(obx, 14).or(observed).or(ctx.written_at);
    let status_void = matches!(obx.field(11).trimmed().as_str(), "D" | "X");
    ctx.push(
        vec![obx.number],
        cancelled || status_void,
        Clinical::Vital(Vital {
            sign,
            value,
            number,
            unit,
            components: Vec::new(),
            flag,
            measured,
        }),
    );
}
