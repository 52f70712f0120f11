//! The one text normalization behind indexing and querying, so that both sides always agree.
//!
//! Steps, per character cluster (a base character and the marks that attach to it):
//! 1. NFKC: full-width ASCII → ASCII, half-width kana → full-width (ﾀﾞ → ダ), ㍼ → 昭和,
//!    compatibility ideographs → unified ones (U+F9DC 隆 → 隆, U+FA10 塚 → 塚).
//! 2. Lowercase.
//! 3. Katakana → hiragana (ヤマダ → やまだ). ヴ becomes ゔ; ヷ-ヺ have no hiragana and stay.
//! 4. Itaiji fold ([`ITAIJI`]): old or variant forms that NFKC leaves alone (髙 → 高, 﨑 → 崎).
//! 5. Every run of whitespace or control characters (U+3000 too) → one ASCII space; trimmed.
//!
//! Deliberately *not* folded: small kana (ぁぃぅぇぉっゃゅょ) and the long vowel mark ー. They
//! tell readings apart (きよう/きょう, おおの/おーの are different names), the readings we ingest
//! (SS-MIX2 PID-5, JP Core) keep them, and a fold would have to be applied on both sides anyway;
//! it can be added here later without touching callers if staff type readings loosely.
//!
//! NFKC is applied per cluster rather than over the whole string so that every output character
//! maps back to a byte range of the input (token offsets for highlighting). This equals
//! whole-string NFKC except for scripts that compose across starters (Hangul conjoining jamo),
//! which does not matter here because indexing and querying use this same function.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// One character of normalized text and the byte range of the input it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NormChar {
    pub ch: char,
    pub src: Range<usize>,
}

/// The normalized form of `s` used for indexing and querying (see the module docs).
pub fn normalize(s: &str) -> String {
    normalize_mapped(s).into_iter().map(|n| n.ch).collect()
}

/// A patient ID as stored in and queried against the raw `id` field: NFKC (full-width digits),
/// whitespace removed, ASCII upper-case. Digit IDs are unchanged, leading zeros kept.
pub fn normalize_id(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Normalized characters with their source ranges; `normalize` is this, collected.
pub(crate) fn normalize_mapped(s: &str) -> Vec<NormChar> {
    let mut out: Vec<NormChar> = Vec::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        cluster.clear();
        cluster.push(attach_form(c));
        while let Some(&(i, next)) = chars.peek() {
            if !attaches(next) {
                break;
            }
            cluster.push(attach_form(next));
            end = i + next.len_utf8();
            chars.next();
        }
        if cluster.len() == 1 && c.is_ascii() {
            // ASCII is NFKC-stable: skip the normalizer on the common path.
            push_folded(&mut out, c, start..end);
        } else {
            for n in cluster.nfkc() {
                push_folded(&mut out, n, start..end);
            }
        }
    }
    // Trim the trailing space left by a collapsed run at the end.
    if out.last().is_some_and(|n| n.ch == ' ') {
        out.pop();
    }
    out
}

/// True for characters that belong to the preceding cluster: combining marks, and the half-width
/// and spacing voiced sound marks (ﾞ ﾟ ゛ ゜), which NFKC would otherwise leave detached.
fn attaches(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}' | '\u{309B}' | '\u{309C}') || canonical_combining_class(c) != 0
}

/// Voiced sound marks as combining characters, so that NFKC composes カ+゛ into ガ.
fn attach_form(c: char) -> char {
    match c {
        '\u{FF9E}' | '\u{309B}' => '\u{3099}',
        '\u{FF9F}' | '\u{309C}' => '\u{309A}',
        c => c,
    }
}

fn push_folded(out: &mut Vec<NormChar>, c: char, src: Range<usize>) {
    if c.is_whitespace() || c.is_control() {
        // Collapse runs; never start with a space.
        if out.last().is_none_or(|n| n.ch == ' ') {
            return;
        }
        out.push(NormChar { ch: ' ', src });
        return;
    }
    if c.is_ascii() {
        out.push(NormChar {
            ch: c.to_ascii_lowercase(),
            src,
        });
        return;
    }
    for l in c.to_lowercase() {
        out.push(NormChar {
            ch: fold_itaiji(to_hiragana(l)),
            src: src.clone(),
        });
    }
}

/// Katakana → hiragana for the letters that have a hiragana counterpart.
pub(crate) fn to_hiragana(c: char) -> char {
    match c {
        // ァ..ヶ and ヽヾ sit exactly 0x60 above ぁ..ゖ and ゝゞ.
        '\u{30A1}'..='\u{30F6}' | '\u{30FD}' | '\u{30FE}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        c => c,
    }
}

/// The common form of an itaiji, or the character itself.
pub fn fold_itaiji(c: char) -> char {
    // Everything in the table is above U+3400; skip the search for kana and ASCII.
    if (c as u32) < 0x3400 {
        return c;
    }
    match ITAIJI.binary_search_by_key(&c, |&(from, _)| from) {
        Ok(i) => ITAIJI[i].1,
        Err(_) => c,
    }
}

/// Variant (異体字, mostly 旧字体) → common form, for characters NFKC does not fold. Sorted by
/// the first column (binary search; a test checks it). Names are where these matter: the same
/// family is registered as 髙橋 in one system and 高橋 in another. Some pairs are not strictly
/// variants (斉/斎, 薗/園, 龍/竜) but are used interchangeably for the same names; for finding a
/// patient in an emergency, recall wins. Targets are never sources, so folding is idempotent.
pub const ITAIJI: &[(char, char)] = &[
    ('\u{37E2}', '崎'),  // 㟢
    ('\u{3800}', '島'),  // 㠀
    ('\u{4E58}', '乗'),  // 乘
    ('\u{4E9E}', '亜'),  // 亞
    ('\u{4F86}', '来'),  // 來
    ('\u{50B3}', '伝'),  // 傳
    ('\u{5152}', '児'),  // 兒
    ('\u{51A8}', '富'),  // 冨
    ('\u{51C9}', '涼'),  // 凉
    ('\u{5340}', '区'),  // 區
    ('\u{56B4}', '厳'),  // 嚴
    ('\u{5700}', '国'),  // 圀
    ('\u{570B}', '国'),  // 國
    ('\u{5713}', '円'),  // 圓
    ('\u{57DC}', '野'),  // 埜
    ('\u{589E}', '増'),  // 增
    ('\u{58EF}', '壮'),  // 壯
    ('\u{58FD}', '寿'),  // 壽
    ('\u{5967}', '奥'),  // 奧
    ('\u{5B78}', '学'),  // 學
    ('\u{5BE6}', '実'),  // 實
    ('\u{5BEC}', '寛'),  // 寬
    ('\u{5C07}', '将'),  // 將
    ('\u{5CEF}', '峰'),  // 峯
    ('\u{5D5C}', '崎'),  // 嵜
    ('\u{5D8B}', '島'),  // 嶋
    ('\u{5D8C}', '島'),  // 嶌
    ('\u{5DBD}', '岳'),  // 嶽
    ('\u{5DD6}', '巌'),  // 巖
    ('\u{5EE3}', '広'),  // 廣
    ('\u{5EF8}', '迪'),  // 廸
    ('\u{5F4C}', '弥'),  // 彌
    ('\u{5F65}', '彦'),  // 彥
    ('\u{5FB7}', '徳'),  // 德
    ('\u{6046}', '恒'),  // 恆
    ('\u{6085}', '悦'),  // 悅
    ('\u{60E0}', '恵'),  // 惠
    ('\u{61C9}', '応'),  // 應
    ('\u{6236}', '戸'),  // 戶
    ('\u{6237}', '戸'),  // 户
    ('\u{651D}', '摂'),  // 攝
    ('\u{6536}', '収'),  // 收
    ('\u{6589}', '斎'),  // 斉
    ('\u{6649}', '晋'),  // 晉
    ('\u{66C9}', '暁'),  // 曉
    ('\u{66FE}', '曽'),  // 曾
    ('\u{6703}', '会'),  // 會
    ('\u{6801}', '柳'),  // 栁
    ('\u{6852}', '桑'),  // 桒
    ('\u{689D}', '条'),  // 條
    ('\u{6919}', '杉'),  // 椙
    ('\u{69AE}', '栄'),  // 榮
    ('\u{69C7}', '槙'),  // 槇
    ('\u{6A02}', '楽'),  // 樂
    ('\u{6A9C}', '桧'),  // 檜
    ('\u{6AFB}', '桜'),  // 櫻
    ('\u{6B65}', '歩'),  // 步
    ('\u{6DF5}', '渕'),  // 淵
    ('\u{6DF8}', '清'),  // 淸
    ('\u{6DFA}', '浅'),  // 淺
    ('\u{6EFF}', '満'),  // 滿
    ('\u{6FA4}', '沢'),  // 澤
    ('\u{6FF1}', '浜'),  // 濱
    ('\u{6FF5}', '浜'),  // 濵
    ('\u{7027}', '滝'),  // 瀧
    ('\u{7028}', '瀬'),  // 瀨
    ('\u{7232}', '為'),  // 爲
    ('\u{72F9}', '狭'),  // 狹
    ('\u{7464}', '瑶'),  // 瑤
    ('\u{74E3}', '弁'),  // 瓣
    ('\u{767C}', '発'),  // 發
    ('\u{771E}', '真'),  // 眞
    ('\u{7895}', '崎'),  // 碕
    ('\u{797F}', '禄'),  // 祿
    ('\u{79AE}', '礼'),  // 禮
    ('\u{79B0}', '祢'),  // 禰
    ('\u{7A57}', '穂'),  // 穗
    ('\u{7ADD}', '並'),  // 竝
    ('\u{7C60}', '篭'),  // 籠
    ('\u{7DD6}', '緒'),  // 緖
    ('\u{7E23}', '県'),  // 縣
    ('\u{7E3D}', '総'),  // 總
    ('\u{7E69}', '縄'),  // 繩
    ('\u{7E6A}', '絵'),  // 繪
    ('\u{8070}', '聡'),  // 聰
    ('\u{8207}', '与'),  // 與
    ('\u{820D}', '舎'),  // 舍
    ('\u{8218}', '館'),  // 舘
    ('\u{838A}', '荘'),  // 莊
    ('\u{842C}', '万'),  // 萬
    ('\u{8597}', '園'),  // 薗
    ('\u{85CF}', '蔵'),  // 藏
    ('\u{85EA}', '薮'),  // 藪
    ('\u{8606}', '芦'),  // 蘆
    ('\u{8613}', '蘇'),  // 蘓
    ('\u{87A2}', '蛍'),  // 螢
    ('\u{8C50}', '豊'),  // 豐
    ('\u{8CF4}', '頼'),  // 賴
    ('\u{8FA8}', '弁'),  // 辨
    ('\u{8FAF}', '弁'),  // 辯
    ('\u{9089}', '辺'),  // 邉
    ('\u{908A}', '辺'),  // 邊
    ('\u{90A8}', '村'),  // 邨
    ('\u{91AB}', '医'),  // 醫
    ('\u{9435}', '鉄'),  // 鐵
    ('\u{95DC}', '関'),  // 關
    ('\u{9751}', '青'),  // 靑
    ('\u{975C}', '静'),  // 靜
    ('\u{984F}', '顔'),  // 顏
    ('\u{986F}', '顕'),  // 顯
    ('\u{9A52}', '騨'),  // 驒
    ('\u{9A5B}', '駅'),  // 驛
    ('\u{9AD9}', '高'),  // 髙
    ('\u{9E7D}', '塩'),  // 鹽
    ('\u{9ED1}', '黒'),  // 黑
    ('\u{9F4A}', '斎'),  // 齊
    ('\u{9F4B}', '斎'),  // 齋
    ('\u{9F8D}', '竜'),  // 龍
    ('\u{9F9C}', '亀'),  // 龜
    ('\u{FA11}', '崎'),  // 﨑
    ('\u{FA14}', '欅'),  // 﨔
    ('\u{20BB7}', '吉'), // 𠮷
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn itaiji_table_is_sorted_idempotent_and_nfkc_stable() {
        assert!(ITAIJI.len() >= 60);
        for w in ITAIJI.windows(2) {
            assert!(w[0].0 < w[1].0, "not sorted: {:?} {:?}", w[0], w[1]);
        }
        for &(from, to) in ITAIJI {
            assert_eq!(fold_itaiji(to), to, "target {to} is also a source");
            // A source NFKC already maps would never reach the table.
            assert_eq!(from.to_string().nfkc().collect::<String>(), from.to_string());
            assert_eq!(fold_itaiji(from), to);
        }
    }

    #[test]
    fn width_case_and_kana() {
        assert_eq!(normalize("ﾔﾏﾀﾞ ﾀﾛｳ"), "やまだ たろう");
        assert_eq!(normalize("ヤマダ　タロウ"), "やまだ たろう");
        assert_eq!(normalize("ＹＡＭＡＤＡ"), "yamada");
        assert_eq!(normalize("ｶﾝｼﾞｬ"), "かんじゃ");
        assert_eq!(normalize("ﾊﾟﾝ"), "ぱん");
        assert_eq!(normalize("カ゛"), "が");
        assert_eq!(normalize("０１２３"), "0123");
        assert_eq!(normalize("ヴァイオリン"), "ゔぁいおりん");
        assert_eq!(normalize("ケース・ワーカー"), "けーす・わーかー");
        assert_eq!(normalize("ｷｮｳｺ"), "きょうこ");
    }

    #[test]
    fn spaces_collapse() {
        assert_eq!(normalize("  山田\u{3000}\u{3000}太郎\t\n"), "山田 太郎");
        assert_eq!(normalize("\u{3000}"), "");
        assert_eq!(normalize("a\u{0}b"), "a b");
    }

    #[test]
    fn itaiji_fold() {
        assert_eq!(normalize("髙橋"), "高橋");
        assert_eq!(normalize("山﨑"), "山崎");
        assert_eq!(normalize("山嵜"), "山崎");
        assert_eq!(normalize("渡邊"), "渡辺");
        assert_eq!(normalize("渡邉"), "渡辺");
        assert_eq!(normalize("齋藤"), "斎藤");
        assert_eq!(normalize("齊藤"), "斎藤");
        assert_eq!(normalize("澤田"), "沢田");
        assert_eq!(normalize("𠮷田"), "吉田");
        assert_eq!(normalize("\u{F9DC}"), "隆");
        assert_eq!(normalize("\u{FA10}"), "塚");
        assert_eq!(normalize("㍼"), "昭和");
        assert_eq!(normalize("㈱"), "(株)");
    }

    #[test]
    fn source_ranges_point_into_the_input() {
        let s = "ﾀﾞ髙";
        let m = normalize_mapped(s);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].ch, 'だ');
        assert_eq!(&s[m[0].src.clone()], "ﾀﾞ");
        assert_eq!(m[1].ch, '高');
        assert_eq!(&s[m[1].src.clone()], "髙");
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for s in [
            "ﾔﾏﾀﾞ　ﾀﾛｳ",
            "髙橋 﨑 邉 齊",
            "ＡＢＣ１２３",
            "ヴィ ヶ ヽ",
            "㍼23年",
            "İstanbul",
            "ﾊﾟﾋﾟﾌﾟ",
            "カ゛ \u{3099}",
            "①②",
            "\u{F9DC}\u{FA11}\u{FA14}",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s}");
        }
    }

    #[test]
    fn ids() {
        assert_eq!(normalize_id(" ０００００１２３４５ "), "0000012345");
        assert_eq!(normalize_id("p-001"), "P-001");
    }
}
