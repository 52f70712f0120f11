//! Building a snapshot's index: read every file through both readers, write one tantivy
//! document per record and per patient, then the census and the report. The build happens in
//! a scratch folder that is renamed into place only when everything is on disk, so an
//! interrupted build (killed, power loss, media pulled) can never be opened as complete.

use super::hit::PatientHit;
use super::meta::{COMPLETE_FILE, IndexMeta, META_FILE};
use super::schema::{PatientSchema, RecordSchema, SCHEMA_VERSION};
use crate::chart::Census;
use crate::ingest::{IngestOptions, People, PersonFacts, ingest};
use crate::model::{Clinical, EncounterEvent, Patient, Record, RecordStatus, Timestamp};
use crate::progress::{Progress, Stage};
use crate::search::build::{birth_value, names_field_values};
use crate::search::normalize::normalize_id;
use crate::source::Snapshot;
use anyhow::{Context, bail};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::indexer::NoMergePolicy;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};

/// Indexing memory for the record writer, shared by its threads: bounds build RSS.
const WRITER_BUDGET: usize = 200_000_000;
const WRITER_THREADS: usize = 2;

pub const PATIENTS_DIR: &str = "patients";
pub const RECORDS_DIR: &str = "records";

/// What is kept per patient while the records stream past: enough for the search line and
/// the census, not the records themselves (those are already in the index).
#[derive(Default)]
struct PatientAcc {
    pnum: u64,
    /// Patient records and inpatient events: what the census and the name need.
    census_records: Vec<Record>,
    last_visit: Option<Timestamp>,
    other_ids: Vec<String>,
}

/// How the stored records are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// The laptop's own index: lz4, quick to write and to read.
    Local,
    /// An index shipped on media: smaller (zstd over larger blocks), since every byte is read
    /// from a slow disc and must fit on it.
    Shipped,
}

impl Store {
    fn settings(self) -> IndexSettings {
        match self {
            Store::Local => IndexSettings::default(),
            Store::Shipped => IndexSettings {
                docstore_compression: Compressor::Zstd(ZstdCompressor {
                    compression_level: Some(SHIPPED_ZSTD_LEVEL),
                }),
                docstore_blocksize: SHIPPED_BLOCK,
                ..IndexSettings::default()
            },
        }
    }
}

/// Measured on a generated hospital (README, "Packed media"): see the issue 15 note.
const SHIPPED_ZSTD_LEVEL: i32 = 9;
const SHIPPED_BLOCK: usize = 64 * 1024;

/// Builds the index of `roots` into `target` (which must not exist). Returns its metadata.
pub fn build(roots: &[PathBuf], target: &Path, progress: &Progress) -> anyhow::Result<IndexMeta> {
    build_as(roots, target, progress, Store::Local)
}

/// [`build`], with the stored records compressed as `store` says.
pub fn build_as(
    roots: &[PathBuf],
    target: &Path,
    progress: &Progress,
    store: Store,
) -> anyhow::Result<IndexMeta> {
    let started = Instant::now();
    let parent = target.parent().context("index folder has no parent")?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_abandoned_builds(parent, &name);
    let scratch = parent.join(format!("{name}.building-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).with_context(|| format!("clearing {}", scratch.display()))?;
    }
    let result = build_in(roots, &scratch, progress, started, store);
    match result {
        Ok(meta) => {
            if target.exists() {
                std::fs::remove_dir_all(target).with_context(|| format!("replacing {}", target.display()))?;
            }
            std::fs::rename(&scratch, target)
                .with_context(|| format!("moving {} to {}", scratch.display(), target.display()))?;
            progress.set_stage(Stage::Done);
            Ok(meta)
        }
        Err(e) => {
            // Measured before the scratch folder is cleared, which frees what it filled.
            let e = if progress.is_cancelled() {
                e
            } else {
                super::trouble::explain_build_error(e, target, parent)
            };
            let _ = std::fs::remove_dir_all(&scratch);
            Err(e)
        }
    }
}

/// Scratch folders of builds that were killed: their process is gone (where the OS tells us)
/// or they have not been touched for a day. A build still running in another Lifeboat is left
/// alone.
fn remove_abandoned_builds(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!("{name}.building-");
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let proc_root = Path::new("/proc");
        let gone = if proc_root.join("self").exists() {
            !proc_root.join(pid).exists()
        } else {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        if gone && pid != std::process::id().to_string() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn build_in(
    roots: &[PathBuf],
    dir: &Path,
    progress: &Progress,
    started: Instant,
    store: Store,
) -> anyhow::Result<IndexMeta> {
    let (pschema, pf) = PatientSchema::build();
    let (rschema, rf) = RecordSchema::build();
    let pdir = dir.join(PATIENTS_DIR);
    let rdir = dir.join(RECORDS_DIR);
    for d in [&pdir, &rdir] {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let pindex = Index::builder()
        .schema(pschema)
        .settings(store.settings())
        .create_in_dir(&pdir)?;
    let rindex = Index::builder()
        .schema(rschema)
        .settings(store.settings())
        .create_in_dir(&rdir)?;
    crate::search::tokenizer::register(&pindex);
    crate::search::tokenizer::register(&rindex);
    let mut rwriter: IndexWriter = rindex.writer_with_num_threads(WRITER_THREADS, WRITER_BUDGET)?;
    // No merging: merges read whole segments through memory maps (a 50,000-patient build
    // peaked at 1.9 GB RSS with them), and the few dozen segments a build leaves are searched
    // within the latency targets (issue 4 note).
    rwriter.set_merge_policy(Box::new(NoMergePolicy));

    let mut snapshot = Snapshot::open(roots)?;
    let options = IngestOptions {
        progress: Some(progress.clone()),
        ..Default::default()
    };
    let mut patients: HashMap<String, PatientAcc> = HashMap::new();
    let mut people = People::default();
    let mut records = 0u64;
    let mut first_error: Option<anyhow::Error> = None;
    let mut report = ingest(&mut snapshot, &options, |o| {
        people.add(o);
        for r in &o.records {
            let next = patients.len() as u64;
            let acc = patients
                .entry(r.patient_id.clone())
                .or_insert_with(|| PatientAcc {
                    pnum: next,
                    ..PatientAcc::default()
                });
            acc.note(r);
            match record_doc(&rf, acc.pnum, r) {
                Ok(doc) => {
                    if let Err(e) = rwriter.add_document(doc) {
                        first_error.get_or_insert(e.into());
                    }
                    records += 1;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let (Some(id), Some(_)) = (&o.patient_id, &o.demographics) {
            let next = patients.len() as u64;
            patients.entry(id.clone()).or_insert_with(|| PatientAcc {
                pnum: next,
                ..PatientAcc::default()
            });
        }
    });
    if progress.is_cancelled() {
        bail!("cancelled while reading {}", snapshot.name());
    }
    if let Some(e) = first_error {
        return Err(e.context("writing record documents"));
    }
    progress.set_stage(Stage::Committing);
    let settled = people.finish();
    for p in &settled.problems {
        report.add_problem(p.clone());
    }
    for acc in patients.values_mut() {
        settled.departments.fill_all(&mut acc.census_records);
    }
    let census = Census::build(
        patients
            .iter()
            .map(|(id, a)| (id.as_str(), a.census_records.as_slice())),
        report.as_of,
    );
    let mut where_now: HashMap<&str, (crate::model::Location, Option<Timestamp>)> = HashMap::new();
    for w in &census.wards {
        for e in &w.entries {
            let loc = crate::model::Location {
                ward: w.code.clone(),
                ward_name: w.name.clone(),
                room: e.room.clone(),
                bed: e.bed.clone(),
            };
            where_now.insert(e.patient_id.as_str(), (loc, e.admitted));
        }
    }

    let mut pwriter: IndexWriter = pindex.writer_with_num_threads(1, 50_000_000)?;
    let no_facts = PersonFacts::default();
    for (id, acc) in &patients {
        let line = settled.lines.get(id).and_then(Option::as_ref);
        let facts = settled.facts.get(id).unwrap_or(&no_facts);
        let mut hit = acc.hit(id, line);
        hit.same_name = !facts.identity.same_name.is_empty();
        if let Some((loc, admitted)) = where_now.get(id.as_str()) {
            hit.location = Some(loc.clone());
            hit.admitted = *admitted;
        }
        pwriter.add_document(patient_doc(&pf, acc, &hit, line, facts)?)?;
    }
    pwriter.commit()?;
    rwriter.commit()?;
    pwriter.wait_merging_threads()?;
    rwriter.wait_merging_threads()?;

    let meta = IndexMeta {
        schema_version: SCHEMA_VERSION,
        lifeboat_version: env!("CARGO_PKG_VERSION").to_string(),
        snapshot_name: snapshot.name(),
        listing_digest: report.listing_digest.clone(),
        built_at: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        build_seconds: started.elapsed().as_secs_f64(),
        patients: patients.len() as u64,
        records,
        report,
        census,
        departments: settled.departments,
    };
    write_synced(&dir.join(META_FILE), &serde_json::to_vec(&meta)?)?;
    write_synced(&dir.join(COMPLETE_FILE), b"ok\n")?;
    Ok(meta)
}

fn write_synced(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut f = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()
        .with_context(|| format!("syncing {}", path.display()))?;
    Ok(())
}

/// yyyymmddhhmmss, 0 when undated: sorts records by time inside tantivy.
pub fn date_key(t: Option<Timestamp>) -> i64 {
    use chrono::Timelike;
    t.map_or(0, |t| {
        let v = t.value();
        birth_value(v.date()) * 1_000_000
            + i64::from(v.hour()) * 10_000
            + i64::from(v.minute()) * 100
            + i64::from(v.second())
    })
}

fn record_doc(f: &RecordSchema, pnum: u64, r: &Record) -> anyhow::Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.pid, &r.patient_id);
    doc.add_u64(f.pnum, pnum);
    doc.add_text(f.kind, r.kind().key());
    doc.add_i64(f.date, date_key(r.date()));
    // Superseded and cancelled versions stay readable in the chart, but "who had X" should
    // answer from what is current.
    if r.status == RecordStatus::Current {
        doc.add_text(f.text, super::text::searchable(r));
    }
    doc.add_bytes(f.record, &serde_json::to_vec(r).context("serializing a record")?);
    Ok(doc)
}

fn patient_doc(
    f: &PatientSchema,
    acc: &PatientAcc,
    hit: &PatientHit,
    line: Option<&Patient>,
    facts: &PersonFacts,
) -> anyhow::Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    let id = normalize_id(&hit.id);
    doc.add_text(f.id, &id);
    // Staff type IDs without their leading zeros (10003 for 0000010003).
    let short = id.trim_start_matches('0');
    if !short.is_empty() && short != id {
        doc.add_text(f.other_id, short);
    }
    for other in &acc.other_ids {
        doc.add_text(
            f.other_id,
            normalize_id(other.rsplit('|').next().unwrap_or(other)),
        );
    }
    for name in [&hit.name_kanji, &hit.name_kana] {
        let mut parts = name.splitn(2, ' ');
        let family = parts.next().unwrap_or_default();
        let given = parts.next().unwrap_or_default();
        for v in names_field_values(family, given) {
            doc.add_text(f.names, &v);
            doc.add_text(f.names_uni, &v);
        }
    }
    // Maiden names, aliases and other spellings find the patient too.
    for other in line.map(|p| p.other_names.as_slice()).unwrap_or_default() {
        for v in names_field_values(&other.name.family, &other.name.given) {
            doc.add_text(f.names, &v);
            doc.add_text(f.names_uni, &v);
        }
    }
    if let Some(b) = hit.birth_date {
        doc.add_i64(f.birth, birth_value(b.date()));
    }
    doc.add_u64(f.pnum, acc.pnum);
    doc.add_bytes(
        f.hit,
        &serde_json::to_vec(hit).context("serializing a patient line")?,
    );
    doc.add_bytes(
        f.facts,
        &serde_json::to_vec(facts).context("serializing a patient's facts")?,
    );
    Ok(doc)
}

impl PatientAcc {
    fn note(&mut self, r: &Record) {
        if r.status != RecordStatus::Current {
            // Superseded and cancelled versions matter to stays (a cancelled admission).
            if matches!(&r.data, Clinical::Encounter(_)) {
                self.census_records.push(r.clone());
            }
            return;
        }
        match &r.data {
            Clinical::Patient(p) => {
                for id in &p.other_ids {
                    if !self.other_ids.contains(id) {
                        self.other_ids.push(id.clone());
                    }
                }
                // Keep only the newest Patient record: it is the name the census shows.
                let newer = self
                    .census_records
                    .iter()
                    .filter(|x| matches!(x.data, Clinical::Patient(_)))
                    .all(|x| x.provenance.written_at <= r.provenance.written_at);
                if newer {
                    self.census_records
                        .retain(|x| !matches!(x.data, Clinical::Patient(_)));
                    self.census_records.push(r.clone());
                }
            }
            Clinical::Encounter(e) => {
                if matches!(
                    e.event,
                    EncounterEvent::OutpatientVisit | EncounterEvent::Admission | EncounterEvent::Stay
                ) && !e.cancellation
                    && let Some(t) = e.time()
                {
                    self.last_visit = self.last_visit.max(Some(t));
                }
                if e.event != EncounterEvent::OutpatientVisit {
                    self.census_records.push(r.clone());
                }
            }
            _ => {}
        }
    }

    fn hit(&self, id: &str, demo: Option<&Patient>) -> PatientHit {
        let name = |n: Option<&crate::model::PersonName>| n.map(|n| n.full()).unwrap_or_default();
        PatientHit {
            id: id.to_string(),
            name_kanji: name(demo.and_then(|p| p.name_kanji.as_ref())),
            name_kana: name(demo.and_then(|p| p.name_kana.as_ref())),
            sex: demo.map(|p| p.sex).unwrap_or_default(),
            birth_date: demo.and_then(|p| p.birth_date),
            location: None,
            admitted: None,
            last_visit: self.last_visit,
            same_name: false,
            matched: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OtherName, PersonName};
    use crate::search::build::{PatientFields, patient_query};
    use crate::search::query::QueryPlan;
    use tantivy::collector::TopDocs;
    use tantivy::schema::Value;

    fn name(family: &str, given: &str) -> PersonName {
        PersonName {
            family: family.into(),
            given: given.into(),
        }
    }

    /// Patient documents as the build writes them, in memory; returns the IDs each query finds.
    fn search(people: &[(&str, Patient)], queries: &[&str]) -> Vec<Vec<String>> {
        let (schema, pf) = PatientSchema::build();
        let index = Index::create_in_ram(schema);
        crate::search::tokenizer::register(&index);
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).expect("writer");
        for (i, (id, p)) in people.iter().enumerate() {
            let acc = PatientAcc {
                pnum: i as u64,
                ..PatientAcc::default()
            };
            let hit = acc.hit(id, Some(p));
            let doc = patient_doc(&pf, &acc, &hit, Some(p), &PersonFacts::default()).expect("doc");
            w.add_document(doc).expect("add");
        }
        w.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let fields = PatientFields {
            id: pf.id,
            names: pf.names,
            names_uni: pf.names_uni,
            birth: pf.birth,
        };
        queries
            .iter()
            .map(|q| {
                let query = patient_query(&QueryPlan::parse(q), &fields);
                let top = searcher
                    .search(&query, &TopDocs::with_limit(10).order_by_score())
                    .expect("search");
                let mut ids: Vec<String> = top
                    .into_iter()
                    .filter_map(|(_, a)| {
                        let d: TantivyDocument = searcher.doc(a).ok()?;
                        d.get_first(pf.id).and_then(|v| v.as_str()).map(str::to_string)
                    })
                    .collect();
                ids.sort();
                ids
            })
            .collect()
    }

    #[test]
    fn maiden_names_aliases_and_kana_in_either_script_find_the_patient() {
        let hanako = Patient {
            id: "0000000001".into(),
            name_kanji: Some(name("佐藤", "花子")),
            // Kana as written by the source, here in hiragana.
            name_kana: Some(name("さとう", "はなこ")),
            other_names: vec![
                OtherName {
                    name: name("鈴木", "花子"),
                    kind: "M".into(),
                    script: "I".into(),
                },
                OtherName {
                    name: name("SATO", "HANAKO"),
                    kind: "L".into(),
                    script: "A".into(),
                },
            ],
            ..Patient::default()
        };
        let ichiro = Patient {
            id: "0000000002".into(),
            name_kanji: Some(name("田中", "一郎")),
            name_kana: Some(name("タナカ", "イチロウ")),
            ..Patient::default()
        };
        let found = search(
            &[("0000000001", hanako), ("0000000002", ichiro)],
            &[
                "鈴木 花子",
                "sato hanako",
                "サトウ",
                "さとう はなこ",
                "たなか",
                "タナカ イチロウ",
            ],
        );
        let one = vec!["0000000001".to_string()];
        let two = vec!["0000000002".to_string()];
        assert_eq!(
            found,
            vec![one.clone(), one.clone(), one.clone(), one, two.clone(), two]
        );
    }
}
