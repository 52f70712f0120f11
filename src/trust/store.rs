//! The keys this laptop trusts: one minisign `.pub` file per key, named by its key ID, in the
//! user's config folder. Adding a key is a deliberate act of IT (`lifeboat trust add`); nothing
//! on the media can add one.

use super::keys::key_id;
use anyhow::Context;
use minisign::{PublicKey, PublicKeyBox};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct TrustedKey {
    pub key_id: String,
    /// The name given when it was added (or the key file's comment).
    pub name: String,
    pub key: PublicKey,
}

pub struct TrustStore {
    dir: PathBuf,
}

impl TrustStore {
    /// The user's store ([`crate::paths::trusted_keys`]).
    pub fn default_store() -> TrustStore {
        TrustStore::at(crate::paths::trusted_keys())
    }

    pub fn at(dir: PathBuf) -> TrustStore {
        TrustStore { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Trusts the key in `pub_file` under `name` (default: the file's comment); returns it.
    pub fn add(&self, pub_file: &Path, name: Option<&str>) -> anyhow::Result<TrustedKey> {
        let text = std::fs::read_to_string(pub_file)
            .with_context(|| format!("{}: cannot read", pub_file.display()))?;
        let (comment, key) =
            parse(&text).with_context(|| format!("{}: not a minisign public key", pub_file.display()))?;
        let id = key_id(key.keynum());
        let name = name.map(str::to_string).unwrap_or_else(|| {
            comment
                .strip_prefix(super::keys::COMMENT_PREFIX)
                .unwrap_or(&comment)
                .to_string()
        });
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("{}: cannot create", self.dir.display()))?;
        let boxed = key.to_box().map_err(|e| anyhow::anyhow!("{e}"))?.into_string();
        let body = boxed.lines().skip(1).collect::<Vec<_>>().join("\n");
        let path = self.dir.join(format!("{id}.pub"));
        std::fs::write(&path, format!("untrusted comment: {}\n{body}\n", one_line(&name)))
            .with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(TrustedKey {
            key_id: id,
            name,
            key,
        })
    }

    /// Every trusted key, by key ID; unreadable files are skipped (and listed by `trust list`).
    pub fn list(&self) -> Vec<TrustedKey> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut keys: Vec<TrustedKey> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "pub"))
            .filter_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                let (name, key) = parse(&text).ok()?;
                Some(TrustedKey {
                    key_id: key_id(key.keynum()),
                    name,
                    key,
                })
            })
            .collect();
        keys.sort_by(|a, b| a.key_id.cmp(&b.key_id));
        keys
    }

    pub fn find(&self, key_id: &str) -> Option<TrustedKey> {
        self.list()
            .into_iter()
            .find(|k| k.key_id.eq_ignore_ascii_case(key_id))
    }

    /// Stops trusting a key; false when it was not trusted.
    pub fn remove(&self, key_id: &str) -> anyhow::Result<bool> {
        let Some(k) = self.find(key_id) else {
            return Ok(false);
        };
        let path = self.dir.join(format!("{}.pub", k.key_id));
        std::fs::remove_file(&path).with_context(|| format!("{}: cannot remove", path.display()))?;
        Ok(true)
    }
}

/// (comment, key) from a `.pub` file's text.
fn parse(text: &str) -> anyhow::Result<(String, PublicKey)> {
    let comment = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("untrusted comment:"))
        .map(|c| c.trim().to_string())
        .unwrap_or_default();
    let key = PublicKeyBox::from_string(text)
        .and_then(PublicKeyBox::into_public_key)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((comment, key))
}

fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
