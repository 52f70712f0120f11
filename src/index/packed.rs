//! The index shipped in a pack (issue 15): built by `lifeboat pack` from the written parts,
//! merged into one segment per index, stored as `index.zip` through the pack's seal; on the
//! laptop opened in place on the media ([`super::pack_dir`]): nothing is copied to the laptop.

use super::block_cache::CacheConfig;
use super::build::{PATIENTS_DIR, RECORDS_DIR};
use super::meta::{COMPLETE_FILE, IndexMeta, META_FILE};
use super::pack_dir::{PackDirectory, PackedIndexFile};
use crate::pack::OpenedPack;
use anyhow::Context;
use std::path::Path;
use std::sync::Arc;
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

/// The shipped index of `pack`, opened in place: its metadata and its two tantivy directories,
/// read through the pack's seal (block-checked, decrypted) and one shared block cache.
pub struct InPlace {
    pub meta: IndexMeta,
    pub file: Arc<PackedIndexFile>,
    pub patients: PackDirectory,
    pub records: PackDirectory,
}

/// Opens the pack's `index.zip` where it is (nothing is copied or written): reads the zip's
/// central directory, then the index's metadata from its entry.
pub fn open_in_place(pack: &OpenedPack, cache: CacheConfig) -> anyhow::Result<InPlace> {
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
    let path = pack.dir.join(name);
    let file = PackedIndexFile::open(&path, pack.seal.clone(), cache)?;
    // Shipped whole by `lifeboat pack`: a zip without the marker was cut or altered.
    anyhow::ensure!(
        file.has(COMPLETE_FILE),
        "{}: the shipped index is incomplete ({COMPLETE_FILE} missing)",
        path.display()
    );
    let bytes = file
        .read_entry(META_FILE)
        .with_context(|| format!("{}: reading {META_FILE}", path.display()))?;
    let meta: IndexMeta =
        serde_json::from_slice(&bytes).with_context(|| format!("{}: {META_FILE}", path.display()))?;
    Ok(InPlace {
        meta,
        patients: file.directory(&format!("{PATIENTS_DIR}/")),
        records: file.directory(&format!("{RECORDS_DIR}/")),
        file,
    })
}
