//! The ingest report: every input file accounted for, every problem with its file and place.

mod ingest;
mod media;
mod problem;
mod problem_ja;

pub use ingest::{FileStatus, IngestReport, MAX_LISTED_PROBLEMS, ResourceCounts};
pub use media::{MANGLED_NAMES_JA, MangledNames};
pub use problem::{Problem, Severity};
pub use problem_ja::message_ja;
