//! A message's segments as text for a person to read ("元データ").

use super::decode_segments;

/// The MSH segment and the wanted segments, numbered as in the file; every segment when
/// `wanted` is empty.
pub fn excerpt(bytes: &[u8], wanted: &[u32]) -> String {
    let decoded = decode_segments(bytes);
    let mut out = String::new();
    for (n, seg) in &decoded.segments {
        if wanted.is_empty() || wanted.contains(n) || seg.starts_with("MSH") {
            out.push_str(&format!("{n:>4}  {seg}\n"));
        }
    }
    out
}
