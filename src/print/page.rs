//! A laid-out page: what to draw, in points from the top-left corner. Layout fills pages first and
//! draws them afterwards, so that every footer can say "page x / y".

use super::font::Weight;

/// A4 portrait in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
/// 12 mm side margins: inside what office printers can reach, wide enough for a clipboard clip.
pub const MARGIN_X: f32 = 34.0;
pub const MARGIN_TOP: f32 = 30.0;
/// Space kept at the bottom for the footer.
pub const FOOTER_HEIGHT: f32 = 56.0;

pub const CONTENT_LEFT: f32 = MARGIN_X;
pub const CONTENT_RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
pub const CONTENT_WIDTH: f32 = CONTENT_RIGHT - CONTENT_LEFT;
pub const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - FOOTER_HEIGHT;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    pub const GREY: Rgb = Rgb(90, 90, 90);
    pub const RULE: Rgb = Rgb(150, 150, 150);
    pub const SHADE: Rgb = Rgb(232, 232, 232);
    pub const LIGHT: Rgb = Rgb(245, 245, 245);
    /// Dark red and blue stay distinct from black on a monochrome laser printer too (as grey),
    /// and the H/L marks carry the meaning anyway.
    pub const RED: Rgb = Rgb(190, 0, 0);
    pub const BLUE: Rgb = Rgb(0, 60, 170);
}

/// Text style: size in points, weight and colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub size: f32,
    pub weight: Weight,
    pub color: Rgb,
}

impl Style {
    pub const fn regular(size: f32) -> Style {
        Style {
            size,
            weight: Weight::Regular,
            color: Rgb::BLACK,
        }
    }

    pub const fn bold(size: f32) -> Style {
        Style {
            size,
            weight: Weight::Bold,
            color: Rgb::BLACK,
        }
    }

    pub const fn with_color(self, color: Rgb) -> Style {
        Style { color, ..self }
    }

    /// Distance between baselines of wrapped lines.
    pub fn line_height(&self) -> f32 {
        self.size * 1.3
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// One line of text; `y` is the top of its line box.
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    FillRect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    StrokeRect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        color: Rgb,
    },
    Polyline {
        points: Vec<(f32, f32)>,
        width: f32,
        color: Rgb,
    },
    Dot {
        x: f32,
        y: f32,
        r: f32,
        color: Rgb,
    },
}

#[derive(Clone, Debug, Default)]
pub struct Page {
    pub ops: Vec<Op>,
}

impl Page {
    /// Text drawn beneath everything already on the page (a watermark).
    pub fn text_under(&mut self, x: f32, y: f32, style: Style, text: impl Into<String>) {
        self.ops.insert(
            0,
            Op::Text {
                x,
                y,
                style,
                text: text.into(),
            },
        );
    }

    pub fn text(&mut self, x: f32, y: f32, style: Style, text: impl Into<String>) {
        self.ops.push(Op::Text {
            x,
            y,
            style,
            text: text.into(),
        });
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: Rgb) {
        self.ops.push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            color,
        });
    }

    pub fn vline(&mut self, x: f32, y1: f32, y2: f32, width: f32, color: Rgb) {
        self.ops.push(Op::Line {
            x1: x,
            y1,
            x2: x,
            y2,
            width,
            color,
        });
    }

    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.ops.push(Op::FillRect { x, y, w, h, color });
    }

    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgb) {
        self.ops.push(Op::StrokeRect {
            x,
            y,
            w,
            h,
            width,
            color,
        });
    }
}
