//! Nightly reuse: a source file whose path, size and modification time are unchanged since the
//! previous generation was packed is copied from it still compressed (SS-MIX2 files are written
//! once; a condition flag change renames them, so a new name is packed anew). The size and time
//! are kept in each entry's comment (`lb1 <size> <mtime ns>`); a patient's solid entry keeps the
//! digest of its files' names and stamps (`lb2 <sha256>`), so it is copied when none changed.

use super::open::OpenedPack;
use super::seal::ReadSeek;
use crate::source::SourceFile;
use std::collections::HashMap;
use std::io::Write;
use std::time::UNIX_EPOCH;
use zip::write::StreamWriter;
use zip::{ZipArchive, ZipWriter};

const TAG: &str = "lb1";
/// The stamp tag of solid entries ([`super::solid`]).
pub const SOLID_TAG: &str = "lb2";

/// The stamp of a source file; none when its time is unknown (files inside zip sources).
pub fn stamp(f: &SourceFile) -> Option<String> {
    let t = f.modified?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!("{TAG} {} {}", f.size, t.as_nanos()))
}

/// The previous generation's parts, open for raw copies.
pub struct Previous {
    parts: Vec<ZipArchive<Box<dyn ReadSeek>>>,
    /// Entry name → (part, entry index, stamp).
    entries: HashMap<String, (usize, usize, String)>,
}

impl Previous {
    /// Opens `pack`'s parts; `None` (pack anew) when any part cannot be read.
    pub fn open(pack: &OpenedPack) -> Option<Previous> {
        let mut parts = Vec::new();
        let mut entries = HashMap::new();
        for (p, path) in pack.parts.iter().enumerate() {
            let reader = pack.seal.open(path).ok()?;
            let mut archive = ZipArchive::new(reader).ok()?;
            for i in 0..archive.len() {
                let Ok(e) = archive.by_index_raw(i) else { continue };
                let comment = e.comment();
                if (comment.starts_with(TAG) || comment.starts_with(SOLID_TAG))
                    && let Ok(name) = e.name()
                {
                    entries.insert(name.to_string(), (p, i, comment.to_string()));
                }
            }
            parts.push(archive);
        }
        Some(Previous { parts, entries })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Copies `name` compressed into `zip` when its stamp equals `stamp`; false when it does
    /// not (then the caller compresses it).
    pub fn copy<W: Write>(
        &mut self,
        name: &str,
        stamp: &str,
        zip: &mut ZipWriter<StreamWriter<W>>,
    ) -> anyhow::Result<bool> {
        let Some((p, i, s)) = self.entries.get(name) else {
            return Ok(false);
        };
        if s != stamp {
            return Ok(false);
        }
        let Some(archive) = self.parts.get_mut(*p) else {
            return Ok(false);
        };
        let entry = archive.by_index_raw(*i)?;
        zip.raw_copy_file(entry)?;
        Ok(true)
    }
}
