//! What can be wrong with an index folder, and with the disk it is built on, in words the
//! user can act on: a damaged index is rebuilt (never an opaque I/O error), a full disk is said
//! to be full, with the folder.

use std::path::Path;

/// Shown (GUI and terminal) when an existing index cannot be read and is built again.
pub const DAMAGED: &str = "索引が壊れています。再作成します";
/// Shown when the snapshot's files no longer match the index and it is built again.
pub const CHANGED: &str = "元データが変更されています。索引を再作成します";
/// Free space below which a failed build is put down to a full disk: tantivy's writer threads
/// report a lost ENOSPC only as "an index writer was killed".
const NEARLY_FULL: u64 = 64 * 1024 * 1024;

/// Why an existing index was not used and a new one was built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rebuilt {
    /// The snapshot's files differ from those the index was built from.
    Changed,
    /// The index folder is damaged (truncated or missing files, unreadable metadata): what
    /// was found.
    Damaged(String),
    /// Written by a Lifeboat with another index format.
    Outdated(String),
}

impl Rebuilt {
    /// The line shown to the user.
    pub fn message(&self) -> String {
        match self {
            Rebuilt::Changed => CHANGED.to_string(),
            Rebuilt::Damaged(what) => format!("{DAMAGED}（{}）", short(what)),
            Rebuilt::Outdated(what) => format!("索引の形式が古いため再作成します（{}）", short(what)),
        }
    }
}

/// Tantivy repeats its inner errors at length: the start says what and where.
fn short(what: &str) -> String {
    const MAX: usize = 160;
    match what.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &what[..i]),
        None => what.to_string(),
    }
}

/// A build of the index `folder` failed: when the disk holding it (measured at `parent`,
/// which exists) is (nearly) full, the error says so, in Japanese, with the folder and the free
/// space; otherwise it is returned as it was.
pub fn explain_build_error(e: anyhow::Error, folder: &Path, parent: &Path) -> anyhow::Error {
    let free = fs4::available_space(parent).ok();
    if says_no_space(&e) || free.is_some_and(|f| f < NEARLY_FULL) {
        let free = free.map_or_else(String::new, |f| format!("、空き {:.1} MB", f as f64 / 1e6));
        return anyhow::anyhow!(
            "ディスクの空きが足りません: 索引を {} に作れませんでした{free}（{e:#}）",
            folder.display()
        );
    }
    e
}

/// ENOSPC (or Windows' disk-full codes) anywhere in the error, whether as an `io::Error` or
/// inside tantivy's error text.
fn says_no_space(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(is_no_space)
            || c.downcast_ref::<tantivy::TantivyError>()
                .is_some_and(|t| matches!(t, tantivy::TantivyError::IoError(io) if is_no_space(io)))
    }) || {
        let text = format!("{e:#}");
        text.contains("No space left on device") || text.contains("os error 28")
    }
}

fn is_no_space(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || matches!(e.raw_os_error(), Some(28) if cfg!(unix))
        || matches!(e.raw_os_error(), Some(39 | 112) if cfg!(windows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enospc_is_said_as_disk_full_with_the_folder() {
        let e = anyhow::Error::new(std::io::Error::from_raw_os_error(28)).context("writing a segment");
        let msg = format!("{:#}", explain_build_error(e, Path::new("/idx"), Path::new("/")));
        assert!(msg.starts_with("ディスクの空きが足りません"), "{msg}");
        assert!(msg.contains("/idx"), "{msg}");
    }

    #[test]
    fn other_errors_are_left_alone_when_there_is_room() {
        let e = anyhow::anyhow!("cancelled while reading x");
        // The temp folder of the test machine has more than 64 MB free.
        let dir = std::env::temp_dir();
        if fs4::available_space(&dir).is_ok_and(|f| f > NEARLY_FULL) {
            let msg = format!("{:#}", explain_build_error(e, &dir, &dir));
            assert_eq!(msg, "cancelled while reading x");
        }
    }
}
