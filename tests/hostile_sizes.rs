//! Hostile sizes and shapes (issue 18, items 3 and 4): memory that follows one entry, not the
//! file, and lists that do not grow with hostile repetition. Memory is asserted as a count:
//! the peak of live heap bytes, measured by a counting allocator in this test binary.

use encoding_rs::ISO_2022_JP;
use lifeboat::fhir::{self, Format, PatientIndex};
use lifeboat::model::{Clinical, MAX_OTHER_IDS, MAX_OTHER_NAMES, Record};
use lifeboat::report::{Problem, Severity};
use lifeboat::ssmix2::layout;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Live heap bytes and their peak since the last [`reset_peak`].
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The peak is process-wide: tests run one at a time.
static MEASURE: Mutex<()> = Mutex::new(());

/// Runs `f` and returns its result with the peak heap growth (bytes) while it ran.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

const MB: usize = 1024 * 1024;

const PATIENT: &str = r#"{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"1001"}],"name":[{"text":"山田 太郎"}],"gender":"male","birthDate":"1950-01-01"}"#;

fn observation(i: usize) -> String {
    format!(
        r#"{{"resourceType":"Observation","id":"o{i}","status":"final","code":{{"coding":[{{"system":"http://loinc.org","code":"2345-7"}}]}},"subject":{{"reference":"Patient/p1"}},"effectiveDateTime":"2024-01-01","valueQuantity":{{"value":{},"unit":"mg/dL"}}}}"#,
        90 + i % 50
    )
}

fn observation_bundle(n: usize) -> Vec<u8> {
    let mut s = String::from(r#"{"resourceType":"Bundle","type":"collection","entry":["#);
    s.push_str(&format!(
        r#"{{"fullUrl":"http://x/fhir/Patient/p1","resource":{PATIENT}}}"#
    ));
    for i in 0..n {
        s.push_str(&format!(r#",{{"resource":{}}}"#, observation(i)));
    }
    s.push_str("]}");
    s.into_bytes()
}

fn index_for(path: &str, bytes: &[u8]) -> PatientIndex {
    let found = fhir::scan::scan(bytes);
    PatientIndex::build(
        Default::default(),
        rayon::iter::IntoParallelIterator::into_par_iter(vec![(path.to_string(), found)]),
    )
}

#[test]
fn a_million_empty_entries_take_megabytes_and_are_all_counted() {
    let _one = MEASURE.lock();
    let n = 1_000_000;
    let body = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[{}]}}"#,
        vec!["{}"; n].join(",")
    );
    let index = PatientIndex::default();
    let (o, peak) = peak_during(|| fhir::read_file("empty.json", body.as_bytes(), Format::Json, &index));
    // Before: the whole Bundle as one fhirbolt model plus a problem line per entry, 2 GB.
    assert!(peak < 48 * MB, "peak heap {} MB", peak / MB);
    assert_eq!(o.resources[fhir::NO_RESOURCE].unmapped, n as u64);
    assert_eq!(o.resources["Bundle"].mapped, 1);
    // Listed up to the cap, the rest summed up in one line that says how many.
    assert_eq!(o.problems.len(), fhir::MAX_FILE_PROBLEMS + 1);
    let last = o.problems.last().map(|p| p.message.clone()).unwrap_or_default();
    assert!(
        last.starts_with(&format!("{} more problems", n - fhir::MAX_FILE_PROBLEMS)),
        "{last}"
    );
    assert_eq!(o.problems[5].place, "entry[5]");
}

#[test]
fn a_bundle_of_observations_is_handed_on_in_parts() {
    let _one = MEASURE.lock();
    let n = 30_000;
    let body = observation_bundle(n);
    let index = index_for("obs.json", &body);
    let mut parts = Vec::new();
    let mut flush =
        |records: Vec<Record>, problems: Vec<Problem>| parts.push((records.len(), problems.len()));
    let (last, peak) =
        peak_during(|| fhir::read_file_parts("obs.json", &body, Format::Json, &index, &mut flush));
    // Every record is handed on, none held beyond a part.
    let handed: usize = parts.iter().map(|p| p.0).sum::<usize>() + last.records.len();
    assert_eq!(handed, n + 1);
    assert!(parts.len() >= n / fhir::PART_RECORDS, "{} parts", parts.len());
    assert!(parts.iter().all(|p| p.0 <= fhir::PART_RECORDS));
    assert!(last.records.len() <= fhir::PART_RECORDS);
    assert_eq!(last.resources["Observation"].mapped, n as u64);
    assert_eq!(last.patient_id.as_deref(), Some("1001"));
    // The file is 6 MB; whole, its fhirbolt model and records took about 20 times that.
    assert!(
        peak < 40 * MB,
        "peak heap {} MB for {} MB",
        peak / MB,
        body.len() / MB
    );
}

/// NDJSON produced line by line, never held whole: a reader over generated lines.
struct Lines {
    next: usize,
    n: usize,
    pending: Vec<u8>,
    at: usize,
}

impl Read for Lines {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.pending.len() {
            if self.next > self.n {
                return Ok(0);
            }
            self.pending = if self.next == 0 {
                format!("{PATIENT}\n").into_bytes()
            } else {
                format!("{}\n", observation(self.next)).into_bytes()
            };
            self.next += 1;
            self.at = 0;
        }
        let k = buf.len().min(self.pending.len() - self.at);
        buf[..k].copy_from_slice(&self.pending[self.at..self.at + k]);
        self.at += k;
        Ok(k)
    }
}

#[test]
fn ndjson_is_read_line_by_line_from_a_reader() {
    let _one = MEASURE.lock();
    let n = 40_000;
    let lines = || Lines {
        next: 0,
        n,
        pending: Vec::new(),
        at: 0,
    };
    let mut found = fhir::scan::Found::default();
    fhir::scan::scan_ndjson(&mut lines(), &mut found).expect("generated lines");
    assert_eq!(found.patients.len(), 1);
    assert_eq!(found.patients[0].0, "line 1");
    let index = PatientIndex::build(
        Default::default(),
        rayon::iter::IntoParallelIterator::into_par_iter(vec![("big.ndjson".to_string(), found)]),
    );
    let mut handed = 0;
    let mut flush = |records: Vec<Record>, _: Vec<Problem>| handed += records.len();
    let (last, peak) =
        peak_during(|| fhir::read_ndjson_stream("big.ndjson", 0, &mut lines(), &index, &mut flush));
    assert_eq!(handed + last.records.len(), n + 1);
    assert_eq!(last.resources["Observation"].mapped, n as u64);
    assert!(last.records.iter().all(|r| r.patient_id == "1001"));
    // About 8 MB of lines; a part of records and one line at a time are held.
    assert!(peak < 24 * MB, "peak heap {} MB", peak / MB);
}

#[test]
fn an_overlong_ndjson_line_is_rejected_and_the_next_one_read() {
    let _one = MEASURE.lock();
    let filler = fhir::MAX_LINE_BYTES + 1000;
    let head = br#"{"resourceType":"Observation","note":""#;
    let tail = format!("\"}}\n{PATIENT}\n");
    let mut reader = head
        .as_slice()
        .chain(std::io::repeat(b'a').take(filler as u64))
        .chain(tail.as_bytes());
    let index = PatientIndex::default();
    let mut flush = |_: Vec<Record>, _: Vec<Problem>| {};
    let (o, peak) =
        peak_during(|| fhir::read_ndjson_stream("long.ndjson", 0, &mut reader, &index, &mut flush));
    assert_eq!(o.resources["Observation"].rejected, 1);
    assert_eq!(o.resources["Patient"].mapped, 1);
    let p = &o.problems[0];
    assert_eq!((p.place.as_str(), p.severity), ("line 1", Severity::Error));
    assert!(p.message.contains("longer than"), "{}", p.message);
    // The overlong line is buffered up to the limit once, never more.
    assert!(
        peak < fhir::MAX_LINE_BYTES * 2 + 8 * MB,
        "peak heap {} MB",
        peak / MB
    );
}

// ---------------------------------------------------------------------------------------------
// Lists that hostile repetition would make long (and every step over them quadratic).

fn hl7_file(pid_line: &str) -> (String, Vec<u8>) {
    let path = "999/901/9999013/-/ADT-00/9999013_-_ADT-00_999999999999999_20240401090000000_-_1";
    let text = [
        "MSH|^~\\&|HIS|SEND|GW|RCV|20240401090000||ADT^A08^ADT_A01|A00|P|2.5||||||~ISO IR87||ISO 2022-1994",
        "EVN||20240401090000",
        pid_line,
        "PV1|0001|O",
    ]
    .join("\r")
        + "\r";
    let (bytes, _, _) = ISO_2022_JP.encode(&text);
    (path.to_string(), bytes.into_owned())
}

fn master(o: &lifeboat::ingest::FileOutcome) -> &lifeboat::model::Patient {
    o.records
        .iter()
        .find_map(|r| match &r.data {
            Clinical::Patient(p) => Some(p),
            _ => None,
        })
        .expect("a patient master record")
}

#[test]
fn pid_3_repetitions_are_kept_up_to_the_cap_and_counted() {
    let _one = MEASURE.lock();
    let n = 100_000;
    let ids: Vec<String> = (0..n).map(|i| format!("X{i}^^^^PI")).collect();
    let (path, bytes) = hl7_file(&format!(
        "PID|0001||{}||山田^太郎^^^^^L^I||19700101|F",
        ids.join("~")
    ));
    let o = lifeboat::ssmix2::read_file(&path, &bytes, &layout::place(&path), None);
    let p = master(&o);
    assert_eq!(p.other_ids.len(), MAX_OTHER_IDS);
    assert_eq!(p.other_ids[0], "X0");
    let dropped = n - MAX_OTHER_IDS;
    assert!(
        o.problems
            .iter()
            .any(|p| p.message.contains(&format!("{dropped} more identifiers"))),
        "{:?}",
        o.problems.iter().map(|p| &p.message).collect::<Vec<_>>()
    );
    // The mismatch line names a few IDs, not 100,000.
    assert!(o.problems.iter().all(|p| p.message.len() < 500));
}

#[test]
fn pid_5_repetitions_are_kept_distinct_up_to_the_cap() {
    let _one = MEASURE.lock();
    let names: Vec<String> = (0..20_000).map(|i| format!("別名{i}^花子^^^^^A^I")).collect();
    let (path, bytes) = hl7_file(&format!(
        "PID|0001||9999013^^^^PI||山田^太郎^^^^^L^I~山田^太郎^^^^^L^I~{}||19700101|F",
        names.join("~")
    ));
    let o = lifeboat::ssmix2::read_file(&path, &bytes, &layout::place(&path), None);
    let p = master(&o);
    assert_eq!(p.other_names.len(), MAX_OTHER_NAMES);
    assert_eq!(p.other_names[0].name.family, "別名0");
}

#[test]
fn a_fhir_patient_with_200k_identifiers_keeps_the_cap() {
    let _one = MEASURE.lock();
    let n = 200_000;
    let idents: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"system":"http://example.org/ids/{i}","value":"v{i}"}}"#))
        .collect();
    let body = format!(
        r#"{{"resourceType":"Patient","id":"p1","identifier":[{{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"1001"}},{}]}}"#,
        idents.join(",")
    );
    let index = index_for("p.json", body.as_bytes());
    let o = fhir::read_file("p.json", body.as_bytes(), Format::Json, &index);
    let p = master(&o);
    assert_eq!(p.id, "1001");
    assert_eq!(p.other_ids.len(), MAX_OTHER_IDS);
    assert_eq!(p.other_ids[0], "http://example.org/ids/0|v0");
    assert!(
        o.problems.iter().any(|p| p
            .message
            .contains(&format!("{} more identifiers", n + 1 - MAX_OTHER_IDS))),
        "{:?}",
        o.problems
    );
}

#[test]
fn an_xml_bundle_too_large_to_parse_whole_is_refused_with_a_line() {
    let _one = MEASURE.lock();
    let n = fhir::MAX_XML_ENTRIES + 10;
    let body = format!(
        r#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>{}</Bundle>"#,
        "<entry/>".repeat(n)
    );
    let index = PatientIndex::default();
    let (o, peak) = peak_during(|| fhir::read_file("big.xml", body.as_bytes(), Format::Xml, &index));
    // Before: parsed whole, 2.6 KB per empty entry.
    assert!(peak < 8 * MB, "peak heap {} MB", peak / MB);
    assert_eq!(o.status, lifeboat::report::FileStatus::Rejected);
    assert_eq!(o.resources["Bundle"].rejected, 1);
    assert!(
        o.problems[0].message.contains(&format!("{n} entries")),
        "{}",
        o.problems[0].message
    );
}

#[test]
fn thousands_of_namesakes_list_a_few_each() {
    let _one = MEASURE.lock();
    let n = 3_000;
    let ids: Vec<String> = (0..n).map(|i| format!("{i:05}")).collect();
    let same = lifeboat::chart::identity::same_names(
        ids.iter().map(|id| (id.as_str(), "佐藤 花子", "サトウ ハナコ")),
    );
    assert_eq!(same.len(), n);
    let max = lifeboat::chart::identity::MAX_NAMESAKES;
    // Before: each listed the other 2,999 (n² entries in all).
    assert!(same.values().all(|others| others.len() == max));
    assert_eq!(same["00000"][0], "00001");
    assert!(!same["00005"].contains(&"00005".to_string()));
}
