//! Timestamp formatting in the fixed-width forms HL7 v2 / SS-MIX2 use.
//! Hand-rolled because chrono's `format` parses its pattern on every call.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use std::fmt::Write;

pub type Dt = NaiveDateTime;

fn push_date(s: &mut String, d: NaiveDate) {
    let _ = write!(s, "{:04}{:02}{:02}", d.year(), d.month(), d.day());
}

/// `YYYYMMDD`
pub fn d8(d: NaiveDate) -> String {
    let mut s = String::with_capacity(8);
    push_date(&mut s, d);
    s
}

/// `YYYYMMDDHH`
pub fn t10(t: Dt) -> String {
    let mut s = String::with_capacity(10);
    push_date(&mut s, t.date());
    let _ = write!(s, "{:02}", t.hour());
    s
}

/// `YYYYMMDDHHMM`
pub fn t12(t: Dt) -> String {
    let mut s = String::with_capacity(12);
    push_date(&mut s, t.date());
    let _ = write!(s, "{:02}{:02}", t.hour(), t.minute());
    s
}

/// `YYYYMMDDHHMMSS`
pub fn t14(t: Dt) -> String {
    let mut s = String::with_capacity(14);
    push_date(&mut s, t.date());
    let _ = write!(s, "{:02}{:02}{:02}", t.hour(), t.minute(), t.second());
    s
}

fn millis(t: Dt) -> u32 {
    (t.nanosecond() / 1_000_000).min(999)
}

/// `yyyyMMddHHmmssfff`: the 発生日時 field of a file name.
pub fn t17(t: Dt) -> String {
    let mut s = t14(t);
    let _ = write!(s, "{:03}", millis(t));
    s
}

/// 15-digit 発生日時 (`yyyyMMddHHmm` + `fff`), a vendor quirk seen in NHO samples.
pub fn t15(t: Dt) -> String {
    let mut s = t12(t);
    let _ = write!(s, "{:03}", millis(t));
    s
}

/// MSH-7 `YYYYMMDDHHMMSS.fff`
pub fn msh7(t: Dt) -> String {
    let mut s = t14(t);
    let _ = write!(s, ".{:03}", millis(t));
    s
}

pub fn at(d: NaiveDate, h: u32, m: u32) -> Dt {
    d.and_hms_opt(h.min(23), m.min(59), 0)
        .unwrap_or_else(|| d.and_time(chrono::NaiveTime::MIN))
}

pub fn minutes(m: i64) -> chrono::TimeDelta {
    chrono::TimeDelta::minutes(m)
}

pub fn days(d: i64) -> chrono::TimeDelta {
    chrono::TimeDelta::days(d)
}

pub fn millis_delta(ms: i64) -> chrono::TimeDelta {
    chrono::TimeDelta::milliseconds(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap_or_default();
        let t = at(d, 9, 5) + millis_delta(42);
        assert_eq!(d8(d), "20260102");
        assert_eq!(t12(t), "202601020905");
        assert_eq!(t17(t), "20260102090500042");
        assert_eq!(t15(t), "202601020905042");
        assert_eq!(msh7(t), "20260102090500.042");
        assert_eq!(t10(t), "2026010209");
    }
}
