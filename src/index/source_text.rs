//! The original text behind a record, for the "元データ" view: each reader renders its own
//! format (HL7 segments, the FHIR resource); this only finds the file and bounds the size.

use crate::model::Record;
use crate::source::Snapshot;
use anyhow::Context;

/// Shown at most, so that a huge file cannot stall the viewer.
const MAX_CHARS: usize = 200_000;

pub fn of(snapshot: &Snapshot, record: &Record) -> anyhow::Result<String> {
    let p = &record.provenance;
    let bytes = snapshot
        .read_path(&p.file)
        .with_context(|| format!("reading {}", p.file))?;
    let text = match crate::fhir::sniff(&bytes) {
        crate::fhir::Sniff::Fhir(_) => crate::fhir::excerpt(&bytes, &p.entry),
        _ => crate::hl7::excerpt(&bytes, &p.segments),
    };
    Ok(truncate(text))
}

fn truncate(mut s: String) -> String {
    if s.len() > MAX_CHARS {
        let mut cut = MAX_CHARS;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str("\n…（以下省略）");
    }
    s
}
