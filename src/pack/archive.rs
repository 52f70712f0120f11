//! The snapshot archive: zip parts (`snapshot.001.zip`, ...), deflated, entries sorted by path
//! so that a patient is one contiguous read, split before a part would pass the part size and
//! never inside one patient's files. An SS-MIX2 patient's files are one solid entry
//! ([`super::solid`]). Written as a stream (data descriptors), so that an encrypting seal,
//! which cannot seek back, writes it the same way.

use super::reuse::{Previous, stamp};
use super::seal::{SealWrite, SharedSeal};
use super::select::Chosen;
use super::solid::{self, Members};
use crate::source::Snapshot;
use crate::ssmix2::layout::{Placement, place};
use anyhow::Context;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use zip::ZipWriter;
use zip::write::{FullFileOptions, StreamWriter};

/// FAT32 and ISO 9660 stop at 4 GiB per file; a margin for the zip's own directory.
pub const DEFAULT_PART_BYTES: u64 = 4 * 1024 * 1024 * 1024 - 64 * 1024 * 1024;

/// `snapshot.001.zip` (plus the seal's suffix).
pub fn part_name(n: usize, suffix: &str) -> String {
    format!("snapshot.{n:03}.zip{suffix}")
}

/// The patient a path belongs to: its SS-MIX2 patient folder, else its first folder (FHIR
/// files, whole, are their own group).
pub fn patient_key(name: &str) -> &str {
    let c: Vec<&str> = name.split('/').collect();
    match place(name) {
        Placement::Standard { .. } if c.len() >= 6 => {
            let at = c.len() - 4;
            // The key must borrow from `name`: find the folder's offset.
            segment(name, at)
        }
        Placement::Extended { .. } if c.len() >= 7 => segment(name, c.len() - 5),
        _ => name,
    }
}

/// `name` up to and including its `n`-th `/`-separated component.
fn segment(name: &str, n: usize) -> &str {
    let mut end = 0;
    for (i, part) in name.split('/').enumerate() {
        end += part.len();
        if i == n {
            return &name[..end];
        }
        end += 1;
    }
    name
}

/// What writing the parts did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Part file names in order.
    pub parts: Vec<String>,
    /// Entries copied compressed from the previous generation.
    pub reused: u64,
    /// Entries compressed now.
    pub compressed: u64,
    /// Patients whose files alone pass the part size (written whole in one part anyway).
    pub oversized_patients: u64,
}

struct Counting {
    inner: Box<dyn SealWrite>,
    written: Arc<AtomicU64>,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

struct Part {
    zip: ZipWriter<StreamWriter<Counting>>,
    written: Arc<AtomicU64>,
    /// What the central directory will take at the end, so far.
    central: u64,
    /// The files inside this part's solid entries, written last.
    members: Members,
}

/// Central directory bytes for one entry: the fixed header, the name, the comment, a zip64
/// field at most.
fn central_bytes(name: &str, comment_len: usize) -> u64 {
    46 + name.len() as u64 + comment_len as u64 + 32
}

/// The end records (zip64 and classic).
const END_BYTES: u64 = 56 + 20 + 22;

impl Part {
    fn create(path: &Path, seal: &SharedSeal) -> anyhow::Result<Part> {
        let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let inner = seal
            .writer(file)
            .with_context(|| format!("writing {}", path.display()))?;
        let written = Arc::new(AtomicU64::new(0));
        let counting = Counting {
            inner,
            written: written.clone(),
        };
        Ok(Part {
            zip: ZipWriter::new_stream(counting),
            written,
            central: END_BYTES,
            members: Members::default(),
        })
    }

    /// Bytes the part will have if closed now.
    fn bytes(&self) -> u64 {
        let members = if self.members.is_empty() {
            0
        } else {
            self.members.len() + 128 + central_bytes(solid::MEMBERS, 0)
        };
        self.written.load(Ordering::Relaxed) + self.central + members
    }

    fn finish(mut self, path: &Path) -> anyhow::Result<()> {
        if !self.members.is_empty() {
            let options = FullFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(self.members.len() >= 0xFFFF_FFFF);
            self.zip
                .start_file(solid::MEMBERS, options)
                .and_then(|_| Ok(self.zip.write_all(&self.members.bytes())?))
                .with_context(|| format!("{}: writing the member listing", path.display()))?;
        }
        let stream = self
            .zip
            .finish()
            .with_context(|| format!("finishing {}", path.display()))?;
        stream
            .into_inner()
            .inner
            .finish()
            .with_context(|| format!("writing {}", path.display()))
    }
}

/// Writes `chosen` (any order) into parts in `dir`. Entries whose source is unchanged since
/// `previous` was written are copied compressed from it.
pub fn write(
    snap: &Snapshot,
    chosen: &mut [Chosen],
    dir: &Path,
    seal: &SharedSeal,
    part_bytes: u64,
    mut previous: Option<&mut Previous>,
    progress: &crate::progress::Progress,
) -> anyhow::Result<Written> {
    chosen.sort_by(|a, b| a.name.cmp(&b.name));
    // A source that itself names files like our solid entries is packed file by file, so
    // that no name in the part means two things.
    let solid_ok = !chosen.iter().any(|c| c.name.starts_with(solid::SOLID_DIR));
    let mut out = Written::default();
    let mut current: Option<(Part, PathBuf)> = None;
    let mut at = 0;
    while at < chosen.len() {
        // One patient's files: kept together.
        let key = patient_key(&chosen[at].name);
        let end = at
            + chosen[at..]
                .iter()
                .take_while(|c| patient_key(&c.name) == key)
                .count();
        let group = &chosen[at..end];
        // At most what the group adds: deflate never grows data by more than a few bytes per
        // 16 KiB block; local header, data descriptor and central entry for each file.
        let raw: u64 = group
            .iter()
            .map(|c| {
                c.file.size + c.file.size / 1000 + 128 + c.name.len() as u64 + central_bytes(&c.name, 64)
            })
            .sum();
        if raw > part_bytes {
            out.oversized_patients += 1;
        }
        let full = current
            .as_ref()
            .is_some_and(|(p, _)| p.bytes() > END_BYTES && p.bytes() + raw > part_bytes);
        if full && let Some((p, path)) = current.take() {
            p.finish(&path)?;
        }
        if current.is_none() {
            let name = part_name(out.parts.len() + 1, seal.suffix());
            let path = dir.join(&name);
            current = Some((Part::create(&path, seal)?, path));
            out.parts.push(name);
        }
        let Some((part, path)) = current.as_mut() else {
            continue;
        };
        if solid_ok && is_solid(group, key) {
            write_solid(snap, key, group, part, previous.as_deref_mut(), &mut out)
                .with_context(|| format!("{}: adding the files of {key}", path.display()))?;
            progress.add_done(group.len() as u64, group.iter().map(|c| c.file.size).sum());
            at = end;
            continue;
        }
        for c in group {
            let stamp = stamp(&c.file);
            let copied = match (previous.as_deref_mut(), &stamp) {
                (Some(prev), Some(s)) => prev.copy(&c.name, s, &mut part.zip).with_context(|| {
                    format!("{}: copying {} from the previous pack", path.display(), c.name)
                })?,
                _ => false,
            };
            if copied {
                out.reused += 1;
            } else {
                add(snap, c, stamp.as_deref(), &mut part.zip)
                    .with_context(|| format!("{}: adding {}", path.display(), c.name))?;
                out.compressed += 1;
            }
            part.central += central_bytes(&c.name, stamp.as_ref().map_or(0, String::len));
            progress.add_done(1, c.file.size);
        }
        at = end;
    }
    if let Some((p, path)) = current.take() {
        p.finish(&path)?;
    }
    Ok(out)
}

/// A group is written solid when it is one SS-MIX2 patient's folder with more than one file,
/// small enough to hold in memory.
fn is_solid(group: &[Chosen], key: &str) -> bool {
    group.len() > 1
        && group.iter().all(|c| c.name != key)
        && group.iter().map(|c| c.file.size).sum::<u64>() <= solid::MAX_SOLID_BYTES
}

/// The stamp of a solid entry: the digest of its files' names and stamps; none when any file
/// has none. Equal stamps mean the same files, unchanged, so the entry is copied compressed.
fn solid_stamp(group: &[Chosen]) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for c in group {
        h.update(c.name.as_bytes());
        h.update([0]);
        h.update(stamp(&c.file)?.as_bytes());
        h.update([b'\n']);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{} {hex}", super::reuse::SOLID_TAG))
}

fn write_solid(
    snap: &Snapshot,
    key: &str,
    group: &[Chosen],
    part: &mut Part,
    previous: Option<&mut Previous>,
    out: &mut Written,
) -> anyhow::Result<()> {
    let name = solid::entry_name(key);
    let stamp = solid_stamp(group);
    let copied = match (previous, &stamp) {
        (Some(prev), Some(s)) => prev
            .copy(&name, s, &mut part.zip)
            .context("copying from the previous pack")?,
        _ => false,
    };
    if copied {
        out.reused += group.len() as u64;
    } else {
        let mut files = Vec::with_capacity(group.len());
        for c in group {
            let bytes = snap
                .read(&c.file)
                .with_context(|| format!("reading {}", c.name))?;
            files.push((c.name.as_str(), bytes));
        }
        let content = solid::build(files.into_iter())?;
        let mut options = FullFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9))
            .large_file(false);
        if let Some(s) = &stamp {
            options = options.with_file_comment(s.as_str());
        }
        part.zip.start_file(name.as_str(), options)?;
        part.zip.write_all(&content)?;
        out.compressed += group.len() as u64;
    }
    part.members
        .add(&name, group.iter().map(|c| (c.name.as_str(), c.file.size)));
    part.central += central_bytes(&name, stamp.as_ref().map_or(0, String::len));
    Ok(())
}

fn add(
    snap: &Snapshot,
    c: &Chosen,
    stamp: Option<&str>,
    zip: &mut ZipWriter<StreamWriter<Counting>>,
) -> anyhow::Result<()> {
    let mut options = FullFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(c.file.size >= 0xFFFF_FFFF);
    if let Some(s) = stamp {
        options = options.with_file_comment(s);
    }
    zip.start_file(c.name.as_str(), options)?;
    snap.read_stream(&c.file, |r| io::copy(r, zip))??;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::seal::Plain;

    /// Many small entries: the central directory is a large share of a part and must be
    /// counted before the part is closed.
    #[test]
    fn parts_stay_under_the_limit_with_their_central_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("src");
        let long = "x".repeat(80);
        for i in 0..300 {
            let p = src.join(format!("p{i:04}"));
            std::fs::create_dir_all(&p).expect("mkdir");
            std::fs::write(p.join(format!("{long}.txt")), b"").expect("write");
        }
        let mut snap = Snapshot::open(std::slice::from_ref(&src)).expect("open");
        let (files, _) = snap.list();
        let mut chosen: Vec<Chosen> = files
            .into_iter()
            .map(|f| Chosen {
                name: snap.display_path(&f),
                file: f,
                source: 0,
            })
            .collect();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).expect("mkdir");
        let seal: SharedSeal = Arc::new(Plain);
        let limit = 20_000;
        let w = write(
            &snap,
            &mut chosen,
            &out,
            &seal,
            limit,
            None,
            &crate::progress::Progress::new(),
        )
        .expect("write");
        assert!(w.parts.len() >= 3, "{:?}", w.parts);
        for p in &w.parts {
            let size = std::fs::metadata(out.join(p)).expect("size").len();
            assert!(size <= limit, "{p}: {size} bytes");
        }
        assert_eq!(w.compressed, 300);
    }
}
