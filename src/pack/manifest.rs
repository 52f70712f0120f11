//! `manifest.json`: what a pack holds and the SHA-256 of every file on the media, the one file
//! the signature covers (`manifest.json.minisig`, minisign format, so that `minisign -Vm` checks
//! it too). Hashes are of the bytes on the media (ciphertext when encrypted), so the whole media
//! can be checked without the passphrase, and per 1 MiB block as well as whole, so that reading
//! one patient checks only the blocks it touches.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Bumped when a reader of the old format could misread the new one.
/// 2: SS-MIX2 patients as solid entries (`solid.rs`); a viewer of format 1 would take them for
/// archives inside the archive.
pub const FORMAT: u32 = 2;
pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.json.minisig";
/// Block size of the per-block hashes.
pub const BLOCK: u64 = 1 << 20;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`] when written.
    pub format: u32,
    /// As given to `pack --hospital`; shown in the header and the readme.
    pub hospital: String,
    /// The snapshot's data time (latest record written), ISO 8601 local time, when known.
    pub data_time: Option<String>,
    /// When the pack was made, ISO 8601 with offset.
    pub created: String,
    pub window: Window,
    /// `None`, or how the archive and index are encrypted (`"age-passphrase"`,
    /// `"age-x25519"`).
    pub encryption: Option<String>,
    pub patients: u64,
    /// Records per kind (`"検査結果"`, ...) as packed.
    pub counts: BTreeMap<String, u64>,
    /// What went in: each source root as given, its kind and size.
    pub sources: Vec<SourceSummary>,
    /// The ingest report's totals over the sources.
    pub report: ReportTotals,
    /// Archive parts in order (`snapshot.001.zip`, ...; `.age` appended when encrypted).
    pub parts: Vec<String>,
    /// The prebuilt index archive, when shipped.
    pub index: Option<String>,
    /// Every file of the pack but the manifest and its signature, by path relative to the
    /// pack folder (`/`-separated).
    pub files: Vec<FileHash>,
    /// `drill` when the packed data is marked as training data ([`crate::chart::mode`]).
    #[serde(default)]
    pub mode: crate::chart::mode::DataMode,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub days: u32,
    /// First and last day inside the window (YYYY-MM-DD).
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceSummary {
    pub path: String,
    /// `"SS-MIX2"`, `"FHIR"` or `"mixed"`.
    pub kind: String,
    pub files: u64,
    pub bytes: u64,
    /// Files of this source put in the pack (inside the window or needed by a chart).
    pub packed_files: u64,
    /// Files left out, all because they lie outside the window (`files - packed_files`, said
    /// outright so that nothing is dropped without a word).
    #[serde(default)]
    pub left_out_outside_window: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportTotals {
    pub files: u64,
    pub mapped: u64,
    pub with_warnings: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub records: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    pub path: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the whole file.
    pub sha256: String,
    /// Lower-case hex SHA-256 of each [`BLOCK`]-sized block in order (the last may be short).
    pub blocks: Vec<String>,
}

impl Manifest {
    pub fn read(pack_dir: &Path) -> anyhow::Result<Manifest> {
        let path = pack_dir.join(MANIFEST);
        let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Self::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Manifest> {
        let m: Manifest = serde_json::from_slice(bytes)?;
        anyhow::ensure!(
            m.format <= FORMAT,
            "pack format {} is newer than this viewer reads ({FORMAT}); use a newer Lifeboat",
            m.format
        );
        Ok(m)
    }

    /// Pretty JSON: the bytes that get signed.
    pub fn to_bytes(&self) -> Vec<u8> {
        // A struct of strings, numbers and maps always serializes.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    pub fn file(&self, path: &str) -> Option<&FileHash> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Whether `dir` is a pack folder (holds a manifest).
pub fn is_pack(dir: &Path) -> bool {
    dir.join(MANIFEST).is_file()
}

/// Hashes `reader` whole and per block.
pub fn hash(path: &str, reader: &mut dyn Read) -> std::io::Result<FileHash> {
    let mut whole = Sha256::new();
    let mut blocks = Vec::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; BLOCK as usize];
    loop {
        let n = read_full(reader, &mut buf)?;
        if n == 0 {
            break;
        }
        whole.update(&buf[..n]);
        blocks.push(hex(&Sha256::digest(&buf[..n])));
        size += n as u64;
        if n < buf.len() {
            break;
        }
    }
    Ok(FileHash {
        path: path.to_string(),
        size,
        sha256: hex(&whole.finalize()),
        blocks,
    })
}

/// Hashes the file at `root/path`.
pub fn hash_file(root: &Path, path: &str) -> std::io::Result<FileHash> {
    let mut f = std::fs::File::open(root.join(path))?;
    hash(path, &mut f)
}

fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_whole_match_sha256_of_known_bytes() {
        let data = vec![7u8; BLOCK as usize + 3];
        let h = hash("a", &mut data.as_slice()).expect("hash");
        assert_eq!(h.size, BLOCK + 3);
        assert_eq!(h.blocks.len(), 2);
        assert_eq!(h.sha256, hex(&Sha256::digest(&data)));
        assert_eq!(h.blocks[1], hex(&Sha256::digest([7u8; 3])));
        // The empty file: no blocks, the SHA-256 of nothing.
        let e = hash("e", &mut [].as_slice()).expect("hash");
        assert_eq!(
            e.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(e.blocks.is_empty());
    }

    #[test]
    fn a_newer_format_is_refused_by_name() {
        let m = Manifest {
            format: FORMAT + 1,
            ..Default::default()
        };
        let err = Manifest::from_bytes(&m.to_bytes()).expect_err("newer");
        assert!(err.to_string().contains("newer"), "{err}");
        let ok = Manifest {
            format: FORMAT,
            hospital: "テスト病院".into(),
            ..Default::default()
        };
        assert_eq!(Manifest::from_bytes(&ok.to_bytes()).expect("reads"), ok);
    }
}
