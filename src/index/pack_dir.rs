//! The index shipped in a pack, read in place from the media (issue 15): a read-only tantivy
//! directory whose files are the entries of the sealed `index.zip`. Entries are stored (not
//! deflated), so each tantivy file is one byte range of the zip; every byte comes through the
//! pack's seal (block-checked against the manifest, decrypted when encrypted) and a bounded
//! block cache. Nothing is written anywhere: opening a 50,000-patient pack from a DVD no longer
//! copies 2 GB first.

use super::block_cache::{BlockCache, CacheConfig, CacheStats};
use crate::pack::SharedSeal;
use crate::pack::seal::ReadSeek;
use anyhow::Context;
use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

/// Seal readers kept open for the cache's misses; tantivy reads from a few threads at most.
const IDLE_READERS: usize = 4;
/// A zip local file header before its name and extra field.
const LOCAL_HEADER: u64 = 30;
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;

/// One stored entry of the zip.
struct Entry {
    /// The name as the central directory has it, compared with the local header's.
    raw_name: Vec<u8>,
    header_start: u64,
    size: u64,
    /// Where the next entry (or the central directory) starts: the data must end before.
    limit: u64,
    /// Found in the local header on first open.
    data_start: OnceLock<u64>,
}

/// The sealed `index.zip` of a pack: its entries, its readers and its block cache.
pub struct PackedIndexFile {
    /// The media file, for messages.
    path: PathBuf,
    seal: SharedSeal,
    /// Plaintext length.
    len: u64,
    entries: HashMap<String, Entry>,
    readers: Mutex<Vec<Box<dyn ReadSeek>>>,
    cache: BlockCache,
}

impl std::fmt::Debug for PackedIndexFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackedIndexFile")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl PackedIndexFile {
    /// Reads the zip's central directory once. Refused: an entry that is not stored as is,
    /// a name that is not a plain relative path, two entries of one name, entries that overlap.
    pub fn open(path: &Path, seal: SharedSeal, cache: CacheConfig) -> anyhow::Result<Arc<PackedIndexFile>> {
        let shown = path.display().to_string();
        let reader = seal.open(path).with_context(|| format!("reading {shown}"))?;
        let zip = zip::ZipArchive::new(reader).with_context(|| format!("{shown}: not a zip"))?;
        anyhow::ensure!(
            !zip.has_duplicate_names(),
            "{shown}: two entries have the same name"
        );
        let directory_start = zip.central_directory_start();
        let mut found: Vec<(String, Entry)> = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let e = zip
                .by_index_data(i)
                .with_context(|| format!("{shown}: entry {i}"))?;
            let name = e
                .name()
                .with_context(|| format!("{shown}: entry {i}: unreadable name"))?
                .into_owned();
            anyhow::ensure!(
                is_plain_relative(&name),
                "{shown}: entry {name:?} is not a plain relative path"
            );
            if e.is_dir() {
                continue;
            }
            anyhow::ensure!(
                e.compression() == zip::CompressionMethod::Stored
                    && !e.encrypted()
                    && e.compressed_size() == e.size(),
                "{shown}: entry {name} is not stored as is (compressed or encrypted)"
            );
            found.push((
                name,
                Entry {
                    raw_name: e.name_raw().to_vec(),
                    header_start: e.header_start(),
                    size: e.size(),
                    limit: 0,
                    data_start: OnceLock::new(),
                },
            ));
        }
        // Each entry lies before the next one: at least its header, name and data.
        found.sort_by_key(|(_, e)| e.header_start);
        for i in 0..found.len() {
            let next = found.get(i + 1).map_or(directory_start, |(_, e)| e.header_start);
            let (name, e) = &mut found[i];
            let least_end = e
                .header_start
                .checked_add(LOCAL_HEADER + e.raw_name.len() as u64)
                .and_then(|v| v.checked_add(e.size));
            anyhow::ensure!(
                least_end.is_some_and(|end| end <= next),
                "{shown}: entry {name} overlaps the next one"
            );
            e.limit = next;
        }
        let mut reader = zip.into_inner();
        let len = reader
            .seek(SeekFrom::End(0))
            .with_context(|| format!("{shown}: cannot find its length"))?;
        anyhow::ensure!(
            directory_start <= len,
            "{shown}: the central directory starts past the end"
        );
        Ok(Arc::new(PackedIndexFile {
            path: path.to_path_buf(),
            seal,
            len,
            entries: found.into_iter().collect(),
            readers: Mutex::new(vec![reader]),
            cache: BlockCache::new(cache),
        }))
    }

    /// What the cache read so far: blocks, and bytes of `index.zip` (plaintext; the media is
    /// read in whole 1 MiB check blocks below it).
    pub fn stats(&self) -> CacheStats {
        self.cache.stats()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the zip holds an entry of this name.
    pub fn has(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// A directory over the entries below `prefix` (`"patients/"`; `""` for the top).
    pub fn directory(self: &Arc<Self>, prefix: &str) -> PackDirectory {
        PackDirectory {
            file: self.clone(),
            prefix: prefix.to_string(),
        }
    }

    /// The bytes of one entry, whole (metadata files).
    pub fn read_entry(self: &Arc<Self>, name: &str) -> io::Result<Vec<u8>> {
        let handle = self.handle(name)?;
        Ok(handle.read_bytes(0..handle.len())?.to_vec())
    }

    fn handle(self: &Arc<Self>, name: &str) -> io::Result<PackFile> {
        let entry = self.entries.get(name).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no entry {name}", self.path.display()),
            )
        })?;
        let start = self.data_start(name, entry)?;
        Ok(PackFile {
            file: self.clone(),
            name: name.to_string(),
            start,
            len: entry.size,
        })
    }

    /// Where the entry's bytes start: after its local header, which must name the same entry,
    /// stored, and leave the data before the next entry.
    fn data_start(&self, name: &str, e: &Entry) -> io::Result<u64> {
        if let Some(s) = e.data_start.get() {
            return Ok(*s);
        }
        let bad = |why: &str| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: entry {name}: {why}", self.path.display()),
            )
        };
        let header_end = e.header_start + LOCAL_HEADER;
        let h = self.read_at(e.header_start..header_end)?;
        let u16_at = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]);
        if u32::from_le_bytes([h[0], h[1], h[2], h[3]]) != LOCAL_SIGNATURE {
            return Err(bad("no local header where the central directory says"));
        }
        if u16_at(6) & 1 != 0 || u16_at(8) != 0 {
            return Err(bad("the local header says compressed or encrypted"));
        }
        let name_len = u64::from(u16_at(26));
        let extra_len = u64::from(u16_at(28));
        let local_name = self.read_at(header_end..header_end + name_len)?;
        if local_name[..] != e.raw_name[..] {
            return Err(bad("the local header names another entry"));
        }
        let start = header_end + name_len + extra_len;
        if start.checked_add(e.size).is_none_or(|end| end > e.limit) {
            return Err(bad("its data overlaps the next entry"));
        }
        Ok(*e.data_start.get_or_init(|| start))
    }

    fn read_at(&self, range: Range<u64>) -> io::Result<OwnedBytes> {
        self.cache.read(range, &|at, len| self.load(at, len))
    }

    /// Reads up to `len` bytes at `at` with an idle seal reader (or a new one).
    fn load(&self, at: u64, len: u64) -> io::Result<Vec<u8>> {
        let n = len.min(self.len.saturating_sub(at));
        let idle = self.readers.lock().ok().and_then(|mut r| r.pop());
        let mut reader = match idle {
            Some(r) => r,
            None => self.seal.open(&self.path)?,
        };
        let mut buf = vec![0u8; n as usize];
        reader.seek(SeekFrom::Start(at))?;
        reader.read_exact(&mut buf)?;
        // A reader that failed is dropped: its state is unknown.
        if let Ok(mut r) = self.readers.lock()
            && r.len() < IDLE_READERS
        {
            r.push(reader);
        }
        Ok(buf)
    }
}

/// A name as `lifeboat pack` writes it: `/`-separated normal components, nothing else.
fn is_plain_relative(name: &str) -> bool {
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    !trimmed.is_empty()
        && !trimmed.contains('\\')
        && trimmed.split('/').all(|c| {
            let mut parts = Path::new(c).components();
            matches!(parts.next(), Some(Component::Normal(n)) if n == c) && parts.next().is_none()
        })
}

/// A tantivy directory of the entries below one prefix of the packed `index.zip`.
#[derive(Clone, Debug)]
pub struct PackDirectory {
    file: Arc<PackedIndexFile>,
    prefix: String,
}

impl PackDirectory {
    fn name(&self, path: &Path) -> Option<String> {
        let rel = path.to_str()?;
        is_plain_relative(rel).then(|| format!("{}{rel}", self.prefix))
    }

    fn refused(&self, path: &Path) -> io::Error {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{}: {}{}: the packed index is read-only",
                self.file.path.display(),
                self.prefix,
                path.display()
            ),
        )
    }
}

impl Directory for PackDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let Some(name) = self.name(path).filter(|n| self.file.has(n)) else {
            return Err(OpenReadError::FileDoesNotExist(path.to_path_buf()));
        };
        match self.file.handle(&name) {
            Ok(h) => Ok(Arc::new(h)),
            Err(e) => Err(OpenReadError::IoError {
                io_error: Arc::new(e),
                filepath: path.to_path_buf(),
            }),
        }
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.name(path).is_some_and(|n| self.file.has(&n)))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let handle = self.get_file_handle(path)?;
        match handle.read_bytes(0..handle.len()) {
            Ok(b) => Ok(b.to_vec()),
            Err(e) => Err(OpenReadError::IoError {
                io_error: Arc::new(e),
                filepath: path.to_path_buf(),
            }),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(self.refused(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(self.refused(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(self.refused(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// A shipped index never changes: nothing for a lock to protect (and nowhere to put it).
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

/// One entry, as tantivy reads it: byte ranges through the shared cache.
struct PackFile {
    file: Arc<PackedIndexFile>,
    name: String,
    start: u64,
    len: u64,
}

impl std::fmt::Debug for PackFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.path.display(), self.name)
    }
}

impl HasLen for PackFile {
    fn len(&self) -> usize {
        self.len as usize
    }
}

impl FileHandle for PackFile {
    /// Errors name the pack file and the entry, and keep their kind (a block that differs
    /// from the manifest says 改ざんの疑い).
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let context = |e: io::Error| {
            io::Error::new(
                e.kind(),
                format!("{}: {}: {e}", self.file.path.display(), self.name),
            )
        };
        if range.start > range.end || range.end as u64 > self.len {
            return Err(context(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bytes {range:?} of a {}-byte file", self.len),
            )));
        }
        self.file
            .read_at(self.start + range.start as u64..self.start + range.end as u64)
            .map_err(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Plain;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(path: &Path, files: &[(&str, &[u8])], method: zip::CompressionMethod) {
        let f = std::fs::File::create(path).expect("create");
        let mut z = zip::ZipWriter::new(f);
        let o = SimpleFileOptions::default().compression_method(method);
        for (name, data) in files {
            z.start_file(*name, o).expect("start");
            z.write_all(data).expect("write");
        }
        z.finish().expect("finish");
    }

    fn small() -> CacheConfig {
        CacheConfig {
            block_bytes: 4096,
            cap_bytes: 1 << 20,
        }
    }

    #[test]
    fn entries_read_at_any_range_and_writes_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("index.zip");
        let big: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 253) as u8).collect();
        zip_of(
            &path,
            &[
                ("meta.json", b"{}"),
                ("records/a.store", &big),
                ("records/b.idx", b"bbb"),
            ],
            zip::CompressionMethod::Stored,
        );
        let file = PackedIndexFile::open(&path, Arc::new(Plain), small()).expect("opens");
        let records = file.directory("records/");
        let h = records.get_file_handle(Path::new("a.store")).expect("handle");
        assert_eq!(h.len(), big.len());
        assert_eq!(&h.read_bytes(4090..9000).expect("read")[..], &big[4090..9000]);
        assert_eq!(&h.read_bytes(49_990..50_000).expect("read")[..], &big[49_990..]);
        assert!(h.read_bytes(49_990..50_001).is_err(), "past the entry");
        assert_eq!(records.atomic_read(Path::new("b.idx")).expect("read"), b"bbb");
        assert!(records.exists(Path::new("b.idx")).expect("exists"));
        assert!(!records.exists(Path::new("meta.json")).expect("exists"));
        assert!(!records.exists(Path::new("../meta.json")).expect("exists"));
        assert!(matches!(
            records.atomic_read(Path::new("meta.json")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
        assert_eq!(file.read_entry("meta.json").expect("read"), b"{}");
        assert!(records.atomic_write(Path::new("x"), b"1").is_err());
        assert!(records.delete(Path::new("b.idx")).is_err());
        assert!(file.stats().misses > 0);
    }

    #[test]
    fn a_deflated_entry_or_a_path_outside_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("index.zip");
        zip_of(&path, &[("a", b"aaaa")], zip::CompressionMethod::Deflated);
        let err = PackedIndexFile::open(&path, Arc::new(Plain), small()).expect_err("deflated");
        assert!(err.to_string().contains("not stored as is"), "{err:#}");
        zip_of(&path, &[("../a", b"aaaa")], zip::CompressionMethod::Stored);
        let err = PackedIndexFile::open(&path, Arc::new(Plain), small()).expect_err("outside");
        assert!(err.to_string().contains("not a plain relative path"), "{err:#}");
        for name in ["/a", "a/./b", "a//b", "a\\b", ".."] {
            assert!(!is_plain_relative(name), "{name}");
        }
        assert!(is_plain_relative("patients/meta.json"));
    }

    #[test]
    fn overlapping_entries_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("index.zip");
        zip_of(
            &path,
            &[("a", &[1u8; 100]), ("b", &[2u8; 100])],
            zip::CompressionMethod::Stored,
        );
        // Make the central directory say entry "a" is 150 bytes long: it runs into "b".
        let mut bytes = std::fs::read(&path).expect("read");
        let central = bytes
            .windows(4)
            .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
            .expect("central directory");
        for at in [central + 20, central + 24] {
            bytes[at..at + 4].copy_from_slice(&150u32.to_le_bytes());
        }
        std::fs::write(&path, &bytes).expect("write");
        let err = PackedIndexFile::open(&path, Arc::new(Plain), small()).expect_err("overlap");
        assert!(err.to_string().contains("overlaps the next one"), "{err:#}");
    }
}
