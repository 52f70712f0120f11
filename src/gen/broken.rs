//! Deliberately broken files, each in its own junk patient folder under
//! `000/000/`, so a reader can be tested against real-world garbage.

use super::hl7::{Charset, Seg, Style, encode, encode_sjis, msh};
use super::rng::Rng;
use super::ts::{at, d8, t12, t14, t17};
use super::writer::patient_dir;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

fn junk_id(n: u32) -> String {
    format!("{n:010}")
}

fn pid(id: &str) -> String {
    Seg::new("PID")
        .f(1, "0001")
        .f(3, &format!("{id}^^^^PI"))
        .f(5, "試験^太郎^^^^^L^I~シケン^タロウ^^^^^L^P")
        .f(7, "19600101")
        .f(8, "M")
        .end()
}

fn write(root: &Path, dir: &str, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let d = root.join(dir);
    std::fs::create_dir_all(&d)?;
    let p = d.join(name);
    std::fs::write(&p, bytes)?;
    Ok(p)
}

/// Write the broken files; returns their paths.
pub fn write_all(root: &Path, seed: u64, end: NaiveDate) -> anyhow::Result<Vec<PathBuf>> {
    let mut rng = Rng::new(seed ^ 0xB0B0_B0B0);
    let day = end - chrono::TimeDelta::days(3);
    let t = at(day, 10, 30);
    let date = d8(day);
    let ts = t17(t);
    let mut out = Vec::new();

    // 1. Empty file where demographics should be.
    let id = junk_id(1);
    out.push(write(
        root,
        &format!("{}/-/ADT-00", patient_dir(&id)),
        &format!("{id}_-_ADT-00_999999999999999_{ts}_-_1"),
        &[],
    )?);

    // 2. Random binary garbage named as a lab result.
    let id = junk_id(2);
    let garbage: Vec<u8> = (0..2048).map(|_| rng.below(256) as u8).collect();
    out.push(write(
        root,
        &format!("{}/{date}/OML-11", patient_dir(&id)),
        &format!("{id}_{date}_OML-11_000000000000002_{ts}_01_1"),
        &garbage,
    )?);

    // 3. Truncated in the middle of an `ESC $ B` sequence.
    let id = junk_id(3);
    let segs = vec![
        msh(t, "ADT^A08^ADT_A01", "JUNK0003", Charset::Standard),
        format!("EVN||{}", t12(t)),
        pid(&id),
    ];
    let mut bytes = encode(&segs, Style::NORMAL);
    if let Some(pos) = bytes.windows(3).position(|w| w == b"\x1b$B") {
        bytes.truncate(pos + 2);
    }
    out.push(write(
        root,
        &format!("{}/-/ADT-00", patient_dir(&id)),
        &format!("{id}_-_ADT-00_999999999999999_{ts}_-_1"),
        &bytes,
    )?);

    // 4. A segment ending in JIS mode: `ESC ( B` missing before CR.
    let id = junk_id(4);
    let segs = vec![
        msh(t, "OMD^O03^OMD_O03", "JUNK0004", Charset::NoSpace),
        pid(&id),
        "PV1|0001|I|3E^301^1^^^N||||D0101^松田^健一^^^^^^^L^^^^^I|||01".to_string(),
        format!("ORC|NW|000000000000004|||||||{}", t14(t)),
        format!(
            "TQ1|1||TID&１日３回&HL70335||||{}||R^ルーチン^HL70485",
            &t12(t)[..10]
        ),
        "ODS|D||010^減塩食^99XY3|塩分控えめ".to_string(),
    ];
    let mut bytes = encode(&segs, Style::NORMAL);
    // Drop the last `ESC ( B` (end of ODS-4) so the CR arrives in JIS mode.
    if let Some(pos) = bytes.windows(3).rposition(|w| w == b"\x1b(B") {
        bytes.drain(pos..pos + 3);
    }
    out.push(write(
        root,
        &format!("{}/{date}/OMD", patient_dir(&id)),
        &format!("{id}_{date}_OMD_000000000000004_{ts}_01_1"),
        &bytes,
    )?);

    // 5. Encoded in Shift_JIS instead of ISO-2022-JP.
    let id = junk_id(5);
    let segs = vec![
        msh(t, "ADT^A04^ADT_A01", "JUNK0005", Charset::Standard),
        format!("EVN||{}", t12(t)),
        pid(&id),
        format!(
            "PV1|0001|O|01^^^^^C||||D0101^松田^健一^^^^^^^L^^^^^I|||01{}|{}",
            "|".repeat(33),
            t12(t)
        ),
    ];
    out.push(write(
        root,
        &format!("{}/{date}/ADT-12", patient_dir(&id)),
        &format!("{id}_{date}_ADT-12_999999999999999_{ts}_01_1"),
        &encode_sjis(&segs),
    )?);

    // 6. A prescription (OMP-01) filed in the ADT-31 folder.
    let id = junk_id(6);
    let segs = vec![
        msh(t, "RDE^O11^RDE_O11", "JUNK0006", Charset::Standard),
        pid(&id),
        "PV1|0001|O|01^^^^^C||||D0101^松田^健一^^^^^^^L^^^^^I|||01".to_string(),
        format!("ORC|NW|000000000000006||1|||||{}", t14(t)),
        "RXE||111890201^アムロジピン錠５ｍｇ「サワイ」^HOT9|1||TAB^錠^MR9P|TAB^錠^MR9P||||28|TAB^錠^MR9P"
            .to_string(),
        format!(
            "TQ1|1||1011040000000000&内服・経口・１日１回朝食後&JAMISDP01|||28^d|{}",
            t12(t)
        ),
        "RXR|PO^口^HL70162".to_string(),
    ];
    out.push(write(
        root,
        &format!("{}/{date}/ADT-31", patient_dir(&id)),
        &format!("{id}_{date}_OMP-01_000000000000006_{ts}_01_1"),
        &encode(&segs, Style::NORMAL),
    )?);

    // 7. A valid message whose file name lacks the 7-field pattern.
    let id = junk_id(7);
    let segs = vec![
        msh(t, "ADT^A04^ADT_A01", "JUNK0007", Charset::Standard),
        format!("EVN||{}", t12(t)),
        pid(&id),
    ];
    out.push(write(
        root,
        &format!("{}/{date}/ADT-12", patient_dir(&id)),
        &format!("{id}_{date}_ADT-12_{ts}.hl7"),
        &encode(&segs, Style::NORMAL),
    )?);
    Ok(out)
}
