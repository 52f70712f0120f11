//! Packed media (issue 15): a window of the snapshot in one archive (split in parts under
//! 4 GB), its prebuilt index, a manifest with the SHA-256 of every file, a minisign signature
//! and optional age encryption; written by `lifeboat pack`, opened by the viewer and the CLI.

pub mod crypt;
pub mod manifest;
pub mod seal;
pub mod verify;

pub use manifest::{FileHash, Manifest, is_pack};
pub use seal::{Plain, ReadSeek, Seal, SealWrite, SharedSeal};
