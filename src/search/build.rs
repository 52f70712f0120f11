//! tantivy queries from a [`QueryPlan`], for fields the index module owns.
//!
//! Schema expectations (field names are the index's choice; types are not):
//! - patient `id`: raw `STRING` (optionally `| FAST | STORED`) holding [`normalize_id`] of the
//!   ID. Exact = `TermQuery`; prefix = `RangeQuery [prefix, successor)`, which walks only the
//!   matching slice of the term dictionary (or the fast column when the field is FAST).
//! - `names`: text field with tokenizer [`JA_BIGRAM`] (positions optional), and `names_uni`:
//!   text field with [`JA_UNIGRAM`], both fed with [`names_field_values`] of the kanji and the
//!   kana name.
//! - `birth`: i64 `yyyymmdd` ([`birth_value`]), `FAST` and/or `INDEXED`; exact date and year are
//!   both range queries, which work on either.
//! - record `text`: text field with [`JA_BIGRAM`]; an optional `text_uni` with [`JA_UNIGRAM`]
//!   (without it a one-character term falls back to a regex over the bigram terms).
//!
//! Ranking of the parts' interpretations: exact ID (constant [`ID_EXACT_SCORE`]) > ID prefix
//! ([`ID_PREFIX_SCORE`]) > birth date > birth year; names score by BM25 (a few points per term),
//! so among name matches shorter name fields rank first and a standalone one-character name
//! (林) ranks above names that merely contain it (小林).
//!
//! [`normalize_id`]: super::normalize::normalize_id
//! [`JA_BIGRAM`]: super::tokenizer::JA_BIGRAM
//! [`JA_UNIGRAM`]: super::tokenizer::JA_UNIGRAM

use super::query::{Part, QueryPlan};
use super::tokenizer::{bigram_terms, is_cjk};
use chrono::{Datelike, NaiveDate};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

pub const ID_EXACT_SCORE: f32 = 100.0;
pub const ID_PREFIX_SCORE: f32 = 30.0;
pub const BIRTH_DATE_SCORE: f32 = 10.0;
pub const BIRTH_YEAR_SCORE: f32 = 5.0;

/// Distinct grams beyond this many per term are not required (a pasted paragraph must not
/// become a thousand-clause query; the first 32 grams are selective enough).
pub const MAX_TERMS_PER_WORD: usize = 32;

/// The patient-document fields [`patient_query`] searches.
#[derive(Clone, Copy, Debug)]
pub struct PatientFields {
    /// Raw STRING: [`normalize_id`](super::normalize::normalize_id) of the patient ID.
    pub id: Field,
    /// [`JA_BIGRAM`](super::tokenizer::JA_BIGRAM) text: kanji and kana names.
    pub names: Field,
    /// [`JA_UNIGRAM`](super::tokenizer::JA_UNIGRAM) text: the same names.
    pub names_uni: Field,
    /// i64 yyyymmdd, FAST and/or INDEXED.
    pub birth: Field,
}

/// The record-document fields [`record_text_query`] searches.
#[derive(Clone, Copy, Debug)]
pub struct RecordFields {
    /// [`JA_BIGRAM`](super::tokenizer::JA_BIGRAM) text: drug names, diagnoses, lab names, document text.
    pub text: Field,
    /// Optional [`JA_UNIGRAM`](super::tokenizer::JA_UNIGRAM) copy of `text` for one-character terms.
    pub text_uni: Option<Field>,
}

/// The values to add to `names` and `names_uni` for one name (call it for the kanji and the
/// kana name): "山田 太郎" and "山田太郎", so that a query typed with or without the space
/// finds it (the joined form has the bigram 田太).
pub fn names_field_values(family: &str, given: &str) -> Vec<String> {
    let (family, given) = (family.trim(), given.trim());
    match (family.is_empty(), given.is_empty()) {
        (true, true) => Vec::new(),
        (false, true) => vec![family.to_string()],
        (true, false) => vec![given.to_string()],
        (false, false) => vec![format!("{family} {given}"), format!("{family}{given}")],
    }
}

/// The `birth` field value of a date: yyyymmdd as i64 (1948-03-02 → 19480302).
pub fn birth_value(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

/// A name term: AND of its bigrams in `bigram_field`; a single CJK/kana character searches
/// `unigram_field` (so 林 finds 小林), scoring higher where it is a whole name part (林).
/// `None` when the term has nothing searchable.
pub fn name_query(bigram_field: Field, unigram_field: Field, term: &str) -> Option<Box<dyn Query>> {
    analyzed_query(bigram_field, Unigram::Field(unigram_field), term)
}

/// A free-text term over record text: the same analysis as [`name_query`] (AND within the
/// term). Without a unigram field a one-character term matches grams containing it (a regex
/// over the term dictionary: slower, still correct).
pub fn text_query(text_field: Field, unigram_field: Option<Field>, term: &str) -> Option<Box<dyn Query>> {
    let unigram = match unigram_field {
        Some(f) => Unigram::Field(f),
        None => Unigram::Regex,
    };
    analyzed_query(text_field, unigram, term)
}

enum Unigram {
    Field(Field),
    Regex,
}

fn analyzed_query(bigram_field: Field, unigram: Unigram, term: &str) -> Option<Box<dyn Query>> {
    let mut grams = bigram_terms(term);
    if let [single] = grams.as_slice() {
        let mut chars = single.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && is_cjk(c)
        {
            let whole = term_query(bigram_field, single);
            let contains: Box<dyn Query> = match unigram {
                Unigram::Field(f) => term_query(f, single),
                // A one-character term: never a regex metacharacter (is_cjk).
                Unigram::Regex => {
                    Box::new(RegexQuery::from_pattern(&format!("{c}.?|.{c}"), bigram_field).ok()?)
                }
            };
            return Some(Box::new(BooleanQuery::new(vec![
                (Occur::Must, contains),
                (Occur::Should, whole),
            ])));
        }
    }
    grams.sort();
    grams.dedup();
    grams.truncate(MAX_TERMS_PER_WORD);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = grams
        .iter()
        .map(|g| (Occur::Must, term_query(bigram_field, g)))
        .collect();
    match clauses.len() {
        0 => None,
        1 => clauses.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// Exact patient ID (give it [`normalize_id`](super::normalize::normalize_id) form).
pub fn id_exact_query(id_field: Field, id: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(id_field, id),
        IndexRecordOption::Basic,
    ))
}

/// IDs starting with `prefix` (the exact ID included): a range [prefix, next string after all
/// strings with that prefix).
pub fn id_prefix_query(id_field: Field, prefix: &str) -> Box<dyn Query> {
    let upper = match prefix_successor(prefix) {
        Some(s) => Bound::Excluded(Term::from_field_text(id_field, &s)),
        None => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_text(id_field, prefix)),
        upper,
    ))
}

/// The smallest string greater than every string starting with `prefix`; `None` when there is
/// none (empty prefix or only U+10FFFF).
fn prefix_successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        // UTF-8 byte order equals code point order, so the next code point is the bound.
        let next = match last as u32 + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(n) = next {
            chars.push(n);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Patients born on `date` (`birth` as i64 yyyymmdd).
pub fn birth_date_query(birth_field: Field, date: NaiveDate) -> Box<dyn Query> {
    let v = birth_value(date);
    birth_range(birth_field, v, v)
}

/// Patients born in `year`.
pub fn birth_year_query(birth_field: Field, year: i32) -> Box<dyn Query> {
    let y = i64::from(year) * 10_000;
    birth_range(birth_field, y + 101, y + 1231)
}

fn birth_range(birth_field: Field, from: i64, to: i64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_i64(birth_field, from)),
        Bound::Included(Term::from_field_i64(birth_field, to)),
    ))
}

/// One part of the plan: its interpretations ORed, each with its ranking weight. `None` when
/// nothing in the part can be searched on these fields.
pub fn patient_part_query(part: &Part, fields: &PatientFields) -> Option<Box<dyn Query>> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut push = |q: Box<dyn Query>, score: Option<f32>| {
        let q: Box<dyn Query> = match score {
            Some(s) => Box::new(ConstScoreQuery::new(q, s)),
            None => q,
        };
        any.push((Occur::Should, q));
    };
    if let Some(id) = part.id.as_deref() {
        push(id_exact_query(fields.id, id), Some(ID_EXACT_SCORE));
        push(id_prefix_query(fields.id, id), Some(ID_PREFIX_SCORE));
    }
    if let Some(date) = part.birth {
        push(birth_date_query(fields.birth, date), Some(BIRTH_DATE_SCORE));
    }
    if let Some(year) = part.birth_year {
        push(birth_year_query(fields.birth, year), Some(BIRTH_YEAR_SCORE));
    }
    if let Some(q) = part
        .text
        .as_deref()
        .and_then(|t| name_query(fields.names, fields.names_uni, t))
    {
        push(q, None);
    }
    if let Some(q) = part
        .kana
        .as_deref()
        .and_then(|t| name_query(fields.names, fields.names_uni, t))
    {
        push(q, None);
    }
    match any.len() {
        0 => None,
        1 => any.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(any))),
    }
}

/// The patient search: every usable part must match (AND); within a part any interpretation
/// may (OR), ranked exact ID > ID prefix > birth date > birth year, names by BM25. An empty
/// plan gives a query that matches nothing.
pub fn patient_query(plan: &QueryPlan, fields: &PatientFields) -> Box<dyn Query> {
    let parts: Vec<(Occur, Box<dyn Query>)> = plan
        .parts
        .iter()
        .filter_map(|p| patient_part_query(p, fields))
        .map(|q| (Occur::Must, q))
        .collect();
    if parts.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::new(parts))
}

/// The record search for "which patients had X": AND of the plan's text terms over record
/// text; ID and date parts are ignored here (filter by patient separately). `None` when the plan
/// has no text term.
pub fn record_text_query(plan: &QueryPlan, fields: &RecordFields) -> Option<Box<dyn Query>> {
    let mut terms: Vec<(Occur, Box<dyn Query>)> = plan
        .text_terms()
        .filter_map(|t| text_query(fields.text, fields.text_uni, t))
        .map(|q| (Occur::Must, q))
        .collect();
    match terms.len() {
        0 => None,
        1 => terms.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(terms))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successors() {
        assert_eq!(prefix_successor("99990").as_deref(), Some("99991"));
        assert_eq!(prefix_successor("0009").as_deref(), Some("000:"));
        assert_eq!(prefix_successor("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_successor("\u{D7FF}").as_deref(), Some("\u{E000}"));
        assert_eq!(prefix_successor(""), None);
    }

    #[test]
    fn birth_values() {
        let d = NaiveDate::from_ymd_opt(1948, 3, 2).unwrap();
        assert_eq!(birth_value(d), 19_480_302);
    }

    #[test]
    fn name_values() {
        assert_eq!(names_field_values("山田", "太郎"), ["山田 太郎", "山田太郎"]);
        assert_eq!(names_field_values(" 林 ", ""), ["林"]);
        assert!(names_field_values("", " ").is_empty());
    }
}
