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

fn msh(kind: &str, control: &str) -> String {
    format!(
        "MSH|^~\\&|HIS|SEND|GW|RCV|20240401090000||{kind}|{control}|P|2.5||||||~ISO IR87||ISO 2022-1994"
    )
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
        assert!(found, "no error about {path:?} saying {words:?}:\n{}", self.dump());
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
    put(&outside, &format!("storage/{}", adt00_rel("7654321")), &adt00("7654321"));
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
    assert_eq!(r.file("copy.hl7").status, FileStatus::MappedWithWarnings, "{}", r.dump());
    assert_eq!(r.report.files_total, 6);
    assert_eq!(r.report.files_rejected, 3);
    assert!(r.report.is_consistent());

    // Provenance from the media cannot name a file out of it either.
    let snap = Snapshot::open(std::slice::from_ref(&root)).expect("open");
    assert!(snap.read_path(named).is_err());
    assert!(snap.read_path(&format!("other/{}", adt00_rel("7654321"))).is_err());
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
    assert_eq!(snap.read_path(&shown).expect("read by shown path"), adt00("1234567"));
}
