//! Lifeboat: offline, read-only emergency viewer for SS-MIX2 and HL7 FHIR snapshots.
pub mod hl7;
pub mod model;
// `gen` is a reserved word in edition 2024.
#[path = "gen/mod.rs"]
pub mod synth;
