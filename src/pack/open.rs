//! Opening a pack: a pack folder (holds `manifest.json`), or the folder `lifeboat pack --out`
//! wrote generations into (the newest complete one is opened; `*.partial` never is). The
//! snapshot reader ([`crate::source::Snapshot`]) reads the parts as one tree; the index
//! ([`crate::index`]) reads the shipped `index.zip` in place, nothing copied to the laptop.

use super::manifest::{self, MANIFEST, Manifest};
use super::seal::{Plain, SharedSeal};
use super::verify::{Checked, TamperAlarm};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Suffix of a generation folder still being written.
pub const PARTIAL: &str = ".partial";

/// A pack as the reader needs it.
#[derive(Clone)]
pub struct OpenedPack {
    /// The pack folder.
    pub dir: PathBuf,
    /// When `dir` was chosen among the generations of this folder.
    pub chosen_from: Option<PathBuf>,
    pub manifest: Manifest,
    /// SHA-256 of `manifest.json` as read: which pack was opened, in the audit log.
    pub manifest_sha256: String,
    /// Reads every file through the manifest's block hashes (and decrypts when encrypted).
    pub seal: SharedSeal,
    /// Raised by the first block that differs from the manifest while reading.
    pub alarm: TamperAlarm,
    /// The archive parts in order.
    pub parts: Vec<PathBuf>,
}

impl std::fmt::Debug for OpenedPack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedPack")
            .field("dir", &self.dir)
            .field("parts", &self.parts)
            .finish()
    }
}

/// The pack folder `path` stands for: itself when it holds a manifest, else its newest complete
/// generation (by name: generation names start with their creation time). `None` when `path`
/// is neither.
pub fn locate(path: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    if !path.is_dir() {
        return None;
    }
    if manifest::is_pack(path) {
        return Some((path.to_path_buf(), None));
    }
    generations(path)
        .pop()
        .map(|newest| (newest, Some(path.to_path_buf())))
}

/// Complete generation folders inside `out`, oldest first.
pub fn generations(out: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let p = e.path();
            (!name.ends_with(PARTIAL) && p.is_dir() && manifest::is_pack(&p)).then_some((name, p))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Opens the pack `path` stands for (see [`locate`]); `None` when it is not a pack.
pub fn open(path: &Path) -> Option<anyhow::Result<OpenedPack>> {
    let (dir, chosen_from) = locate(path)?;
    Some(open_dir(&dir, chosen_from))
}

fn open_dir(dir: &Path, chosen_from: Option<PathBuf>) -> anyhow::Result<OpenedPack> {
    let mpath = dir.join(MANIFEST);
    let bytes = std::fs::read(&mpath).map_err(|e| anyhow::anyhow!("{}: {e}", mpath.display()))?;
    let manifest = Manifest::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", mpath.display()))?;
    let alarm = TamperAlarm::for_pack(dir);
    let seal: SharedSeal = Arc::new(Checked::new(seal_for(dir, &manifest)?, &manifest, alarm.clone()));
    let mut parts = Vec::with_capacity(manifest.parts.len());
    for p in &manifest.parts {
        anyhow::ensure!(
            is_plain_name(p),
            "{}: part name {p:?} is not a file name in the pack folder",
            mpath.display()
        );
        parts.push(dir.join(p));
    }
    anyhow::ensure!(
        !parts.is_empty(),
        "{}: the manifest lists no archive part",
        mpath.display()
    );
    use sha2::Digest;
    Ok(OpenedPack {
        dir: dir.to_path_buf(),
        chosen_from,
        manifest_sha256: manifest::hex(&sha2::Sha256::digest(&bytes)),
        manifest,
        seal,
        alarm,
        parts,
    })
}

/// How the pack's files are decrypted: plain, or with the key unlocked for this pack (the
/// viewer and the CLI ask for the passphrase first: [`super::keyring::needs_passphrase`]).
fn seal_for(dir: &Path, m: &Manifest) -> anyhow::Result<SharedSeal> {
    match m.encryption.as_deref() {
        None => Ok(Arc::new(Plain)),
        Some(super::crypt::NAME) => match super::keyring::get(dir) {
            Some(seal) => Ok(seal),
            None => anyhow::bail!(
                "{}: the pack is encrypted; its passphrase is needed (--passphrase-file, or asked at the terminal)",
                dir.display()
            ),
        },
        Some(other) => anyhow::bail!(
            "{}: the pack is encrypted with {other:?}, which this viewer does not know; use a newer Lifeboat",
            dir.display()
        ),
    }
}

/// A name the manifest may use for a file of the pack: no folders, no climbing out.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\'])
}

impl OpenedPack {
    /// The part and index files are the sizes the manifest says (the quick freshness check;
    /// the full hash check is a separate pass).
    pub fn sizes_match(&self) -> bool {
        let files = self
            .parts
            .iter()
            .filter_map(|p| p.file_name()?.to_str())
            .chain(self.manifest.index.as_deref());
        let mut any = false;
        for name in files {
            any = true;
            let Some(expected) = self.manifest.file(name) else {
                return false;
            };
            match std::fs::metadata(self.dir.join(name)) {
                Ok(m) if m.len() == expected.size => {}
                _ => return false,
            }
        }
        any
    }

    /// The generation folder's name.
    pub fn generation(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// `病院名（20261207-230000）` for headers and printouts (the data time is shown beside).
    pub fn label(&self) -> String {
        match self.manifest.hospital.trim() {
            "" => self.generation(),
            h => format!("{h}（{}）", self.generation()),
        }
    }

    /// One line for the command line: which pack, whose, as of when.
    pub fn describe(&self) -> String {
        let time = self
            .manifest
            .data_time
            .as_deref()
            .map(|t| t.replace('T', " "))
            .unwrap_or_else(|| "unknown".into());
        let chosen = match &self.chosen_from {
            Some(out) => format!(
                ", the newest of {} generation(s) in {}",
                generations(out).len(),
                out.display()
            ),
            None => String::new(),
        };
        format!(
            "pack: {} ({}; data as of {time}{chosen})",
            self.dir.display(),
            self.manifest.hospital
        )
    }
}
