//! Lifeboat: offline, read-only emergency viewer for SS-MIX2 and HL7 FHIR snapshots.
//!
//! Data flow: [`source`] (files) → readers ([`ssmix2`], [`fhir`]) → [`model`] records, accounted for in
//! the [`report`] by the [`ingest`] pipeline. [`export`] writes the model back out as FHIR, so that
//! drills and benchmarks can run one hospital through both readers.

pub mod audit;
pub mod bench;
pub mod chart;
pub mod cli;
pub mod codes;
pub mod export;
pub mod fhir;
pub mod fonts;
#[doc(hidden)]
pub mod fuzzing;
pub mod hl7;
pub mod index;
pub mod ingest;
pub mod model;
pub mod pack;
pub mod paths;
pub mod print;
pub mod progress;
pub mod report;
pub mod search;
pub mod source;
pub mod ssmix2;
// `gen` is a reserved word in edition 2024.
#[path = "gen/mod.rs"]
pub mod synth;
pub mod text;
pub mod trust;
pub mod ui;
