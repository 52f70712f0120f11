//! Listing a snapshot's files one at a time, always in the same order. A year of a big
//! hospital is millions of files: holding them all as a list would cost more memory than
//! reading them, so the ingest walks the snapshot twice (count, then read) instead.
//!
//! Order: each given root in turn (a folder depth-first with entries sorted by name, a zip
//! archive's entries sorted by name, a single file), then the archives inside given zips and
//! those found inside folders, then the archives inside those (breadth first), then the roots
//! that could not be opened.

use super::zip_archive::ZipRoot;
use super::{Root, RootKind, Snapshot, SourceError, SourceFile, folder, single_file};
use crate::report::Problem;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::SystemTime;

/// What the last full listing learnt about archives inside folder roots.
#[derive(Default)]
pub(super) struct NestedArchives {
    /// Relative paths of the archive files, per folder root: a re-listing skips them.
    paths: HashMap<usize, HashSet<String>>,
    /// In the order they were found.
    order: Vec<Nested>,
}

enum Nested {
    /// Opened as this root.
    Root(usize),
    /// Could not be opened: reported as this unreadable file.
    Unreadable(SourceFile),
}

/// How a folder walk treats archive files.
pub(super) enum Archives<'a> {
    /// Sniff every file; archives are collected here (absolute path, relative path), not visited.
    Find(&'a mut Vec<(PathBuf, String)>),
    /// Skip these relative paths, found by an earlier listing.
    Known(Option<&'a HashSet<String>>),
}

impl Snapshot {
    /// Visits every file of every root once, in listing order, and returns the problems met on
    /// the way (unreadable folders, link loops, too-deep trees, unreadable nested archives).
    /// Zip archives found inside folders, and zips inside zips down to [`MAX_ZIP_DEPTH`], are
    /// opened as further roots; an archive beyond the bounds is one rejected file, with why.
    pub fn list_each(&mut self, mut each: impl FnMut(SourceFile)) -> Vec<Problem> {
        // Listing twice must not add the nested archives twice.
        self.roots.truncate(self.given_roots);
        let mut problems = Vec::new();
        let mut queue: VecDeque<Pending> = VecDeque::new();
        let mut found: Vec<Pending> = Vec::new();
        let mut visit = |f: SourceFile| {
            each(f);
            ControlFlow::Continue(())
        };
        for (i, root) in self.roots.iter().enumerate() {
            let mut zips = Vec::new();
            let _ = visit_root(root, i, Archives::Find(&mut zips), &mut visit, &mut problems);
            if let RootKind::Zip(z) = &root.kind {
                queue.extend(inner_of(z, i, 2));
            }
            found.extend(zips.into_iter().map(|(path, rel)| Pending {
                from: From::File(path),
                rel,
                parent: i,
                depth: 1,
            }));
        }
        queue.extend(found);
        let mut nested = NestedArchives::default();
        let mut budget = Budget {
            bytes: MAX_NESTED_BYTES,
            entries: MAX_NESTED_ENTRIES,
        };
        while let Some(p) = queue.pop_front() {
            if let From::File(_) = &p.from {
                nested.paths.entry(p.parent).or_default().insert(p.rel.clone());
            }
            match self.open_nested(&p, &mut budget) {
                Ok(z) => {
                    let i = self.roots.len();
                    let _ = z.each_entry(i, &mut visit);
                    queue.extend(inner_of(&z, i, p.depth + 1));
                    let parent = self.roots.get(p.parent).map(|r| r.prefix.as_str()).unwrap_or("");
                    let prefix = if parent.is_empty() {
                        p.rel.clone()
                    } else {
                        format!("{parent}/{}", p.rel)
                    };
                    self.roots.push(Root {
                        label: p.rel,
                        kind: RootKind::Zip(z),
                        prefix,
                    });
                    nested.order.push(Nested::Root(i));
                }
                Err(reason) => {
                    // The archive is an input file that cannot be read: count it as such.
                    let mut f = match &p.from {
                        From::File(path) => single_file(path, p.parent),
                        // Never read (it is reported as unreadable); `zip_index` is a place
                        // in the root's listing, which an inner archive is not.
                        From::Entry { size, .. } => SourceFile {
                            root: p.parent,
                            path: String::new(),
                            size: *size,
                            modified: None,
                            zip_index: None,
                            unreadable: None,
                            raw: None,
                        },
                    };
                    f.path = p.rel;
                    f.unreadable = Some(reason);
                    nested.order.push(Nested::Unreadable(f.clone()));
                    let _ = visit(f);
                }
            }
        }
        for f in &self.unopened {
            let _ = visit(f.clone());
        }
        self.nested = nested;
        problems
    }

    /// Every file of every root, in listing order, with the problems met on the way.
    pub fn list(&mut self) -> (Vec<SourceFile>, Vec<Problem>) {
        let mut files = Vec::new();
        let problems = self.list_each(|f| files.push(f));
        (files, problems)
    }

    /// Visits the files again, in the same order as the last [`Snapshot::list_each`], without
    /// sniffing every file for archives again; `each` may stop the walk. Problems were
    /// reported by the listing and are not repeated. Before any listing, archives inside
    /// folders are not visited.
    pub fn relist_each(&self, mut each: impl FnMut(SourceFile) -> ControlFlow<()>) -> ControlFlow<()> {
        let mut ignored = Vec::new();
        for (i, root) in self.roots.iter().enumerate().take(self.given_roots) {
            let known = Archives::Known(self.nested.paths.get(&i));
            visit_root(root, i, known, &mut each, &mut ignored)?;
        }
        for n in &self.nested.order {
            match n {
                Nested::Root(i) => {
                    if let Some(Root {
                        kind: RootKind::Zip(z),
                        ..
                    }) = self.roots.get(*i)
                    {
                        z.each_entry(*i, &mut each)?;
                    }
                }
                Nested::Unreadable(f) => each(f.clone())?,
            }
        }
        for f in &self.unopened {
            each(f.clone())?;
        }
        ControlFlow::Continue(())
    }
}

/// Zips inside zips are opened down to this depth (a zip given or found in a folder is 1).
pub const MAX_ZIP_DEPTH: usize = 2;
/// What archives inside archives may take out, together, to a temporary folder.
pub const MAX_NESTED_BYTES: u64 = 2 << 30;
/// Entries that archives inside archives may hold, together.
pub const MAX_NESTED_ENTRIES: u64 = 1_000_000;

/// An archive waiting to be opened as a root.
struct Pending {
    from: From,
    /// Its path inside its parent root.
    rel: String,
    parent: usize,
    depth: usize,
}

enum From {
    /// A file in a folder root.
    File(PathBuf),
    /// An entry of the parent zip root.
    Entry { index: usize, size: u64 },
}

struct Budget {
    bytes: u64,
    entries: u64,
}

fn inner_of(z: &ZipRoot, root: usize, depth: usize) -> Vec<Pending> {
    z.inner()
        .iter()
        .map(|(name, size, index)| Pending {
            from: From::Entry {
                index: *index,
                size: *size,
            },
            rel: name.clone(),
            parent: root,
            depth,
        })
        .collect()
}

impl Snapshot {
    /// Opens a nested archive within the bounds, or says why not.
    fn open_nested(&self, p: &Pending, budget: &mut Budget) -> Result<ZipRoot, String> {
        let index = match &p.from {
            From::File(path) => return ZipRoot::open(path).map_err(|e| e.to_string()),
            From::Entry { index, .. } => *index,
        };
        if p.depth > MAX_ZIP_DEPTH {
            return Err(format!(
                "zip archive inside zip archives nested more than {MAX_ZIP_DEPTH} deep: not opened, its files not read"
            ));
        }
        let Some(RootKind::Zip(parent)) = self.roots.get(p.parent).map(|r| &r.kind) else {
            return Err("zip archive inside an archive that is gone".into());
        };
        let temp = parent.extract(index, budget.bytes).map_err(|e| match e {
            SourceError::TooLarge { .. } => format!(
                "zip archive inside a zip archive: archives inside archives are read up to \
                 {MAX_NESTED_BYTES} bytes in all, and this one goes past that: its files not read"
            ),
            e => format!("zip archive inside a zip archive cannot be taken out: {e}"),
        })?;
        let size = std::fs::metadata(&temp).map_or(0, |m| m.len());
        let z = ZipRoot::open_extracted(temp)
            .map_err(|e| format!("unreadable zip archive inside a zip archive: {}", strip_path(&e)))?;
        if z.entry_count() > budget.entries {
            return Err(format!(
                "zip archive inside a zip archive with {} entries: archives inside archives may \
                 hold {MAX_NESTED_ENTRIES} entries in all; its files not read",
                z.entry_count()
            ));
        }
        budget.bytes -= size.min(budget.bytes);
        budget.entries -= z.entry_count();
        Ok(z)
    }
}

/// The reason without the temporary file's path, which means nothing to a reader.
fn strip_path(e: &SourceError) -> String {
    match e {
        SourceError::BadZip { reason, .. } => reason.clone(),
        SourceError::Open { source, .. } => source.to_string(),
        e => e.to_string(),
    }
}

fn visit_root(
    root: &Root,
    i: usize,
    archives: Archives<'_>,
    each: &mut dyn FnMut(SourceFile) -> ControlFlow<()>,
    problems: &mut Vec<Problem>,
) -> ControlFlow<()> {
    match &root.kind {
        RootKind::Folder(dir) => folder::walk(dir, i, archives, each, problems),
        RootKind::File(path) => each(single_file(path, i)),
        RootKind::Zip(z) => z.each_entry(i, each),
    }
}

/// A digest of a listing (paths, sizes, modification times), fed one file at a time in
/// listing order: two listings with the same digest are, for our purposes, the same snapshot.
pub struct ListingDigest(sha2::Sha256);

impl Default for ListingDigest {
    fn default() -> Self {
        use sha2::Digest;
        Self(sha2::Sha256::new())
    }
}

impl ListingDigest {
    pub fn add(&mut self, f: &SourceFile) {
        use sha2::Digest;
        let mtime = f
            .modified
            .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        self.0.update(f.root.to_le_bytes());
        self.0.update(f.path.as_bytes());
        self.0.update([0]);
        self.0.update(f.size.to_le_bytes());
        self.0.update(mtime.to_le_bytes());
    }

    pub fn finish(self) -> String {
        use sha2::Digest;
        self.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The digest of a whole listing.
pub fn listing_digest(files: &[SourceFile]) -> String {
    let mut d = ListingDigest::default();
    for f in files {
        d.add(f);
    }
    d.finish()
}
