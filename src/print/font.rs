//! The bundled BIZ UDGothic faces: glyph lookup and advances for measuring, and the krilla font
//! that embeds a subset of them. Measuring and drawing use the same glyphs, so wrapped text never
//! overruns its column.

use anyhow::{Context, Result};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider, charmap::Charmap};

use crate::fonts::{BOLD, REGULAR};

/// Printed instead of a character the font lacks: the geta mark is what Japanese print uses for
/// "a character that could not be set".
const MISSING: char = '〓';

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// One face: krilla's handle for embedding plus skrifa's tables for measuring.
pub struct Face {
    pub font: Font,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
    /// Ascender as a fraction of the em, to turn a line's top into its baseline.
    pub ascent: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Face> {
        let font_ref = FontRef::new(data).context("bundled font cannot be read")?;
        let font = Font::new(data.into(), 0).context("bundled font cannot be read by krilla")?;
        let m = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(m.units_per_em.max(1));
        Ok(Face {
            font,
            charmap: font_ref.charmap(),
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
            ascent: m.ascent / units_per_em,
        })
    }

    /// The glyph for a character, with the substitute for what the font lacks. Control
    /// characters become spaces: source text may carry tabs or stray CRs.
    fn glyph(&self, c: char) -> (u32, f32) {
        let c = if c.is_control() { ' ' } else { c };
        let id = self
            .charmap
            .map(c)
            .or_else(|| self.charmap.map(MISSING))
            .map(|g| g.to_u32())
            .unwrap_or(0);
        let advance = self
            .metrics
            .advance_width(skrifa::GlyphId::new(id))
            .unwrap_or(self.units_per_em)
            / self.units_per_em;
        (id, advance)
    }

    /// Advance of one character in em units.
    pub fn advance(&self, c: char) -> f32 {
        self.glyph(c).1
    }

    /// Width of a text in points at a size.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// One glyph per character: the Japanese text we print needs no ligatures or reordering,
    /// and a 1:1 mapping keeps copy-paste and `pdftotext` exact.
    pub fn shape(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut glyphs = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            let (id, adv) = self.glyph(c);
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(id),
                adv,
                0.0,
                0.0,
                0.0,
                i..i + c.len_utf8(),
                None,
            ));
        }
        glyphs
    }
}

/// Regular and bold, loaded once per document.
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load() -> Result<Fonts> {
        Ok(Fonts {
            regular: Face::load(REGULAR)?,
            bold: Face::load(BOLD)?,
        })
    }

    pub fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_half_width_and_kanji_full_width() {
        let fonts = Fonts::load().unwrap();
        let f = &fonts.regular;
        assert!((f.advance('患') - 1.0).abs() < 0.01);
        assert!((f.advance('A') - 0.5).abs() < 0.01);
        assert!((f.advance('-') - 0.5).abs() < 0.01);
        assert!(f.width("患者", 10.0) > 19.0);
    }

    #[test]
    fn missing_characters_get_a_visible_substitute() {
        let fonts = Fonts::load().unwrap();
        let shaped = fonts.regular.shape("\u{20BB7}"); // 𠮷 is not in BIZ UDGothic
        assert_eq!(shaped.len(), 1);
        assert_ne!(shaped[0].glyph_id.to_u32(), 0);
    }
}
