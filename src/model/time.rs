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
        // Written by hand: this runs for every stored record, and chrono's format strings are
        // interpreted on each call.
        let v = self.value;
        let (y, mo, d) = (v.year(), v.month(), v.day());
        let (h, mi, s) = (v.hour(), v.minute(), v.second());
        match self.precision {
            Precision::Year => format!("{y:04}"),
            Precision::Month => format!("{y:04}-{mo:02}"),
            Precision::Day => format!("{y:04}-{mo:02}-{d:02}"),
            Precision::Minute => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}"),
            Precision::Second => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"),
            Precision::Millisecond => format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}",
                v.nanosecond() / 1_000_000
            ),
        }
    }

    /// As people read it on screen and paper: `2026-11-20 12:15` (no `T`, no seconds);
    /// `2026-11-20`, `2026-11`, `2026` at coarser precision. The stored form stays
    /// [`Timestamp::to_iso`].
    pub fn shown(&self) -> String {
        let v = self.value;
        match self.precision {
            Precision::Minute | Precision::Second | Precision::Millisecond => format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                v.year(),
                v.month(),
                v.day(),
                v.hour(),
                v.minute()
            ),
            _ => self.to_iso(),
        }
    }

    /// Reads what [`Timestamp::to_iso`] writes.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let s = s.trim();
        let b = s.as_bytes();
        // Fixed positions: digits where digits belong, separators where they belong.
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            part.iter().try_fold(0u32, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        let sep = |i: usize, c: u8| b.get(i) == Some(&c);
        let precision = match b.len() {
            4 => Precision::Year,
            7 if sep(4, b'-') => Precision::Month,
            10 if sep(4, b'-') && sep(7, b'-') => Precision::Day,
            16 if sep(10, b'T') && sep(13, b':') => Precision::Minute,
            19 if sep(10, b'T') && sep(13, b':') && sep(16, b':') => Precision::Second,
            23 if sep(10, b'T') && sep(13, b':') && sep(16, b':') && sep(19, b'.') => Precision::Millisecond,
            _ => return None,
        };
        if precision >= Precision::Day && !(sep(4, b'-') && sep(7, b'-')) {
            return None;
        }
        let year = num(0..4)? as i32;
        let month = if precision >= Precision::Month {
            num(5..7)?
        } else {
            1
        };
        let day = if precision >= Precision::Day {
            num(8..10)?
        } else {
            1
        };
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        let (h, mi, sec, ms) = match precision {
            Precision::Year | Precision::Month | Precision::Day => (0, 0, 0, 0),
            Precision::Minute => (num(11..13)?, num(14..16)?, 0, 0),
            Precision::Second => (num(11..13)?, num(14..16)?, num(17..19)?, 0),
            Precision::Millisecond => (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?),
        };
        let time = NaiveTime::from_hms_milli_opt(h, mi, sec, ms)?;
        Some(Self::new(date.and_time(time), precision))
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
        for bad in [
            "2011-02-30",
            "2011-07-01T24:00",
            "2011/07/01",
            "2011-07-01 10:30",
            "20x1",
            "2011-07-01T10:30:05,123",
            "",
        ] {
            assert!(Timestamp::parse_iso(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn partial_dates_sort_first_in_their_period() {
        let month = Timestamp::parse_iso("2011-07").unwrap();
        let day = Timestamp::parse_iso("2011-07-01").unwrap();
        assert!(month <= day);
        assert_eq!(month.date(), day.date());
    }

    /// What screens and summaries show: never the ISO `T`, never seconds (issue 14, item 5).
    #[test]
    fn shown_reads_as_a_chart_writes_it() {
        let cases = [
            ("2026-11-20T12:15", "2026-11-20 12:15"),
            ("2026-11-20T12:15:59", "2026-11-20 12:15"),
            ("2026-11-20T12:15:59.250", "2026-11-20 12:15"),
            ("2026-11-20", "2026-11-20"),
            ("2026-11", "2026-11"),
            ("2026", "2026"),
        ];
        for (iso, shown) in cases {
            assert_eq!(Timestamp::parse_iso(iso).unwrap().shown(), shown, "{iso}");
        }
    }
}
