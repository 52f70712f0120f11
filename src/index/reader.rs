//! Queries against a built index: patient search, free-text "who had X", one patient's records.

use super::build::{PATIENTS_DIR, RECORDS_DIR};
use super::count::count_by_patient;
use super::hit::PatientHit;
use super::meta::IndexMeta;
use super::readonly_dir::ReadOnlyDirectory;
use super::schema::{PatientSchema, RecordSchema, SCHEMA_VERSION};
use super::trouble::Rebuilt;
use crate::ingest::PersonFacts;
use crate::model::Record;
use crate::search::build::{PatientFields, RecordFields, id_exact_query, patient_query, record_text_query};
use crate::search::query::QueryPlan;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::directory::Directory;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

/// Matching records counted per patient before ranking, at most (a word in a lab panel
/// everyone has matches hundreds of thousands): beyond it, the list ranks the patients of the
/// records counted so far (index order, roughly ID order) and says the counts are lower bounds.
const MAX_COUNTED_RECORDS: u64 = 100_000;

/// True when the words of a query that found no patient should be looked up in the records
/// ("who had ワーファリン"): every part could be a word. A part that can only be an ID, a
/// birth date or a year ("やまだ 1948", "1948-03-02") asks for a patient, not for a record.
fn looks_for_record_words(plan: &QueryPlan) -> bool {
    !plan.parts.is_empty() && plan.parts.iter().all(|p| p.text.is_some())
}

pub struct IndexReaderSet {
    pub dir: PathBuf,
    pub meta: IndexMeta,
    pf: PatientSchema,
    rf: RecordSchema,
    patients: IndexReader,
    records: IndexReader,
    /// Patient documents by patient ordinal, read from the `pnum` column on first use (the
    /// reader is never reloaded, so the addresses stay valid).
    by_pnum: OnceLock<Vec<Option<DocAddress>>>,
}

impl IndexReaderSet {
    /// Opens a complete index through a directory that never writes (no lock file), so that
    /// it works on read-only media. A damaged index (unreadable metadata, missing or truncated
    /// files: tantivy checks every file's footer when it opens a segment) and one of another
    /// format are told apart, for the user.
    pub fn open(dir: &Path) -> Result<IndexReaderSet, Rebuilt> {
        let meta = IndexMeta::read(dir).map_err(|e| Rebuilt::Damaged(format!("{e:#}")))?;
        if meta.schema_version != SCHEMA_VERSION {
            return Err(Rebuilt::Outdated(format!(
                "{}: index format {} (this Lifeboat reads {SCHEMA_VERSION})",
                dir.display(),
                meta.schema_version
            )));
        }
        let open = || -> anyhow::Result<IndexReaderSet> {
            let patients = ReadOnlyDirectory::open(&dir.join(PATIENTS_DIR))?;
            let records = ReadOnlyDirectory::open(&dir.join(RECORDS_DIR))?;
            Self::open_tantivy(dir, meta, Box::new(patients), Box::new(records))
        };
        open().map_err(|e| Rebuilt::Damaged(format!("{}: {e:#}", dir.display())))
    }

    /// Opens a complete index whose files are served by `patients` and `records` (the index
    /// shipped in a pack, read in place: [`super::pack_dir`]); `shown` names it in messages.
    pub fn open_directories(
        shown: &Path,
        meta: IndexMeta,
        patients: Box<dyn Directory>,
        records: Box<dyn Directory>,
    ) -> anyhow::Result<IndexReaderSet> {
        anyhow::ensure!(
            meta.schema_version == SCHEMA_VERSION,
            "{}: index format {} (this Lifeboat reads {SCHEMA_VERSION})",
            shown.display(),
            meta.schema_version
        );
        Self::open_tantivy(shown, meta, patients, records).with_context(|| shown.display().to_string())
    }

    fn open_tantivy(
        dir: &Path,
        meta: IndexMeta,
        patients: Box<dyn Directory>,
        records: Box<dyn Directory>,
    ) -> anyhow::Result<IndexReaderSet> {
        let pindex = Index::open(patients)?;
        let rindex = Index::open(records)?;
        crate::search::tokenizer::register(&pindex);
        crate::search::tokenizer::register(&rindex);
        let pf = PatientSchema::from(&pindex.schema())?;
        let rf = RecordSchema::from(&rindex.schema())?;
        // Manual reload: the index never changes once built, and no watcher thread is needed.
        let patients = pindex
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let records = rindex
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(IndexReaderSet {
            dir: dir.to_path_buf(),
            meta,
            pf,
            rf,
            patients,
            records,
            by_pnum: OnceLock::new(),
        })
    }

    pub fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<PatientHit>> {
        let plan = QueryPlan::parse(query);
        if plan.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let fields = PatientFields {
            id: self.pf.id,
            names: self.pf.names,
            names_uni: self.pf.names_uni,
            birth: self.pf.birth,
        };
        let mut q: Box<dyn Query> = patient_query(&plan, &fields);
        // A single ID-like word may also be another identifier of the patient (FHIR, PID-3).
        if let [part] = plan.parts.as_slice()
            && let Some(id) = &part.id
        {
            let short = id.trim_start_matches('0');
            let other = TermQuery::new(
                Term::from_field_text(self.pf.other_id, if short.is_empty() { id } else { short }),
                IndexRecordOption::Basic,
            );
            q = Box::new(BooleanQuery::new(vec![
                (Occur::Should, q),
                (
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(other), 90.0)),
                ),
            ]));
        }
        let searcher = self.patients.searcher();
        let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
        let mut scored = Vec::with_capacity(top.len());
        for (score, addr) in top {
            scored.push((score, self.hit_at(&searcher, addr)?));
        }
        // Equal scores (every ID-prefix or birth-year match) read best in ID order.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        let mut hits: Vec<PatientHit> = scored.into_iter().map(|(_, h)| h).collect();
        if hits.is_empty() && looks_for_record_words(&plan) {
            self.text_matches(&plan, limit, &mut hits)?;
        }
        Ok(hits)
    }

    /// Patients whose records mention the words, most mentions first.
    fn text_matches(&self, plan: &QueryPlan, limit: usize, hits: &mut Vec<PatientHit>) -> anyhow::Result<()> {
        let fields = RecordFields {
            text: self.rf.text,
            text_uni: None,
        };
        let Some(q) = record_text_query(plan, &fields) else {
            return Ok(());
        };
        let rsearcher = self.records.searcher();
        let counts = count_by_patient(
            &rsearcher,
            q.as_ref(),
            self.rf.pnum,
            self.patient_slots(),
            MAX_COUNTED_RECORDS,
        )?;
        let psearcher = self.patients.searcher();
        for (pnum, count, addr) in counts.top(limit) {
            if hits.len() >= limit {
                break;
            }
            let Some(mut hit) = self.patient_by_pnum(&psearcher, pnum)? else {
                continue;
            };
            if hits.iter().any(|h| h.id == hit.id) {
                continue;
            }
            if let Some(r) = self.record_at(&rsearcher, addr)? {
                hit.matched.push(matched_line(&r, count, counts.complete));
            }
            hits.push(hit);
        }
        Ok(())
    }

    pub fn patient(&self, id: &str) -> anyhow::Result<Option<PatientHit>> {
        let searcher = self.patients.searcher();
        match self.patient_addr(&searcher, id)? {
            Some(addr) => Ok(Some(self.hit_at(&searcher, addr)?)),
            None => Ok(None),
        }
    }

    /// What the chart needs about the patient beyond the records; default when unknown.
    pub fn facts(&self, id: &str) -> anyhow::Result<PersonFacts> {
        let searcher = self.patients.searcher();
        let Some(addr) = self.patient_addr(&searcher, id)? else {
            return Ok(PersonFacts::default());
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        match doc.get_first(self.pf.facts).and_then(|v| v.as_bytes()) {
            Some(bytes) => Ok(serde_json::from_slice(bytes)?),
            None => Ok(PersonFacts::default()),
        }
    }

    fn patient_addr(&self, searcher: &Searcher, id: &str) -> anyhow::Result<Option<DocAddress>> {
        let q = id_exact_query(self.pf.id, &crate::search::normalize::normalize_id(id));
        let top = searcher.search(&q, &TopDocs::with_limit(8).order_by_score())?;
        for (_, addr) in top {
            if self.hit_at(searcher, addr)?.id == id {
                return Ok(Some(addr));
            }
        }
        Ok(None)
    }

    /// Every record of one patient, oldest first, undated records last, ties in provenance
    /// order (the index's document order depends on its writer threads); department codes sent
    /// alone carry the name the snapshot gives them.
    pub fn records(&self, id: &str) -> anyhow::Result<Vec<Record>> {
        let searcher = self.records.searcher();
        let q = TermQuery::new(Term::from_field_text(self.rf.pid, id), IndexRecordOption::Basic);
        let mut addrs: Vec<DocAddress> = searcher.search(&q, &DocSetCollector)?.into_iter().collect();
        // Store order is build order: reading in address order keeps doc-store blocks warm.
        addrs.sort();
        let mut out = Vec::with_capacity(addrs.len());
        for addr in addrs {
            if let Some(r) = self.record_at(&searcher, addr)? {
                out.push(r);
            }
        }
        out.sort_by(crate::chart::order::oldest_first);
        self.meta.departments.fill_all(&mut out);
        Ok(out)
    }

    /// Up to `n` patients in index order (for benchmarks and drills: an arbitrary sample).
    pub fn some_patients(&self, n: usize) -> anyhow::Result<Vec<PatientHit>> {
        let searcher = self.patients.searcher();
        let top = searcher.search(
            &tantivy::query::AllQuery,
            &TopDocs::with_limit(n.max(1)).order_by_score(),
        )?;
        top.into_iter().map(|(_, a)| self.hit_at(&searcher, a)).collect()
    }

    /// The patient with the most records, and how many.
    pub fn heaviest_patient(&self) -> anyhow::Result<Option<(PatientHit, u32)>> {
        let rsearcher = self.records.searcher();
        let counts = count_by_patient(
            &rsearcher,
            &tantivy::query::AllQuery,
            self.rf.pnum,
            self.patient_slots(),
            u64::MAX,
        )?;
        let Some((pnum, n, _)) = counts.top(1).into_iter().next() else {
            return Ok(None);
        };
        let psearcher = self.patients.searcher();
        Ok(self.patient_by_pnum(&psearcher, pnum)?.map(|h| (h, n)))
    }

    fn hit_at(&self, searcher: &Searcher, addr: DocAddress) -> anyhow::Result<PatientHit> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let bytes = doc
            .get_first(self.pf.hit)
            .and_then(|v| v.as_bytes())
            .context("patient document without its result line")?;
        Ok(serde_json::from_slice(bytes)?)
    }

    fn record_at(&self, searcher: &Searcher, addr: DocAddress) -> anyhow::Result<Option<Record>> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        match doc.get_first(self.rf.record).and_then(|v| v.as_bytes()) {
            Some(bytes) => Ok(Some(serde_json::from_slice(bytes)?)),
            None => Ok(None),
        }
    }

    /// Size of the per-patient tables: the patient documents there are (not the metadata's
    /// figure, which a damaged prebuilt index could inflate).
    fn patient_slots(&self) -> usize {
        usize::try_from(self.patients.searcher().num_docs()).unwrap_or(0)
    }

    fn patient_by_pnum(&self, searcher: &Searcher, pnum: u64) -> anyhow::Result<Option<PatientHit>> {
        let addrs = match self.by_pnum.get() {
            Some(a) => a,
            None => {
                let built = patient_addresses(searcher, self.pf.pnum, self.patient_slots())?;
                self.by_pnum.get_or_init(|| built)
            }
        };
        let addr = usize::try_from(pnum)
            .ok()
            .and_then(|i| addrs.get(i).copied().flatten());
        match addr {
            Some(addr) => Ok(Some(self.hit_at(searcher, addr)?)),
            None => Ok(None),
        }
    }
}

/// The search-result line of a record match: the record, and how many more of the patient's
/// records matched ("ほか N件以上" when the count stopped at [`MAX_COUNTED_RECORDS`]).
fn matched_line(record: &Record, count: u32, complete: bool) -> String {
    let mut line = record.summary();
    match (count > 1, complete) {
        (true, true) => line.push_str(&format!("（ほか{}件）", count - 1)),
        (true, false) => line.push_str(&format!("（ほか{}件以上）", count - 1)),
        (false, _) => {}
    }
    line
}

/// Each patient document's address by its `pnum` (the patient ordinal shared with records).
fn patient_addresses(
    searcher: &Searcher,
    pnum: Field,
    patients: usize,
) -> anyhow::Result<Vec<Option<DocAddress>>> {
    let name = searcher.schema().get_field_name(pnum).to_string();
    let mut out: Vec<Option<DocAddress>> = vec![None; patients];
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let column = reader.fast_fields().u64(&name)?;
        for doc in 0..reader.max_doc() {
            if reader.alive_bitset().is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(i) = column.first(doc).and_then(|p| usize::try_from(p).ok()) else {
                continue;
            };
            if i >= out.len() {
                if i > patients.saturating_mul(4).max(1 << 20) {
                    continue;
                }
                out.resize(i + 1, None);
            }
            out[i].get_or_insert(DocAddress::new(ord as u32, doc));
        }
    }
    Ok(out)
}
