//! Encrypted packs (age). MHLW's guideline wants patient data carried out of the hospital
//! encrypted; the media may be lost or stolen.
//!
//! Each pack gets a fresh hybrid post-quantum key pair (age's ML-KEM-768 + X25519). The archive parts and the index are encrypted to its
//! public key; the secret key is stored on the media in `pack-key.age`, itself encrypted with
//! the operator's passphrase (age's scrypt recipient). Opening derives the passphrase key once
//! (about a second, on purpose) and then opens every part with that key (well under a millisecond),
//! so the reader's pool of open archives costs nothing extra. age's STREAM format authenticates
//! every 64 KiB chunk and decrypts at any offset: a patient is still one short read, and a
//! flipped byte fails that chunk's read instead of yielding wrong data.

use super::seal::{ReadSeek, Seal, SealWrite};
use age::secrecy::{ExposeSecret, SecretString};
use age::{DecryptError, Decryptor, Encryptor, pq};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// The passphrase-protected pack key, next to the manifest.
pub const KEY_FILE: &str = "pack-key.age";
/// The manifest's `encryption` value.
pub const NAME: &str = "age-passphrase";
/// scrypt work factor (2^18) for the pack key: about a second on a current server, a few on an
/// old laptop; readers accept up to 2^22 so that a slower laptop still opens what a fast
/// server wrote.
pub const WORK_FACTOR: u8 = 18;
const MAX_WORK_FACTOR: u8 = 22;

/// Why a pack could not be unlocked.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("パスフレーズが違います (wrong passphrase)")]
    WrongPassphrase,
    #[error("{0}: the pack key file is missing or unreadable: {1}")]
    KeyFile(String, String),
    #[error("{0}: not an age pack key: {1}")]
    BadKey(String, String),
}

/// Encrypts pack files to one age key, and (with its secret) decrypts them.
pub struct AgeSeal {
    identity: pq::Identity,
}

impl AgeSeal {
    /// A fresh key for a new pack; writes its secret, encrypted with `passphrase`, to
    /// `pack_dir/pack-key.age`. `work_factor`: [`WORK_FACTOR`] (tests use less).
    pub fn create(pack_dir: &Path, passphrase: &str, work_factor: u8) -> io::Result<AgeSeal> {
        let identity = pq::Identity::generate();
        let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_string()));
        recipient.set_work_factor(work_factor);
        let enc = Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(io::Error::other)?;
        let path = pack_dir.join(KEY_FILE);
        let mut w = enc.wrap_output(BufWriter::new(File::create(&path)?))?;
        w.write_all(identity.to_string().expose_secret().as_bytes())?;
        let file = w.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(AgeSeal { identity })
    }

    /// Unlocks an existing pack with the operator's passphrase.
    pub fn unlock(pack_dir: &Path, passphrase: &str) -> Result<AgeSeal, UnlockError> {
        let path = pack_dir.join(KEY_FILE);
        let shown = path.display().to_string();
        let file = File::open(&path).map_err(|e| UnlockError::KeyFile(shown.clone(), e.to_string()))?;
        let dec = Decryptor::new_buffered(BufReader::new(file))
            .map_err(|e| UnlockError::BadKey(shown.clone(), e.to_string()))?;
        let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
        identity.set_max_work_factor(MAX_WORK_FACTOR);
        let mut reader = dec
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|e| match e {
                DecryptError::DecryptionFailed
                | DecryptError::NoMatchingKeys
                | DecryptError::KeyDecryptionFailed => UnlockError::WrongPassphrase,
                other => UnlockError::BadKey(shown.clone(), other.to_string()),
            })?;
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .map_err(|e| UnlockError::BadKey(shown.clone(), e.to_string()))?;
        let identity = text
            .trim()
            .parse::<pq::Identity>()
            .map_err(|e| UnlockError::BadKey(shown, e.to_string()))?;
        Ok(AgeSeal { identity })
    }
}

struct AgeWrite(age::stream::StreamWriter<BufWriter<File>>);

impl Write for AgeWrite {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl SealWrite for AgeWrite {
    fn finish(self: Box<Self>) -> io::Result<()> {
        let file = self.0.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

impl Seal for AgeSeal {
    fn name(&self) -> Option<&'static str> {
        Some(NAME)
    }

    fn suffix(&self) -> &'static str {
        ".age"
    }

    fn writer(&self, file: File) -> io::Result<Box<dyn SealWrite>> {
        let recipient = self.identity.to_public();
        let enc = Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(io::Error::other)?;
        Ok(Box::new(AgeWrite(
            enc.wrap_output(BufWriter::with_capacity(1 << 20, file))?,
        )))
    }

    /// Decrypts `inner` (any seekable source, e.g. a block-checked media file).
    fn over(&self, inner: Box<dyn ReadSeek>) -> io::Result<Box<dyn ReadSeek>> {
        let dec =
            Decryptor::new(inner).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        let r = dec
            .decrypt(std::iter::once(&self.identity as &dyn age::Identity))
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("cannot decrypt: {e}")))?;
        Ok(Box::new(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, SeekFrom};

    #[test]
    fn round_trip_seek_wrong_passphrase_and_a_flipped_byte() {
        let dir = tempfile::tempdir().expect("tempdir");
        let seal = AgeSeal::create(dir.path(), "正しい合言葉", 10).expect("create");
        let data: Vec<u8> = (0..300_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let path = dir.path().join("part.zip.age");
        let mut w = seal.writer(File::create(&path).expect("create")).expect("writer");
        w.write_all(&data).expect("write");
        w.finish().expect("finish");
        assert!(
            !std::fs::read(&path)
                .expect("read")
                .windows(8)
                .any(|w| w == &data[4000..4008])
        );

        let again = AgeSeal::unlock(dir.path(), "正しい合言葉").expect("unlocks");
        let mut r = again.open(&path).expect("reader");
        r.seek(SeekFrom::Start(1_000_000)).expect("seek");
        let mut buf = [0u8; 8];
        r.read_exact(&mut buf).expect("read");
        assert_eq!(buf, data[1_000_000..1_000_008]);

        match AgeSeal::unlock(dir.path(), "違う") {
            Err(UnlockError::WrongPassphrase) => {}
            other => panic!("expected WrongPassphrase, got {:?}", other.map(|_| ())),
        }

        let mut bytes = std::fs::read(&path).expect("read");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        let mut r = again.open(&path).expect("reader");
        let mut all = Vec::new();
        assert!(
            r.read_to_end(&mut all).is_err(),
            "a flipped byte must fail its chunk"
        );
    }
}
