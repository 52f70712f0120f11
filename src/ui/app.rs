//! The application state and the frame loop. `LifeboatApp` can be driven without a window:
//! tests build it with `StartOptions { inline_jobs: true, .. }` and call [`LifeboatApp::show`]
//! from an egui_kittest harness; eframe calls the same function.

use super::chart::{ChartData, ChartState};
use super::jobs::Job;
use super::settings::Settings;
use super::{census, chart, header, open_screen, problems, search, theme};
use crate::index::{OpenOptions, Origin, SnapshotIndex};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the viewer starts.
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Snapshot roots to open now; empty: stay on the open screen.
    pub roots: Vec<PathBuf>,
    /// Where settings (recent snapshots, theme, zoom) live; `None` keeps them in memory only.
    pub settings_path: Option<PathBuf>,
    /// Run loading jobs on the calling thread (tests); the real viewer uses background threads.
    pub inline_jobs: bool,
    /// Index folder for `roots` (tests keep theirs apart); default: the per-user index folder.
    pub index_dir: Option<PathBuf>,
    /// The trusted signing keys (tests keep theirs apart); default: the user's store.
    pub trust_dir: Option<PathBuf>,
    /// The audit log (tests keep theirs apart); default: [`crate::paths::audit_log`].
    pub audit_log: Option<PathBuf>,
    /// Signed in from the start (tests of other screens); `None`: the sign-in form comes first.
    pub operator: Option<crate::audit::Operator>,
    /// Minutes without input before the screen locks; `None`: `idle_minutes` in the settings
    /// (10 unless changed there).
    pub idle_minutes: Option<u32>,
}

impl StartOptions {
    /// What a bare `lifeboat` opens: the pack it was copied into (double-clicked from the
    /// media's `<generation>/viewer/`), else the last snapshot if it is still there, else
    /// `sample-data/` next to the executable or in the current folder.
    pub fn default_roots(settings: &Settings) -> Vec<PathBuf> {
        if let Some(pack) = std::env::current_exe().ok().and_then(|e| pack_around(&e)) {
            return vec![pack];
        }
        if let Some(last) = settings.last()
            && !last.is_empty()
            && last.iter().all(|p| p.exists())
        {
            return last.clone();
        }
        let mut candidates = Vec::new();
        if let Ok(exe) = std::env::current_exe()
            && let Some(dir) = exe.parent()
        {
            candidates.push(dir.join("sample-data"));
        }
        if let Ok(cwd) = std::env::current_dir() {
            candidates.push(cwd.join("sample-data"));
        }
        candidates
            .into_iter()
            .find(|p| p.is_dir())
            .map(|p| vec![p])
            .unwrap_or_default()
    }
}

/// The pack generation holding this program, when it runs from a pack's `viewer/` folder
/// (`lifeboat pack --viewer`): that generation is the data shipped with it.
pub fn pack_around(exe: &Path) -> Option<PathBuf> {
    let dir = exe.parent()?;
    if dir.file_name()? != "viewer" {
        return None;
    }
    let generation = dir.parent()?;
    generation
        .join(crate::pack::manifest::MANIFEST)
        .is_file()
        .then(|| generation.to_path_buf())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Open,
    Search,
    Census,
    Chart,
}

type OpenResult = Result<SnapshotIndex, String>;

pub struct LifeboatApp {
    pub(super) ctx: egui::Context,
    pub(super) settings: Settings,
    settings_path: Option<PathBuf>,
    pub(super) inline_jobs: bool,
    /// See [`StartOptions::index_dir`]; used for the start roots only.
    start_index_dir: Option<PathBuf>,
    pub(super) screen: Screen,
    /// Where Esc in the chart goes back to.
    pub(super) back_to: Screen,
    pub(super) snapshot: Option<Arc<SnapshotIndex>>,
    pub(super) roots: Vec<PathBuf>,
    pub(super) loading: Option<(Vec<PathBuf>, Job<OpenResult>)>,
    pub(super) open: open_screen::OpenState,
    pub(super) search: search::SearchState,
    pub(super) census: census::CensusState,
    pub(super) chart: Option<ChartState>,
    pub(super) chart_job: Option<(String, Job<ChartData>)>,
    pub(super) problems: problems::ProblemsState,
    pub(super) printing: super::print_hook::PrintState,
    /// Whether the open index matches the snapshot's files (checked in the background).
    pub(super) freshness: super::header_freshness::FreshnessState,
    /// A pack's signature and media check, when a pack is open.
    pub(super) pack_trust: Option<super::header_trust::PackTrust>,
    trust_dir: Option<PathBuf>,
    /// Who looked at whom; `None` when the log cannot be written (said on screen).
    pub(super) audit: Option<crate::audit::AuditLog>,
    pub(super) audit_error: Option<String>,
    /// Who is signed in; nothing of a snapshot shows without one.
    pub(super) operator: Option<crate::audit::Operator>,
    pub(super) signin: super::signin::SignInState,
    pub(super) idle: super::idle::Idle,
    /// The sign-in after 「別の利用者でサインイン」 on the lock screen ends the lock.
    switching_from_lock: bool,
    /// An encrypted pack waiting for its passphrase: (pack folder, roots to open).
    pub(super) locked: Option<(PathBuf, Vec<PathBuf>)>,
    /// The passphrase being checked (scrypt takes a second or more: off the UI thread).
    pub(super) unlocking: Option<Job<Result<(), String>>>,
    /// `Some`: print requests are only recorded here, no PDF made (tests of the keys).
    held_prints: Option<Vec<super::print_hook::PrintRequest>>,
    frame_stats: Option<FrameStats>,
}

impl LifeboatApp {
    pub fn new(ctx: &egui::Context, options: StartOptions) -> LifeboatApp {
        super::fonts::install(ctx);
        let settings = Settings::load(options.settings_path.as_deref());
        theme::apply(ctx, settings.mode);
        if (0.5..=3.0).contains(&settings.zoom) {
            ctx.set_zoom_factor(settings.zoom);
        }
        let settings_idle = settings.idle_minutes;
        let mut app = LifeboatApp {
            ctx: ctx.clone(),
            settings,
            settings_path: options.settings_path,
            inline_jobs: options.inline_jobs,
            start_index_dir: options.index_dir,
            screen: Screen::Open,
            back_to: Screen::Search,
            snapshot: None,
            roots: Vec::new(),
            loading: None,
            open: open_screen::OpenState::default(),
            search: search::SearchState::default(),
            census: census::CensusState::default(),
            chart: None,
            chart_job: None,
            problems: problems::ProblemsState::default(),
            printing: super::print_hook::PrintState::default(),
            freshness: super::header_freshness::FreshnessState::default(),
            pack_trust: None,
            trust_dir: options.trust_dir,
            audit: None,
            audit_error: None,
            operator: None,
            signin: super::signin::SignInState::default(),
            idle: super::idle::Idle::new(options.idle_minutes.unwrap_or(settings_idle)),
            switching_from_lock: false,
            locked: None,
            unlocking: None,
            held_prints: None,
            frame_stats: FrameStats::from_env(),
        };
        let path = options.audit_log.or_else(crate::audit::default_path);
        match path.map(|p| crate::audit::AuditLog::open(&p)) {
            Some(Ok(log)) => {
                log.record(crate::audit::Event::Started {
                    program: "viewer".into(),
                });
                app.audit = Some(log);
            }
            Some(Err(e)) => app.audit_error = Some(format!("{e:#}")),
            None => app.audit_error = Some("利用者のデータフォルダがありません".into()),
        }
        if let Some(op) = options.operator {
            app.sign_in(op);
        }
        if !options.roots.is_empty() {
            app.start_open(options.roots);
        }
        app
    }

    /// Logs an event (with the signed-in operator); returns the chain head after it.
    pub(super) fn log(&self, event: crate::audit::Event) -> Option<String> {
        self.audit.as_ref().map(|a| a.record(event))
    }

    /// The audit log, when it could be opened.
    pub fn audit(&self) -> Option<&crate::audit::AuditLog> {
        self.audit.as_ref()
    }

    /// Who is signed in.
    pub fn operator(&self) -> Option<&crate::audit::Operator> {
        self.operator.as_ref()
    }

    /// Whether the screen is locked for want of input.
    pub fn is_locked(&self) -> bool {
        self.idle.locked
    }

    /// Signs `op` in: logged, and printed on every page from now on.
    pub fn sign_in(&mut self, op: crate::audit::Operator) {
        if let Some(a) = &self.audit {
            a.set_operator(Some(op.clone()));
        }
        self.log(crate::audit::Event::SignIn);
        if self.switching_from_lock {
            self.switching_from_lock = false;
            self.idle.unlock();
            self.log(crate::audit::Event::Unlocked { same_operator: false });
        }
        self.printing.signed_in(Some(op.label()));
        self.operator = Some(op);
        self.signin.reset();
        self.idle.touch();
        if self.snapshot.is_some() {
            self.go_search();
        }
    }

    /// 「利用者の交代」: the operator signs out; the form comes back before any data.
    pub fn sign_out(&mut self) {
        self.log(crate::audit::Event::SignOut);
        if let Some(a) = &self.audit {
            a.set_operator(None);
        }
        self.operator = None;
        self.printing.signed_in(None);
        self.signin.reset();
    }

    /// Hides the data now (as after the idle time): logged.
    pub fn lock_now(&mut self) {
        if self.idle.locked || self.operator.is_none() {
            return;
        }
        self.idle.locked = true;
        self.signin.focus();
        self.log(crate::audit::Event::Locked {
            minutes_idle: self.idle.minutes,
        });
    }

    /// The opened snapshot, if any.
    pub fn snapshot(&self) -> Option<&SnapshotIndex> {
        self.snapshot.as_deref()
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// Starts reading a snapshot in the background (replacing any read in progress); an
    /// encrypted pack first asks for its passphrase (the open screen shows the field).
    pub fn start_open(&mut self, roots: Vec<PathBuf>) {
        if let Some(dir) = roots
            .iter()
            .find_map(|r| crate::pack::keyring::needs_passphrase(r))
        {
            self.locked = Some((dir, roots));
            self.open.error = None;
            self.screen = Screen::Open;
            return;
        }
        self.locked = None;
        let options = OpenOptions {
            roots: roots.clone(),
            index_dir: self.start_index_dir.take(),
            ..Default::default()
        };
        self.start_open_with(options);
    }

    /// Builds the open snapshot's index again from its files (the header's 再作成, when the
    /// files changed): into the same local folder, never onto the media.
    pub fn rebuild_index(&mut self) {
        let Some(index) = &self.snapshot else { return };
        let index_dir = (index.origin() != Origin::Prebuilt).then(|| index.index_dir().to_path_buf());
        let options = OpenOptions {
            roots: self.roots.clone(),
            index_dir,
            rebuild: true,
            ignore_prebuilt: true,
            verify_first: false,
            pack: None,
        };
        self.start_open_with(options);
    }

    fn start_open_with(&mut self, options: OpenOptions) {
        if let Some((_, job)) = self.loading.take() {
            job.cancel();
        }
        self.open.error = None;
        let roots = options.roots.clone();
        let job = Job::start(&self.ctx, self.inline_jobs, move |progress| {
            SnapshotIndex::open(&options, progress).map_err(|e| format!("{e:#}"))
        });
        self.loading = Some((roots, job));
        self.screen = Screen::Open;
        self.poll_jobs();
    }

    /// Closes the open snapshot (the hold screen's 閉じる): back to the open screen.
    pub fn close_snapshot(&mut self) {
        self.snapshot = None;
        self.pack_trust = None;
        self.chart = None;
        self.chart_job = None;
        self.roots.clear();
        self.screen = Screen::Open;
    }

    /// The passphrase for the locked pack: unlocks it and opens, or says it is wrong.
    pub fn unlock(&mut self, passphrase: &str) {
        let Some((dir, _)) = self.locked.clone() else {
            return;
        };
        let passphrase = passphrase.to_string();
        self.open.error = None;
        self.unlocking = Some(Job::start(&self.ctx, self.inline_jobs, move |_| {
            crate::pack::keyring::unlock(&dir, &passphrase).map_err(|e| e.to_string())
        }));
        self.poll_jobs();
    }

    /// The pack's trust as the header shows it, when a pack is open.
    pub fn pack_trust(&self) -> Option<&super::header_trust::PackTrust> {
        self.pack_trust.as_ref()
    }

    pub fn cancel_open(&mut self) {
        if let Some((_, job)) = self.loading.take() {
            job.cancel();
            self.open.error = Some("読み込みを中止しました".into());
        }
    }

    /// Opens a patient's chart (loaded in the background).
    pub fn open_chart(&mut self, patient_id: &str) {
        let Some(index) = self.snapshot.clone() else {
            return;
        };
        if self.screen != Screen::Chart {
            self.back_to = self.screen;
        }
        let id = patient_id.to_string();
        let job_id = id.clone();
        let job = Job::start(&self.ctx, self.inline_jobs, move |_| {
            ChartData::load(&index, &job_id)
        });
        self.log(crate::audit::Event::ChartOpened { patient: id.clone() });
        self.chart_job = Some((id, job));
        self.screen = Screen::Chart;
        self.poll_jobs();
    }

    pub fn go_search(&mut self) {
        self.screen = if self.snapshot.is_some() {
            Screen::Search
        } else {
            Screen::Open
        };
        self.search.focus_next_frame = true;
    }

    /// From now on, print requests are recorded (see [`Self::held_prints`]) instead of making a
    /// PDF and opening a viewer: for tests of what the keys and buttons ask to print.
    pub fn hold_prints(&mut self) {
        self.held_prints.get_or_insert_with(Vec::new);
    }

    /// The print requests recorded since [`Self::hold_prints`].
    pub fn held_prints(&self) -> &[super::print_hook::PrintRequest] {
        self.held_prints.as_deref().unwrap_or(&[])
    }

    /// Prints a chart or a ward (PDF made on a worker, opened in the OS viewer). Never while
    /// locked or signed out.
    pub fn print(&mut self, request: super::print_hook::PrintRequest) {
        if self.idle.locked || self.operator.is_none() {
            return;
        }
        if let Some(held) = &mut self.held_prints {
            held.push(request);
            return;
        }
        if let Some(index) = &self.snapshot {
            let index = index.clone();
            self.printing
                .start(&self.ctx, &index, request, self.inline_jobs, self.audit.clone());
        }
    }

    pub(super) fn save_settings(&mut self) {
        self.settings.zoom = self.ctx.zoom_factor();
        self.settings.save(self.settings_path.as_deref());
    }

    fn poll_jobs(&mut self) {
        self.census.poll();
        if let Some(what) = self.freshness.poll() {
            self.log(crate::audit::Event::Warning { what });
        }
        if let Some(t) = &mut self.pack_trust {
            t.poll();
        }
        if let Some(job) = &mut self.unlocking
            && let Some(result) = job.poll()
        {
            self.unlocking = None;
            match (result, self.locked.clone()) {
                (Ok(()), Some((_, roots))) => self.start_open(roots),
                (Err(e), _) => self.open.error = Some(e),
                (Ok(()), None) => {}
            }
        }
        self.printing.poll();
        if let Some((roots, job)) = &mut self.loading
            && let Some(result) = job.poll()
        {
            let roots = roots.clone();
            self.loading = None;
            match result {
                Ok(index) => {
                    self.settings.remember(&roots);
                    self.save_settings();
                    let store = match &self.trust_dir {
                        Some(d) => crate::trust::TrustStore::at(d.clone()),
                        None => crate::trust::TrustStore::default_store(),
                    };
                    self.log(crate::audit::snapshot_opened(&index, &store));
                    self.snapshot = Some(Arc::new(index));
                    self.roots = roots;
                    self.chart = None;
                    self.search = search::SearchState::default();
                    self.census = census::CensusState::default();
                    if let Some(index) = &self.snapshot {
                        self.census.start(&self.ctx, index, self.inline_jobs);
                        self.freshness = super::header_freshness::FreshnessState::start(
                            &self.ctx,
                            index,
                            self.inline_jobs,
                        );
                        let store = match &self.trust_dir {
                            Some(d) => crate::trust::TrustStore::at(d.clone()),
                            None => crate::trust::TrustStore::default_store(),
                        };
                        self.pack_trust = index.pack().map(|p| {
                            super::header_trust::PackTrust::start(
                                &self.ctx,
                                self.inline_jobs,
                                &p.dir,
                                Arc::new(p.manifest.clone()),
                                p.alarm.clone(),
                                &store,
                                self.audit.clone(),
                            )
                        });
                    }
                    self.problems = problems::ProblemsState::default();
                    self.go_search();
                }
                Err(e) => {
                    self.open.error = Some(e);
                }
            }
        }
        if let Some((_, job)) = &mut self.chart_job
            && let Some(data) = job.poll()
        {
            self.chart_job = None;
            self.chart = Some(ChartState::new(data));
        }
    }

    /// Global keys at the start of a frame: Ctrl+F search (its text selected), Ctrl+P prints
    /// the open chart; zoom is egui's own (Ctrl +/-/0). Esc is left to the innermost thing
    /// open (see [`super::keys`]); what is left of it leaves the chart in [`Self::esc_last`].
    fn keys(&mut self) {
        super::keys::start_frame(&self.ctx);
        super::keys::drop_alt_digit_text(&self.ctx);
        let (ctrl_f, ctrl_p) = self.ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::F),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::P),
            )
        });
        if ctrl_f && self.snapshot.is_some() {
            self.go_search();
            self.search.select_all_next_frame = true;
        }
        if ctrl_p
            && self.screen == Screen::Chart
            && self.chart_job.is_none()
            && let Some(chart) = &self.chart
        {
            let patient_id = chart.data.chart.banner().patient_id.clone();
            self.print(super::print_hook::PrintRequest::Patient { patient_id });
        }
    }

    /// Esc that nothing inner used: the chart goes back to where it was opened from.
    fn esc_last(&mut self) {
        if self.screen == Screen::Chart && super::keys::take_esc(&self.ctx) {
            self.screen = if self.back_to == Screen::Census {
                Screen::Census
            } else {
                Screen::Search
            };
            self.search.focus_next_frame = self.screen == Screen::Search;
        }
    }

    /// One frame of the whole viewer.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.poll_jobs();
        if self.idle.is_due(&self.ctx) {
            self.lock_now();
        }
        // A drill's data says so on every screen, the sign-in and lock screens included.
        if self
            .snapshot
            .as_ref()
            .is_some_and(|s| s.report().mode().is_drill())
        {
            egui::Panel::top("drill").show(ui, super::header::drill_banner);
        }
        // Nothing of a snapshot shows before sign-in or while locked: not even the header.
        if self.operator.is_none() || self.idle.locked {
            self.gate(ui);
            return;
        }
        self.keys();
        let zoom_before = self.ctx.zoom_factor();

        if self.snapshot.is_some() {
            egui::Panel::top("header").show(ui, |ui| header::show(self, ui));
        }
        if self.problems.open {
            problems::window(self, ui);
        }
        egui::CentralPanel::default().show(ui, |ui| {
            super::keys::page_keys(ui);
            // A pack in doubt: nothing of it is shown until the operator chooses to go on.
            if let Some(trust) = &mut self.pack_trust
                && trust.must_hold()
            {
                if super::header_trust::hold_screen(trust, ui) {
                    self.close_snapshot();
                }
                return;
            }
            match self.screen {
                Screen::Open => open_screen::show(self, ui),
                Screen::Search => search::show(self, ui),
                Screen::Census => census::show(self, ui),
                Screen::Chart => chart::show(self, ui),
            }
        });
        self.esc_last();
        self.log_copies();

        let checking = self.pack_trust.as_ref().is_some_and(|t| t.checking()) || self.unlocking.is_some();
        if self.loading.is_some() || self.chart_job.is_some() || self.printing.busy() || checking {
            // Progress counters move without input events.
            self.ctx
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        if (self.ctx.zoom_factor() - zoom_before).abs() > f32::EPSILON {
            self.save_settings();
        }
    }
}

impl LifeboatApp {
    /// The sign-in form, or the lock screen.
    fn gate(&mut self, ui: &mut egui::Ui) {
        // Keys meant for the data (Ctrl+P, Ctrl+F) do nothing here.
        ui.input_mut(|i| {
            i.consume_key(egui::Modifiers::COMMAND, egui::Key::P);
            i.consume_key(egui::Modifiers::COMMAND, egui::Key::F);
        });
        let locked_as = self.operator.clone().filter(|_| self.idle.locked);
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(e) = &self.audit_error {
                ui.colored_label(
                    super::theme::palette(ui).danger,
                    format!("監査ログを書き込めません（閲覧の記録が残りません）: {e}"),
                );
            }
            match &locked_as {
                Some(op) => match super::signin::lock_screen(&mut self.signin, op, self.idle.minutes, ui) {
                    Some(super::signin::Unlock::SameOperator) => {
                        self.idle.unlock();
                        self.log(crate::audit::Event::Unlocked { same_operator: true });
                    }
                    Some(super::signin::Unlock::SwitchOperator) => {
                        self.sign_out();
                        self.switching_from_lock = true;
                    }
                    None => {}
                },
                None => {
                    if let Some(op) = super::signin::sign_in(&mut self.signin, ui) {
                        self.sign_in(op);
                    }
                }
            }
        });
        if self.loading.is_some() {
            self.ctx
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Text put on the clipboard this frame is logged (its length, never the text: the log is
    /// evidence of access, not a copy of the chart).
    fn log_copies(&mut self) {
        let copied: Vec<usize> = self.ctx.output(|o| {
            o.commands
                .iter()
                .filter_map(|c| match c {
                    egui::OutputCommand::CopyText(t) => Some(t.chars().count()),
                    _ => None,
                })
                .collect()
        });
        if copied.is_empty() {
            return;
        }
        let patient = (self.screen == Screen::Chart)
            .then(|| {
                self.chart
                    .as_ref()
                    .map(|c| c.data.chart.banner().patient_id.clone())
            })
            .flatten();
        for n in copied {
            self.log(crate::audit::Event::Copied {
                patient: patient.clone(),
                what: format!("text {n} chars"),
            });
        }
    }
}

impl eframe::App for LifeboatApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.show(ui);
        if let Some(stats) = &mut self.frame_stats {
            stats.add(frame.info().cpu_usage);
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.log(crate::audit::Event::Exited);
        if let Some(a) = &self.audit {
            a.flush();
        }
    }
}

/// `LIFEBOAT_FRAME_STATS=1`: every 120 frames, print the mean and worst CPU time eframe spent on
/// a frame (UI code and tessellation), for measuring large charts.
#[derive(Default)]
pub(super) struct FrameStats {
    samples: Vec<f32>,
}

impl FrameStats {
    fn from_env() -> Option<FrameStats> {
        std::env::var_os("LIFEBOAT_FRAME_STATS").map(|_| FrameStats::default())
    }

    fn add(&mut self, cpu: Option<f32>) {
        let Some(s) = cpu else { return };
        self.samples.push(s);
        if self.samples.len() >= 120 {
            let n = self.samples.len() as f32;
            let mean = self.samples.iter().sum::<f32>() / n;
            let max = self.samples.iter().copied().fold(0.0, f32::max);
            eprintln!(
                "frame cpu: mean {:.2} ms, max {:.2} ms over {} frames",
                mean * 1e3,
                max * 1e3,
                self.samples.len()
            );
            self.samples.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pack_around;

    #[test]
    fn a_viewer_copied_into_a_pack_opens_that_pack() {
        let tmp = tempfile::tempdir().expect("tmp");
        let generation = tmp.path().join("20261207-0300");
        let viewer = generation.join("viewer");
        std::fs::create_dir_all(&viewer).expect("viewer");
        let exe = viewer.join("lifeboat.exe");
        // Without a manifest the folder is no pack.
        assert_eq!(pack_around(&exe), None);
        std::fs::write(generation.join("manifest.json"), b"{}").expect("manifest");
        assert_eq!(pack_around(&exe), Some(generation.clone()));
        // Anywhere else (dist/, a build folder) nothing is guessed.
        assert_eq!(pack_around(&generation.join("lifeboat.exe")), None);
    }
}
