//! Folder roots: a bounded, loop-safe walk.

use super::listing::Archives;
use super::{MAX_FILE_BYTES, SourceError, SourceFile};
use crate::report::{Problem, Severity};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

/// SS-MIX2 needs 6 levels (7 for extended storage) below its root; allow generous nesting
/// above it, but stop hostile depth.
const MAX_DEPTH: usize = 24;

/// Visits the files below `dir` depth-first, entries sorted by name (so every listing has the
/// same order), and records problems. Archives are collected or skipped as `archives` says.
pub(super) fn walk(
    dir: &Path,
    root: usize,
    mut archives: Archives<'_>,
    each: &mut dyn FnMut(SourceFile) -> ControlFlow<()>,
    problems: &mut Vec<Problem>,
) -> ControlFlow<()> {
    // Links are followed (a snapshot may be assembled with them); walkdir detects loops.
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(MAX_DEPTH + 1)
        .sort_by_file_name()
        .into_iter()
        // A prebuilt index shipped beside the data is ours, not part of the snapshot.
        .filter_entry(|e| {
            !(e.depth() == 1
                && e.file_name()
                    .to_string_lossy()
                    .starts_with(super::PREBUILT_INDEX_DIR))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().map(|p| relative(dir, p)).unwrap_or_default();
                let msg = if e.loop_ancestor().is_some() {
                    "folder link loop: this folder links back to one of its parents; not followed".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error().map_or_else(|| e.to_string(), |io| io.to_string())
                    )
                };
                problems.push(Problem::new(at, Severity::Error, msg));
                continue;
            }
        };
        let rel = relative(dir, entry.path());
        if entry.file_type().is_dir() {
            if entry.depth() > MAX_DEPTH {
                problems.push(Problem::new(
                    rel,
                    Severity::Error,
                    format!("folder nested deeper than {MAX_DEPTH} levels; its contents were not read"),
                ));
            }
            continue;
        }
        // Files down to MAX_DEPTH + 1 sit in folders that are read; deeper ones are not listed
        // and their folder is reported above.
        if !entry.file_type().is_file() {
            continue;
        }
        match &mut archives {
            Archives::Find(found) => {
                // A message is not opened to look for an archive: sniffing each of millions
                // would double the listing's cost. Were it an archive after all, it is read
                // as a message and rejected, so nothing goes unreported.
                let message =
                    crate::ssmix2::layout::looks_like_message_name(&entry.file_name().to_string_lossy());
                if !message && super::zip_archive::is_zip(entry.path()) {
                    found.push((entry.path().to_path_buf(), rel));
                    continue;
                }
            }
            Archives::Known(known) => {
                if known.is_some_and(|k| k.contains(&rel)) {
                    continue;
                }
            }
        }
        let meta = entry.metadata().ok();
        each(SourceFile {
            root,
            path: rel,
            size: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
            zip_index: None,
            unreadable: None,
        })?;
    }
    ControlFlow::Continue(())
}

pub(super) fn read(path: &Path) -> Result<Vec<u8>, SourceError> {
    let file = std::fs::File::open(path).map_err(|e| SourceError::Read(e.to_string()))?;
    // Sized from the open file: one read call for a whole message instead of a probe and
    // doubling reads (a snapshot is millions of 2 KB files, so syscalls per file count).
    let size = file.metadata().map_or(0, |m| m.len());
    if size > MAX_FILE_BYTES {
        return Err(SourceError::TooLarge {
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let mut buf = Vec::with_capacity(size as usize + 1);
    // The size can change under us: bound what is actually read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| SourceError::Read(e.to_string()))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(SourceError::TooLarge {
            size: buf.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(buf)
}

/// `/`-separated path below the root, whatever the platform.
fn relative(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}
