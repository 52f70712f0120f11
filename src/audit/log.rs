//! The log writer: lines are made (numbered, chained) on the caller's thread under a lock,
//! which takes microseconds, and written by a writer thread, so logging never waits for the
//! disk. The writer flushes at least every second, and at [`AuditLog::flush`] and drop.

use super::chain::{self, Head, Line};
use super::event::{Event, Operator};
use anyhow::Context;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Written to the OS at least this often.
const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// The tail read at start to find the last line (lines are a few hundred bytes).
const TAIL: u64 = 64 * 1024;

enum Msg {
    Line(Vec<u8>),
    Flush(Sender<()>),
}

struct State {
    head: Head,
    operator: Option<Operator>,
    tx: Option<Sender<Msg>>,
}

struct Inner {
    path: PathBuf,
    state: Mutex<State>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut s) = self.state.lock() {
            s.tx = None;
        }
        if let Ok(mut w) = self.writer.lock()
            && let Some(handle) = w.take()
        {
            let _ = handle.join();
        }
    }
}

/// A handle on the log; clones share it.
#[derive(Clone)]
pub struct AuditLog(Arc<Inner>);

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AuditLog").field(&self.0.path).finish()
    }
}

impl AuditLog {
    /// Opens (or creates) the log at `path` and continues its chain. A torn last line (a power
    /// cut while writing) is closed with a newline and followed by a recovery line naming it.
    pub fn open(path: &Path) -> anyhow::Result<AuditLog> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening the audit log {}", path.display()))?;
        let (head, torn) = read_tail(&mut file).with_context(|| format!("reading {}", path.display()))?;
        let (tx, rx) = mpsc::channel::<Msg>();
        let log = AuditLog(Arc::new(Inner {
            path: path.to_path_buf(),
            state: Mutex::new(State {
                head,
                operator: None,
                tx: Some(tx),
            }),
            writer: Mutex::new(None),
        }));
        match torn {
            Tail::Clean => {}
            Tail::Unterminated => {
                file.write_all(b"\n")?;
            }
            Tail::Torn(bytes) => {
                file.write_all(b"\n")?;
                log.record(Event::Recovery {
                    torn_bytes: bytes.len() as u64,
                    torn_sha256: chain::hash(&bytes),
                });
            }
        }
        let shown = path.display().to_string();
        let handle = std::thread::Builder::new()
            .name("audit-log".into())
            .spawn(move || write_lines(file, rx, &shown))
            .context("starting the audit log writer")?;
        if let Ok(mut w) = log.0.writer.lock() {
            *w = Some(handle);
        }
        Ok(log)
    }

    /// The log at its default place ([`super::default_path`]).
    pub fn open_default() -> anyhow::Result<AuditLog> {
        let path = super::default_path().context("no user data folder for the audit log")?;
        Self::open(&path)
    }

    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// Who is signed in now (written on every line until changed).
    pub fn set_operator(&self, operator: Option<Operator>) {
        if let Ok(mut s) = self.0.state.lock() {
            s.operator = operator;
        }
    }

    pub fn operator(&self) -> Option<Operator> {
        self.0.state.lock().ok().and_then(|s| s.operator.clone())
    }

    /// Logs one event; returns the chain head after it (the hash of this line), which a
    /// printout carries so that the sheet can be matched to its line.
    pub fn record(&self, event: Event) -> String {
        let Ok(mut s) = self.0.state.lock() else {
            return String::new();
        };
        let line = Line {
            seq: s.head.seq + 1,
            time: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false),
            operator: s.operator.clone(),
            event,
            prev: s.head.hash.clone(),
        };
        let Ok(bytes) = serde_json::to_vec(&line) else {
            return s.head.hash.clone();
        };
        let hash = chain::hash(&bytes);
        s.head = Head {
            seq: line.seq,
            hash: hash.clone(),
        };
        if let Some(tx) = &s.tx {
            let _ = tx.send(Msg::Line(bytes));
        }
        hash
    }

    /// The chain head now (hash of the last line logged).
    pub fn head(&self) -> Head {
        self.0.state.lock().map(|s| s.head.clone()).unwrap_or_default()
    }

    /// Waits until every line logged so far is written and synced.
    pub fn flush(&self) {
        let (done_tx, done_rx) = mpsc::channel();
        let sent = self
            .0
            .state
            .lock()
            .ok()
            .and_then(|s| s.tx.as_ref().map(|tx| tx.send(Msg::Flush(done_tx)).is_ok()))
            .unwrap_or(false);
        if sent {
            let _ = done_rx.recv_timeout(Duration::from_secs(10));
        }
    }
}

enum Tail {
    Clean,
    /// The last line is whole but its newline was not written.
    Unterminated,
    /// The last line was cut: its bytes.
    Torn(Vec<u8>),
}

/// The head of the chain in the file's last lines, and whether the last line is torn.
fn read_tail(file: &mut File) -> std::io::Result<(Head, Tail)> {
    let len = file.metadata()?.len();
    let start = len.saturating_sub(TAIL);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    if bytes.is_empty() {
        return Ok((Head::default(), Tail::Clean));
    }
    let (complete, rest) = match bytes.iter().rposition(|b| *b == b'\n') {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (&bytes[..0], &bytes[..]),
    };
    let last_line = |text: &[u8]| -> Option<(Head, Line)> {
        let raw = text.rsplit(|b| *b == b'\n').next()?;
        let line: Line = serde_json::from_slice(raw).ok()?;
        Some((
            Head {
                seq: line.seq,
                hash: chain::hash(raw),
            },
            line,
        ))
    };
    if rest.is_empty() {
        let head = last_line(complete).map(|(h, _)| h).unwrap_or_default();
        return Ok((head, Tail::Clean));
    }
    // A whole line without its newline continues the chain itself.
    if let Some((head, _)) = last_line(rest) {
        return Ok((head, Tail::Unterminated));
    }
    let head = last_line(complete).map(|(h, _)| h).unwrap_or_default();
    Ok((head, Tail::Torn(rest.to_vec())))
}

fn write_lines(file: File, rx: mpsc::Receiver<Msg>, shown: &str) {
    let mut out = BufWriter::new(file);
    let mut dirty_since: Option<Instant> = None;
    let sync = |out: &mut BufWriter<File>| {
        if let Err(e) = out.flush().and_then(|_| out.get_ref().sync_data()) {
            eprintln!("audit log {shown}: {e}");
        }
    };
    loop {
        let wait = dirty_since.map_or(Duration::from_secs(3600), |t| {
            FLUSH_EVERY.saturating_sub(t.elapsed())
        });
        match rx.recv_timeout(wait) {
            Ok(Msg::Line(bytes)) => {
                if let Err(e) = out.write_all(&bytes).and_then(|_| out.write_all(b"\n")) {
                    eprintln!("audit log {shown}: {e}");
                }
                dirty_since.get_or_insert_with(Instant::now);
            }
            Ok(Msg::Flush(done)) => {
                sync(&mut out);
                dirty_since = None;
                let _ = done.send(());
            }
            Err(RecvTimeoutError::Timeout) => {
                sync(&mut out);
                dirty_since = None;
            }
            Err(RecvTimeoutError::Disconnected) => {
                sync(&mut out);
                return;
            }
        }
        if dirty_since.is_some_and(|t| t.elapsed() >= FLUSH_EVERY) {
            sync(&mut out);
            dirty_since = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_chain_across_restarts_and_a_torn_tail_is_recovered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("audit.jsonl");
        let log = AuditLog::open(&path).expect("open");
        log.set_operator(Some(Operator {
            name: "山田 花子".into(),
            staff_id: "N1234".into(),
            role: super::super::Role::Nurse,
        }));
        log.record(Event::SignIn);
        let head = log.record(Event::ChartOpened {
            patient: "9999013".into(),
        });
        drop(log);
        let bytes = std::fs::read(&path).expect("read");
        let v = chain::verify(&bytes).expect("intact");
        assert_eq!((v.lines, v.head.hash.as_str()), (2, head.as_str()));
        let text = String::from_utf8(bytes.clone()).expect("utf8");
        assert!(
            text.contains("\"operator\":{\"name\":\"山田 花子\",\"staff_id\":\"N1234\",\"role\":\"看護師\"}"),
            "{text}"
        );
        assert!(
            text.contains("\"event\":\"chart_opened\",\"patient\":\"9999013\""),
            "{text}"
        );

        // A power cut in the middle of the third line.
        let mut torn = bytes.clone();
        torn.extend_from_slice(b"{\"seq\":3,\"time\":\"2026-");
        std::fs::write(&path, &torn).expect("write");
        let log = AuditLog::open(&path).expect("reopen");
        assert_eq!(log.head().seq, 3, "the recovery line is line 3");
        log.record(Event::SignOut);
        drop(log);
        let v = chain::verify(&std::fs::read(&path).expect("read")).expect("recovered");
        assert_eq!(v.recovered, vec![3]);
        assert_eq!(v.lines, 4);
    }
}
