//! Dates, ages and durations as a Japanese chart prints them.

use crate::model::{Precision, Timestamp};
use chrono::{NaiveDate, NaiveDateTime};

/// `2011-12-20 22:44`, `1948-03-02`, `2011-07`; empty when unknown.
pub fn ts(t: Option<Timestamp>) -> String {
    t.map(|t| t.shown()).unwrap_or_default()
}

/// Only the date part.
pub fn day(t: Option<Timestamp>) -> String {
    match t {
        None => String::new(),
        Some(t) if t.precision() >= Precision::Day => t.date().format("%Y-%m-%d").to_string(),
        Some(t) => t.to_iso(),
    }
}

/// A birth date with its Japanese era, as staff and patients say it: `1948-03-02（昭和23年3月2日）`.
pub fn birth(t: Option<Timestamp>) -> String {
    let Some(t) = t else { return String::new() };
    let western = day(Some(t));
    match era(Some(t)) {
        e if e.is_empty() => western,
        e => format!("{western}（{e}）"),
    }
}

/// `昭和23年3月2日` for a full date; empty for partial dates and before 明治.
pub fn era(t: Option<Timestamp>) -> String {
    t.filter(|t| t.precision() >= Precision::Day)
        .and_then(|t| crate::search::era::format(t.date()))
        .unwrap_or_default()
}

/// `76歳` (`2歳4か月` under 3) on `at`, by the chart's own age rule; empty when unknown.
pub fn age_label(birth: Option<Timestamp>, at: NaiveDate) -> String {
    crate::chart::age_label(birth, Some(Timestamp::from_date(at)))
}

/// How long ago, in the largest sensible unit: `3日前`, `5時間前`, `2か月前`, `たった今`.
pub fn ago(then: NaiveDateTime, now: NaiveDateTime) -> String {
    let d = now - then;
    let mins = d.num_minutes();
    if mins < 0 {
        return "未来の日時".into();
    }
    if mins < 1 {
        return "たった今".into();
    }
    if mins < 60 {
        return format!("{mins}分前");
    }
    let hours = d.num_hours();
    if hours < 24 {
        return format!("{hours}時間前");
    }
    let days = d.num_days();
    if days < 60 {
        return format!("{days}日前");
    }
    if days < 730 {
        return format!("{}か月前", days / 30);
    }
    format!("{}年前", days / 365)
}

/// Today on this machine, for ages.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// `1,234`
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Parses a typed date filter: `2024-05-01`, `2024/5/1`, `20240501`, `2024-05`, `2024`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let digits: Vec<&str> = s.split(['-', '/', '.']).filter(|p| !p.is_empty()).collect();
    let (y, m, d) = match digits.as_slice() {
        [one] if one.len() == 8 => (one.get(0..4)?, one.get(4..6)?, one.get(6..8)?),
        [y] => (*y, "1", "1"),
        [y, m] => (*y, *m, "1"),
        [y, m, d] => (*y, *m, *d),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_durations() {
        let b = Timestamp::parse_iso("1948-03-02").unwrap();
        let at = NaiveDate::from_ymd_opt(2011, 3, 1).unwrap();
        assert_eq!(age_label(Some(b), at), "62歳");
        assert_eq!(
            age_label(Some(b), NaiveDate::from_ymd_opt(2011, 3, 2).unwrap()),
            "63歳"
        );
        let now = at.and_hms_opt(12, 0, 0).unwrap();
        assert_eq!(ago(now - chrono::Duration::days(3), now), "3日前");
        assert_eq!(ago(now - chrono::Duration::hours(5), now), "5時間前");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(parse_date("2024/5/1"), NaiveDate::from_ymd_opt(2024, 5, 1));
        assert_eq!(parse_date("20240501"), NaiveDate::from_ymd_opt(2024, 5, 1));
        assert_eq!(ts(Some(b)), "1948-03-02");
    }
}
