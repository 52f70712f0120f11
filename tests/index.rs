//! The index: every query form finds the right patient (NHO sample and generated hospital),
//! charts and sources read back, reopening is instant, an interrupted build is never served,
//! and a prebuilt index on read-only media is opened without writing.

use lifeboat::index::{OpenOptions, Origin, SnapshotIndex};
use lifeboat::model::{Clinical, RecordKind};
use lifeboat::progress::{Progress, Stage};
use lifeboat::synth::{GenOptions, generate};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

fn open(roots: Vec<PathBuf>, index_dir: &Path) -> SnapshotIndex {
    let options = OpenOptions {
        roots,
        index_dir: Some(index_dir.to_path_buf()),
        ..Default::default()
    };
    SnapshotIndex::open(&options, &Progress::new()).expect("index opens")
}

fn ids(idx: &SnapshotIndex, q: &str) -> Vec<String> {
    idx.search(q, 20)
        .expect("search")
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn nho_patient_by_every_query_form() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = open(vec![nho()], &tmp.path().join("idx"));
    assert_eq!(idx.origin(), Origin::Built);
    // The ID exactly, first, and its beginning.
    assert_eq!(ids(&idx, "9999013").first().map(String::as_str), Some("9999013"));
    assert_eq!(ids(&idx, "99990"), ["9999013"]);
    // ID-prefix matches in ID order.
    assert_eq!(ids(&idx, "0"), ["0000001"]);
    // Kanji, kana in any script and order. The sample has a second 患者 太郎 (0000001).
    for q in [
        "患者",
        "患者 太郎",
        "太郎 患者",
        "カンジャ",
        "かんじゃ",
        "ｶﾝｼﾞｬ",
        "ｶﾝｼﾞｬ ﾀﾛｳ",
        "タロウ カンジャ",
        "かんじゃ たろう",
    ] {
        let found = ids(&idx, q);
        assert!(found.contains(&"9999013".to_string()), "{q}: {found:?}");
        assert!(found.contains(&"0000001".to_string()), "{q}: {found:?}");
    }
    // Birth date 1948-04-05 in every written form, alone and combined with a name.
    for q in [
        "1948-04-05",
        "19480405",
        "1948/4/5",
        "昭和23年4月5日",
        "S23.4.5",
        "カンジャ 1948",
        "かんじゃ S23.4.5",
    ] {
        assert_eq!(ids(&idx, q), ["9999013"], "{q}");
    }
    // Free text over records: who had ダーゼン, and what matched.
    let hits = idx.search("ダーゼン", 20).expect("search");
    let h = hits
        .iter()
        .find(|h| h.id == "9999013")
        .expect("ダーゼン finds 9999013");
    assert!(
        h.matched.iter().any(|m| m.contains("ダーゼン")),
        "{:?}",
        h.matched
    );
    assert!(ids(&idx, "存在しない名前").is_empty());
    // A lab result is found by its test's name, not by its value or time.
    let hits = idx.search("総蛋白", 20).expect("search");
    let h = hits
        .iter()
        .find(|h| h.id == "9999013")
        .expect("総蛋白 finds 9999013");
    assert!(h.matched.iter().any(|m| m.contains("総蛋白")), "{:?}", h.matched);
    assert!(ids(&idx, "7.2 g/dL").is_empty());
    // Queries that find a patient by ID, name or birth date list patients only, even when
    // they find fewer than asked for: no record matches.
    for q in [
        "9999013",
        "99990",
        "患者 太郎",
        "カンジャ",
        "1948-04-05",
        "昭和23年4月5日",
        "かんじゃ S23.4.5",
    ] {
        let hits = idx.search(q, 20).expect("search");
        assert!(!hits.is_empty(), "{q}");
        assert!(hits.iter().all(|h| h.matched.is_empty()), "{q}: {hits:?}");
    }
    // A part that can only be a year, a date or an ID asks for a patient: the word next to it
    // is not looked up in the records.
    assert!(ids(&idx, "ダーゼン 1948").is_empty());
    assert!(ids(&idx, "ダーゼン 1948-04-05").is_empty());
}

#[test]
fn nho_chart_census_and_sources_from_the_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    let idx = open(vec![nho()], &dir);
    assert_eq!(idx.report().files_total, 22);
    assert_eq!(
        idx.as_of().map(|t| t.to_iso()).as_deref(),
        Some("2011-12-20T22:44:47.339")
    );
    let p = idx.patient("9999013").expect("lookup").expect("9999013");
    assert_eq!(
        (p.name_kanji.as_str(), p.name_kana.as_str()),
        ("患者 太郎", "カンジャ タロウ")
    );
    let records = idx.records("9999013").expect("records");
    let allergens: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.data {
            Clinical::Allergy(a) => Some(a.allergen.display().to_string()),
            _ => None,
        })
        .collect();
    for a in ["スギ", "ソバ", "アリナミン"] {
        assert!(allergens.iter().any(|x| x == a), "{a} in {allergens:?}");
    }
    let dates: Vec<_> = records.iter().filter_map(|r| r.date()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    let lab = records
        .iter()
        .find(|r| matches!(&r.data, Clinical::LabResult(l) if l.test.display() == "総蛋白"))
        .expect("総蛋白");
    let src = idx.source_text(lab).expect("source");
    assert!(src.contains("MSH|") && src.contains("総蛋白"), "{src}");
    // The census: the NHO patient's last transfer came after his discharge and names no
    // admission (入院状況不明), so nobody is on the ward list at the data time.
    let census = idx.census();
    assert_eq!(census.len(), 0, "{census:?}");

    // Reopening uses the finished index and finds the same data.
    drop(idx);
    let progress = Progress::new();
    let again = SnapshotIndex::open(
        &OpenOptions {
            roots: vec![nho()],
            index_dir: Some(dir),
            ..Default::default()
        },
        &progress,
    )
    .expect("reopens");
    assert_eq!(again.origin(), Origin::Reopened);
    assert_eq!(progress.view().files_done, 0, "nothing re-read");
    assert_eq!(again.records("9999013").expect("records").len(), records.len());
    assert!(again.verify().expect("verify"), "the sample did not change");
}

fn small_hospital(dir: &Path, patients: u32, days: u32) -> PathBuf {
    let out = dir.join("ssmix2");
    generate(&GenOptions {
        out: out.clone(),
        patients,
        days,
        seed: 11,
        end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    })
    .expect("generates");
    out
}

#[test]
fn generated_patients_by_id_name_and_birth_date() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let snap = small_hospital(tmp.path(), 30, 90);
    let idx = open(vec![snap], &tmp.path().join("idx"));
    assert!(idx.patient_count() >= 30);
    let mut checked = 0;
    for n in [0u32, 7, 19, 29] {
        let id = format!("{:010}", 10_001 + n);
        let p = idx
            .patient(&id)
            .expect("lookup")
            .unwrap_or_else(|| panic!("{id} indexed"));
        let birth = p.birth_date.expect("birth date").date();
        let (kf, kg) = p.name_kanji.split_once(' ').expect("kanji family and given");
        let (rf, rg) = p.name_kana.split_once(' ').expect("kana family and given");
        let era = lifeboat::search::era::format(birth).expect("era");
        let queries = [
            id.clone(),
            id[..9].to_string(),
            format!("{kf} {kg}"),
            format!("{kg} {kf}"),
            format!("{rf} {rg}"),
            format!("{rg} {rf}"),
            birth.format("%Y-%m-%d").to_string(),
            birth.format("%Y%m%d").to_string(),
            era,
            format!("{rf} {}", birth.format("%Y")),
        ];
        for q in &queries {
            let found = ids(&idx, q);
            assert!(found.contains(&id), "{q} should find {id}: {found:?}");
        }
        assert_eq!(ids(&idx, &id).first(), Some(&id), "exact ID ranks first");
        // Typed without the leading zeros.
        assert_eq!(ids(&idx, id.trim_start_matches('0')).first(), Some(&id));
        checked += 1;
    }
    assert_eq!(checked, 4);
    // A drug someone was given finds them by free text.
    let records = idx.records("0000010001").expect("records");
    if let Some(drug) = records.iter().find_map(|r| match &r.data {
        Clinical::MedicationOrder(m) => Some(m.drug.display().to_string()),
        _ => None,
    }) {
        let hits = idx.search(&drug, 200).expect("search");
        let h = hits
            .iter()
            .find(|h| h.id == "0000010001")
            .unwrap_or_else(|| panic!("{drug} finds 0000010001"));
        assert!(!h.matched.is_empty(), "{drug}: what matched is shown");
    }
    // The generated patients' names and IDs find them without record matches.
    let p = idx.patient("0000010001").expect("lookup").expect("indexed");
    for q in [p.name_kanji.as_str(), p.name_kana.as_str(), "0000010001", "10001"] {
        let hits = idx.search(q, 200).expect("search");
        assert!(hits.iter().any(|h| h.id == "0000010001"), "{q}");
        assert!(hits.iter().all(|h| h.matched.is_empty()), "{q}: {hits:?}");
    }
    assert!(records.iter().any(|r| r.kind() == RecordKind::LabResult));
}

#[test]
fn an_interrupted_build_is_never_served_and_is_rebuilt() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let snap = small_hospital(tmp.path(), 150, 365);
    let dir = tmp.path().join("idx");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .arg("index")
        .arg(&snap)
        .arg("--index")
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("lifeboat index starts");
    // Wait until the build is under way (its scratch folder has segment files), then kill -9.
    let scratch = tmp.path().join(format!("idx.building-{}", child.id()));
    let mut waited = Duration::ZERO;
    while !scratch
        .join("records")
        .read_dir()
        .map(|d| d.count() > 1)
        .unwrap_or(false)
    {
        std::thread::sleep(Duration::from_millis(20));
        waited += Duration::from_millis(20);
        assert!(waited < Duration::from_secs(120), "build never started");
        assert!(
            child.try_wait().expect("poll").is_none(),
            "build finished before it could be killed"
        );
    }
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    assert!(
        !dir.exists(),
        "a killed build leaves no index under the real name"
    );

    let progress = Progress::new();
    let idx = SnapshotIndex::open(
        &OpenOptions {
            roots: vec![snap],
            index_dir: Some(dir),
            ..Default::default()
        },
        &progress,
    )
    .expect("rebuilds");
    assert_eq!(idx.origin(), Origin::Built);
    assert_eq!(progress.view().stage, Stage::Done);
    assert!(idx.patient_count() >= 150);
    assert!(idx.patient("0000010150").expect("lookup").is_some());
    assert!(!scratch.exists(), "the killed build's scratch folder was cleared");
}

/// Every file under `dir` with its size and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out: Vec<_> = walk(dir)
        .into_iter()
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            Some((p, m.len(), m.modified().ok()?))
        })
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            out.extend(walk(&e.path()));
        }
    }
    out
}

fn set_readonly(dir: &Path, readonly: bool) {
    for p in walk(dir) {
        if let Ok(m) = std::fs::metadata(&p) {
            let mut perm = m.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(readonly);
            let _ = std::fs::set_permissions(&p, perm);
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Permission bits only (root ignores them): the real read-only mount is tested in
/// `stale_index.rs`.
#[test]
fn a_prebuilt_index_on_read_only_media_is_opened_without_writing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let media = tmp.path().join("media");
    copy_dir(&nho(), &media);
    // IT staff prepare the media: the index goes inside the snapshot before it is burned.
    let built = open(vec![media.clone()], &media.join(".lifeboat-index"));
    assert_eq!(built.patient_count(), 2);
    drop(built);
    set_readonly(&media, true);
    let before = listing(&media);

    let local = tmp.path().join("local-index");
    let idx = open(vec![media.clone()], &local);
    assert_eq!(idx.origin(), Origin::Prebuilt);
    assert_eq!(idx.search("カンジャ", 5).expect("search").len(), 2);
    let records = idx.records("9999013").expect("records");
    assert!(!records.is_empty());
    assert!(idx.source_text(&records[0]).is_ok());
    assert!(
        idx.verify().expect("verify"),
        "the index folder is not part of the snapshot"
    );
    drop(idx);
    assert_eq!(listing(&media), before, "nothing on the media changed");
    assert!(!local.exists(), "no local copy was made");
    set_readonly(&media, false);
}

#[test]
fn two_opens_at_once_share_one_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let idx = open(vec![nho()], &dir);
                (idx.origin(), idx.patient_count())
            })
        })
        .collect();
    let mut origins: Vec<(Origin, usize)> = handles.into_iter().map(|h| h.join().expect("thread")).collect();
    origins.sort_by_key(|(o, _)| *o as u8);
    assert_eq!(origins, [(Origin::Built, 2), (Origin::Reopened, 2)]);
}
