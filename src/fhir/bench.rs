//! Parse throughput on one core, for the build-cost and speed notes (`lifeboat bench-fhir`).

use super::detect::{self, Format, Sniff};
use super::refs::PatientIndex;
use std::time::Instant;

/// Parses every file `rounds` times on this thread: fhirbolt alone, then the whole reader
/// (parse, map, count). Reports the best round of each, in MB/s.
pub fn run(paths: &[std::path::PathBuf], rounds: usize) -> Result<String, String> {
    let mut files = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        match detect::sniff(&bytes) {
            Sniff::Fhir(format) => files.push((p.display().to_string(), format, bytes)),
            _ => return Err(format!("{}: not a FHIR file", p.display())),
        }
    }
    let total: usize = files.iter().map(|(_, _, b)| b.len()).sum();
    let index = PatientIndex::default();
    let mut best_parse = f64::MAX;
    let mut best_read = f64::MAX;
    let mut resources = 0u64;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        for (_, format, bytes) in &files {
            let ok = match format {
                Format::Xml => super::parse_xml(bytes).is_ok(),
                Format::Json => super::parse_json(bytes).is_ok(),
                Format::Ndjson => bytes
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .all(|l| super::parse_json(l).is_ok()),
            };
            if !ok {
                return Err("a file did not parse".into());
            }
        }
        best_parse = best_parse.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        resources = 0;
        for (path, format, bytes) in &files {
            let o = super::read_file(path, bytes, *format, &index);
            resources += o.resources.values().map(|c| c.total()).sum::<u64>();
        }
        best_read = best_read.min(t.elapsed().as_secs_f64());
    }
    let mb = total as f64 / 1e6;
    Ok(format!(
        "files: {}\nbytes: {total} ({mb:.2} MB)\nresources: {resources}\nparse (fhirbolt, Lax): {:.3} s, {:.1} MB/s\nread (parse + map + count): {:.3} s, {:.1} MB/s\n",
        files.len(),
        best_parse,
        mb / best_parse,
        best_read,
        mb / best_read
    ))
}
