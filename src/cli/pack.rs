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
    /// Encrypt the archive and the index with age under a passphrase (asked twice, or read
    /// from --passphrase-file); the laptop asks for it when opening.
    #[arg(long)]
    pub encrypt: bool,
    /// Sign the manifest with this secret key (from `lifeboat keygen`).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// The secret key's passphrase, from this file instead of asking.
    #[arg(long, requires = "key")]
    pub key_passphrase_file: Option<PathBuf>,
    /// scrypt work factor of the pack key (tests use less; default about a second).
    #[arg(long, hide = true, default_value_t = crate::pack::crypt::WORK_FACTOR)]
    pub work_factor: u8,
    /// Largest archive part in bytes (tests use small parts).
    #[arg(long, hide = true, default_value_t = DEFAULT_PART_BYTES)]
    pub part_bytes: u64,
}

impl PackArgs {
    /// The options with a plain seal and no signer.
    pub fn options(&self) -> PackOptions {
        let mut o = PackOptions::new(self.out.clone(), self.hospital.clone());
        o.days = self.days;
        o.generations = self.generations;
        o.viewer = self.viewer.clone();
        o.part_bytes = self.part_bytes;
        o.work_factor = self.work_factor;
        o
    }

    /// The options with the signer and the passphrase: asked before any work starts, so that
    /// a nightly job fails at once on a wrong key passphrase, not after an hour of packing.
    pub fn options_with_secrets(
        &self,
        passphrase_file: Option<&std::path::Path>,
    ) -> anyhow::Result<PackOptions> {
        let mut o = self.options();
        if self.encrypt {
            let p = super::secret::passphrase(passphrase_file, "メディアのパスフレーズ: ")?;
            if passphrase_file.is_none() {
                let again = super::secret::passphrase(None, "もう一度: ")?;
                anyhow::ensure!(again == p, "the two passphrases differ; nothing written");
            }
            o.passphrase = Some(p);
        }
        if let Some(key) = &self.key {
            let p = super::secret::passphrase(self.key_passphrase_file.as_deref(), "署名鍵のパスフレーズ: ")?;
            let signer = std::sync::Arc::new(crate::trust::Signer::load(key, &p)?);
            o.key_id = Some(signer.key_id());
            let hospital = self.hospital.clone();
            o.signer = Some(std::sync::Arc::new(move |bytes: &[u8]| {
                let comment = format!(
                    "Lifeboat pack; hospital: {hospital}; signed: {}",
                    chrono::Local::now().format("%Y-%m-%d %H:%M")
                );
                signer.sign(bytes, &comment)
            }));
        }
        Ok(o)
    }
}

/// Runs the pack with a progress line on stderr every few seconds.
pub fn run(args: &PackArgs, passphrase_file: Option<&std::path::Path>) -> anyhow::Result<PackReport> {
    let options = args.options_with_secrets(passphrase_file)?;
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
