//! Work off the UI thread: a job runs on its own thread and the frame loop polls for the result,
//! so opening a snapshot or a 10,000-record chart never freezes the window. Tests run jobs inline.

use crate::progress::Progress;
use std::sync::mpsc;

pub struct Job<T> {
    rx: mpsc::Receiver<T>,
    pub progress: Progress,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread (or runs it now when `inline`); the window is woken when
    /// the result is ready.
    pub fn start(
        ctx: &egui::Context,
        inline: bool,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Job<T> {
        let (tx, rx) = mpsc::channel();
        let progress = Progress::new();
        if inline {
            let _ = tx.send(work(&progress));
        } else {
            let p = progress.clone();
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(work(&p));
                ctx.request_repaint();
            });
        }
        Job { rx, progress }
    }

    /// The result once, when it is there.
    pub fn poll(&mut self) -> Option<T> {
        self.rx.try_recv().ok()
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }
}
