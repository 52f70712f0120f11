//! `lifeboat keygen`, `lifeboat trust ...`, `lifeboat verify` and `lifeboat forget`: the
//! commands IT uses to make packs trustworthy and to clean a laptop after a drill.

use super::exit;
use crate::pack::manifest::{MANIFEST, Manifest};
use crate::pack::verify::{MediaCheck, check_media};
use crate::progress::Progress;
use crate::trust::{SignatureCheck, Tone, TrustStore, check_signature};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum TrustCommand {
    /// Trust packs signed with this public key (a minisign .pub file from `lifeboat keygen`).
    Add {
        key: PathBuf,
        /// Name shown as the signer (default: the key file's comment).
        #[arg(long)]
        name: Option<String>,
    },
    /// List the keys this laptop trusts.
    List,
    /// Stop trusting a key (by its 16-digit key ID).
    Remove { key_id: String },
}

/// `trust ...`; returns the text to print.
pub fn trust(cmd: TrustCommand, store: &TrustStore) -> anyhow::Result<String> {
    Ok(match cmd {
        TrustCommand::Add { key, name } => {
            let k = store.add(&key, name.as_deref())?;
            format!("trusted: key {} ({})\n", k.key_id, k.name)
        }
        TrustCommand::List => {
            let keys = store.list();
            if keys.is_empty() {
                format!("no trusted keys ({})\n", store.dir().display())
            } else {
                keys.iter()
                    .map(|k| format!("{}  {}\n", k.key_id, k.name))
                    .collect()
            }
        }
        TrustCommand::Remove { key_id } => {
            if store.remove(&key_id)? {
                format!("no longer trusted: {key_id}\n")
            } else {
                anyhow::bail!("{key_id}: not a trusted key (see `lifeboat trust list`)")
            }
        }
    })
}

/// The pack folders under `media`: itself when it holds a manifest, else every complete
/// generation in it (the same rule the readers open by, [`crate::pack::open`]).
pub fn pack_folders(media: &Path) -> Vec<PathBuf> {
    match crate::pack::open::locate(media) {
        Some((dir, None)) => vec![dir],
        Some((_, Some(out))) => crate::pack::open::generations(&out),
        None => Vec::new(),
    }
}

/// `verify MEDIA`: the signature and every file of every pack on the media. Returns the text
/// and the exit code: 0 intact and signed by a trusted key, [`exit::TAMPERED`] when anything
/// differs (the first bad file is named), [`exit::UNVERIFIED`] when intact but not signed by a
/// trusted key.
pub fn verify(media: &Path, store: &TrustStore, progress: &Progress) -> anyhow::Result<(String, u8)> {
    let packs = pack_folders(media);
    anyhow::ensure!(
        !packs.is_empty(),
        "{}: no Lifeboat pack here (no {MANIFEST})",
        media.display()
    );
    let mut text = String::new();
    let mut code = exit::OK;
    for dir in packs {
        text.push_str(&format!("{}\n", dir.display()));
        let sig = check_signature(&dir, store);
        text.push_str(&format!("  signature: {}\n", sig.detail()));
        let manifest = match Manifest::read(&dir) {
            Ok(m) => m,
            Err(e) => {
                text.push_str(&format!("  改ざんの疑い: {e:#}\n"));
                code = exit::TAMPERED;
                continue;
            }
        };
        let check = check_media(&dir, &manifest, progress);
        text.push_str(&media_line(&check));
        code = code.max(match (sig.tone(), check.intact()) {
            (Tone::Danger, _) | (_, false) => exit::TAMPERED,
            (Tone::Caution, true) => exit::UNVERIFIED,
            (Tone::Good, true) => exit::OK,
        });
        if let SignatureCheck::Verified { .. } = sig
            && check.intact()
        {
            text.push_str(&format!(
                "  ok: {} / data time {}\n",
                manifest.hospital,
                manifest.data_time.as_deref().unwrap_or("不明")
            ));
        }
    }
    Ok((text, code))
}

fn media_line(c: &MediaCheck) -> String {
    let mut s = format!(
        "  files: {} checked, {:.1} MB in {:.1} s ({:.0} MB/s)\n",
        c.files,
        c.bytes as f64 / 1e6,
        c.seconds,
        c.rate_mb_s()
    );
    if let Some(first) = c.bad.first() {
        s.push_str(&format!(
            "  改ざんの疑い: first bad file {}: {}\n",
            first.path, first.reason
        ));
        if c.bad.len() > 1 {
            s.push_str(&format!("  ({} files differ in all)\n", c.bad.len()));
        }
    }
    for e in &c.extra {
        s.push_str(&format!("  not in the manifest (never read): {e}\n"));
    }
    s
}

/// `forget`: removes the indexes Lifeboat built on this laptop (and copies of pack indexes
/// left by versions that unpacked them); the trusted keys and the audit log stay. Returns
/// what was removed.
pub fn forget(index_root: &Path) -> anyhow::Result<String> {
    if !index_root.exists() {
        return Ok(format!(
            "nothing to remove ({} does not exist)\n",
            index_root.display()
        ));
    }
    let (files, bytes) = walkdir::WalkDir::new(index_root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .fold((0u64, 0u64), |(n, b), e| {
            (n + 1, b + e.metadata().map(|m| m.len()).unwrap_or(0))
        });
    std::fs::remove_dir_all(index_root)
        .map_err(|e| anyhow::anyhow!("{}: cannot remove: {e}", index_root.display()))?;
    Ok(format!(
        "removed {} ({files} files, {:.1} MB)\n",
        index_root.display(),
        bytes as f64 / 1e6
    ))
}
