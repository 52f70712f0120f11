//! One total order for a patient's records, so that every path (index, direct read) and
//! every run lists them identically: by date, then by where they came from.

use super::census::natural_cmp;
use crate::model::Record;
use std::cmp::Ordering;

/// Newest first, undated last; ties broken by provenance (file, written time, message,
/// FHIR entry, segments), then kind and status, and finally the record's content.
pub fn newest_first(a: &Record, b: &Record) -> Ordering {
    super::newest_first(a.date(), b.date()).then_with(|| by_source(a, b))
}

/// Oldest first, undated last; the same tie-breaks as [`newest_first`].
pub fn oldest_first(a: &Record, b: &Record) -> Ordering {
    match (a.date(), b.date()) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| by_source(a, b))
}

fn by_source(a: &Record, b: &Record) -> Ordering {
    let (pa, pb) = (&a.provenance, &b.provenance);
    pa.file
        .cmp(&pb.file)
        .then_with(|| pa.written_at.cmp(&pb.written_at))
        .then_with(|| pa.message_id.cmp(&pb.message_id))
        .then_with(|| natural_cmp(&pa.entry, &pb.entry))
        .then_with(|| pa.segments.cmp(&pb.segments))
        .then_with(|| a.kind().cmp(&b.kind()))
        .then_with(|| a.status.cmp(&b.status))
        .then_with(|| content(a).cmp(&content(b)))
}

/// Last resort for two records from the same place: their JSON (rare, so not cached).
fn content(r: &Record) -> String {
    serde_json::to_string(&r.data).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Clinical, Provenance, RawRecord, RecordStatus, Timestamp};

    fn raw(file: &str, entry: &str, segments: Vec<u32>, text: &str) -> Record {
        Record {
            patient_id: "P1".into(),
            status: RecordStatus::Current,
            provenance: Provenance {
                file: file.into(),
                entry: entry.into(),
                segments,
                written_at: Timestamp::parse_iso("2026-01-01T00:00"),
                ..Provenance::default()
            },
            data: Clinical::Raw(RawRecord {
                text: text.into(),
                ..RawRecord::default()
            }),
        }
    }

    #[test]
    fn ties_on_date_follow_file_entry_segment_and_content_whatever_the_input_order() {
        let a = raw("b.ndjson", "line 2", vec![], "x");
        let b = raw("b.ndjson", "line 10", vec![], "x");
        let c = raw("a/OMP-01", "", vec![3], "y");
        let d = raw("a/OMP-01", "", vec![3], "x");
        let e = raw("a/OMP-01", "", vec![2], "z");
        let want = vec![e.clone(), d.clone(), c.clone(), a.clone(), b.clone()];
        for mut input in [
            vec![a.clone(), b.clone(), c.clone(), d.clone(), e.clone()],
            vec![e.clone(), d.clone(), c.clone(), b.clone(), a.clone()],
            vec![c, a, e, b, d],
        ] {
            input.sort_by(newest_first);
            assert_eq!(input, want);
        }
    }
}
