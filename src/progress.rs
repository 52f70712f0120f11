//! Progress of a long job (reading a snapshot, building its index), shared between the worker
//! thread and whoever shows it (terminal bar, GUI). Lock-free: the worker only bumps counters.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the job is doing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Listing,
    /// FHIR first pass: every Patient indexed so that references resolve across files.
    Linking,
    Reading,
    Committing,
    Done,
}

impl Stage {
    pub fn label_ja(self) -> &'static str {
        match self {
            Stage::Listing => "ファイル一覧を作成中",
            Stage::Linking => "FHIR 患者参照を確認中",
            Stage::Reading => "読み込み中",
            Stage::Committing => "索引を保存中",
            Stage::Done => "完了",
        }
    }

    fn from_u8(v: u8) -> Stage {
        match v {
            0 => Stage::Listing,
            1 => Stage::Linking,
            2 => Stage::Reading,
            3 => Stage::Committing,
            _ => Stage::Done,
        }
    }
}

/// Cheap to clone; all clones share the same counters.
#[derive(Clone, Debug)]
pub struct Progress {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    stage: AtomicU8,
    files_total: AtomicU64,
    files_done: AtomicU64,
    bytes_total: AtomicU64,
    bytes_done: AtomicU64,
    cancelled: AtomicBool,
    started: Instant,
    /// When the reading stage began: rates are measured from there, not from listing.
    reading_since: Mutex<Option<Instant>>,
    /// Why the job does what it does, when that is news to the user ("索引が壊れています。再作成します").
    note: Mutex<Option<String>>,
}

/// A consistent-enough reading of the counters for display.
#[derive(Clone, Copy, Debug)]
pub struct ProgressView {
    pub stage: Stage,
    pub files_total: u64,
    pub files_done: u64,
    pub bytes_total: u64,
    pub bytes_done: u64,
    pub elapsed: Duration,
    /// Megabytes per second while reading.
    pub mb_per_s: f64,
    pub files_per_s: f64,
    /// Estimated time left, once there is enough to estimate from.
    pub remaining: Option<Duration>,
}

impl ProgressView {
    /// 0.0 ..= 1.0 by bytes (files when sizes are unknown).
    pub fn fraction(&self) -> f32 {
        let (done, total) = if self.bytes_total > 0 {
            (self.bytes_done, self.bytes_total)
        } else {
            (self.files_done, self.files_total)
        };
        if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).clamp(0.0, 1.0) as f32
        }
    }

    /// One line for a terminal or a status bar.
    pub fn line(&self) -> String {
        if self.stage == Stage::Listing {
            // The total is still growing: how many were found so far.
            return format!(
                "{} {} files ({:.1} MB) found",
                self.stage.label_ja(),
                self.files_total,
                self.bytes_total as f64 / 1e6
            );
        }
        let mut s = format!(
            "{} {}/{} files, {:.1}/{:.1} MB",
            self.stage.label_ja(),
            self.files_done,
            self.files_total,
            self.bytes_done as f64 / 1e6,
            self.bytes_total as f64 / 1e6
        );
        if self.mb_per_s > 0.0 {
            s.push_str(&format!(
                ", {:.1} MB/s, {:.0} files/s",
                self.mb_per_s, self.files_per_s
            ));
        }
        if let Some(r) = self.remaining {
            s.push_str(&format!(", 残り約 {}", format_duration(r)));
        }
        s
    }
}

/// `1時間02分`, `3分05秒`, `12秒`.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}時間{:02}分", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}分{:02}秒", s / 60, s % 60)
    } else {
        format!("{s}秒")
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress {
    pub fn new() -> Self {
        Progress {
            inner: Arc::new(Inner {
                stage: AtomicU8::new(Stage::Listing as u8),
                files_total: AtomicU64::new(0),
                files_done: AtomicU64::new(0),
                bytes_total: AtomicU64::new(0),
                bytes_done: AtomicU64::new(0),
                cancelled: AtomicBool::new(false),
                started: Instant::now(),
                reading_since: Mutex::new(None),
                note: Mutex::new(None),
            }),
        }
    }

    pub fn set_stage(&self, stage: Stage) {
        self.inner.stage.store(stage as u8, Ordering::Relaxed);
        if stage == Stage::Reading
            && let Ok(mut since) = self.inner.reading_since.lock()
        {
            since.get_or_insert_with(Instant::now);
        }
    }

    pub fn set_totals(&self, files: u64, bytes: u64) {
        self.inner.files_total.store(files, Ordering::Relaxed);
        self.inner.bytes_total.store(bytes, Ordering::Relaxed);
    }

    /// Starts a phase that will count `files` and `bytes` (from zero): a job of several phases
    /// (a pack chooses, writes, then indexes) never shows 366605/93312.
    pub fn begin(&self, files: u64, bytes: u64) {
        self.set_totals(files, bytes);
        self.inner.files_done.store(0, Ordering::Relaxed);
        self.inner.bytes_done.store(0, Ordering::Relaxed);
    }

    pub fn add_done(&self, files: u64, bytes: u64) {
        self.inner.files_done.fetch_add(files, Ordering::Relaxed);
        self.inner.bytes_done.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Says why the job is doing what it does (shown above the progress line).
    pub fn set_note(&self, note: impl Into<String>) {
        if let Ok(mut n) = self.inner.note.lock() {
            *n = Some(note.into());
        }
    }

    pub fn note(&self) -> Option<String> {
        self.inner.note.lock().ok().and_then(|n| n.clone())
    }

    /// Ask the job to stop at its next check.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    pub fn view(&self) -> ProgressView {
        let i = &self.inner;
        let stage = Stage::from_u8(i.stage.load(Ordering::Relaxed));
        let files_total = i.files_total.load(Ordering::Relaxed);
        let files_done = i.files_done.load(Ordering::Relaxed);
        let bytes_total = i.bytes_total.load(Ordering::Relaxed);
        let bytes_done = i.bytes_done.load(Ordering::Relaxed);
        let reading = i
            .reading_since
            .lock()
            .ok()
            .and_then(|s| *s)
            .map(|s| s.elapsed().as_secs_f64())
            .unwrap_or(0.0);
        let (mb_per_s, files_per_s) = if reading > 0.2 {
            (bytes_done as f64 / 1e6 / reading, files_done as f64 / reading)
        } else {
            (0.0, 0.0)
        };
        // Estimate from bytes once a little has been read; small-file overhead dominates real
        // storages, so the file rate is the better guide when both are known.
        let remaining = if stage == Stage::Reading && reading > 1.0 && files_done > 0 {
            let left = files_total.saturating_sub(files_done) as f64;
            Some(Duration::from_secs_f64(left / files_per_s.max(1e-9)))
        } else {
            None
        };
        ProgressView {
            stage,
            files_total,
            files_done,
            bytes_total,
            bytes_done,
            elapsed: i.started.elapsed(),
            mb_per_s,
            files_per_s,
            remaining,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_shared_between_clones() {
        let p = Progress::new();
        let q = p.clone();
        p.set_totals(10, 1000);
        q.add_done(5, 500);
        let v = p.view();
        assert_eq!((v.files_done, v.files_total), (5, 10));
        assert!((v.fraction() - 0.5).abs() < 1e-6);
        assert!(!p.is_cancelled());
        q.cancel();
        assert!(p.is_cancelled());
    }

    #[test]
    fn listing_says_what_was_found_so_far() {
        let p = Progress::new();
        p.set_stage(Stage::Listing);
        p.set_totals(4096, 8_000_000);
        assert_eq!(p.view().line(), "ファイル一覧を作成中 4096 files (8.0 MB) found");
        p.set_stage(Stage::Reading);
        p.add_done(96, 1_000_000);
        assert!(
            p.view()
                .line()
                .starts_with("読み込み中 96/4096 files, 1.0/8.0 MB")
        );
    }

    #[test]
    fn a_new_phase_counts_from_zero() {
        let p = Progress::new();
        p.begin(10, 100);
        p.add_done(10, 100);
        p.begin(4, 40);
        p.add_done(1, 10);
        let v = p.view();
        assert_eq!((v.files_done, v.files_total, v.bytes_done), (1, 4, 10));
    }

    #[test]
    fn durations_read_in_japanese() {
        assert_eq!(format_duration(Duration::from_secs(12)), "12秒");
        assert_eq!(format_duration(Duration::from_secs(185)), "3分05秒");
        assert_eq!(format_duration(Duration::from_secs(3720)), "1時間02分");
    }
}
