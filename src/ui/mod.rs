//! The desktop viewer (egui/eframe). One file per screen or chart tab; the state lives in
//! [`LifeboatApp`], loading runs on background threads ([`jobs`]).

mod app;
mod census;
mod chart;
mod clipboard;
mod fonts;
pub mod format;
mod header;
mod header_freshness;
mod header_trust;
mod idle;
mod jobs;
mod keys;
mod open_screen;
mod print_hook;
mod problems;
mod search;
mod settings;
mod signin;
mod start_list;
pub mod theme;

pub use app::{LifeboatApp, Screen, StartOptions};
pub use fonts::{definitions as font_definitions, install as install_fonts};
pub use print_hook::PrintRequest;
pub use settings::Settings;

use std::path::PathBuf;

/// Runs the viewer window. `roots` empty: the last snapshot or the bundled sample data.
pub fn run(roots: Vec<PathBuf>) -> anyhow::Result<()> {
    let settings_path = Settings::default_path();
    let roots = if roots.is_empty() {
        StartOptions::default_roots(&Settings::load(settings_path.as_deref()))
    } else {
        roots
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Lifeboat 非常用カルテビューア")
            // Maximised: emergency laptops are often 1366×768, where any fixed size either
            // wastes the screen or runs past its bottom edge; the size is the fallback when
            // un-maximised.
            .with_maximized(true)
            .with_inner_size([1280.0, 720.0])
            .with_min_inner_size([800.0, 560.0]),
        ..Default::default()
    };
    eframe::run_native(
        "lifeboat",
        options,
        Box::new(move |cc| {
            Ok(Box::new(LifeboatApp::new(
                &cc.egui_ctx,
                StartOptions {
                    roots,
                    settings_path,
                    inline_jobs: false,
                    index_dir: None,
                    trust_dir: None,
                    audit_log: None,
                    operator: None,
                    idle_minutes: None,
                },
            )))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))
}
