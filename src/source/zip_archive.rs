//! Zip archive roots, read in place (no extraction to disk), each entry bounded in size. The
//! files inside a pack's solid entries ([`crate::pack::solid`]) are listed and read as the
//! archive's own files.

use super::{MAX_FILE_BYTES, SourceError, SourceFile};
use crate::pack::solid;
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
    /// Every file, sorted by name: a `SourceFile`'s `zip_index` is its place here.
    entries: Vec<Entry>,
    /// Solid entries inflated lately (entry index, content), newest last.
    solid_cache: Mutex<Vec<(usize, solid::Opened)>>,
    /// (name, size, index) of the archives inside this one: opened as roots of their own
    /// (within bounds) instead of being read as files.
    inner: Vec<(String, u64, usize)>,
    /// For an archive taken out of another: its temporary copy, deleted with the root.
    _temp: Option<tempfile::TempPath>,
}

/// One file of the archive: an entry of its own, or a member of a solid entry.
struct Entry {
    name: String,
    size: u64,
    at: Loc,
}

#[derive(Clone, Copy)]
enum Loc {
    /// The zip entry index.
    Zip(usize),
    /// Inside the solid entry with this zip index.
    Member(usize),
}

/// Solid entries kept inflated: the index build reads a patient's files one after the other,
/// from a few threads at once.
const SOLID_CACHE: usize = 8;

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
        let listed = solid_members(&mut archive, path)?;
        let mut entries = Vec::with_capacity(archive.len());
        let mut inner = Vec::new();
        for i in 0..archive.len() {
            let (name, size) = match archive.by_index_raw(i) {
                Ok(entry) if !entry.is_dir() => (entry_name(entry.name_raw()), entry.size()),
                _ => continue,
            };
            if name == solid::MEMBERS && !listed.is_empty() {
                continue;
            }
            if let Some(files) = listed.get(&name) {
                entries.extend(files.iter().map(|(n, s)| Entry {
                    name: n.clone(),
                    size: *s,
                    at: Loc::Member(i),
                }));
                continue;
            }
            // As in folders: messages are not sniffed, anything else is by content.
            let base = name.rsplit('/').next().unwrap_or("");
            if !crate::ssmix2::layout::looks_like_message_name(base) && entry_is_zip(&mut archive, i) {
                inner.push((name, size, i));
            } else {
                entries.push(Entry {
                    name,
                    size,
                    at: Loc::Zip(i),
                });
            }
        }
        // Listing order is by name, whatever order the archiver wrote.
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        inner.sort();
        Ok(Self {
            path: path.to_path_buf(),
            seal,
            pool: Mutex::new(vec![archive]),
            entries,
            solid_cache: Mutex::new(Vec::new()),
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
        for (at, e) in self.entries.iter().enumerate() {
            each(SourceFile {
                root,
                path: e.name.clone(),
                size: e.size,
                modified: None,
                zip_index: Some(at),
                unreadable: None,
                raw: None,
            })?;
        }
        ControlFlow::Continue(())
    }

    /// The place of a name (a `SourceFile`'s `zip_index`), for reading one file on demand.
    pub(super) fn find(&self, name: &str) -> Option<(usize, u64)> {
        let at = self
            .entries
            .binary_search_by(|e| e.name.as_str().cmp(name))
            .ok()?;
        self.entries.get(at).map(|e| (at, e.size))
    }

    /// Reads the file at `at` (its place in the listing).
    pub(super) fn read(&self, at: usize) -> Result<Vec<u8>, SourceError> {
        let entry = self
            .entries
            .get(at)
            .ok_or_else(|| SourceError::Read(format!("{}: no entry {at}", self.path.display())))?;
        match entry.at {
            Loc::Zip(index) => self.with_archive(|a| read_entry(a, index)),
            Loc::Member(index) => {
                let opened = self.solid(index)?;
                solid::read_member(&opened, &entry.name, MAX_FILE_BYTES)
                    .map_err(|e| SourceError::Read(format!("{}: {}: {e}", self.path.display(), entry.name)))
            }
        }
    }

    /// Runs `f` on an archive from the pool (or a newly opened one), then returns it.
    fn with_archive<T>(
        &self,
        f: impl FnOnce(&mut Archive) -> Result<T, SourceError>,
    ) -> Result<T, SourceError> {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut archive = match taken {
            Some(a) => a,
            None => open_archive(&self.path, self.seal.as_ref())?,
        };
        let result = f(&mut archive);
        if let Ok(mut p) = self.pool.lock() {
            p.push(archive);
        }
        result
    }

    /// The solid entry `index`, inflated (from the cache when read lately).
    fn solid(&self, index: usize) -> Result<solid::Opened, SourceError> {
        if let Ok(cache) = self.solid_cache.lock()
            && let Some((_, o)) = cache.iter().find(|(i, _)| *i == index)
        {
            return Ok(o.clone());
        }
        let content = self.with_archive(|a| read_bounded(a, index, solid::MAX_SOLID_BYTES))?;
        let opened = solid::open(content)
            .map_err(|e| SourceError::Read(format!("{}: solid entry {index}: {e}", self.path.display())))?;
        if let Ok(mut cache) = self.solid_cache.lock() {
            if cache.len() >= SOLID_CACHE {
                cache.remove(0);
            }
            cache.push((index, opened.clone()));
        }
        Ok(opened)
    }
}

/// The member listing of a part with solid entries: solid entry name → its files. Empty for
/// any other archive. A listing that cannot be read fails the archive (its files would
/// otherwise go unseen), naming the part.
fn solid_members(
    archive: &mut Archive,
    path: &Path,
) -> Result<std::collections::HashMap<String, Vec<(String, u64)>>, SourceError> {
    let bad = |reason: String| SourceError::BadZip {
        path: path.display().to_string(),
        reason: format!("{}: {reason}", solid::MEMBERS),
    };
    let Some(index) = archive.index_for_name(solid::MEMBERS) else {
        return Ok(Default::default());
    };
    let bytes = read_bounded(archive, index, MAX_FILE_BYTES.max(1 << 30)).map_err(|e| bad(e.to_string()))?;
    let listed = solid::parse(&bytes).map_err(bad)?;
    let mut out = std::collections::HashMap::with_capacity(listed.len());
    for (entry, files) in listed {
        // Only names inside the solid folder stand for solid entries; the listing comes from
        // the media and must not hide the archive's other files.
        if entry.starts_with(solid::SOLID_DIR) && entry != solid::MEMBERS {
            out.insert(entry, files);
        }
    }
    Ok(out)
}

impl ZipRoot {
    /// One entry as a reader (inflated as it is read), for [`super::Snapshot::read_stream`].
    pub(super) fn read_stream<T>(
        &self,
        at: usize,
        each: impl FnOnce(&mut dyn Read) -> T,
    ) -> Result<T, SourceError> {
        let entry = self
            .entries
            .get(at)
            .ok_or_else(|| SourceError::Read(format!("{}: no entry {at}", self.path.display())))?;
        match entry.at {
            Loc::Zip(index) => self.with_archive(|archive| match archive.by_index(index) {
                Ok(mut entry) => Ok(each(&mut entry)),
                Err(e) => Err(SourceError::Read(format!("zip entry: {e}"))),
            }),
            // Members are small (a solid entry is at most `MAX_SOLID_BYTES`).
            Loc::Member(_) => {
                let bytes = self.read(at)?;
                Ok(each(&mut Cursor::new(bytes)))
            }
        }
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
    read_bounded(archive, index, MAX_FILE_BYTES)
}

/// One entry inflated, at most `limit` bytes: the declared size can lie (zip bombs), so what is
/// actually inflated is bounded.
fn read_bounded<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    limit: u64,
) -> Result<Vec<u8>, SourceError> {
    let entry = archive
        .by_index(index)
        .map_err(|e| SourceError::Read(format!("zip entry: {e}")))?;
    let mut buf = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| SourceError::Read(format!("zip entry: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(SourceError::TooLarge {
            size: buf.len() as u64,
            limit,
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
