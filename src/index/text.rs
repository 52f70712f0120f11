//! What a record contributes to free-text search: what a clinician would type to find who had
//! it (a drug, a diagnosis, a test, words of a report).

use crate::model::{Clinical, Document, DocumentSection, Record};

/// Text beyond this many characters per record is not indexed: a pasted report stays
/// searchable by its first pages without bloating the index.
const MAX_CHARS: usize = 8_000;

pub fn searchable(record: &Record) -> String {
    // A result is found by its test's name: its value, unit, range and time are digits that
    // nobody types to find a patient, and two thirds of a year's records are results.
    if let Clinical::LabResult(l) = &record.data {
        let mut s = format!("{} {}", record.kind().label_ja(), l.test.display());
        if let Some(local) = &l.local_test {
            push(&mut s, local.display());
        }
        return s;
    }
    let mut s = format!("{} {}", record.kind().label_ja(), record.summary());
    match &record.data {
        Clinical::MedicationOrder(m) => {
            for c in &m.other_codes {
                push(&mut s, c.display());
            }
        }
        Clinical::Diagnosis(d) => {
            if let Some(icd) = &d.icd10 {
                push(&mut s, &icd.code);
            }
        }
        Clinical::Procedure(p) => {
            for item in &p.items {
                push(&mut s, item.procedure.display());
            }
            push(&mut s, &p.findings);
        }
        Clinical::Document(d) => document(&mut s, d),
        Clinical::Raw(r) => push(&mut s, &r.text),
        _ => {}
    }
    if s.len() > MAX_CHARS {
        let mut cut = MAX_CHARS;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

fn document(s: &mut String, d: &Document) {
    push(s, &d.title);
    push(s, &d.text);
    fn sections(s: &mut String, list: &[DocumentSection]) {
        for sec in list {
            push(s, &sec.title);
            push(s, &sec.text);
            for e in &sec.entries {
                push(s, e);
            }
            sections(s, &sec.sections);
        }
    }
    sections(s, &d.sections);
}

fn push(s: &mut String, more: &str) {
    if !more.is_empty() && s.len() < MAX_CHARS {
        s.push(' ');
        s.push_str(more);
    }
}
