//! Zip archive roots, read in place (no extraction to disk), each entry bounded in size.

use super::{MAX_FILE_BYTES, SourceError, SourceFile};
use crate::pack::{ReadSeek, SharedSeal};
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zip::ZipArchive;

/// Read through a [`crate::pack::Seal`] for pack parts (plain or encrypted), else buffered.
type Archive = ZipArchive<Box<dyn ReadSeek>>;

pub(super) struct ZipRoot {
    path: PathBuf,
    /// How the file is read: `None` for an ordinary zip, a pack's seal for its parts.
    seal: Option<SharedSeal>,
    /// Open archives ready for reuse: reading needs `&mut`, and several threads read at once.
    pool: Mutex<Vec<Archive>>,
    /// (name, size, index) of every file entry.
    entries: Vec<(String, u64, usize)>,
    /// (name, size, index) of the archives inside this one: opened as roots of their own
    /// (within bounds) instead of being read as files.
    inner: Vec<(String, u64, usize)>,
    /// For an archive taken out of another: its temporary copy, deleted with the root.
    _temp: Option<tempfile::TempPath>,
}

/// By the local-file-header magic, not by extension.
pub(super) fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

impl ZipRoot {
    pub(super) fn open(path: &Path) -> Result<Self, SourceError> {
        Self::open_sealed(path, None)
    }

    /// Opens an archive whose bytes are read through `seal` (a pack part).
    pub(super) fn open_sealed(path: &Path, seal: Option<SharedSeal>) -> Result<Self, SourceError> {
        let mut archive = open_archive(path, seal.as_ref())?;
        let mut entries = Vec::with_capacity(archive.len());
        let mut inner = Vec::new();
        for i in 0..archive.len() {
            let (name, size) = match archive.by_index_raw(i) {
                Ok(entry) if !entry.is_dir() => (entry_name(entry.name_raw()), entry.size()),
                _ => continue,
            };
            // As in folders: messages are not sniffed, anything else is by content.
            let base = name.rsplit('/').next().unwrap_or("");
            if !crate::ssmix2::layout::looks_like_message_name(base) && entry_is_zip(&mut archive, i) {
                inner.push((name, size, i));
            } else {
                entries.push((name, size, i));
            }
        }
        // Listing order is by name, whatever order the archiver wrote.
        entries.sort();
        inner.sort();
        Ok(Self {
            path: path.to_path_buf(),
            seal,
            pool: Mutex::new(vec![archive]),
            entries,
            inner,
            _temp: None,
        })
    }

    /// Opens an archive extracted to a temporary file (never next to the snapshot).
    pub(super) fn open_extracted(temp: tempfile::TempPath) -> Result<Self, SourceError> {
        let mut z = Self::open(&temp)?;
        z._temp = Some(temp);
        Ok(z)
    }

    /// The archives inside this one: (name, size, index), sorted by name.
    pub(super) fn inner(&self) -> &[(String, u64, usize)] {
        &self.inner
    }

    pub(super) fn entry_count(&self) -> u64 {
        (self.entries.len() + self.inner.len()) as u64
    }

    /// Copies one entry to a temporary file, at most `limit` bytes (the declared size can lie).
    pub(super) fn extract(&self, index: usize, limit: u64) -> Result<tempfile::TempPath, SourceError> {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut archive = match taken {
            Some(a) => a,
            None => open_archive(&self.path, self.seal.as_ref())?,
        };
        let result = extract_entry(&mut archive, index, limit);
        if let Ok(mut p) = self.pool.lock() {
            p.push(archive);
        }
        result
    }

    /// Visits every file entry, sorted by name.
    pub(super) fn each_entry(
        &self,
        root: usize,
        each: &mut dyn FnMut(SourceFile) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        for (name, size, index) in &self.entries {
            each(SourceFile {
                root,
                path: name.clone(),
                size: *size,
                modified: None,
                zip_index: Some(*index),
                unreadable: None,
                raw: None,
            })?;
        }
        ControlFlow::Continue(())
    }

    /// The entry index of a name, for reading one file on demand.
    pub(super) fn find(&self, name: &str) -> Option<(usize, u64)> {
        let at = self
            .entries
            .binary_search_by(|(n, _, _)| n.as_str().cmp(name))
            .ok()?;
        self.entries.get(at).map(|(_, size, index)| (*index, *size))
    }

    pub(super) fn read(&self, index: usize) -> Result<Vec<u8>, SourceError> {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut archive = match taken {
            Some(a) => a,
            None => open_archive(&self.path, self.seal.as_ref())?,
        };
        let result = read_entry(&mut archive, index);
        if let Ok(mut p) = self.pool.lock() {
            p.push(archive);
        }
        result
    }
}

impl ZipRoot {
    /// One entry as a reader (inflated as it is read), for [`super::Snapshot::read_stream`].
    pub(super) fn read_stream<T>(
        &self,
        index: usize,
        each: impl FnOnce(&mut dyn Read) -> T,
    ) -> Result<T, SourceError> {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut archive = match taken {
            Some(a) => a,
            None => open_archive(&self.path, self.seal.as_ref())?,
        };
        let result = match archive.by_index(index) {
            Ok(mut entry) => Ok(each(&mut entry)),
            Err(e) => Err(SourceError::Read(format!("zip entry: {e}"))),
        };
        if let Ok(mut p) = self.pool.lock() {
            p.push(archive);
        }
        result
    }
}

/// (name, size, index) of every file entry, sorted by name whatever order the archiver wrote.
fn list<R: Read + Seek>(archive: &mut ZipArchive<R>) -> Vec<(String, u64, usize)> {
    let mut entries = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        entries.push((entry_name(entry.name_raw()), entry.size(), i));
    }
    entries.sort();
    entries
}

/// One entry of an in-memory zip: its name, and its bytes or why they could not be read.
pub type ZipEntryRead = (String, Result<Vec<u8>, SourceError>);

/// Every file entry of a zip held in memory, listed and read as a zip root lists and reads
/// them (same names, same bounds): (name, bytes or why not). For fuzzing.
pub fn read_zip_bytes(bytes: &[u8]) -> Result<Vec<ZipEntryRead>, SourceError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| SourceError::BadZip {
        path: "(bytes)".into(),
        reason: e.to_string(),
    })?;
    let entries = list(&mut archive);
    Ok(entries
        .into_iter()
        .map(|(name, _, index)| {
            let read = read_entry(&mut archive, index);
            (name, read)
        })
        .collect())
}

fn open_archive(path: &Path, seal: Option<&SharedSeal>) -> Result<Archive, SourceError> {
    let shown = path.display().to_string();
    let open_error = |e| SourceError::Open {
        path: shown.clone(),
        source: e,
    };
    let reader: Box<dyn ReadSeek> = match seal {
        Some(seal) => seal.open(path).map_err(open_error)?,
        None => Box::new(BufReader::new(File::open(path).map_err(open_error)?)),
    };
    ZipArchive::new(reader).map_err(|e| SourceError::BadZip {
        path: shown,
        reason: e.to_string(),
    })
}

fn entry_is_zip(archive: &mut Archive, index: usize) -> bool {
    let mut magic = [0u8; 4];
    archive
        .by_index(index)
        .ok()
        .is_some_and(|mut e| e.read_exact(&mut magic).is_ok() && magic == *b"PK\x03\x04")
}

fn extract_entry(archive: &mut Archive, index: usize, limit: u64) -> Result<tempfile::TempPath, SourceError> {
    let failed = |e: std::io::Error| SourceError::Read(format!("zip entry: {e}"));
    let entry = archive
        .by_index(index)
        .map_err(|e| SourceError::Read(format!("zip entry: {e}")))?;
    let mut tmp = tempfile::NamedTempFile::new().map_err(failed)?;
    let n = std::io::copy(&mut entry.take(limit + 1), &mut tmp).map_err(failed)?;
    if n > limit {
        return Err(SourceError::TooLarge { size: n, limit });
    }
    Ok(tmp.into_temp_path())
}

fn read_entry<R: Read + Seek>(archive: &mut ZipArchive<R>, index: usize) -> Result<Vec<u8>, SourceError> {
    let entry = archive
        .by_index(index)
        .map_err(|e| SourceError::Read(format!("zip entry: {e}")))?;
    let mut buf = Vec::new();
    // The declared size can lie (zip bombs): bound what is actually inflated.
    entry
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| SourceError::Read(format!("zip entry: {e}")))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(SourceError::TooLarge {
            size: buf.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(buf)
}

/// Entry names are UTF-8 when the archiver says so, but Japanese Windows writes CP932 without
/// saying so; try UTF-8, then CP932.
fn entry_name(raw: &[u8]) -> String {
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    };
    name.replace('\\', "/").trim_start_matches('/').to_string()
}
