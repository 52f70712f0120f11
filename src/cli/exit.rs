//! Exit codes of the `lifeboat` command (the README has the table). Scripts on the packing
//! server and drills tell "some files were rejected" from "the snapshot could not be read".

use crate::report::IngestReport;
use crate::source::SourceError;

/// Done; for `check`, every file was read (some perhaps with warnings, or not clinical data).
pub const OK: u8 = 0;
/// Bad arguments, an I/O error, an unknown patient, or any other failure.
pub const ERROR: u8 = 1;
/// `check`: some files were rejected (each is in the report with the reason).
pub const FILES_REJECTED: u8 = 2;
/// The snapshot itself could not be opened: missing, unreadable, not a folder or zip.
pub const SNAPSHOT_UNREADABLE: u8 = 3;
/// `search`: no patient matched.
pub const NOT_FOUND: u8 = 4;
/// `index --verify`: the snapshot's files changed since the index was built.
pub const INDEX_STALE: u8 = 5;
/// `verify`: a file differs from the manifest, or the signature does not verify (改ざんの疑い).
pub const TAMPERED: u8 = 6;
/// `verify`: every file matches, but the pack is unsigned or signed by a key this laptop does
/// not trust, so nothing says who made it.
pub const UNVERIFIED: u8 = 7;

/// The code `check` ends with for a report.
pub fn for_report(r: &IngestReport) -> u8 {
    if r.files_rejected > 0 { FILES_REJECTED } else { OK }
}

/// The code for a failed command: the snapshot's own errors are told apart from the rest.
pub fn for_error(e: &anyhow::Error) -> u8 {
    let of_snapshot = |c: &(dyn std::error::Error + 'static)| {
        c.is::<SnapshotUnreadable>()
            || matches!(
                c.downcast_ref::<SourceError>(),
                Some(SourceError::Open { .. } | SourceError::NotFound { .. } | SourceError::BadZip { .. })
            )
    };
    if e.chain().any(|c| c.is::<Tampered>()) {
        TAMPERED
    } else if e.chain().any(of_snapshot) {
        SNAPSHOT_UNREADABLE
    } else {
        ERROR
    }
}

/// A pack whose manifest does not match its signature: the CLI answers nothing from it.
#[derive(Debug, thiserror::Error)]
#[error("改ざんの疑い: {0}")]
pub struct Tampered(pub String);

/// A snapshot path that cannot be opened at all, found before any work starts.
#[derive(Debug, thiserror::Error)]
#[error("snapshot {path}: {reason}")]
pub struct SnapshotUnreadable {
    pub path: String,
    pub reason: String,
}

/// Checks that every snapshot path can at least be looked at, so that a typo or an unmounted
/// disc gives the snapshot's code rather than a generic error later.
pub fn check_roots(roots: &[std::path::PathBuf]) -> Result<(), SnapshotUnreadable> {
    for r in roots {
        if let Err(e) = std::fs::metadata(r) {
            return Err(SnapshotUnreadable {
                path: r.display().to_string(),
                reason: e.to_string(),
            });
        }
    }
    Ok(())
}
