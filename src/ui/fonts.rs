//! The bundled Japanese font (BIZ UDGothic, OFL), so every machine shows the same glyph shapes
//! (Japanese, not Chinese, Han forms) and tests never meet a missing glyph.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/BIZUDGothic-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/BIZUDGothic-Bold.ttf");

/// Family name of the bold face, for the banner and headings.
pub const BOLD_FAMILY: &str = "jp-bold";

/// BIZ UDGothic first in every family; egui's default fonts stay behind it as fallbacks
/// (symbols such as ⏶ and the egui icons).
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("jp".into(), Arc::new(FontData::from_static(REGULAR)));
    fonts
        .font_data
        .insert("jp-bold".into(), Arc::new(FontData::from_static(BOLD)));
    let defaults_prop = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let defaults_mono = fonts
        .families
        .get(&FontFamily::Monospace)
        .cloned()
        .unwrap_or_default();
    let mut prop = vec!["jp".to_string()];
    prop.extend(defaults_prop.iter().cloned());
    // Source text keeps egui's monospace (Hack) for ASCII columns; kana and kanji fall back to BIZ UD.
    let mut mono = defaults_mono.clone();
    mono.push("jp".to_string());
    let mut bold = vec!["jp-bold".to_string(), "jp".to_string()];
    bold.extend(defaults_prop);
    fonts.families.insert(FontFamily::Proportional, prop);
    fonts.families.insert(FontFamily::Monospace, mono);
    fonts.families.insert(FontFamily::Name(BOLD_FAMILY.into()), bold);
    fonts
}

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

/// Bold text in the bundled bold face.
pub fn bold(size: f32) -> egui::FontId {
    egui::FontId::new(size, FontFamily::Name(BOLD_FAMILY.into()))
}
