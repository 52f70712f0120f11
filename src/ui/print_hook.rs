//! The print buttons: the PDF printouts (`crate::print`) made on a worker thread, saved outside
//! the snapshot (the system temp folder, or a folder the operator chose such as a USB stick) and
//! opened in the OS viewer, from which staff print. The signed-in operator and the audit log's
//! chain head are printed on every page, and each printout is logged with its patients and
//! pages; the folder is asked before the first print and remembered until the viewer closes.

use super::jobs::Job;
use crate::index::SnapshotIndex;
use crate::print::{PrintOptions, all_wards_pdf, open_pdf, patient_pdf, save_pdf, ward_pdf};
use std::path::{Path, PathBuf};
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

impl PrintRequest {
    /// What it prints, for the audit log: its kind and the patients on it.
    pub fn subject(&self, index: &SnapshotIndex) -> Subject {
        match self {
            PrintRequest::Patient { patient_id } => {
                crate::print::subject(index, Some(patient_id), None, false, false)
            }
            PrintRequest::Ward { ward } => crate::print::subject(index, None, Some(ward), false, false),
            PrintRequest::AllWards => crate::print::subject(index, None, None, true, false),
            PrintRequest::Worklist { ward: Some(w) } => {
                crate::print::subject(index, None, Some(w), false, true)
            }
            PrintRequest::Worklist { ward: None } => crate::print::subject(index, None, None, true, true),
        }
    }
}

/// Where the PDF went, and whether a viewer took it.
#[derive(Debug)]
pub struct Outcome {
    pub path: PathBuf,
    /// None: not asked to open; Some(Err): no viewer could open it (the file is still there).
    pub opened: Option<Result<(), String>>,
    pub pages: u32,
}

impl Outcome {
    /// The header line: a missing viewer is not a failure, the PDF is saved and this says where.
    pub fn message_ja(&self) -> String {
        let p = self.path.display();
        match &self.opened {
            Some(Ok(())) => format!("PDF を開きました（ビューアから印刷してください）: {p}"),
            None => format!("PDF を保存しました: {p}"),
            Some(Err(_)) => format!(
                "PDF を保存しました: {p}（PDF を開くアプリが見つからないため、このファイルを別の PC などで印刷してください）"
            ),
        }
    }
}

/// Makes the PDF, saves it into `dir` (None: the temp folder) and, when `open_viewer`, opens it.
pub fn print(
    index: &SnapshotIndex,
    request: &PrintRequest,
    options: &PrintOptions,
    dir: Option<&Path>,
    open_viewer: bool,
) -> anyhow::Result<Outcome> {
    let (pdf, stem) = match request {
        PrintRequest::Patient { patient_id } => (
            patient_pdf(index, patient_id, options)?,
            format!("patient-{patient_id}"),
        ),
        PrintRequest::Ward { ward } => (ward_pdf(index, ward, options)?, format!("ward-{ward}")),
        PrintRequest::AllWards => (all_wards_pdf(index, options)?, "wards".to_string()),
        PrintRequest::Worklist { ward: Some(w) } => (
            crate::print::ward_worklist_pdf(index, w, options)?,
            format!("worklist-{w}"),
        ),
        PrintRequest::Worklist { ward: None } => (
            crate::print::worklist_pdf(index, &index.census().wards, options)?,
            "worklist".to_string(),
        ),
    };
    let path = save_pdf(&pdf, dir, &stem).map_err(|e| {
        let place = dir.map_or_else(|| "一時フォルダ".to_string(), |d| d.display().to_string());
        anyhow::anyhow!("PDF を保存できませんでした（保存先 {place}）: {e}")
    })?;
    let opened = open_viewer.then(|| open_pdf(&path).map_err(|e| format!("{e:#}")));
    Ok(Outcome {
        path,
        opened,
        pages: crate::print::page_count(&pdf),
    })
}

/// A print waiting for the operator's answer.
struct Pending {
    index: Arc<SnapshotIndex>,
    request: PrintRequest,
    inline: bool,
}

/// The 印刷 dialog: the folder, whether to open the PDF (the operator is the signed-in one).
struct Prompt {
    pending: Option<Pending>,
    folder: String,
    open_viewer: bool,
    picker: Option<Job<Option<PathBuf>>>,
    error: Option<String>,
}

type PrintJob = Job<Result<Outcome, String>>;
/// What a printout prints: its kind and its patients (for the audit log).
type Subject = (String, Vec<String>);

/// The print job in progress and the outcome of the last one, shown in the header.
pub struct PrintState {
    /// The job, with what it prints and the chain head on its pages (logged when it is done).
    job: Option<(PrintJob, Subject, String)>,
    pub message: Option<(bool, String)>,
    /// 印刷者: the signed-in operator, printed on every page.
    operator: Option<String>,
    /// The folder was asked (once per viewer session).
    asked: bool,
    audit: Option<crate::audit::AuditLog>,
    /// Chosen folder (None: the temp folder).
    folder: Option<PathBuf>,
    open_viewer: bool,
    prompt: Option<Prompt>,
}

impl Default for PrintState {
    fn default() -> Self {
        Self {
            job: None,
            message: None,
            operator: None,
            asked: false,
            audit: None,
            folder: None,
            open_viewer: true,
            prompt: None,
        }
    }
}

impl PrintState {
    /// The operator signed in (or out): printed on every page from now on.
    pub fn signed_in(&mut self, operator: Option<String>) {
        self.operator = operator;
    }

    /// Prints `request`, asking for the folder first the first time.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        index: &Arc<SnapshotIndex>,
        request: PrintRequest,
        inline: bool,
        audit: Option<crate::audit::AuditLog>,
    ) {
        if self.job.is_some() || self.operator.is_none() {
            return;
        }
        self.audit = audit;
        let pending = Pending {
            index: index.clone(),
            request,
            inline,
        };
        if !self.asked {
            self.prompt = Some(self.new_prompt(Some(pending)));
            return;
        }
        self.run(ctx, pending);
    }

    /// Opens the dialog to change the operator or the folder without printing.
    pub fn edit_settings(&mut self) {
        if self.prompt.is_none() {
            self.prompt = Some(self.new_prompt(None));
        }
    }

    /// The remembered operator's name, if any.
    pub fn operator(&self) -> Option<&str> {
        self.operator.as_deref()
    }

    fn new_prompt(&self, pending: Option<Pending>) -> Prompt {
        Prompt {
            pending,
            folder: self
                .folder
                .as_ref()
                .map(|f| f.display().to_string())
                .unwrap_or_default(),
            open_viewer: self.open_viewer,
            picker: None,
            error: None,
        }
    }

    fn run(&mut self, ctx: &egui::Context, p: Pending) {
        // The sheet carries the chain head it is printed at; its own line follows that head.
        let head = self.audit.as_ref().map(|a| a.head().hash).unwrap_or_default();
        let options = PrintOptions {
            operator: self.operator.clone(),
            printed_at: None,
            audit_head: (!head.is_empty()).then(|| head.clone()),
        };
        let dir = self.folder.clone();
        let open_viewer = self.open_viewer;
        self.message = Some((true, "印刷用 PDF を作成中…".into()));
        let subject = p.request.subject(&p.index);
        let job = Job::start(ctx, p.inline, move |_| {
            print(&p.index, &p.request, &options, dir.as_deref(), open_viewer).map_err(|e| format!("{e:#}"))
        });
        self.job = Some((job, subject, head.chars().take(8).collect()));
        self.poll();
    }

    pub fn busy(&self) -> bool {
        self.job.is_some() || self.prompt.is_some()
    }

    pub fn poll(&mut self) {
        if let Some((job, _, _)) = &mut self.job
            && let Some(r) = job.poll()
        {
            let (subject, sheet) = self.job.take().map(|(_, s, h)| (s, h)).unwrap_or_default();
            if let (Ok(outcome), Some(audit)) = (&r, &self.audit) {
                // Other lines may come between the sheet's head and this one (a search while
                // the PDF was made): the line names the head its sheets carry.
                audit.record(crate::audit::Event::Printed {
                    what: subject.0,
                    patients: subject.1,
                    pages: outcome.pages,
                    file: Some(outcome.path.display().to_string()),
                    sheet,
                });
            }
            self.message = Some(match r {
                Ok(outcome) => (true, outcome.message_ja()),
                Err(e) => (false, format!("印刷できませんでした: {e}")),
            });
        }
    }

    /// Draws the 印刷 dialog when it is open; prints on 印刷.
    pub fn show_prompt(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.prompt else { return };
        if let Some(job) = &mut prompt.picker
            && let Some(picked) = job.poll()
        {
            prompt.picker = None;
            if let Some(f) = picked {
                prompt.folder = f.display().to_string();
            }
        }
        let mut confirm = false;
        let mut cancel = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        egui::Window::new("印刷")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(format!(
                    "印刷者: {}（各ページに印刷され、監査ログに記録されます）",
                    self.operator.as_deref().unwrap_or("")
                ));
                ui.horizontal(|ui| {
                    let l = ui.label("保存先フォルダ:");
                    ui.add(
                        egui::TextEdit::singleline(&mut prompt.folder)
                            .hint_text("空欄: 一時フォルダ（例: E:\\ または /media/usb）")
                            .desired_width(300.0),
                    )
                    .labelled_by(l.id);
                    let busy = prompt.picker.is_some();
                    if ui
                        .add_enabled(!busy, egui::Button::new("フォルダを選ぶ…"))
                        .clicked()
                    {
                        prompt.picker =
                            Some(Job::start(ctx, false, |_| rfd::FileDialog::new().pick_folder()));
                    }
                });
                ui.checkbox(&mut prompt.open_viewer, "保存後に PDF を開く");
                if let Some(e) = &prompt.error {
                    ui.colored_label(super::theme::palette(ui).danger, e);
                }
                ui.horizontal(|ui| {
                    let label = if prompt.pending.is_some() {
                        "この内容で印刷"
                    } else {
                        "決定"
                    };
                    if ui.button(label).clicked() {
                        confirm = true;
                    }
                    if ui.button("キャンセル").clicked() {
                        cancel = true;
                    }
                });
            });
        if cancel {
            self.prompt = None;
            return;
        }
        if !confirm {
            return;
        }
        match check_folder(&prompt.folder) {
            Err(e) => prompt.error = Some(e),
            Ok(folder) => {
                self.asked = true;
                self.folder = folder;
                self.open_viewer = prompt.open_viewer;
                if let Some(p) = self.prompt.take().and_then(|p| p.pending) {
                    self.run(ctx, p);
                }
            }
        }
    }
}

/// The folder: empty for the temp folder, else an existing folder, so that a typo does not
/// scatter files.
fn check_folder(folder: &str) -> Result<Option<PathBuf>, String> {
    let folder = folder.trim();
    if folder.is_empty() {
        return Ok(None);
    }
    let path = PathBuf::from(folder);
    if !path.is_dir() {
        return Err(format!("保存先フォルダが見つかりません: {folder}"));
    }
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_needs_an_existing_folder_or_none() {
        assert_eq!(check_folder("  "), Ok(None));
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        assert_eq!(check_folder(&d), Ok(Some(dir.path().to_path_buf())));
        let missing = dir.path().join("nothing-here").display().to_string();
        assert_eq!(
            check_folder(&missing),
            Err(format!("保存先フォルダが見つかりません: {missing}"))
        );
    }

    #[test]
    fn a_missing_viewer_says_where_the_pdf_is() {
        let o = Outcome {
            path: PathBuf::from("/media/usb/patient-1.pdf"),
            opened: Some(Err("no viewer".into())),
            pages: 1,
        };
        let m = o.message_ja();
        assert!(
            m.starts_with("PDF を保存しました: /media/usb/patient-1.pdf"),
            "{m}"
        );
        assert!(!m.contains("できませんでした"), "{m}");
    }
}
