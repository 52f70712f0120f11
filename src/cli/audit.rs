//! `lifeboat audit verify|show|export`, and who the CLI's operator is: `--operator` (with
//! `--staff-id`, `--role`) is required by the commands that show patient data, unless a drill
//! sets a default (`LIFEBOAT_OPERATOR`, or `drill-operator.json` in the config folder).

use super::exit;
use crate::audit::query::{self, Filter};
use crate::audit::{AuditLog, Event, Operator, Role, chain};
use crate::index::SnapshotIndex;
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the log's hash chain: exit 0 when intact, else 1 naming the first broken line.
    Verify,
    /// Who did what: every line, or those about a patient, by an operator, or since a time.
    Show {
        #[arg(long)]
        patient: Option<String>,
        /// Name or staff ID.
        #[arg(long)]
        operator: Option<String>,
        /// A date (2026-12-07) or a time (2026-12-07T10:00:00+09:00).
        #[arg(long)]
        since: Option<String>,
    },
    /// Write the log as CSV (UTF-8 with BOM, for Excel and for the EMR's audit trail).
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

/// Environment variable a drill script sets instead of `--operator`: `NAME/STAFF_ID/ROLE`.
pub const OPERATOR_ENV: &str = "LIFEBOAT_OPERATOR";

/// Environment variable naming the log instead of `--audit-log` (drill scripts, tests).
pub const LOG_ENV: &str = "LIFEBOAT_AUDIT_LOG";

/// The log: the one given, else [`LOG_ENV`], else the default place.
pub fn log_path(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(LOG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    crate::audit::default_path().context("no user data folder for the audit log")
}

/// The operator of a command: from the arguments, else the drill default; else an error that
/// says how to give one.
pub fn operator(name: Option<&str>, staff_id: Option<&str>, role: Option<&str>) -> anyhow::Result<Operator> {
    let role = match role {
        Some(r) => Role::parse(r).with_context(|| {
            format!(
                "--role {r:?}: one of {}",
                Role::ALL.map(|r| r.label_ja()).join(", ")
            )
        })?,
        None => Role::Other,
    };
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        return Ok(Operator {
            name: name.to_string(),
            staff_id: staff_id.unwrap_or("-").trim().to_string(),
            role,
        });
    }
    if let Ok(text) = std::env::var(OPERATOR_ENV)
        && let Some(op) = parse_operator(&text)
    {
        return Ok(op);
    }
    if let Some(path) = crate::paths::drill_operator()
        && let Ok(bytes) = std::fs::read(&path)
    {
        return serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()));
    }
    anyhow::bail!(
        "who is looking? give --operator NAME (and --staff-id, --role): every look at patient \
         data is logged (drills may set {OPERATOR_ENV}=\"NAME/ID/ROLE\")"
    )
}

/// `NAME/STAFF_ID/ROLE` (ID and role optional).
pub fn parse_operator(text: &str) -> Option<Operator> {
    let mut parts = text.split('/');
    let name = parts.next()?.trim();
    if name.is_empty() {
        return None;
    }
    let staff_id = parts
        .next()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("-");
    let role = parts.next().and_then(Role::parse).unwrap_or(Role::Other);
    Some(Operator {
        name: name.to_string(),
        staff_id: staff_id.to_string(),
        role,
    })
}

/// The event saying which snapshot was opened (see [`crate::audit::snapshot_opened`]).
pub fn opened(index: &SnapshotIndex) -> Event {
    crate::audit::snapshot_opened(index, &crate::trust::TrustStore::default_store())
}

/// `audit ...`: the text to print and the exit code.
pub fn run(cmd: AuditCommand, log: &Path) -> anyhow::Result<(String, u8)> {
    let bytes = match std::fs::read(log) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", log.display())),
    };
    match cmd {
        AuditCommand::Verify => Ok(match chain::verify(&bytes) {
            Ok(v) => {
                let mut text = format!(
                    "{}: intact, {} lines, head {}\n",
                    log.display(),
                    v.lines,
                    &v.head.hash[..16]
                );
                for l in &v.recovered {
                    text.push_str(&format!(
                        "line {l}: cut by a power failure while written; recovered by the line after it\n"
                    ));
                }
                if let Some(l) = v.torn_tail {
                    text.push_str(&format!(
                        "line {l}: the last line is cut (a power failure while written); the viewer \
                         recovers it when it next starts\n"
                    ));
                }
                (text, exit::OK)
            }
            Err(broken) => (format!("{}: BROKEN at {broken}\n", log.display()), exit::ERROR),
        }),
        AuditCommand::Show {
            patient,
            operator,
            since,
        } => {
            let since = match since {
                Some(s) => Some(
                    query::parse_since(&s)
                        .with_context(|| format!("--since {s:?}: a date or RFC 3339 time"))?,
                ),
                None => None,
            };
            let filter = Filter {
                patient,
                operator,
                since,
            };
            let text: String = query::lines(&bytes)
                .iter()
                .filter(|l| filter.keeps(l))
                .map(|l| query::show_line(l) + "\n")
                .collect();
            Ok((text, exit::OK))
        }
        AuditCommand::Export { out } => {
            let lines = query::lines(&bytes);
            let mut f = std::fs::File::create(&out).with_context(|| format!("creating {}", out.display()))?;
            query::write_csv(&lines, &mut f).with_context(|| format!("writing {}", out.display()))?;
            Ok((
                format!("wrote {} lines to {}\n", lines.len(), out.display()),
                exit::OK,
            ))
        }
    }
}

/// Opens the log for a command and says who is using it.
pub fn open_for(operator: &Operator, log: &Path) -> anyhow::Result<AuditLog> {
    let audit = AuditLog::open(log)?;
    audit.set_operator(Some(operator.clone()));
    Ok(audit)
}
