//! The bundled font files (BIZ UDGothic, OFL; see assets/fonts/README.md), embedded once: the
//! viewer ([`crate::ui::fonts`]) and the printouts ([`crate::print`]) share these bytes. Two
//! `include_bytes!` of the same file put two copies in the binary (9.3 MB each pair).

pub static REGULAR: &[u8] = include_bytes!("../assets/fonts/BIZUDGothic-Regular.ttf");
pub static BOLD: &[u8] = include_bytes!("../assets/fonts/BIZUDGothic-Bold.ttf");
/// U+FFFD only (undecodable bytes); BIZ UDGothic lacks it.
pub static REPLACEMENT: &[u8] = include_bytes!("../assets/fonts/LifeboatReplacement.ttf");

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Every embedded file is named by one `include_bytes!` in the whole source.
    #[test]
    fn each_bundled_file_is_embedded_once() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let p = e.path();
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(p).unwrap_or_default();
            for (n, line) in text.lines().enumerate() {
                let Some(at) = line.find("include_bytes!(\"") else {
                    continue;
                };
                let arg = &line[at + "include_bytes!(\"".len()..];
                let file = arg.split('"').next().unwrap_or_default();
                let name = file.rsplit('/').next().unwrap_or_default().to_string();
                seen.entry(name)
                    .or_default()
                    .push(format!("{}:{}", p.display(), n + 1));
            }
        }
        let twice: Vec<_> = seen.iter().filter(|(_, at)| at.len() > 1).collect();
        assert!(twice.is_empty(), "{twice:?}");
        assert!(seen.contains_key("BIZUDGothic-Regular.ttf"), "{seen:?}");
    }
}
