//! Where a snapshot's files come from: folders and zip archives, one or several roots. Files
//! are handed out as (relative path, bytes); nothing here writes, and nothing is executed.

mod folder;
mod listing;
mod names;
mod spool;
mod zip_archive;

pub use listing::{ListingDigest, listing_digest};
pub use spool::Spool;
pub use zip_archive::{ZipEntryRead, read_zip_bytes};

use std::path::{Path, PathBuf};
use std::time::SystemTime;
use thiserror::Error;

/// No single SS-MIX2 message or FHIR file is anywhere near this; larger files are hostile or
/// not clinical data, and are reported instead of read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum SourceError {
    #[error("{path}: cannot open: {source}")]
    Open { path: String, source: std::io::Error },
    #[error("{path}: not a folder, zip archive or file")]
    NotFound { path: String },
    #[error("{path}: unreadable zip archive: {reason}")]
    BadZip { path: String, reason: String },
    #[error("cannot read: {0}")]
    Read(String),
    #[error("{path}: {reason}")]
    Special { path: String, reason: String },
    #[error("file too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { size: u64, limit: u64 },
}

/// A prebuilt index may be shipped inside a snapshot folder under this name; it is skipped when
/// the snapshot is listed and opened read-only by the index.
pub const PREBUILT_INDEX_DIR: &str = ".lifeboat-index";

/// One input file of the snapshot.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Which root it is in.
    pub root: usize,
    /// Path inside the root, `/`-separated.
    pub path: String,
    pub size: u64,
    pub modified: Option<SystemTime>,
    /// For zip roots: the entry index, so reading needs no name lookup.
    zip_index: Option<usize>,
    /// Set when the file is an archive that cannot be opened: it is reported as rejected
    /// with this reason instead of being read.
    pub unreadable: Option<String>,
    /// The path below the root as it is on disk, when a name on the way is not valid Unicode
    /// (`path` then shows it decoded).
    raw: Option<PathBuf>,
}

impl SourceFile {
    /// The last path component.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

enum RootKind {
    Folder(PathBuf),
    /// A single file given directly.
    File(PathBuf),
    Zip(zip_archive::ZipRoot),
}

struct Root {
    label: String,
    kind: RootKind,
    /// What goes before a file's path when shown: empty for a single root, the root's label
    /// with several, and the archive's own path for archives found inside a folder.
    prefix: String,
}

/// A snapshot: one or several roots whose files are read together.
pub struct Snapshot {
    roots: Vec<Root>,
    /// Every input path as given, for the report.
    inputs: Vec<String>,
    /// Roots that could not be opened while others could: listed as unreadable files.
    unopened: Vec<SourceFile>,
    /// Roots given to `open`; nested archives found by `list` come after them.
    given_roots: usize,
    /// What the last full listing found about archives inside folder roots, so that a
    /// re-listing (`relist_each`) need not sniff every file again.
    nested: listing::NestedArchives,
}

impl Snapshot {
    /// Opens folders, zip archives (by content, whatever the extension) or single files. Zip
    /// archives found inside a folder root become roots of their own. An unreadable archive is
    /// an error only when no root can be opened; otherwise it is a problem line and the rest is
    /// read.
    pub fn open(paths: &[PathBuf]) -> Result<Self, SourceError> {
        let mut roots = Vec::new();
        let mut unopened = Vec::new();
        let mut first_error = None;
        // As given, except that a folder of pack generations names the one opened.
        let mut inputs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        for (at, p) in paths.iter().enumerate() {
            let shown = p.display().to_string();
            let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => SourceError::NotFound { path: shown.clone() },
                _ => SourceError::Open {
                    path: shown.clone(),
                    source: e,
                },
            })?;
            let label = file_label(p);
            // A pack (or the folder holding its generations) is read as its archive parts: one
            // tree split in parts, so the parts carry no prefix of their own.
            if meta.is_dir()
                && let Some(opened) = crate::pack::open::open(p)
            {
                let pack = opened.map_err(|e| SourceError::Special {
                    path: shown.clone(),
                    reason: format!("{e:#}"),
                })?;
                let label = file_label(&pack.dir);
                if let Some(shown) = inputs.get_mut(at) {
                    *shown = pack.dir.display().to_string();
                }
                for part in &pack.parts {
                    let z = zip_archive::ZipRoot::open_sealed(part, Some(pack.seal.clone()))?;
                    roots.push(Root {
                        label: label.clone(),
                        kind: RootKind::Zip(z),
                        prefix: String::new(),
                    });
                }
                continue;
            }
            if meta.is_dir() {
                roots.push(Root {
                    label,
                    kind: RootKind::Folder(p.clone()),
                    prefix: String::new(),
                });
            } else if !meta.is_file() {
                // A FIFO given as the snapshot would hang the first open: never opened.
                let e = SourceError::Special {
                    path: shown.clone(),
                    reason: folder::special_reason(&meta.file_type()),
                };
                let mut f = single_file(p, usize::MAX);
                f.unreadable = Some(e.to_string());
                unopened.push(f);
                first_error.get_or_insert(e);
            } else if zip_archive::is_zip(p) {
                match zip_archive::ZipRoot::open(p) {
                    Ok(z) => roots.push(Root {
                        label,
                        kind: RootKind::Zip(z),
                        prefix: String::new(),
                    }),
                    Err(e) => {
                        let mut f = single_file(p, usize::MAX);
                        f.unreadable = Some(e.to_string());
                        unopened.push(f);
                        first_error.get_or_insert(e);
                    }
                }
            } else {
                roots.push(Root {
                    label,
                    kind: RootKind::File(p.clone()),
                    prefix: String::new(),
                });
            }
        }
        if let (true, Some(e)) = (roots.is_empty(), first_error) {
            return Err(e);
        }
        if paths.len() > 1 {
            for r in &mut roots {
                r.prefix = r.label.clone();
            }
        }
        Ok(Self {
            given_roots: roots.len(),
            roots,
            inputs,
            unopened,
            nested: listing::NestedArchives::default(),
        })
    }

    pub fn inputs(&self) -> &[String] {
        &self.inputs
    }

    /// A short name for screens and printouts: the first root's folder or file name.
    pub fn name(&self) -> String {
        let mut names: Vec<&str> = self.roots.iter().map(|r| r.label.as_str()).collect();
        // The parts of one pack share its name.
        names.dedup();
        names.join(" + ")
    }

    /// The path shown for a file: prefixed with its root's label when there are several roots.
    pub fn display_path(&self, f: &SourceFile) -> String {
        match self.roots.get(f.root).map(|r| r.prefix.as_str()) {
            Some(prefix) if !prefix.is_empty() => format!("{prefix}/{}", f.path),
            _ => f.path.clone(),
        }
    }

    /// Reads one file named by its display path (as in provenance and the report). Paths that
    /// climb out of a root (`..`) are refused: provenance comes from the media, not from us.
    pub fn read_path(&self, shown: &str) -> Result<Vec<u8>, SourceError> {
        let not_found = || SourceError::Read(format!("{shown}: no such file in the snapshot"));
        if shown.split('/').any(|c| c == "..") {
            return Err(not_found());
        }
        // The longest matching prefix wins: nested archives sit under their folder's prefix.
        let mut candidates: Vec<(usize, &Root)> = self.roots.iter().enumerate().collect();
        candidates.sort_by_key(|(_, r)| std::cmp::Reverse(r.prefix.len()));
        for (i, root) in candidates {
            let rest = if root.prefix.is_empty() {
                shown
            } else if let Some(r) = shown.strip_prefix(&root.prefix).and_then(|r| r.strip_prefix('/')) {
                r
            } else {
                continue;
            };
            let found = match &root.kind {
                // Resolved inside the root only: a link out of it is not read here either.
                RootKind::Folder(dir) => folder::find(dir, rest).map(|(p, m)| SourceFile {
                    root: i,
                    path: rest.to_string(),
                    size: m.len(),
                    modified: None,
                    zip_index: None,
                    unreadable: None,
                    raw: p.strip_prefix(dir).ok().map(Path::to_path_buf),
                }),
                RootKind::File(path) => (file_label(path) == rest).then(|| single_file(path, i)),
                RootKind::Zip(z) => z.find(rest).map(|(index, size)| SourceFile {
                    root: i,
                    path: rest.to_string(),
                    size,
                    modified: None,
                    zip_index: Some(index),
                    unreadable: None,
                    raw: None,
                }),
            };
            if let Some(f) = found {
                return self.read(&f);
            }
        }
        Err(not_found())
    }

    /// Reads one file, never more than [`MAX_FILE_BYTES`].
    pub fn read(&self, f: &SourceFile) -> Result<Vec<u8>, SourceError> {
        if f.size > MAX_FILE_BYTES {
            return Err(SourceError::TooLarge {
                size: f.size,
                limit: MAX_FILE_BYTES,
            });
        }
        let root = self
            .roots
            .get(f.root)
            .ok_or_else(|| SourceError::Read("unknown root".into()))?;
        match &root.kind {
            RootKind::Folder(dir) => match &f.raw {
                Some(raw) => folder::read(&dir.join(raw)),
                None => folder::read(&dir.join(&f.path)),
            },
            RootKind::File(path) => folder::read(path),
            RootKind::Zip(z) => z.read(f.zip_index.unwrap_or(usize::MAX)),
        }
    }
}

impl Snapshot {
    /// Hands one file to `each` as a reader, without reading it whole and without the
    /// [`MAX_FILE_BYTES`] limit: for formats read record by record (NDJSON), whose memory is
    /// bounded by the reader, not by the file.
    pub fn read_stream<T>(
        &self,
        f: &SourceFile,
        each: impl FnOnce(&mut dyn std::io::Read) -> T,
    ) -> Result<T, SourceError> {
        let root = self
            .roots
            .get(f.root)
            .ok_or_else(|| SourceError::Read("unknown root".into()))?;
        let open = |p: &Path| std::fs::File::open(p).map_err(|e| SourceError::Read(e.to_string()));
        match &root.kind {
            RootKind::Folder(dir) => Ok(each(&mut open(&dir.join(&f.path))?)),
            RootKind::File(path) => Ok(each(&mut open(path)?)),
            RootKind::Zip(z) => z.read_stream(f.zip_index.unwrap_or(usize::MAX), each),
        }
    }
}

fn single_file(path: &Path, root: usize) -> SourceFile {
    let meta = std::fs::metadata(path).ok();
    SourceFile {
        root,
        path: file_label(path),
        size: meta.as_ref().map_or(0, |m| m.len()),
        modified: meta.and_then(|m| m.modified().ok()),
        zip_index: None,
        unreadable: None,
        raw: None,
    }
}

fn file_label(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
