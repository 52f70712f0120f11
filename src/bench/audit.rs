//! The audit log's cost on the chart open path (issue 16: 10,000 logged chart opens must not
//! slow a chart open by more than 1 ms median). Runs inside the view phase, on its index.

use crate::audit::{AuditLog, Event, Operator, Role};
use crate::chart::PatientChart;
use crate::index::SnapshotIndex;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const LOGGED: usize = 10_000;
const PAIRS: usize = 200;

fn open_chart(idx: &SnapshotIndex, id: &str) -> anyhow::Result<()> {
    let records = idx.records(id)?;
    let chart = PatientChart::build(id, records, idx.as_of());
    std::hint::black_box((
        chart.banner(),
        chart.allergies(),
        chart.medications(),
        chart.labs(),
    ));
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Writes the figures into `out`.
pub fn run(idx: &SnapshotIndex, out: &mut String) -> anyhow::Result<()> {
    let sample: Vec<String> = idx.some_patients(50)?.into_iter().map(|h| h.id).collect();
    if sample.is_empty() {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let log = AuditLog::open(&dir.path().join("audit.jsonl"))?;
    log.set_operator(Some(Operator {
        name: "ベンチ 太郎".into(),
        staff_id: "B0001".into(),
        role: Role::Doctor,
    }));
    // 10,000 chart opens logged: the cost of one line as the log grows.
    let mut each = Vec::with_capacity(LOGGED);
    for i in 0..LOGGED {
        let patient = sample[i % sample.len()].clone();
        let t = Instant::now();
        log.record(Event::ChartOpened { patient });
        each.push(t.elapsed());
    }
    let t = Instant::now();
    log.flush();
    let flushed = t.elapsed();
    let mut sorted = each.clone();
    sorted.sort();
    let p99 = sorted[sorted.len() * 99 / 100];
    writeln!(
        out,
        "audit log: {LOGGED} chart opens logged: per line median {:.1} µs, p99 {:.1} µs; then written and synced in {:.0} ms",
        median(each).as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        flushed.as_secs_f64() * 1e3
    )?;
    // The chart open path with and without its log line, interleaved so that noise hits both,
    // each going first in every other pair (the second open of a chart finds warmer caches).
    let (mut plain, mut logged) = (Vec::new(), Vec::new());
    for i in 0..PAIRS {
        let id = &sample[i % sample.len()];
        for with_line in [i % 2 == 0, i % 2 != 0] {
            let t = Instant::now();
            if with_line {
                log.record(Event::ChartOpened { patient: id.clone() });
            }
            open_chart(idx, id)?;
            let took = t.elapsed();
            if with_line {
                logged.push(took);
            } else {
                plain.push(took);
            }
        }
    }
    let (p, l) = (median(plain), median(logged));
    writeln!(
        out,
        "audit log: chart open median {:.2} ms without its log line, {:.2} ms with it ({PAIRS} pairs after {LOGGED} lines; difference {:+.3} ms, target ≤ 1 ms)",
        p.as_secs_f64() * 1e3,
        l.as_secs_f64() * 1e3,
        (l.as_secs_f64() - p.as_secs_f64()) * 1e3
    )?;
    Ok(())
}
