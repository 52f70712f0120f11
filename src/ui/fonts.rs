//! The bundled Japanese font (BIZ UDGothic, OFL), so every machine shows the same glyph shapes
//! (Japanese, not Chinese, Han forms) and tests never meet a missing glyph.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

pub use crate::fonts::{BOLD, REGULAR, REPLACEMENT};

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
    fonts
        .font_data
        .insert("replacement".into(), Arc::new(FontData::from_static(REPLACEMENT)));
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
    // Last in every family: undecodable bytes show as �, never as an empty box.
    for family in [&mut prop, &mut mono, &mut bold] {
        family.push("replacement".to_string());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The hyphen was once reported blank with BIZ UDGothic in egui 0.37 ("1948-03-02" read
    /// "1948 03 02"). With BIZ UD as the only font, no fallback can stand in: the hyphen must
    /// come from it, with ink, at every size the viewer uses.
    #[test]
    fn biz_ud_hyphen_has_ink() {
        let ctx = egui::Context::default();
        let mut defs = FontDefinitions::empty();
        defs.font_data
            .insert("jp".into(), Arc::new(FontData::from_static(REGULAR)));
        defs.families.insert(FontFamily::Proportional, vec!["jp".into()]);
        defs.families.insert(FontFamily::Monospace, vec!["jp".into()]);
        ctx.set_fonts(defs);
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        // No renderer here: say the font atlas upload was handled.
        out.textures_delta.clear();
        for size in [12.0, 14.0, 15.0, 17.0, 20.0, 30.0] {
            let galley = ctx.fonts_mut(|f| {
                f.layout_no_wrap(
                    "1948-03-02".into(),
                    egui::FontId::proportional(size),
                    egui::Color32::BLACK,
                )
            });
            let glyphs: Vec<_> = galley.rows.iter().flat_map(|r| r.glyphs.iter()).collect();
            let hyphens: Vec<_> = glyphs.iter().filter(|g| g.chr == '-').collect();
            assert_eq!(hyphens.len(), 2, "size {size}");
            for h in hyphens {
                assert!(h.advance_width > 0.0, "size {size}: no advance");
                assert!(
                    h.uv_rect.size.x > 0.0 && h.uv_rect.size.y > 0.0,
                    "size {size}: the hyphen has no ink: {:?}",
                    h.uv_rect
                );
            }
        }
    }

    /// Undecodable bytes are shown as U+FFFD (the reader's rule); egui 0.37 panicked on it in
    /// the bold family ("No glyph for U+FFFD in jp-bold", a broken generated name in the search
    /// list) and the real viewer drew an empty box. Every family must draw it, and the Japanese
    /// faces must keep drawing the names around it.
    #[test]
    fn replacement_and_odd_characters_draw_in_every_family() {
        let ctx = egui::Context::default();
        ctx.set_missing_glyph_policy(egui::MissingGlyphPolicy::Panic);
        ctx.set_fonts(definitions());
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        for family in [
            FontFamily::Proportional,
            FontFamily::Monospace,
            FontFamily::Name(BOLD_FAMILY.into()),
        ] {
            for text in ["\u{FFFD}$", "患者\u{FFFD}", "吉野家 ㈱"] {
                let galley = ctx.fonts_mut(|f| {
                    f.layout_no_wrap(
                        text.into(),
                        egui::FontId::new(15.0, family.clone()),
                        egui::Color32::BLACK,
                    )
                });
                assert!(
                    galley.rows.iter().map(|r| r.glyphs.len()).sum::<usize>() > 0,
                    "{family:?} {text:?}"
                );
            }
        }
    }
}
