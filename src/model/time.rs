//! Points in time as the sources send them: often partial (a year, a month), never with a zone.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// How much of a [`Timestamp`] was actually sent. Hours alone are widened to minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
    Minute,
    Second,
    Millisecond,
}

/// A local (hospital) time with the precision it was sent with. Missing parts are the earliest
/// value (a month-only onset sorts at the 1st), and are not printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    value: NaiveDateTime,
    precision: Precision,
}

impl Timestamp {
    pub fn new(value: NaiveDateTime, precision: Precision) -> Self {
        Self { value, precision }
    }

    pub fn from_date(date: NaiveDate) -> Self {
        Self::new(date.and_time(NaiveTime::MIN), Precision::Day)
    }

    pub fn value(&self) -> NaiveDateTime {
        self.value
    }

    pub fn date(&self) -> NaiveDate {
        self.value.date()
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    pub fn has_time(&self) -> bool {
        self.precision >= Precision::Minute
    }

    /// ISO 8601 cut to the precision: `2011`, `2011-07`, `2011-07-01`, `2011-07-01T10:30`,
    /// `2011-07-01T10:30:05`, `2011-07-01T10:30:05.123`.
    pub fn to_iso(&self) -> String {
        let v = self.value;
        match self.precision {
            Precision::Year => format!("{:04}", v.year()),
            Precision::Month => format!("{:04}-{:02}", v.year(), v.month()),
            Precision::Day => v.format("%Y-%m-%d").to_string(),
            Precision::Minute => v.format("%Y-%m-%dT%H:%M").to_string(),
            Precision::Second => v.format("%Y-%m-%dT%H:%M:%S").to_string(),
            Precision::Millisecond => format!(
                "{}.{:03}",
                v.format("%Y-%m-%dT%H:%M:%S"),
                v.nanosecond() / 1_000_000
            ),
        }
    }

    /// Reads what [`Timestamp::to_iso`] writes.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let s = s.trim();
        let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
        match s.len() {
            4 => Some(Self::from_date(date(num(0..4)? as i32, 1, 1)?).with_precision(Precision::Year)),
            7 => Some(
                Self::from_date(date(num(0..4)? as i32, num(5..7)?, 1)?).with_precision(Precision::Month),
            ),
            10 => Some(Self::from_date(NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?)),
            16 => NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|v| Self::new(v, Precision::Minute)),
            19 => NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|v| Self::new(v, Precision::Second)),
            23 => NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.3f")
                .ok()
                .map(|v| Self::new(v, Precision::Millisecond)),
            _ => None,
        }
    }

    fn with_precision(mut self, precision: Precision) -> Self {
        self.precision = precision;
        self
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse_iso(&s).ok_or_else(|| serde::de::Error::custom(format!("bad timestamp {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip_keeps_precision() {
        for s in [
            "1996",
            "1996-01",
            "2011-07-01",
            "2011-07-01T10:30",
            "2011-07-01T10:30:05",
            "2011-07-01T10:30:05.123",
        ] {
            let t = Timestamp::parse_iso(s).unwrap();
            assert_eq!(t.to_iso(), s);
        }
        assert!(Timestamp::parse_iso("2011-13").is_none());
    }

    #[test]
    fn partial_dates_sort_first_in_their_period() {
        let month = Timestamp::parse_iso("2011-07").unwrap();
        let day = Timestamp::parse_iso("2011-07-01").unwrap();
        assert!(month <= day);
        assert_eq!(month.date(), day.date());
    }
}
