//! Output layouts and the output folder's rules.

use anyhow::{Context, Result, bail};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

/// How the export is laid out on disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// Bulk Data: one resource type per file (`Observation.000.ndjson`, `Observation.001.ndjson`
    /// ...), references `Patient/<id>` across files.
    #[default]
    Ndjson,
    /// One `collection` Bundle per patient (`patient-<id>.json`), entries named by
    /// `urn:uuid` fullUrls and referenced by them.
    Bundles,
}

impl FromStr for Layout {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "ndjson" => Ok(Layout::Ndjson),
            "bundles" => Ok(Layout::Bundles),
            other => Err(format!("unknown layout {other:?}: use ndjson or bundles")),
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Ndjson => "ndjson",
            Layout::Bundles => "bundles",
        })
    }
}

/// Lines per NDJSON file before the next part starts (Bulk Data servers split like this so
/// that clients can fetch and parse parts in parallel).
pub const NDJSON_LINES_PER_FILE: u64 = 100_000;

/// `Observation.000.ndjson`: zero-padded so that parts list in order.
pub fn ndjson_name(resource_type: &str, part: u32) -> String {
    format!("{resource_type}.{part:03}.ndjson")
}

/// `patient-0000010003.json`, and `patient-0000010003.2.json` for a later part.
pub fn bundle_name(patient_resource_id: &str, part: u32) -> String {
    if part <= 1 {
        format!("patient-{patient_resource_id}.json")
    } else {
        format!("patient-{patient_resource_id}.{part}.json")
    }
}

/// An absolute path with `.` and `..` resolved by text, for comparing folders that may not
/// exist yet.
fn lexical_absolute(p: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(p).with_context(|| format!("resolving {}", p.display()))?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Whether `inner` is `outer` or inside it (symlinks resolved where the folders exist).
pub fn is_inside(inner: &Path, outer: &Path) -> Result<bool> {
    let resolve = |p: &Path| -> Result<PathBuf> {
        match p.canonicalize() {
            Ok(c) => Ok(c),
            Err(_) => lexical_absolute(p),
        }
    };
    Ok(resolve(inner)?.starts_with(resolve(outer)?))
}

/// The output folder must be missing or empty, and outside every folder named in `keep_out`
/// (the snapshot being read is never written to; the SS-MIX2 storage stays SS-MIX2 only).
pub fn check_out_dir(out: &Path, keep_out: &[&Path]) -> Result<()> {
    for k in keep_out {
        if is_inside(out, k)? || is_inside(k, out)? {
            bail!(
                "the FHIR output folder {} must not be inside {} or contain it",
                out.display(),
                k.display()
            );
        }
    }
    if out.exists() {
        if !out.is_dir() {
            bail!("{} exists and is not a directory", out.display());
        }
        let mut entries = std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
        if entries.next().is_some() {
            bail!("refusing to write into non-empty folder {}", out.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_layouts() {
        assert_eq!(ndjson_name("Observation", 1), "Observation.001.ndjson");
        assert_eq!(bundle_name("0000010003", 1), "patient-0000010003.json");
        assert_eq!(bundle_name("0000010003", 2), "patient-0000010003.2.json");
        assert_eq!("bundles".parse::<Layout>(), Ok(Layout::Bundles));
        assert!("xml".parse::<Layout>().is_err());
    }

    #[test]
    fn output_folder_rules() {
        let Ok(tmp) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let ss = tmp.path().join("ss");
        std::fs::create_dir_all(ss.join("000")).unwrap_or_default();
        assert!(check_out_dir(&ss.join("fhir"), &[&ss]).is_err());
        assert!(check_out_dir(&ss.join("000/../x"), &[&ss]).is_err());
        assert!(check_out_dir(tmp.path(), &[&ss]).is_err(), "contains the storage");
        assert!(check_out_dir(&ss, &[]).is_err(), "not empty");
        assert!(check_out_dir(&tmp.path().join("fhir"), &[&ss]).is_ok());
    }
}
