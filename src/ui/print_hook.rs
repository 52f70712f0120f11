//! The print buttons: the PDF printouts (`crate::print`) made on a worker thread, written outside
//! the snapshot (the system temp folder) and opened in the OS viewer, from which staff print.

use super::jobs::Job;
use crate::index::SnapshotIndex;
use crate::print::{PrintOptions, all_wards_pdf, patient_pdf, save_and_open, ward_pdf};
use std::path::PathBuf;
use std::sync::Arc;

/// What a print button prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintRequest {
    Patient {
        patient_id: String,
    },
    Ward {
        ward: String,
    },
    AllWards,
    /// The injection and medication worklist of one ward (None: every ward).
    Worklist {
        ward: Option<String>,
    },
}

/// Makes the PDF and opens it with the OS viewer; returns the file written.
pub fn print(index: &SnapshotIndex, request: &PrintRequest) -> anyhow::Result<PathBuf> {
    let options = PrintOptions::default();
    let (pdf, stem) = match request {
        PrintRequest::Patient { patient_id } => (
            patient_pdf(index, patient_id, &options)?,
            format!("patient-{patient_id}"),
        ),
        PrintRequest::Ward { ward } => (ward_pdf(index, ward, &options)?, format!("ward-{ward}")),
        PrintRequest::AllWards => (all_wards_pdf(index, &options)?, "wards".to_string()),
        PrintRequest::Worklist { ward: Some(w) } => (
            crate::print::ward_worklist_pdf(index, w, &options)?,
            format!("worklist-{w}"),
        ),
        PrintRequest::Worklist { ward: None } => (
            crate::print::worklist_pdf(index, &index.census().wards, &options)?,
            "worklist".to_string(),
        ),
    };
    save_and_open(&pdf, None, &stem)
}

/// The print job in progress and the outcome of the last one, shown in the header.
#[derive(Default)]
pub struct PrintState {
    job: Option<Job<Result<PathBuf, String>>>,
    pub message: Option<(bool, String)>,
}

impl PrintState {
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        index: &Arc<SnapshotIndex>,
        request: PrintRequest,
        inline: bool,
    ) {
        if self.job.is_some() {
            return;
        }
        let idx = index.clone();
        self.message = Some((true, "印刷用 PDF を作成中…".into()));
        self.job = Some(Job::start(ctx, inline, move |_| {
            print(&idx, &request).map_err(|e| format!("{e:#}"))
        }));
        self.poll();
    }

    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    pub fn poll(&mut self) {
        if let Some(job) = &mut self.job
            && let Some(r) = job.poll()
        {
            self.job = None;
            self.message = Some(match r {
                Ok(path) => (
                    true,
                    format!(
                        "PDF を開きました（ビューアから印刷してください）: {}",
                        path.display()
                    ),
                ),
                Err(e) => (false, format!("印刷できませんでした: {e}")),
            });
        }
    }
}
