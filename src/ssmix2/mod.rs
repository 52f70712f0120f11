//! SS-MIX2 standardized storage: from a file's path and bytes to records and problems.

pub mod extended;
pub mod layout;
mod map;
pub mod versions;

use crate::hl7::{Message, TextEncoding, decode_segments};
use crate::ingest::FileOutcome;
use crate::model::{RecordStatus, Timestamp};
use crate::report::{FileStatus, Problem, Severity};
use layout::Placement;
use versions::Version;

/// Reads one file of a storage. Never fails: whatever goes wrong is in the outcome.
pub fn read_file(path: &str, bytes: &[u8], placement: &Placement, version: Option<&Version>) -> FileOutcome {
    let size = bytes.len() as u64;
    let mut problems = Vec::new();
    let warn =
        |problems: &mut Vec<Problem>, msg: String| problems.push(Problem::new(path, Severity::Warning, msg));
    // Who, what and when, as the path says.
    let (patient_id, data_type, written_at): (Option<String>, String, Option<Timestamp>) = match placement {
        Placement::Standard {
            folder_patient,
            folder_date,
            folder_type,
            name,
        } => {
            let written = match name {
                Ok(n) => {
                    if &n.patient_id != folder_patient {
                        warn(
                            &mut problems,
                            format!(
                                "file name says patient {} but the file is in patient folder {folder_patient}; filed under {folder_patient}",
                                n.patient_id
                            ),
                        );
                    }
                    if &n.care_date != folder_date {
                        warn(
                            &mut problems,
                            format!(
                                "file name says care date {} but the file is in date folder {folder_date}",
                                n.care_date
                            ),
                        );
                    }
                    if &n.data_type != folder_type {
                        warn(
                            &mut problems,
                            format!(
                                "file name says data type {} but the file is in folder {folder_type}",
                                n.data_type
                            ),
                        );
                    }
                    n.written_at
                }
                Err(e) => {
                    let lost = version.is_some_and(|v| v.status == RecordStatus::Unknown);
                    let then = if lost {
                        "condition flag lost with the name: status unknown (状態不明), not shown as current"
                    } else {
                        "version (condition flag) unknown, read as current"
                    };
                    warn(&mut problems, format!("{e}; {then}"));
                    None
                }
            };
            (Some(folder_patient.clone()), folder_type.clone(), written)
        }
        Placement::Loose { name } => {
            warn(&mut problems, "file is not in the SS-MIX2 folder layout (ID[0:3]/ID[3:6]/ID/date/type/); filed by its file name".into());
            (
                Some(name.patient_id.clone()),
                name.data_type.clone(),
                name.written_at,
            )
        }
        Placement::Extended {
            patient_id,
            data_type,
        } => {
            let written = extended::check_folders(path, patient_id, data_type, &mut problems);
            (Some(patient_id.clone()), data_type.clone(), written)
        }
        _ => (None, String::new(), None),
    };
    if let Some(note) = version.and_then(|v| v.note.clone()) {
        warn(&mut problems, note);
    }
    let source_type = if data_type.is_empty() {
        "HL7 (outside storage)".to_string()
    } else {
        data_type.clone()
    };
    let mut out = FileOutcome::new(path, size, source_type);
    out.patient_id = patient_id.clone();
    out.written_at = written_at;

    let reject = |mut out: FileOutcome, problems: Vec<Problem>, reason: String| {
        out.status = FileStatus::Rejected;
        out.problems = problems;
        out.problems.push(Problem::new(path, Severity::Error, reason));
        out
    };
    if bytes.is_empty() {
        return reject(out, problems, "empty file (0 bytes)".into());
    }
    if bytes.contains(&0) {
        return reject(
            out,
            problems,
            "binary data (contains NUL bytes): not an HL7 message".into(),
        );
    }
    let decoded = decode_segments(bytes);
    match decoded.encoding {
        TextEncoding::Iso2022Jp => {}
        TextEncoding::Utf8 | TextEncoding::Cp932 => problems.push(Problem::new(
            path,
            Severity::Warning,
            format!(
                "text is {}, not ISO-2022-JP as SS-MIX2 requires; decoded as {}",
                decoded.encoding.label(),
                decoded.encoding.label()
            ),
        )),
        TextEncoding::Mixed => problems.push(Problem::new(
            path,
            Severity::Warning,
            "bytes that are not ISO-2022-JP; those segments were decoded as CP932".to_string(),
        )),
    }
    for n in decoded.damaged_segments.iter().take(map::MAX_LISTED) {
        problems.push(
            Problem::new(
                path,
                Severity::Warning,
                "bytes that do not decode (broken or truncated escape sequence); shown as \u{FFFD}",
            )
            .at(format!("segment {n}")),
        );
    }
    let more = decoded.damaged_segments.len().saturating_sub(map::MAX_LISTED);
    if more > 0 {
        let line = format!("{more} more segments have bytes that do not decode; not listed one by one");
        problems.push(Problem::new(path, Severity::Warning, line));
    }
    if let Some(n) = decoded.unsplit_from {
        let line = format!(
            "more than {} segments: not an SS-MIX2 message; the rest of the file is kept unread as one block",
            crate::hl7::MAX_SEGMENTS
        );
        problems.push(Problem::new(path, Severity::Warning, line).at(format!("segment {n}")));
    }
    let msg = match Message::parse(decoded.segments) {
        Ok(m) => m,
        Err(e) => return reject(out, problems, e.to_string()),
    };
    let message_written = crate::hl7::parse_timestamp(msg.msh().field(7).comp(1).raw())
        .ok()
        .flatten();
    let Some(patient_id) = patient_id.or_else(|| {
        msg.first("PID")
            .map(|pid| pid.field(3).comp(1).trimmed())
            .filter(|s| !s.is_empty())
    }) else {
        return reject(
            out,
            problems,
            "HL7 message outside the storage layout and without a patient ID in PID-3".into(),
        );
    };
    if !matches!(
        placement,
        Placement::Standard { .. } | Placement::Loose { .. } | Placement::Extended { .. }
    ) {
        warn(
            &mut problems,
            format!("HL7 message outside the SS-MIX2 storage layout; filed under PID-3 patient {patient_id}"),
        );
    }
    let data_type = if data_type.is_empty() {
        msg.message_type().0
    } else {
        data_type
    };
    let mut ctx = map::Ctx {
        path,
        patient_id: &patient_id,
        data_type: &data_type,
        status: version.map_or(RecordStatus::Current, |v| v.status),
        message_id: msg.control_id(),
        written_at: written_at.or(message_written),
        records: Vec::new(),
        problems,
        suppressed: 0,
    };
    let mapped = map::map_message(&mut ctx, &msg);
    if ctx.suppressed > 0 {
        let line = format!(
            "{} more problems in this file are not listed one by one (only the first {})",
            ctx.suppressed,
            map::MAX_LISTED
        );
        ctx.problems.push(Problem::new(path, Severity::Warning, line));
    }
    out.patient_id = Some(patient_id.clone());
    out.drill = crate::chart::mode::hl7_marks_drill(msg.msh().field(11).comp(1).raw());
    out.written_at = ctx.written_at;
    out.problems = ctx.problems;
    out.records = ctx.records;
    for r in &mut out.records {
        r.provenance.drill = out.drill;
    }
    match mapped {
        map::Mapped::Done { demographics } => {
            out.demographics = demographics.map(|p| *p);
            out.settle_status();
        }
        map::Mapped::Unsupported { reason } => {
            out.status = FileStatus::Unsupported;
            out.problems.push(Problem::new(
                path,
                Severity::Info,
                format!("{reason}; kept as source text"),
            ));
        }
    }
    out
}
