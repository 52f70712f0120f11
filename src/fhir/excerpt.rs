//! One resource of a FHIR file as text for a person to read ("元データ").

use super::detect::{Format, Sniff, sniff, strip_bom};

/// The resource at `entry` as our provenance names it (`entry[3] Patient/abc`,
/// `entry[0]/entry[2] ...`, `line 12 ...`), pretty-printed; the whole file (XML, or a place that
/// cannot be followed) otherwise.
pub fn excerpt(bytes: &[u8], entry: &str) -> String {
    let bytes = strip_bom(bytes);
    let mut words = entry.split(' ');
    let place = words.next().unwrap_or_default();
    if matches!(sniff(bytes), Sniff::Fhir(Format::Xml)) {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    if place == "line" {
        // NDJSON lines are numbered from 1.
        let n = words.next().and_then(|x| x.parse::<usize>().ok()).unwrap_or(0);
        if let Some(l) = bytes.split(|b| *b == b'\n').nth(n.saturating_sub(1)) {
            return pretty(l);
        }
    }
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return String::from_utf8_lossy(bytes).into_owned();
    };
    if place.starts_with("entry[") {
        for step in place.split('/') {
            let next = step
                .strip_prefix("entry[")
                .and_then(|x| x.strip_suffix(']'))
                .and_then(|x| x.parse::<usize>().ok())
                .and_then(|i| v.get("entry")?.get(i)?.get("resource").cloned());
            match next {
                Some(n) => v = n,
                None => break,
            }
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn pretty(line: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(line).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_nested_entries_and_ndjson_lines() {
        let bundle = br#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Condition","id":"c"}}]}}]}"#;
        let text = excerpt(bundle, "entry[0]/entry[1] Condition/c");
        assert!(
            text.contains("\"Condition\"") && !text.contains("Patient"),
            "{text}"
        );
        let nd =
            b"{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n";
        assert!(excerpt(nd, "line 2 Patient/p2").contains("p2"));
    }
}
