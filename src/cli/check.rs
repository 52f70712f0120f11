//! `lifeboat check`: the ingest report as text.

use crate::ingest::{IngestOptions, People, ingest};
use crate::report::{IngestReport, Severity};
use crate::source::Snapshot;
use std::fmt::Write;
use std::path::PathBuf;

/// Reads the whole snapshot into its report, with the checks that need every file (records
/// that disagree on who a patient is), exactly as the index build reports them.
pub fn read(roots: &[PathBuf]) -> anyhow::Result<IngestReport> {
    let mut snap = Snapshot::open(roots)?;
    let mut people = People::default();
    let mut report = ingest(&mut snap, &IngestOptions::default(), |o| people.add(o));
    for p in people.finish().problems {
        report.add_problem(p);
    }
    Ok(report)
}

/// How many problem lines the text report prints before summarising (the JSON has them all).
const SHOWN_PROBLEMS: usize = 200;

pub fn render(r: &IngestReport) -> String {
    let mut s = String::new();
    if let Some(warning) = r.media_warning() {
        let _ = writeln!(s, "！ {warning}");
    }
    let _ = writeln!(s, "スナップショット / snapshot: {}", r.roots.join(", "));
    let as_of = r
        .as_of
        .map(|t| t.to_iso().replace('T', " "))
        .unwrap_or_else(|| "不明 (unknown)".into());
    let _ = writeln!(s, "データ基準日時 / data as of: {as_of}");
    let _ = writeln!(s, "患者数 / patients: {}", r.patients);
    let _ = writeln!(
        s,
        "ファイル / files: {} ({:.1} MB)",
        r.files_total,
        r.bytes_total as f64 / 1e6
    );
    let _ = writeln!(s, "  取込済 mapped:                 {}", r.files_mapped);
    let _ = writeln!(s, "  取込済（警告あり）with warnings: {}", r.files_with_warnings);
    let _ = writeln!(s, "  取込不可 rejected:              {}", r.files_rejected);
    let _ = writeln!(s, "  未対応 unsupported:             {}", r.files_unsupported);
    let _ = writeln!(s, "記録 / records: {}", r.record_total());
    for (k, v) in r.records.iter().filter(|(_, v)| **v > 0) {
        let _ = writeln!(s, "  {k}: {v}");
    }
    for (k, v) in &r.record_status {
        let _ = writeln!(s, "  ({k}: {v})");
    }
    if !r.fhir_resources.is_empty() {
        let _ = writeln!(s, "FHIR リソース / resources (mapped / unmapped / rejected):");
        for (k, c) in &r.fhir_resources {
            let _ = writeln!(s, "  {k}: {} / {} / {}", c.mapped, c.unmapped, c.rejected);
        }
    }
    let _ = writeln!(
        s,
        "問題 / problems: {} errors, {} warnings, {} notes",
        r.count(Severity::Error),
        r.count(Severity::Warning),
        r.count(Severity::Info)
    );
    let mut sorted: Vec<_> = r.problems.iter().collect();
    sorted.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.path.cmp(&b.path)));
    for p in sorted.iter().take(SHOWN_PROBLEMS) {
        let _ = writeln!(s, "  {p}");
    }
    if r.omitted_total() > 0 {
        let _ = writeln!(
            s,
            "  ({} more counted but not listed: the report keeps the first {} of each severity)",
            r.omitted_total(),
            crate::report::MAX_LISTED_PROBLEMS
        );
    }
    if sorted.len() > SHOWN_PROBLEMS {
        let _ = writeln!(
            s,
            "  ... {} more (use --json for the full list)",
            sorted.len() - SHOWN_PROBLEMS
        );
    }
    if !r.is_consistent() {
        let _ = writeln!(s, "BUG: file counts do not add up to the total");
    }
    s
}
