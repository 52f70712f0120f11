//! `lifeboat pack` (issue 15): the chart from a pack equals the full storage's chart restricted
//! by the window rule, for every patient of a generated hospital whose data spans twice the
//! window; `check` accounts for every packed file; a second pack reuses unchanged entries; small
//! parts never split a patient; the shipped index answers as the files do.

use lifeboat::chart::PatientDump;
use lifeboat::chart::window::WindowRule;
use lifeboat::cli::show::{direct_all, indexed};
use lifeboat::index::{OpenOptions, SnapshotIndex};
use lifeboat::model::Record;
use lifeboat::pack::archive::patient_key;
use lifeboat::pack::solid;
use lifeboat::pack::{Manifest, PackOptions, PackReport, pack};
use lifeboat::progress::Progress;
use lifeboat::synth::{DEFAULT_END, GenOptions, generate};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

const DAYS: u32 = 400;

fn hospital(dir: &Path, patients: u32, days: u32) -> PathBuf {
    let out = dir.join("storage");
    generate(&GenOptions {
        out: out.clone(),
        patients,
        days,
        seed: 7,
        end: chrono::NaiveDate::parse_from_str(DEFAULT_END, "%Y-%m-%d").expect("date"),
    })
    .expect("generate");
    out
}

fn pack_into(src: &Path, out: &Path, part_bytes: Option<u64>) -> PackReport {
    let mut o = PackOptions::new(out.to_path_buf(), "テスト病院".into());
    o.days = DAYS;
    o.generations = 2;
    if let Some(p) = part_bytes {
        o.part_bytes = p;
    }
    pack(&[src.to_path_buf()], &o, &Progress::new()).expect("pack")
}

fn records_of(d: &PatientDump) -> Vec<Record> {
    d.sections().iter().flat_map(|(_, r)| r.iter().cloned()).collect()
}

/// Views point into the chart's record list by position, which differs when records are left
/// out: compared by content, without those positions.
fn without_indices(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let index_like = |v: &Value| match v {
        Value::Number(_) => true,
        Value::Array(a) => a.iter().all(Value::is_number),
        _ => false,
    };
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, v)| !(k.contains("record") && index_like(v)))
                .map(|(k, v)| (k, without_indices(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_indices).collect()),
        other => other,
    }
}

fn first_difference(a: &serde_json::Value, b: &serde_json::Value) -> String {
    let a = serde_json::to_string_pretty(a).unwrap_or_default();
    let b = serde_json::to_string_pretty(b).unwrap_or_default();
    let at = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
    let around = |s: &str| {
        s.lines()
            .skip(at.saturating_sub(6))
            .take(12)
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "at line {at}\npack:\n{}\nfull, restricted:\n{}",
        around(&a),
        around(&b)
    )
}

#[test]
fn the_chart_from_a_pack_equals_the_full_chart_restricted_by_the_window() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = hospital(tmp.path(), 40, 2 * DAYS);
    let out = tmp.path().join("media");
    let report = pack_into(&src, &out, None);
    let left_out: u64 = report.left_out.iter().map(|(_, n)| n).sum();
    assert!(
        left_out > 100,
        "a 400-day window over 800 days leaves files out: {left_out}"
    );

    let full = direct_all(std::slice::from_ref(&src)).expect("full read");
    // The media folder (holding generations) opens its newest generation.
    let packed = direct_all(std::slice::from_ref(&out)).expect("pack read");
    let as_of = report.manifest.data_time.clone();
    let rule = WindowRule::new(
        as_of.as_deref().and_then(lifeboat::model::Timestamp::parse_iso),
        DAYS,
    );
    assert!(rule.first_day().is_some(), "the hospital has a data time");

    // Files holding a record the rule keeps, over every patient.
    let mut kept_files: HashSet<String> = HashSet::new();
    let mut dropped_records = 0usize;
    for d in full.values() {
        let records = records_of(d);
        for (r, why) in records.iter().zip(rule.kept(&records)) {
            match why {
                Some(_) => {
                    kept_files.insert(r.provenance.file.clone());
                }
                None => dropped_records += 1,
            }
        }
    }
    assert!(
        dropped_records > 1000,
        "the window drops old records: {dropped_records}"
    );

    let mut compared = 0;
    let ids: BTreeSet<&String> = full.keys().chain(packed.keys()).collect();
    for id in ids {
        let restricted = full.get(id).map(|d| {
            let records: Vec<Record> = records_of(d)
                .into_iter()
                .filter(|r| kept_files.contains(&r.provenance.file))
                .collect();
            let problems = d
                .problems
                .iter()
                .filter(|p| kept_files.contains(&p.path))
                .cloned()
                .collect();
            let mut r = PatientDump::build(records, d.patient.clone(), problems).with_summary(id, rule.as_of);
            r.identity = d.identity.clone();
            r
        });
        let from_pack = packed.get(id);
        // What the chart says at the data time is the same as from the whole storage.
        if let (Some(p), Some(f)) = (from_pack, full.get(id)) {
            for (what, a, b) in [
                (
                    "summary",
                    serde_json::to_value(&p.summary),
                    serde_json::to_value(&f.summary),
                ),
                (
                    "diet",
                    serde_json::to_value(&p.diet_now),
                    serde_json::to_value(&f.diet_now),
                ),
                (
                    "infection",
                    serde_json::to_value(&p.infection),
                    serde_json::to_value(&f.infection),
                ),
                (
                    "worklist",
                    serde_json::to_value(&p.worklist),
                    serde_json::to_value(&f.worklist),
                ),
            ] {
                let (a, b) = (
                    without_indices(a.expect("json")),
                    without_indices(b.expect("json")),
                );
                assert!(
                    a == b,
                    "patient {id}, {what} at the data time: {}",
                    first_difference(&a, &b)
                );
            }
        }
        match (from_pack, restricted) {
            (Some(p), Some(r)) => {
                let a = serde_json::to_value(p).expect("json");
                let b = serde_json::to_value(&r).expect("json");
                assert!(a == b, "patient {id}: {}", first_difference(&a, &b));
                compared += 1;
            }
            (None, Some(r)) => assert!(r.is_empty(), "patient {id} is missing from the pack"),
            (Some(_), None) => panic!("patient {id} is in the pack but not in the storage"),
            (None, None) => {}
        }
    }
    assert!(compared >= 40, "every generated patient is compared: {compared}");

    // The shipped index gives the same charts as the pack's files.
    let idx = tmp.path().join("local-index");
    let index = SnapshotIndex::open(
        &OpenOptions {
            roots: vec![out.clone()],
            index_dir: Some(idx),
            verify_first: true,
            ..Default::default()
        },
        &Progress::new(),
    )
    .expect("pack index opens");
    assert_eq!(index.origin(), lifeboat::index::Origin::Prebuilt);
    assert_eq!(index.freshness(), lifeboat::index::Freshness::Matches);
    assert_eq!(
        index.pack().map(|p| p.manifest.hospital.as_str()),
        Some("テスト病院")
    );
    // Headers and printouts name the hospital and the generation opened.
    let generation = report
        .dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert_eq!(index.name(), format!("テスト病院（{generation}）"));
    assert_eq!(index.as_of().map(|t| t.to_iso()), as_of);
    for (id, d) in &packed {
        let a = serde_json::to_value(indexed(&index, id).expect("indexed")).expect("json");
        let b = serde_json::to_value(d).expect("json");
        assert!(
            a == b,
            "patient {id}: index vs pack files {}",
            first_difference(&a, &b)
        );
    }
}

#[test]
fn check_accounts_every_packed_file_and_a_second_pack_reuses_entries() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = hospital(tmp.path(), 12, 600);
    let out = tmp.path().join("usb");
    let first = pack_into(&src, &out, None);
    assert_eq!(first.reused, 0);
    assert_eq!(first.compressed, first.packed_files);

    let r = lifeboat::cli::check::read(std::slice::from_ref(&out)).expect("check reads the pack");
    assert_eq!(r.files_total, first.packed_files, "check lists every packed file");
    assert!(r.is_consistent());
    let m = Manifest::read(&first.dir).expect("manifest");
    assert_eq!(m.format, lifeboat::pack::manifest::FORMAT);
    assert_eq!(m.hospital, "テスト病院");
    assert_eq!(m.window.days, DAYS);
    assert_eq!(m.sources[0].kind, "SS-MIX2");
    assert_eq!(m.index.as_deref(), Some("index.zip"));
    let mut listed: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    listed.sort();
    assert_eq!(
        listed,
        vec!["index.zip", "snapshot.001.zip"],
        "every media file is hashed"
    );
    assert_eq!(m.patients, r.patients);
    assert_eq!(
        m.counts.values().sum::<u64>(),
        r.record_total(),
        "counts per kind as packed"
    );
    assert_eq!(m.report.files, m.sources[0].files, "the source's ingest totals");
    assert_eq!(m.sources[0].packed_files, first.packed_files);
    assert_eq!(
        m.sources[0].files,
        first.packed_files + first.left_out[0].1,
        "every source file is packed or counted as left out"
    );
    assert_eq!(m.sources[0].left_out_outside_window, first.left_out[0].1);
    assert!(
        m.sources[0].left_out_outside_window > 0,
        "600 days against a 400-day window"
    );

    // One more message arrives: everything else is copied compressed.
    let one = std::fs::read_dir(&src)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("a patient folder");
    let msg = walk(&one).into_iter().max().expect("a message");
    let copy = msg.with_file_name(format!(
        "{}9",
        msg.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    std::fs::copy(&msg, &copy).expect("copy");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = pack_into(&src, &out, None);
    assert_eq!(second.packed_files, first.packed_files + 1);
    // The new message's patient is one solid entry, compressed anew with it; every other
    // patient's entry is copied compressed.
    let name: Vec<String> = copy
        .strip_prefix(&src)
        .expect("inside")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let name = name.join("/");
    let key = patient_key(&name).to_string();
    assert_ne!(key, name, "a patient folder");
    let mut snap = lifeboat::source::Snapshot::open(std::slice::from_ref(&second.dir)).expect("open");
    let (files, _) = snap.list();
    let names: Vec<String> = files.iter().map(|f| snap.display_path(f)).collect();
    assert!(names.contains(&name), "the new message is packed");
    let of_patient = names.iter().filter(|n| patient_key(n) == key).count() as u64;
    assert!(of_patient >= 2, "{of_patient} files of {key}");
    assert_eq!(
        second.compressed, of_patient,
        "only the changed patient is compressed"
    );
    assert_eq!(
        second.reused,
        second.packed_files - of_patient,
        "every other patient's files are reused"
    );
    // Two generations kept; both open.
    assert_eq!(lifeboat::pack::open::generations(&out).len(), 2);
    let again = lifeboat::cli::check::read(std::slice::from_ref(&out)).expect("check");
    assert_eq!(again.files_total, second.packed_files);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn small_parts_never_split_a_patient() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = hospital(tmp.path(), 12, 300);
    let out = tmp.path().join("dvd");
    let report = pack_into(&src, &out, Some(150_000));
    assert!(report.parts.len() >= 3, "small parts: {:?}", report.parts);
    let mut part_of: BTreeMap<String, String> = BTreeMap::new();
    let mut last_name = String::new();
    for part in &report.parts {
        let file = std::fs::File::open(report.dir.join(part)).expect("part");
        let mut zip = zip::ZipArchive::new(file).expect("zip");
        let entries = zip.len();
        for i in 0..entries {
            let name = zip
                .by_index_raw(i)
                .expect("entry")
                .name()
                .expect("name")
                .to_string();
            if name == solid::MEMBERS {
                assert_eq!(i, entries - 1, "the member listing closes its part");
                continue;
            }
            // A patient's files are one solid entry named by its folder.
            let key = match name.strip_prefix(solid::SOLID_DIR) {
                Some(rest) => rest.strip_suffix(".zip").expect("solid entry").to_string(),
                None => patient_key(&name).to_string(),
            };
            assert!(
                key > last_name,
                "entries sorted across parts: {key} after {last_name}"
            );
            last_name = key.clone();
            if let Some(other) = part_of.insert(key.clone(), part.clone()) {
                assert_eq!(&other, part, "patient {key} is split across parts");
            }
        }
        // A part passes the limit only when one patient alone is larger.
        let size = std::fs::metadata(report.dir.join(part)).expect("size").len();
        let patients = part_of.values().filter(|p| *p == part).count();
        assert!(
            size <= 150_000 || patients == 1,
            "{part}: {size} bytes, {patients} patients"
        );
    }
    let r = lifeboat::cli::check::read(std::slice::from_ref(&report.dir)).expect("check");
    assert_eq!(r.files_total, report.packed_files);
}

#[test]
fn a_pack_whose_files_are_not_the_manifest_sizes_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = hospital(tmp.path(), 6, 100);
    let out = tmp.path().join("media");
    let report = pack_into(&src, &out, None);
    let open = || {
        SnapshotIndex::open(
            &OpenOptions {
                roots: vec![out.clone()],
                index_dir: Some(tmp.path().join("idx")),
                verify_first: true,
                ..Default::default()
            },
            &Progress::new(),
        )
    };
    let index = open().expect("opens");
    assert!(index.verify().expect("verify"), "sizes match");
    drop(index);
    let part = report.dir.join(&report.parts[0]);
    let mut bytes = std::fs::read(&part).expect("read");
    bytes.push(0);
    std::fs::write(&part, bytes).expect("write");
    let err = open().err().expect("a grown part is refused");
    assert!(
        err.to_string().contains("not the sizes its manifest says"),
        "{err:#}"
    );
}

#[test]
fn viewer_binaries_go_in_the_pack_hashed_and_the_readme_says_how_to_start() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = hospital(tmp.path(), 4, 60);
    let viewer = tmp.path().join("viewer-build");
    std::fs::create_dir_all(&viewer).expect("mkdir");
    std::fs::write(viewer.join("lifeboat.exe"), b"MZ not really").expect("write");
    std::fs::write(viewer.join("lifeboat"), b"\x7fELF not really").expect("write");
    let out = tmp.path().join("dvd");
    let mut o = PackOptions::new(out.clone(), "閲覧病院".into());
    o.viewer = Some(viewer);
    let report = pack(&[src], &o, &Progress::new()).expect("pack");
    let m = Manifest::read(&report.dir).expect("manifest");
    let exe = m
        .file("viewer/lifeboat.exe")
        .expect("the Windows viewer is hashed");
    assert_eq!(exe.size, 13);
    assert!(m.file("viewer/lifeboat").is_some(), "the Linux viewer is hashed");
    lifeboat::pack::generation::check(&report.dir, &m).expect("the media checks");
    let readme = std::fs::read_to_string(out.join(lifeboat::pack::media::README)).expect("readme");
    let generation = report
        .dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        readme.contains(&format!("{generation}\\viewer\\lifeboat.exe")),
        "{readme}"
    );
    assert!(readme.contains("閲覧病院"), "{readme}");
    assert!(
        readme.contains(
            m.data_time
                .as_deref()
                .unwrap_or("?")
                .split('T')
                .next()
                .unwrap_or("?")
        ),
        "{readme}"
    );
}

/// Nothing lost, and no private format: every packed file reads back byte for byte, and a
/// patient's solid entry is an ordinary zip holding the original relative paths.
#[test]
fn packed_files_read_back_byte_for_byte_and_solid_entries_are_plain_zips() {
    use std::io::Read;
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = hospital(tmp.path(), 6, 120);
    let out = tmp.path().join("usb");
    let report = pack_into(&src, &out, None);
    let mut snap = lifeboat::source::Snapshot::open(std::slice::from_ref(&report.dir)).expect("open");
    let (files, _) = snap.list();
    assert_eq!(files.len() as u64, report.packed_files);
    for f in &files {
        let name = snap.display_path(f);
        let original = std::fs::read(src.join(&name)).expect("source file");
        assert_eq!(snap.read(f).expect("packed file"), original, "{name}");
    }
    // With a zip tool alone: the part, then a patient's entry inside it.
    let part = std::fs::File::open(report.dir.join(&report.parts[0])).expect("part");
    let mut zip = zip::ZipArchive::new(part).expect("zip");
    let solid_name = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_string())
        .find(|n| n.starts_with(solid::SOLID_DIR) && n != solid::MEMBERS)
        .expect("a solid entry");
    let mut inner = Vec::new();
    zip.by_name(&solid_name)
        .expect("entry")
        .read_to_end(&mut inner)
        .expect("inflate");
    let mut inner = zip::ZipArchive::new(std::io::Cursor::new(inner)).expect("inner zip");
    assert!(inner.len() > 1, "a patient's files together");
    let first = inner
        .by_index(0)
        .expect("member")
        .name()
        .expect("name")
        .to_string();
    let key = solid_name
        .strip_prefix(solid::SOLID_DIR)
        .and_then(|n| n.strip_suffix(".zip"))
        .expect("named by the patient folder");
    assert!(first.starts_with(&format!("{key}/")), "{first} under {key}");
    assert!(
        src.join(&first).is_file(),
        "{first} is the original relative path"
    );
}
