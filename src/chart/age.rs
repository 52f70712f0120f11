//! Age as Japanese charts print it: full years completed (満年齢), months for small children.

use crate::model::Timestamp;
use chrono::{Datelike, NaiveDate};

/// What an age is counted at, for its label: the data time (基準日時), or death (死亡時), never
/// the reading machine's clock, so that every screen and printout of a snapshot agrees.
pub fn age_basis_ja(deceased: bool) -> &'static str {
    if deceased { "死亡時" } else { "基準日時" }
}

/// Full years completed on `on`. A birthday counts from its own day, and a 29 February
/// birthday from 1 March in common years (the day after 28 February, as the age law has it).
/// None when `on` is before the birth.
pub fn age_years(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    age_years_months(birth, on).map(|(y, _)| y)
}

/// Full years and the months completed after them.
pub fn age_years_months(birth: NaiveDate, on: NaiveDate) -> Option<(u32, u32)> {
    if on < birth {
        return None;
    }
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    if on.day() < birth.day() && !completes_month(birth, on) {
        months -= 1;
    }
    let months = u32::try_from(months).ok()?;
    Some((months / 12, months % 12))
}

/// A month is complete on its last day when the birth day does not exist in it
/// (born on the 31st: complete on 30 April; born 29 February: complete on 1 March, so not here).
fn completes_month(birth: NaiveDate, on: NaiveDate) -> bool {
    let last_day = NaiveDate::from_ymd_opt(on.year(), on.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .map(|d| d.day())
        .unwrap_or(31);
    // 29 February counts from 1 March in common years, so 28 February is not its birthday.
    on.day() == last_day && birth.day() > last_day && !(birth.month() == 2 && on.month() == 2)
}

/// `72歳`; `2歳5か月` under 3 years (doses and norms for small children go by months);
/// empty when the birth date or the reference time is unknown.
pub fn age_label(birth: Option<Timestamp>, on: Option<Timestamp>) -> String {
    let (Some(b), Some(o)) = (birth, on) else {
        return String::new();
    };
    match age_years_months(b.date(), o.date()) {
        Some((y, m)) if y < 3 => format!("{y}歳{m}か月"),
        Some((y, _)) => format!("{y}歳"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn full_years_change_on_the_birthday() {
        assert_eq!(age_years(d(1948, 4, 5), d(2011, 4, 4)), Some(62));
        assert_eq!(age_years(d(1948, 4, 5), d(2011, 4, 5)), Some(63));
        assert_eq!(age_years(d(2000, 1, 1), d(1999, 12, 31)), None);
    }

    #[test]
    fn leap_day_births_age_on_the_first_of_march() {
        assert_eq!(age_years(d(2000, 2, 29), d(2001, 2, 28)), Some(0));
        assert_eq!(age_years(d(2000, 2, 29), d(2001, 3, 1)), Some(1));
        assert_eq!(age_years(d(2000, 2, 29), d(2004, 2, 29)), Some(4));
    }

    #[test]
    fn months_for_small_children() {
        assert_eq!(age_years_months(d(2024, 1, 31), d(2024, 4, 30)), Some((0, 3)));
        assert_eq!(age_years_months(d(2024, 1, 31), d(2024, 4, 29)), Some((0, 2)));
        let b = Some(Timestamp::from_date(d(2023, 6, 10)));
        assert_eq!(
            age_label(b, Some(Timestamp::from_date(d(2025, 11, 9)))),
            "2歳4か月"
        );
        assert_eq!(age_label(b, Some(Timestamp::from_date(d(2026, 6, 10)))), "3歳");
        assert_eq!(age_label(None, Some(Timestamp::from_date(d(2026, 6, 10)))), "");
    }
}
