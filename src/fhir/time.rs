//! FHIR date, dateTime and instant values to model timestamps.

use crate::model::Timestamp;

/// `2019-05-31T16:26:03.123+09:00` → local `2019-05-31T16:26:03.123`. The zone is dropped: the
/// chart shows the time as the hospital wrote it, as it does for SS-MIX2. Partial dates keep
/// their precision; fractions beyond milliseconds are cut.
pub fn parse(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let Some(time) = time else {
        return Timestamp::parse_iso(date);
    };
    // Cut the zone: `Z`, `+09:00`, `-04:00` after the clock time.
    let clock_end = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let clock = &time[..clock_end];
    let (hms, frac) = match clock.split_once('.') {
        Some((h, f)) => (h, Some(f)),
        None => (clock, None),
    };
    let hms = match hms.len() {
        5 | 8 => hms.to_string(),
        _ => return Timestamp::parse_iso(date),
    };
    let text = match frac {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let mut ms: String = f.chars().take(3).collect();
            while ms.len() < 3 {
                ms.push('0');
            }
            format!("{date}T{hms}.{ms}")
        }
        _ => format!("{date}T{hms}"),
    };
    Timestamp::parse_iso(&text).or_else(|| Timestamp::parse_iso(date))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn zones_are_dropped_and_precision_kept() {
        assert_eq!(
            parse("2019-05-31T16:26:03+09:00").unwrap().to_iso(),
            "2019-05-31T16:26:03"
        );
        assert_eq!(
            parse("2019-05-31T16:26:03.5Z").unwrap().to_iso(),
            "2019-05-31T16:26:03.500"
        );
        assert_eq!(
            parse("2019-05-31T16:26:03.123456-04:00").unwrap().to_iso(),
            "2019-05-31T16:26:03.123"
        );
        assert_eq!(parse("2019-05").unwrap().to_iso(), "2019-05");
        assert_eq!(parse("1930-06-28").unwrap().to_iso(), "1930-06-28");
        assert!(parse("garbage").is_none());
    }
}
