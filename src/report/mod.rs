//! The ingest report: every input file accounted for, every problem with its file and place.

mod ingest;
mod problem;

pub use ingest::{FileStatus, IngestReport, MAX_LISTED_PROBLEMS, ResourceCounts};
pub use problem::{Problem, Severity};
