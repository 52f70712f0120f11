//! Listing a snapshot's files one at a time, always in the same order. A year of a big
//! hospital is millions of files: holding them all as a list would cost more memory than
//! reading them, so the ingest walks the snapshot twice (count, then read) instead.
//!
//! Order: each given root in turn (a folder depth-first with entries sorted by name, a zip
//! archive's entries sorted by name, a single file), then the archives found inside folders in
//! the order they were found, then the roots that could not be opened.

use super::zip_archive::ZipRoot;
use super::{Root, RootKind, Snapshot, SourceFile, folder, single_file};
use crate::report::Problem;
use std::collections::{HashMap, HashSet};
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
    /// Zip archives found inside folders are opened as further roots (one level: no zip in zip).
    pub fn list_each(&mut self, mut each: impl FnMut(SourceFile)) -> Vec<Problem> {
        // Listing twice must not add the nested archives twice.
        self.roots.truncate(self.given_roots);
        let mut problems = Vec::new();
        let mut found: Vec<(PathBuf, String, usize)> = Vec::new();
        let mut visit = |f: SourceFile| {
            each(f);
            ControlFlow::Continue(())
        };
        for (i, root) in self.roots.iter().enumerate() {
            let mut zips = Vec::new();
            let _ = visit_root(root, i, Archives::Find(&mut zips), &mut visit, &mut problems);
            found.extend(zips.into_iter().map(|(path, rel)| (path, rel, i)));
        }
        let mut nested = NestedArchives::default();
        for (path, rel, folder_root) in found {
            nested.paths.entry(folder_root).or_default().insert(rel.clone());
            match ZipRoot::open(&path) {
                Ok(z) => {
                    let i = self.roots.len();
                    let _ = z.each_entry(i, &mut visit);
                    let parent = self
                        .roots
                        .get(folder_root)
                        .map(|r| r.prefix.as_str())
                        .unwrap_or("");
                    let prefix = if parent.is_empty() {
                        rel.clone()
                    } else {
                        format!("{parent}/{rel}")
                    };
                    self.roots.push(Root {
                        label: rel,
                        kind: RootKind::Zip(z),
                        prefix,
                    });
                    nested.order.push(Nested::Root(i));
                }
                Err(e) => {
                    // The archive is an input file that cannot be read: count it as such.
                    let mut f = single_file(&path, folder_root);
                    f.path = rel;
                    f.unreadable = Some(e.to_string());
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
