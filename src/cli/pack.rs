//! `lifeboat pack`: the window of a live storage as a pack (archive parts, prebuilt index,
//! manifest), written as a new generation in `--out`.

use crate::pack::{PackOptions, PackReport, archive::DEFAULT_PART_BYTES, pack};
use crate::progress::Progress;
use std::path::PathBuf;

#[derive(clap::Args, Clone, Debug)]
pub struct PackArgs {
    /// SS-MIX2 storage roots, FHIR folders or zip archives (read together).
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// Output folder: the media root (DVD staging folder or USB drive); each pack is a
    /// generation folder inside it.
    #[arg(long)]
    pub out: PathBuf,
    /// Days before the data time kept whole (what a chart needs is kept whatever its date).
    #[arg(long, default_value_t = 400)]
    pub days: u32,
    /// Hospital name, shown in the viewer's header and the readme.
    #[arg(long, default_value = "")]
    pub hospital: String,
    /// Complete generations kept in --out (the new one included).
    #[arg(long, default_value_t = 1)]
    pub generations: usize,
    /// Folder holding the viewer binaries (Windows and Linux) to put on the media.
    #[arg(long)]
    pub viewer: Option<PathBuf>,
    /// Largest archive part in bytes (tests use small parts).
    #[arg(long, hide = true, default_value_t = DEFAULT_PART_BYTES)]
    pub part_bytes: u64,
}

impl PackArgs {
    /// The options with a plain seal and no signer (signing and encryption are added to them).
    pub fn options(&self) -> PackOptions {
        let mut o = PackOptions::new(self.out.clone(), self.hospital.clone());
        o.days = self.days;
        o.generations = self.generations;
        o.viewer = self.viewer.clone();
        o.part_bytes = self.part_bytes;
        o
    }
}

/// Runs the pack with a progress line on stderr every few seconds.
pub fn run(args: &PackArgs) -> anyhow::Result<PackReport> {
    let options = args.options();
    let progress = Progress::new();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut ticks = 0u32;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                ticks += 1;
                if ticks.is_multiple_of(50) {
                    eprintln!("{}", progress.view().line());
                }
            }
        });
        let result = pack(&args.sources, &options, &progress);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    })
}
