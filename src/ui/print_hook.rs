//! Where printing plugs in. The PDF printouts are another issue; until `lifeboat::print` lands the
//! print buttons stay disabled with a tooltip.

/// What the print buttons print.
pub enum PrintRequest<'a> {
    Patient { patient_id: &'a str },
    Ward { ward: &'a str },
}

/// Whether printing is available in this build.
pub fn available() -> bool {
    false
}

/// Tooltip shown on the disabled print buttons.
pub const NOT_READY: &str = "印刷は準備中";

/// Makes the PDF and opens it with the OS viewer. Not wired yet.
pub fn print(_snapshot: &crate::index::SnapshotIndex, _request: PrintRequest<'_>) -> anyhow::Result<()> {
    anyhow::bail!("{NOT_READY}")
}
