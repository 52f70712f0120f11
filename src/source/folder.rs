//! Folder roots: a bounded, loop-safe walk that never leaves the root.
//!
//! Rule: a link (symlink, Windows junction) is followed only when its resolved target is inside
//! the root; a link out of the root, a link loop, a broken link and anything that is neither a
//! file nor a folder (FIFO, device, socket) is not opened, and is listed as an entry that was
//! not read, with the reason, so that the report counts it. Entry types come from the directory
//! listing itself: only links cost an extra look-up.

use super::listing::Archives;
use super::names::{decode_name, push_rel};
use super::{MAX_FILE_BYTES, SourceError, SourceFile};
use crate::report::{Problem, Severity};
use std::ffi::OsString;
use std::fs::FileType;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// SS-MIX2 needs 6 levels (7 for extended storage) below its root; allow generous nesting
/// above it, but stop hostile depth.
const MAX_DEPTH: usize = 24;

/// Visits the files below `dir` depth-first, entries sorted by name (so every listing has the
/// same order), and records problems. Archives are collected or skipped as `archives` says.
pub(super) fn walk(
    dir: &Path,
    root: usize,
    archives: Archives<'_>,
    each: &mut dyn FnMut(SourceFile) -> ControlFlow<()>,
    problems: &mut Vec<Problem>,
) -> ControlFlow<()> {
    let canon_root = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            problems.push(Problem::new("", Severity::Error, format!("cannot read: {e}")));
            return ControlFlow::Continue(());
        }
    };
    let mut w = Walker {
        root,
        canon_root: canon_root.clone(),
        archives,
        each,
        problems,
        open: Vec::new(),
    };
    let here = Here {
        path: dir.to_path_buf(),
        canon: canon_root,
        rel: String::new(),
        raw: None,
    };
    w.dir(&here, 1)
}

struct Walker<'a, 'b> {
    root: usize,
    canon_root: PathBuf,
    archives: Archives<'a>,
    each: &'b mut dyn FnMut(SourceFile) -> ControlFlow<()>,
    problems: &'b mut Vec<Problem>,
    /// Resolved paths of the folders being walked: a link to one of them is a loop.
    open: Vec<PathBuf>,
}

/// A folder or file being visited.
struct Here {
    /// On disk, through the links followed (so that reading it later goes the same way).
    path: PathBuf,
    /// Resolved (folders only), for the loop check.
    canon: PathBuf,
    /// `/`-separated, as shown.
    rel: String,
    /// The raw relative path, when a name on the way is not valid Unicode.
    raw: Option<PathBuf>,
}

impl Here {
    fn child(&self, name: &OsString) -> Here {
        let (shown, exact) = decode_name(name);
        let raw = match (&self.raw, exact) {
            (Some(r), _) => Some(r.join(name)),
            (None, false) => Some(Path::new(&self.rel).join(name)),
            (None, true) => None,
        };
        Here {
            path: self.path.join(name),
            // Set for folders only (files need no resolved path).
            canon: PathBuf::new(),
            rel: push_rel(&self.rel, &shown),
            raw,
        }
    }
}

impl Walker<'_, '_> {
    fn dir(&mut self, here: &Here, depth: usize) -> ControlFlow<()> {
        let listing = match std::fs::read_dir(&here.path) {
            Ok(l) => l,
            Err(e) => {
                let msg = format!("cannot read: {e}");
                self.problems.push(Problem::new(&here.rel, Severity::Error, msg));
                return ControlFlow::Continue(());
            }
        };
        let mut entries: Vec<(OsString, std::io::Result<FileType>)> = Vec::new();
        for e in listing {
            match e {
                Ok(e) => entries.push((e.file_name(), e.file_type())),
                Err(e) => {
                    let msg = format!("cannot read: {e}");
                    self.problems.push(Problem::new(&here.rel, Severity::Error, msg));
                }
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.open.push(here.canon.clone());
        let flow = self.entries(here, depth, entries);
        self.open.pop();
        flow
    }

    fn entries(
        &mut self,
        here: &Here,
        depth: usize,
        entries: Vec<(OsString, std::io::Result<FileType>)>,
    ) -> ControlFlow<()> {
        for (name, ft) in entries {
            // A prebuilt index shipped beside the data is ours, not part of the snapshot.
            if depth == 1 && name.to_string_lossy().starts_with(super::PREBUILT_INDEX_DIR) {
                continue;
            }
            let mut child = here.child(&name);
            let ft = match ft {
                Ok(ft) => ft,
                Err(e) => {
                    self.skip(&child, format!("cannot read: {e}"))?;
                    continue;
                }
            };
            if ft.is_dir() {
                child.canon = here.canon.join(&name);
                self.subdir(&child, depth)?;
            } else if ft.is_file() {
                self.file(&child, None)?;
            } else if ft.is_symlink() {
                self.link(child, depth)?;
            } else {
                self.skip(&child, special_reason(&ft))?;
            }
        }
        ControlFlow::Continue(())
    }

    fn subdir(&mut self, here: &Here, depth: usize) -> ControlFlow<()> {
        if depth > MAX_DEPTH {
            self.problems.push(Problem::new(
                &here.rel,
                Severity::Error,
                format!("folder nested deeper than {MAX_DEPTH} levels; its contents were not read"),
            ));
            return ControlFlow::Continue(());
        }
        self.dir(here, depth + 1)
    }

    fn link(&mut self, mut here: Here, depth: usize) -> ControlFlow<()> {
        let target = match std::fs::canonicalize(&here.path) {
            Ok(t) => t,
            Err(e) => {
                return self.skip(
                    &here,
                    format!("cannot read: link to nothing that can be read ({e}); not followed"),
                );
            }
        };
        if !target.starts_with(&self.canon_root) {
            // The link text is what the media says; nothing of the target is read or shown.
            let to = std::fs::read_link(&here.path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            let to: String = to.chars().take(200).collect();
            return self.skip(
                &here,
                format!("link to {to:?}, outside the snapshot: not followed, nothing read there"),
            );
        }
        let meta = match std::fs::metadata(&target) {
            Ok(m) => m,
            Err(e) => return self.skip(&here, format!("cannot read: {e}")),
        };
        here.canon = target;
        if meta.is_dir() {
            if self.open.contains(&here.canon) {
                return self.skip(
                    &here,
                    "folder link loop: this folder links back to one of its parents; not followed".into(),
                );
            }
            return self.subdir(&here, depth);
        }
        if meta.is_file() {
            return self.file(&here, Some(meta));
        }
        self.skip(&here, special_reason(&meta.file_type()))
    }

    fn file(&mut self, here: &Here, meta: Option<std::fs::Metadata>) -> ControlFlow<()> {
        match &mut self.archives {
            Archives::Find(found) => {
                // A message is not opened to look for an archive: sniffing each of millions
                // would double the listing's cost. Were it an archive after all, it is read
                // as a message and rejected, so nothing goes unreported.
                let name = here.rel.rsplit('/').next().unwrap_or("");
                let message = crate::ssmix2::layout::looks_like_message_name(name);
                if !message && super::zip_archive::is_zip(&here.path) {
                    found.push((here.path.clone(), here.rel.clone()));
                    return ControlFlow::Continue(());
                }
            }
            Archives::Known(known) => {
                if known.is_some_and(|k| k.contains(&here.rel)) {
                    return ControlFlow::Continue(());
                }
            }
        }
        // The one stat a file costs (size and time); for a link it was done to follow it.
        let meta = meta.or_else(|| std::fs::symlink_metadata(&here.path).ok());
        (self.each)(SourceFile {
            root: self.root,
            path: here.rel.clone(),
            size: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
            zip_index: None,
            unreadable: None,
            raw: here.raw.clone(),
        })
    }

    /// An entry that is not read: listed, so that it is counted and its reason shown.
    fn skip(&mut self, here: &Here, reason: String) -> ControlFlow<()> {
        (self.each)(SourceFile {
            root: self.root,
            path: here.rel.clone(),
            size: 0,
            modified: None,
            zip_index: None,
            unreadable: Some(reason),
            raw: here.raw.clone(),
        })
    }
}

/// Why an entry that is neither file, folder nor link is not opened (opening a FIFO waits
/// forever; a device may never end).
pub(super) fn special_reason(ft: &FileType) -> String {
    format!("{} is not a file: never opened", special_kind(ft))
}

fn special_kind(ft: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    let _ = ft;
    "a special file"
}

pub(super) fn read(path: &Path) -> Result<Vec<u8>, SourceError> {
    let file = std::fs::File::open(path).map_err(|e| SourceError::Read(e.to_string()))?;
    // Sized from the open file: one read call for a whole message instead of a probe and
    // doubling reads (a snapshot is millions of 2 KB files, so syscalls per file count).
    let meta = file.metadata().map_err(|e| SourceError::Read(e.to_string()))?;
    if !meta.is_file() {
        // Listed as a file but something else now: a pipe or device may never end.
        return Err(SourceError::Read(special_reason(&meta.file_type())));
    }
    let size = meta.len();
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

/// Finds a file by its shown path below `dir` (as provenance names it) and checks that it
/// resolves inside the root and is a regular file. Names that were shown decoded (not valid
/// Unicode on disk) are matched by their decoded form.
pub(super) fn find(dir: &Path, shown: &str) -> Option<(PathBuf, std::fs::Metadata)> {
    let mut path = dir.to_path_buf();
    for comp in shown.split('/').filter(|c| !c.is_empty()) {
        if comp == "." || comp == ".." {
            return None;
        }
        let direct = path.join(comp);
        path = if std::fs::symlink_metadata(&direct).is_ok() {
            direct
        } else {
            let found = std::fs::read_dir(&path)
                .ok()?
                .filter_map(Result::ok)
                .find(|e| decode_name(&e.file_name()).0 == comp)?;
            found.path()
        };
    }
    let canon_root = std::fs::canonicalize(dir).ok()?;
    let target = std::fs::canonicalize(&path).ok()?;
    if !target.starts_with(&canon_root) {
        return None;
    }
    let meta = std::fs::metadata(&target).ok()?;
    meta.is_file().then_some((path, meta))
}
