//! What the media says to the person holding it: `はじめにお読みください.txt` (how to start the
//! viewer, the data time, the hospital, the key, the generation folder), written atomically,
//! and the size report against common discs.

use super::manifest::Manifest;
use anyhow::Context;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

pub const README: &str = "はじめにお読みください.txt";

/// Disc capacities (bytes) the size report compares against.
pub const DISCS: [(&str, u64); 4] = [
    ("CD 700 MB", 700 * 1024 * 1024),
    ("DVD-R 4.7 GB", 4_700_000_000),
    ("DVD-DL 8.5 GB", 8_540_000_000),
    ("BD 25 GB", 25_025_314_816),
];

/// The readme's text for the generation folder `generation` (a name inside OUT).
pub fn readme(m: &Manifest, generation: &str, key_id: Option<&str>, viewer: bool) -> String {
    let mut s = String::new();
    let time = m
        .data_time
        .as_deref()
        .map(|t| t.replace('T', " "))
        .unwrap_or_else(|| "不明".into());
    let _ = writeln!(s, "Lifeboat 緊急時閲覧用データ");
    let _ = writeln!(s);
    let _ = writeln!(s, "病院: {}", m.hospital);
    let _ = writeln!(s, "データ基準日時: {time}");
    let _ = writeln!(
        s,
        "収録期間: {} 〜 {}（{} 日）と、期間外でも必要な情報（アレルギー、現在の病名、入院中の経過、継続中の処方など）",
        m.window.from, m.window.to, m.window.days
    );
    let _ = writeln!(s, "最新のデータ: フォルダ {generation}");
    match key_id {
        Some(k) => {
            let _ = writeln!(s, "署名鍵: {k}");
        }
        None => {
            let _ = writeln!(s, "署名: なし");
        }
    }
    if m.encryption.is_some() {
        let _ = writeln!(s, "暗号化: あり（開くときにパスフレーズを入力してください）");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "起動のしかた");
    if viewer {
        let _ = writeln!(
            s,
            "  Windows: {generation}\\viewer\\lifeboat.exe をダブルクリックし、フォルダ {generation} を開きます。"
        );
        let _ = writeln!(
            s,
            "           コマンドでは: {generation}\\viewer\\lifeboat.exe {generation}"
        );
        let _ = writeln!(s, "  Linux:   ./{generation}/viewer/lifeboat ./{generation}");
    } else {
        let _ = writeln!(
            s,
            "  Windows: lifeboat.exe をダブルクリックし、この媒体のフォルダ {generation} を開きます。"
        );
        let _ = writeln!(s, "  Linux:   lifeboat ./{generation}");
    }
    let _ = writeln!(
        s,
        "  この媒体のフォルダ（本ファイルのある場所）を開くと、最新の世代が自動で選ばれます。"
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "この媒体には患者情報が含まれます。院外に持ち出さず、紛失時は直ちに報告してください。"
    );
    s
}

/// Writes `text` to `dir/name` through a temporary file renamed into place: a reader never sees
/// half a file, and a cut write leaves the old one.
pub fn write_atomic(dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    let target = dir.join(name);
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| format!("writing {}", target.display()))?;
    tmp.write_all(text.as_bytes())?;
    // Readable by whoever holds the media (a temporary file starts private).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(&target)
        .map_err(|e| anyhow::anyhow!("{}: {}", target.display(), e.error))?;
    super::generation::sync_dir(dir);
    Ok(())
}

/// The size report: pack bytes against each disc, and against the raw source bytes.
pub fn size_report(pack_bytes: u64, index_bytes: u64, raw_bytes: u64) -> String {
    let mut s = String::new();
    let total = pack_bytes + index_bytes;
    let _ = writeln!(
        s,
        "pack: {:.1} MB (archive {:.1} MB + index {:.1} MB); sources {:.1} MB raw, pack is {:.0}% of it",
        total as f64 / 1e6,
        pack_bytes as f64 / 1e6,
        index_bytes as f64 / 1e6,
        raw_bytes as f64 / 1e6,
        if raw_bytes > 0 {
            total as f64 * 100.0 / raw_bytes as f64
        } else {
            0.0
        }
    );
    for (disc, cap) in DISCS {
        let n = total.div_ceil(cap).max(1);
        if n == 1 {
            let _ = writeln!(
                s,
                "  {disc}: fits ({:.0}% full)",
                total as f64 * 100.0 / cap as f64
            );
        } else {
            let _ = writeln!(s, "  {disc}: needs {n} discs");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_report_says_fits_or_how_many_discs() {
        let r = size_report(1_000_000_000, 500_000_000, 6_000_000_000);
        assert!(r.contains("CD 700 MB: needs 3 discs"), "{r}");
        assert!(r.contains("DVD-R 4.7 GB: fits (32% full)"), "{r}");
        assert!(r.contains("pack is 25% of it"), "{r}");
    }
}
