//! Whether an index still matches the snapshot's files. The index stores the digest of the
//! full listing it was built from (every file's root, relative path, size and modification
//! time); listing the snapshot again and comparing tells a stale index from a fresh one without
//! reading any file's contents. A prebuilt index on the media is checked the same way against
//! the media's listing (a packed-media manifest, issue 11, would make this a signature check:
//! future work).

use crate::progress::{Progress, Stage};
use crate::source::{ListingDigest, Snapshot};
use std::path::PathBuf;
use std::time::Instant;

/// What is known about an open index against the snapshot's files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Not checked yet (the viewer checks in the background; the CLI with `--trust-index`
    /// never does).
    Unchecked,
    /// Built from these very files, or checked against their listing. (An index found to
    /// differ is never served when checked first: it is rebuilt.)
    Matches,
}

/// The outcome of listing the snapshot and comparing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Check {
    pub matches: bool,
    /// Files listed.
    pub files: u64,
    pub seconds: f64,
}

/// Lists `roots` (names, sizes and times only: no file is read) and compares the digest with
/// `expected`. Progress shows the listing.
pub fn check(roots: &[PathBuf], expected: &str, progress: &Progress) -> anyhow::Result<Check> {
    let started = Instant::now();
    let mut snap = Snapshot::open(roots)?;
    let mut digest = ListingDigest::default();
    let mut files = 0u64;
    let mut bytes = 0u64;
    progress.set_stage(Stage::Listing);
    snap.list_each(|f| {
        files += 1;
        bytes += f.size;
        if files.is_multiple_of(1024) {
            progress.set_totals(files, bytes);
        }
        digest.add(&f);
    });
    progress.set_totals(files, bytes);
    Ok(Check {
        matches: digest.finish() == expected,
        files,
        seconds: started.elapsed().as_secs_f64(),
    })
}
