//! Chart assembly against real files: the NHO sample patient 9999013 (患者 太郎) and the bundled
//! synthetic hospital in sample-data/, checked against the generator and its raw HL7 files.

use chrono::{NaiveDate, NaiveDateTime};
use encoding_rs::ISO_2022_JP;
use lifeboat::chart::{AllergyStatus, Census, PatientChart, test_key};
use lifeboat::ingest::{IngestOptions, ingest};
use lifeboat::model::{AllergyCategory, OrderKind, Patient, Record, RecordKind, Sex, Timestamp};
use lifeboat::report::IngestReport;
use lifeboat::source::Snapshot;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn nho_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/ssmix2/nho-testing-tool/sampleData")
}

fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

struct Loaded {
    report: IngestReport,
    records: BTreeMap<String, Vec<Record>>,
    fallback: HashMap<String, Patient>,
}

fn load(root: &Path) -> Loaded {
    let mut snap = match Snapshot::open(&[root.to_path_buf()]) {
        Ok(s) => s,
        Err(e) => panic!("{}: {e}", root.display()),
    };
    let mut records: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    let mut fallback = HashMap::new();
    let report = ingest(&mut snap, &IngestOptions::default(), |o| {
        for r in &o.records {
            records.entry(r.patient_id.clone()).or_default().push(r.clone());
        }
        if let (Some(id), Some(p)) = (&o.patient_id, &o.demographics) {
            fallback.entry(id.clone()).or_insert_with(|| p.clone());
        }
    });
    Loaded {
        report,
        records,
        fallback,
    }
}

fn chart(l: &Loaded, id: &str, as_of: Option<Timestamp>) -> PatientChart {
    let records = l.records.get(id).cloned().unwrap_or_default();
    PatientChart::build(id, records, as_of).with_fallback_demographics(l.fallback.get(id).cloned())
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse_iso(s).unwrap_or_else(|| panic!("bad timestamp {s}"))
}

#[test]
fn nho_patient_9999013() {
    let l = load(&nho_root());
    let as_of = l.report.as_of;
    assert_eq!(as_of, Some(ts("2011-12-20T22:44:47.339")));
    let c = chart(&l, "9999013", as_of);

    let b = c.banner();
    assert_eq!(b.name_kanji, "患者 太郎");
    assert_eq!(b.name_kana, "カンジャ タロウ");
    assert_eq!(b.sex, Sex::Male);
    assert_eq!(b.birth_date, Some(ts("1948-04-05")));
    assert_eq!(b.age, Some(63));
    assert_eq!(
        b.blood_type.as_ref().map(|t| t.display()),
        Some("A型".to_string())
    );
    assert_eq!(
        b.height.as_ref().map(|h| h.display()),
        Some("167.8 cm".to_string())
    );
    // Admitted 2011-11-20, discharged 2011-12-20 12:00; the transfer sent for 20:00 that day
    // (to 305-1) names no admission: the data cannot tell whether he came back. 入院状況不明,
    // not 入院中, and off the census, with the discharge and the transfer shown as the conflict.
    let stays = c.stays();
    assert_eq!(stays.len(), 2);
    assert_eq!(stays[0].start, Some(ts("2011-11-20T16:00")));
    assert_eq!(stays[0].end, Some(ts("2011-12-20T12:00")));
    assert_eq!(stays[1].start, None);
    assert!(stays[1].uncertain);
    assert!(b.admission.is_none());
    let unclear = c.unclear_stay().unwrap_or_else(|| panic!("no unclear stay"));
    let files: Vec<&str> = unclear
        .records
        .iter()
        .filter_map(|&r| c.record(r))
        .map(|r| r.provenance.data_type.as_str())
        .collect();
    assert_eq!(files, ["ADT-52", "ADT-42"], "{unclear:#?}");
    assert_eq!(c.summary().admission, "入院状況不明");

    let a = c.allergies();
    assert_eq!(a.status, AllergyStatus::Known);
    let names: Vec<&str> = a.items.iter().map(|i| i.allergen.as_str()).collect();
    for n in ["スギ", "ソバ", "アリナミン", "ペニシリン"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(
        a.items[..2].iter().all(|i| i.category == AllergyCategory::Drug),
        "{names:?}"
    );
    assert_eq!(a.items[2].category, AllergyCategory::Food);

    // Orders: ダーゼン錠 in the 2011-07-01 prescription (Rp grouped), nothing active in December.
    let m = c.medications();
    let darzen = m
        .groups
        .iter()
        .find(|g| g.lines.iter().any(|l| l.drug.contains("ダーゼン錠")))
        .unwrap_or_else(|| panic!("no ダーゼン錠 group"));
    assert_eq!(darzen.kind, OrderKind::Prescription);
    assert_eq!(darzen.date.map(|d| d.date()), NaiveDate::from_ymd_opt(2011, 7, 1));
    assert!(
        darzen.header().starts_with("処方 2011-07-01"),
        "{}",
        darzen.header()
    );
    let line = darzen
        .lines
        .iter()
        .find(|l| l.drug.contains("ダーゼン錠"))
        .unwrap_or_else(|| panic!());
    assert_eq!((line.days, line.dose.as_str()), (Some(5), "1 錠"));
    assert!(m.active.is_empty(), "{:?}", m.active);
    // Two days after the start, the 5- and 14-day prescriptions run; the drips (until 23:00
    // on the first day) do not.
    let early = chart(&l, "9999013", Some(ts("2011-07-03T10:00")));
    let active: BTreeSet<&str> = early
        .medications()
        .active
        .iter()
        .map(|a| a.drug.as_str())
        .collect();
    assert_eq!(
        active,
        BTreeSet::from([
            "ダーゼン錠（５mg)",
            "パンスポリンＴ錠（１００mg)",
            "アレピアチン１０倍散"
        ])
    );
    let drip = chart(&l, "9999013", Some(ts("2011-07-01T19:00")));
    assert!(
        drip.medications()
            .active
            .iter()
            .any(|a| a.kind == OrderKind::Injection && a.drug.contains("ソリタ"))
    );

    let t = c.labs();
    let tp = t
        .rows
        .iter()
        .find(|r| r.name == "総蛋白")
        .unwrap_or_else(|| panic!("no 総蛋白 row"));
    let cell = tp.latest().unwrap_or_else(|| panic!("no value"));
    assert_eq!(cell.value, "7.2");
    assert_eq!((tp.unit.as_str(), tp.range.as_str()), ("g/dl", "6.70-8.3"));
    assert_eq!(t.columns[cell.column].time, Some(ts("2011-12-19T15:00")));
    let s = t.series(&tp.key).unwrap_or_else(|| panic!("no series"));
    assert_eq!(s.points.len(), 1);
    assert_eq!((s.points[0].value, s.low, s.high), (7.2, Some(6.7), Some(8.3)));
    assert_eq!(t.rows.len(), 3);

    let p = c.problems();
    assert!(p.active.is_empty());
    assert_eq!(p.resolved.first().map(|x| x.name.as_str()), Some("胃炎"));

    let docs = c.documents();
    let ecg = docs
        .iter()
        .find(|d| d.title.contains("心電図") && d.as_text().contains("心筋虚血疑い"))
        .unwrap_or_else(|| panic!("no ECG report in {docs:#?}"));
    assert_eq!(ecg.kind.label_ja(), "生理検査");

    let census = Census::build(l.records.iter().map(|(k, v)| (k.as_str(), v.as_slice())), as_of);
    let ids: Vec<&str> = census.entries().map(|(_, e)| e.patient_id.as_str()).collect();
    assert!(ids.is_empty(), "{ids:?}");
    // While he was in, he was on the census at his bed.
    let census = Census::build(
        l.records.iter().map(|(k, v)| (k.as_str(), v.as_slice())),
        Some(ts("2011-12-01T10:00")),
    );
    let beds: Vec<(&str, &str)> = census
        .entries()
        .map(|(_, e)| (e.patient_id.as_str(), e.room.as_str()))
        .collect();
    assert_eq!(beds.len(), 1, "{beds:?}");
    assert_eq!(beds[0].0, "9999013");
}

/// A message's segments, decoded, with `|` fields.
fn segments(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let (text, _, _) = ISO_2022_JP.decode(&bytes);
    text.split(['\r', '\n'])
        .filter(|s| !s.is_empty())
        .map(|s| s.split('|').map(str::to_string).collect())
        .collect()
}

fn field(seg: &[String], i: usize) -> &str {
    seg.get(i).map(String::as_str).unwrap_or("")
}

fn comp(f: &str, i: usize) -> &str {
    f.split('^').nth(i - 1).unwrap_or("")
}

fn hl7_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.get(..12)?;
    NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M").ok()
}

/// The patient's current (`_1`) files of one data type.
fn current_files(root: &Path, id: &str, data_type: &str) -> Vec<PathBuf> {
    let dir = root.join(&id[0..3]).join(&id[3..6]).join(id);
    let mut out: Vec<PathBuf> = walkdir(&dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with("_1") && name.contains(&format!("_{data_type}_"))
        })
        .collect();
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Active drugs by reading the generator's current order files directly: prescriptions from
/// TQ1-7 for TQ1-6 days (none without: that is 不明), injections between TQ1-7 and TQ1-8, or
/// from TQ1-7 on without a TQ1-8 when sent with a rate (RXE-23: a continuous infusion; every
/// patient checked here is admitted).
fn raw_active(root: &Path, id: &str, now: NaiveDateTime) -> BTreeSet<(&'static str, String)> {
    let mut out = BTreeSet::new();
    for (dt, kind) in [
        ("OMP-01", OrderKind::Prescription),
        ("OMP-02", OrderKind::Injection),
    ] {
        for f in current_files(root, id, dt) {
            let segs = segments(&f);
            // One group per ORC: its TQ1 says when, its RXE (prescriptions) or RXCs the drugs.
            let mut starts: Vec<usize> = segs
                .iter()
                .enumerate()
                .filter(|(_, s)| field(s, 0) == "ORC")
                .map(|(i, _)| i)
                .collect();
            starts.push(segs.len());
            for w in starts.windows(2) {
                let group = &segs[w[0]..w[1]];
                let control = field(&group[0], 1);
                let tq1 = group.iter().find(|s| field(s, 0) == "TQ1");
                let start = tq1.and_then(|t| hl7_time(field(t, 7)));
                let active = match (kind, start, tq1) {
                    (_, Some(s), Some(_)) if s > now || control != "NW" => false,
                    (OrderKind::Prescription, Some(s), Some(t)) => {
                        let days: Option<u64> = comp(field(t, 6), 1).parse().ok();
                        days.is_some_and(|days| now.date() < s.date() + chrono::Days::new(days))
                    }
                    (OrderKind::Injection, Some(_), Some(t)) => match hl7_time(field(t, 8)) {
                        Some(e) => now <= e,
                        None => group
                            .iter()
                            .any(|s| field(s, 0) == "RXE" && !field(s, 23).is_empty()),
                    },
                    _ => false,
                };
                if !active {
                    continue;
                }
                let drug_seg = if kind == OrderKind::Prescription {
                    "RXE"
                } else {
                    "RXC"
                };
                for s in group.iter().filter(|s| field(s, 0) == drug_seg) {
                    out.insert((kind.label_ja(), comp(field(s, 2), 2).to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn sample_data_census_meds_labs_and_problems_match_the_generator() {
    // The generator, run again with the sample's options, must give the same hospital.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let opts = lifeboat::synth::GenOptions {
        out: tmp.path().join("out"),
        patients: 50,
        days: 365,
        seed: 1,
        end: NaiveDate::parse_from_str(lifeboat::synth::DEFAULT_END, "%Y-%m-%d").unwrap_or_default(),
    };
    let summary = lifeboat::synth::generate(&opts).unwrap_or_else(|e| panic!("{e:#}"));
    let sample = sample_root();
    let files = walkdir(&sample);
    assert_eq!(
        files.len() as u64,
        summary.files,
        "sample-data is not the generator's output"
    );
    assert_eq!(files.len(), 3180);
    assert_eq!(summary.inpatients_at_end, 11);

    let l = load(&sample);
    let as_of = l.report.as_of;
    let now = as_of.map(|t| t.value()).unwrap_or_default();
    // The census needs only encounter and patient records.
    let thin: Vec<(&str, Vec<Record>)> = l
        .records
        .iter()
        .map(|(id, rs)| {
            let keep = rs
                .iter()
                .filter(|r| matches!(r.kind(), RecordKind::Encounter | RecordKind::Patient))
                .cloned()
                .collect();
            (id.as_str(), keep)
        })
        .collect();
    let census = Census::build(thin.iter().map(|(id, rs)| (*id, rs.as_slice())), as_of);
    let mut ids: Vec<String> = census.entries().map(|(_, e)| e.patient_id.clone()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "a patient listed twice");
    assert_eq!(ids, summary.inpatient_ids);
    assert_eq!(census.len() as u32, summary.inpatients_at_end);
    let wards: Vec<(&str, &str, usize)> = census
        .wards
        .iter()
        .map(|w| (w.code.as_str(), w.name.as_str(), w.entries.len()))
        .collect();
    assert_eq!(
        wards,
        [
            ("3E", "3階東病棟", 4),
            ("4W", "4階西病棟", 2),
            ("5E", "5階東病棟", 3),
            ("5W", "5階西病棟", 2)
        ]
    );
    for (w, e) in census.entries() {
        assert!(!w.code.is_empty() && !w.name.is_empty(), "{e:?}");
        assert!(!e.room.is_empty() && !e.bed.is_empty(), "{e:?}");
        assert!(!e.name_kanji.is_empty() && e.admitted.is_some(), "{e:?}");
    }
    // Some inpatient was moved (transfer) and some went out on leave during the stay.
    let charts: Vec<PatientChart> = ids.iter().map(|id| chart(&l, id, as_of)).collect();
    assert!(
        charts
            .iter()
            .any(|c| c.current_stay().is_some_and(|s| s.moves.len() > 1))
    );
    assert!(
        charts
            .iter()
            .any(|c| c.current_stay().is_some_and(|s| !s.leaves.is_empty()))
    );

    // A continuous infusion (syringe pump, no end sent) runs at the export and is shown running.
    assert!(
        charts.iter().any(|c| c
            .medications()
            .active
            .iter()
            .any(|m| m.kind == OrderKind::Injection
                && m.until.is_none()
                && m.drug.contains("ヘパリン")
                && m.route.contains("側管"))),
        "no running heparin drip among the inpatients"
    );
    for (id, c) in ids.iter().zip(&charts) {
        let stay = c.current_stay().unwrap_or_else(|| panic!("{id} not admitted"));
        assert!(c.banner().admission.is_some(), "{id}");
        assert!(
            stay.contains(ts(&now.format("%Y-%m-%dT%H:%M").to_string())),
            "{id}"
        );

        // Active medications: what the current order files say.
        let mine: BTreeSet<(&str, String)> = c
            .medications()
            .active
            .iter()
            .map(|a| (a.kind.label_ja(), a.drug.clone()))
            .collect();
        assert_eq!(mine, raw_active(&sample, id, now), "{id}: active medications");

        // Active problems: PRB rows of the current PPR-01 without a resolution date (PRB-9).
        let mut raw_problems = BTreeSet::new();
        for f in current_files(&sample, id, "PPR-01") {
            for s in segments(&f).iter().filter(|s| field(s, 0) == "PRB") {
                if field(s, 9).is_empty() {
                    raw_problems.insert(comp(field(s, 3), 2).to_string());
                }
            }
        }
        let problems: BTreeSet<String> = c
            .problems()
            .active
            .iter()
            .map(|p| p.name.trim_end_matches("（疑い）").to_string())
            .collect();
        assert!(!problems.is_empty(), "{id}");
        assert_eq!(problems, raw_problems, "{id}: active problems");

        // Lab series: every creatinine in the current result files, in time order.
        let mut raw_cre: Vec<(NaiveDateTime, f64)> = Vec::new();
        for f in current_files(&sample, id, "OML-11") {
            for s in segments(&f).iter().filter(|s| field(s, 0) == "OBX") {
                if comp(field(s, 3), 1) == "3C015000002327201"
                    && let (Some(t), Ok(v)) = (hl7_time(field(s, 14)), field(s, 5).parse::<f64>())
                {
                    raw_cre.push((t, v));
                }
            }
        }
        raw_cre.sort_by_key(|p| p.0);
        let key = test_key(&lifeboat::model::Code::new("3C015000002327201", "", "JC10"));
        let series: Vec<(NaiveDateTime, f64)> = c
            .labs()
            .series(&key)
            .map(|s| s.points.iter().map(|p| (p.time.value(), p.value)).collect())
            .unwrap_or_default();
        assert_eq!(series, raw_cre, "{id}: creatinine series");
        assert!(!series.is_empty(), "{id}: no creatinine");
    }
}
