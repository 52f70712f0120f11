//! `lifeboat show`: one patient's whole chart as text.

use crate::chart::PatientDump;
use crate::index::SnapshotIndex;
use crate::ingest::{IngestOptions, People, PersonFacts, ingest};
use crate::model::{Clinical, Record, RecordStatus, Sex};
use crate::report::{IngestReport, Problem};
use crate::source::Snapshot;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// One patient's chart from the index.
pub fn indexed(index: &SnapshotIndex, patient_id: &str) -> anyhow::Result<PatientDump> {
    let records = index.records(patient_id)?;
    let facts = index.facts(patient_id)?;
    Ok(dump(records, facts, index.report(), patient_id))
}

/// One patient's chart read straight from the files. The whole snapshot is read, as the
/// index build reads it, because what a chart shows depends on every file: department names
/// learnt elsewhere, namesakes, FHIR resources of the patient in shared files.
pub fn direct(roots: &[PathBuf], patient_id: &str) -> anyhow::Result<PatientDump> {
    let mut all = read_direct(roots, Some(patient_id))?;
    Ok(all.remove(patient_id).unwrap_or_default())
}

/// Every patient's chart read straight from the files (tests compare these with the index).
pub fn direct_all(roots: &[PathBuf]) -> anyhow::Result<BTreeMap<String, PatientDump>> {
    read_direct(roots, None)
}

fn read_direct(roots: &[PathBuf], only: Option<&str>) -> anyhow::Result<BTreeMap<String, PatientDump>> {
    let mut snap = Snapshot::open(roots)?;
    let mut people = People::default();
    let mut records: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    let mut report = ingest(&mut snap, &IngestOptions::default(), |o| {
        people.add(o);
        for r in &o.records {
            if only.is_none_or(|id| r.patient_id == id) {
                records.entry(r.patient_id.clone()).or_default().push(r.clone());
            }
        }
        if let (Some(id), Some(_), None) = (&o.patient_id, &o.demographics, only) {
            records.entry(id.clone()).or_default();
        }
    });
    let settled = people.finish();
    for p in &settled.problems {
        report.add_problem(p.clone());
    }
    if let Some(id) = only
        && settled.facts.contains_key(id)
    {
        records.entry(id.to_string()).or_default();
    }
    let mut out = BTreeMap::new();
    for (id, mut rs) in records {
        settled.departments.fill_all(&mut rs);
        let facts = settled.facts.get(&id).cloned().unwrap_or_default();
        out.insert(id.clone(), dump(rs, facts, &report, &id));
    }
    Ok(out)
}

/// The chart of one patient from its records, facts and the snapshot's problems in the
/// patient's files: the same arrangement whichever way the records were read.
fn dump(records: Vec<Record>, facts: PersonFacts, report: &IngestReport, patient_id: &str) -> PatientDump {
    let marker = format!("/{patient_id}/");
    let problems: Vec<Problem> = report
        .problems
        .iter()
        .filter(|p| p.path.contains(&marker))
        .cloned()
        .collect();
    let mut d = PatientDump::build(records, facts.fallback, problems).with_summary(patient_id, report.as_of);
    d.identity = facts.identity;
    d
}

pub fn render(d: &PatientDump) -> String {
    let mut s = String::new();
    match &d.patient {
        Some(p) => {
            let kanji = p.name_kanji.as_ref().map(|n| n.full()).unwrap_or_default();
            let kana = p.name_kana.as_ref().map(|n| n.full()).unwrap_or_default();
            let _ = writeln!(s, "患者ID {}  {kanji}（{kana}）", p.id);
            let sex = if p.sex == Sex::Unknown {
                "性別不明"
            } else {
                p.sex.label_ja()
            };
            let birth = p.birth_date.map(|b| b.to_iso()).unwrap_or_else(|| "不明".into());
            let _ = writeln!(s, "  性別 {sex}  生年月日 {birth}");
            if let Some(bt) = p
                .blood_type
                .as_ref()
                .map(|b| b.display())
                .filter(|b| !b.is_empty())
            {
                let _ = writeln!(s, "  血液型 {bt}");
            }
            if let Some(h) = &p.height {
                let _ = writeln!(s, "  身長 {}", h.display());
            }
            if let Some(w) = &p.weight {
                let _ = writeln!(s, "  体重 {}", w.display());
            }
            for a in &p.addresses {
                let _ = writeln!(s, "  住所 〒{} {}", a.postal_code, a.text);
            }
            for ph in &p.phones {
                let _ = writeln!(s, "  電話 ({}) {}", ph.kind, ph.number);
            }
            if !p.other_ids.is_empty() {
                let _ = writeln!(s, "  他のID {}", p.other_ids.join(", "));
            }
            let _ = writeln!(s, "  出典 {}", d.patient_source);
            if !d.identity.same_name.is_empty() {
                let _ = writeln!(s, "  同姓同名あり: {}", d.identity.same_name.join(", "));
            }
            if !d.identity.conflicts.is_empty() {
                let _ = writeln!(
                    s,
                    "  ！患者情報の不一致（記録によって異なります。本人確認をしてください）"
                );
                for c in &d.identity.conflicts {
                    let _ = writeln!(s, "    {}", c.line());
                    for v in &c.values {
                        let _ = writeln!(s, "      {}: {}", v.value, v.files.join(", "));
                    }
                }
            }
        }
        None => {
            let _ = writeln!(s, "患者基本情報なし (no demographics)");
        }
    }
    if let Some(summary) = &d.summary {
        s.push('\n');
        s.push_str(&summary.render());
    }
    for (title, records) in d.sections() {
        let _ = writeln!(s, "\n■ {title} ({})", records.len());
        if records.is_empty() {
            let _ = writeln!(s, "  記録なし");
        }
        for r in records {
            let mark = match r.status {
                RecordStatus::Current => "",
                RecordStatus::Superseded => "[旧版] ",
                RecordStatus::Cancelled => "[取消] ",
                RecordStatus::Unknown => "[状態不明] ",
            };
            let date = r
                .date()
                .map(|t| t.to_iso().replace('T', " "))
                .unwrap_or_else(|| "日付なし".into());
            let _ = writeln!(s, "  {date}  {mark}{}", r.summary());
            // Documents are read as documents: every section title and its text.
            if let Clinical::Document(doc) = &r.data {
                for line in doc.as_text().lines() {
                    let _ = writeln!(s, "      {line}");
                }
            }
        }
    }
    if !d.problems.is_empty() {
        let _ = writeln!(s, "\n■ 読み込み時の問題 ({})", d.problems.len());
        for p in &d.problems {
            let _ = writeln!(s, "  {p}");
        }
    }
    s
}
