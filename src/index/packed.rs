//! The index shipped in a pack (issue 15): built by `lifeboat pack` from the written parts,
//! merged into one segment per index, stored as `index.zip` through the pack's seal; on the
//! laptop unsealed once into the local index folder (named by the manifest's SHA-256, never on
//! the media) and opened from there.

use super::build::{PATIENTS_DIR, RECORDS_DIR};
use super::meta::{COMPLETE_FILE, IndexMeta, META_FILE};
use crate::pack::OpenedPack;
use anyhow::Context;
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexWriter};

/// Merges each tantivy index in `dir` into as few segments as it will (one), so that a search
/// from a slow disc costs a handful of seeks.
pub fn merge_segments(dir: &Path) -> anyhow::Result<()> {
    for sub in [PATIENTS_DIR, RECORDS_DIR] {
        let path = dir.join(sub);
        let index = Index::open_in_dir(&path).with_context(|| format!("opening {}", path.display()))?;
        crate::search::tokenizer::register(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 100_000_000)?;
        let ids = index.searchable_segment_ids()?;
        if ids.len() > 1 {
            writer.merge(&ids).wait()?;
        }
        writer.garbage_collect_files().wait()?;
        writer.wait_merging_threads()?;
    }
    Ok(())
}

/// Renames the snapshot in the index's metadata (built under the pack's `.partial` name).
pub fn rename_snapshot(dir: &Path, name: &str) -> anyhow::Result<()> {
    let mut meta = IndexMeta::read(dir)?;
    meta.snapshot_name = name.to_string();
    let path = dir.join(META_FILE);
    std::fs::write(&path, serde_json::to_vec(&meta)?).with_context(|| format!("writing {}", path.display()))
}

/// The local folder of a pack's index: given, or under the user's index folder, named by the
/// manifest's SHA-256 (a new pack is a new folder).
pub fn local_dir(pack: &OpenedPack, given: Option<&Path>) -> PathBuf {
    match given {
        Some(d) => d.to_path_buf(),
        None => super::default_root().join(format!(
            "pack-{}",
            &pack.manifest_sha256[..16.min(pack.manifest_sha256.len())]
        )),
    }
}

/// Unseals the pack's `index.zip` into `dir` once (to a scratch folder renamed into place, so a
/// cut copy is never taken for complete). Does nothing when `dir` already holds a complete index.
pub fn unseal(pack: &OpenedPack, dir: &Path) -> anyhow::Result<()> {
    if IndexMeta::is_complete(dir) {
        return Ok(());
    }
    let name = pack
        .manifest
        .index
        .as_deref()
        .context("the pack ships no index")?;
    anyhow::ensure!(
        crate::pack::open::is_plain_name(name),
        "{}: index name {name:?} is not a file name in the pack folder",
        pack.dir.display()
    );
    let src = pack.dir.join(name);
    let parent = dir.parent().context("index folder has no parent")?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let scratch = parent.join(format!(
        "{}.unsealing-{}",
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    let result = extract(pack, &src, &scratch);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(e);
    }
    anyhow::ensure!(
        IndexMeta::is_complete(&scratch),
        "{}: the shipped index is incomplete ({COMPLETE_FILE} missing)",
        src.display()
    );
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("replacing {}", dir.display()))?;
    }
    std::fs::rename(&scratch, dir)
        .with_context(|| format!("moving {} to {}", scratch.display(), dir.display()))
}

fn extract(pack: &OpenedPack, src: &Path, into: &Path) -> anyhow::Result<()> {
    let reader = pack
        .seal
        .open(src)
        .with_context(|| format!("reading {}", src.display()))?;
    let mut zip = zip::ZipArchive::new(reader).with_context(|| format!("{}: not a zip", src.display()))?;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .with_context(|| format!("{}: entry {i}", src.display()))?;
        // Only plain relative names: the media is not trusted to name our files.
        let Some(rel) = entry.enclosed_name() else {
            anyhow::bail!(
                "{}: entry {:?} leaves the index folder",
                src.display(),
                entry.name()
            );
        };
        let out = into.join(&rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&out)?;
            continue;
        }
        if let Some(p) = out.parent() {
            std::fs::create_dir_all(p)?;
        }
        let mut f = std::fs::File::create(&out).with_context(|| format!("creating {}", out.display()))?;
        std::io::copy(&mut entry, &mut f).with_context(|| format!("{}: {}", src.display(), rel.display()))?;
        f.sync_all()?;
    }
    Ok(())
}
