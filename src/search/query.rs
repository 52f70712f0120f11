//! Understanding the search box: what each typed word could mean.
//!
//! The text is split on whitespace (U+3000 too) and 、/,; each part gets every interpretation
//! that fits, and the query builder ORs them within a part and ANDs the parts:
//! - birth date: 1948-03-02, 19480302, 1948/3/2, 1948.3.2, 1948年3月2日, and the era forms of
//!   [`era::parse`] (昭和23年3月2日, S23.3.2, H元.1.8; an era date typed with spaces, 昭和 23年 3月
//!   2日, is joined back into one part);
//! - birth year: a 4-digit year 1900..=2100, 1948年, or an era year (昭和23年, S23);
//! - patient ID, exact and prefix: ASCII letters/digits (and - _), leading zeros kept (0000010001);
//! - text: anything with letters (kanji, kana, romaji) → names and record free text.
//!
//! So 1948 is both an ID prefix and a birth year, 19480302 both an ID and a date, S23 an ID, a
//! year and a word; the ranking (see `build`) puts exact ID first.

use super::era;
use super::normalize::{normalize, normalize_id};
use chrono::NaiveDate;

/// Input beyond this many characters is ignored (pasted documents must not build huge queries).
pub const MAX_QUERY_CHARS: usize = 512;
/// Parts beyond this many are ignored.
pub const MAX_PARTS: usize = 16;

/// Birth years accepted from a bare 4-digit number or a Western date.
pub const YEARS: std::ops::RangeInclusive<i32> = 1850..=2100;
/// A bare 4-digit number is read as a birth year only in this range (else it is only an ID).
pub const BARE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The parsed search box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryPlan {
    /// The text as typed, for display.
    pub original: String,
    pub parts: Vec<Part>,
}

/// One word of the search box and what it could mean.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Part {
    /// As typed (an era date typed with spaces keeps them).
    pub original: String,
    /// [`normalize`]d.
    pub normalized: String,
    /// Patient ID interpretation ([`normalize_id`] form), for exact and prefix matching.
    pub id: Option<String>,
    /// A full birth date.
    pub birth: Option<NaiveDate>,
    /// A birth year.
    pub birth_year: Option<i32>,
    /// Name / free-text interpretation (normalized).
    pub text: Option<String>,
    /// A word of romaji read as a kana name (`matsumoto` → まつもと), searched besides `text`.
    pub kana: Option<String>,
}

impl Part {
    /// True when no interpretation fits (punctuation only, for example): the part is ignored.
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.birth.is_none() && self.birth_year.is_none() && self.text.is_none()
    }

    fn classify(original: String) -> Part {
        let normalized = normalize(&original);
        let compact: String = normalized.chars().filter(|c| *c != ' ').collect();
        let mut part = Part {
            original,
            normalized,
            ..Part::default()
        };
        if compact.is_empty() {
            return part;
        }
        part.birth = parse_birth_date(&compact);
        let digits_only = compact.bytes().all(|b| b.is_ascii_digit());
        if part.birth.is_none() {
            part.birth_year = parse_birth_year(&compact);
        }
        let id_like = compact
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        // A date typed with separators (1948-03-02) is not an ID; 19480302 may be either.
        if id_like && (part.birth.is_none() || digits_only) {
            part.id = Some(normalize_id(&compact));
        }
        let has_letters = compact.chars().any(char::is_alphabetic);
        let is_era_form = (part.birth.is_some() || part.birth_year.is_some()) && !id_like;
        if has_letters && !is_era_form {
            part.text = Some(part.normalized.clone());
            part.kana = super::romaji::to_hiragana(&compact).map(|k| normalize(&k));
        }
        part
    }
}

impl QueryPlan {
    /// Splits and classifies the search box text. Never fails; unusable parts are dropped.
    pub fn parse(input: &str) -> QueryPlan {
        let clipped: String = input.chars().take(MAX_QUERY_CHARS).collect();
        let words: Vec<&str> = clipped
            .split(|c: char| c.is_whitespace() || c == '、' || c == ',' || c == '，')
            .filter(|w| !w.is_empty())
            .collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < words.len() && parts.len() < MAX_PARTS {
            let (taken, part) = Self::take_part(&words[i..]);
            i += taken;
            if !part.is_empty() {
                parts.push(part);
            }
        }
        QueryPlan {
            original: input.to_string(),
            parts,
        }
    }

    /// One part from the front of `words`, joining up to four words when they only make a date
    /// together (昭和 23年 3月 2日, 1948年 3月 2日). Returns how many words it used.
    fn take_part(words: &[&str]) -> (usize, Part) {
        let first = words.first().copied().unwrap_or_default();
        if parse_birth_date(&normalize(first)).is_none() && starts_date(first) {
            for n in (2..=words.len().min(4)).rev() {
                let joined = words[..n].concat();
                if parse_birth_date(&normalize(&joined)).is_some() {
                    let mut part = Part::classify(joined);
                    part.original = words[..n].join(" ");
                    return (n, part);
                }
            }
        }
        (1, Part::classify(first.to_string()))
    }

    /// True when no part is usable: the caller shows nothing rather than everything.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The name / free-text terms (normalized), in typed order.
    pub fn text_terms(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| p.text.as_deref())
    }
}

/// True when a word could begin a date typed with spaces: an era name, or a year with 年.
fn starts_date(word: &str) -> bool {
    let n = normalize(word);
    ["明治", "大正", "昭和", "平成", "令和"]
        .iter()
        .any(|e| n.starts_with(e))
        || (n.ends_with('年') && n.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// A birth date in a Western or Japanese era form (input already normalized, no spaces needed).
pub fn parse_birth_date(s: &str) -> Option<NaiveDate> {
    parse_western_date(s).or_else(|| era::parse(s))
}

/// 1948-03-02, 1948/3/2, 1948.3.2, 1948年3月2日, 19480302 (years in [`YEARS`]).
pub fn parse_western_date(s: &str) -> Option<NaiveDate> {
    let s: String = normalize(s).chars().filter(|c| *c != ' ').collect();
    let s = s.strip_suffix('日').unwrap_or(&s);
    let (y, m, d) = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (s.get(0..4)?, s.get(4..6)?, s.get(6..8)?)
    } else {
        let mut it = s.split(era::is_date_separator);
        let parts = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || parts.0.len() != 4 || parts.1.len() > 2 || parts.2.len() > 2 {
            return None;
        }
        parts
    };
    let all_digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

/// A birth year: 1948 (in [`BARE_YEARS`]), 1948年, 昭和23年, S23.
pub fn parse_birth_year(s: &str) -> Option<i32> {
    let s: String = normalize(s).chars().filter(|c| *c != ' ').collect();
    let bare = s.strip_suffix('年').unwrap_or(&s);
    if bare.len() == 4 && bare.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = bare.parse().ok()?;
        let range = if bare.len() == s.len() { BARE_YEARS } else { YEARS };
        return range.contains(&year).then_some(year);
    }
    era::parse_year(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn one(s: &str) -> Part {
        let plan = QueryPlan::parse(s);
        assert_eq!(plan.parts.len(), 1, "{s}: {plan:?}");
        plan.parts.into_iter().next().unwrap()
    }

    #[test]
    fn birth_dates() {
        for s in [
            "1948-03-02",
            "19480302",
            "1948/3/2",
            "1948.3.2",
            "１９４８／３／２",
            "1948年3月2日",
            "S23.3.2",
            "昭和23年3月2日",
            "昭和 23年 3月 2日",
            "1948年 3月 2日",
        ] {
            let p = one(s);
            assert_eq!(p.birth, ymd(1948, 3, 2), "{s}");
            assert_eq!(p.text, None, "{s}");
        }
        assert_eq!(one("19480302").id.as_deref(), Some("19480302"));
        assert_eq!(one("1948-03-02").id, None);
        assert_eq!(one("昭和 23年 3月 2日").original, "昭和 23年 3月 2日");
    }

    #[test]
    fn ids_and_years() {
        let p = one("0000012345");
        assert_eq!(
            (p.id.as_deref(), p.birth, p.birth_year),
            (Some("0000012345"), None, None)
        );
        let p = one("9999013");
        assert_eq!((p.id.as_deref(), p.birth, p.text), (Some("9999013"), None, None));
        let p = one("1948");
        assert_eq!((p.id.as_deref(), p.birth_year), (Some("1948"), Some(1948)));
        assert_eq!(one("1234").birth_year, None);
        assert_eq!(one("昭和23年").birth_year, Some(1948));
        let p = one("S23");
        assert_eq!(
            (p.id.as_deref(), p.birth_year, p.text.as_deref()),
            (Some("S23"), Some(1948), Some("s23"))
        );
        assert_eq!(one("ｐ－００１").id.as_deref(), Some("P-001"));
    }

    #[test]
    fn names_in_any_script_and_order() {
        let plan = QueryPlan::parse("ﾀﾛｳ　ﾔﾏﾀﾞ");
        assert_eq!(plan.text_terms().collect::<Vec<_>>(), ["たろう", "やまだ"]);
        assert_eq!(plan.original, "ﾀﾛｳ　ﾔﾏﾀﾞ");
        let plan = QueryPlan::parse("やまだ 1948");
        assert_eq!(plan.parts.len(), 2);
        assert_eq!(plan.parts[0].text.as_deref(), Some("やまだ"));
        assert_eq!(plan.parts[0].id, None);
        assert_eq!(plan.parts[1].birth_year, Some(1948));
        assert_eq!(one("髙橋").text.as_deref(), Some("高橋"));
        let p = one("yamada");
        assert_eq!(
            (p.text.as_deref(), p.id.as_deref()),
            (Some("yamada"), Some("YAMADA"))
        );
    }

    #[test]
    fn invalid_input_never_panics_and_gives_no_date() {
        for s in [
            "",
            "   ",
            "、、",
            "!!!",
            "昭和65年1月1日",
            "平成31年5月1日",
            "1948-02-30",
            "19481302",
            "99999999",
            "S",
            "昭和",
            "\u{0}\u{FFFF}",
            "ﾞﾞﾞ",
            "\u{3099}",
            "1948/3/2/1",
            "１９４８－１３－０１",
        ] {
            let plan = QueryPlan::parse(s);
            assert!(plan.parts.iter().all(|p| p.birth.is_none()), "{s:?}: {plan:?}");
        }
        assert!(QueryPlan::parse("").is_empty());
        assert!(QueryPlan::parse("  !!! 、").is_empty());
        let long = "山".repeat(10_000);
        assert!(QueryPlan::parse(&long).parts.len() <= 1);
        let many = "a ".repeat(1000);
        assert_eq!(QueryPlan::parse(&many).parts.len(), MAX_PARTS);
    }
}
