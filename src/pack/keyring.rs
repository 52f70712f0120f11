//! Encrypted packs unlocked in this process: the passphrase is asked once (by the viewer's
//! dialog or the CLI) and the unlocked key kept in memory only, so that every later open of the
//! same pack (the index, the reader's pool of archives, a re-open) needs no second prompt.
//! Nothing decrypted, and no key, is ever written anywhere.

use super::crypt::{AgeSeal, UnlockError};
use super::manifest::Manifest;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

fn ring() -> &'static Mutex<HashMap<PathBuf, Arc<AgeSeal>>> {
    static RING: OnceLock<Mutex<HashMap<PathBuf, Arc<AgeSeal>>>> = OnceLock::new();
    RING.get_or_init(|| Mutex::new(HashMap::new()))
}

fn key(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Unlocks the pack in `dir` with `passphrase` and keeps its key for this process.
pub fn unlock(dir: &Path, passphrase: &str) -> Result<(), UnlockError> {
    let seal = AgeSeal::unlock(dir, passphrase)?;
    if let Ok(mut r) = ring().lock() {
        r.insert(key(dir), Arc::new(seal));
    }
    Ok(())
}

/// Keeps a key made for a pack being written (its index is built by opening it).
pub fn insert(dir: &Path, seal: Arc<AgeSeal>) {
    if let Ok(mut r) = ring().lock() {
        r.insert(key(dir), seal);
    }
}

/// The unlocked key of the pack in `dir`, if any.
pub fn get(dir: &Path) -> Option<Arc<AgeSeal>> {
    ring().lock().ok()?.get(&key(dir)).cloned()
}

/// Whether opening `path` (a pack folder or a generations folder) needs a passphrase first:
/// the pack folder to unlock, when it does.
pub fn needs_passphrase(path: &Path) -> Option<PathBuf> {
    let (dir, _) = super::open::locate(path)?;
    let m = Manifest::read(&dir).ok()?;
    (m.encryption.is_some() && get(&dir).is_none()).then_some(dir)
}
