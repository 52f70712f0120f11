//! Key pairs: `lifeboat keygen` writes `NAME.key` (the secret key, passphrase-protected, kept
//! by IT and never put on the media) and `NAME.pub` (given to every emergency laptop with
//! `lifeboat trust add`). Both are minisign's own formats, so `minisign -Vm manifest.json -p
//! NAME.pub` checks a pack too.

use anyhow::Context;
use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Starts the comment of the key files `keygen` writes; the signer's name follows.
pub const COMMENT_PREFIX: &str = "Lifeboat signing key: ";

/// What `keygen` wrote.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub secret: PathBuf,
    pub public: PathBuf,
    /// As minisign prints it (16 hex digits).
    pub key_id: String,
}

/// minisign's key ID: the key number as a little-endian u64 in upper-case hex.
pub fn key_id(keynum: &[u8]) -> String {
    let mut n = [0u8; 8];
    for (d, s) in n.iter_mut().zip(keynum) {
        *d = *s;
    }
    format!("{:016X}", u64::from_le_bytes(n))
}

/// Writes `base.key` and `base.pub`; refuses to overwrite either.
pub fn keygen(base: &Path, passphrase: &str, name: &str) -> anyhow::Result<KeyInfo> {
    anyhow::ensure!(!passphrase.is_empty(), "the secret key needs a passphrase");
    let secret = base.with_extension("key");
    let public = base.with_extension("pub");
    for p in [&secret, &public] {
        anyhow::ensure!(!p.exists(), "{}: exists; not overwritten", p.display());
    }
    let kp = KeyPair::generate_encrypted_keypair(Some(passphrase.to_string()))
        .map_err(|e| anyhow::anyhow!("cannot make a key pair: {e}"))?;
    let comment = format!("{COMMENT_PREFIX}{name}");
    let sk_box = kp
        .sk
        .to_box(Some(&comment))
        .map_err(|e| anyhow::anyhow!("cannot encode the secret key: {e}"))?;
    let pk_box = kp
        .pk
        .to_box()
        .map_err(|e| anyhow::anyhow!("cannot encode the public key: {e}"))?;
    // The comment line names the signer (what `trust add` shows); the key line stays
    // minisign's, so `minisign -V -p NAME.pub` reads it.
    let pk_text = pk_box.into_string();
    let pk_text = match pk_text.split_once('\n') {
        Some((_, key)) => format!("untrusted comment: {comment}\n{key}"),
        None => pk_text,
    };
    write_new(&secret, sk_box.into_string().as_bytes())?;
    write_new(&public, pk_text.as_bytes())?;
    Ok(KeyInfo {
        secret,
        public,
        key_id: key_id(kp.pk.keynum()),
    })
}

fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// A secret key unlocked for signing.
pub struct Signer {
    sk: SecretKey,
    pk: PublicKey,
}

impl Signer {
    /// Loads `NAME.key` with its passphrase.
    pub fn load(secret: &Path, passphrase: &str) -> anyhow::Result<Signer> {
        let text =
            std::fs::read_to_string(secret).with_context(|| format!("{}: cannot read", secret.display()))?;
        let sk_box = SecretKeyBox::from_string(&text)
            .map_err(|e| anyhow::anyhow!("{}: not a minisign secret key: {e}", secret.display()))?;
        let sk = sk_box
            .into_secret_key(Some(passphrase.to_string()))
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: cannot unlock the secret key (wrong passphrase?): {e}",
                    secret.display()
                )
            })?;
        let pk = PublicKey::from_secret_key(&sk).map_err(|e| anyhow::anyhow!("{}: {e}", secret.display()))?;
        Ok(Signer { sk, pk })
    }

    pub fn key_id(&self) -> String {
        key_id(self.pk.keynum())
    }

    /// The public key as a minisign `.pub` file's text.
    pub fn public_text(&self) -> String {
        self.pk
            .to_box()
            .map(PublicKeyBox::into_string)
            .unwrap_or_default()
    }

    /// A `.minisig` over `data`; the trusted comment (signed too) names the pack.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> anyhow::Result<String> {
        let sig = minisign::sign(
            Some(&self.pk),
            &self.sk,
            Cursor::new(data),
            Some(trusted_comment),
            Some("signature from Lifeboat pack"),
        )
        .map_err(|e| anyhow::anyhow!("cannot sign: {e}"))?;
        Ok(sig.into_string())
    }
}
