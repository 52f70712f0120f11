//! A small settings file in the per-user config folder: recent snapshots, theme, zoom.
//! Never written next to the snapshot (the media is read-only by design).

use super::theme::Mode;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const MAX_RECENT: usize = 8;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first; each entry is the set of roots opened together.
    pub recent: Vec<Vec<PathBuf>>,
    pub mode: Mode,
    pub zoom: f32,
    /// Minutes without input before the screen locks (issue 16).
    pub idle_minutes: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            mode: Mode::Light,
            zoom: 1.0,
            idle_minutes: super::idle::DEFAULT_MINUTES,
        }
    }
}

impl Settings {
    /// [`crate::paths::settings_file`], when the OS has a folder for it.
    pub fn default_path() -> Option<PathBuf> {
        crate::paths::settings_file()
    }

    /// A missing or unreadable file gives the defaults: settings must never stop the viewer.
    pub fn load(path: Option<&Path>) -> Settings {
        path.and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Best effort; a read-only home folder only loses the recent list.
    pub fn save(&self, path: Option<&Path>) {
        let Some(path) = path else { return };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(json) = serde_json::to_vec_pretty(self) {
            let _ = std::fs::write(path, json);
        }
    }

    pub fn remember(&mut self, roots: &[PathBuf]) {
        self.recent.retain(|r| r != roots);
        self.recent.insert(0, roots.to_vec());
        self.recent.truncate(MAX_RECENT);
    }

    pub fn last(&self) -> Option<&Vec<PathBuf>> {
        self.recent.first()
    }
}
