//! The mapping context: one message of one file, collecting records and problems.

use crate::hl7::{Segment, parse_timestamp};
use crate::model::{Clinical, Provenance, Record, RecordStatus, Timestamp};
use crate::report::{Problem, Severity};

pub struct Ctx<'a> {
    pub path: &'a str,
    pub patient_id: &'a str,
    pub data_type: &'a str,
    /// Status from the condition flag; content can only make it worse (cancelled).
    pub status: RecordStatus,
    pub message_id: String,
    pub written_at: Option<Timestamp>,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Problems past [`MAX_LISTED`]: counted, not listed.
    pub suppressed: usize,
}

/// Problem lines kept per file: a hostile file with millions of bad segments must not give
/// millions of lines (time, memory); the rest are counted in one line.
pub const MAX_LISTED: usize = 100;

impl<'a> Ctx<'a> {
    pub fn problem(
        &mut self,
        seg: &Segment,
        field: Option<usize>,
        severity: Severity,
        message: impl Into<String>,
    ) {
        if self.problems.len() >= MAX_LISTED {
            self.suppressed += 1;
            return;
        }
        // A junk line has no segment id (its "id" is the whole line): give the number only.
        let id = seg.id();
        let is_id = id.len() == 3 && id.bytes().all(|b| b.is_ascii_alphanumeric());
        let place = match field {
            Some(f) if is_id => format!("segment {} ({id}-{f})", seg.number),
            None if is_id => format!("segment {} ({id})", seg.number),
            _ => format!("segment {}", seg.number),
        };
        self.problems
            .push(Problem::new(self.path, severity, message).at(place));
    }

    pub fn warn(&mut self, seg: &Segment, field: usize, message: impl Into<String>) {
        self.problem(seg, Some(field), Severity::Warning, message);
    }

    /// A time field; an unreadable value becomes a warning and `None`, never a failure.
    pub fn time(&mut self, seg: &Segment, field: usize) -> Option<Timestamp> {
        self.time_of(seg, field, seg.field(field).comp(1).raw())
    }

    /// A time given inside a component or subcomponent of `field`.
    pub fn time_of(&mut self, seg: &Segment, field: usize, raw: &str) -> Option<Timestamp> {
        match parse_timestamp(raw) {
            Ok(t) => t,
            Err(e) => {
                self.warn(seg, field, e.to_string());
                None
            }
        }
    }

    /// Adds a record built from `segments`; `cancelled` is what the content says.
    pub fn push(&mut self, segments: Vec<u32>, cancelled: bool, data: Clinical) {
        let status = match (self.status, cancelled) {
            (RecordStatus::Current | RecordStatus::Unknown, true) => RecordStatus::Cancelled,
            (s, _) => s,
        };
        self.records.push(Record {
            patient_id: self.patient_id.to_string(),
            status,
            provenance: Provenance {
                file: self.path.to_string(),
                data_type: self.data_type.to_string(),
                message_id: self.message_id.clone(),
                segments,
                entry: String::new(),
                written_at: self.written_at,
                drill: false,
            },
            data,
        });
    }
}
