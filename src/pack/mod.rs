//! Packed media (issue 15): a window of the snapshot in one archive (split in parts under
//! 4 GB), its prebuilt index, a manifest with the SHA-256 of every file, a minisign signature
//! and optional age encryption; written by `lifeboat pack`, opened by the viewer and the CLI.

pub mod archive;
pub mod crypt;
pub mod generation;
pub mod index_pack;
pub mod keyring;
pub mod manifest;
pub mod media;
pub mod open;
pub mod reuse;
pub mod seal;
pub mod select;
pub mod solid;
pub mod spool;
pub mod verify;

pub use manifest::{FileHash, Manifest, is_pack};
pub use open::OpenedPack;
pub use seal::{Plain, ReadSeek, Seal, SealWrite, SharedSeal};

use crate::model::RecordKind;
use crate::progress::{Progress, Stage};
use crate::source::Snapshot;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Signs the manifest bytes; returns the `.minisig` text.
pub type Signer = Arc<dyn Fn(&[u8]) -> anyhow::Result<String> + Send + Sync>;

pub struct PackOptions {
    pub out: PathBuf,
    /// Window length in days before the data time.
    pub days: u32,
    pub hospital: String,
    /// Complete generations kept in `out` (the new one included).
    pub generations: usize,
    /// Viewer binaries copied into the pack's `viewer/` folder.
    pub viewer: Option<PathBuf>,
    /// A part is closed before it would pass this.
    pub part_bytes: u64,
    /// How files are written when not encrypted ([`Plain`]).
    pub seal: SharedSeal,
    /// Encrypt with age under this passphrase (a fresh pack key, see [`crypt`]).
    pub passphrase: Option<String>,
    /// scrypt work factor for the pack key ([`crypt::WORK_FACTOR`]; tests use less).
    pub work_factor: u8,
    pub signer: Option<Signer>,
    /// Shown in the readme.
    pub key_id: Option<String>,
}

impl PackOptions {
    pub fn new(out: PathBuf, hospital: String) -> Self {
        Self {
            out,
            days: 400,
            hospital,
            generations: 1,
            viewer: None,
            part_bytes: archive::DEFAULT_PART_BYTES,
            seal: Arc::new(Plain),
            passphrase: None,
            work_factor: crypt::WORK_FACTOR,
            signer: None,
            key_id: None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct PackReport {
    /// The new generation's folder.
    pub dir: PathBuf,
    pub parts: Vec<String>,
    pub packed_files: u64,
    /// Files outside the window, per source: (source, count).
    pub left_out: Vec<(String, u64)>,
    pub reused: u64,
    pub compressed: u64,
    pub pack_bytes: u64,
    pub index_bytes: u64,
    pub raw_bytes: u64,
    pub removed_generations: Vec<PathBuf>,
    pub stale_removed: usize,
    pub seconds: f64,
    /// Where the time went: reading the sources to choose files, writing the parts, building
    /// the index.
    pub select_seconds: f64,
    pub archive_seconds: f64,
    pub index_seconds: f64,
    pub manifest: Manifest,
}

impl PackReport {
    pub fn render(&self) -> String {
        let mut s = format!(
            "wrote {} ({} parts, {} files; {} copied from the previous pack, {} compressed) in {:.1} s \
             (choosing {:.1} s, archive {:.1} s, index {:.1} s)\n",
            self.dir.display(),
            self.parts.len(),
            self.packed_files,
            self.reused,
            self.compressed,
            self.seconds,
            self.select_seconds,
            self.archive_seconds,
            self.index_seconds
        );
        let m = &self.manifest;
        s.push_str(&format!(
            "window: {} days, {} .. {} (data as of {}); {} patients\n",
            m.window.days,
            m.window.from,
            m.window.to,
            m.data_time.as_deref().unwrap_or("unknown"),
            m.patients
        ));
        for (src, n) in &self.left_out {
            s.push_str(&format!("left out (outside the window): {n} files of {src}\n"));
        }
        if self.stale_removed > 0 {
            s.push_str(&format!(
                "removed {} unfinished pack(s) of an earlier run\n",
                self.stale_removed
            ));
        }
        for g in &self.removed_generations {
            s.push_str(&format!("removed old generation {}\n", g.display()));
        }
        s.push_str(&media::size_report(
            self.pack_bytes,
            self.index_bytes,
            self.raw_bytes,
        ));
        s
    }
}

/// Packs `sources` into a new generation in `options.out`.
pub fn pack(sources: &[PathBuf], options: &PackOptions, progress: &Progress) -> anyhow::Result<PackReport> {
    let started = Instant::now();
    anyhow::ensure!(!sources.is_empty(), "no source given");
    check_out(&options.out, sources)?;
    std::fs::create_dir_all(&options.out).with_context(|| format!("creating {}", options.out.display()))?;
    let _lock = generation::lock(&options.out)?;
    let stale_removed = generation::remove_stale(&options.out)?;
    let encryption = match &options.passphrase {
        Some(_) => Some(crypt::NAME),
        None => options.seal.name(),
    };
    // The previous generation, for copying unchanged entries: an encrypted one is unlocked
    // with this run's passphrase (another passphrase: everything is compressed anew).
    let mut previous = open::generations(&options.out)
        .pop()
        .filter(|g| match &options.passphrase {
            Some(p) => keyring::unlock(g, p).is_ok(),
            None => true,
        })
        .and_then(|g| open::open(&g))
        .and_then(Result::ok)
        .filter(|p| p.manifest.encryption.as_deref() == encryption)
        .and_then(|p| reuse::Previous::open(&p));

    let mut snap = Snapshot::open(sources)?;
    let labels: Vec<String> = if sources.len() > 1 {
        sources.iter().map(|p| label(p)).collect()
    } else {
        Vec::new()
    };
    let mut sel = select::select(&mut snap, options.days, &labels, progress)?;
    let select_seconds = started.elapsed().as_secs_f64();

    let created = chrono::Local::now();
    let name = generation::free_name(&options.out, &generation::name_for(created));
    let partial = options.out.join(format!("{name}{}", open::PARTIAL));
    std::fs::create_dir(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let seal: SharedSeal = match &options.passphrase {
        Some(p) => {
            let age = Arc::new(
                crypt::AgeSeal::create(&partial, p, options.work_factor)
                    .with_context(|| format!("writing the pack key in {}", partial.display()))?,
            );
            // The index is built by opening the pack being written.
            keyring::insert(&partial, age.clone());
            age
        }
        None => options.seal.clone(),
    };

    progress.set_stage(Stage::Reading);
    progress.begin(
        sel.chosen.len() as u64,
        sel.chosen.iter().map(|c| c.file.size).sum(),
    );
    let written = archive::write(
        &snap,
        &mut sel.chosen,
        &partial,
        &seal,
        options.part_bytes,
        previous.as_mut(),
        progress,
    )?;
    drop(previous);
    let archive_seconds = started.elapsed().as_secs_f64() - select_seconds;

    let first = sel.rule.first_day();
    let mut m = Manifest {
        format: manifest::FORMAT,
        hospital: options.hospital.clone(),
        data_time: select::iso(sel.rule.as_of),
        created: created.to_rfc3339(),
        window: manifest::Window {
            days: options.days,
            from: first.map(|d| d.to_string()).unwrap_or_default(),
            to: sel.rule.as_of.map(|t| t.date().to_string()).unwrap_or_default(),
        },
        encryption: encryption.map(str::to_string),
        sources: sources
            .iter()
            .zip(
                sel.per_source
                    .iter()
                    .chain(std::iter::repeat(&select::SourceCount::default())),
            )
            .map(|(p, c)| manifest::SourceSummary {
                path: p.display().to_string(),
                kind: c.kind().to_string(),
                files: c.files,
                bytes: c.bytes,
                packed_files: c.packed_files,
                left_out_outside_window: c.left_out,
            })
            .collect(),
        report: manifest::ReportTotals {
            files: sel.report.files_total,
            mapped: sel.report.files_mapped,
            with_warnings: sel.report.files_with_warnings,
            rejected: sel.report.files_rejected,
            skipped: sel.report.files_unsupported,
            records: sel.report.record_total(),
        },
        parts: written.parts.clone(),
        ..Manifest::default()
    };
    // The index is built from the pack as written, which the reader opens by its manifest.
    m.files = hash_all(&partial, &written.parts)?;
    std::fs::write(partial.join(manifest::MANIFEST), m.to_bytes())?;
    let index_started = Instant::now();
    let (index_name, meta) = index_pack::write(&partial, &name, &seal, progress)?;
    let index_seconds = index_started.elapsed().as_secs_f64();
    m.index = Some(index_name.clone());
    m.patients = meta.report.patients;
    m.mode = meta.report.mode();
    m.counts = RecordKind::ALL
        .iter()
        .filter_map(|k| {
            let n = *meta.report.records.get(k.key())?;
            (n > 0).then(|| (k.label_ja().to_string(), n))
        })
        .collect();

    let mut names: Vec<String> = written.parts.clone();
    names.push(index_name.clone());
    if options.passphrase.is_some() {
        names.push(crypt::KEY_FILE.to_string());
    }
    if let Some(v) = &options.viewer {
        names.extend(copy_viewer(v, &partial)?);
    }
    m.files = hash_all(&partial, &names)?;
    let bytes = m.to_bytes();
    write_synced(&partial.join(manifest::MANIFEST), &bytes)?;
    if let Some(sign) = &options.signer {
        let sig = sign(&bytes).context("signing the manifest")?;
        write_synced(&partial.join(manifest::SIGNATURE), sig.as_bytes())?;
    }
    generation::check(&partial, &m)?;
    let dir = generation::commit(&options.out, &partial, &name)?;
    let removed_generations = generation::prune(&options.out, options.generations)?;
    media::write_atomic(
        &options.out,
        media::README,
        &media::readme(&m, &name, options.key_id.as_deref(), options.viewer.is_some()),
    )?;
    progress.set_stage(Stage::Done);

    let size = |n: &String| m.file(n).map_or(0, |f| f.size);
    Ok(PackReport {
        dir,
        parts: written.parts.clone(),
        packed_files: sel.chosen.len() as u64,
        left_out: sources
            .iter()
            .zip(&sel.per_source)
            .map(|(p, c)| (p.display().to_string(), c.left_out))
            .collect(),
        reused: written.reused,
        compressed: written.compressed,
        pack_bytes: written.parts.iter().map(size).sum(),
        index_bytes: size(&index_name),
        raw_bytes: sel.per_source.iter().map(|c| c.bytes).sum(),
        removed_generations,
        stale_removed,
        seconds: started.elapsed().as_secs_f64(),
        select_seconds,
        archive_seconds,
        index_seconds,
        manifest: m,
    })
}

fn label(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// The output folder must lie outside every source, and no source inside it: nothing is ever
/// written into the storage, and a pack is never packed into itself.
fn check_out(out: &Path, sources: &[PathBuf]) -> anyhow::Result<()> {
    let abs = |p: &Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let o = abs(out);
    for s in sources {
        let s = abs(s);
        anyhow::ensure!(
            !o.starts_with(&s) && !s.starts_with(&o),
            "--out {} must be outside the source {} (and not hold it)",
            out.display(),
            s.display()
        );
    }
    Ok(())
}

fn hash_all(dir: &Path, names: &[String]) -> anyhow::Result<Vec<FileHash>> {
    names
        .iter()
        .map(|n| manifest::hash_file(dir, n).with_context(|| format!("hashing {}", dir.join(n).display())))
        .collect()
}

fn write_synced(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// Copies the files of `from` (not below) into `pack/viewer/`; returns their pack paths.
fn copy_viewer(from: &Path, pack: &Path) -> anyhow::Result<Vec<String>> {
    let dir = pack.join("viewer");
    std::fs::create_dir_all(&dir)?;
    let mut names = Vec::new();
    for e in std::fs::read_dir(from).with_context(|| format!("listing {}", from.display()))? {
        let e = e?;
        if !e.file_type()?.is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        let target = dir.join(&name);
        std::fs::copy(e.path(), &target).with_context(|| format!("copying {}", e.path().display()))?;
        std::fs::File::open(&target)?.sync_all()?;
        names.push(format!("viewer/{name}"));
    }
    names.sort();
    Ok(names)
}
