//! The viewer as tests drive it (egui_kittest): a laptop whose index, audit log and trusted
//! keys are the test's own, a nurse signed in, jobs run inline.

use egui_kittest::{Harness, HarnessBuilder};
use lifeboat::audit::{Operator, Role};
use lifeboat::ui::{LifeboatApp, StartOptions};
use std::path::PathBuf;

/// The nurse every viewer test signs in as.
#[allow(dead_code)]
pub fn nurse() -> Operator {
    Operator {
        name: "看護 花子".into(),
        staff_id: "N0001".into(),
        role: Role::Nurse,
    }
}

/// `roots` opened with the index in `index_dir` and the audit log beside it, signed in.
#[allow(dead_code)]
pub fn options(roots: Vec<PathBuf>, index_dir: PathBuf) -> StartOptions {
    StartOptions {
        roots,
        settings_path: None,
        inline_jobs: true,
        audit_log: Some(index_dir.with_extension("audit.jsonl")),
        index_dir: Some(index_dir),
        trust_dir: None,
        operator: Some(nurse()),
        idle_minutes: None,
    }
}

/// A harness of `size` logical points running the viewer with `options`; `keep` lives as long
/// as the harness (the temp folder holding the index).
#[allow(dead_code)]
pub fn harness(
    builder: HarnessBuilder<Option<LifeboatApp>>,
    options: StartOptions,
    size: egui::Vec2,
    keep: impl Send + 'static,
) -> Harness<'static, Option<LifeboatApp>> {
    builder
        .with_size(size)
        // The glyphs must exist from the very first frame (0.37 panics on missing glyphs).
        .with_context_setup(lifeboat::ui::install_fonts)
        .build_ui_state(
            move |ui, app: &mut Option<LifeboatApp>| {
                let _keep = &keep;
                app.get_or_insert_with(|| LifeboatApp::new(ui.ctx(), options.clone()))
                    .show(ui);
            },
            None,
        )
}

/// Some node's label contains `text`.
#[allow(dead_code)]
pub fn has(h: &Harness<'_, Option<LifeboatApp>>, text: &str) -> bool {
    use egui_kittest::kittest::Queryable;
    h.query_all_by_label_contains(text).next().is_some()
}
