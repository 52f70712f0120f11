//! What is stored beside the tantivy indexes: the ingest report, the census and what the
//! index was built from. Written last, with the completion marker, so its presence means the
//! build finished.

use crate::chart::Census;
use crate::chart::departments::DepartmentNames;
use crate::report::IngestReport;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const META_FILE: &str = "lifeboat-index.json";
/// Written after everything else has been synced: no marker, no index.
pub const COMPLETE_FILE: &str = "COMPLETE";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    pub lifeboat_version: String,
    /// The snapshot's display name when it was indexed.
    pub snapshot_name: String,
    /// Digest of the snapshot's file listing when it was indexed.
    pub listing_digest: String,
    pub built_at: String,
    pub build_seconds: f64,
    pub patients: u64,
    pub records: u64,
    pub report: IngestReport,
    pub census: Census,
    /// Department code → name, learnt from every message (filled into codes sent alone).
    #[serde(default)]
    pub departments: DepartmentNames,
}

impl IndexMeta {
    pub fn read(dir: &Path) -> anyhow::Result<IndexMeta> {
        let path = dir.join(META_FILE);
        let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        serde_json::from_slice(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn is_complete(dir: &Path) -> bool {
        dir.join(COMPLETE_FILE).is_file() && dir.join(META_FILE).is_file()
    }
}
