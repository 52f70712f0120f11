//! Line breaking by measured glyph advances. Japanese text may break between any two characters
//! except before closing punctuation and small kana or after opening brackets (kinsoku); Latin
//! words and numbers with their units break at spaces, and are cut only when a word alone is wider
//! than the line.

use super::font::Face;

/// Characters that must not start a line.
fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | 'ー'
            | '～'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '］'
            | '｝'
            | '〉'
            | '》'
            | '’'
            | '”'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | '々'
            | '゛'
            | '゜'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ':'
            | ';'
            | '%'
            | '％'
            | '/'
            | '／'
    )
}

/// Characters that must not end a line.
fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '〔' | '［' | '｛' | '〈' | '《' | '‘' | '“' | '(' | '[' | '{'
    )
}

/// Wide characters (kana, kanji, full-width forms) allow a break on either side.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF01..=0xFF60
            | 0x20000..=0x3FFFF)
}

/// Letters and digits, half- or full-width: `５ｍｇ` and `100mg` stay whole like a Latin word.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '.'
        || matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A | 0xFF0E)
}

/// May the line break between `a` and `b`?
fn can_break(a: char, b: char) -> bool {
    if b == ' ' || b == '\u{3000}' {
        return false; // break after the space instead, so it ends the line
    }
    if no_line_start(b) || no_line_end(a) || (is_word(a) && is_word(b)) {
        return false;
    }
    a == ' ' || a == '\u{3000}' || is_wide(a) || is_wide(b)
}

/// Splits `text` into lines no wider than `max_width` points at `size`. Explicit newlines are
/// kept. Always returns at least one line (possibly empty), and never loses a character.
pub fn wrap(face: &Face, text: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(
            face,
            paragraph.trim_end_matches('\r'),
            size,
            max_width,
            &mut lines,
        );
    }
    lines
}

/// A run without spaces up to this many characters is a word or a short phrase (`ミリリットル`,
/// `あり（薬剤以外）`): it moves to the next line whole when it fits there. Longer runs are prose
/// and break by the kinsoku rules alone.
const SHORT_RUN: usize = 16;

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `allowed[i]`: may a line start at `chars[i]`? Kinsoku first; then a number keeps its unit
/// across the space between them (`10 ミリリットル`), and a short run fitting one line is kept
/// whole.
fn break_points(chars: &[(char, f32)], max_width: f32) -> Vec<bool> {
    let n = chars.len();
    let mut allowed = vec![false; n + 1];
    for i in 1..n {
        let (a, b) = (chars[i - 1].0, chars[i].0);
        allowed[i] = can_break(a, b);
        if is_space(a) && !is_space(b) && !is_digit(b) {
            let before = chars[..i - 1].iter().rev().find(|(c, _)| !is_space(*c));
            if before.is_some_and(|(c, _)| is_digit(*c)) {
                allowed[i] = false;
            }
        }
    }
    let mut start = 0;
    while start < n {
        if is_space(chars[start].0) {
            start += 1;
            continue;
        }
        let end = (start..n).find(|&i| is_space(chars[i].0)).unwrap_or(n);
        let width: f32 = chars[start..end].iter().map(|&(_, w)| w).sum();
        if end - start <= SHORT_RUN && width <= max_width {
            for a in allowed.iter_mut().take(end).skip(start + 1) {
                *a = false;
            }
        }
        start = end;
    }
    allowed
}

fn wrap_paragraph(face: &Face, text: &str, size: f32, max_width: f32, out: &mut Vec<String>) {
    let chars: Vec<(char, f32)> = text.chars().map(|c| (c, face.advance(c) * size)).collect();
    let allowed = break_points(&chars, max_width);
    let mut start = 0;
    while start < chars.len() {
        let mut width = 0.0;
        let mut end = start;
        let mut last_break = None;
        while end < chars.len() {
            let w = chars[end].1;
            if width + w > max_width && end > start {
                break;
            }
            width += w;
            if end + 1 < chars.len() && allowed[end + 1] {
                last_break = Some(end + 1);
            }
            end += 1;
        }
        // Whole rest fits: done. Otherwise break at the last opportunity, or cut the word.
        let cut = if end == chars.len() {
            end
        } else {
            last_break.filter(|&b| b > start).unwrap_or(end)
        };
        let line: String = chars[start..cut].iter().map(|&(c, _)| c).collect();
        out.push(line.trim_end().to_string());
        start = cut;
        // A space that caused the break does not start the next line.
        while start < chars.len() && chars[start].0 == ' ' {
            start += 1;
        }
    }
    if text.is_empty() || out.is_empty() {
        out.push(String::new());
    }
}

/// Packs labelled items (`体重 63.5 kg`) into lines separated by `sep`, breaking only between
/// items, so that a label never ends a line without its value. An item wider than a line is
/// wrapped on its own.
pub fn pack(face: &Face, items: &[String], sep: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for item in items.iter().filter(|i| !i.is_empty()) {
        let joined = if line.is_empty() {
            item.clone()
        } else {
            format!("{line}{sep}{item}")
        };
        if face.width(&joined, size) <= max_width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if face.width(item, size) <= max_width {
            line = item.clone();
        } else {
            let mut parts = wrap(face, item, size, max_width);
            line = parts.pop().unwrap_or_default();
            lines.extend(parts);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text`, cut with `…` so that it fits `width` at `size`.
pub fn fit(face: &Face, text: &str, size: f32, width: f32) -> String {
    if face.width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let limit = width - face.width("…", size);
    let mut w = 0.0;
    for c in text.chars() {
        w += face.advance(c) * size;
        if w > limit {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::font::Fonts;

    fn lines(text: &str, width_chars: f32) -> Vec<String> {
        let fonts = Fonts::load().unwrap();
        // 10 pt: a kanji is 10 pt wide, an ASCII letter 5 pt.
        wrap(&fonts.regular, text, 10.0, width_chars * 10.0)
    }

    #[test]
    fn japanese_breaks_anywhere_but_not_before_closing_punctuation() {
        assert_eq!(
            lines("あいうえおかきくけこ", 4.0),
            ["あいうえ", "おかきく", "けこ"]
        );
        assert_eq!(lines("あいう。えお", 3.0), ["あい", "う。え", "お"]);
        assert_eq!(lines("薬（錠）", 3.0), ["薬", "（錠）"]);
    }

    #[test]
    fn latin_words_break_at_spaces_and_long_words_are_cut() {
        assert_eq!(lines("100 mg 1 day", 4.0), ["100 mg", "1 day"]);
        assert_eq!(lines("ABCDEFGHIJ", 2.0), ["ABCD", "EFGH", "IJ"]);
    }

    #[test]
    fn long_drug_name_wraps_without_losing_text() {
        let name = "アムロジピンベシル酸塩口腔内崩壊錠５ｍｇ「サワイ」 1回1錠 1日1回朝食後";
        let got = lines(name, 8.0);
        assert!(got.len() > 2);
        assert_eq!(got.concat().replace(' ', ""), name.replace(' ', ""));
        let fonts = Fonts::load().unwrap();
        for l in &got {
            assert!(fonts.regular.width(l, 10.0) <= 80.0 + 0.01, "{l}");
        }
    }

    #[test]
    fn full_width_numbers_and_units_stay_together() {
        assert_eq!(lines("錠剤５ｍｇ", 3.0), ["錠剤", "５ｍｇ"]);
    }

    #[test]
    fn a_number_keeps_its_unit_and_a_short_phrase_stays_whole() {
        // Before: `10 ミリ` / `リットル` and `処方 あり（薬` / `剤以外）`.
        assert_eq!(lines("1回 10 ミリリットル", 8.0), ["1回", "10 ミリリットル"]);
        assert_eq!(
            lines("アレルギー あり（薬剤以外）", 10.0),
            ["アレルギー", "あり（薬剤以外）"]
        );
        // Numbers in a row may still break between them.
        assert_eq!(lines("10 20 30", 3.0), ["10 20", "30"]);
    }

    #[test]
    fn packed_items_break_only_between_items() {
        let fonts = Fonts::load().unwrap();
        let items = [
            "性別 男".to_string(),
            "身長 167.8 cm".into(),
            "体重 63.5 kg".into(),
        ];
        // 10 pt: "性別 男　身長 167.8 cm" is 100 pt wide; the weight goes to the next line whole.
        let got = pack(&fonts.regular, &items, "　", 10.0, 120.0);
        assert_eq!(got, ["性別 男　身長 167.8 cm", "体重 63.5 kg"]);
    }

    #[test]
    fn empty_text_and_newlines() {
        assert_eq!(lines("", 4.0), [""]);
        assert_eq!(lines("あ\nい", 4.0), ["あ", "い"]);
    }
}
