//! Feeds shapes that used to hang or panic fhirbolt and prints what happens (3 s guard each).
use std::time::Duration;
fn main() {
    let cases: Vec<(&str, bool)> = vec![
        (r#"{"resourceType":"Patient","foo":1}"#, false),
        (r#"{"resourceType":"Patient","name":[{"coding":[1]}]}"#, false),
        (
            r#"{"resourceType":"Patient","name":[{"coding":[{"a":1}],"_given":[{"foo":[1]}],"given":["A"]}]}"#,
            false,
        ),
        (r#"{"resourceType":"Patient","gender":["male","female"]}"#, false),
        (r#"{"resourceType":"Patient","gender":[]}"#, false),
        (r#"{"resourceType":"Patient","name":[]}"#, false),
        (
            r#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","name":[{"coding":[1]}]}}]}"#,
            false,
        ),
        (
            r#"{"resourceType":"Patient","contained":[{"resourceType":"Observation","valueQuantity":{"value":1.50,"x":[1]}}]}"#,
            false,
        ),
        (r#"{"resourceType":"Foo","a":[1]}"#, false),
        (r#"{"resourceType":["Patient"],"a":[1]}"#, false),
        (r#"{"a":[1]}"#, false),
        (
            "<Patient xmlns=\"http://hl7.org/fhir\"><foo value=\"1\"/><foo value=\"2\"/></Patient>",
            true,
        ),
        (
            "<Patient xmlns=\"http://hl7.org/fhir\"><name><coding value=\"1\"/><coding value=\"2\"/></name></Patient>",
            true,
        ),
        (
            "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/><gender value=\"female\"/></Patient>",
            true,
        ),
    ];
    for (c, xml) in cases {
        let (tx, rx) = std::sync::mpsc::channel();
        let s = c.to_string();
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(|| {
                if xml {
                    lifeboat_fhir_parse::parse_xml(s.as_bytes())
                } else {
                    lifeboat_fhir_parse::parse_json(s.as_bytes())
                }
            });
            let _ = tx.send(match r {
                Ok(Ok(p)) => format!(
                    "ok removed {:?} {:?}",
                    p.removed,
                    lifeboat_fhir_parse::to_json(&p.resource)
                ),
                Ok(Err(e)) => format!("err {e}"),
                Err(_) => "PANIC".into(),
            });
        });
        match rx.recv_timeout(Duration::from_secs(3)) {
            Ok(r) => println!("{c}\n   -> {r}"),
            Err(_) => println!("{c}\n   -> HANG"),
        }
    }
    std::process::exit(0);
}
