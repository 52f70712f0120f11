//! Japanese era (和暦) dates: parse 昭和23年3月2日 / S23.3.2 / H元.1.8, format 昭和23年3月2日.
//!
//! Era starts (Gregorian): 明治 1868-01-25, 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
//! 令和 2019-05-01.
//!
//! Meiji: the era was proclaimed on 1868-10-23 but applied from the first day of that lunar year,
//! 明治元年1月1日 = 1868-01-25, which is the start conversion tables use. Until 明治5年 (1872) Japan
//! used the lunisolar calendar, so 明治1-5 month/day numbers are read here as Gregorian: a known
//! approximation that no living patient's birth date depends on.
//!
//! Change days: 大正 and 昭和 began on the day their predecessor's emperor died, so both names are
//! legal for that day (明治45年7月30日 = 大正元年7月30日, 大正15年12月25日 = 昭和元年12月25日): we parse
//! both and format with the new era. 平成 and 令和 began at midnight: 昭和64年1月7日 is the last
//! 昭和 day and 平成31年4月30日 the last 平成 day; 平成31年5月1日 is rejected.

use super::normalize::normalize;
use chrono::{Datelike, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

impl Era {
    /// Oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// 明治, 大正, 昭和, 平成, 令和.
    pub fn name(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The one-letter abbreviation: M, T, S, H, R.
    pub fn letter(self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    /// First day of the era (元年).
    pub fn start(self) -> NaiveDate {
        let (y, m, d) = match self {
            Era::Meiji => (1868, 1, 25),
            Era::Taisho => (1912, 7, 30),
            Era::Showa => (1926, 12, 25),
            Era::Heisei => (1989, 1, 8),
            Era::Reiwa => (2019, 5, 1),
        };
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Last day on which the era name is valid (see the module docs on change days); `None`
    /// for the current era.
    pub fn last_day(self) -> Option<NaiveDate> {
        let (y, m, d) = match self {
            Era::Meiji => (1912, 7, 30),
            Era::Taisho => (1926, 12, 25),
            Era::Showa => (1989, 1, 7),
            Era::Heisei => (2019, 4, 30),
            Era::Reiwa => return None,
        };
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// The Gregorian year of era year `year` (1 = 元年), if that year belongs to the era.
    pub fn gregorian_year(self, year: u32) -> Option<i32> {
        if year == 0 || year > 1000 {
            return None;
        }
        let y = self.start().year() + year as i32 - 1;
        match self.last_day() {
            Some(last) if y > last.year() => None,
            _ => Some(y),
        }
    }

    /// The date of era year/month/day, if it exists and lies inside the era.
    pub fn date(self, year: u32, month: u32, day: u32) -> Option<NaiveDate> {
        let date = NaiveDate::from_ymd_opt(self.gregorian_year(year)?, month, day)?;
        let inside = date >= self.start() && self.last_day().is_none_or(|last| date <= last);
        inside.then_some(date)
    }
}

/// The era and era year of a date (the new era on change days); `None` before 明治.
pub fn era_of(date: NaiveDate) -> Option<(Era, u32)> {
    let era = Era::ALL.into_iter().rev().find(|e| date >= e.start())?;
    Some((era, (date.year() - era.start().year() + 1) as u32))
}

/// `昭和23年3月2日`, `平成元年1月8日`; `None` before 明治.
pub fn format(date: NaiveDate) -> Option<String> {
    let (era, year) = era_of(date)?;
    let year = if year == 1 {
        "元".to_string()
    } else {
        year.to_string()
    };
    Some(format!(
        "{}{}年{}月{}日",
        era.name(),
        year,
        date.month(),
        date.day()
    ))
}

/// An era date in any common form: 昭和23年3月2日, 昭和二十三年三月二日, 昭23.3.2, S23.3.2,
/// S23/3/2, S23-03-02, H元.1.8, S230302, full-width or half-width, with an optional trailing 生.
/// `None` for anything else, including dates outside their era (昭和65年1月1日, 平成31年5月1日).
pub fn parse(s: &str) -> Option<NaiveDate> {
    let s = compact(s);
    let (era, rest) = split_era(&s)?;
    let rest = rest
        .strip_suffix("生まれ")
        .or_else(|| rest.strip_suffix('生'))
        .unwrap_or(rest);
    let rest = rest.strip_suffix('日').unwrap_or(rest);
    // S230302: two digits each, only with a letter or name prefix (no separators at all).
    if rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| rest.get(r)?.parse::<u32>().ok();
        return era.date(n(0..2)?, n(2..4)?, n(4..6)?);
    }
    let mut nums = rest.split(is_date_separator);
    let year = parse_year_number(nums.next()?)?;
    let month = parse_number(nums.next()?)?;
    let day = parse_number(nums.next()?)?;
    if nums.next().is_some() {
        return None;
    }
    era.date(year, month, day)
}

/// An era year on its own: 昭和23年, 昭和23, S23, H元 → the Gregorian year.
pub fn parse_year(s: &str) -> Option<i32> {
    let s = compact(s);
    let (era, rest) = split_era(&s)?;
    let rest = rest.strip_suffix("年生まれ").unwrap_or(rest);
    let rest = rest.strip_suffix("年生").unwrap_or(rest);
    let rest = rest.strip_suffix('年').unwrap_or(rest);
    era.gregorian_year(parse_year_number(rest)?)
}

/// Separators between year, month and day in dates typed by people (after normalization).
pub(crate) fn is_date_separator(c: char) -> bool {
    matches!(
        c,
        '年' | '月' | '.' | '/' | '-' | '・' | '‐' | '−' | '–' | '—' | 'ー' | '_' | ','
    )
}

/// Normalized (NFKC, lowercase, ㍼ → 昭和) with all whitespace removed.
fn compact(s: &str) -> String {
    normalize(s).chars().filter(|c| *c != ' ').collect()
}

fn split_era(s: &str) -> Option<(Era, &str)> {
    const PREFIXES: [(&str, Era); 15] = [
        ("明治", Era::Meiji),
        ("大正", Era::Taisho),
        ("昭和", Era::Showa),
        ("平成", Era::Heisei),
        ("令和", Era::Reiwa),
        ("明", Era::Meiji),
        ("大", Era::Taisho),
        ("昭", Era::Showa),
        ("平", Era::Heisei),
        ("令", Era::Reiwa),
        ("m", Era::Meiji),
        ("t", Era::Taisho),
        ("s", Era::Showa),
        ("h", Era::Heisei),
        ("r", Era::Reiwa),
    ];
    PREFIXES
        .iter()
        .find_map(|(p, era)| s.strip_prefix(p).map(|rest| (*era, rest)))
}

fn parse_year_number(s: &str) -> Option<u32> {
    if s == "元" { Some(1) } else { parse_number(s) }
}

/// 1-4 ASCII digits, or kanji numerals: 二十三, 三十一, 十, 〇 / 一九 (digit by digit).
pub(crate) fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return if s.len() <= 4 { s.parse().ok() } else { None };
    }
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = s.chars().collect();
    if chars.len() > 4 {
        return None;
    }
    match chars.iter().position(|&c| c == '十') {
        Some(i) => {
            let tens = match &chars[..i] {
                [] => 1,
                [d] => digit(*d)?,
                _ => return None,
            };
            let ones = match &chars[i + 1..] {
                [] => 0,
                [d] => digit(*d)?,
                _ => return None,
            };
            Some((tens * 10 + ones) as u32)
        }
        None => chars
            .iter()
            .try_fold(0u32, |n, &c| Some(n * 10 + digit(c)? as u32)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn forms_of_one_date() {
        let d = Some(ymd(1948, 3, 2));
        for s in [
            "昭和23年3月2日",
            "昭和２３年３月２日",
            "昭和 23年 3月 2日",
            "昭和二十三年三月二日",
            "昭23.3.2",
            "S23.3.2",
            "s23.3.2",
            "Ｓ２３．３．２",
            "S23/3/2",
            "S23-03-02",
            "S230302",
            "昭和23.3.2",
            "㍼23年3月2日",
            "昭和23年3月2日生",
        ] {
            assert_eq!(parse(s), d, "{s}");
        }
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(parse("昭和64年1月7日"), Some(ymd(1989, 1, 7)));
        assert_eq!(parse("昭和64年1月8日"), None);
        assert_eq!(parse("平成元年1月8日"), Some(ymd(1989, 1, 8)));
        assert_eq!(parse("H元.1.8"), Some(ymd(1989, 1, 8)));
        assert_eq!(parse("平成元年1月7日"), None);
        assert_eq!(parse("平成31年4月30日"), Some(ymd(2019, 4, 30)));
        assert_eq!(parse("平成31年5月1日"), None);
        assert_eq!(parse("令和元年5月1日"), Some(ymd(2019, 5, 1)));
        assert_eq!(parse("R1.5.1"), Some(ymd(2019, 5, 1)));
        assert_eq!(parse("令和元年4月30日"), None);
        assert_eq!(parse("大正元年7月30日"), Some(ymd(1912, 7, 30)));
        assert_eq!(parse("明治45年7月30日"), Some(ymd(1912, 7, 30)));
        assert_eq!(parse("明治45年7月31日"), None);
        assert_eq!(parse("大正15年12月25日"), Some(ymd(1926, 12, 25)));
        assert_eq!(parse("昭和元年12月25日"), Some(ymd(1926, 12, 25)));
        assert_eq!(parse("昭和元年12月24日"), None);
        assert_eq!(parse("明治元年1月25日"), Some(ymd(1868, 1, 25)));
        assert_eq!(parse("明治元年1月24日"), None);
    }

    #[test]
    fn impossible_and_garbage() {
        for s in [
            "昭和65年1月1日",
            "昭和0年1月1日",
            "昭和23年2月30日",
            "昭和23年13月1日",
            "S23.3",
            "S23.3.2.1",
            "X23.3.2",
            "昭和",
            "",
            "S",
            "S99999.1.1",
            "昭和百年1月1日",
            "平成三十一年五月一日",
            "s23.3.2x",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("昭和23年"), Some(1948));
        assert_eq!(parse_year("S23"), Some(1948));
        assert_eq!(parse_year("H元"), Some(1989));
        assert_eq!(parse_year("昭和64年"), Some(1989));
        assert_eq!(parse_year("昭和65年"), None);
        assert_eq!(parse_year("平成31年"), Some(2019));
        assert_eq!(parse_year("平成32年"), None);
        assert_eq!(parse_year("h123"), None);
    }

    #[test]
    fn formatting() {
        assert_eq!(format(ymd(1948, 3, 2)).as_deref(), Some("昭和23年3月2日"));
        assert_eq!(format(ymd(1989, 1, 7)).as_deref(), Some("昭和64年1月7日"));
        assert_eq!(format(ymd(1989, 1, 8)).as_deref(), Some("平成元年1月8日"));
        assert_eq!(format(ymd(2019, 4, 30)).as_deref(), Some("平成31年4月30日"));
        assert_eq!(format(ymd(2019, 5, 1)).as_deref(), Some("令和元年5月1日"));
        assert_eq!(format(ymd(1926, 12, 25)).as_deref(), Some("昭和元年12月25日"));
        assert_eq!(format(ymd(1868, 1, 24)), None);
        // Round trip over every era start and end.
        for era in Era::ALL {
            for d in [Some(era.start()), era.last_day()].into_iter().flatten() {
                let text = format(d).unwrap();
                assert_eq!(parse(&text), Some(d), "{text}");
            }
        }
    }
}
