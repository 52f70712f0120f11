//! Units as a reader expects them on a chart: `63 mL/h`, not `63 ミリリッター／時間`. Sources send
//! units as `code^text^ISO+` and the text is often spelled out in katakana; the compact form is
//! used where space is short (rates, doses), and the text as sent stays available for a tooltip.

use crate::model::Quantity;

/// The compact spelling of a unit sent as a UCUM/ISO+ code or as its common Japanese text;
/// `None` when the unit is not one of the common ones (then it is shown as sent).
pub fn compact_unit(unit: &str) -> Option<&'static str> {
    // Width and case are not meaningful in units as sent (`ｍｌ／ｈｒ`, `ML/HR`).
    let key: String = unit
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '／' => '/',
            '（' => '(',
            '）' => ')',
            '［' => '[',
            '］' => ']',
            c if ('！'..='～').contains(&c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "ml/hr"
        | "ml/h"
        | "ml/時"
        | "ml/時間"
        | "ミリリッター/時間"
        | "ミリリットル/時間"
        | "ミリリッター/時"
        | "ミリリットル/時" => "mL/h",
        "ml" => "mL",
        "mg" => "mg",
        "g" => "g",
        "cel" | "degc" | "℃" => "℃",
        "mm(hg)" | "mm[hg]" | "mmhg" => "mmHg",
        _ => return None,
    })
}

/// `63 mL/h`: the value with the compact unit, else as sent (`Quantity::display`).
pub fn compact(q: &Quantity) -> String {
    match compact_unit(&q.unit) {
        Some(u) => format!("{} {u}", q.value),
        None => q.display(),
    }
}

/// The quantity as sent, when it differs from `compact` (for a tooltip); else empty.
pub fn as_sent_if_different(q: &Quantity) -> String {
    let sent = q.display();
    if sent == compact(q) { String::new() } else { sent }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_units_are_compact_whatever_their_spelling() {
        let rate = Quantity::new("63", "ミリリッター／時間");
        assert_eq!(compact(&rate), "63 mL/h");
        assert_eq!(as_sent_if_different(&rate), "63 ミリリッター／時間");
        assert_eq!(compact(&Quantity::new("102", "ml/hr")), "102 mL/h");
        assert_eq!(compact(&Quantity::new("80", "mL/時間")), "80 mL/h");
        assert_eq!(compact(&Quantity::new("80", "ＭＬ／ＨＲ")), "80 mL/h");
        assert_eq!(compact(&Quantity::new("500", "ml")), "500 mL");
        assert_eq!(compact(&Quantity::new("37.8", "Cel")), "37.8 ℃");
        assert_eq!(compact(&Quantity::new("120", "mm(hg)")), "120 mmHg");
        assert_eq!(compact(&Quantity::new("120", "mm[Hg]")), "120 mmHg");
        assert_eq!(compact(&Quantity::new("5", "mg")), "5 mg");
    }

    #[test]
    fn other_units_are_shown_as_sent() {
        let q = Quantity::new("1", "錠");
        assert_eq!(compact(&q), "1 錠");
        assert_eq!(as_sent_if_different(&q), "");
        assert_eq!(compact(&Quantity::new("10", "ミリリットル")), "10 ミリリットル");
        assert_eq!(compact(&Quantity::new("3", "")), "3");
    }
}
