//! The time span a trend plot opens on, and the buttons that change it. A nurse asks "how has
//! the creatinine gone since admission?", not "since 2019": the plot opens on the current stay
//! (else the last 90 days before the data time) and offers the usual spans; right-drag zooms
//! in, double-click returns to the span.

use crate::model::Timestamp;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TrendRange {
    /// The current stay when admitted, else 90 days.
    #[default]
    Auto,
    Days7,
    Days30,
    Stay,
    Days90,
    Year,
    All,
}

impl TrendRange {
    const CHOICES: [TrendRange; 6] = [
        TrendRange::Days7,
        TrendRange::Days30,
        TrendRange::Stay,
        TrendRange::Days90,
        TrendRange::Year,
        TrendRange::All,
    ];

    pub fn label_ja(self) -> &'static str {
        match self {
            TrendRange::Auto => "自動",
            TrendRange::Days7 => "7日",
            TrendRange::Days30 => "30日",
            TrendRange::Stay => "今回の入院",
            TrendRange::Days90 => "90日",
            TrendRange::Year => "1年",
            TrendRange::All => "全期間",
        }
    }

    /// What `Auto` stands for in this chart.
    pub fn resolve(self, stay_since: Option<Timestamp>) -> TrendRange {
        match self {
            TrendRange::Auto if stay_since.is_some() => TrendRange::Stay,
            TrendRange::Auto => TrendRange::Days90,
            TrendRange::Stay if stay_since.is_none() => TrendRange::Days90,
            r => r,
        }
    }

    /// The x bounds (days since the epoch, as the plot's axis) ending just after the data time;
    /// `None` for all of the data.
    pub fn bounds(self, now: Option<Timestamp>, stay_since: Option<Timestamp>) -> Option<(f64, f64)> {
        let end = super::labs::x_of(now?) + 1.0;
        let start = match self.resolve(stay_since) {
            TrendRange::Days7 => end - 8.0,
            TrendRange::Days30 => end - 31.0,
            TrendRange::Days90 | TrendRange::Auto => end - 91.0,
            TrendRange::Year => end - 366.0,
            TrendRange::Stay => super::labs::x_of(stay_since?),
            TrendRange::All => return None,
        };
        // Room on the left for the legend (top left), so it covers no value of the span.
        let start = start - (end - start) * LEGEND_ROOM;
        (start < end).then_some((start, end))
    }
}

/// The share of the span added on the left for the legend.
const LEGEND_ROOM: f64 = 0.2;

/// The span buttons; returns the new choice when one is clicked.
pub fn bar(ui: &mut egui::Ui, current: TrendRange, stay_since: Option<Timestamp>) -> Option<TrendRange> {
    let shown = current.resolve(stay_since);
    let mut picked = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("期間:");
        for r in TrendRange::CHOICES {
            let enabled = r != TrendRange::Stay || stay_since.is_some();
            let b = ui
                .add_enabled(enabled, egui::Button::selectable(shown == r, r.label_ja()))
                .on_disabled_hover_text("入院中ではありません");
            if b.clicked() {
                picked = Some(r);
            }
        }
        ui.weak("（右ドラッグで拡大、ダブルクリックで戻る）");
    });
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_iso(s).expect("timestamp")
    }

    #[test]
    fn auto_is_the_stay_when_admitted_else_ninety_days() {
        let now = Some(t("2026-11-20T23:00"));
        let admitted = Some(t("2026-11-01T10:00"));
        let admitted_x = super::super::labs::x_of(t("2026-11-01T10:00"));
        let (from, to) = TrendRange::Auto.bounds(now, admitted).expect("bounds");
        assert!(to > super::super::labs::x_of(t("2026-11-20T23:00")));
        assert!((from - (admitted_x - (to - admitted_x) * LEGEND_ROOM)).abs() < 1e-9);
        let (from, to) = TrendRange::Auto.bounds(now, None).expect("bounds");
        assert!((to - from - 91.0 * (1.0 + LEGEND_ROOM)).abs() < 1e-9);
        assert_eq!(TrendRange::Stay.resolve(None), TrendRange::Days90);
        assert!(TrendRange::All.bounds(now, admitted).is_none());
        assert!(
            TrendRange::Days7.bounds(None, None).is_none(),
            "no data time: all of it"
        );
    }
}
