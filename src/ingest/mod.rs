//! Reading a whole snapshot: list, place, resolve versions, read files on all cores, and fold
//! every outcome into the ingest report.

mod outcome;
mod pipeline;

pub use outcome::FileOutcome;
pub use pipeline::{IngestOptions, ingest};
