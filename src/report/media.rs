//! What the media's file system did to the snapshot's names: said once, at the top.

use serde::{Deserialize, Serialize};

/// Shown in red at the top of the viewer and of `check` when file names were cut or mapped.
pub const MANGLED_NAMES_JA: &str = "この媒体はファイル名が切り詰められています。取消・旧版を判別できません";

/// File names a disc file system cut (Joliet: 64 characters) or mapped (ISO 9660: upper case,
/// `;1`, `-` → `_`). The SS-MIX2 condition flag is the end of the name, so these files' versions
/// (current, superseded, cancelled) cannot be told.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MangledNames {
    /// Names exactly 64 characters long that are the start of an SS-MIX2 name.
    pub cut_at_64: u64,
    /// Names with an ISO 9660 version suffix (`;1`) or a mapped data type folder (`ADT_00`).
    pub iso9660: u64,
    /// The first such file, as shown.
    pub example: String,
}

impl MangledNames {
    pub fn note(&mut self, cut_at_64: bool, path: &str) {
        if self.example.is_empty() {
            self.example = path.to_string();
        }
        if cut_at_64 {
            self.cut_at_64 += 1;
        } else {
            self.iso9660 += 1;
        }
    }

    pub fn any(&self) -> bool {
        self.cut_at_64 + self.iso9660 > 0
    }

    /// The one problem line, in both languages.
    pub fn message(&self) -> String {
        format!(
            "{MANGLED_NAMES_JA}（{} file names cut at 64 characters (Joliet), {} with ISO 9660 \
             version suffixes or mapped characters: the SS-MIX2 condition flag is lost, so \
             those files' records are shown with status unknown (状態不明), never as current）",
            self.cut_at_64, self.iso9660
        )
    }
}
