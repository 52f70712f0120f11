//! The idle lock: after some minutes without input the data is hidden behind the lock screen.

use std::time::{Duration, Instant};

/// Minutes without input before the lock (issue 16: 10 unless configured).
pub const DEFAULT_MINUTES: u32 = 10;

pub struct Idle {
    pub minutes: u32,
    pub locked: bool,
    last_input: Instant,
}

impl Idle {
    pub fn new(minutes: u32) -> Idle {
        Idle {
            minutes: minutes.max(1),
            locked: false,
            last_input: Instant::now(),
        }
    }

    /// Input happened now.
    pub fn touch(&mut self) {
        self.last_input = Instant::now();
    }

    pub fn unlock(&mut self) {
        self.locked = false;
        self.touch();
    }

    /// Whether the idle time has run out as of `now` (input since `touch` resets it).
    pub fn expired_at(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_input) >= Duration::from_secs(u64::from(self.minutes) * 60)
    }

    /// Notes this frame's input; true when the screen should lock now. Asks for a repaint at
    /// the moment the time runs out, so the lock comes without any event.
    pub fn is_due(&mut self, ctx: &egui::Context) -> bool {
        let input = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down());
        if input {
            self.touch();
        }
        if self.locked {
            return false;
        }
        let left =
            Duration::from_secs(u64::from(self.minutes) * 60).saturating_sub(self.last_input.elapsed());
        ctx.request_repaint_after(left + Duration::from_millis(50));
        self.expired_at(Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_after_the_minutes_without_input() {
        let mut idle = Idle::new(10);
        let start = Instant::now();
        assert!(!idle.expired_at(start + Duration::from_secs(9 * 60)));
        assert!(idle.expired_at(start + Duration::from_secs(10 * 60 + 1)));
        idle.touch();
        assert!(!idle.expired_at(Instant::now() + Duration::from_secs(60)));
    }
}
