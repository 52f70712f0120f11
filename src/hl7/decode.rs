//! Bytes to text. SS-MIX2 mandates ISO-2022-JP; real files are sometimes CP932 or UTF-8.

use encoding_rs::{ISO_2022_JP, SHIFT_JIS};

/// The encoding a file was decoded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// ISO-2022-JP (JIS X 0208 with escapes), as the standard says; plain ASCII counts as this.
    Iso2022Jp,
    /// UTF-8, which some exporters write instead.
    Utf8,
    /// Windows-31J / Shift_JIS.
    Cp932,
    /// Segments in different encodings, or bytes that decode in none: what could not be read
    /// shows as U+FFFD.
    Mixed,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Iso2022Jp => "ISO-2022-JP",
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Cp932 => "CP932 (Shift_JIS)",
            TextEncoding::Mixed => "mixed / undecodable",
        }
    }
}

/// A file's segments as text, with where they were.
#[derive(Debug)]
pub struct DecodedText {
    /// (1-based segment number, text). Empty lines are skipped but do not renumber.
    pub segments: Vec<(u32, String)>,
    pub encoding: TextEncoding,
    /// 1-based numbers of segments that contained bytes that did not decode (shown as U+FFFD).
    pub damaged_segments: Vec<u32>,
    /// Set when the file has more than [`MAX_SEGMENTS`] lines: the number of the last segment,
    /// which holds the rest of the file unsplit.
    pub unsplit_from: Option<u32>,
}

/// Segments split per file at most. Real messages have hundreds; a hostile file of millions of
/// short lines must not cost millions of allocations.
pub const MAX_SEGMENTS: usize = 100_000;

/// Splits raw bytes into segments on CR, LF or CRLF (0x0D and 0x0A never occur inside
/// ISO-2022-JP two-byte data) and decodes each segment on its own, so that one missing
/// `ESC ( B` cannot turn the rest of the message into kanji.
pub fn decode_segments(bytes: &[u8]) -> DecodedText {
    let bytes = strip_framing(bytes);
    let (lines, unsplit_from) = split_lines(bytes);
    let has_high = bytes.iter().any(|b| *b >= 0x80);
    if has_high {
        // Not 7-bit, so not ISO-2022-JP. Prefer UTF-8 when the whole file is valid UTF-8
        // (Shift_JIS text is almost never valid UTF-8), then CP932.
        if std::str::from_utf8(bytes).is_ok() {
            return decode_all(&lines, TextEncoding::Utf8, unsplit_from);
        }
        if !SHIFT_JIS.decode_without_bom_handling(bytes).1 {
            return decode_all(&lines, TextEncoding::Cp932, unsplit_from);
        }
    }
    let mut segments = Vec::with_capacity(lines.len());
    let mut damaged = Vec::new();
    let mut used_fallback = false;
    let mut roman = false;
    for (n, line) in lines {
        let (text, bad) = if line.iter().any(|b| *b >= 0x80) {
            used_fallback = true;
            decode_one(line, TextEncoding::Cp932)
        } else if roman && line.first() != Some(&0x1b) {
            // JIS-Roman (`ESC ( J`, where `\` is ¥ and `~` is ‾) carries over CR: files written
            // wholly in it have segments without any escape sequence, and MSH-2 must match them.
            decode_one(&[b"\x1b(J".as_slice(), line].concat(), TextEncoding::Iso2022Jp)
        } else {
            decode_one(line, TextEncoding::Iso2022Jp)
        };
        roman = roman_after(line, roman);
        if bad {
            damaged.push(n);
        }
        segments.push((n, text));
    }
    let encoding = if used_fallback {
        TextEncoding::Mixed
    } else {
        TextEncoding::Iso2022Jp
    };
    DecodedText {
        segments,
        encoding,
        damaged_segments: damaged,
        unsplit_from,
    }
}

/// Whether the single-byte set after `line` is JIS-Roman: the last designation decides, and a
/// line without one keeps the state before it. The two-byte set never carries over (see above).
fn roman_after(line: &[u8], before: bool) -> bool {
    let last = line
        .windows(3)
        .rev()
        .find(|w| w[0] == 0x1b && matches!(w[1], b'(' | b'$'));
    match last {
        Some(w) => w[1] == b'(' && w[2] == b'J',
        None => before,
    }
}

/// MLLP framing (VT before, FS after the message) is left in some stored files; it is transport,
/// not content.
fn strip_framing(bytes: &[u8]) -> &[u8] {
    let is_frame = |b: &u8| matches!(b, 0x0B | 0x1C | b'\r' | b'\n');
    let start = bytes.iter().position(|b| !is_frame(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !is_frame(b)).map_or(start, |i| i + 1);
    &bytes[start..end.max(start)]
}

fn decode_all(lines: &[(u32, &[u8])], encoding: TextEncoding, unsplit_from: Option<u32>) -> DecodedText {
    let mut segments = Vec::with_capacity(lines.len());
    let mut damaged = Vec::new();
    for (n, line) in lines {
        let (text, bad) = decode_one(line, encoding);
        if bad {
            damaged.push(*n);
        }
        segments.push((*n, text));
    }
    DecodedText {
        segments,
        encoding,
        damaged_segments: damaged,
        unsplit_from,
    }
}

fn decode_one(line: &[u8], encoding: TextEncoding) -> (String, bool) {
    match encoding {
        TextEncoding::Utf8 => {
            let text = String::from_utf8_lossy(line);
            let bad = text.contains('\u{FFFD}');
            (text.into_owned(), bad)
        }
        TextEncoding::Cp932 => {
            let (text, bad) = SHIFT_JIS.decode_without_bom_handling(line);
            (text.into_owned(), bad)
        }
        TextEncoding::Iso2022Jp | TextEncoding::Mixed => {
            let (text, bad) = ISO_2022_JP.decode_without_bom_handling(line);
            (text.into_owned(), bad)
        }
    }
}

/// Lines with their numbers, and the number of the last one when it holds the unsplit rest.
fn split_lines(bytes: &[u8]) -> (Vec<(u32, &[u8])>, Option<u32>) {
    let is_end = |b: &u8| *b == b'\r' || *b == b'\n';
    let mut out = Vec::new();
    let mut rest = bytes;
    loop {
        // CRLF gives an empty piece between CR and LF: it is not a segment.
        let start = rest.iter().position(|b| !is_end(b)).unwrap_or(rest.len());
        rest = &rest[start..];
        if rest.is_empty() {
            return (out, None);
        }
        let n = out.len() as u32 + 1;
        if out.len() + 1 == MAX_SEGMENTS {
            let end = rest.iter().rposition(|b| !is_end(b)).map_or(0, |i| i + 1);
            let last = &rest[..end];
            out.push((n, last));
            return (out, last.iter().any(is_end).then_some(n));
        }
        let end = rest.iter().position(is_end).unwrap_or(rest.len());
        out.push((n, &rest[..end]));
        rest = &rest[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jis(s: &str) -> Vec<u8> {
        ISO_2022_JP.encode(s).0.into_owned()
    }

    #[test]
    fn splits_on_cr_lf_and_crlf() {
        let d = decode_segments(b"MSH|a\rPID|b\nPV1|c\r\nOBX|d");
        let names: Vec<&str> = d.segments.iter().map(|(_, s)| &s[..3]).collect();
        assert_eq!(names, ["MSH", "PID", "PV1", "OBX"]);
        assert_eq!(d.encoding, TextEncoding::Iso2022Jp);
        assert!(d.damaged_segments.is_empty());
    }

    #[test]
    fn missing_return_to_ascii_does_not_poison_next_segment() {
        // "PID|患者" without ESC ( B, then CR, then an ASCII segment.
        let mut bytes = jis("PID|患者");
        assert!(bytes.ends_with(b"\x1b(B"));
        bytes.truncate(bytes.len() - 3);
        bytes.extend_from_slice(b"\rPV1|1|I");
        let d = decode_segments(&bytes);
        assert_eq!(d.segments[0].1, "PID|患者");
        assert_eq!(d.segments[1].1, "PV1|1|I");
    }

    #[test]
    fn delimiter_bytes_inside_kanji_survive() {
        // タロウ contains 0x26 '&', 日 contains 0x7C '|'.
        let bytes = jis("PID|カンジャ^タロウ|日");
        let d = decode_segments(&bytes);
        assert_eq!(d.segments[0].1, "PID|カンジャ^タロウ|日");
    }

    #[test]
    fn cp932_file_is_decoded_and_labelled() {
        let (bytes, _, _) = SHIFT_JIS.encode("PID|髙橋^太郎");
        let d = decode_segments(&bytes);
        assert_eq!(d.encoding, TextEncoding::Cp932);
        assert_eq!(d.segments[0].1, "PID|髙橋^太郎");
    }

    #[test]
    fn utf8_file_is_decoded_and_labelled() {
        let d = decode_segments("PID|山田^太郎".as_bytes());
        assert_eq!(d.encoding, TextEncoding::Utf8);
        assert_eq!(d.segments[0].1, "PID|山田^太郎");
    }

    #[test]
    fn mllp_framing_is_not_a_segment() {
        let d = decode_segments(b"\x0bMSH|^~\\&\rPID|1\r\x1c\r");
        assert_eq!(d.segments.len(), 2);
        assert_eq!(d.segments[1].1, "PID|1");
    }

    #[test]
    fn millions_of_lines_are_bounded() {
        let bytes = b"A\r".repeat(MAX_SEGMENTS + 10);
        let d = decode_segments(&bytes);
        assert_eq!(d.segments.len(), MAX_SEGMENTS);
        assert_eq!(d.unsplit_from, Some(MAX_SEGMENTS as u32));
        assert_eq!(d.segments[MAX_SEGMENTS - 1].1.len(), 11 * 2 - 1);
        let d = decode_segments(&b"A\r\n".repeat(MAX_SEGMENTS));
        assert_eq!((d.segments.len(), d.unsplit_from), (MAX_SEGMENTS, None));
    }

    #[test]
    fn jis_roman_carries_over_cr() {
        // ESC ( J at the start, no escape in the second segment: both read `\` as ¥.
        let d = decode_segments(b"\x1b(JMSH|^~\\&\rOBX|1|a\\F\\b\r\x1b(BPID|\\");
        assert_eq!(d.segments[0].1, "MSH|^\u{203e}\u{a5}&");
        assert_eq!(d.segments[1].1, "OBX|1|a\u{a5}F\u{a5}b");
        assert_eq!(d.segments[2].1, "PID|\\");
        assert!(d.damaged_segments.is_empty());
    }

    #[test]
    fn truncated_escape_is_damage_not_failure() {
        let d = decode_segments(b"PID|\x1b$B35<");
        assert_eq!(d.damaged_segments, vec![1]);
        assert!(d.segments[0].1.starts_with("PID|"));
    }
}
