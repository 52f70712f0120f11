//! The viewer's figures: reopen, search latency, chart open. Runs in its own process.

use crate::chart::PatientChart;
use crate::index::{OpenOptions, PatientHit, SnapshotIndex};
use crate::progress::Progress;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Words a clinician might search records for; some will not occur in a given snapshot.
const TEXT_QUERIES: &[&str] = &[
    "ワーファリン",
    "アムロジピン",
    "HbA1c",
    "肺炎",
    "クレアチニン",
    "胸部",
    "インスリン",
    "CRP",
];

pub fn run_view(roots: Vec<PathBuf>, index_dir: PathBuf, queries: usize) -> anyhow::Result<String> {
    let mut out = String::new();
    let t = Instant::now();
    let idx = SnapshotIndex::open(
        &OpenOptions {
            roots,
            index_dir: Some(index_dir),
            ..Default::default()
        },
        &Progress::new(),
    )?;
    let first = idx.search("やまだ", 20)?;
    let reopen = t.elapsed();
    writeln!(
        out,
        "reopen index until first search answered: {:.0} ms ({} hits)",
        ms(reopen),
        first.len()
    )?;

    let sample = idx.some_patients(queries.max(1))?;
    let qs = mixed_queries(&sample, queries);
    let mut times: Vec<Duration> = Vec::with_capacity(qs.len());
    let mut found = 0usize;
    for q in &qs {
        let t = Instant::now();
        let hits = idx.search(q, 20)?;
        times.push(t.elapsed());
        found += usize::from(!hits.is_empty());
    }
    times.sort();
    writeln!(
        out,
        "search: {} mixed queries (ID, ID prefix, kanji, kana reversed, birth date ISO and era, kana + year, record words), {} with hits: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        qs.len(),
        found,
        ms(pct(&times, 0.50)),
        ms(pct(&times, 0.95)),
        ms(times.last().copied().unwrap_or_default())
    )?;

    if let Some((heavy, n)) = idx.heaviest_patient()? {
        let mut runs = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let records = idx.records(&heavy.id)?;
            let chart = PatientChart::build(&heavy.id, records, idx.as_of());
            // What the summary tab shows at once.
            std::hint::black_box((
                chart.banner(),
                chart.allergies(),
                chart.medications(),
                chart.labs(),
                chart.problems(),
                chart.encounters(),
            ));
            runs.push(t.elapsed());
        }
        let cold = runs[0];
        runs.sort();
        writeln!(
            out,
            "chart open, heaviest patient {} ({n} records; read + assemble summary views): first {:.0} ms, median of 5 {:.0} ms",
            heavy.id,
            ms(cold),
            ms(pct(&runs, 0.5))
        )?;
    }
    writeln!(
        out,
        "peak RSS of the viewing process: {}",
        super::rss::peak_text()
    )?;
    Ok(out)
}

fn mixed_queries(sample: &[PatientHit], n: usize) -> Vec<String> {
    let mut qs = Vec::with_capacity(n);
    let mut i = 0usize;
    while qs.len() < n && !sample.is_empty() {
        let p = &sample[i % sample.len()];
        let birth = p.birth_date.map(|b| b.date());
        let kana_reversed = p
            .name_kana
            .split_once(' ')
            .map(|(f, g)| format!("{g} {f}"))
            .unwrap_or_else(|| p.name_kana.clone());
        let q = match i % 8 {
            0 => p.id.clone(),
            1 => {
                p.id.chars()
                    .take(p.id.chars().count().saturating_sub(2).max(1))
                    .collect()
            }
            2 => p.name_kanji.clone(),
            3 => kana_reversed,
            4 => birth
                .map(|b| b.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            5 => birth.and_then(crate::search::era::format).unwrap_or_default(),
            6 => match (p.name_kana.split(' ').next(), birth) {
                (Some(f), Some(b)) => format!("{f} {}", b.format("%Y")),
                _ => p.id.clone(),
            },
            _ => TEXT_QUERIES[(i / 8) % TEXT_QUERIES.len()].to_string(),
        };
        if !q.trim().is_empty() {
            qs.push(q);
        }
        i += 1;
        if i > n * 4 {
            break;
        }
    }
    qs
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
