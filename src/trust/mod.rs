//! Who made a pack: minisign (Ed25519) key pairs, the keys this laptop trusts, and the check of
//! a pack's signature against them. The media may come from a compromised network: only a
//! signature by a key the laptop trusts shows green; anything that does not verify is shown as
//! 改ざんの疑い and the data stays hidden until the operator chooses to go on.

mod keys;
mod store;
mod verdict;

pub use keys::{KeyInfo, Signer, key_id, keygen};
pub use store::{TrustStore, TrustedKey};
pub use verdict::{SignatureCheck, Tone, check_signature};
