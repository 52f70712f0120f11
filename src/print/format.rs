//! Dates and times as printed: Western calendar, to the minute at most (seconds only clutter a
//! bedside sheet), partial dates as sent.

use crate::model::{Precision, Timestamp};
use chrono::Datelike;

/// `2011-12-20 22:44`, `2011-12-20`, `2011-12`, or `—` when unknown.
pub fn time(t: Option<Timestamp>) -> String {
    match t {
        Some(t) if t.has_time() => t.value().format("%Y-%m-%d %H:%M").to_string(),
        Some(t) => t.to_iso(),
        None => "—".to_string(),
    }
}

/// The date part only: `2011-12-20` (or `2011-12`), `—` when unknown.
pub fn date(t: Option<Timestamp>) -> String {
    match t {
        Some(t) if t.precision() >= Precision::Day => t.date().format("%Y-%m-%d").to_string(),
        Some(t) => t.to_iso(),
        None => "—".to_string(),
    }
}

/// For narrow trend cells: month and day with the time (`12/19 15:00`) in the year of `now`,
/// the full date (`2025/12/29`) in any other year, so that old values are not read as recent.
pub fn short(t: Timestamp, now: Option<Timestamp>) -> String {
    if now.is_some_and(|n| n.value().year() != t.value().year()) {
        t.value().format("%Y/%m/%d").to_string()
    } else if t.has_time() {
        t.value().format("%m/%d %H:%M").to_string()
    } else {
        t.value().format("%m/%d").to_string()
    }
}

/// `—` for an empty value, so that a blank cell is never mistaken for a printing fault.
pub fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_decides_what_is_printed() {
        let t = Timestamp::parse_iso("2011-12-20T22:44:47").unwrap();
        assert_eq!(time(Some(t)), "2011-12-20 22:44");
        assert_eq!(date(Some(t)), "2011-12-20");
        assert_eq!(short(t, Some(t)), "12/20 22:44");
        let next_year = Timestamp::parse_iso("2012-01-02").unwrap();
        assert_eq!(short(t, Some(next_year)), "2011/12/20");
        let m = Timestamp::parse_iso("1996-01").unwrap();
        assert_eq!(time(Some(m)), "1996-01");
        assert_eq!(date(None), "—");
        assert_eq!(or_dash(" "), "—");
    }
}
