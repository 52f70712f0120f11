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
    let (timed, found) = time_queries(&idx, &qs, CLI_LIMIT)?;
    let of = |timed: &[(Kind, Duration)], pick: &dyn Fn(Kind) -> bool| {
        Latency::of(timed.iter().filter(|(k, _)| pick(*k)).map(|(_, d)| *d).collect())
    };
    writeln!(
        out,
        "search: {} mixed queries (ID, ID prefix, kanji, kana reversed, birth date ISO and era, kana + year, record words), limit {CLI_LIMIT}, {} with hits: {}",
        qs.len(),
        found,
        of(&timed, &|_| true)
    )?;
    writeln!(
        out,
        "search, patient queries (ID, names, birth dates, kana + year): {}",
        of(&timed, &|k| k != Kind::RecordWord)
    )?;
    writeln!(
        out,
        "search, record words ({}): {}",
        TEXT_QUERIES.join(" "),
        of(&timed, &|k| k == Kind::RecordWord)
    )?;
    for kind in Kind::ALL {
        writeln!(
            out,
            "search, {:<16} {}",
            format!("{}:", kind.label()),
            of(&timed, &|k| k == kind)
        )?;
    }
    // The same queries again as the viewer asks them (more results to read and show).
    let (timed, _) = time_queries(&idx, &qs, VIEWER_LIMIT)?;
    writeln!(
        out,
        "search, limit {VIEWER_LIMIT} (viewer), second pass: mixed {}",
        of(&timed, &|_| true)
    )?;
    writeln!(
        out,
        "search, limit {VIEWER_LIMIT} (viewer), second pass: patient queries {}",
        of(&timed, &|k| k != Kind::RecordWord)
    )?;
    writeln!(
        out,
        "search, limit {VIEWER_LIMIT} (viewer), second pass: record words {}",
        of(&timed, &|k| k == Kind::RecordWord)
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
    super::audit::run(&idx, &mut out)?;
    writeln!(
        out,
        "peak RSS of the viewing process: {}",
        super::rss::peak_text()
    )?;
    Ok(out)
}

/// What a benchmark query stands for, to report latency per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Id,
    IdPrefix,
    Kanji,
    KanaReversed,
    BirthIso,
    BirthEra,
    KanaYear,
    RecordWord,
}

impl Kind {
    const ALL: [Kind; 8] = [
        Kind::Id,
        Kind::IdPrefix,
        Kind::Kanji,
        Kind::KanaReversed,
        Kind::BirthIso,
        Kind::BirthEra,
        Kind::KanaYear,
        Kind::RecordWord,
    ];

    fn label(self) -> &'static str {
        match self {
            Kind::Id => "ID",
            Kind::IdPrefix => "ID prefix",
            Kind::Kanji => "kanji name",
            Kind::KanaReversed => "kana reversed",
            Kind::BirthIso => "birth ISO",
            Kind::BirthEra => "birth era",
            Kind::KanaYear => "kana + year",
            Kind::RecordWord => "record word",
        }
    }
}

/// Results asked for per query: what `lifeboat search` shows, and what the viewer's search
/// screen asks for.
const CLI_LIMIT: usize = 20;
const VIEWER_LIMIT: usize = 200;

/// Runs every query once: its kind and time, and how many queries found someone.
fn time_queries(
    idx: &SnapshotIndex,
    qs: &[(Kind, String)],
    limit: usize,
) -> anyhow::Result<(Vec<(Kind, Duration)>, usize)> {
    let mut timed = Vec::with_capacity(qs.len());
    let mut found = 0usize;
    for (kind, q) in qs {
        let t = Instant::now();
        let hits = idx.search(q, limit)?;
        timed.push((*kind, t.elapsed()));
        found += usize::from(!hits.is_empty());
    }
    Ok((timed, found))
}

/// p50, p95 and max of a set of timings, as one line fragment.
struct Latency(Vec<Duration>);

impl Latency {
    fn of(mut times: Vec<Duration>) -> Latency {
        times.sort();
        Latency(times)
    }
}

impl std::fmt::Display for Latency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = &self.0;
        write!(
            f,
            "n {:>3}, p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            t.len(),
            ms(pct(t, 0.50)),
            ms(pct(t, 0.95)),
            ms(t.last().copied().unwrap_or_default())
        )
    }
}

fn mixed_queries(sample: &[PatientHit], n: usize) -> Vec<(Kind, String)> {
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
        let (kind, q) = match i % 8 {
            0 => (Kind::Id, p.id.clone()),
            1 => (
                Kind::IdPrefix,
                p.id.chars()
                    .take(p.id.chars().count().saturating_sub(2).max(1))
                    .collect(),
            ),
            2 => (Kind::Kanji, p.name_kanji.clone()),
            3 => (Kind::KanaReversed, kana_reversed),
            4 => (
                Kind::BirthIso,
                birth
                    .map(|b| b.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
            5 => (
                Kind::BirthEra,
                birth.and_then(crate::search::era::format).unwrap_or_default(),
            ),
            6 => match (p.name_kana.split(' ').next(), birth) {
                (Some(f), Some(b)) => (Kind::KanaYear, format!("{f} {}", b.format("%Y"))),
                _ => (Kind::Id, p.id.clone()),
            },
            _ => (
                Kind::RecordWord,
                TEXT_QUERIES[(i / 8) % TEXT_QUERIES.len()].to_string(),
            ),
        };
        if !q.trim().is_empty() {
            qs.push((kind, q));
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
