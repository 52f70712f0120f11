//! An index is never silently stale, damaged or written onto the media: the CLI checks the
//! snapshot's listing before answering (unless `--trust-index`) and rebuilds on a change; a
//! damaged index says so and is rebuilt; a full disk says so; a prebuilt index on a real
//! read-only mount is used as it is, reading a few MB; the viewer's header says whether the
//! index was checked and offers 再作成.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lifeboat::index::{DAMAGED, Freshness, OpenOptions, Origin, Rebuilt, SnapshotIndex};
use lifeboat::model::Clinical;
use lifeboat::progress::Progress;
use lifeboat::synth::{GenOptions, generate};
use lifeboat::ui::LifeboatApp;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "common/viewer.rs"]
mod viewer;

fn nho() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

const ADT00: &str = "999/901/9999013/-/ADT-00/9999013_-_ADT-00_999999999999999_20111220224447339_-_1";
const OMP01: &str =
    "999/901/9999013/20110701/OMP-01/9999013_20110701_OMP-01_000000011000185_20110701224603984_01_1";
const NEW_DAY: &str =
    "999/901/9999013/20111221/OMP-01/9999013_20111221_OMP-01_000000011000999_20111221090000000_01_1";

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

/// A new penicillin-class allergy appended to the patient's ADT-00 (before the trailing file
/// separator the sample ends with).
fn append_allergy(snap: &Path) {
    let path = snap.join(ADT00);
    let mut bytes = std::fs::read(&path).expect("ADT-00");
    let tail = bytes
        .iter()
        .rposition(|b| *b == b'\r')
        .map_or(bytes.len(), |i| i + 1);
    let rest = bytes.split_off(tail);
    bytes.extend_from_slice(b"AL1|2|DA|2^CEFAZOLIN^99XYZ\r");
    bytes.extend_from_slice(&rest);
    std::fs::write(&path, bytes).expect("append AL1");
}

fn allergens(idx: &SnapshotIndex) -> Vec<String> {
    idx.records("9999013")
        .expect("records")
        .iter()
        .filter_map(|r| match &r.data {
            Clinical::Allergy(a) => Some(a.allergen.display().to_string()),
            _ => None,
        })
        .collect()
}

fn open(roots: Vec<PathBuf>, index_dir: &Path, verify_first: bool) -> (SnapshotIndex, Progress) {
    let progress = Progress::new();
    let idx = SnapshotIndex::open(
        &OpenOptions {
            roots,
            index_dir: Some(index_dir.to_path_buf()),
            verify_first,
            ..Default::default()
        },
        &progress,
    )
    .expect("opens");
    (idx, progress)
}

fn lifeboat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .env("LIFEBOAT_OPERATOR", "テスト 太郎/T0001/医師")
        .env(
            "LIFEBOAT_AUDIT_LOG",
            std::env::temp_dir().join("lifeboat-tests-audit.jsonl"),
        )
        .args(args)
        .output()
        .expect("lifeboat runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn show_answers_from_the_files_after_an_allergy_is_appended() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let snap = tmp.path().join("snap");
    copy_dir(&nho(), &snap);
    let index = tmp.path().join("index");
    let (s, i) = (snap.to_string_lossy(), index.to_string_lossy());
    let built = lifeboat(&["index", &s, "--index", &i]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    append_allergy(&snap);

    // Trusted, the old index answers and stderr says it was not checked.
    let trusted = lifeboat(&[
        "show",
        "9999013",
        "--snapshot",
        &s,
        "--index",
        &i,
        "--trust-index",
    ]);
    assert!(trusted.status.success(), "{}", text(&trusted.stderr));
    assert!(!text(&trusted.stdout).contains("CEFAZOLIN"));
    assert!(
        text(&trusted.stderr).contains("not checked against the snapshot's files (--trust-index)"),
        "{}",
        text(&trusted.stderr)
    );

    // Checked (the default), the change is found, the index rebuilt and the allergy shown.
    let checked = lifeboat(&["show", "9999013", "--snapshot", &s, "--index", &i]);
    let err = text(&checked.stderr);
    assert!(checked.status.success(), "{err}");
    assert!(
        text(&checked.stdout).contains("CEFAZOLIN"),
        "{}",
        text(&checked.stdout)
    );
    assert!(
        err.contains("元データが変更されています。索引を再作成します"),
        "{err}"
    );

    // Again: now the index matches, and stderr says it was checked.
    let again = lifeboat(&["search", "9999013", "--snapshot", &s, "--index", &i]);
    let err = text(&again.stderr);
    assert!(
        err.contains("index: checked, the snapshot's 22 files match it"),
        "{err}"
    );
    assert!(!err.contains("再作成"), "{err}");
}

#[test]
fn a_file_in_a_new_date_folder_makes_the_index_stale() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let snap = tmp.path().join("snap");
    copy_dir(&nho(), &snap);
    let index = tmp.path().join("index");
    let (first, _) = open(vec![snap.clone()], &index, true);
    assert_eq!(first.origin(), Origin::Built);
    let before = first.records("9999013").expect("records").len();
    drop(first);
    // The top level of the snapshot does not change: only the full listing sees this.
    let target = snap.join(NEW_DAY);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    std::fs::copy(snap.join(OMP01), &target).expect("copy");

    let (unchecked, _) = open(vec![snap.clone()], &index, false);
    assert_eq!(unchecked.origin(), Origin::Reopened);
    assert_eq!(unchecked.freshness(), Freshness::Unchecked);
    assert!(!unchecked.verify().expect("verify"), "the listing differs");
    drop(unchecked);

    let (checked, progress) = open(vec![snap.clone()], &index, true);
    assert_eq!(checked.origin(), Origin::Built);
    assert_eq!(checked.rebuilt(), Some(&Rebuilt::Changed));
    assert_eq!(checked.freshness(), Freshness::Matches);
    assert_eq!(checked.report().files_total, 23);
    assert!(checked.records("9999013").expect("records").len() > before);
    assert_eq!(
        progress.note().as_deref(),
        Some("元データが変更されています。索引を再作成します")
    );
}

#[test]
fn a_prebuilt_index_is_checked_against_the_media() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let media = tmp.path().join("media");
    copy_dir(&nho(), &media);
    let (pre, _) = open(vec![media.clone()], &media.join(".lifeboat-index"), false);
    drop(pre);
    let local = tmp.path().join("local");
    let (fresh, _) = open(vec![media.clone()], &local, true);
    assert_eq!(fresh.origin(), Origin::Prebuilt);
    assert_eq!(fresh.freshness(), Freshness::Matches);
    assert_eq!(fresh.check().map(|c| c.files), Some(22));
    drop(fresh);

    append_allergy(&media);
    let (stale, _) = open(vec![media.clone()], &local, true);
    assert_eq!(stale.origin(), Origin::Built, "rebuilt locally, not on the media");
    assert_eq!(stale.rebuilt(), Some(&Rebuilt::Changed));
    assert!(stale.index_dir().starts_with(&local));
    assert!(allergens(&stale).iter().any(|a| a == "CEFAZOLIN"));
}

/// Ways an index folder gets damaged (disk errors, a half-copied USB stick, someone tidying).
fn damage(dir: &Path, how: &str) {
    let segment_file = |ext: &str| {
        std::fs::read_dir(dir.join("records"))
            .expect("records")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            .unwrap_or_else(|| panic!("a .{ext} file"))
    };
    match how {
        "truncated store" => {
            let p = segment_file("store");
            let len = std::fs::metadata(&p).expect("meta").len();
            let f = std::fs::OpenOptions::new().write(true).open(&p).expect("open");
            f.set_len(len / 2).expect("truncate");
        }
        "truncated postings" => {
            let p = segment_file("idx");
            let len = std::fs::metadata(&p).expect("meta").len();
            let f = std::fs::OpenOptions::new().write(true).open(&p).expect("open");
            f.set_len(len.saturating_sub(3)).expect("truncate");
        }
        "missing segment file" => std::fs::remove_file(segment_file("fast")).expect("rm"),
        "garbage tantivy meta" => {
            std::fs::write(dir.join("patients/meta.json"), b"{\"segments\":[garbage").expect("write")
        }
        "garbage lifeboat meta" => {
            std::fs::write(dir.join("lifeboat-index.json"), [0xff, 0xfe, 0]).expect("write")
        }
        "missing marker" => std::fs::remove_file(dir.join("COMPLETE")).expect("rm"),
        other => panic!("{other}"),
    }
}

const DAMAGES: [&str; 6] = [
    "truncated store",
    "truncated postings",
    "missing segment file",
    "garbage tantivy meta",
    "garbage lifeboat meta",
    "missing marker",
];

#[test]
fn a_damaged_index_is_said_and_rebuilt() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for how in DAMAGES {
        let index = tmp.path().join(how.replace(' ', "-"));
        let (built, _) = open(vec![nho()], &index, false);
        assert_eq!(built.origin(), Origin::Built);
        drop(built);
        damage(&index, how);
        let (idx, progress) = open(vec![nho()], &index, false);
        assert_eq!(idx.origin(), Origin::Built, "{how}");
        assert!(
            matches!(idx.rebuilt(), Some(Rebuilt::Damaged(_))),
            "{how}: {:?}",
            idx.rebuilt()
        );
        let note = progress.note().unwrap_or_default();
        assert!(note.starts_with(DAMAGED), "{how}: {note}");
        assert!(allergens(&idx).iter().any(|a| a == "ペニシリン"), "{how}");
        drop(idx);
        let (reopened, _) = open(vec![nho()], &index, true);
        assert_eq!(
            reopened.origin(),
            Origin::Reopened,
            "{how}: the rebuilt index is whole"
        );
    }
}

#[test]
fn the_cli_says_a_damaged_index_is_rebuilt() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    let i = index.to_string_lossy();
    let s = nho().to_string_lossy().into_owned();
    assert!(lifeboat(&["index", &s, "--index", &i]).status.success());
    damage(&index, "truncated store");
    let out = lifeboat(&["show", "9999013", "--snapshot", &s, "--index", &i]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("索引が壊れています。再作成します"), "{err}");
    assert!(text(&out.stdout).contains("ペニシリン"));
}

#[test]
fn a_folder_that_is_not_an_index_is_never_replaced() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mine = tmp.path().join("documents");
    std::fs::create_dir_all(&mine).expect("mkdir");
    std::fs::write(mine.join("letter.txt"), b"keep me").expect("write");
    for rebuild in [false, true] {
        let err = SnapshotIndex::open(
            &OpenOptions {
                roots: vec![nho()],
                index_dir: Some(mine.clone()),
                rebuild,
                ..Default::default()
            },
            &Progress::new(),
        )
        .err()
        .map(|e| format!("{e:#}"))
        .expect("refused");
        assert!(err.contains("not a Lifeboat index folder"), "{err}");
        assert_eq!(
            std::fs::read(mine.join("letter.txt")).expect("still there"),
            b"keep me"
        );
    }
}

fn hospital(dir: &Path, patients: u32, days: u32) -> PathBuf {
    let out = dir.join("ssmix2");
    generate(&GenOptions {
        out: out.clone(),
        patients,
        days,
        seed: 5,
        end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    })
    .expect("generates");
    out
}

/// A mount made for a test, undone when dropped (even when the test fails).
struct Mounted(PathBuf);

impl Mounted {
    fn run(args: &[&str]) -> bool {
        Command::new("mount")
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Root only; `None` (the test says it is skipped) where mounting is not allowed.
    fn new(args: &[&str], target: &Path) -> Option<Mounted> {
        std::fs::create_dir_all(target).ok()?;
        let t = target.to_string_lossy();
        let mut all: Vec<&str> = args.to_vec();
        all.push(&t);
        Self::run(&all).then(|| Mounted(target.to_path_buf()))
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Bytes this thread read through read(2) and friends (`rchar`): the snapshot's files are
/// read that way, so a rebuild shows up here.
fn rchar() -> u64 {
    std::fs::read_to_string("/proc/thread-self/io")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("rchar: "))
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn snapshot_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

#[test]
fn a_prebuilt_index_on_a_read_only_mount_is_used_without_rebuilding() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let snap = hospital(tmp.path(), 60, 365);
    let (pre, _) = open(vec![snap.clone()], &snap.join(".lifeboat-index"), false);
    let patient = pre.some_patients(1).expect("patients")[0].id.clone();
    drop(pre);
    let media = tmp.path().join("media");
    let Some(_bind) = Mounted::new(&["--bind", &snap.to_string_lossy()], &media) else {
        eprintln!("SKIPPED: mounting needs root (mount --bind); CI runs as root");
        return;
    };
    if !Mounted::run(&["-o", "remount,ro,bind", &media.to_string_lossy()]) {
        eprintln!("SKIPPED: could not remount {} read-only", media.display());
        return;
    }
    assert!(
        std::fs::write(media.join("probe"), b"x").is_err(),
        "the mount is read-only, even for root"
    );
    let total = snapshot_bytes(&snap);
    let local = tmp.path().join("local");
    let before = rchar();
    let (idx, _) = open(vec![media.clone()], &local, true);
    let records = idx.records(&patient).expect("records");
    let read = rchar() - before;
    assert_eq!(idx.origin(), Origin::Prebuilt, "{:?}", idx.rebuilt());
    assert_eq!(idx.freshness(), Freshness::Matches);
    assert!(!records.is_empty());
    assert!(!local.exists(), "no local index was made");
    // A rebuild reads every file of the snapshot at least once.
    assert!(
        total > 5_000_000,
        "the snapshot is big enough to tell: {total} bytes"
    );
    eprintln!("read-only open: {read} bytes read of a {total}-byte snapshot");
    assert!(read < 1_000_000, "read {read} bytes of a {total}-byte snapshot");

    // The CLI the same way: checked, prebuilt, no rebuild.
    let m = media.to_string_lossy();
    let out = lifeboat(&[
        "show",
        &patient,
        "--snapshot",
        &m,
        "--index",
        &local.to_string_lossy(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("using the prebuilt index on the media"), "{err}");
    assert!(err.contains("index: checked"), "{err}");
    assert!(!local.exists(), "no local index was made");
}

#[test]
fn a_full_disk_is_said_and_leaves_no_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let snap = hospital(tmp.path(), 60, 120);
    let small = tmp.path().join("small");
    let Some(_tmpfs) = Mounted::new(&["-t", "tmpfs", "-o", "size=1m", "tmpfs"], &small) else {
        eprintln!("SKIPPED: mounting a 1 MB tmpfs needs root; CI runs as root");
        return;
    };
    let index = small.join("index");
    let err = SnapshotIndex::open(
        &OpenOptions {
            roots: vec![snap],
            index_dir: Some(index.clone()),
            ..Default::default()
        },
        &Progress::new(),
    )
    .err()
    .map(|e| format!("{e:#}"))
    .expect("the build cannot fit in 1 MB");
    assert!(err.starts_with("ディスクの空きが足りません"), "{err}");
    assert!(err.contains(&small.to_string_lossy().into_owned()), "{err}");
    let left: Vec<_> = std::fs::read_dir(&small)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "nothing half-built is left: {left:?}");
}

fn viewer(roots: Vec<PathBuf>, index_dir: PathBuf) -> Harness<'static, Option<LifeboatApp>> {
    let options = viewer::options(roots, index_dir);
    viewer::harness(Harness::builder(), options, egui::vec2(1400.0, 1000.0), ())
}

fn has(h: &Harness<'_, Option<LifeboatApp>>, label: &str) -> bool {
    h.query_all_by_label_contains(label).next().is_some()
}

#[test]
fn the_viewer_header_says_whether_the_index_matches_and_rebuilds_in_one_click() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let snap = tmp.path().join("snap");
    copy_dir(&nho(), &snap);
    let index = tmp.path().join("index");
    drop(open(vec![snap.clone()], &index, false));

    // Unchanged: opened from the index, checked (inline here), 確認済み.
    let mut h = viewer(vec![snap.clone()], index.clone());
    h.run();
    assert!(has(&h, "索引 確認済み"));
    assert!(!has(&h, "元データが変更されています"));
    drop(h);

    append_allergy(&snap);
    let mut h = viewer(vec![snap.clone()], index.clone());
    h.run();
    assert!(has(&h, "元データが変更されています"));
    assert!(!has(&h, "索引 確認済み"));
    // The stale index is a verification warning: in the audit log.
    h.state()
        .as_ref()
        .and_then(|a| a.audit())
        .expect("audit log")
        .flush();
    let log = std::fs::read_to_string(index.with_extension("audit.jsonl")).expect("log");
    assert!(
        log.lines()
            .any(|l| l.contains("\"event\":\"warning\"") && l.contains("元データが変更されています")),
        "{log}"
    );
    h.get_by_label("再作成").click();
    h.run();
    h.run();
    assert!(has(&h, "索引 確認済み"), "rebuilt from the files");
    assert!(!has(&h, "元データが変更されています"));
    let app = h.state().as_ref().expect("app");
    let idx = app.snapshot().expect("open");
    assert_eq!(idx.origin(), Origin::Built);
    assert_eq!(idx.index_dir(), index.as_path(), "rebuilt in the same folder");
    assert!(allergens(idx).iter().any(|a| a == "CEFAZOLIN"));
}
