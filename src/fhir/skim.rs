//! A byte-level walk over JSON that has already been checked to be valid: the members of an
//! object and the elements of an array as slices of the input, without building any value.
//!
//! Bundles are read entry by entry through this: each entry's resource is a slice handed to
//! fhirbolt alone, so memory follows the largest entry, not the whole Bundle (a 3 MB Bundle
//! of a million empty entries took 2 GB as one fhirbolt model).

/// The value starting at or after `at` (whitespace skipped): its byte range.
fn value_at(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let start = skip_ws(b, at);
    let end = value_end(b, start)?;
    Some((start, end))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end (exclusive) of the string whose opening quote is at `i`.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The end (exclusive) of the value starting at `i`. Iterative: depth costs no stack.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            // Numbers, true, false, null: up to the next delimiter.
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace() {
                j += 1;
            }
            Some(j)
        }
    }
}

/// The members of the object `obj` (the slice of one object, braces included), as (key as
/// written between its quotes, value slice). Nothing when `obj` is not an object.
pub fn members(obj: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let start = skip_ws(obj, 0);
    let mut i = if obj.get(start) == Some(&b'{') {
        start + 1
    } else {
        obj.len()
    };
    std::iter::from_fn(move || {
        i = skip_ws(obj, i);
        if obj.get(i) == Some(&b',') {
            i = skip_ws(obj, i + 1);
        }
        if obj.get(i) != Some(&b'"') {
            i = obj.len();
            return None;
        }
        let key_end = string_end(obj, i)?;
        let key = &obj[i + 1..key_end - 1];
        let colon = skip_ws(obj, key_end);
        if obj.get(colon) != Some(&b':') {
            i = obj.len();
            return None;
        }
        let (vs, ve) = value_at(obj, colon + 1)?;
        i = ve;
        Some((key, &obj[vs..ve]))
    })
}

/// The elements of the array `arr` (braces included) as slices. Nothing when not an array.
pub fn elements(arr: &[u8]) -> impl Iterator<Item = &[u8]> {
    let start = skip_ws(arr, 0);
    let mut i = if arr.get(start) == Some(&b'[') {
        start + 1
    } else {
        arr.len()
    };
    std::iter::from_fn(move || {
        i = skip_ws(arr, i);
        if arr.get(i) == Some(&b',') {
            i = skip_ws(arr, i + 1);
        }
        if i >= arr.len() || arr[i] == b']' {
            i = arr.len();
            return None;
        }
        let (vs, ve) = value_at(arr, i)?;
        i = ve;
        Some(&arr[vs..ve])
    })
}

/// Whether a key as written equals `name` (a key spelt with escapes is decoded first).
pub fn key_is(key: &[u8], name: &str) -> bool {
    if !key.contains(&b'\\') {
        return key == name.as_bytes();
    }
    let quoted = [b"\"", key, b"\""].concat();
    serde_json::from_slice::<String>(&quoted).is_ok_and(|k| k == name)
}

/// The value of member `name` of an object.
pub fn member<'a>(obj: &'a [u8], name: &str) -> Option<&'a [u8]> {
    members(obj).find(|(k, _)| key_is(k, name)).map(|(_, v)| v)
}

/// A JSON string value decoded; `None` for anything else.
pub fn string(value: &[u8]) -> Option<String> {
    if value.first() != Some(&b'"') {
        return None;
    }
    serde_json::from_slice::<String>(value).ok()
}

/// Whether the slice is a JSON object.
pub fn is_object(value: &[u8]) -> bool {
    value.first() == Some(&b'{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_elements_are_sliced() {
        let doc = br#" { "a" : [1, {"x":"}]\"["}, "s"], "b\u0063":true, "n": -1.5e3 } "#;
        let m: Vec<(&[u8], &[u8])> = members(doc).collect();
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].0, b"a");
        let els: Vec<&[u8]> = elements(m[0].1).collect();
        assert_eq!(els, [&b"1"[..], br#"{"x":"}]\"["}"#, br#""s""#]);
        assert!(key_is(m[1].0, "bc"));
        assert_eq!(m[1].1, b"true");
        assert_eq!(m[2].1, b"-1.5e3");
        assert_eq!(member(doc, "n"), Some(&b"-1.5e3"[..]));
        assert_eq!(string(br#""a\u0062""#).as_deref(), Some("ab"));
        assert_eq!(elements(b"[]").count(), 0);
        assert_eq!(members(b"[1]").count(), 0);
    }
}
