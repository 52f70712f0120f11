//! The prebuilt index of a pack: built (by the index's own build code) from the parts just
//! written, merged into one segment per index, and stored (not deflated: tantivy's files are
//! compressed already and are read at offsets) as `index.zip` through the seal.

use super::seal::SharedSeal;
use crate::index::IndexMeta;
use crate::progress::Progress;
use anyhow::Context;
use std::path::{Path, PathBuf};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

pub const INDEX_ZIP: &str = "index.zip";

/// Builds the index of the pack in `pack_dir` (its parts and a manifest listing them must be
/// there) and writes `index.zip` (plus the seal's suffix) beside them. Returns the file name and
/// the index's metadata (its report is the pack's own).
pub fn write(
    pack_dir: &Path,
    final_name: &str,
    seal: &SharedSeal,
    progress: &Progress,
) -> anyhow::Result<(String, IndexMeta)> {
    let scratch = tempfile::tempdir().context("creating a scratch folder for the index")?;
    let dir = scratch.path().join("index");
    let meta = crate::index::build_into(&[pack_dir.to_path_buf()], &dir, progress)?;
    crate::index::packed::merge_segments(&dir)?;
    crate::index::packed::rename_snapshot(&dir, final_name)?;
    let name = format!("{INDEX_ZIP}{}", seal.suffix());
    let path = pack_dir.join(&name);
    let file = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let sealed = seal
        .writer(file)
        .with_context(|| format!("writing {}", path.display()))?;
    let mut zip = ZipWriter::new_stream(sealed);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    for (rel, full) in files_under(&dir)? {
        zip.start_file(rel.as_str(), options)?;
        let mut f = std::fs::File::open(&full).with_context(|| format!("reading {}", full.display()))?;
        std::io::copy(&mut f, &mut zip)
            .with_context(|| format!("writing {} into {}", rel, path.display()))?;
    }
    zip.finish()?
        .into_inner()
        .finish()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok((name, meta))
}

/// Every file below `dir`, by `/`-separated relative path, sorted.
fn files_under(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                let rel = rel.join("/");
                // tantivy's lock files are not part of the index.
                if !rel.ends_with(".lock") {
                    out.push((rel, p));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}
