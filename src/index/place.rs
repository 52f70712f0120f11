//! Where a snapshot's index lives: a prebuilt one on the media (read-only), else a folder
//! under the per-user data directory (or `--index`), named by a quick key of the snapshot.

use crate::source::PREBUILT_INDEX_DIR;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The per-user folder holding one subfolder per indexed snapshot.
pub fn default_root() -> PathBuf {
    crate::paths::indexes()
}

/// A prebuilt index shipped inside the (single, folder) snapshot root, when there is one.
pub fn prebuilt(roots: &[PathBuf]) -> Option<PathBuf> {
    match roots {
        [root] if root.is_dir() => {
            let p = root.join(PREBUILT_INDEX_DIR);
            p.is_dir().then_some(p)
        }
        _ => None,
    }
}

/// The folder name for a snapshot: readable name + a key that changes when the snapshot does.
///
/// The key covers the roots' absolute paths, sizes and times and, for folders, the names,
/// sizes and times of their top-level entries: cheap enough to compute on every open (a full
/// listing of millions of files is not), and the listing digest stored in the index is checked
/// by [`super::SnapshotIndex::verify`] for what this misses.
pub fn folder_name(roots: &[PathBuf]) -> String {
    let mut h = Sha256::new();
    for r in roots {
        let abs = std::fs::canonicalize(r).unwrap_or_else(|_| r.clone());
        h.update(abs.to_string_lossy().as_bytes());
        h.update([0]);
        stamp(&mut h, &abs);
        if abs.is_dir()
            && let Ok(entries) = std::fs::read_dir(&abs)
        {
            let mut names: Vec<(String, PathBuf)> = entries
                .filter_map(Result::ok)
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .filter(|(n, _)| !n.starts_with(PREBUILT_INDEX_DIR))
                .collect();
            names.sort();
            for (n, p) in names {
                h.update(n.as_bytes());
                h.update([0]);
                stamp(&mut h, &p);
            }
        }
    }
    h.update(super::schema::SCHEMA_VERSION.to_le_bytes());
    let key: String = h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let label: String = roots
        .first()
        .and_then(|r| r.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "snapshot".into())
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    format!("{label}-{key}")
}

fn stamp(h: &mut Sha256, p: &Path) {
    if let Ok(m) = std::fs::metadata(p) {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        h.update(if m.is_dir() { 0u64 } else { m.len() }.to_le_bytes());
        h.update(t.to_le_bytes());
    }
}
