//! `lifeboat bench --phases hostile`: one generated input per hostile shape (issue 18 item 4),
//! indexed at size n and 4n. Linear time gives a ratio near 4; a quadratic path gives 16.
//! The inputs are written to a temporary folder; the snapshot given on the command line is
//! not read.

use crate::index::{OpenOptions, SnapshotIndex};
use crate::progress::Progress;
use anyhow::Context;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// One input shape: its name, the n it starts from, and how to write it at a size.
struct Shape {
    name: &'static str,
    n: usize,
    write: fn(&Path, usize) -> std::io::Result<()>,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "PID-3 repetitions in one ADT-00",
        n: 25_000,
        write: pid3,
    },
    Shape {
        name: "PID-5 name repetitions in one ADT-00",
        n: 10_000,
        write: pid5,
    },
    Shape {
        name: "OBR segments in one OMG-01",
        n: 5_000,
        write: obr,
    },
    Shape {
        name: "identifiers of one FHIR Patient",
        n: 25_000,
        write: fhir_identifiers,
    },
    Shape {
        name: "names of one FHIR Patient",
        n: 10_000,
        write: fhir_names,
    },
    Shape {
        name: "empty entries of one Bundle",
        n: 250_000,
        write: empty_entries,
    },
    Shape {
        name: "Observations in one Bundle",
        n: 10_000,
        write: observation_bundle,
    },
    Shape {
        name: "NDJSON lines",
        n: 10_000,
        write: observation_lines,
    },
    Shape {
        name: "Patients sharing one identifier value (NDJSON)",
        n: 2_000,
        write: shared_identifier,
    },
    Shape {
        name: "Patients of one name (NDJSON)",
        n: 2_000,
        write: namesakes,
    },
];

/// Times every shape at n and 4n and prints the ratios.
pub fn run(out: &mut String) -> anyhow::Result<()> {
    writeln!(
        out,
        "hostile shapes (index build of a generated snapshot at n and 4n; linear ≈ 4, quadratic ≈ 16):"
    )?;
    for shape in SHAPES {
        let small = time(shape, shape.n)?;
        let large = time(shape, shape.n * 4)?;
        writeln!(
            out,
            "  {:<48} n={:<8} {:>7.2} s   4n={:<8} {:>7.2} s   ratio {:.1}",
            shape.name,
            shape.n,
            small,
            shape.n * 4,
            large,
            large / small.max(1e-6)
        )?;
    }
    Ok(())
}

/// Seconds to build the index of the shape written at size `n`.
fn time(shape: &Shape, n: usize) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir().context("creating a scratch folder")?;
    let snap = dir.path().join("snapshot");
    std::fs::create_dir_all(&snap)?;
    (shape.write)(&snap, n).with_context(|| format!("writing {}", shape.name))?;
    let t = Instant::now();
    // The update keeps this building when the index gains options (their defaults apply).
    #[allow(clippy::needless_update)]
    SnapshotIndex::open(
        &OpenOptions {
            roots: vec![snap],
            index_dir: Some(dir.path().join("index")),
            rebuild: true,
            ignore_prebuilt: true,
            ..OpenOptions::default()
        },
        &Progress::new(),
    )?;
    Ok(t.elapsed().as_secs_f64())
}

const PID: &str = "9999013";

fn hl7(dir: &Path, data_type: &str, date: &str, segments: &[String]) -> std::io::Result<()> {
    let name = format!("{PID}_{date}_{data_type}_999999999999999_20240401090000000_-_1");
    let folder = dir
        .join(&PID[..3])
        .join(&PID[3..6])
        .join(PID)
        .join(date)
        .join(data_type);
    std::fs::create_dir_all(&folder)?;
    let text = segments.join("\r") + "\r";
    let (bytes, _, _) = encoding_rs::ISO_2022_JP.encode(&text);
    std::fs::write(folder.join(name), bytes)
}

fn msh(kind: &str) -> String {
    format!("MSH|^~\\&|HIS|SEND|GW|RCV|20240401090000||{kind}|C1|P|2.5||||||~ISO IR87||ISO 2022-1994")
}

fn pid3(dir: &Path, n: usize) -> std::io::Result<()> {
    let ids: Vec<String> = (0..n).map(|i| format!("X{i}^^^^PI")).collect();
    let pid = format!("PID|0001||{}||山田^太郎^^^^^L^I||19700101|F", ids.join("~"));
    hl7(
        dir,
        "ADT-00",
        "-",
        &[msh("ADT^A08^ADT_A01"), "EVN||20240401090000".into(), pid],
    )
}

fn pid5(dir: &Path, n: usize) -> std::io::Result<()> {
    let names: Vec<String> = (0..n).map(|i| format!("別名{i}^花子^^^^^A^I")).collect();
    let pid = format!(
        "PID|0001||{PID}^^^^PI||山田^太郎^^^^^L^I~{}||19700101|F",
        names.join("~")
    );
    hl7(
        dir,
        "ADT-00",
        "-",
        &[msh("ADT^A08^ADT_A01"), "EVN||20240401090000".into(), pid],
    )
}

fn obr(dir: &Path, n: usize) -> std::io::Result<()> {
    let mut segs = vec![
        msh("OMG^O19^OMG_O19"),
        format!("PID|0001||{PID}^^^^PI||山田^太郎^^^^^L^I||19700101|F"),
        "ORC|NW|1234||||||||||||||||01^内科^99Z01".into(),
    ];
    segs.extend((0..n).map(|i| format!("OBR|{i}|1234||C{i}^検査{i}^LOCAL|||20240401")));
    hl7(dir, "OMG-01", "20240401", &segs)
}

const JP_ID: &str = r#"{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"1001"}"#;

fn fhir_identifiers(dir: &Path, n: usize) -> std::io::Result<()> {
    let ids: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"system":"http://example.org/ids/{i}","value":"v{i}"}}"#))
        .collect();
    let body = format!(
        r#"{{"resourceType":"Patient","id":"p1","identifier":[{JP_ID},{}]}}"#,
        ids.join(",")
    );
    std::fs::write(dir.join("patient.json"), body)
}

fn fhir_names(dir: &Path, n: usize) -> std::io::Result<()> {
    let names: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"use":"nickname","text":"別名{i} 花子"}}"#))
        .collect();
    let body = format!(
        r#"{{"resourceType":"Patient","id":"p1","identifier":[{JP_ID}],"name":[{{"text":"山田 太郎"}},{}]}}"#,
        names.join(",")
    );
    std::fs::write(dir.join("patient.json"), body)
}

fn empty_entries(dir: &Path, n: usize) -> std::io::Result<()> {
    let body = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[{}]}}"#,
        vec!["{}"; n].join(",")
    );
    std::fs::write(dir.join("empty.json"), body)
}

const PATIENT: &str = r#"{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"1001"}],"name":[{"text":"山田 太郎"}]}"#;

fn observation(i: usize) -> String {
    format!(
        r#"{{"resourceType":"Observation","id":"o{i}","status":"final","code":{{"coding":[{{"system":"http://loinc.org","code":"2345-7"}}]}},"subject":{{"reference":"Patient/p1"}},"effectiveDateTime":"2024-01-01","valueQuantity":{{"value":{},"unit":"mg/dL"}}}}"#,
        90 + i % 50
    )
}

fn observation_bundle(dir: &Path, n: usize) -> std::io::Result<()> {
    let mut s = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[{{"fullUrl":"http://x/fhir/Patient/p1","resource":{PATIENT}}}"#
    );
    for i in 0..n {
        s.push_str(&format!(r#",{{"resource":{}}}"#, observation(i)));
    }
    s.push_str("]}");
    std::fs::write(dir.join("bundle.json"), s)
}

fn observation_lines(dir: &Path, n: usize) -> std::io::Result<()> {
    let mut s = format!("{PATIENT}\n");
    for i in 0..n {
        s.push_str(&observation(i));
        s.push('\n');
    }
    std::fs::write(dir.join("Observation.ndjson"), s)
}

fn shared_identifier(dir: &Path, n: usize) -> std::io::Result<()> {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            r#"{{"resourceType":"Patient","id":"p{i}","identifier":[{{"system":"http://hospital-{i}.example/ids","value":"7"}}]}}"#
        ));
        s.push('\n');
    }
    std::fs::write(dir.join("Patient.ndjson"), s)
}

fn namesakes(dir: &Path, n: usize) -> std::io::Result<()> {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            r#"{{"resourceType":"Patient","id":"p{i}","identifier":[{{"system":"urn:oid:1.2.392.100495.20.3.51.11234567890","value":"{i}"}}],"name":[{{"text":"佐藤 花子"}}]}}"#
        ));
        s.push('\n');
    }
    std::fs::write(dir.join("Patient.ndjson"), s)
}
