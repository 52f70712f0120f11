//! From one parsed message to records: choose the mapping from the data type and MSH-9, check
//! the segments, and keep anything that could not be mapped as a raw record.

mod administration;
mod allergy;
mod coded;
mod ctx;
mod diagnosis;
mod diet;
mod encounter;
mod fields;
mod groups;
mod lab;
mod medication;
mod patient;
mod procedure;
mod timing;
mod vitals;

pub use ctx::{Ctx, MAX_LISTED};

use crate::hl7::Message;
use crate::model::{
    Clinical, EncounterEvent, OrderKind, Patient, ProcedureCategory, ProcedureStage, RawRecord,
};
use crate::report::Severity;

/// What a message is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mapping {
    PatientMaster,
    Event(EncounterEvent, bool),
    Allergies,
    Problems,
    Diet,
    Order(OrderKind),
    Administration(OrderKind),
    LabOrder,
    LabResult,
    Exam(ProcedureCategory, ProcedureStage),
    Vitals,
}

impl Mapping {
    /// Segments that belong in such a message; others are reported and kept in the source.
    fn segments(self) -> &'static [&'static str] {
        match self {
            Mapping::PatientMaster => &[
                "MSH", "EVN", "PID", "PD1", "NK1", "PV1", "PV2", "DB1", "OBX", "AL1", "IN1", "IN2", "ZI1",
                "ROL", "GT1", "MRG",
            ],
            Mapping::Event(..) => &[
                "MSH", "EVN", "PID", "PD1", "NK1", "PV1", "PV2", "DB1", "OBX", "AL1", "IN1", "ORC", "ZPD",
                "ROL", "MRG", "ZI1",
            ],
            Mapping::Allergies => &["MSH", "EVN", "PID", "PV1", "IAM", "NTE"],
            Mapping::Problems => &["MSH", "PID", "PV1", "PRB", "ZPR", "ZPD", "ZI1", "ORC", "NTE"],
            Mapping::Diet => &[
                "MSH", "PID", "PV1", "AL1", "ORC", "TQ1", "TQ2", "ODS", "ODT", "NTE",
            ],
            Mapping::Order(_) => &[
                "MSH", "PID", "PV1", "PV2", "AL1", "IN1", "ZI1", "ORC", "TQ1", "TQ2", "RXE", "RXR", "RXC",
                "OBX", "CTI", "NTE",
            ],
            Mapping::Administration(_) => &[
                "MSH", "PID", "PV1", "ORC", "TQ1", "TQ2", "RXE", "RXA", "RXR", "RXC", "OBX", "CTI", "NTE",
            ],
            Mapping::LabOrder | Mapping::LabResult => &[
                "MSH", "PID", "PV1", "SPM", "SAC", "ORC", "TQ1", "OBR", "OBX", "NTE",
            ],
            Mapping::Vitals => &[
                "MSH", "PID", "PV1", "PV2", "ORC", "OBR", "TQ1", "OBX", "NTE", "SPM",
            ],
            Mapping::Exam(..) => &[
                "MSH", "PID", "PV1", "PV2", "AL1", "ORC", "TQ1", "OBR", "OBX", "IPC", "ZE1", "ZE2", "ZE3",
                "NTE", "CTI",
            ],
        }
    }
}

/// The mapping a data type calls for (with the trigger for ADT types, whose folders hold both
/// the event and its cancellation).
fn by_data_type(data_type: &str, trigger: &str) -> Option<Mapping> {
    Some(match data_type {
        "ADT-00" => Mapping::PatientMaster,
        "ADT-61" => Mapping::Allergies,
        "PPR-01" => Mapping::Problems,
        "OMD" => Mapping::Diet,
        "OMP-01" => Mapping::Order(OrderKind::Prescription),
        "OMP-02" => Mapping::Order(OrderKind::Injection),
        "OMP-11" => Mapping::Administration(OrderKind::Prescription),
        "OMP-12" => Mapping::Administration(OrderKind::Injection),
        "OML-01" => Mapping::LabOrder,
        "OML-11" => Mapping::LabResult,
        "OMG-01" | "OMG-02" | "OMG-03" => {
            Mapping::Exam(procedure::category_for(data_type), ProcedureStage::Order)
        }
        "OMG-11" | "OMG-12" => Mapping::Exam(procedure::category_for(data_type), ProcedureStage::Performed),
        crate::ssmix2::extended::VITALS_TYPE => Mapping::Vitals,
        "OMG-13" => Mapping::Exam(procedure::category_for(data_type), ProcedureStage::Report),
        _ => {
            let event = encounter::event_for_data_type(data_type)?;
            match encounter::event_for(trigger) {
                Some((e, cancel)) if e == event => Mapping::Event(e, cancel),
                _ => Mapping::Event(event, false),
            }
        }
    })
}

/// The mapping MSH-9 calls for; the data type settles what MSH-9 alone cannot.
fn by_message_type(kind: &str, trigger: &str, data_type: &str) -> Option<Mapping> {
    let injection = matches!(data_type, "OMP-02" | "OMP-12");
    let order_kind = if injection {
        OrderKind::Injection
    } else {
        OrderKind::Prescription
    };
    let category = procedure::category_for(data_type);
    Some(match (kind, trigger) {
        ("ADT", "A08" | "A23" | "A31" | "A28") => Mapping::PatientMaster,
        ("ADT", "A60") => Mapping::Allergies,
        ("ADT", t) => {
            let (e, cancel) = encounter::event_for(t)?;
            Mapping::Event(e, cancel)
        }
        ("PPR", _) => Mapping::Problems,
        ("OMD", _) => Mapping::Diet,
        ("RDE", _) => Mapping::Order(order_kind),
        ("RAS", _) => Mapping::Administration(order_kind),
        ("OML", _) => Mapping::LabOrder,
        ("OUL", _) => Mapping::LabResult,
        ("OMG", _) => Mapping::Exam(category, ProcedureStage::Order),
        ("OMI", _) => Mapping::Exam(category, ProcedureStage::Performed),
        ("ORU", _) if data_type == crate::ssmix2::extended::VITALS_TYPE => Mapping::Vitals,
        ("ORU", _) if category != ProcedureCategory::Other => Mapping::Exam(category, ProcedureStage::Report),
        ("ORU", _) => Mapping::LabResult,
        _ => return None,
    })
}

/// What became of the message as a whole.
pub enum Mapped {
    /// Read; records and problems are in the context.
    Done { demographics: Option<Box<Patient>> },
    /// A message this reader does not know; kept as a raw record in the context.
    Unsupported { reason: String },
}

pub fn map_message(ctx: &mut Ctx<'_>, msg: &Message) -> Mapped {
    let (kind, trigger) = msg.message_type();
    let msg_type = if trigger.is_empty() {
        kind.clone()
    } else {
        format!("{kind}^{trigger}")
    };
    let from_type = by_data_type(ctx.data_type, &trigger);
    let from_msg = by_message_type(&kind, &trigger, ctx.data_type);
    let mapping = match (from_type, from_msg) {
        (Some(t), Some(m)) if same_family(t, m) => m,
        (Some(_), Some(m)) | (None, Some(m)) => {
            let note = if from_type.is_some() {
                format!(
                    "message type {msg_type} does not belong in data type {}; read as {msg_type}",
                    ctx.data_type
                )
            } else {
                format!(
                    "unknown data type {:?}; read by its message type {msg_type}",
                    ctx.data_type
                )
            };
            ctx.problem(msg.msh(), Some(9), Severity::Warning, note);
            m
        }
        (Some(t), None) => {
            ctx.problem(
                msg.msh(),
                Some(9),
                Severity::Warning,
                format!(
                    "MSH-9 message type {msg_type:?} is not what data type {} holds; read as {}",
                    ctx.data_type, ctx.data_type
                ),
            );
            t
        }
        (None, None) => {
            let reason = format!(
                "data type {:?} with message type {msg_type:?} is not an SS-MIX2 type this version reads",
                ctx.data_type
            );
            let source_type = format!("{} ({msg_type})", ctx.data_type);
            keep_raw(ctx, msg, source_type, &reason);
            return Mapped::Unsupported { reason };
        }
    };
    check_segments(ctx, msg, mapping);
    let before = ctx.records.len();
    let pid = msg.first("PID");
    let mut demographics = None;
    match mapping {
        Mapping::PatientMaster => {
            patient::map_adt00(ctx, msg, &trigger);
            demographics = ctx.records.iter().find_map(|r| match &r.data {
                Clinical::Patient(p) => Some(Box::new(p.clone())),
                _ => None,
            });
        }
        _ => {
            if let Some(pid) = pid {
                demographics = Some(Box::new(patient::read_pid(ctx, pid, true)));
            } else {
                ctx.problem(
                    msg.msh(),
                    None,
                    Severity::Warning,
                    "message has no PID segment; filed by its storage path only",
                );
            }
            match mapping {
                Mapping::Event(e, cancel) => encounter::map_adt_event(ctx, msg, e, cancel, &trigger),
                Mapping::Allergies => allergy::map_adt61(ctx, msg),
                Mapping::Problems => diagnosis::map_ppr01(ctx, msg),
                Mapping::Diet => diet::map_omd(ctx, msg),
                Mapping::Order(k) => medication::map_rde(ctx, msg, k),
                Mapping::Administration(k) => administration::map_ras(ctx, msg, k),
                Mapping::LabOrder => lab::map_orders(ctx, msg),
                Mapping::LabResult => lab::map_results(ctx, msg),
                Mapping::Exam(c, s) => procedure::map_omg(ctx, msg, c, s),
                Mapping::Vitals => vitals::map_oru_r30(ctx, msg),
                Mapping::PatientMaster => {}
            }
        }
    }
    if ctx.records.len() == before && !matches!(mapping, Mapping::Allergies) {
        // Nothing clinical came out: keep the message itself so it can still be read.
        ctx.problem(
            msg.msh(),
            None,
            Severity::Warning,
            format!("{msg_type} message gave no records; kept as source text"),
        );
        keep_raw(ctx, msg, msg_type, "no records could be read from this message");
    }
    Mapped::Done { demographics }
}

/// Keeps a whole message as a raw record with its decoded text, so it can still be read.
fn keep_raw(ctx: &mut Ctx<'_>, msg: &Message, source_type: String, reason: &str) {
    let text = msg
        .segments
        .iter()
        .map(|s| s.text())
        .collect::<Vec<_>>()
        .join("\n");
    let time = ctx.written_at;
    ctx.push(
        msg.segments.iter().map(|s| s.number).collect(),
        false,
        Clinical::Raw(RawRecord {
            source_type,
            reason: reason.to_string(),
            text,
            time,
        }),
    );
}

fn same_family(a: Mapping, b: Mapping) -> bool {
    match (a, b) {
        (Mapping::Event(x, _), Mapping::Event(y, _)) => x == y,
        (Mapping::Order(_), Mapping::Order(_)) | (Mapping::Administration(_), Mapping::Administration(_)) => {
            true
        }
        (Mapping::Exam(x, _), Mapping::Exam(y, _)) => x == y,
        _ => a == b,
    }
}

/// Reports segments that do not belong (junk, other message types) and empty ones.
fn check_segments(ctx: &mut Ctx<'_>, msg: &Message, mapping: Mapping) {
    let allowed = mapping.segments();
    for seg in &msg.segments[1..] {
        let id = seg.id();
        let well_formed = id.len() == 3 && id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !well_formed {
            let shown: String = seg.text().chars().take(30).collect();
            ctx.problem(
                seg,
                None,
                Severity::Warning,
                format!("not an HL7 segment ({shown:?}); kept in the source only"),
            );
        } else if seg.field_count() == 0 {
            ctx.problem(seg, None, Severity::Warning, format!("empty {id} segment"));
        } else if !allowed.contains(&id) {
            ctx.problem(
                seg,
                None,
                Severity::Warning,
                format!("{id} segment does not belong in this message; kept in the source only"),
            );
        }
    }
}
