//! Top-to-bottom flow of blocks over pages: a cursor, page breaks, and the running title that
//! names the patient at the top of every continuation page (a loose page must still say whose it
//! is).

use super::font::Fonts;
use super::page::{CONTENT_BOTTOM, CONTENT_LEFT, CONTENT_RIGHT, CONTENT_WIDTH, MARGIN_TOP, Page, Rgb, Style};
use super::wrap::{fit, pack, wrap};

pub const HEADING: Style = Style::bold(11.0);
pub const BODY: Style = Style::regular(9.5);
const RUNNING: Style = Style::bold(9.5);

pub struct Flow<'f> {
    pub fonts: &'f Fonts,
    pages: Vec<Page>,
    /// Top of the free space on the current page.
    pub y: f32,
    /// Left: who or what (cut to fit); right: the ID, never cut.
    running_title: Option<(String, String)>,
}

impl<'f> Flow<'f> {
    pub fn new(fonts: &'f Fonts) -> Flow<'f> {
        Flow {
            fonts,
            pages: vec![Page::default()],
            y: MARGIN_TOP,
            running_title: None,
        }
    }

    /// The line printed at the top of every following page of this flow: `title` on the left,
    /// `id` on the right.
    pub fn set_running_title(&mut self, title: impl Into<String>, id: impl Into<String>) {
        self.running_title = Some((title.into(), id.into()));
    }

    pub fn page(&mut self) -> &mut Page {
        // `pages` starts with one page and only grows.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn remaining(&self) -> f32 {
        CONTENT_BOTTOM - self.y
    }

    /// Height available on a fresh continuation page, for blocks deciding whether to split.
    pub fn fresh_page_height(&self) -> f32 {
        CONTENT_BOTTOM - MARGIN_TOP - self.running_height()
    }

    fn running_height(&self) -> f32 {
        if self.running_title.is_some() {
            RUNNING.line_height() + 6.0
        } else {
            0.0
        }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN_TOP;
        if let Some((title, id)) = self.running_title.clone() {
            let y = self.y;
            let face = self.fonts.face(RUNNING.weight);
            let id_w = face.width(&id, RUNNING.size);
            let left = fit(
                face,
                &format!("{title}（続き）"),
                RUNNING.size,
                CONTENT_WIDTH - id_w - 12.0,
            );
            let page = self.page();
            page.text(CONTENT_LEFT, y, RUNNING, left);
            page.text(CONTENT_RIGHT - id_w, y, RUNNING, id);
            let rule_y = y + RUNNING.line_height() + 1.0;
            page.hline(CONTENT_LEFT, CONTENT_RIGHT, rule_y, 0.8, Rgb::BLACK);
            self.y += self.running_height();
        }
    }

    /// Starts a new page unless `height` still fits. Returns whether it broke.
    pub fn ensure(&mut self, height: f32) -> bool {
        if height > self.remaining() && self.y > MARGIN_TOP + self.running_height() + 0.5 {
            self.new_page();
            true
        } else {
            false
        }
    }

    pub fn gap(&mut self, height: f32) {
        self.y += height;
    }

    /// Wrapped text from `x` over `width`, breaking pages between lines.
    pub fn text_at(&mut self, x: f32, width: f32, style: Style, text: &str) {
        let lines = wrap(self.fonts.face(style.weight), text, style.size, width);
        for line in lines {
            self.ensure(style.line_height());
            let y = self.y;
            self.page().text(x, y, style, line);
            self.y += style.line_height();
        }
    }

    /// Labelled items packed into lines, breaking only between items.
    pub fn items_at(&mut self, x: f32, width: f32, style: Style, items: &[String]) {
        let lines = pack(self.fonts.face(style.weight), items, "　", style.size, width);
        for line in lines {
            self.ensure(style.line_height());
            let y = self.y;
            self.page().text(x, y, style, line);
            self.y += style.line_height();
        }
    }

    /// A section heading on a shaded bar, kept together with `keep` points of what follows.
    pub fn heading(&mut self, text: &str, keep: f32) {
        let h = HEADING.line_height() + 4.0;
        self.ensure(h + keep);
        let y = self.y;
        let page = self.page();
        page.fill(CONTENT_LEFT, y, CONTENT_WIDTH, h, Rgb::SHADE);
        page.vline(CONTENT_LEFT + 1.0, y, y + h, 2.5, Rgb::BLACK);
        page.text(CONTENT_LEFT + 7.0, y + 2.0, HEADING, text);
        self.y += h + 3.0;
    }

    /// Width of a text in points, for blocks placing several texts on one line.
    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.fonts.face(style.weight).width(text, style.size)
    }

    pub fn into_pages(self) -> Vec<Page> {
        self.pages
    }
}
