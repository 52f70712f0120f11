//! One problem line: which file, where in it, how bad, and what is wrong.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing was lost or changed (e.g. the file was CP932, not ISO-2022-JP).
    Info,
    /// Read, but something was odd or left out; the record may be incomplete.
    Warning,
    /// The file (or one part of it) could not be read into records.
    Error,
}

impl Severity {
    pub fn label_ja(self) -> &'static str {
        match self {
            Severity::Info => "情報",
            Severity::Warning => "警告",
            Severity::Error => "エラー",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file, relative to the snapshot (as in record provenance).
    pub path: String,
    /// Where in the file: `segment 3 (PID-3)`, `entry 12`, `line 40`; empty for the whole file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            place: String::new(),
            severity,
            message: message.into(),
        }
    }

    pub fn at(mut self, place: impl Into<String>) -> Self {
        self.place = place.into();
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.place.is_empty() {
            write!(f, "{sev}: {}: {}", self.path, self.message)
        } else {
            write!(f, "{sev}: {}: {}: {}", self.path, self.place, self.message)
        }
    }
}
