//! HL7 DTM/TS values as SS-MIX2 storages really write them.

use crate::model::{Precision, Timestamp};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    pub value: String,
    pub reason: &'static str,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable date/time {:?}: {}", self.value, self.reason)
    }
}

/// Parses `YYYY`, `YYYYMM`, `YYYYMMDD`, `YYYYMMDDHH[MM[SS[.F…]]]`, fractions without the dot
/// (15-17 digit file-name times), a trailing zone (ignored: all times are hospital-local),
/// `YYYY-MM-DD` / `YYYY/MM/DD` with optional `HH:MM[:SS]`, zero-filled parts (`20110700` is
/// July 2011, `00000000` is no date) and 24-47 o'clock (the next day's early hours, as some
/// Japanese systems write night shifts). Empty input is `Ok(None)`.
pub fn parse_timestamp(input: &str) -> Result<Option<Timestamp>, TimeError> {
    let err = |reason| TimeError {
        value: input.to_string(),
        reason,
    };
    let s = input.trim();
    if s.is_empty() || s == "\"\"" {
        return Ok(None);
    }
    let digits = normalise(s).ok_or_else(|| err("not a date"))?;
    let (main, frac) = split_fraction(&digits);
    if main.len() < 4 || !main.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("not a date"));
    }
    let num = |a: usize, b: usize| main.get(a..b).and_then(|p| p.parse::<u32>().ok());
    let year = num(0, 4).ok_or_else(|| err("no year"))? as i32;
    if year == 0 {
        return Ok(None);
    }
    let month = num(4, 6).unwrap_or(0);
    let day = num(6, 8).unwrap_or(0);
    let hour = num(8, 10);
    let minute = num(10, 12).unwrap_or(0);
    let second = num(12, 14).unwrap_or(0);
    if main.len() > 14 && frac.is_empty() {
        // 15-17 digits: fraction of a second without a dot (file-name 発生日時).
        return parse_timestamp(&format!("{}.{}", &main[..14], &main[14..]));
    }
    if !matches!(main.len(), 4 | 6 | 8 | 10 | 12 | 14) {
        return Err(err("unexpected number of digits"));
    }
    if month == 0 {
        return date(year, 1, 1)
            .map(|d| Some(Timestamp::new(d.and_time(NaiveTime::MIN), Precision::Year)))
            .ok_or_else(|| err("no such date"));
    }
    if month > 12 {
        return Err(err("month out of range"));
    }
    if day == 0 {
        return date(year, month, 1)
            .map(|d| Some(Timestamp::new(d.and_time(NaiveTime::MIN), Precision::Month)))
            .ok_or_else(|| err("no such date"));
    }
    let d = date(year, month, day).ok_or_else(|| err("no such date"))?;
    let Some(hour) = hour else {
        return Ok(Some(Timestamp::from_date(d)));
    };
    if hour > 47 || minute > 59 || second > 59 {
        return Err(err("time out of range"));
    }
    let millis: u32 = if frac.is_empty() {
        0
    } else {
        let f: String = frac.chars().chain("000".chars()).take(3).collect();
        f.parse().map_err(|_| err("bad fraction of a second"))?
    };
    let precision = if !frac.is_empty() {
        Precision::Millisecond
    } else if main.len() == 14 {
        Precision::Second
    } else {
        Precision::Minute
    };
    let base = NaiveDateTime::new(d, NaiveTime::MIN);
    let value = base
        + Duration::hours(i64::from(hour))
        + Duration::minutes(i64::from(minute))
        + Duration::seconds(i64::from(second))
        + Duration::milliseconds(i64::from(millis));
    Ok(Some(Timestamp::new(value, precision)))
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Digits with an optional `.fraction`; separators of the ISO/slash forms and any zone removed.
fn normalise(s: &str) -> Option<String> {
    // Drop a zone: `+0900` / `-0500` after the date part (a `-` inside `YYYY-MM-DD` is a separator).
    let body = match s.char_indices().skip(8).find(|(_, c)| *c == '+' || *c == 'Z') {
        Some((i, _)) => &s[..i],
        None => s,
    };
    let body = if body.len() > 12 && body.as_bytes().get(4).is_some_and(|b| b.is_ascii_digit()) {
        // Compact form: a trailing `-hhmm` zone.
        match body.rfind('-') {
            Some(i) if i >= 8 => &body[..i],
            _ => body,
        }
    } else {
        body
    };
    let mut out = String::with_capacity(body.len());
    let sep_form = body.as_bytes().get(4).is_some_and(|b| *b == b'-' || *b == b'/');
    if sep_form {
        // YYYY-M-D[ HH:MM[:SS]]: pad each part to two digits.
        let (date_part, time_part) = match body.find([' ', 'T']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let parts: Vec<&str> = date_part.split(['-', '/']).collect();
        if parts.len() != 3 {
            return None;
        }
        out.push_str(parts[0]);
        for p in &parts[1..] {
            out.push_str(&format!("{:0>2}", p));
        }
        if let Some(t) = time_part {
            let (hms, frac) = match t.find('.') {
                Some(i) => (&t[..i], Some(&t[i..])),
                None => (t, None),
            };
            for p in hms.split(':') {
                out.push_str(&format!("{:0>2}", p));
            }
            if let Some(f) = frac {
                out.push_str(f);
            }
        }
    } else {
        out.push_str(body);
    }
    Some(out)
}

fn split_fraction(s: &str) -> (&str, &str) {
    match s.find('.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_timestamp(s).unwrap().unwrap().to_iso()
    }

    #[test]
    fn the_forms_seen_in_storages() {
        assert_eq!(iso("1996"), "1996");
        assert_eq!(iso("199601"), "1996-01");
        assert_eq!(iso("19480405"), "1948-04-05");
        assert_eq!(iso("2011070100"), "2011-07-01T00:00");
        assert_eq!(iso("201112202100"), "2011-12-20T21:00");
        assert_eq!(iso("20111219121551"), "2011-12-19T12:15:51");
        assert_eq!(iso("20111220224447.3399"), "2011-12-20T22:44:47.339");
        assert_eq!(iso("20110701224603984"), "2011-07-01T22:46:03.984");
        assert_eq!(iso("200802031630123"), "2008-02-03T16:30:12.300");
        assert_eq!(iso("20111220103059+0900"), "2011-12-20T10:30:59");
        assert_eq!(iso("2011-07-01"), "2011-07-01");
        assert_eq!(iso("2011/7/1 8:05"), "2011-07-01T08:05");
    }

    #[test]
    fn late_night_hours_roll_into_the_next_day() {
        assert_eq!(iso("202306132430"), "2023-06-14T00:30");
        assert_eq!(iso("202306134759"), "2023-06-14T23:59");
        assert!(parse_timestamp("202306134800").is_err());
    }

    #[test]
    fn zero_filled_and_empty() {
        assert_eq!(iso("20110700"), "2011-07");
        assert_eq!(iso("20110000"), "2011");
        assert_eq!(parse_timestamp("00000000").unwrap(), None);
        assert_eq!(parse_timestamp("").unwrap(), None);
        assert_eq!(parse_timestamp("\"\"").unwrap(), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            "abc",
            "2011",
            "20111332",
            "20110230",
            "2011070",
            "小学校低学年の頃",
            "99999999999999999999",
        ] {
            let r = parse_timestamp(bad);
            if bad == "2011" {
                assert!(r.is_ok());
            } else {
                assert!(r.is_err(), "{bad} should fail");
            }
        }
    }
}
