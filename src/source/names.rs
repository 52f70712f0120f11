//! File names as the media has them, and as they are shown. A Japanese Windows or an old
//! Linux export writes folder names in Shift_JIS; on Linux they are not valid Unicode. They are
//! shown decoded (CP932, else with replacement characters) and opened by their raw bytes.

use std::ffi::OsStr;

/// The name as shown, and whether it is exactly the name on disk.
pub(super) fn decode_name(name: &OsStr) -> (String, bool) {
    if let Some(s) = name.to_str() {
        return (s.to_string(), true);
    }
    (decode_raw(name), false)
}

#[cfg(unix)]
fn decode_raw(name: &OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = name.as_bytes();
    match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => s.into_owned(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(not(unix))]
fn decode_raw(name: &OsStr) -> String {
    // Windows names are UTF-16; only unpaired surrogates fail, and are replaced.
    name.to_string_lossy().into_owned()
}

/// `rel/name`, or `name` at the root.
pub(super) fn push_rel(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

/// The raw relative path as bytes for the spool, and back.
#[cfg(unix)]
pub(super) fn raw_bytes(p: &std::path::Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
pub(super) fn raw_from_bytes(b: Vec<u8>) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(b).into()
}

#[cfg(not(unix))]
pub(super) fn raw_bytes(p: &std::path::Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
pub(super) fn raw_from_bytes(b: Vec<u8>) -> std::path::PathBuf {
    String::from_utf8_lossy(&b).into_owned().into()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn shift_jis_names_are_shown_decoded() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("検査結果");
        let (shown, exact) = decode_name(OsStr::from_bytes(&sjis));
        assert_eq!(shown, "検査結果");
        assert!(!exact);
        let (shown, exact) = decode_name(OsStr::from_bytes(b"ok\xFF\xFFname"));
        assert_eq!(shown, "ok\u{FFFD}\u{FFFD}name");
        assert!(!exact);
        assert_eq!(decode_name(OsStr::new("ADT-00")), ("ADT-00".to_string(), true));
    }

    #[test]
    fn raw_paths_survive_the_spool_encoding() {
        let p = std::path::Path::new(OsStr::from_bytes(b"a/\x8C\x9F/b"));
        assert_eq!(raw_from_bytes(raw_bytes(p)), p);
    }
}
