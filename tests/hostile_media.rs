//! Hostile or damaged media (issue 18): links out of the snapshot, FIFOs and sockets, names
//! that are not valid Unicode, zips inside zips, and disc file systems that cut names.

use encoding_rs::ISO_2022_JP;
use lifeboat::ingest::{FileOutcome, IngestOptions, ingest};
use lifeboat::model::{Clinical, Record, RecordStatus};
use lifeboat::report::{FileStatus, IngestReport, Severity};
use lifeboat::source::Snapshot;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

#[path = "common/viewer.rs"]
mod viewer;

fn msh(kind: &str, control: &str) -> String {
    format!("MSH|^~\\&|HIS|SEND|GW|RCV|20240401090000||{kind}|{control}|P|2.5||||||~ISO IR87||ISO 2022-1994")
}

/// A patient master message for `pid` with one allergy.
fn adt00(pid: &str) -> Vec<u8> {
    let segs = [
        msh("ADT^A08^ADT_A01", "A00"),
        "EVN||20240401090000".into(),
        format!("PID|0001||{pid}^^^^PI||山田^花子^^^^^L^I||19700101|F"),
        "PV1|0001|O".into(),
        "AL1|1|DA^薬剤アレルギー^HL70127|1^ペニシリン^99XYZ".into(),
    ];
    let text = segs.join("\r") + "\r";
    let (bytes, _, bad) = ISO_2022_JP.encode(&text);
    assert!(!bad);
    bytes.into_owned()
}

/// `ID[0:3]/ID[3:6]/ID/-/ADT-00/ID_-_ADT-00_..._-_1`.
fn adt00_rel(pid: &str) -> String {
    format!(
        "{}/{}/{pid}/-/ADT-00/{pid}_-_ADT-00_999999999999999_20240401090000000_-_1",
        &pid[..3],
        &pid[3..6]
    )
}

fn put(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, bytes).expect("write");
    p
}

struct Seen {
    path: String,
    status: FileStatus,
    records: Vec<Record>,
}

struct Run {
    report: IngestReport,
    files: Vec<Seen>,
}

/// Ingests on another thread: a hang (a FIFO opened) fails the test instead of stopping it.
fn run(paths: &[PathBuf]) -> Run {
    let paths = paths.to_vec();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut snap = Snapshot::open(&paths).expect("open snapshot");
        let mut files = Vec::new();
        let report = ingest(&mut snap, &IngestOptions::default(), |o: &FileOutcome| {
            files.push(Seen {
                path: o.path.clone(),
                status: o.status,
                records: o.records.clone(),
            })
        });
        let _ = tx.send(Run { report, files });
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the ingest finished within 60 s (no FIFO opened, no walk of the machine)")
}

impl Run {
    fn dump(&self) -> String {
        let mut s = String::new();
        for f in &self.files {
            s.push_str(&format!("  {:?} {}\n", f.status, f.path));
        }
        for p in &self.report.problems {
            s.push_str(&format!("  {p}\n"));
        }
        s
    }

    fn file(&self, path: &str) -> &Seen {
        self.files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no file {path:?}:\n{}", self.dump()))
    }

    /// The one error line about `path`, which must say all of `words`.
    fn error_about(&self, path: &str, words: &[&str]) {
        let found = self.report.problems.iter().any(|p| {
            p.path == path && p.severity == Severity::Error && words.iter().all(|w| p.message.contains(w))
        });
        assert!(
            found,
            "no error about {path:?} saying {words:?}:\n{}",
            self.dump()
        );
    }

    fn patients(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .files
            .iter()
            .flat_map(|f| f.records.iter().map(|r| r.patient_id.clone()))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

// ---------------------------------------------------------------------------------------------
// Links and special files

#[cfg(unix)]
#[test]
fn links_out_of_the_snapshot_are_listed_not_followed() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("media");
    let outside = tmp.path().join("laptop");
    put(&root, &adt00_rel("1234567"), &adt00("1234567"));
    // Outside the snapshot: a secret and a whole storage of another patient.
    let secret = put(&outside, "shadow", b"SECRET-ROOT-HASH-0123456789\r");
    put(
        &outside,
        &format!("storage/{}", adt00_rel("7654321")),
        &adt00("7654321"),
    );
    // An SS-MIX2-named link to the secret, a folder link out, and a link up out of the root.
    let named = "999/999/9999999/-/ADT-00/9999999_-_ADT-00_999999999999999_20240401090000000_-_1";
    std::fs::create_dir_all(root.join("999/999/9999999/-/ADT-00")).expect("mkdir");
    symlink(&secret, root.join(named)).expect("symlink");
    symlink(outside.join("storage"), root.join("other")).expect("symlink");
    symlink("..", root.join("up")).expect("symlink");
    // Links inside the snapshot are still followed (a snapshot may be assembled with them).
    std::fs::create_dir_all(root.join("links")).expect("mkdir");
    symlink(root.join("123"), root.join("links/123")).expect("symlink");
    symlink(root.join(adt00_rel("1234567")), root.join("copy.hl7")).expect("symlink");

    let r = run(std::slice::from_ref(&root));
    assert_eq!(r.patients(), ["1234567"], "{}", r.dump());
    for link in [named, "other", "up"] {
        assert_eq!(r.file(link).status, FileStatus::Rejected, "{}", r.dump());
        r.error_about(link, &["outside the snapshot", "not followed"]);
    }
    // Nothing of the target reaches the report (or the index, which stores it).
    let report = serde_json::to_string(&r.report).expect("json");
    assert!(!report.contains("SECRET"), "{report}");
    // The in-root links: the same patient under other paths, read.
    let twice = format!("links/{}", adt00_rel("1234567"));
    assert_ne!(r.file(&twice).status, FileStatus::Rejected, "{}", r.dump());
    assert_eq!(
        r.file("copy.hl7").status,
        FileStatus::MappedWithWarnings,
        "{}",
        r.dump()
    );
    assert_eq!(r.report.files_total, 6);
    assert_eq!(r.report.files_rejected, 3);
    assert!(r.report.is_consistent());

    // Provenance from the media cannot name a file out of it either.
    let snap = Snapshot::open(std::slice::from_ref(&root)).expect("open");
    assert!(snap.read_path(named).is_err());
    assert!(
        snap.read_path(&format!("other/{}", adt00_rel("7654321")))
            .is_err()
    );
    assert!(snap.read_path(&twice).is_ok());
}

#[cfg(unix)]
#[test]
fn fifos_and_sockets_are_never_opened() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("media");
    put(&root, &adt00_rel("1234567"), &adt00("1234567"));
    let fifo_name = "123/456/1234567/-/ADT-00/1234567_-_ADT-00_999999999999999_20240402090000000_-_2";
    let status = std::process::Command::new("mkfifo")
        .arg(root.join(fifo_name))
        .arg(root.join("export.ndjson"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let _socket = std::os::unix::net::UnixListener::bind(root.join("sock")).expect("socket");

    let r = run(std::slice::from_ref(&root));
    assert_eq!(r.report.files_total, 4, "{}", r.dump());
    assert_eq!(r.report.files_rejected, 3);
    r.error_about(fifo_name, &["FIFO", "never opened"]);
    r.error_about("export.ndjson", &["FIFO", "never opened"]);
    r.error_about("sock", &["socket", "never opened"]);
    assert_eq!(r.file(&adt00_rel("1234567")).status, FileStatus::Mapped);

    // A FIFO given as the snapshot itself: a clear error, no hang.
    let fifo = root.join("export.ndjson");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Snapshot::open(&[fifo]).err().map(|e| e.to_string()));
    });
    let err = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("no hang")
        .expect("an error");
    assert!(err.contains("FIFO"), "{err}");
    // And among other roots, it is one rejected file.
    let r = run(&[root.join("123"), root.join("export.ndjson")]);
    assert_eq!(r.report.files_rejected, 2, "{}", r.dump());
    assert_eq!(r.patients(), ["1234567"]);
}

#[cfg(unix)]
#[test]
fn shift_jis_folder_names_are_read_and_shown_decoded() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("media");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("検査部門");
    let folder = root.join(std::ffi::OsStr::from_bytes(&sjis));
    put(&folder, &adt00_rel("1234567"), &adt00("1234567"));

    let r = run(std::slice::from_ref(&root));
    let shown = format!("検査部門/{}", adt00_rel("1234567"));
    let f = r.file(&shown);
    assert_eq!(f.status, FileStatus::Mapped, "{}", r.dump());
    assert_eq!(r.patients(), ["1234567"]);
    assert!(
        f.records
            .iter()
            .any(|rec| matches!(&rec.data, Clinical::Allergy(a) if a.allergen.text == "ペニシリン"))
    );
    assert!(f.records.iter().all(|rec| rec.status == RecordStatus::Current));
    // The source text is found again by the shown path (元データ).
    let snap = Snapshot::open(std::slice::from_ref(&root)).expect("open");
    assert_eq!(
        snap.read_path(&shown).expect("read by shown path"),
        adt00("1234567")
    );
}

// ---------------------------------------------------------------------------------------------
// Disc file systems that cut or map names

/// A generated hospital (every file name is a full SS-MIX2 name with its condition flag).
fn generated(dir: &Path) -> PathBuf {
    let out = dir.join("generated");
    let opts = lifeboat::synth::GenOptions {
        out: out.clone(),
        patients: 40,
        days: 200,
        seed: 18,
        end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    };
    lifeboat::synth::generate(&opts).unwrap_or_else(|e| panic!("{e:#}"));
    out
}

/// Copies `from` to `to`, each path component renamed by `rename(name, is_file)`. Names that
/// collide after renaming keep the first file (as a disc would hold only one).
fn copy_renamed(from: &Path, to: &Path, rename: &dyn Fn(&str, bool) -> String) -> u64 {
    let mut collisions = 0;
    let mut stack = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((src, dst)) = stack.pop() {
        std::fs::create_dir_all(&dst).expect("mkdir");
        for e in std::fs::read_dir(&src).expect("read_dir") {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let is_file = e.file_type().expect("type").is_file();
            let target = dst.join(rename(&name, is_file));
            if is_file {
                if target.exists() {
                    collisions += 1;
                } else {
                    std::fs::copy(e.path(), &target).expect("copy");
                }
            } else {
                stack.push((e.path(), target));
            }
        }
    }
    collisions
}

/// A record's identity across two copies of one storage: who, which message, which segments
/// (not the data type: a file that lost the layout is typed by its message).
type Key = (String, String, Vec<u32>);

fn key(r: &Record) -> Key {
    (
        r.patient_id.clone(),
        r.provenance.message_id.clone(),
        r.provenance.segments.clone(),
    )
}

fn records(r: &Run) -> Vec<&Record> {
    r.files.iter().flat_map(|f| f.records.iter()).collect()
}

/// Records that are not current on the intact media must not be current on the mangled one.
fn assert_nothing_stale_becomes_current(intact: &Run, mangled: &Run) {
    let not_current: std::collections::HashSet<Key> = records(intact)
        .into_iter()
        .filter(|r| r.status != RecordStatus::Current)
        .map(key)
        .collect();
    let cancelled_orders = records(intact)
        .into_iter()
        .filter(|r| r.status == RecordStatus::Cancelled && matches!(r.data, Clinical::MedicationOrder(_)))
        .count();
    assert!(cancelled_orders > 0, "the generated storage has cancelled orders");
    let wrong: Vec<&Record> = records(mangled)
        .into_iter()
        .filter(|r| r.status == RecordStatus::Current && not_current.contains(&key(r)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} cancelled or superseded records read as current, e.g. {:?}",
        wrong.len(),
        wrong.first().map(|r| (&r.provenance.file, r.summary()))
    );
}

fn assert_media_warning(r: &Run) {
    assert_eq!(
        r.report.media_warning(),
        Some("この媒体はファイル名が切り詰められています。取消・旧版を判別できません")
    );
    let text = lifeboat::cli::check::render(&r.report);
    assert!(
        text.starts_with("！ この媒体はファイル名が切り詰められています。取消・旧版を判別できません\n"),
        "{text}"
    );
    let said = r
        .report
        .problems
        .iter()
        .filter(|p| p.message.contains("ファイル名が切り詰められています"))
        .count();
    assert_eq!(said, 1, "said once");
}

#[test]
fn joliet_names_cut_at_64_characters_are_never_current() {
    let tmp = tempfile::tempdir().expect("tmp");
    let intact = generated(tmp.path());
    let joliet = tmp.path().join("joliet");
    let cut = |name: &str, _: bool| name.chars().take(64).collect::<String>();
    // Content folders of extended storage (vitals) cut to one name merge, as a disc would
    // have to rename them: the copy keeps one file of each such collision.
    let collided = copy_renamed(&intact, &joliet, &cut);

    let before = run(std::slice::from_ref(&intact));
    assert_eq!(before.report.media_warning(), None);
    let after = run(std::slice::from_ref(&joliet));
    assert_media_warning(&after);
    assert_nothing_stale_becomes_current(&before, &after);
    let m = after.report.mangled_names.clone().expect("mangled names");
    assert!(m.cut_at_64 > 100, "{m:?}");
    assert_eq!(m.iso9660, 0);
    // Every file on the copy is still accounted, and its records are there, as status unknown.
    assert_eq!(after.report.files_total + collided, before.report.files_total);
    assert!(after.report.record_status.get("unknown").copied().unwrap_or(0) > 100);
    // Files whose names were short enough keep their flags.
    assert!(after.report.record_status.get("current").copied().unwrap_or(0) > 0);
}

#[test]
fn iso9660_names_upper_case_with_version_suffixes_are_never_current() {
    let tmp = tempfile::tempdir().expect("tmp");
    let intact = generated(tmp.path());
    let iso = tmp.path().join("iso");
    // Level 2: 31 characters, upper case, `-` mapped to `_`, `;1` on files.
    let map = |name: &str, is_file: bool| {
        let mapped: String = name.to_uppercase().replace('-', "_").chars().take(29).collect();
        if is_file { format!("{mapped};1") } else { mapped }
    };
    copy_renamed(&intact, &iso, &map);

    let before = run(std::slice::from_ref(&intact));
    let after = run(std::slice::from_ref(&iso));
    assert_media_warning(&after);
    assert_nothing_stale_becomes_current(&before, &after);
    let m = after.report.mangled_names.clone().expect("mangled names");
    assert!(m.iso9660 > 100, "{m:?}");
    assert!(after.report.is_consistent());
    assert_eq!(
        after.report.record_status.get("current"),
        None,
        "{:?}",
        after.report.record_status
    );
    assert!(after.report.record_status.get("unknown").copied().unwrap_or(0) > 100);

    // The same disc as Linux shows it without Rock Ridge: lower case, no `;1`.
    let linux = tmp.path().join("linux");
    let lower = |name: &str, _: bool| name.to_lowercase().replace('-', "_").chars().take(31).collect();
    copy_renamed(&intact, &linux, &lower);
    let after = run(std::slice::from_ref(&linux));
    assert_media_warning(&after);
    assert_nothing_stale_becomes_current(&before, &after);
    assert_eq!(after.report.record_status.get("current"), None);
}

// ---------------------------------------------------------------------------------------------
// Zips inside zips

fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zw.start_file(*name, options).expect("zip entry");
        zw.write_all(bytes).expect("zip write");
    }
    zw.finish().expect("zip finish").into_inner()
}

#[test]
fn zips_inside_zips_are_read_to_a_bounded_depth_and_the_rest_is_counted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let deepest = zip_bytes(&[(&adt00_rel("3333333"), &adt00("3333333"))]);
    let inner = zip_bytes(&[
        (&adt00_rel("2222222"), &adt00("2222222")),
        // By content, whatever the name.
        ("deeper.bin", &deepest),
    ]);
    let outer = zip_bytes(&[
        (&adt00_rel("1111111"), &adt00("1111111")),
        ("month/inner.zip", &inner),
    ]);
    let given = tmp.path().join("outer.zip");
    std::fs::write(&given, &outer).expect("write");

    let r = run(std::slice::from_ref(&given));
    assert_eq!(r.patients(), ["1111111", "2222222"], "{}", r.dump());
    let f = r.file(&format!("month/inner.zip/{}", adt00_rel("2222222")));
    assert_eq!(f.status, FileStatus::Mapped);
    // The third level is one rejected file that says why, not an info line.
    assert_eq!(r.file("month/inner.zip/deeper.bin").status, FileStatus::Rejected);
    r.error_about(
        "month/inner.zip/deeper.bin",
        &["nested more than 2 deep", "not read"],
    );
    assert_eq!((r.report.files_total, r.report.files_rejected), (3, 1));
    // The source text of a file inside the inner archive is found again.
    let snap = Snapshot::open(std::slice::from_ref(&given)).expect("open");
    let mut snap = snap;
    let _ = snap.list();
    let shown = format!("month/inner.zip/{}", adt00_rel("2222222"));
    assert_eq!(snap.read_path(&shown).expect("read"), adt00("2222222"));

    // The same archive inside a folder: one level more is read from the folder's archive.
    let root = tmp.path().join("media");
    put(&root, "backup/outer.zip", &outer);
    let r = run(std::slice::from_ref(&root));
    assert_eq!(r.patients(), ["1111111", "2222222"], "{}", r.dump());
    r.error_about(
        "backup/outer.zip/month/inner.zip/deeper.bin",
        &["nested more than 2 deep"],
    );
    // Listing again visits the same files in the same order.
    let mut snap = Snapshot::open(std::slice::from_ref(&root)).expect("open");
    let (first, _) = snap.list();
    let mut again = Vec::new();
    let _ = snap.relist_each(|f| {
        again.push((f.root, f.path));
        std::ops::ControlFlow::Continue(())
    });
    let first: Vec<(usize, String)> = first.into_iter().map(|f| (f.root, f.path)).collect();
    assert_eq!(first, again);
    assert_eq!(first.len(), 3);
}

/// The NHO sample with one message's name cut as a Joliet disc cuts a longer name.
fn nho_with_a_cut_name(dir: &Path) -> PathBuf {
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples/ssmix2/nho-testing-tool/sampleData");
    let to = dir.join("sampleData");
    let full = "9999013_20110701_OMP-01_000000011000185_20110701224603984_010101_1";
    let cut: String = full.chars().take(64).collect();
    copy_renamed(&from, &to, &|name: &str, _| {
        if name.starts_with("9999013_20110701_OMP-01_000000011000185_") {
            cut.clone()
        } else {
            name.to_string()
        }
    });
    to
}

#[test]
fn the_viewer_says_so_once_in_red_at_the_top() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    let tmp = tempfile::tempdir().expect("tmp");
    let root = nho_with_a_cut_name(tmp.path());
    let r = run(std::slice::from_ref(&root));
    assert_media_warning(&r);
    // The cut file's prescription is there, of unknown version; every other file keeps its flag.
    let cut = r
        .files
        .iter()
        .find(|f| f.path.contains("_OMP-01_000000011000185_"))
        .expect("the cut file");
    assert!(
        cut.records
            .iter()
            .any(|x| matches!(x.data, Clinical::MedicationOrder(_)))
    );
    assert!(cut.records.iter().all(|x| x.status == RecordStatus::Unknown));
    r.error_about(&cut.path.clone(), &[]);
    let unknown = records(&r)
        .iter()
        .filter(|x| x.status == RecordStatus::Unknown)
        .count();
    assert_eq!(unknown, cut.records.len());
    let options = viewer::options(vec![root], tmp.path().join("index"));
    let mut h = viewer::harness(Harness::builder(), options, egui::vec2(1400.0, 1000.0), ());
    h.run();
    let shown = h
        .query_all_by_label_contains("この媒体はファイル名が切り詰められています。取消・旧版を判別できません")
        .count();
    assert_eq!(shown, 1);
}

/// A pack part's member listing comes from the media: it may name files its solid entry does
/// not hold, or claim an ordinary entry as solid. The first are listed and fail when read,
/// naming the file; the second claim is ignored and the entry read as itself.
#[test]
fn a_lying_member_listing_neither_hides_files_nor_breaks_the_read() {
    use lifeboat::pack::solid;
    use std::io::Write;
    let tmp = tempfile::tempdir().expect("tempdir");
    let inner = solid::build([("p/a.txt", b"abc".to_vec())].into_iter()).expect("inner");
    let path = tmp.path().join("snapshot.001.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file(solid::entry_name("p"), deflated).expect("start");
    zip.write_all(&inner).expect("write");
    zip.start_file("x/y.txt", deflated).expect("start");
    zip.write_all(b"plain").expect("write");
    zip.start_file(solid::MEMBERS, deflated).expect("start");
    zip.write_all(
        b"lifeboat-members 1\n@.lifeboat-solid/p.zip\np/a.txt\t3\np/ghost.txt\t5\n@x/y.txt\nfake\t1\n",
    )
    .expect("write");
    zip.finish().expect("finish");

    let mut snap = Snapshot::open(std::slice::from_ref(&path)).expect("opens");
    let (files, _) = snap.list();
    let names: Vec<String> = files.iter().map(|f| snap.display_path(f)).collect();
    assert_eq!(names, vec!["p/a.txt", "p/ghost.txt", "x/y.txt"]);
    let read = |name: &str| snap.read(files.iter().find(|f| f.path == name).expect("listed"));
    assert_eq!(read("p/a.txt").expect("member"), b"abc");
    assert_eq!(read("x/y.txt").expect("plain entry"), b"plain");
    let err = read("p/ghost.txt")
        .expect_err("not in the solid entry")
        .to_string();
    assert!(err.contains("p/ghost.txt"), "{err}");
    assert_eq!(snap.read_path("p/a.txt").expect("by path"), b"abc");
}
