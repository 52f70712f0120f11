//! The opened snapshot as the faces (GUI, PDF, CLI) see it: find patients, read one patient's
//! records, the ward census, the ingest report and the data time.
//!
//! Behind it, a tantivy index kept on local disk (never on the snapshot media), built once
//! per snapshot and reopened instantly afterwards; a prebuilt index shipped on the media is
//! opened read-only (no lock file: [`readonly_dir`]), a pack's in place from its sealed
//! `index.zip` ([`pack_dir`]). Every open knows whether its index
//! matches the files ([`Freshness`]): checked against the full listing before use (the CLI) or
//! in the background after an instant open (the viewer). A damaged index is rebuilt, saying
//! so; a build that runs out of disk says so ([`trouble`]).

mod block_cache;
mod build;
mod count;
mod freshness;
mod hit;
mod meta;
mod pack_dir;
pub mod packed;
mod place;
mod reader;
mod readonly_dir;
mod schema;
mod source_text;
mod text;
mod trouble;

pub use block_cache::{CacheConfig, CacheStats};
pub use freshness::{Check, Freshness};
pub use hit::PatientHit;
pub use meta::IndexMeta;
pub use place::default_root;
pub use trouble::{CHANGED, DAMAGED, Rebuilt};

use crate::chart::Census;
use crate::model::{Record, Timestamp};
use crate::progress::{Progress, Stage};
use crate::report::IngestReport;
use crate::source::Snapshot;
use anyhow::Context;
use reader::IndexReaderSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

static BUILD_LOCK: Mutex<()> = Mutex::new(());

/// What to open and where its index may live.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Snapshot folders or zip archives, read together.
    pub roots: Vec<PathBuf>,
    /// This snapshot's index folder; default: a folder named by the snapshot's key under
    /// [`default_root`]. Not used for a pack, whose shipped index is read in place.
    pub index_dir: Option<PathBuf>,
    /// Rebuild even when a complete index exists.
    pub rebuild: bool,
    /// Ignore a prebuilt index on the media.
    pub ignore_prebuilt: bool,
    /// Check an existing index against the snapshot's listing before using it, and rebuild it
    /// when the files changed (the CLI, unless `--trust-index`). Off, the index opens at once
    /// as [`Freshness::Unchecked`] and the caller checks later (the viewer, in the background).
    pub verify_first: bool,
    /// A pack already opened (say, with a seal that asked for a passphrase); else a single root
    /// that is a pack, or a folder of its generations, is opened by [`crate::pack::open`].
    pub pack: Option<crate::pack::OpenedPack>,
}

/// How the index came to be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Built just now.
    Built,
    /// A complete index from an earlier build.
    Reopened,
    /// Shipped on the media, opened read-only.
    Prebuilt,
}

/// An opened snapshot.
pub struct SnapshotIndex {
    reader: IndexReaderSet,
    roots: Vec<PathBuf>,
    origin: Origin,
    freshness: Freshness,
    /// The check made before opening, when there was one.
    check: Option<Check>,
    /// Why an existing index was replaced by a new build.
    rebuilt: Option<Rebuilt>,
    /// Opened on first use, for showing source text.
    snapshot: Mutex<Option<Snapshot>>,
    /// The pack the snapshot was opened from, when it was.
    pack: Option<crate::pack::OpenedPack>,
    /// The pack's index file, read in place (for its read counts).
    packed_index: Option<std::sync::Arc<pack_dir::PackedIndexFile>>,
}

/// An existing index opened, not yet known to be fresh.
struct Found {
    reader: IndexReaderSet,
    origin: Origin,
}

impl SnapshotIndex {
    /// Opens the snapshot's index, building it first when there is none, when it is damaged
    /// (「索引が壊れています。再作成します」 in the progress note) and, with
    /// [`OpenOptions::verify_first`], when the snapshot's files changed since it was built.
    /// Progress counters are bumped while files are listed and read; cancelling `progress`
    /// makes this return an error and leaves no index behind.
    pub fn open(options: &OpenOptions, progress: &Progress) -> anyhow::Result<SnapshotIndex> {
        let roots = options.roots.clone();
        anyhow::ensure!(!roots.is_empty(), "no snapshot given");
        for r in &roots {
            anyhow::ensure!(r.exists(), "{}: not found", r.display());
        }
        if !options.rebuild && !options.ignore_prebuilt {
            if let Some(pack) = &options.pack {
                return Self::open_pack_with(pack.clone(), CacheConfig::default(), progress);
            }
            if let [root] = roots.as_slice()
                && let Some(pack) = crate::pack::open::open(root)
            {
                return Self::open_pack_with(pack?, CacheConfig::default(), progress);
            }
        }
        let mut why: Option<Rebuilt> = None;
        if !options.rebuild
            && !options.ignore_prebuilt
            && let Some(pre) = place::prebuilt(&roots)
        {
            match existing(&pre, Origin::Prebuilt) {
                Ok(Some(found)) => match Self::accept(found, &roots, options, progress)? {
                    Ok(index) => return Ok(index),
                    Err(stale) => why = Some(stale),
                },
                Ok(None) => {}
                Err(damaged) => why = Some(damaged),
            }
        }
        let dir = match &options.index_dir {
            Some(d) => d.clone(),
            None => default_root().join(place::folder_name(&roots)),
        };
        refuse_foreign_folder(&dir)?;
        let mut local_stale = options.rebuild;
        if !options.rebuild {
            match existing(&dir, Origin::Reopened) {
                Ok(Some(found)) => match Self::accept(found, &roots, options, progress)? {
                    // A fresh local index beats a stale or damaged one on the media.
                    Ok(index) => return Ok(index),
                    Err(stale) => {
                        why = Some(stale);
                        local_stale = true;
                    }
                },
                Ok(None) => {}
                Err(damaged) => {
                    why = Some(damaged);
                    local_stale = true;
                }
            }
        }
        if let Some(w) = &why {
            progress.set_note(w.message());
        }
        // One build per index folder at a time in this process (the GUI and a print job may
        // ask together); whoever waited finds the finished index.
        let _guard = BUILD_LOCK
            .lock()
            .map_err(|_| anyhow::anyhow!("index build lock poisoned"))?;
        if !local_stale && let Ok(Some(found)) = existing(&dir, Origin::Reopened) {
            // Built by whoever held the lock, from the files as they are now.
            progress.set_stage(Stage::Done);
            return Ok(Self::with(found, roots, Freshness::Matches, None, why));
        }
        build::build(&roots, &dir, progress)?;
        let reader = IndexReaderSet::open(&dir)
            .map_err(|e| anyhow::anyhow!("opening the new index {}: {}", dir.display(), e.message()))?;
        let found = Found {
            reader,
            origin: Origin::Built,
        };
        Ok(Self::with(found, roots, Freshness::Matches, None, why))
    }

    /// A pack: its shipped index, opened in place on the media through the pack's seal (every
    /// block checked against the manifest, decrypted when encrypted) and a block cache as
    /// `cache` says; nothing is copied to the laptop or written anywhere. It is as fresh as
    /// the pack's files are the sizes its manifest says (their hashes are checked as they are
    /// read, and apart).
    pub fn open_pack_with(
        pack: crate::pack::OpenedPack,
        cache: CacheConfig,
        progress: &Progress,
    ) -> anyhow::Result<SnapshotIndex> {
        anyhow::ensure!(
            pack.sizes_match(),
            "{}: the pack's files are not the sizes its manifest says (damaged or altered)",
            pack.dir.display()
        );
        progress.set_stage(Stage::Listing);
        let shipped = packed::open_in_place(&pack, cache)?;
        let shown = shipped.file.path().to_path_buf();
        let reader = IndexReaderSet::open_directories(
            &shown,
            shipped.meta,
            Box::new(shipped.patients),
            Box::new(shipped.records),
        )?;
        progress.set_stage(Stage::Done);
        let found = Found {
            reader,
            origin: Origin::Prebuilt,
        };
        // The generation opened, not the folder holding it: source text is read from the same
        // generation even when a newer one is written meanwhile.
        let mut index = Self::with(found, vec![pack.dir.clone()], Freshness::Matches, None, None);
        // Headers and printouts name the hospital and the generation opened.
        index.reader.meta.snapshot_name = pack.label();
        index.pack = Some(pack);
        index.packed_index = Some(shipped.file);
        Ok(index)
    }

    /// What reading the pack's index in place cost so far (blocks and bytes of `index.zip`
    /// read from the media, blocks found in memory); `None` when not opened from a pack.
    pub fn packed_index_reads(&self) -> Option<CacheStats> {
        self.packed_index.as_ref().map(|f| f.stats())
    }

    /// The pack the snapshot was opened from.
    pub fn pack(&self) -> Option<&crate::pack::OpenedPack> {
        self.pack.as_ref()
    }

    /// Uses an existing index: at once (unchecked), or after checking it against the listing.
    /// The inner error says the files changed.
    fn accept(
        found: Found,
        roots: &[PathBuf],
        options: &OpenOptions,
        progress: &Progress,
    ) -> anyhow::Result<Result<SnapshotIndex, Rebuilt>> {
        let roots = roots.to_vec();
        if !options.verify_first {
            progress.set_stage(Stage::Done);
            return Ok(Ok(Self::with(found, roots, Freshness::Unchecked, None, None)));
        }
        let check = freshness::check(&roots, &found.reader.meta.listing_digest, progress)?;
        if !check.matches {
            return Ok(Err(Rebuilt::Changed));
        }
        progress.set_stage(Stage::Done);
        Ok(Ok(Self::with(
            found,
            roots,
            Freshness::Matches,
            Some(check),
            None,
        )))
    }

    fn with(
        found: Found,
        roots: Vec<PathBuf>,
        freshness: Freshness,
        check: Option<Check>,
        rebuilt: Option<Rebuilt>,
    ) -> Self {
        SnapshotIndex {
            reader: found.reader,
            roots,
            origin: found.origin,
            freshness,
            check,
            rebuilt,
            snapshot: Mutex::new(None),
            pack: None,
            packed_index: None,
        }
    }

    /// Whether the index is known to match the snapshot's files (see [`Self::verify`]).
    pub fn freshness(&self) -> Freshness {
        self.freshness
    }

    /// The check made before the index was used ([`OpenOptions::verify_first`]).
    pub fn check(&self) -> Option<Check> {
        self.check
    }

    /// Why an existing index was replaced by the one open now.
    pub fn rebuilt(&self) -> Option<&Rebuilt> {
        self.rebuilt.as_ref()
    }

    /// The snapshot's display name (folder or archive name).
    pub fn name(&self) -> &str {
        &self.reader.meta.snapshot_name
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Where the index lives.
    pub fn index_dir(&self) -> &Path {
        &self.reader.dir
    }

    pub fn origin(&self) -> Origin {
        self.origin
    }

    pub fn meta(&self) -> &IndexMeta {
        &self.reader.meta
    }

    pub fn report(&self) -> &IngestReport {
        &self.reader.meta.report
    }

    /// The newest data time in the snapshot ("データ基準日時").
    pub fn as_of(&self) -> Option<Timestamp> {
        self.reader.meta.report.as_of
    }

    pub fn patient_count(&self) -> usize {
        self.reader.meta.patients as usize
    }

    /// Inpatients as of the data time, by ward, room and bed.
    pub fn census(&self) -> &Census {
        &self.reader.meta.census
    }

    /// Patients matching what was typed in the search box, best first: exact ID, then ID
    /// prefix, birth date and name matches. When no patient matches and every word could be a
    /// word of a record (no part that is only an ID, a date or a year), the patients whose
    /// records mention the words, most mentions first, each with what matched.
    pub fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<PatientHit>> {
        self.reader.search(query, limit)
    }

    /// One patient's search line, by exact id.
    pub fn patient(&self, id: &str) -> anyhow::Result<Option<PatientHit>> {
        self.reader.patient(id)
    }

    /// Every record of one patient (all statuses), oldest first; undated records last.
    pub fn records(&self, id: &str) -> anyhow::Result<Vec<Record>> {
        self.reader.records(id)
    }

    /// What the chart needs about the patient beyond the records: the PID demographics for a
    /// patient without a master, conflicting records, namesakes.
    pub fn facts(&self, id: &str) -> anyhow::Result<crate::ingest::PersonFacts> {
        self.reader.facts(id)
    }

    /// One patient's chart, as every face shows it: records, PID fallback and identity.
    pub fn chart(&self, id: &str) -> anyhow::Result<crate::chart::PatientChart> {
        let records = self.records(id)?;
        let facts = self.facts(id)?;
        Ok(crate::chart::PatientChart::build(id, records, self.as_of())
            .with_fallback_demographics(facts.fallback)
            .with_identity(facts.identity))
    }

    /// Up to `n` patients, in no particular order (benchmarks, drills).
    pub fn some_patients(&self, n: usize) -> anyhow::Result<Vec<PatientHit>> {
        self.reader.some_patients(n)
    }

    /// The patient with the most records, and how many.
    pub fn heaviest_patient(&self) -> anyhow::Result<Option<(PatientHit, u32)>> {
        self.reader.heaviest_patient()
    }

    /// The original text a record came from: its HL7 segments, or its FHIR resource.
    pub fn source_text(&self, record: &Record) -> anyhow::Result<String> {
        let mut guard = self
            .snapshot
            .lock()
            .map_err(|_| anyhow::anyhow!("snapshot handle poisoned"))?;
        if guard.is_none() {
            *guard = Some(Snapshot::open(&self.roots)?);
        }
        let snap = guard.as_mut().context("snapshot not open")?;
        match source_text::of(snap, record) {
            Ok(t) => Ok(t),
            Err(_) => {
                // Archives nested in folders become readable roots only once listed.
                snap.list();
                source_text::of(snap, record)
            }
        }
    }

    /// Whether the snapshot still has the files the index was built from (a full listing:
    /// slow on millions of files, so the viewer runs it in the background).
    pub fn verify(&self) -> anyhow::Result<bool> {
        if let Some(pack) = &self.pack {
            return Ok(pack.sizes_match());
        }
        Ok(freshness::check(&self.roots, &self.reader.meta.listing_digest, &Progress::new())?.matches)
    }
}

/// A rebuild replaces the index folder whole: never a folder that holds something else (an
/// `--index` given by mistake).
fn refuse_foreign_folder(dir: &Path) -> anyhow::Result<()> {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        anyhow::ensure!(!dir.exists(), "{}: not a folder", dir.display());
        return Ok(());
    };
    let ours = [
        meta::COMPLETE_FILE,
        meta::META_FILE,
        build::PATIENTS_DIR,
        build::RECORDS_DIR,
    ]
    .iter()
    .any(|n| dir.join(n).exists());
    anyhow::ensure!(
        ours || entries.next().is_none(),
        "{}: not a Lifeboat index folder (it holds other files); give a new or empty folder",
        dir.display()
    );
    Ok(())
}

/// The complete index in `dir`: none when there is nothing there (or an empty folder), an
/// error saying why when something is there that cannot be opened.
fn existing(dir: &Path, origin: Origin) -> Result<Option<Found>, Rebuilt> {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    if entries.next().is_none() {
        return Ok(None);
    }
    // Builds are renamed into place whole, so a folder without its marker was damaged since.
    if !IndexMeta::is_complete(dir) {
        return Err(Rebuilt::Damaged(format!(
            "{}: {} or {} is missing",
            dir.display(),
            meta::COMPLETE_FILE,
            meta::META_FILE
        )));
    }
    let reader = IndexReaderSet::open(dir)?;
    Ok(Some(Found { reader, origin }))
}

/// Builds the index of `roots` into `target` (created; must not hold anything else), for the
/// pack writer, which ships it.
pub fn build_into(roots: &[PathBuf], target: &Path, progress: &Progress) -> anyhow::Result<IndexMeta> {
    build::build_as(roots, target, progress, build::Store::Shipped)
}
