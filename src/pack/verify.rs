//! Checking the media against its manifest: the whole media in the background (and
//! `lifeboat verify`), and each 1 MiB block as it is read ([`BlockChecked`]), so that a chart is
//! never drawn from bytes that differ from what was signed. Hashes are of the media bytes
//! (ciphertext when encrypted): no passphrase is needed to check.

use super::manifest::{BLOCK, FileHash, MANIFEST, Manifest, SIGNATURE, hex};
use super::seal::ReadSeek;
use crate::progress::{Progress, Stage};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One file that does not match the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadFile {
    pub path: String,
    pub reason: String,
}

/// The outcome of checking every file the manifest lists.
#[derive(Clone, Debug, Default)]
pub struct MediaCheck {
    pub files: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// Files missing, of another size, or with a block that differs; in manifest order.
    pub bad: Vec<BadFile>,
    /// Files in the pack folder the manifest does not list (never read by Lifeboat).
    pub extra: Vec<String>,
    /// Cancelled before the end.
    pub cancelled: bool,
}

impl MediaCheck {
    pub fn intact(&self) -> bool {
        self.bad.is_empty() && !self.cancelled
    }

    /// MB/s of hashing over the whole run.
    pub fn rate_mb_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

/// Reads and hashes every file the manifest lists, several at once.
pub fn check_media(pack_dir: &Path, manifest: &Manifest, progress: &Progress) -> MediaCheck {
    let started = Instant::now();
    progress.set_stage(Stage::Reading);
    progress.begin(
        manifest.files.len() as u64,
        manifest.files.iter().map(|f| f.size).sum(),
    );
    let results: Vec<(u64, Option<BadFile>)> = manifest
        .files
        .par_iter()
        .map(|f| check_file(pack_dir, f, progress))
        .collect();
    let mut check = MediaCheck {
        files: results.len() as u64,
        bytes: results.iter().map(|r| r.0).sum(),
        bad: results.into_iter().filter_map(|r| r.1).collect(),
        cancelled: progress.is_cancelled(),
        ..Default::default()
    };
    check.extra = extra_files(pack_dir, manifest);
    check.seconds = started.elapsed().as_secs_f64();
    progress.set_stage(Stage::Done);
    check
}

/// (bytes hashed, what is wrong).
fn check_file(pack_dir: &Path, want: &FileHash, progress: &Progress) -> (u64, Option<BadFile>) {
    let bad = |reason: String| {
        Some(BadFile {
            path: want.path.clone(),
            reason,
        })
    };
    let path = pack_dir.join(&want.path);
    let mut file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => return (0, bad(format!("cannot open: {e}"))),
    };
    match file.metadata() {
        Ok(m) if m.len() != want.size => {
            return (
                0,
                bad(format!("{} bytes where the manifest says {}", m.len(), want.size)),
            );
        }
        Err(e) => return (0, bad(format!("cannot read: {e}"))),
        Ok(_) => {}
    }
    let mut whole = Sha256::new();
    let mut buf = vec![0u8; BLOCK as usize];
    let mut done = 0u64;
    for (i, expected) in want.blocks.iter().enumerate() {
        if progress.is_cancelled() {
            return (done, None);
        }
        let len = (want.size - done).min(BLOCK) as usize;
        if let Err(e) = file.read_exact(&mut buf[..len]) {
            return (done, bad(format!("cannot read block {i}: {e}")));
        }
        let h = hex(&Sha256::digest(&buf[..len]));
        if h != *expected {
            return (
                done,
                bad(format!(
                    "block {i} (bytes {}..{}) differs from the manifest",
                    done,
                    done + len as u64
                )),
            );
        }
        whole.update(&buf[..len]);
        done += len as u64;
        progress.add_done(0, len as u64);
    }
    if done != want.size {
        return (
            done,
            bad("the manifest's block list does not cover the file".into()),
        );
    }
    if hex(&whole.finalize()) != want.sha256 {
        return (
            done,
            bad("SHA-256 of the whole file differs from the manifest".into()),
        );
    }
    progress.add_done(1, 0);
    (done, None)
}

fn extra_files(pack_dir: &Path, manifest: &Manifest) -> Vec<String> {
    let mut extra = Vec::new();
    for entry in walkdir::WalkDir::new(pack_dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(pack_dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel != MANIFEST && rel != SIGNATURE && manifest.file(&rel).is_none() {
            extra.push(rel);
        }
    }
    extra.sort();
    extra
}

/// The first block found to differ while reading, shared with whoever shows the header.
#[derive(Clone, Default)]
pub struct TamperAlarm(Arc<Mutex<Option<BadFile>>>);

impl TamperAlarm {
    /// The one alarm of the pack in `dir` for this process: the index, the source-text reader
    /// and the header all open the pack separately and must share it.
    pub fn for_pack(dir: &Path) -> TamperAlarm {
        use std::collections::HashMap;
        use std::sync::OnceLock;
        static ALARMS: OnceLock<Mutex<HashMap<std::path::PathBuf, TamperAlarm>>> = OnceLock::new();
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let Ok(mut all) = ALARMS.get_or_init(|| Mutex::new(HashMap::new())).lock() else {
            return TamperAlarm::default();
        };
        all.entry(key).or_default().clone()
    }

    pub fn raise(&self, bad: BadFile) {
        if let Ok(mut slot) = self.0.lock()
            && slot.is_none()
        {
            *slot = Some(bad);
        }
    }

    pub fn raised(&self) -> Option<BadFile> {
        self.0.lock().ok().and_then(|s| s.clone())
    }
}

/// A media file read through its manifest's block hashes: every block is hashed when first
/// read and must match, else the read fails (and the alarm is raised) instead of handing out
/// changed bytes. The last block read is kept, so a zip entry's many small reads cost one
/// hash.
pub struct BlockChecked {
    inner: Box<dyn ReadSeek>,
    want: Arc<FileHash>,
    alarm: TamperAlarm,
    pos: u64,
    block: Option<(u64, Vec<u8>)>,
}

impl BlockChecked {
    pub fn new(inner: Box<dyn ReadSeek>, want: Arc<FileHash>, alarm: TamperAlarm) -> BlockChecked {
        BlockChecked {
            inner,
            want,
            alarm,
            pos: 0,
            block: None,
        }
    }

    fn load(&mut self, index: u64) -> io::Result<()> {
        if self.block.as_ref().is_some_and(|(i, _)| *i == index) {
            return Ok(());
        }
        let start = index * BLOCK;
        let len = (self.want.size - start).min(BLOCK) as usize;
        let mut buf = vec![0u8; len];
        self.inner.seek(SeekFrom::Start(start))?;
        self.inner.read_exact(&mut buf)?;
        let ok = self
            .want
            .blocks
            .get(index as usize)
            .is_some_and(|h| *h == hex(&Sha256::digest(&buf)));
        if !ok {
            let bad = BadFile {
                path: self.want.path.clone(),
                reason: format!(
                    "block {index} (bytes {start}..{}) differs from the manifest",
                    start + len as u64
                ),
            };
            let msg = format!("改ざんの疑い: {}: {}", bad.path, bad.reason);
            self.alarm.raise(bad);
            return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
        }
        self.block = Some((index, buf));
        Ok(())
    }
}

impl Read for BlockChecked {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.want.size || out.is_empty() {
            return Ok(0);
        }
        let index = self.pos / BLOCK;
        self.load(index)?;
        let Some((_, block)) = &self.block else {
            return Ok(0);
        };
        let at = (self.pos - index * BLOCK) as usize;
        let n = out.len().min(block.len() - at);
        out[..n].copy_from_slice(&block[at..at + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BlockChecked {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.want.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        let Some(target) = target else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            ));
        };
        self.pos = target;
        Ok(target)
    }
}

/// A seal that reads every pack file through its manifest's block hashes (then decrypts with
/// the inner seal): what a pack is opened with, so no chart is drawn from changed bytes.
pub struct Checked {
    inner: super::seal::SharedSeal,
    files: std::collections::HashMap<String, Arc<FileHash>>,
    alarm: TamperAlarm,
}

impl Checked {
    pub fn new(inner: super::seal::SharedSeal, manifest: &Manifest, alarm: TamperAlarm) -> Checked {
        Checked {
            inner,
            files: manifest
                .files
                .iter()
                .map(|f| (f.path.clone(), Arc::new(f.clone())))
                .collect(),
            alarm,
        }
    }
}

impl super::seal::Seal for Checked {
    fn name(&self) -> Option<&'static str> {
        self.inner.name()
    }

    fn suffix(&self) -> &'static str {
        self.inner.suffix()
    }

    fn writer(&self, file: std::fs::File) -> io::Result<Box<dyn super::seal::SealWrite>> {
        self.inner.writer(file)
    }

    fn over(&self, inner: Box<dyn ReadSeek>) -> io::Result<Box<dyn ReadSeek>> {
        self.inner.over(inner)
    }

    /// Files are found in the manifest by their name in the pack folder; a file the manifest
    /// does not list is never read.
    fn open(&self, path: &Path) -> io::Result<Box<dyn ReadSeek>> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(want) = self.files.get(&name) else {
            let bad = BadFile {
                path: name,
                reason: "not listed in the manifest".into(),
            };
            let msg = format!("改ざんの疑い: {}: {}", bad.path, bad.reason);
            self.alarm.raise(bad);
            return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
        };
        let file = std::fs::File::open(path)?;
        let checked = BlockChecked::new(Box::new(file), want.clone(), self.alarm.clone());
        self.inner.over(Box::new(checked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::manifest::hash;

    fn media(dir: &Path, name: &str, data: &[u8]) -> Manifest {
        std::fs::write(dir.join(name), data).expect("write");
        Manifest {
            files: vec![hash(name, &mut &data[..]).expect("hash")],
            ..Default::default()
        }
    }

    #[test]
    fn a_flipped_byte_anywhere_is_found_and_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data: Vec<u8> = (0..(3 * BLOCK + 100)).map(|i| (i % 251) as u8).collect();
        let m = media(dir.path(), "snapshot.001.zip", &data);
        let p = Progress::new();
        assert!(check_media(dir.path(), &m, &p).intact());
        for at in [0, BLOCK + 5, 3 * BLOCK + 99] {
            let mut bad = data.clone();
            bad[at as usize] ^= 0x20;
            std::fs::write(dir.path().join("snapshot.001.zip"), &bad).expect("write");
            let c = check_media(dir.path(), &m, &p);
            assert_eq!(c.bad.len(), 1, "flip at {at}");
            assert!(
                c.bad[0].reason.contains(&format!("block {}", at / BLOCK)),
                "{:?}",
                c.bad
            );
        }
        std::fs::write(dir.path().join("snapshot.001.zip"), &data[..10]).expect("write");
        assert!(
            check_media(dir.path(), &m, &p).bad[0]
                .reason
                .contains("bytes where the manifest says")
        );
        std::fs::write(dir.path().join("planted.exe"), b"MZ").expect("write");
        assert_eq!(check_media(dir.path(), &m, &p).extra, ["planted.exe"]);
    }

    #[test]
    fn reads_through_checked_blocks_and_refuses_a_changed_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data: Vec<u8> = (0..(2 * BLOCK + 7)).map(|i| (i % 253) as u8).collect();
        let m = media(dir.path(), "a", &data);
        let want = Arc::new(m.files[0].clone());
        let alarm = TamperAlarm::default();
        let open = || Box::new(std::fs::File::open(dir.path().join("a")).expect("open")) as Box<dyn ReadSeek>;
        let mut r = BlockChecked::new(open(), want.clone(), alarm.clone());
        r.seek(SeekFrom::Start(BLOCK - 3)).expect("seek");
        let mut buf = [0u8; 6];
        r.read_exact(&mut buf).expect("read across a block edge");
        assert_eq!(buf, data[(BLOCK - 3) as usize..(BLOCK + 3) as usize]);
        r.seek(SeekFrom::End(-2)).expect("seek");
        let mut tail = Vec::new();
        r.read_to_end(&mut tail).expect("read");
        assert_eq!(tail, data[data.len() - 2..]);
        assert!(alarm.raised().is_none());

        let mut bad = data.clone();
        bad[(2 * BLOCK) as usize] ^= 1;
        std::fs::write(dir.path().join("a"), &bad).expect("write");
        let mut r = BlockChecked::new(open(), want, alarm.clone());
        let mut first = vec![0u8; BLOCK as usize];
        r.read_exact(&mut first).expect("block 0 is intact");
        r.seek(SeekFrom::Start(2 * BLOCK)).expect("seek");
        let err = r.read(&mut buf).expect_err("block 2 changed");
        assert!(err.to_string().contains("改ざんの疑い"), "{err}");
        assert!(alarm.raised().is_some_and(|b| b.reason.contains("block 2")));
    }
}
