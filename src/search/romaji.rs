//! Romaji → hiragana for names typed on a keyboard without Japanese input (`matsumoto` →
//! まつもと), Hepburn and kunrei-shiki alike (shi/si, chi/ti, tsu/tu, fu/hu, ji/zi, sha/sya).
//! Long vowels are not written in passport romaji (Sato is さとう), so the kana is searched like
//! any name part: its bigrams, which さと shares with さとう. `oh` before a consonant is おお
//! (Ohno, おおの). A word with anything that is not romaji gives `None`.

/// Syllables, longest first within each start so a greedy match is right.
const TABLE: &[(&str, &str)] = &[
    ("kya", "きゃ"),
    ("kyu", "きゅ"),
    ("kyo", "きょ"),
    ("sha", "しゃ"),
    ("shu", "しゅ"),
    ("sho", "しょ"),
    ("she", "しぇ"),
    ("shi", "し"),
    ("sya", "しゃ"),
    ("syu", "しゅ"),
    ("syo", "しょ"),
    ("cha", "ちゃ"),
    ("chu", "ちゅ"),
    ("cho", "ちょ"),
    ("che", "ちぇ"),
    ("chi", "ち"),
    ("tya", "ちゃ"),
    ("tyu", "ちゅ"),
    ("tyo", "ちょ"),
    ("cya", "ちゃ"),
    ("cyu", "ちゅ"),
    ("cyo", "ちょ"),
    ("tsu", "つ"),
    ("nya", "にゃ"),
    ("nyu", "にゅ"),
    ("nyo", "にょ"),
    ("hya", "ひゃ"),
    ("hyu", "ひゅ"),
    ("hyo", "ひょ"),
    ("mya", "みゃ"),
    ("myu", "みゅ"),
    ("myo", "みょ"),
    ("rya", "りゃ"),
    ("ryu", "りゅ"),
    ("ryo", "りょ"),
    ("gya", "ぎゃ"),
    ("gyu", "ぎゅ"),
    ("gyo", "ぎょ"),
    ("zya", "じゃ"),
    ("zyu", "じゅ"),
    ("zyo", "じょ"),
    ("jya", "じゃ"),
    ("jyu", "じゅ"),
    ("jyo", "じょ"),
    ("bya", "びゃ"),
    ("byu", "びゅ"),
    ("byo", "びょ"),
    ("pya", "ぴゃ"),
    ("pyu", "ぴゅ"),
    ("pyo", "ぴょ"),
    ("ka", "か"),
    ("ki", "き"),
    ("ku", "く"),
    ("ke", "け"),
    ("ko", "こ"),
    ("sa", "さ"),
    ("si", "し"),
    ("su", "す"),
    ("se", "せ"),
    ("so", "そ"),
    ("ta", "た"),
    ("ti", "ち"),
    ("tu", "つ"),
    ("te", "て"),
    ("to", "と"),
    ("na", "な"),
    ("ni", "に"),
    ("nu", "ぬ"),
    ("ne", "ね"),
    ("no", "の"),
    ("ha", "は"),
    ("hi", "ひ"),
    ("hu", "ふ"),
    ("fu", "ふ"),
    ("he", "へ"),
    ("ho", "ほ"),
    ("fa", "ふぁ"),
    ("fi", "ふぃ"),
    ("fe", "ふぇ"),
    ("fo", "ふぉ"),
    ("ma", "ま"),
    ("mi", "み"),
    ("mu", "む"),
    ("me", "め"),
    ("mo", "も"),
    ("ya", "や"),
    ("yu", "ゆ"),
    ("yo", "よ"),
    ("ra", "ら"),
    ("ri", "り"),
    ("ru", "る"),
    ("re", "れ"),
    ("ro", "ろ"),
    ("wa", "わ"),
    ("wo", "を"),
    ("ga", "が"),
    ("gi", "ぎ"),
    ("gu", "ぐ"),
    ("ge", "げ"),
    ("go", "ご"),
    ("za", "ざ"),
    ("zi", "じ"),
    ("ji", "じ"),
    ("zu", "ず"),
    ("ze", "ぜ"),
    ("zo", "ぞ"),
    ("ja", "じゃ"),
    ("ju", "じゅ"),
    ("jo", "じょ"),
    ("je", "じぇ"),
    ("da", "だ"),
    ("di", "ぢ"),
    ("du", "づ"),
    ("de", "で"),
    ("do", "ど"),
    ("ba", "ば"),
    ("bi", "び"),
    ("bu", "ぶ"),
    ("be", "べ"),
    ("bo", "ぼ"),
    ("pa", "ぱ"),
    ("pi", "ぴ"),
    ("pu", "ぷ"),
    ("pe", "ぺ"),
    ("po", "ぽ"),
    ("vu", "ゔ"),
    ("a", "あ"),
    ("i", "い"),
    ("u", "う"),
    ("e", "え"),
    ("o", "お"),
];

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'i' | b'u' | b'e' | b'o')
}

/// Hiragana for a word of romaji (ASCII letters, case ignored, `'` or `-` allowed after n),
/// `None` for anything else or a word shorter than two letters.
pub fn to_hiragana(word: &str) -> Option<String> {
    let w = word.to_ascii_lowercase();
    let b = w.as_bytes();
    if b.len() < 2
        || !b
            .iter()
            .all(|c| c.is_ascii_lowercase() || *c == b'\'' || *c == b'-')
    {
        return None;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'\'' || c == b'-' {
            i += 1;
            continue;
        }
        // ん: n before a consonant, an apostrophe or the end; nn; m before b/m/p (Hepburn).
        if c == b'n' && next.is_none_or(|n| !is_vowel(n) && n != b'y') {
            out.push('ん');
            i += if next == Some(b'n') && b.get(i + 2).is_none_or(|n| !is_vowel(*n)) {
                2
            } else {
                1
            };
            continue;
        }
        if c == b'm' && matches!(next, Some(b'b' | b'm' | b'p')) {
            out.push('ん');
            i += 1;
            continue;
        }
        // っ: a doubled consonant, or the t of tch.
        if let Some(n) = next
            && !is_vowel(c)
            && c != b'n'
            && (n == c || (c == b't' && n == b'c'))
        {
            out.push('っ');
            i += 1;
            continue;
        }
        // Passport long o: Ohno, Oh before a consonant.
        if c == b'o' && next == Some(b'h') && b.get(i + 2).is_some_and(|n| !is_vowel(*n) && *n != b'y') {
            out.push_str("おお");
            i += 2;
            continue;
        }
        let rest = &w[i..];
        let (roman, kana) = TABLE.iter().find(|(r, _)| rest.starts_with(r))?;
        out.push_str(kana);
        i += roman.len();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::to_hiragana;

    fn h(s: &str) -> String {
        to_hiragana(s).unwrap_or_default()
    }

    #[test]
    fn common_names_in_hepburn() {
        assert_eq!(h("matsumoto"), "まつもと");
        assert_eq!(h("Suzuki"), "すずき");
        assert_eq!(h("TAKAHASHI"), "たかはし");
        assert_eq!(h("tanaka"), "たなか");
        assert_eq!(h("watanabe"), "わたなべ");
        assert_eq!(h("ito"), "いと");
        assert_eq!(h("yamamoto"), "やまもと");
        assert_eq!(h("nakamura"), "なかむら");
        assert_eq!(h("kobayashi"), "こばやし");
        assert_eq!(h("chiba"), "ちば");
        assert_eq!(h("fujii"), "ふじい");
        assert_eq!(h("kenji"), "けんじ");
        assert_eq!(h("shinichi"), "しにち");
        assert_eq!(h("shin'ichi"), "しんいち");
        assert_eq!(h("junichiro"), "じゅにちろ");
        assert_eq!(h("hattori"), "はっとり");
        assert_eq!(h("kitchi"), "きっち");
        assert_eq!(h("homma"), "ほんま");
        assert_eq!(h("ohno"), "おおの");
        assert_eq!(h("ryota"), "りょた");
        assert_eq!(h("shoko"), "しょこ");
        assert_eq!(h("jun"), "じゅん");
        assert_eq!(h("kanna"), "かんな");
    }

    #[test]
    fn kunrei_spellings_give_the_same_kana() {
        assert_eq!(h("sizuka"), h("shizuka"));
        assert_eq!(h("tizuru"), h("chizuru"));
        assert_eq!(h("matumoto"), h("matsumoto"));
        assert_eq!(h("huzita"), h("fujita"));
        assert_eq!(h("syouta"), h("shouta"));
        assert_eq!(h("tyouko"), h("chouko"));
    }

    #[test]
    fn not_romaji() {
        assert_eq!(to_hiragana("x"), None);
        assert_eq!(to_hiragana("abc123"), None);
        assert_eq!(to_hiragana("qqq"), None);
        assert_eq!(to_hiragana("xyz"), None);
        assert_eq!(to_hiragana("松本"), None);
    }
}
