//! Reading a whole snapshot: list, place, resolve versions, read files on all cores, and fold
//! every outcome into the ingest report.

mod outcome;
mod people;
mod pipeline;

pub use outcome::FileOutcome;
pub use people::{People, PersonFacts, Settled};
pub use pipeline::{IngestOptions, ingest};
