//! Reading the log back: who looked at a patient, what an operator did, and a CSV for Excel or
//! for loading into the EMR's audit trail after recovery.

use super::chain::Line;
use std::io::Write;

/// Which lines to show.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub patient: Option<String>,
    /// Matches the operator's name or staff ID.
    pub operator: Option<String>,
    /// Lines at or after this time (RFC 3339, or a date `2026-12-07`).
    pub since: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Filter {
    pub fn keeps(&self, line: &Line) -> bool {
        if let Some(p) = &self.patient
            && !line.event.patients().contains(&p.as_str())
        {
            return false;
        }
        if let Some(o) = &self.operator
            && !line
                .operator
                .as_ref()
                .is_some_and(|op| op.name == *o || op.staff_id == *o)
        {
            return false;
        }
        if let Some(since) = &self.since {
            match chrono::DateTime::parse_from_rfc3339(&line.time) {
                Ok(t) if t >= *since => {}
                _ => return false,
            }
        }
        true
    }
}

/// Parses `--since`: an RFC 3339 time, or a date (its start, local time).
pub fn parse_since(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let local = date
        .and_hms_opt(0, 0, 0)?
        .and_local_timezone(chrono::Local)
        .earliest()?;
    Some(local.fixed_offset())
}

/// The lines of a log that parse (torn ones are skipped; `verify` reports them).
pub fn lines(bytes: &[u8]) -> Vec<Line> {
    bytes
        .split(|b| *b == b'\n')
        .filter_map(|raw| serde_json::from_slice(raw).ok())
        .collect()
}

/// The details of an event as one text (everything but its name).
pub fn details(line: &Line) -> String {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::to_value(&line.event) else {
        return String::new();
    };
    map.remove("event");
    map.into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}={s}"),
            other => format!("{k}={other}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line for a terminal.
pub fn show_line(line: &Line) -> String {
    let who = line
        .operator
        .as_ref()
        .map_or_else(|| "(未サインイン)".to_string(), |o| o.label());
    format!(
        "{:>6}  {}  {}  {}  {}",
        line.seq,
        line.time,
        who,
        line.event.name(),
        details(line)
    )
}

/// Writes lines as CSV: UTF-8 with a BOM (Excel reads it as UTF-8 then), CRLF, every field
/// quoted.
pub fn write_csv(lines: &[Line], out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let header = [
        "seq", "time", "operator", "staff_id", "role", "event", "patients", "details", "prev",
    ];
    write_row(out, &header.map(str::to_string))?;
    for l in lines {
        let (name, id, role) = match &l.operator {
            Some(o) => (o.name.clone(), o.staff_id.clone(), o.role.label_ja().to_string()),
            None => Default::default(),
        };
        write_row(
            out,
            &[
                l.seq.to_string(),
                l.time.clone(),
                name,
                id,
                role,
                l.event.name(),
                l.event.patients().join(" "),
                details(l),
                l.prev.clone(),
            ],
        )?;
    }
    Ok(())
}

fn write_row(out: &mut dyn Write, fields: &[String]) -> std::io::Result<()> {
    let row: Vec<String> = fields
        .iter()
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect();
    out.write_all(row.join(",").as_bytes())?;
    out.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Event, Operator, Role};

    fn line(seq: u64, time: &str, who: &str, event: Event) -> Line {
        Line {
            seq,
            time: time.into(),
            operator: Some(Operator {
                name: who.into(),
                staff_id: format!("ID-{who}"),
                role: Role::Doctor,
            }),
            event,
            prev: "x".into(),
        }
    }

    #[test]
    fn filters_by_patient_operator_and_time_and_exports_csv_with_a_bom() {
        let lines = vec![
            line(
                1,
                "2026-12-06T10:00:00.000+09:00",
                "佐藤",
                Event::ChartOpened { patient: "A".into() },
            ),
            line(
                2,
                "2026-12-07T10:00:00.000+09:00",
                "鈴木",
                Event::ChartOpened { patient: "B".into() },
            ),
            line(
                3,
                "2026-12-07T11:00:00.000+09:00",
                "佐藤",
                Event::Printed {
                    what: "ward".into(),
                    patients: vec!["A".into(), "B".into()],
                    pages: 2,
                    file: None,
                    sheet: String::new(),
                },
            ),
        ];
        let seqs = |f: &Filter| {
            lines
                .iter()
                .filter(|l| f.keeps(l))
                .map(|l| l.seq)
                .collect::<Vec<_>>()
        };
        let by_patient = Filter {
            patient: Some("A".into()),
            ..Default::default()
        };
        assert_eq!(seqs(&by_patient), vec![1, 3]);
        let by_operator = Filter {
            operator: Some("ID-鈴木".into()),
            ..Default::default()
        };
        assert_eq!(seqs(&by_operator), vec![2]);
        let since = Filter {
            since: parse_since("2026-12-07T10:30:00+09:00"),
            ..Default::default()
        };
        assert_eq!(seqs(&since), vec![3]);

        let mut csv = Vec::new();
        write_csv(&lines, &mut csv).expect("csv");
        let text = String::from_utf8(csv).expect("utf8");
        assert!(text.starts_with("\u{feff}\"seq\",\"time\""));
        assert!(
            text.contains(
                "\"3\",\"2026-12-07T11:00:00.000+09:00\",\"佐藤\",\"ID-佐藤\",\"医師\",\"printed\",\"A B\""
            ),
            "{text}"
        );
        assert_eq!(text.matches("\r\n").count(), 4);
    }
}
