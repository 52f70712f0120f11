//! End-to-end tests of the generator output.

use super::profile;
use super::writer::split_name;
use super::{DEFAULT_END, GenOptions, GenSummary, generate};
use encoding_rs::ISO_2022_JP;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

fn end() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(DEFAULT_END, "%Y-%m-%d").unwrap_or_default()
}

fn run(dir: &Path, patients: u32, days: u32, seed: u64) -> GenSummary {
    let opts = GenOptions {
        out: dir.join("out"),
        patients,
        days,
        seed,
        end: end(),
    };
    match generate(&opts) {
        Ok(s) => s,
        Err(e) => panic!("generate failed: {e:#}"),
    }
}

/// Every file below `root` with its bytes, keyed by relative path.
fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.insert(rel, std::fs::read(e.path()).unwrap_or_default());
        }
    }
    out
}

fn tmp() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    }
}

fn broken_set(root: &Path, s: &GenSummary) -> HashSet<String> {
    s.broken_files
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn deterministic_for_a_seed_and_different_across_seeds() {
    let (a, b, c) = (tmp(), tmp(), tmp());
    let sa = run(a.path(), 20, 60, 1);
    let sb = run(b.path(), 20, 60, 1);
    let sc = run(c.path(), 20, 60, 2);
    let ta = read_tree(&a.path().join("out"));
    let tb = read_tree(&b.path().join("out"));
    let tc = read_tree(&c.path().join("out"));
    assert!(ta.len() > 50, "too few files: {}", ta.len());
    assert_eq!(sa.files as usize, ta.len());
    assert_eq!(sa.files, sb.files);
    assert!(ta.keys().eq(tb.keys()), "file lists differ");
    assert!(ta == tb, "file contents differ");
    assert!(ta != tc, "different seeds produced identical output");
    assert_ne!(sa.bytes, sc.bytes);
}

#[test]
fn names_flags_keys_and_encoding() {
    let d = tmp();
    let root = d.path().join("out");
    let s = run(d.path(), 60, 120, 7);
    assert_eq!(s.broken_files.len(), 7);
    let broken = broken_set(&root, &s);
    let tree = read_tree(&root);
    let mut current: HashMap<(String, String, String, String), usize> = HashMap::new();
    let mut types: HashSet<String> = HashSet::new();
    let mut forms: HashSet<(usize, usize)> = HashSet::new();
    for (rel, bytes) in &tree {
        if broken.contains(rel) {
            continue;
        }
        if let Some(ext) = rel.strip_prefix("extended/") {
            extended_file(ext, bytes, &mut current, &mut forms);
            continue;
        }
        let parts: Vec<&str> = rel.split('/').collect();
        assert_eq!(parts.len(), 6, "{rel}");
        let name = parts[5];
        let f = split_name(name).unwrap_or_else(|| panic!("bad name {rel}"));
        assert_eq!(f[0], parts[2], "{rel}");
        assert_eq!(&f[0][0..3], parts[0]);
        assert_eq!(&f[0][3..6], parts[1]);
        assert_eq!(f[1], parts[3], "date folder {rel}");
        assert_eq!(f[2], parts[4], "type folder {rel}");
        assert!(f[1] == "-" || (f[1].len() == 8 && f[1].bytes().all(|b| b.is_ascii_digit())));
        assert_eq!(f[3].len(), 15, "{rel}");
        assert!(f[4].len() == 17 || f[4].len() == 15, "{rel}");
        assert!(matches!(f[6], "0" | "1" | "2"), "{rel}");
        types.insert(f[2].to_string());
        if f[6] == "1" {
            *current
                .entry((f[0].into(), f[1].into(), f[2].into(), f[3].into()))
                .or_default() += 1;
        }
        let (text, _, had_errors) = ISO_2022_JP.decode(bytes);
        assert!(!had_errors, "{rel} does not decode");
        assert!(text.starts_with("MSH|^~\\&|"), "{rel}");
        // Every segment ends in ASCII mode.
        for seg in bytes.split(|b| *b == b'\r' || *b == b'\n') {
            let last_esc = seg.windows(3).rposition(|w| w[0] == 0x1b);
            if let Some(i) = last_esc {
                assert_eq!(&seg[i..i + 3], b"\x1b(B", "{rel}");
            }
        }
    }
    for (k, n) in &current {
        assert_eq!(*n, 1, "key {k:?} has {n} current files");
    }
    for t in ["ADT-00", "ADT-12", "OMP-01", "OML-01", "OML-11", "PPR-01"] {
        assert!(types.contains(t), "no {t} files");
    }
    // Vitals in both content-folder forms (6 and 7 fields) and both keys (day, day + hour).
    for form in [(6, 8), (6, 10), (7, 8), (7, 10)] {
        assert!(
            forms.contains(&form),
            "no vitals content folder of form {form:?}: {forms:?}"
        );
    }
}

/// An extended-storage vitals file: `L1/L2/ID/date/TYPE/CONTENT/main_document.hl7`, the
/// content folder naming the patient, date and type; notes (fields, key digits) in `forms`.
fn extended_file(
    rel: &str,
    bytes: &[u8],
    current: &mut HashMap<(String, String, String, String), usize>,
    forms: &mut HashSet<(usize, usize)>,
) {
    let parts: Vec<&str> = rel.split('/').collect();
    assert_eq!(parts.len(), 7, "{rel}");
    assert_eq!(parts[6], "main_document.hl7", "{rel}");
    assert_eq!(parts[4], super::vitals::VITALS_TYPE, "{rel}");
    let f: Vec<&str> = parts[5].split('_').collect();
    assert!(f.len() == 6 || f.len() == 7, "{rel}");
    assert_eq!((f[0], f[1], f[2]), (parts[2], parts[3], parts[4]), "{rel}");
    assert_eq!(&f[0][0..3], parts[0]);
    assert_eq!(f[3].len(), 15, "{rel}");
    let key_digits = f[3].trim_start_matches('0').len();
    forms.insert((f.len(), key_digits));
    let written = f[4];
    assert!(written.len() == 17 || written.len() == 15, "{rel}");
    let flag = f[f.len() - 1];
    assert!(matches!(flag, "1" | "2"), "{rel}");
    if flag == "1" {
        *current
            .entry((f[0].into(), f[1].into(), f[2].into(), f[3].into()))
            .or_default() += 1;
    }
    let (text, _, had_errors) = ISO_2022_JP.decode(bytes);
    assert!(!had_errors, "{rel} does not decode");
    assert!(
        text.starts_with("MSH|^~\\&|") && text.contains("ORU^R30"),
        "{rel}"
    );
}

#[test]
fn broken_files_are_broken() {
    let d = tmp();
    let root = d.path().join("out");
    let s = run(d.path(), 3, 30, 3);
    let mut undecodable = 0;
    for p in &s.broken_files {
        assert!(p.starts_with(root.join("000/000")), "{}", p.display());
        let bytes = std::fs::read(p).unwrap_or_default();
        let (_, _, err) = ISO_2022_JP.decode(&bytes);
        if err {
            undecodable += 1;
        }
    }
    // Garbage, truncated escape, JIS at CR, Shift_JIS.
    assert!(undecodable >= 4, "{undecodable}");
}

#[test]
fn decoded_names_match_profiles() {
    let d = tmp();
    let root = d.path().join("out");
    let n = 150;
    let s = run(d.path(), n, 30, 11);
    let broken = broken_set(&root, &s);
    let mut by_id: HashMap<String, profile::Profile> = HashMap::new();
    for i in 0..n {
        let p = profile::build(i, 11, end());
        by_id.insert(p.id.clone(), p);
    }
    let mut checked = 0;
    let mut hiragana = 0;
    for (rel, bytes) in read_tree(&root) {
        if broken.contains(&rel) || !rel.contains("/ADT-00/") || !rel.ends_with("_1") {
            continue;
        }
        let (text, _, _) = ISO_2022_JP.decode(&bytes);
        let pid = text
            .split(['\r', '\n'])
            .find(|s| s.starts_with("PID|"))
            .unwrap_or("");
        let fields: Vec<&str> = pid.split('|').collect();
        let id = fields.get(3).and_then(|f| f.split('^').next()).unwrap_or("");
        let p = by_id.get(id).unwrap_or_else(|| panic!("unknown id {id}"));
        let reps: Vec<&str> = fields.get(5).unwrap_or(&"").split('~').collect();
        let kanji: Vec<&str> = reps[0].split('^').collect();
        assert_eq!((kanji[0], kanji[1]), (p.family, p.given), "{rel}");
        let kana: Vec<&str> = reps[1].split('^').collect();
        assert_eq!(kana[0], p.family_kana);
        if p.quirks.hiragana {
            hiragana += 1;
        }
        checked += 1;
    }
    assert!(checked as u32 >= n * 9 / 10, "{checked}");
    let _ = hiragana;
}

#[test]
fn refuses_non_empty_folder() {
    let d = tmp();
    let out = d.path().join("out");
    std::fs::create_dir_all(&out).unwrap_or_default();
    std::fs::write(out.join("x"), b"x").unwrap_or_default();
    let opts = GenOptions {
        out,
        patients: 1,
        days: 10,
        seed: 1,
        end: end(),
    };
    assert!(generate(&opts).is_err());
}

/// Manual benchmark / sample output:
/// `LIFEBOAT_GEN_OUT=/tmp/x LIFEBOAT_GEN_PATIENTS=2000 LIFEBOAT_GEN_DAYS=365 \
///  cargo test --release --lib synth::tests::generate_to_env -- --ignored --nocapture`
#[test]
#[ignore]
fn generate_to_env() {
    let Ok(out) = std::env::var("LIFEBOAT_GEN_OUT") else {
        return;
    };
    let num = |k: &str, d: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let opts = GenOptions {
        out: PathBuf::from(out),
        patients: num("LIFEBOAT_GEN_PATIENTS", 200) as u32,
        days: num("LIFEBOAT_GEN_DAYS", 365) as u32,
        seed: num("LIFEBOAT_GEN_SEED", 1),
        end: end(),
    };
    let t = std::time::Instant::now();
    match generate(&opts) {
        Ok(s) => println!(
            "patients {} files {} bytes {} inpatients_at_end {} broken {} in {:.1}s",
            s.patients,
            s.files,
            s.bytes,
            s.inpatients_at_end,
            s.broken_files.len(),
            t.elapsed().as_secs_f64()
        ),
        Err(e) => panic!("{e:#}"),
    }
}

#[test]
fn degenerate_sizes_work() {
    let d = tmp();
    let s = run(d.path(), 0, 10, 1);
    assert_eq!(s.patients, 0);
    assert_eq!(s.files as usize, s.broken_files.len());
    let d = tmp();
    let s = run(d.path(), 5, 0, 1);
    assert!(s.files >= 5 + s.broken_files.len() as u64);
}
