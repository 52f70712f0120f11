//! Narrative XHTML and inline attachments as plain text a person can read.

/// Strips markup from a narrative `div`: block ends become line breaks, table cells are
/// separated, entities decoded, runs of blank lines collapsed.
pub fn xhtml_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Source line breaks are whitespace in XHTML; only tags break lines.
    let flat = |t: &str| decode_entities(&t.replace(['\n', '\r', '\t'], " "));
    while let Some(lt) = rest.find('<') {
        out.push_str(&flat(&rest[..lt]));
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[1..gt].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match name.as_str() {
            // One break per block boundary: `</p><p>` is one line break, not a blank line.
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table"
                if !out.ends_with('\n') =>
            {
                out.push('\n')
            }
            "td" | "th" if tag.starts_with('/') => out.push_str(" | "),
            _ => {}
        }
        rest = &after[gt + 1..];
    }
    out.push_str(&flat(rest));
    tidy(&out)
}

/// Trims each line and keeps at most one blank line between paragraphs.
fn tidy(s: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in s.lines() {
        let t = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let t = t.trim_end_matches(" |").trim().to_string();
        if t.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(t);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semi];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            n if n.starts_with("#x") || n.starts_with("#X") => {
                u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32)
            }
            n if n.starts_with('#') => n[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Standard base64 (padding optional, whitespace ignored). `None` on anything else.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrative_becomes_lines() {
        let t = xhtml_to_text(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>紹介目的</p><p>精査&amp;加療 &lt;依頼&gt;</p><br/>x&#x3042;</div>",
        );
        assert_eq!(t, "紹介目的\n精査&加療 <依頼>\nxあ");
    }

    #[test]
    fn base64_round() {
        assert_eq!(base64_decode("44GC44GE").unwrap(), "あい".as_bytes());
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert!(base64_decode("***").is_none());
    }
}
