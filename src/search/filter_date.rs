//! Dates typed into a list's date filter, in the forms the search box accepts: `2026-11-20`,
//! `2026/11/20`, `20261120`, `令和8年11月20日`, `R8.11.20`, and month and day alone (`11/20`,
//! `11月20日`: the latest such day on or before the data time). `2026-11` and `2026` mean their
//! first day. Anything else is an error the filter shows, never a silently ignored filter.

use super::{era, normalize, query};
use chrono::{Datelike, NaiveDate};

/// Text in a date filter that is not a date in any accepted form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotADate;

/// `Ok(None)` for an empty field, `Ok(day)` for a date, `Err` for text that is not one.
/// `reference`: the data time's day, for month/day without a year.
pub fn parse(typed: &str, reference: Option<NaiveDate>) -> Result<Option<NaiveDate>, NotADate> {
    let s: String = normalize(typed).chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(d) = query::parse_western_date(&s).or_else(|| era::parse(&s)) {
        return Ok(Some(d));
    }
    let bare = s.strip_suffix('日').unwrap_or(&s);
    let parts: Vec<&str> = bare.split(era::is_date_separator).collect();
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let day = match parts.as_slice() {
        // 2026-11 or 2026年11月: the first day of the month.
        [y, m] if y.len() == 4 => num(y).zip(num(m)).and_then(|(y, m)| ymd(y as i32, m, 1)),
        [y, ""] if y.len() == 4 => num(y).and_then(|y| ymd(y as i32, 1, 1)),
        [y] if y.len() == 4 => num(y).and_then(|y| ymd(y as i32, 1, 1)),
        [m, d] if m.len() <= 2 && d.len() <= 2 => {
            num(m).zip(num(d)).and_then(|(m, d)| month_day(m, d, reference))
        }
        _ => None,
    };
    day.map(Some).ok_or(NotADate)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !query::YEARS.contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The latest `m`/`d` on or before `reference` (this year's, else last year's).
fn month_day(m: u32, d: u32, reference: Option<NaiveDate>) -> Option<NaiveDate> {
    let today = reference.unwrap_or_else(|| chrono::Local::now().date_naive());
    let this = NaiveDate::from_ymd_opt(today.year(), m, d);
    match this {
        Some(x) if x <= today => Some(x),
        // 2/29 of a year without one: look back to the last leap year within 8 years.
        _ => (1..=8)
            .find_map(|back| NaiveDate::from_ymd_opt(today.year() - back, m, d).filter(|x| *x <= today)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Result<Option<NaiveDate>, NotADate> {
        Ok(NaiveDate::from_ymd_opt(y, m, d))
    }

    #[test]
    fn the_forms_search_accepts() {
        let r = NaiveDate::from_ymd_opt(2026, 11, 25);
        assert_eq!(parse("2026-11-20", r), day(2026, 11, 20));
        assert_eq!(parse("２０２６／１１／２０", r), day(2026, 11, 20));
        assert_eq!(parse("20261120", r), day(2026, 11, 20));
        assert_eq!(parse("R8.11.20", r), day(2026, 11, 20));
        assert_eq!(parse("令和8年11月20日", r), day(2026, 11, 20));
        assert_eq!(parse("11/20", r), day(2026, 11, 20));
        assert_eq!(parse("11月20日", r), day(2026, 11, 20));
        assert_eq!(parse("2026-11", r), day(2026, 11, 1));
        assert_eq!(parse("2026", r), day(2026, 1, 1));
        assert_eq!(parse("  ", r), Ok(None));
    }

    #[test]
    fn month_and_day_never_lie_in_the_future_of_the_data() {
        let r = NaiveDate::from_ymd_opt(2026, 1, 5);
        assert_eq!(parse("12/30", r), day(2025, 12, 30));
        assert_eq!(parse("1/5", r), day(2026, 1, 5));
        assert_eq!(parse("2/29", r), day(2024, 2, 29));
    }

    #[test]
    fn what_is_not_a_date_is_an_error() {
        let r = NaiveDate::from_ymd_opt(2026, 11, 25);
        for bad in ["昨日", "13/40", "2026-02-30", "abc", "11/20/2026/1", "R9.99.1"] {
            assert_eq!(parse(bad, r), Err(NotADate), "{bad}");
        }
    }
}
