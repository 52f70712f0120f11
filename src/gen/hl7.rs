//! HL7 v2 segment building and ISO-2022-JP encoding.

use super::ts::{Dt, msh7};
use encoding_rs::{EncoderResult, ISO_2022_JP, SHIFT_JIS};
use std::borrow::Cow;

/// Escape HL7 delimiters in free text (`\` first, so the others stay intact).
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['|', '^', '~', '\\', '&']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\E\\"),
            '|' => out.push_str("\\F\\"),
            '^' => out.push_str("\\S\\"),
            '~' => out.push_str("\\R\\"),
            '&' => out.push_str("\\T\\"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Builder that pads empty fields so callers name HL7 field numbers directly.
pub struct Seg {
    s: String,
    n: usize,
}

impl Seg {
    pub fn new(id: &str) -> Seg {
        let mut s = String::with_capacity(160);
        s.push_str(id);
        Seg { s, n: 0 }
    }

    /// Set field `i` (1-based) to an already-encoded value. Fields must be set in order.
    pub fn f(mut self, i: usize, v: &str) -> Seg {
        debug_assert!(i > self.n, "field {i} set out of order");
        while self.n < i {
            self.s.push('|');
            self.n += 1;
        }
        self.s.push_str(v);
        self
    }

    /// Set field `i` to free text, escaping delimiters.
    pub fn t(self, i: usize, text: &str) -> Seg {
        let e = esc(text);
        self.f(i, &e)
    }

    pub fn end(self) -> String {
        self.s
    }
}

/// Character-set spelling in MSH-20; some departmental systems omit the space.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Standard,
    NoSpace,
}

/// MSH segment exactly in the NHO sample layout.
pub fn msh(sent: Dt, msg_type: &str, control_id: &str, cs: Charset) -> String {
    let charset = match cs {
        Charset::Standard => "ISO 2022-1994",
        Charset::NoSpace => "ISO2022-1994",
    };
    format!(
        "MSH|^~\\&|HIS123|SEND|GW|RCV|{}||{}|{}|T|2.5||||||~ISO IR87||{}|SS-MIX2_1.20^SS-MIX2^1.2.392.200250.2.1.100.1.2.120^ISO",
        msh7(sent),
        msg_type,
        control_id,
        charset
    )
}

/// How segments are terminated in one file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub lf: bool,
    pub final_terminator: bool,
}

impl Style {
    pub const NORMAL: Style = Style {
        lf: false,
        final_terminator: true,
    };
}

/// Encode one segment to ISO-2022-JP, ending in ASCII mode. Characters
/// outside the repertoire become `■`, as Japanese gateways do for gaiji.
pub fn encode_segment(seg: &str, out: &mut Vec<u8>) {
    if seg.is_ascii() {
        out.extend_from_slice(seg.as_bytes());
        return;
    }
    let mut enc = ISO_2022_JP.new_encoder();
    let mut src = seg;
    loop {
        let need = enc
            .max_buffer_length_from_utf8_without_replacement(src.len())
            .unwrap_or(src.len() * 8 + 16);
        out.reserve(need);
        let (res, read) = enc.encode_from_utf8_to_vec_without_replacement(src, out, true);
        src = &src[read..];
        match res {
            EncoderResult::InputEmpty => return,
            EncoderResult::OutputFull => continue,
            EncoderResult::Unmappable(_) => {
                // The encoder is in JIS mode or will switch to it for ■.
                let mut sub = ISO_2022_JP.new_encoder();
                let mut tmp = Vec::with_capacity(16);
                let _ = sub.encode_from_utf8_to_vec_without_replacement("■", &mut tmp, true);
                out.extend_from_slice(&tmp);
                enc = ISO_2022_JP.new_encoder();
            }
        }
    }
}

/// Encode a whole message, segment by segment, so every segment ends in ASCII.
pub fn encode(segs: &[String], style: Style) -> Vec<u8> {
    let total: usize = segs.iter().map(|s| s.len() + 8).sum();
    let mut out = Vec::with_capacity(total);
    let term = if style.lf { b'\n' } else { b'\r' };
    for (i, s) in segs.iter().enumerate() {
        encode_segment(s, &mut out);
        if i + 1 < segs.len() || style.final_terminator {
            out.push(term);
        }
    }
    out
}

/// Shift_JIS encoding, used only to produce a deliberately wrong file.
pub fn encode_sjis(segs: &[String]) -> Vec<u8> {
    let joined = segs.join("\r") + "\r";
    let (bytes, _, _) = SHIFT_JIS.encode(&joined);
    bytes.into_owned()
}

/// True if `s` round-trips through ISO-2022-JP (used by catalog tests).
#[cfg(test)]
pub fn is_jis_encodable(s: &str) -> bool {
    let mut enc = ISO_2022_JP.new_encoder();
    let mut out = Vec::with_capacity(s.len() * 4 + 16);
    let (res, _) = enc.encode_from_utf8_to_vec_without_replacement(s, &mut out, true);
    if !matches!(res, EncoderResult::InputEmpty) {
        return false;
    }
    let (dec, _, err) = ISO_2022_JP.decode(&out);
    !err && dec == s
}

/// Katakana to hiragana for the "kana name in hiragana" vendor quirk.
/// Returns None when a character has no JIS X 0208 hiragana (ヴ, ヵ, ヶ).
pub fn to_hiragana(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let u = c as u32;
        if (0x30A1..=0x30F3).contains(&u) {
            out.push(char::from_u32(u - 0x60)?);
        } else if (0x30F4..=0x30F6).contains(&u) {
            return None;
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_delimiters() {
        assert_eq!(esc("a|b^c~d\\e&f"), "a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f");
        assert!(matches!(esc("普通"), Cow::Borrowed(_)));
    }

    #[test]
    fn seg_pads_fields() {
        let s = Seg::new("PV1").f(1, "0001").f(2, "I").f(44, "x").end();
        assert_eq!(s.matches('|').count(), 44);
        assert!(s.starts_with("PV1|0001|I|"));
    }

    #[test]
    fn segments_end_in_ascii() {
        let segs = vec!["ODS|D||001^常食^99XY3|塩分控えめ".to_string(), "X|1".to_string()];
        let b = encode(&segs, Style::NORMAL);
        let cr = b.iter().position(|&c| c == b'\r').unwrap_or(0);
        assert_eq!(&b[cr - 3..cr], b"\x1b(B");
        let (d, _, err) = ISO_2022_JP.decode(&b);
        assert!(!err);
        assert_eq!(d, "ODS|D||001^常食^99XY3|塩分控えめ\rX|1\r");
    }

    #[test]
    fn unmappable_becomes_black_square() {
        let mut out = Vec::new();
        encode_segment("A𠮷B", &mut out);
        let (d, _, err) = ISO_2022_JP.decode(&out);
        assert!(!err);
        assert_eq!(d, "A■B");
    }

    #[test]
    fn hiragana() {
        assert_eq!(to_hiragana("ヤマダ").as_deref(), Some("やまだ"));
        assert_eq!(to_hiragana("ヴィ"), None);
    }
}
