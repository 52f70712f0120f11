//! Who looked at whom (issue 16): an append-only, hash-chained log of what each operator did
//! on this laptop (never on the media). Each line is JSON with a sequence number, the time, the
//! operator and the SHA-256 of the line before it, so that an edited, removed, inserted or
//! reordered line breaks the chain at that place ([`chain::verify`]).

pub mod chain;
pub mod event;
pub mod log;
pub mod query;

pub use event::{Event, Operator, Role};
pub use log::AuditLog;

use std::path::PathBuf;

/// The log's default place: the user's local data folder (never the media, never next to the
/// program, which may sit on a read-only disc); see [`crate::paths`].
pub fn default_path() -> Option<PathBuf> {
    crate::paths::audit_log()
}

/// The event saying which snapshot was opened: its roots, a pack's manifest hash and its
/// signature state against this laptop's trusted keys.
pub fn snapshot_opened(index: &crate::index::SnapshotIndex, store: &crate::trust::TrustStore) -> Event {
    let (manifest_sha256, signature) = match index.pack() {
        Some(p) => (
            Some(p.manifest_sha256.clone()),
            crate::trust::check_signature(&p.dir, store)
                .label_ja()
                .to_string(),
        ),
        None => (None, "対象外".to_string()),
    };
    Event::SnapshotOpened {
        source: index
            .roots()
            .iter()
            .map(|r| r.display().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
        manifest_sha256,
        signature,
        mode: index.report().mode().key().to_string(),
    }
}
