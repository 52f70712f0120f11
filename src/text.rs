//! Small Japanese text helpers shared by readers and search.

use unicode_normalization::UnicodeNormalization;

/// Kana as charts print it: half-width katakana widened (NFKC) and hiragana turned into
/// katakana (some systems send readings in hiragana).
pub fn katakana(s: &str) -> String {
    s.nfkc()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// True when the text holds hiragana or katakana and no kanji: a reading, not a name.
pub fn is_kana(s: &str) -> bool {
    let mut any = false;
    for c in s.chars() {
        match c {
            '\u{3040}'..='\u{30ff}' | '\u{ff66}'..='\u{ff9f}' => any = true,
            ' ' | '　' => {}
            _ => return false,
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_become_katakana() {
        assert_eq!(katakana("やまだ"), "ヤマダ");
        assert_eq!(katakana("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert_eq!(katakana("カンジャ"), "カンジャ");
        assert!(is_kana("かんじゃ"));
        assert!(!is_kana("患者"));
    }
}
