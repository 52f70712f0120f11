//! The `lifeboat` command.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use lifeboat::cli::{exit, out};
use lifeboat::export::fhir::{ExportOptions, Layout, check_out_dir, export_snapshot};
use lifeboat::index::OpenOptions;
use lifeboat::source::Snapshot;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

// Reading a snapshot makes hundreds of small allocations per message on the reader threads
// and frees them on others; mimalloc does that faster and returns memory instead of keeping
// per-thread arenas fragmented (measured in the issue 4 note).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "lifeboat",
    version,
    about = "Offline, read-only emergency viewer for SS-MIX2 and FHIR snapshots",
    long_about = "Offline, read-only emergency viewer for SS-MIX2 and FHIR snapshots.\n\n\
                  Without a command it opens the desktop viewer: on the given snapshot folders or zip \
                  archives, else on the last snapshot opened, else on sample-data/.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Snapshot folders or zip archives to open in the viewer (read together).
    paths: Vec<PathBuf>,
    /// An encrypted pack's passphrase (first line of this file) instead of asking; for `pack
    /// --encrypt`, the passphrase to encrypt with.
    #[arg(long, global = true)]
    passphrase_file: Option<PathBuf>,
    /// Who is looking (required by show, search and print; every look is logged): a name.
    #[arg(long, global = true)]
    operator: Option<String>,
    /// The operator's staff ID.
    #[arg(long, global = true)]
    staff_id: Option<String>,
    /// The operator's role: 医師, 看護師, 薬剤師, 診療放射線技師, 事務, その他 (or doctor, nurse ...).
    #[arg(long, global = true)]
    role: Option<String>,
    /// The audit log (default: audit.jsonl in the user's data folder, never on the media).
    #[arg(long, global = true)]
    audit_log: Option<PathBuf>,
}

#[derive(clap::Args, Clone, Debug)]
struct IndexArgs {
    /// The index folder for this snapshot (default: one per snapshot in the user's data folder).
    #[arg(long = "index")]
    index_dir: Option<PathBuf>,
    /// Ignore a prebuilt index shipped on the media.
    #[arg(long)]
    ignore_prebuilt: bool,
    /// Use an existing index without first checking that the snapshot's files still match it
    /// (the check lists every file: names, sizes and times); answers may then be stale.
    #[arg(long)]
    trust_index: bool,
}

impl IndexArgs {
    fn options(&self, roots: Vec<PathBuf>, rebuild: bool) -> OpenOptions {
        OpenOptions {
            roots,
            index_dir: self.index_dir.clone(),
            rebuild,
            ignore_prebuilt: self.ignore_prebuilt,
            verify_first: !self.trust_index,
            pack: None,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Write a synthetic hospital as an SS-MIX2 standardized storage (deterministic per seed).
    Gen {
        /// Output folder; must not exist or be empty.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 40)]
        patients: u32,
        /// Days of data before the end date.
        #[arg(long, default_value_t = 365)]
        days: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Last day of data (the export time is 23:00 that day).
        #[arg(long, default_value = lifeboat::synth::DEFAULT_END)]
        end: chrono::NaiveDate,
        /// Also write the same hospital as FHIR R4 (JP Core style) into this folder (missing
        /// or empty, not inside --out); it is read back from the storage, so both hold the same.
        #[arg(long)]
        fhir: Option<PathBuf>,
        /// FHIR layout: `ndjson` (Bulk Data, one resource type per file) or `bundles` (one
        /// collection Bundle per patient).
        #[arg(long, default_value = "ndjson", requires = "fhir")]
        fhir_layout: Layout,
    },
    /// Read a snapshot and write it as FHIR R4 (JP Core style): current records only.
    ExportFhir {
        /// Snapshot folders or zip archives (several roots are read together).
        #[arg(required = true)]
        snapshot: Vec<PathBuf>,
        /// Output folder: missing or empty, outside the snapshot.
        #[arg(long)]
        out: PathBuf,
        /// `ndjson` (Bulk Data, one resource type per file) or `bundles` (one collection
        /// Bundle per patient).
        #[arg(long, default_value = "ndjson")]
        layout: Layout,
        /// 10-digit medical institution code for the JP Core patient identifier system.
        #[arg(long, default_value = lifeboat::export::fhir::SYNTHETIC_INSTITUTION)]
        institution: String,
    },
    /// Read a whole snapshot and account for every file (the ingest report).
    Check {
        /// Snapshot folders or zip archives (several roots are read together).
        #[arg(required = true)]
        snapshot: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Build (or check) the index of a snapshot, so that later opening is instant.
    Index {
        /// Snapshot folders or zip archives (several roots are read together).
        #[arg(required = true)]
        snapshot: Vec<PathBuf>,
        #[command(flatten)]
        at: IndexArgs,
        /// Rebuild even when a complete index exists.
        #[arg(long)]
        rebuild: bool,
        /// Only check that the snapshot's files still match the index, without rebuilding:
        /// exit status 1 when they differ.
        #[arg(long, conflicts_with = "rebuild")]
        verify: bool,
    },
    /// Find patients: ID (or its beginning), kanji or kana name, birth date (1948-03-02,
    /// 昭和23年3月2日, S23.3.2), or words from their records (drug, diagnosis, test).
    Search {
        query: String,
        #[arg(long, required = true)]
        snapshot: Vec<PathBuf>,
        #[command(flatten)]
        at: IndexArgs,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Print one patient's whole chart (from the index; built first when needed).
    Show {
        patient_id: String,
        /// Snapshot folder or zip archive (repeat for several roots).
        #[arg(long, required = true)]
        snapshot: Vec<PathBuf>,
        #[command(flatten)]
        at: IndexArgs,
        /// Read the patient's files directly instead of using the index.
        #[arg(long)]
        direct: bool,
        #[arg(long)]
        json: bool,
    },
    /// Print a patient summary or a ward pack as PDF (A4), for the ward during an outage.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["patient", "ward", "all_wards"])))]
    Print {
        /// Snapshot folder or zip archive (repeat for several roots).
        #[arg(long, required = true)]
        snapshot: Vec<PathBuf>,
        /// One patient's summary.
        #[arg(long)]
        patient: Option<String>,
        /// Every inpatient of one ward (code or name), with a cover page.
        #[arg(long)]
        ward: Option<String>,
        /// Every ward in turn.
        #[arg(long)]
        all_wards: bool,
        /// With --ward or --all-wards: the injection and medication worklist (running, due in 24
        /// hours with tick boxes, given in 48 hours) instead of the summaries.
        #[arg(long)]
        worklist: bool,
        /// The PDF to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        at: IndexArgs,
    },
    /// Measure ingest, index build, search and chart-open speed on a snapshot (issue #4 figures).
    Bench {
        /// Snapshot folders or zip archives.
        #[arg(required = true)]
        snapshot: Vec<PathBuf>,
        /// Scratch index folder (rebuilt; default: a temporary folder).
        #[arg(long = "index")]
        index_dir: Option<PathBuf>,
        #[arg(long, default_value_t = 400)]
        queries: usize,
        /// Phases to run, in order (default: all; view needs an index built by build, or an
        /// existing one given with --index).
        #[arg(long, value_delimiter = ',')]
        phases: Vec<lifeboat::bench::Phase>,
        /// Run one phase in this process (the benchmark starts itself with it).
        #[arg(long, hide = true)]
        phase: Option<lifeboat::bench::Phase>,
        /// Same as `--phase view`.
        #[arg(long, hide = true)]
        view: bool,
    },
    /// Pack a window of the storage (archive, prebuilt index, manifest) for a DVD or USB drive.
    Pack(lifeboat::cli::pack::PackArgs),
    /// Make a signing key pair for packs: NAME.key (secret, passphrase-protected; keep it on
    /// the packing server, never on the media) and NAME.pub (for `lifeboat trust add`).
    Keygen {
        /// Path and base name of the two files (`.key` and `.pub` are added).
        #[arg(long)]
        out: PathBuf,
        /// Who signs (shown on every laptop as the signer), e.g. the hospital's name.
        #[arg(long, default_value = "Lifeboat")]
        name: String,
        /// Read the new key's passphrase from this file instead of asking.
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
    },
    /// The audit log: check its hash chain, show who looked at whom, export it as CSV.
    Audit {
        #[command(subcommand)]
        command: lifeboat::cli::audit::AuditCommand,
    },
    /// Manage the signing keys this laptop trusts.
    Trust {
        #[command(subcommand)]
        command: lifeboat::cli::trust::TrustCommand,
    },
    /// Check packed media: its signature against the trusted keys and every file's SHA-256
    /// against the manifest (exit 0 intact and trusted, 6 tampered, 7 intact but unverified).
    Verify {
        /// A pack folder, or the folder holding generations of packs (each is checked).
        media: PathBuf,
    },
    /// Remove the indexes Lifeboat built on this laptop (of snapshot folders; packs are read in
    /// place and leave none). The audit log stays: it is the record of who looked.
    Forget,
    /// Measure FHIR parse throughput on one core (best of several rounds).
    BenchFhir {
        /// FHIR files (JSON, NDJSON or XML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; bad arguments are (code 1, see README).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::ERROR } else { exit::OK });
        }
    };
    match run(cli) {
        Ok(code) => code,
        // Whoever read the output went away (`| head`): nothing to say, nothing failed here.
        Err(e) if out::is_broken_pipe(&e) => ExitCode::from(exit::OK),
        Err(e) => {
            // File names and IDs in messages come from the media: escaped like all text output.
            note(&format!("lifeboat: {e:#}"));
            ExitCode::from(exit::for_error(&e))
        }
    }
}

/// A line on stderr that never panics (a closed stderr is not worth a crash).
fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", out::terminal_safe(line));
}

/// Ends a command whose output is written: a closed pipe keeps the command's own code, any
/// other write error is an error.
fn finish(written: std::io::Result<()>, code: u8) -> Result<ExitCode> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::from(code)),
        Err(e) => Err(anyhow::Error::from(e).context("writing the output")),
        Ok(()) => Ok(ExitCode::from(code)),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let roots: &[PathBuf] = match &cli.command {
        Some(
            Command::ExportFhir { snapshot, .. }
            | Command::Check { snapshot, .. }
            | Command::Index { snapshot, .. }
            | Command::Search { snapshot, .. }
            | Command::Show { snapshot, .. }
            | Command::Print { snapshot, .. }
            | Command::Bench { snapshot, .. },
        ) => snapshot,
        _ => &[],
    };
    exit::check_roots(roots)?;
    // Every look at patient data is logged with who looked: asked before anything opens.
    let audit = match &cli.command {
        Some(Command::Search { .. } | Command::Show { .. } | Command::Print { .. }) => {
            let operator = lifeboat::cli::audit::operator(
                cli.operator.as_deref(),
                cli.staff_id.as_deref(),
                cli.role.as_deref(),
            )?;
            let path = lifeboat::cli::audit::log_path(cli.audit_log.as_deref())?;
            Some(lifeboat::cli::audit::open_for(&operator, &path)?)
        }
        _ => None,
    };
    // Encrypted packs are unlocked before anything opens them.
    for r in roots {
        if let Some(dir) = lifeboat::pack::keyring::needs_passphrase(r) {
            let p = lifeboat::cli::secret::passphrase(
                cli.passphrase_file.as_deref(),
                &format!("{} のパスフレーズ: ", dir.display()),
            )?;
            lifeboat::pack::keyring::unlock(&dir, &p)
                .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        }
    }
    match cli.command {
        Some(Command::Gen {
            out,
            patients,
            days,
            seed,
            end,
            fhir,
            fhir_layout,
        }) => {
            if let Some(dir) = &fhir {
                // Checked before anything is written, so a bad folder costs nothing.
                check_out_dir(dir, &[&out])?;
            }
            let started = std::time::Instant::now();
            let opts = lifeboat::synth::GenOptions {
                out: out.clone(),
                patients,
                days,
                seed,
                end,
            };
            let summary = lifeboat::synth::generate(&opts)?;
            let mut text = format!(
                "wrote {} patients, {} files, {:.1} MB in {:.1} s to {} ({} inpatients at the end, {} deliberately broken files)\n",
                summary.patients,
                summary.files,
                summary.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64(),
                out.display(),
                summary.inpatients_at_end,
                summary.broken_files.len()
            );
            if let Some(dir) = fhir {
                let started = std::time::Instant::now();
                let opts = ExportOptions {
                    out: dir.clone(),
                    layout: fhir_layout,
                    institution: lifeboat::export::fhir::SYNTHETIC_INSTITUTION.to_string(),
                    as_of: end.and_hms_opt(23, 0, 0),
                    // Generated: a drill's data, tagged so in FHIR too.
                    drill: true,
                };
                let mut snap = Snapshot::open(std::slice::from_ref(&out))?;
                let (summary, _) = export_snapshot(&mut snap, &opts)
                    .with_context(|| format!("writing FHIR into {}", dir.display()))?;
                text.push_str(&format!(
                    "wrote FHIR ({fhir_layout}) in {:.1} s to {}: {}",
                    started.elapsed().as_secs_f64(),
                    dir.display(),
                    summary.render()
                ));
            }
            finish(out::text(&text), exit::OK)
        }
        Some(Command::ExportFhir {
            snapshot,
            out,
            layout,
            institution,
        }) => {
            if institution.len() != 10 || !institution.bytes().all(|b| b.is_ascii_digit()) {
                bail!("--institution must be the 10-digit medical institution code, not {institution:?}");
            }
            // Nothing is ever written to the snapshot's media.
            let roots: Vec<&std::path::Path> = snapshot.iter().map(PathBuf::as_path).collect();
            check_out_dir(&out, &roots)?;
            let started = std::time::Instant::now();
            let mut snap = Snapshot::open(&snapshot)?;
            let opts = ExportOptions {
                out: out.clone(),
                layout,
                institution,
                as_of: None,
                drill: false,
            };
            let (summary, report) = export_snapshot(&mut snap, &opts)
                .with_context(|| format!("writing FHIR into {}", out.display()))?;
            let as_of = report.as_of.map(|t| t.to_iso()).unwrap_or_else(|| "-".into());
            let text = format!(
                "read {} files (data as of {as_of}); wrote FHIR ({layout}) in {:.1} s to {}: {}",
                report.files_total,
                started.elapsed().as_secs_f64(),
                out.display(),
                summary.render()
            );
            finish(out::text(&text), exit::OK)
        }
        Some(Command::Check { snapshot, json }) => {
            let report = lifeboat::cli::check::read(&snapshot)?;
            let written = if json {
                out::json(&report)
            } else {
                out::text(&lifeboat::cli::check::render(&report))
            };
            finish(written, exit::for_report(&report))
        }
        Some(Command::Index {
            snapshot,
            at,
            rebuild,
            verify,
        }) => {
            let mut options = at.options(snapshot, rebuild);
            // --verify reports a mismatch instead of repairing it.
            options.verify_first &= !verify;
            let index = lifeboat::cli::open::open_with_progress(&options, false)?;
            let mut text = lifeboat::cli::check::render(index.report());
            text.push_str(&format!(
                "index: {} ({} patients, {} records, {} inpatients)\n",
                index.index_dir().display(),
                index.patient_count(),
                index.meta().records,
                index.census().len()
            ));
            let mut code = exit::OK;
            if verify {
                if index.verify()? {
                    text.push_str("the snapshot's files match the index\n");
                } else {
                    text.push_str("the snapshot changed since it was indexed: run again with --rebuild\n");
                    code = exit::INDEX_STALE;
                }
            }
            finish(out::text(&text), code)
        }
        Some(Command::Search {
            query,
            snapshot,
            at,
            limit,
            json,
        }) => {
            let index = lifeboat::cli::open::open_with_progress(&at.options(snapshot, false), json)?;
            if let Some(a) = &audit {
                a.record(lifeboat::cli::audit::opened(&index));
                a.record(lifeboat::audit::Event::Search { text: query.clone() });
            }
            let hits = index.search(&query, limit)?;
            let written = if json {
                out::json(&hits)
            } else {
                out::text(&lifeboat::cli::search::render(&query, &hits))
            };
            finish(
                written,
                if hits.is_empty() {
                    exit::NOT_FOUND
                } else {
                    exit::OK
                },
            )
        }
        Some(Command::Show {
            patient_id,
            snapshot,
            at,
            direct,
            json,
        }) => {
            let chart_opened = lifeboat::audit::Event::ChartOpened {
                patient: patient_id.clone(),
            };
            let dump = if direct {
                if let Some(a) = &audit {
                    a.record(lifeboat::audit::Event::SnapshotOpened {
                        source: snapshot
                            .iter()
                            .map(|r| r.display().to_string())
                            .collect::<Vec<_>>()
                            .join(" + "),
                        manifest_sha256: None,
                        signature: "対象外".into(),
                        // Read file by file here: the mode is not known before the files are.
                        mode: String::new(),
                    });
                    a.record(chart_opened);
                }
                lifeboat::cli::show::direct(&snapshot, &patient_id)?
            } else {
                let index = lifeboat::cli::open::open_with_progress(&at.options(snapshot, false), json)?;
                if let Some(a) = &audit {
                    a.record(lifeboat::cli::audit::opened(&index));
                    a.record(chart_opened);
                }
                lifeboat::cli::show::indexed(&index, &patient_id)?
            };
            if dump.is_empty() {
                bail!("no data for patient {patient_id}");
            }
            let written = if json {
                out::json(&dump)
            } else {
                out::text(&lifeboat::cli::show::render(&dump))
            };
            finish(written, exit::OK)
        }
        Some(Command::Print {
            snapshot,
            patient,
            ward,
            all_wards,
            worklist,
            out,
            at,
        }) => {
            let started = std::time::Instant::now();
            let index = lifeboat::cli::open::open_with_progress(&at.options(snapshot, false), false)?;
            let opened = started.elapsed();
            let audit = audit.context("print is logged")?;
            audit.record(lifeboat::cli::audit::opened(&index));
            // The sheet carries the chain head it was printed at: the print's own line follows
            // that head, so the sheet is matched to its line.
            let head = audit.head().hash;
            let options = lifeboat::print::PrintOptions {
                operator: audit.operator().map(|o| o.label()),
                printed_at: None,
                audit_head: Some(head.clone()),
            };
            let (what, patients) =
                lifeboat::print::subject(&index, patient.as_deref(), ward.as_deref(), all_wards, worklist);
            let pdf = match (patient, ward) {
                (Some(_), _) if worklist => bail!("--worklist prints a ward: use --ward or --all-wards"),
                (None, Some(w)) if worklist => lifeboat::print::ward_worklist_pdf(&index, &w, &options)?,
                (None, None) if all_wards && worklist => {
                    lifeboat::print::worklist_pdf(&index, &index.census().wards, &options)?
                }
                (Some(id), _) => lifeboat::print::patient_pdf(&index, &id, &options)?,
                (None, Some(w)) => lifeboat::print::ward_pdf(&index, &w, &options)?,
                (None, None) if all_wards => lifeboat::print::all_wards_pdf(&index, &options)?,
                (None, None) => bail!("--patient, --ward or --all-wards is required"),
            };
            std::fs::write(&out, &pdf).with_context(|| format!("cannot write {}", out.display()))?;
            audit.record(lifeboat::audit::Event::Printed {
                what,
                patients,
                pages: lifeboat::print::page_count(&pdf),
                file: Some(out.display().to_string()),
                sheet: head.chars().take(8).collect(),
            });
            audit.flush();
            note(&format!(
                "wrote {} ({} KB): snapshot opened in {:.2} s, PDF made in {:.2} s",
                out.display(),
                pdf.len() / 1024,
                opened.as_secs_f64(),
                (started.elapsed() - opened).as_secs_f64()
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Bench {
            snapshot,
            index_dir,
            queries,
            phases,
            phase,
            view,
        }) => {
            let phase = if view {
                Some(lifeboat::bench::Phase::View)
            } else {
                phase
            };
            if let Some(phase) = phase {
                let dir = index_dir.context("a single phase needs --index")?;
                let opts = lifeboat::bench::BenchOptions {
                    roots: snapshot,
                    index_dir: dir,
                    queries,
                    phases: vec![phase],
                };
                return finish(out::text(&lifeboat::bench::run_phase(&opts, phase)?), exit::OK);
            }
            let scratch = match &index_dir {
                Some(_) => None,
                None => Some(tempfile_dir()?),
            };
            let dir = index_dir.unwrap_or_else(|| scratch.clone().unwrap_or_default().join("index"));
            let result = lifeboat::bench::run(&lifeboat::bench::BenchOptions {
                roots: snapshot,
                index_dir: dir,
                queries,
                phases: if phases.is_empty() {
                    lifeboat::bench::PHASES.to_vec()
                } else {
                    phases
                },
            });
            if let Some(s) = scratch {
                let _ = std::fs::remove_dir_all(s);
            }
            finish(out::text(&result?), exit::OK)
        }
        Some(Command::Pack(args)) => finish(
            out::text(&lifeboat::cli::pack::run(&args, cli.passphrase_file.as_deref())?.render()),
            exit::OK,
        ),
        Some(Command::Keygen {
            out: base,
            name,
            passphrase_file,
        }) => {
            let pass =
                lifeboat::cli::secret::passphrase(passphrase_file.as_deref(), "新しい鍵のパスフレーズ: ")?;
            if passphrase_file.is_none() {
                let again = lifeboat::cli::secret::passphrase(None, "もう一度: ")?;
                anyhow::ensure!(again == pass, "the two passphrases differ; nothing written");
            }
            let k = lifeboat::trust::keygen(&base, &pass, &name)?;
            let text = format!(
                "key {id}\n  secret: {sk} (keep it on the packing server; never on the media)\n  \
                 public: {pk} (on each laptop: lifeboat trust add {pk})\n",
                id = k.key_id,
                sk = k.secret.display(),
                pk = k.public.display(),
            );
            finish(out::text(&text), exit::OK)
        }
        Some(Command::Audit { command }) => {
            let log = lifeboat::cli::audit::log_path(cli.audit_log.as_deref())?;
            let (text, code) = lifeboat::cli::audit::run(command, &log)?;
            finish(out::text(&text), code)
        }
        Some(Command::Trust { command }) => {
            let text = lifeboat::cli::trust::trust(command, &lifeboat::trust::TrustStore::default_store())?;
            finish(out::text(&text), exit::OK)
        }
        Some(Command::Verify { media }) => {
            let progress = lifeboat::progress::Progress::new();
            let (text, code) = lifeboat::cli::trust::verify(
                &media,
                &lifeboat::trust::TrustStore::default_store(),
                &progress,
            )?;
            finish(out::text(&text), code)
        }
        Some(Command::Forget) => {
            let text = lifeboat::cli::trust::forget(&lifeboat::index::default_root())?;
            finish(out::text(&text), exit::OK)
        }
        Some(Command::BenchFhir { files, rounds }) => {
            let text = lifeboat::fhir::bench::run(&files, rounds).map_err(anyhow::Error::msg)?;
            finish(out::text(&text), exit::OK)
        }
        None => {
            lifeboat::ui::run(cli.paths)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A fresh scratch folder under the system temp dir.
fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("lifeboat-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}
