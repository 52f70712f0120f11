//! One input, end to end, for each fuzz target (`fuzz/`). The targets and the stable replay of
//! their crashing inputs (`tests/fuzz_regressions.rs`) call the same functions, so a fix is
//! pinned exactly where it was found. Each function must return for any input, without panic.

use crate::fhir::{self, PatientIndex, Sniff};
use crate::hl7::{Message, decode_segments, excerpt, parse_timestamp};
use crate::search::{QueryPlan, era, query};
use crate::source::read_zip_bytes;
use crate::ssmix2::{self, layout, versions};
use std::collections::HashSet;

/// Data types the HL7 input is read as (the byte after the first picks one), so that every
/// mapper meets hostile text.
const DATA_TYPES: &[&str] = &[
    "ADT-00", "ADT-12", "ADT-21", "ADT-22", "ADT-31", "ADT-32", "ADT-41", "ADT-42", "ADT-51", "ADT-52",
    "ADT-61", "ADT-62", "ADT-71", "PPR-01", "OMD", "OMP-01", "OMP-02", "OMP-11", "OMP-12", "OML-01",
    "OML-11", "OMG-01", "OMG-02", "OMG-03", "OMG-11", "OMG-12", "OMG-13",
];

/// HL7 v2 decoding and parsing, then the SS-MIX2 reader as the ingest calls it.
pub fn hl7(bytes: &[u8]) {
    let data_type = DATA_TYPES[usize::from(bytes.first().copied().unwrap_or(0)) % DATA_TYPES.len()];
    let decoded = decode_segments(bytes);
    if let Ok(message) = Message::parse(decoded.segments.clone()) {
        let _ = (message.message_type(), message.control_id());
        for segment in &message.segments {
            for n in 0..segment.field_count().min(64) {
                for rep in segment.field(n).reps().take(8) {
                    let _ = (rep.comp(1).sub(1).text(), rep.trimmed());
                }
            }
        }
    }
    let _ = excerpt(bytes, &[1, 2, 3]);
    let path =
        format!("000/000/0000001/20240101/{data_type}/0000001_20240101_{data_type}_1_20240101000000000_01_1");
    let placement = layout::place(&path);
    let _ = ssmix2::read_file(&path, bytes, &placement, None);
}

/// SS-MIX2 paths: placement, file-name parsing and version resolution across the names given
/// (one path per line).
pub fn ssmix2_layout(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut names = Vec::new();
    for (i, path) in text.lines().enumerate() {
        let name = path.rsplit('/').next().unwrap_or(path);
        let _ = layout::looks_like_message_name(name);
        let _ = layout::place(path);
        if let Ok(n) = layout::parse_file_name(name) {
            names.push((i, n));
        }
    }
    let _ = versions::resolve(names.iter().map(|(i, n)| (*i, ("p", "d", "t"), n)));
}

/// FHIR detection, the first (reference) pass and the reading pass, as the ingest does them.
pub fn fhir(bytes: &[u8]) {
    let Sniff::Fhir(format) = fhir::sniff(bytes) else {
        return;
    };
    let files = vec![("fuzz.json".to_string(), fhir::scan::scan(bytes))];
    let index = {
        use rayon::prelude::*;
        PatientIndex::build(HashSet::new(), files.into_par_iter())
    };
    let _ = fhir::read_file("fuzz.json", bytes, format, &index);
}

/// Zip archives given as bytes: listing and bounded reading of every entry.
pub fn zip_listing(bytes: &[u8]) {
    let _ = read_zip_bytes(bytes);
}

/// Dates in every form a file or a person writes them: HL7 DTM, FHIR dateTime, Japanese eras,
/// birth dates and years in the search box.
pub fn dates(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let _ = parse_timestamp(&text);
    let _ = fhir::time::parse(&text);
    if let Some(date) = era::parse(&text) {
        let _ = era::format(date);
    }
    let _ = era::parse_year(&text);
    let _ = query::parse_birth_date(&text);
    let _ = query::parse_western_date(&text);
    let _ = query::parse_birth_year(&text);
}

/// The search box: query planning and the text terms it searches for.
pub fn search_query(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let plan = QueryPlan::parse(&text);
    let _ = plan.is_empty();
    let _: Vec<&str> = plan.text_terms().collect();
}
