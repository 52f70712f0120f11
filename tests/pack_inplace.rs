//! The index shipped in a pack is read in place from the media (issue 15): the same answers as
//! the copy unsealed to the laptop before, plain and encrypted; nothing written anywhere; a
//! flipped byte in `index.zip` stops the answer with 改ざんの疑い; opening and one chart read a
//! small part of `index.zip`.

use lifeboat::index::{CacheConfig, OpenOptions, Origin, SnapshotIndex};
use lifeboat::pack::{OpenedPack, PackOptions, PackReport, pack};
use lifeboat::progress::Progress;
use lifeboat::synth::{DEFAULT_END, GenOptions, generate};
use std::io::Read;
use std::path::{Path, PathBuf};

const PASS: &str = "その場で開く 2026";

fn hospital(dir: &Path, patients: u32, days: u32) -> PathBuf {
    let out = dir.join("storage");
    generate(&GenOptions {
        out: out.clone(),
        patients,
        days,
        seed: 11,
        end: chrono::NaiveDate::parse_from_str(DEFAULT_END, "%Y-%m-%d").expect("date"),
    })
    .expect("generate");
    out
}

fn pack_into(src: &Path, out: &Path, passphrase: Option<&str>) -> PackReport {
    let mut o = PackOptions::new(out.to_path_buf(), "テスト病院".into());
    o.passphrase = passphrase.map(str::to_string);
    o.work_factor = 10;
    pack(&[src.to_path_buf()], &o, &Progress::new()).expect("pack")
}

fn opened(dir: &Path, passphrase: Option<&str>) -> OpenedPack {
    if let Some(p) = passphrase {
        lifeboat::pack::keyring::unlock(dir, p).expect("unlocks");
    }
    lifeboat::pack::open::open(dir).expect("a pack").expect("opens")
}

/// The pack's index as the laptop used it before: every entry of the sealed `index.zip`
/// copied to a folder, then opened from there.
fn unsealed_copy(p: &OpenedPack, into: &Path) -> SnapshotIndex {
    let name = p.manifest.index.clone().expect("an index");
    let mut zip = zip::ZipArchive::new(p.seal.open(&p.dir.join(name)).expect("reader")).expect("zip");
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).expect("entry");
        let out = into.join(e.enclosed_name().expect("plain name"));
        if e.is_dir() {
            continue;
        }
        std::fs::create_dir_all(out.parent().expect("parent")).expect("mkdir");
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).expect("read");
        std::fs::write(&out, bytes).expect("write");
    }
    SnapshotIndex::open(
        &OpenOptions {
            roots: vec![p.dir.clone()],
            index_dir: Some(into.to_path_buf()),
            ignore_prebuilt: true,
            ..Default::default()
        },
        &Progress::new(),
    )
    .expect("the copy opens")
}

fn in_place(p: &OpenedPack, data: &Path) -> SnapshotIndex {
    SnapshotIndex::open(
        &OpenOptions {
            roots: vec![p.dir.clone()],
            index_dir: Some(data.join("idx")),
            pack: Some(p.clone()),
            ..Default::default()
        },
        &Progress::new(),
    )
    .expect("opens in place")
}

/// Every file below `dir` with its size and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((e.path().to_path_buf(), m.len(), m.modified().ok()?))
        })
        .collect();
    out.sort();
    out
}

fn set_read_only(dir: &Path, read_only: bool) {
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        let mut perm = e.metadata().expect("metadata").permissions();
        perm.set_readonly(read_only);
        std::fs::set_permissions(e.path(), perm).expect("chmod");
    }
}

#[test]
fn the_index_read_in_place_answers_as_the_unsealed_copy_plain_and_encrypted_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = hospital(tmp.path(), 25, 300);
    for (label, pass) in [("plain", None), ("encrypted", Some(PASS))] {
        let report = pack_into(&src, &tmp.path().join(format!("media-{label}")), pass);
        let p = opened(&report.dir, pass);
        let reference = unsealed_copy(&p, &tmp.path().join(format!("copy-{label}")));

        let data = tmp.path().join(format!("data-{label}"));
        std::fs::create_dir(&data).expect("mkdir");
        set_read_only(&report.dir, true);
        let before = listing(&report.dir);
        let index = in_place(&p, &data);
        assert_eq!(index.origin(), Origin::Prebuilt);
        assert!(
            index.index_dir().starts_with(&report.dir),
            "{label}: {}",
            index.index_dir().display()
        );
        assert_eq!(index.patient_count(), reference.patient_count(), "{label}");
        assert!(index.patient_count() >= 20, "{label}: {}", index.patient_count());
        assert_eq!(
            serde_json::to_value(index.census()).expect("json"),
            serde_json::to_value(reference.census()).expect("json"),
            "{label}"
        );

        let patients = reference.some_patients(1000).expect("patients");
        assert_eq!(patients.len(), index.patient_count(), "{label}");
        let mut records = 0;
        for hit in patients.iter().step_by(3) {
            let want = reference.records(&hit.id).expect("records");
            assert!(!want.is_empty(), "{label}: {} has records", hit.id);
            records += want.len();
            assert_eq!(
                index.records(&hit.id).expect("records"),
                want,
                "{label}: {}",
                hit.id
            );
            assert_eq!(
                index.facts(&hit.id).expect("facts"),
                reference.facts(&hit.id).expect("facts"),
                "{label}: {}",
                hit.id
            );
            assert_eq!(
                index.patient(&hit.id).expect("patient").as_ref(),
                Some(hit),
                "{label}"
            );
        }
        assert!(records > 100, "{label}: {records} records compared");
        let family = patients[0]
            .name_kanji
            .split([' ', '　'])
            .next()
            .unwrap_or_default()
            .to_string();
        for q in [family.as_str(), &patients[1].id[..3], "1950", "錠", "肺炎"] {
            let want = reference.search(q, 20).expect("search");
            assert_eq!(index.search(q, 20).expect("search"), want, "{label}: {q}");
        }
        assert!(
            !reference.search(&family, 20).expect("search").is_empty(),
            "{label}: {family}"
        );

        assert_eq!(
            listing(&report.dir),
            before,
            "{label}: the pack folder is untouched"
        );
        assert!(
            std::fs::read_dir(&data).expect("data").next().is_none(),
            "{label}: nothing in the data folder"
        );
        assert!(p.alarm.raised().is_none(), "{label}");
        set_read_only(&report.dir, false);
    }
}

/// The entry of `index.zip` (plain) with the most bytes: (data start, size).
fn largest_entry(path: &Path) -> (String, u64, u64) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut best = (String::new(), 0, 0);
    for i in 0..zip.len() {
        let e = zip.by_index(i).expect("entry");
        if e.size() > best.2 {
            best = (
                e.name().expect("name").to_string(),
                e.data_start().expect("data start"),
                e.size(),
            );
        }
    }
    best
}

/// Opening and one chart read a handful of blocks of `index.zip`, whatever its size: counted
/// in 64 KiB blocks (what tantivy asks for), and in the default 1 MiB blocks (what the media
/// is read and checked in: each a seek on a DVD).
fn open_and_one_chart_read_a_few_blocks(p: &OpenedPack, id: &str) {
    let zip_len = std::fs::metadata(p.dir.join(p.manifest.index.clone().expect("index")))
        .expect("size")
        .len();
    let fine = CacheConfig {
        block_bytes: 64 << 10,
        ..CacheConfig::default()
    };
    for (cache, open_blocks, chart_blocks) in [(fine, 14, 8), (CacheConfig::default(), 6, 4)] {
        let index = SnapshotIndex::open_pack_with(p.clone(), cache, &Progress::new()).expect("opens");
        let opened = index.packed_index_reads().expect("read in place");
        let chart = index.chart(id).expect("chart");
        assert!(chart.records().len() > 10, "{id}: {}", chart.records().len());
        let after = index.packed_index_reads().expect("read in place");
        eprintln!("index.zip {zip_len} bytes, {cache:?}: open {opened:?}; open + chart {after:?}");
        // Open reads the end of each file (footers, term dictionary and store indexes); the
        // chart its postings and store blocks (a patient's records lie in as many places as
        // the build had writer threads).
        assert!(opened.misses <= open_blocks, "{opened:?}");
        assert!(
            after.misses > opened.misses,
            "the chart read blocks the open had not"
        );
        assert!(after.misses - opened.misses <= chart_blocks, "{after:?}");
        assert!(after.bytes_read <= after.misses * cache.block_bytes as u64);
        // The same chart again reads nothing.
        index.chart(id).expect("chart");
        let again = index.packed_index_reads().expect("stats");
        assert_eq!((again.misses, again.bytes_read), (after.misses, after.bytes_read));
        assert!(again.hits > after.hits);
        // Far below the file's size (the block counts above are the real bound; with the
        // zstd store this test index is 3.4 MB, so the footers read at open weigh more).
        if cache == fine {
            assert!(
                after.bytes_read * 5 < zip_len,
                "open + one chart read {} of {zip_len} bytes",
                after.bytes_read
            );
        }
    }
}

#[test]
fn a_few_blocks_are_read_and_a_flipped_byte_in_the_shipped_index_is_tamper_not_a_wrong_answer() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Enough patients for a records store of more than two 1 MiB check blocks (zstd).
    let src = hospital(tmp.path(), 160, 400);
    let report = pack_into(&src, &tmp.path().join("media"), None);
    let p = opened(&report.dir, None);
    let reference = unsealed_copy(&p, &tmp.path().join("copy"));
    // The same patient whatever order the build wrote: the first ID with more than ten records.
    let mut ids: Vec<String> = reference
        .some_patients(1000)
        .expect("patients")
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    let id = ids
        .iter()
        .find(|id| reference.records(id).expect("records").len() > 10)
        .expect("a patient with records");
    open_and_one_chart_read_a_few_blocks(&p, id);
    let zip_path = report.dir.join(p.manifest.index.clone().expect("index"));
    let (entry, start, size) = largest_entry(&zip_path);
    assert!(entry.ends_with(".store"), "{entry}");
    // Its middle then shares no check block with the files either side, whose ends open reads.
    assert!(
        size > 2 << 20,
        "{entry}: {size} bytes, more than two check blocks"
    );
    let at = start + size / 2;
    let mut bytes = std::fs::read(&zip_path).expect("read");
    bytes[at as usize] ^= 0x04;
    std::fs::write(&zip_path, &bytes).expect("write");

    let index = in_place(&p, tmp.path());
    assert!(
        p.alarm.raised().is_none(),
        "opening does not read the middle of {entry}"
    );
    let mut failed = None;
    for hit in reference.some_patients(1000).expect("patients") {
        match index.records(&hit.id) {
            Ok(got) => assert_eq!(got, reference.records(&hit.id).expect("records"), "{}", hit.id),
            Err(e) => {
                failed = Some(format!("{e:#}"));
                break;
            }
        }
    }
    let err = failed.expect("some patient's records are in the flipped block");
    assert!(err.contains("改ざんの疑い"), "{err}");
    assert!(err.contains(&entry), "the entry is named: {err}");
    let bad = p.alarm.raised().expect("the alarm is raised");
    let block = at >> 20;
    assert_eq!(bad.path, p.manifest.index.clone().expect("index"));
    assert!(bad.reason.contains(&format!("block {block} ")), "{}", bad.reason);
    // Searches give the reference's answer, or fail the same way when they read that block.
    for q in ["肺炎", "錠", "1950"] {
        match index.search(q, 5000) {
            Ok(hits) => assert_eq!(hits, reference.search(q, 5000).expect("search"), "{q}"),
            Err(e) => assert!(format!("{e:#}").contains("改ざんの疑い"), "{q}: {e:#}"),
        }
    }
}
