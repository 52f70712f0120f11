//! The two tantivy indexes of a snapshot: one document per patient (what the search box finds)
//! and one per record (free text, per-patient chart reads).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Tokenizer names; registered on every opened index (see `crate::search::tokenizer`).
pub use crate::search::tokenizer::{JA_BIGRAM, JA_UNIGRAM};

/// Bumped whenever fields or their analysis change: older indexes are rebuilt, never misread.
pub const SCHEMA_VERSION: u32 = 5;

fn ja_text(tokenizer: &str, positions: bool) -> TextOptions {
    let option = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(option),
    )
}

#[derive(Clone, Copy, Debug)]
pub struct PatientSchema {
    /// The patient id, exact (also for prefix ranges).
    pub id: Field,
    /// Every other identifier (FHIR identifiers, PID-3 variants) and the ID without leading zeros.
    pub other_id: Field,
    /// Kanji and kana names, bigrams.
    pub names: Field,
    /// The same names, one token per character, for one-character queries.
    pub names_uni: Field,
    /// Birth date as yyyymmdd.
    pub birth: Field,
    /// Ordinal of the patient, shared with the record documents.
    pub pnum: Field,
    /// The search-result line, as JSON.
    pub hit: Field,
    /// What the chart needs beyond the records (`PersonFacts`: PID fallback, identity), as JSON.
    pub facts: Field,
}

impl PatientSchema {
    pub fn build() -> (Schema, PatientSchema) {
        let mut b = Schema::builder();
        let fields = PatientSchema {
            id: b.add_text_field("id", STRING | STORED),
            other_id: b.add_text_field("other_id", STRING),
            names: b.add_text_field("names", ja_text(JA_BIGRAM, true)),
            names_uni: b.add_text_field("names_uni", ja_text(JA_UNIGRAM, false)),
            birth: b.add_i64_field("birth", INDEXED | FAST),
            pnum: b.add_u64_field("pnum", INDEXED | FAST | STORED),
            hit: b.add_bytes_field("hit", STORED),
            facts: b.add_bytes_field("facts", STORED),
        };
        (b.build(), fields)
    }

    pub fn from(schema: &Schema) -> tantivy::Result<PatientSchema> {
        Ok(PatientSchema {
            id: schema.get_field("id")?,
            other_id: schema.get_field("other_id")?,
            names: schema.get_field("names")?,
            names_uni: schema.get_field("names_uni")?,
            birth: schema.get_field("birth")?,
            pnum: schema.get_field("pnum")?,
            hit: schema.get_field("hit")?,
            facts: schema.get_field("facts")?,
        })
    }
}

#[derive(Clone, Copy, Debug)]
pub struct RecordSchema {
    pub pid: Field,
    pub pnum: Field,
    /// `RecordKind::key()`.
    pub kind: Field,
    /// yyyymmddhhmmss of the record's date; 0 when undated.
    pub date: Field,
    /// What a person would search for: drug, test, diagnosis, document text.
    pub text: Field,
    /// The record as JSON.
    pub record: Field,
}

impl RecordSchema {
    pub fn build() -> (Schema, RecordSchema) {
        let mut b = Schema::builder();
        let fields = RecordSchema {
            pid: b.add_text_field("pid", STRING),
            pnum: b.add_u64_field("pnum", INDEXED | FAST),
            kind: b.add_text_field("kind", STRING),
            date: b.add_i64_field("date", FAST),
            text: b.add_text_field("text", ja_text(JA_BIGRAM, true)),
            record: b.add_bytes_field("record", STORED),
        };
        (b.build(), fields)
    }

    pub fn from(schema: &Schema) -> tantivy::Result<RecordSchema> {
        Ok(RecordSchema {
            pid: schema.get_field("pid")?,
            pnum: schema.get_field("pnum")?,
            kind: schema.get_field("kind")?,
            date: schema.get_field("date")?,
            text: schema.get_field("text")?,
            record: schema.get_field("record")?,
        })
    }
}
