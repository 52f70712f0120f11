//! Generations in the output folder (`--generations N`, rotated USB drives): a new pack is
//! written as `OUT/<name>.partial/`, synced, read back and checked against its manifest, then
//! renamed to `OUT/<name>/`; only then are the oldest complete generations beyond N removed
//! (renamed to `*.partial` first, so that a cut removal never looks complete). A power cut at any
//! moment leaves the complete generations there were; its `*.partial` is removed on the next run.

use super::manifest::{self, MANIFEST, Manifest};
use super::open::{PARTIAL, generations};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// A generation's folder name: its creation time, so that names sort oldest first.
pub fn name_for(created: chrono::DateTime<chrono::Local>) -> String {
    created.format("%Y%m%d-%H%M%S").to_string()
}

/// A name not yet used in `out` (two packs in one second get `-2`, `-3` ...).
pub fn free_name(out: &Path, base: &str) -> String {
    let taken = |n: &str| out.join(n).exists() || out.join(format!("{n}{PARTIAL}")).exists();
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

/// Removes what a cut run left: `*.partial` folders. Returns how many.
pub fn remove_stale(out: &Path) -> anyhow::Result<usize> {
    let mut n = 0;
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(0);
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(PARTIAL) && e.path().is_dir() {
            std::fs::remove_dir_all(e.path()).with_context(|| format!("removing {}", e.path().display()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// Re-reads every file of the pack in `dir` and compares it with the manifest (sizes and
/// SHA-256); the first difference is the error.
pub fn check(dir: &Path, m: &Manifest) -> anyhow::Result<()> {
    for f in &m.files {
        let got = manifest::hash_file(dir, &f.path)
            .with_context(|| format!("reading back {}", dir.join(&f.path).display()))?;
        anyhow::ensure!(
            got.size == f.size && got.sha256 == f.sha256 && got.blocks == f.blocks,
            "{}: read back differs from the manifest (written {} bytes, read {})",
            dir.join(&f.path).display(),
            f.size,
            got.size
        );
    }
    anyhow::ensure!(dir.join(MANIFEST).is_file(), "{}: no manifest", dir.display());
    Ok(())
}

/// Flushes a folder's entries (names, renames) to the disk, where the OS allows it.
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Renames `partial` to its final name in `out` and syncs `out`.
pub fn commit(out: &Path, partial: &Path, name: &str) -> anyhow::Result<PathBuf> {
    sync_dir(partial);
    let target = out.join(name);
    std::fs::rename(partial, &target)
        .with_context(|| format!("renaming {} to {}", partial.display(), target.display()))?;
    sync_dir(out);
    Ok(target)
}

/// Removes the oldest complete generations beyond `keep`; returns the removed folders.
pub fn prune(out: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let all = generations(out);
    let excess = all.len().saturating_sub(keep.max(1));
    let mut removed = Vec::new();
    for old in all.into_iter().take(excess) {
        let name = old
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Renamed first: a generation half deleted must never be taken for a complete one.
        let doomed = out.join(format!("{name}.old{PARTIAL}"));
        std::fs::rename(&old, &doomed).with_context(|| format!("retiring {}", old.display()))?;
        sync_dir(out);
        std::fs::remove_dir_all(&doomed).with_context(|| format!("removing {}", doomed.display()))?;
        removed.push(old);
    }
    Ok(removed)
}

/// Held while a pack is written into an output folder: a second `lifeboat pack` into the same
/// folder (a cron run meeting a manual one) would take the first one's `*.partial` for the
/// leftover of a power cut and delete it.
pub struct OutLock(PathBuf);

pub const LOCK: &str = ".lifeboat-pack.lock";

impl Drop for OutLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Takes the output folder's lock; a lock left by a process that is gone (killed) is taken over.
pub fn lock(out: &Path) -> anyhow::Result<OutLock> {
    let path = out.join(LOCK);
    for _ in 0..2 {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                write!(f, "{}", std::process::id())?;
                return Ok(OutLock(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                anyhow::ensure!(
                    holder_gone(&path, holder.trim()),
                    "{}: another lifeboat pack (process {}) is writing into this folder",
                    out.display(),
                    holder.trim()
                );
                let _ = std::fs::remove_file(&path);
            }
            Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display())),
        }
    }
    anyhow::bail!("{}: cannot take the lock", path.display())
}

/// The process that wrote the lock is gone: by /proc where there is one, else by a day's age.
fn holder_gone(lock: &Path, pid: &str) -> bool {
    let proc_root = Path::new("/proc");
    if proc_root.join("self").exists() {
        return pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) || !proc_root.join(pid).exists();
    }
    std::fs::metadata(lock)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age.as_secs() > 24 * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_packer_keeps_the_folder_and_a_killed_ones_lock_is_taken_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let held = lock(dir.path()).expect("first lock");
        let err = lock(dir.path()).err().expect("second packer refused");
        assert!(err.to_string().contains("another lifeboat pack"), "{err}");
        drop(held);
        assert!(!dir.path().join(LOCK).exists(), "released");
        // Left by a killed process (no such pid).
        std::fs::write(dir.path().join(LOCK), "4294967295").expect("write");
        let _taken = lock(dir.path()).expect("stale lock taken over");
    }
}
