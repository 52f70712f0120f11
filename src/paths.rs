//! Where Lifeboat keeps its per-user files: settings, trusted keys, local indexes, the event log.
//!
//! Nothing is ever written next to the program, which runs from a read-only DVD or a stick.
//! Windows: all under `%LOCALAPPDATA%\Lifeboat` (not the roaming profile: indexes are large,
//! and the laptop's own trust list and settings must not follow a user to another machine).
//! Elsewhere: the XDG folders, settings and keys under the config folder, indexes and the log
//! under the data folder (`~/.config/lifeboat`, `~/.local/share/lifeboat`).

use std::path::{Path, PathBuf};

/// The folders of one platform, computed from the OS's base folders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Settings and the trusted keys; `None` when the OS gives no folder.
    pub config: Option<PathBuf>,
    /// Local indexes and the event log; `None` when the OS gives no folder.
    pub data: Option<PathBuf>,
}

impl Layout {
    /// This machine's layout.
    pub fn current() -> Layout {
        if cfg!(windows) {
            Layout::windows(dirs::data_local_dir().as_deref())
        } else {
            Layout::xdg(dirs::config_dir().as_deref(), dirs::data_local_dir().as_deref())
        }
    }

    /// Windows: one folder under `%LOCALAPPDATA%` for everything.
    pub fn windows(local_app_data: Option<&Path>) -> Layout {
        let base = local_app_data.map(|d| d.join("Lifeboat"));
        Layout {
            config: base.clone(),
            data: base,
        }
    }

    /// Linux and other Unix: XDG config and data folders.
    pub fn xdg(config: Option<&Path>, data_local: Option<&Path>) -> Layout {
        Layout {
            config: config.map(|d| d.join("lifeboat")),
            data: data_local.map(|d| d.join("lifeboat")),
        }
    }

    /// `settings.json` of the viewer (recent snapshots, zoom, light/dark).
    pub fn settings_file(&self) -> Option<PathBuf> {
        self.config.as_ref().map(|d| d.join("settings.json"))
    }

    /// One `.pub` per trusted signing key.
    pub fn trusted_keys(&self) -> PathBuf {
        self.config_or_temp().join("trusted")
    }

    /// One subfolder per indexed snapshot and per unpacked pack index (`forget` empties it).
    pub fn indexes(&self) -> PathBuf {
        self.data_or_temp().join("indexes")
    }

    /// The audit log (who looked at whom, issue 16): beside the indexes, never inside them
    /// (`forget` must not remove it).
    pub fn audit_log(&self) -> Option<PathBuf> {
        self.data.as_ref().map(|d| d.join("audit.jsonl"))
    }

    /// A drill laptop's default operator for the command line.
    pub fn drill_operator(&self) -> Option<PathBuf> {
        self.config.as_ref().map(|d| d.join("drill-operator.json"))
    }

    // Without a home folder (a service account, a stripped environment) the temp folder still
    // works for the session; never the program's own folder.
    fn config_or_temp(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("lifeboat"))
    }

    fn data_or_temp(&self) -> PathBuf {
        self.data
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("lifeboat"))
    }
}

/// The viewer's settings file on this machine.
pub fn settings_file() -> Option<PathBuf> {
    Layout::current().settings_file()
}

/// The trusted keys' folder on this machine.
pub fn trusted_keys() -> PathBuf {
    Layout::current().trusted_keys()
}

/// The local indexes' folder on this machine.
pub fn indexes() -> PathBuf {
    Layout::current().indexes()
}

/// The audit log on this machine.
pub fn audit_log() -> Option<PathBuf> {
    Layout::current().audit_log()
}

/// The drill operator's file on this machine.
pub fn drill_operator() -> Option<PathBuf> {
    Layout::current().drill_operator()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_keeps_everything_under_local_app_data() {
        let l = Layout::windows(Some(Path::new(r"C:\Users\kango\AppData\Local")));
        let base = Path::new(r"C:\Users\kango\AppData\Local").join("Lifeboat");
        assert_eq!(l.settings_file(), Some(base.join("settings.json")));
        assert_eq!(l.trusted_keys(), base.join("trusted"));
        assert_eq!(l.indexes(), base.join("indexes"));
        assert_eq!(l.audit_log(), Some(base.join("audit.jsonl")));
        assert_eq!(l.drill_operator(), Some(base.join("drill-operator.json")));
    }

    #[test]
    fn xdg_splits_config_and_data_as_before() {
        let l = Layout::xdg(
            Some(Path::new("/home/k/.config")),
            Some(Path::new("/home/k/.local/share")),
        );
        assert_eq!(
            l.settings_file(),
            Some(PathBuf::from("/home/k/.config/lifeboat/settings.json"))
        );
        assert_eq!(
            l.trusted_keys(),
            PathBuf::from("/home/k/.config/lifeboat/trusted")
        );
        assert_eq!(
            l.indexes(),
            PathBuf::from("/home/k/.local/share/lifeboat/indexes")
        );
        assert_eq!(
            l.audit_log(),
            Some(PathBuf::from("/home/k/.local/share/lifeboat/audit.jsonl"))
        );
        assert_eq!(
            l.drill_operator(),
            Some(PathBuf::from("/home/k/.config/lifeboat/drill-operator.json"))
        );
    }

    /// Every per-user folder comes from this module: a module that asks `dirs` itself would put
    /// its file in the roaming profile on Windows, or next to the program.
    #[test]
    fn no_other_module_picks_its_own_folder() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let p = e.path();
            if p.extension().is_none_or(|x| x != "rs") || p.ends_with("paths.rs") {
                continue;
            }
            let text = std::fs::read_to_string(p).unwrap_or_default();
            for (n, line) in text.lines().enumerate() {
                if line.contains("dirs::") {
                    offenders.push(format!("{}:{}: {}", p.display(), n + 1, line.trim()));
                }
            }
        }
        assert_eq!(offenders, Vec::<String>::new());
    }

    #[test]
    fn without_base_folders_nothing_goes_next_to_the_program() {
        let l = Layout::windows(None);
        assert_eq!(l.settings_file(), None);
        assert_eq!(l.audit_log(), None);
        let tmp = std::env::temp_dir().join("lifeboat");
        assert_eq!(l.indexes(), tmp.join("indexes"));
        assert_eq!(l.trusted_keys(), tmp.join("trusted"));
    }
}
