//! Japanese text analysis and query understanding for the search index.
//!
//! [`normalize`] is the one normalization (NFKC, lowercase, katakana → hiragana, itaiji fold);
//! [`tokenizer`] turns it into tantivy tokens (CJK bigrams, a unigram side field); [`era`] reads
//! and writes 和暦 dates; [`query`] splits the search box into parts and their possible meanings;
//! [`build`] turns those into tantivy queries over the fields the index module defines.

pub mod build;
pub mod era;
pub mod filter_date;
pub mod lab_alias;
pub mod normalize;
pub mod query;
pub mod romaji;
pub mod tokenizer;

#[cfg(test)]
mod tests;

pub use build::{PatientFields, RecordFields, patient_query, record_text_query};
pub use normalize::{normalize, normalize_id};
pub use query::{Part, QueryPlan};
pub use tokenizer::{JA_BIGRAM, JA_UNIGRAM, register};
