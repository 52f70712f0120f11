//! A pack's signature against the keys this laptop trusts, in the words the header shows.

use super::keys::key_id;
use super::store::TrustStore;
use crate::pack::manifest::{MANIFEST, SIGNATURE};
use minisign::SignatureBox;
use std::io::Cursor;
use std::path::Path;

/// How the header colours a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Caution,
    Danger,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureCheck {
    /// Signed by a trusted key, and the manifest is the one signed.
    Verified {
        key_id: String,
        signer: String,
        /// The signed comment (hospital and data time, as the packer wrote them).
        comment: String,
    },
    /// No signature file.
    Unsigned,
    /// Signed, by a key this laptop does not trust: nothing can be said of who made it.
    UnknownKey { key_id: String },
    /// A signature that does not verify, or cannot be read: the manifest (or the signature)
    /// was changed after signing.
    Tampered { reason: String },
}

impl SignatureCheck {
    pub fn label_ja(&self) -> &'static str {
        match self {
            SignatureCheck::Verified { .. } => "署名確認済み",
            SignatureCheck::Unsigned => "署名なし",
            SignatureCheck::UnknownKey { .. } => "未登録の鍵による署名",
            SignatureCheck::Tampered { .. } => "改ざんの疑い",
        }
    }

    pub fn tone(&self) -> Tone {
        match self {
            SignatureCheck::Verified { .. } => Tone::Good,
            SignatureCheck::Unsigned | SignatureCheck::UnknownKey { .. } => Tone::Caution,
            SignatureCheck::Tampered { .. } => Tone::Danger,
        }
    }

    /// One line for the CLI and the header's tooltip.
    pub fn detail(&self) -> String {
        match self {
            SignatureCheck::Verified {
                key_id,
                signer,
                comment,
            } => {
                format!("{} ({signer}, key {key_id}; {comment})", self.label_ja())
            }
            SignatureCheck::Unsigned => format!("{}: no {SIGNATURE} on the media", self.label_ja()),
            SignatureCheck::UnknownKey { key_id } => format!(
                "{}: signed by key {key_id}, which this laptop does not trust (lifeboat trust add KEY.pub)",
                self.label_ja()
            ),
            SignatureCheck::Tampered { reason } => format!("{}: {reason}", self.label_ja()),
        }
    }
}

/// Checks `pack_dir/manifest.json` against its `.minisig` and the trusted keys.
pub fn check_signature(pack_dir: &Path, store: &TrustStore) -> SignatureCheck {
    let sig_path = pack_dir.join(SIGNATURE);
    let sig_text = match std::fs::read_to_string(&sig_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SignatureCheck::Unsigned,
        Err(e) => {
            return SignatureCheck::Tampered {
                reason: format!("{}: unreadable: {e}", sig_path.display()),
            };
        }
    };
    let manifest = match std::fs::read(pack_dir.join(MANIFEST)) {
        Ok(m) => m,
        Err(e) => {
            return SignatureCheck::Tampered {
                reason: format!("{MANIFEST}: unreadable: {e}"),
            };
        }
    };
    check_bytes(&manifest, &sig_text, store)
}

/// [`check_signature`] on bytes already read.
pub fn check_bytes(manifest: &[u8], sig_text: &str, store: &TrustStore) -> SignatureCheck {
    let sig = match SignatureBox::from_string(sig_text) {
        Ok(s) => s,
        Err(e) => {
            return SignatureCheck::Tampered {
                reason: format!("{SIGNATURE}: not a minisign signature: {e}"),
            };
        }
    };
    let id = key_id(sig.keynum());
    let Some(trusted) = store.find(&id) else {
        return SignatureCheck::UnknownKey { key_id: id };
    };
    match minisign::verify(&trusted.key, &sig, Cursor::new(manifest), true, false, false) {
        Ok(()) => SignatureCheck::Verified {
            key_id: id,
            signer: trusted.name,
            comment: sig.trusted_comment().unwrap_or_default(),
        },
        Err(e) => SignatureCheck::Tampered {
            reason: format!("{MANIFEST} does not match its signature by key {id}: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::{Signer, keygen};

    #[test]
    fn verified_unknown_unsigned_and_tampered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let info = keygen(&dir.path().join("hosp"), "鍵の合言葉", "テスト病院").expect("keygen");
        assert_eq!(info.key_id.len(), 16);
        let signer = Signer::load(&info.secret, "鍵の合言葉").expect("unlock");
        assert_eq!(signer.key_id(), info.key_id);
        assert!(Signer::load(&info.secret, "違う").is_err());
        let manifest = br#"{"format":1,"hospital":"T"}"#;
        let sig = signer
            .sign(manifest, "hospital:T data_time:2026-12-07T08:00")
            .expect("sign");

        let store = TrustStore::at(dir.path().join("trusted"));
        assert_eq!(
            check_bytes(manifest, &sig, &store),
            SignatureCheck::UnknownKey {
                key_id: info.key_id.clone()
            }
        );
        let added = store.add(&info.public, None).expect("trust");
        assert_eq!(added.name, "テスト病院");
        match check_bytes(manifest, &sig, &store) {
            SignatureCheck::Verified { key_id, comment, .. } => {
                assert_eq!(key_id, info.key_id);
                assert!(comment.contains("data_time:2026-12-07T08:00"));
            }
            other => panic!("{other:?}"),
        }
        let mut changed = manifest.to_vec();
        changed[20] ^= 1;
        assert_eq!(check_bytes(&changed, &sig, &store).tone(), Tone::Danger);
        assert_eq!(check_bytes(manifest, "garbage", &store).tone(), Tone::Danger);
        assert!(store.remove(&info.key_id).expect("remove"));
        assert!(store.list().is_empty());
        let empty = tempfile::tempdir().expect("tempdir");
        assert_eq!(check_signature(empty.path(), &store), SignatureCheck::Unsigned);
    }
}
