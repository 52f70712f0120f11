//! Turns laid-out pages into a PDF with krilla, adding each page's footer now that the page
//! count is known. The fonts are embedded as subsets, so the file prints anywhere.

use super::font::Fonts;
use super::furniture::Furniture;
use super::page::{Op, PAGE_HEIGHT, PAGE_WIDTH, Page, Rgb};
use anyhow::{Result, anyhow};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

pub fn render(fonts: &Fonts, pages: Vec<Page>, furniture: &Furniture, title: &str) -> Result<Vec<u8>> {
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language("ja".to_string())
            .creator("Lifeboat".to_string()),
    );
    let total = pages.len();
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| anyhow!("bad page size"))?;
    for (i, mut page) in pages.into_iter().enumerate() {
        furniture.draw(&mut page, fonts, i + 1, total);
        let mut pdf_page = doc.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        for op in &page.ops {
            draw(&mut surface, fonts, op);
        }
        surface.finish();
        pdf_page.finish();
    }
    doc.finish()
        .map_err(|e| anyhow!("PDF could not be written: {e:?}"))
}

fn color(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(c: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: color(c).into(),
        width,
        ..Default::default()
    }
}

fn draw(surface: &mut Surface, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text { x, y, style, text } => {
            if text.is_empty() {
                return;
            }
            let face = fonts.face(style.weight);
            let glyphs = face.shape(text);
            surface.set_stroke(None);
            surface.set_fill(Some(fill(style.color)));
            let baseline = y + (style.line_height() - style.size) / 2.0 + face.ascent * style.size;
            surface.draw_glyphs(
                Point::from_xy(*x, baseline),
                &glyphs,
                face.font.clone(),
                text,
                style.size,
                false,
            );
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            stroke_path(surface, pb, *color, *width);
        }
        Op::Polyline { points, width, color } => {
            let mut pb = PathBuilder::new();
            for (i, (x, y)) in points.iter().enumerate() {
                if i == 0 {
                    pb.move_to(*x, *y);
                } else {
                    pb.line_to(*x, *y);
                }
            }
            stroke_path(surface, pb, *color, *width);
        }
        Op::FillRect { x, y, w, h, color } => {
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                let mut pb = PathBuilder::new();
                pb.push_rect(rect);
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_path(&path);
                }
            }
        }
        Op::StrokeRect {
            x,
            y,
            w,
            h,
            width,
            color,
        } => {
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                let mut pb = PathBuilder::new();
                pb.push_rect(rect);
                stroke_path(surface, pb, *color, *width);
            }
        }
        Op::Dot { x, y, r, color } => {
            // A square dot: at sparkline size it reads the same as a circle and needs no curves.
            if let Some(rect) = Rect::from_xywh(x - r, y - r, 2.0 * r, 2.0 * r) {
                let mut pb = PathBuilder::new();
                pb.push_rect(rect);
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_path(&path);
                }
            }
        }
    }
}

fn stroke_path(surface: &mut Surface, pb: PathBuilder, c: Rgb, width: f32) {
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(stroke(c, width)));
        surface.draw_path(&path);
    }
}
