//! The `lifeboat` command.

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};
use lifeboat::chart::PatientDump;
use lifeboat::ingest::{IngestOptions, ingest};
use lifeboat::source::Snapshot;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Print one patient's whole chart, read directly from the snapshot.
    Show {
        patient_id: String,
        /// Snapshot folder or zip archive (repeat for several roots).
        #[arg(long, required = true)]
        snapshot: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
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
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lifeboat: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::Gen {
            out,
            patients,
            days,
            seed,
            end,
        }) => {
            let started = std::time::Instant::now();
            let opts = lifeboat::synth::GenOptions {
                out: out.clone(),
                patients,
                days,
                seed,
                end,
            };
            let summary = lifeboat::synth::generate(&opts)?;
            println!(
                "wrote {} patients, {} files, {:.1} MB in {:.1} s to {} ({} inpatients at the end, {} deliberately broken files)",
                summary.patients,
                summary.files,
                summary.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64(),
                out.display(),
                summary.inpatients_at_end,
                summary.broken_files.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { snapshot, json }) => {
            let mut snap = Snapshot::open(&snapshot)?;
            let report = ingest(&mut snap, &IngestOptions::default(), |_| {});
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", lifeboat::cli::check::render(&report));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Show {
            patient_id,
            snapshot,
            json,
        }) => {
            let mut snap = Snapshot::open(&snapshot)?;
            let options = IngestOptions {
                patient: Some(patient_id.clone()),
                ..Default::default()
            };
            let mut records = Vec::new();
            let mut problems = Vec::new();
            let mut fallback = None;
            let mut fallback_time = None;
            ingest(&mut snap, &options, |o| {
                records.extend(o.records.iter().cloned());
                problems.extend(o.problems.iter().cloned());
                if o.demographics.is_some() && (fallback.is_none() || o.written_at > fallback_time) {
                    fallback = o.demographics.clone();
                    fallback_time = o.written_at;
                }
            });
            let dump = PatientDump::build(records, fallback, problems);
            if dump.is_empty() {
                bail!("no data for patient {patient_id} in {}", snap.name());
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&dump)?);
            } else {
                print!("{}", lifeboat::cli::show::render(&dump));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::BenchFhir { files, rounds }) => {
            print!(
                "{}",
                lifeboat::fhir::bench::run(&files, rounds).map_err(anyhow::Error::msg)?
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            lifeboat::ui::run(cli.paths)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
