//! Look: large type, high contrast, light and dark, and the clinical colours used everywhere.

use egui::{Color32, FontFamily, FontId, TextStyle};

/// Base body size in points (≥ 15 px at zoom 1.0, readable at arm's length).
pub const BODY: f32 = 17.0;

/// Data older than this many days turns the header's data time into a warning.
pub const STALE_AFTER_DAYS: i64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
pub enum Mode {
    #[default]
    Light,
    Dark,
}

pub fn apply(ctx: &egui::Context, mode: Mode) {
    let mut visuals = match mode {
        Mode::Light => egui::Visuals::light(),
        Mode::Dark => egui::Visuals::dark(),
    };
    // Higher contrast than egui's defaults: pure text colours, stronger strokes.
    match mode {
        Mode::Light => {
            visuals.override_text_color = Some(Color32::from_gray(10));
            visuals.panel_fill = Color32::from_gray(250);
            visuals.window_fill = Color32::WHITE;
            visuals.extreme_bg_color = Color32::WHITE;
            visuals.faint_bg_color = Color32::from_gray(236);
            visuals.widgets.noninteractive.bg_stroke.color = Color32::from_gray(150);
            // Text fields and buttons need an edge: white on near-white is invisible.
            visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_gray(140));
        }
        Mode::Dark => {
            visuals.override_text_color = Some(Color32::from_gray(245));
            visuals.panel_fill = Color32::from_gray(18);
            visuals.window_fill = Color32::from_gray(24);
            visuals.extreme_bg_color = Color32::BLACK;
            visuals.faint_bg_color = Color32::from_gray(38);
            visuals.widgets.noninteractive.bg_stroke.color = Color32::from_gray(110);
            visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_gray(120));
        }
    }
    ctx.set_visuals(visuals);
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(BODY - 3.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(BODY, FontFamily::Proportional)),
            (TextStyle::Button, FontId::new(BODY, FontFamily::Proportional)),
            (
                TextStyle::Heading,
                FontId::new(BODY + 7.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(BODY - 2.0, FontFamily::Monospace),
            ),
        ]
        .into();
        // A click on a table cell's text must reach the row (open, select), not start a text
        // selection; the document and source views turn selection back on for copying.
        style.interaction.selectable_labels = false;
        style.spacing.item_spacing = egui::vec2(10.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 4.0);
        style.spacing.interact_size.y = BODY + 10.0;
    });
}

/// Colours with meaning, readable on both backgrounds.
pub struct Palette {
    pub danger: Color32,
    pub danger_bg: Color32,
    pub high: Color32,
    pub low: Color32,
    pub warn: Color32,
    pub warn_bg: Color32,
    pub ok: Color32,
    pub muted: Color32,
    pub banner_bg: Color32,
}

pub fn palette(ui: &egui::Ui) -> Palette {
    if ui.visuals().dark_mode {
        Palette {
            danger: Color32::from_rgb(255, 110, 110),
            danger_bg: Color32::from_rgb(90, 10, 10),
            high: Color32::from_rgb(255, 110, 110),
            low: Color32::from_rgb(120, 170, 255),
            warn: Color32::from_rgb(255, 200, 60),
            warn_bg: Color32::from_rgb(90, 60, 0),
            ok: Color32::from_rgb(120, 220, 120),
            muted: Color32::from_gray(170),
            banner_bg: Color32::from_rgb(20, 40, 70),
        }
    } else {
        Palette {
            danger: Color32::from_rgb(190, 0, 0),
            danger_bg: Color32::from_rgb(255, 228, 228),
            high: Color32::from_rgb(200, 0, 0),
            low: Color32::from_rgb(0, 60, 200),
            warn: Color32::from_rgb(150, 80, 0),
            warn_bg: Color32::from_rgb(255, 240, 190),
            ok: Color32::from_rgb(0, 120, 0),
            muted: Color32::from_gray(85),
            banner_bg: Color32::from_rgb(226, 236, 250),
        }
    }
}
