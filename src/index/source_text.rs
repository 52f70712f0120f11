//! The original text behind a record, for the "元データ" view: HL7 segments as decoded, or the
//! FHIR resource as sent (pretty-printed JSON, or the XML file).

use crate::hl7::decode_segments;
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
    let text = if p.message_id.is_empty() && p.segments.is_empty() && !looks_hl7(&bytes) {
        fhir_text(&bytes, &p.entry)
    } else {
        hl7_text(&bytes, &p.segments)
    };
    Ok(truncate(text))
}

fn looks_hl7(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0x0b)
        .unwrap_or(0);
    bytes[start..].starts_with(b"MSH")
}

/// The MSH segment and the record's own segments, numbered as in the file; the whole message
/// when the record names no segments.
fn hl7_text(bytes: &[u8], wanted: &[u32]) -> String {
    let decoded = decode_segments(bytes);
    let mut out = String::new();
    for (n, seg) in &decoded.segments {
        if wanted.is_empty() || *n == 1 || wanted.contains(n) || seg.starts_with("MSH") {
            out.push_str(&format!("{n:>4}  {seg}\n"));
        }
    }
    out
}

/// The resource at `entry` (`entry[3] Patient/abc`, `entry[0]/entry[2] ...`, `line 12 ...`),
/// pretty-printed; the whole file when the place cannot be followed.
fn fhir_text(bytes: &[u8], entry: &str) -> String {
    let place = entry.split(' ').next().unwrap_or_default();
    if place == "line" {
        // NDJSON: `line 12 Observation/x`, 1-based.
        let n = entry
            .split(' ')
            .nth(1)
            .and_then(|x| x.parse::<usize>().ok())
            .unwrap_or(0);
        if let Some(l) = bytes.split(|b| *b == b'\n').nth(n.saturating_sub(1)) {
            return pretty(l);
        }
    }
    if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(bytes) {
        if place.starts_with("entry[") {
            for step in place.split('/') {
                let idx: Option<usize> = step
                    .strip_prefix("entry[")
                    .and_then(|x| x.strip_suffix(']'))
                    .and_then(|x| x.parse().ok());
                let next = idx.and_then(|i| v.get("entry")?.get(i)?.get("resource").cloned());
                match next {
                    Some(n) => v = n,
                    None => break,
                }
            }
        }
        return serde_json::to_string_pretty(&v).unwrap_or_default();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

fn pretty(line: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(line).into_owned())
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
