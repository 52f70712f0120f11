//! tantivy tokenizers over [`normalize`](super::normalize::normalize)d text.
//!
//! - [`JaBigram`] (registered as [`JA_BIGRAM`]): runs of CJK ideographs and kana become
//!   overlapping bigrams (山田太郎 → 山田 田太 太郎), a one-character run becomes that unigram
//!   (林), runs of other letters and digits become whole words (hba1c, 5mg). Spaces and
//!   punctuation end a run, so no gram spans a space: "山田 太郎" → 山田 太郎.
//! - [`JaUnigram`] (registered as [`JA_UNIGRAM`]): every CJK/kana character is a token, other
//!   words whole. A side field with it answers one-character queries (林 matches 小林).
//!
//! Positions count tokens (one per gram or word), so a phrase query built from the same
//! analysis of the query text matches adjacent text. Offsets are byte ranges of the original
//! (un-normalized) text.

use super::normalize::{NormChar, normalize_mapped};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Tokenizer name of [`JaBigram`] in the index's tokenizer manager.
pub const JA_BIGRAM: &str = "ja_bigram";
/// Tokenizer name of [`JaUnigram`] in the index's tokenizer manager.
pub const JA_UNIGRAM: &str = "ja_unigram";

/// Words longer than this (in characters) are dropped: base64 blobs and the like in document
/// text are not searchable words, and tantivy rejects very long terms.
pub const MAX_WORD_CHARS: usize = 64;

/// Registers [`JaBigram`] and [`JaUnigram`] under [`JA_BIGRAM`] and [`JA_UNIGRAM`]. Call it on
/// every `Index` handle (created or opened) before indexing or searching text fields that name
/// them.
pub fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(JA_BIGRAM, TextAnalyzer::from(JaBigram));
    manager.register(JA_UNIGRAM, TextAnalyzer::from(JaUnigram));
}

/// CJK bigram tokenizer (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct JaBigram;

/// CJK unigram tokenizer (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct JaUnigram;

impl Tokenizer for JaBigram {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(tokenize(text, Grams::Bigram))
    }
}

impl Tokenizer for JaUnigram {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(tokenize(text, Grams::Unigram))
    }
}

/// The terms [`JaBigram`] produces for `text`, in order (duplicates kept).
pub fn bigram_terms(text: &str) -> Vec<String> {
    tokenize(text, Grams::Bigram)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// The terms [`JaUnigram`] produces for `text`, in order (duplicates kept).
pub fn unigram_terms(text: &str) -> Vec<String> {
    tokenize(text, Grams::Unigram)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// Token stream over tokens computed up front (names and record lines are short).
#[derive(Debug)]
pub struct VecTokenStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream {
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.current = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grams {
    Bigram,
    Unigram,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Sep,
}

/// Ideographs, kana and the marks that live inside Japanese words (々 〆 〇 ー); Hangul too.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}'     // 々 〆 〇
        | '\u{3041}'..='\u{309A}'   // hiragana and combining voiced marks
        | '\u{309D}'..='\u{309F}'   // ゝ ゞ ゟ
        | '\u{30A1}'..='\u{30FA}'   // katakana (not ・ U+30FB)
        | '\u{30FC}'..='\u{30FF}'   // ー ヽ ヾ ヿ
        | '\u{31F0}'..='\u{31FF}'   // katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs NFKC keeps (﨑)
        | '\u{20000}'..='\u{3FFFF}' // extensions B and later
    )
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Sep
    }
}

fn tokenize(text: &str, grams: Grams) -> Vec<Token> {
    let chars = normalize_mapped(text);
    let mut tokens = Vec::new();
    let mut position = 0usize;
    let mut start = 0;
    while start < chars.len() {
        let cls = class(chars[start].ch);
        let mut end = start + 1;
        while end < chars.len() && class(chars[end].ch) == cls {
            end += 1;
        }
        let run = &chars[start..end];
        match cls {
            Class::Sep => {}
            Class::Word => {
                if run.len() <= MAX_WORD_CHARS {
                    push(&mut tokens, &mut position, run);
                }
            }
            Class::Cjk => match grams {
                Grams::Unigram => {
                    for i in 0..run.len() {
                        push(&mut tokens, &mut position, &run[i..i + 1]);
                    }
                }
                Grams::Bigram if run.len() == 1 => push(&mut tokens, &mut position, run),
                Grams::Bigram => {
                    for pair in run.windows(2) {
                        push(&mut tokens, &mut position, pair);
                    }
                }
            },
        }
        start = end;
    }
    tokens
}

fn push(tokens: &mut Vec<Token>, position: &mut usize, chars: &[NormChar]) {
    let (Some(first), Some(last)) = (chars.first(), chars.last()) else {
        return;
    };
    tokens.push(Token {
        offset_from: first.src.start,
        offset_to: last.src.end,
        position: *position,
        text: chars.iter().map(|n| n.ch).collect(),
        position_length: 1,
    });
    *position += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str, grams: Grams) -> Vec<(String, usize, usize, usize)> {
        tokenize(text, grams)
            .into_iter()
            .map(|t| (t.text, t.position, t.offset_from, t.offset_to))
            .collect()
    }

    #[test]
    fn bigrams_do_not_span_spaces() {
        assert_eq!(bigram_terms("山田 太郎"), ["山田", "太郎"]);
        assert_eq!(bigram_terms("山田太郎"), ["山田", "田太", "太郎"]);
        assert_eq!(bigram_terms("林"), ["林"]);
        assert_eq!(bigram_terms("小林 一茶"), ["小林", "一茶"]);
        assert_eq!(bigram_terms("佐々木"), ["佐々", "々木"]);
    }

    #[test]
    fn name_scripts_agree() {
        let want = ["やま", "まだ", "たろ", "ろう"];
        assert_eq!(bigram_terms("やまだ たろう"), want);
        assert_eq!(bigram_terms("ﾔﾏﾀﾞ ﾀﾛｳ"), want);
        assert_eq!(bigram_terms("ヤマダ　タロウ"), want);
        assert_eq!(bigram_terms("カンジャ"), bigram_terms("ｶﾝｼﾞｬ"));
        assert_eq!(bigram_terms("カンジャ"), bigram_terms("かんじゃ"));
        assert_eq!(bigram_terms("髙橋"), bigram_terms("高橋"));
        assert_eq!(bigram_terms("渡邊"), bigram_terms("渡辺"));
    }

    #[test]
    fn words_and_mixed_scripts() {
        assert_eq!(bigram_terms("ＨｂＡ１ｃ 6.5%"), ["hba1c", "6", "5"]);
        assert_eq!(
            bigram_terms("ワーファリン錠1mg"),
            ["わー", "ーふ", "ふぁ", "ぁり", "りん", "ん錠", "1mg"]
        );
        assert_eq!(
            bigram_terms("ケース・ワーカー"),
            ["けー", "ーす", "わー", "ーか", "かー"]
        );
        assert_eq!(
            bigram_terms(&"x".repeat(MAX_WORD_CHARS + 1)),
            Vec::<String>::new()
        );
        assert!(bigram_terms("").is_empty());
        assert!(bigram_terms(" 、。!? ").is_empty());
    }

    #[test]
    fn unigrams() {
        assert_eq!(unigram_terms("小林 一茶"), ["小", "林", "一", "茶"]);
        assert_eq!(unigram_terms("ﾀﾛｳ abc"), ["た", "ろ", "う", "abc"]);
    }

    #[test]
    fn positions_and_offsets() {
        let t = tokens("山田 ﾀﾛｳ x", Grams::Bigram);
        // 山田 (0..6) · たろ (7..13) · ろう (10..16) · x (17..18)
        assert_eq!(
            t,
            [
                ("山田".to_string(), 0, 0, 6),
                ("たろ".to_string(), 1, 7, 13),
                ("ろう".to_string(), 2, 10, 16),
                ("x".to_string(), 3, 17, 18),
            ]
        );
    }

    #[test]
    fn token_stream_walks_all_tokens() {
        let mut tok = JaBigram;
        let mut stream = tok.token_stream("山田太郎");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push(stream.token().text.clone());
        }
        assert_eq!(seen, ["山田", "田太", "太郎"]);
        let mut empty = JaUnigram;
        assert!(!empty.token_stream("").advance());
    }
}
