//! Tables: relative column widths, cells wrapped to their column, rows that break across pages
//! with the header row repeated on the next page. A row taller than a page is split between
//! lines, so no text is ever cut off.

use super::flow::Flow;
use super::page::{CONTENT_LEFT, CONTENT_WIDTH, Rgb, Style};
use super::wrap::wrap;

const PAD_X: f32 = 3.0;
const PAD_Y: f32 = 2.0;
/// Body rows kept with the header row at the start of a table.
const KEEP_ROWS: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct Column {
    pub title: String,
    /// Relative width; the table fills the content width.
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn left(title: &str, weight: f32) -> Column {
        Column {
            title: title.to_string(),
            weight,
            align: Align::Left,
        }
    }

    pub fn right(title: &str, weight: f32) -> Column {
        Column {
            title: title.to_string(),
            weight,
            align: Align::Right,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    /// Overrides the table's body style (bold flags, red high values).
    pub style: Option<Style>,
    /// Style of the text before the first newline (a name in bold above its kana).
    pub lead: Option<Style>,
}

impl Cell {
    pub fn styled(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            text: text.into(),
            style: Some(style),
            lead: None,
        }
    }

    /// The first line in `lead`, the rest in the table's style.
    pub fn lead(text: impl Into<String>, lead: Style) -> Cell {
        Cell {
            text: text.into(),
            style: None,
            lead: Some(lead),
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            style: None,
            lead: None,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// Row background: the header is shaded and ruled, body rows alternate for the eye.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shade {
    Header,
    Alternate,
    None,
}

pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub body: Style,
}

/// A row wrapped to its columns: lines per cell.
struct Wrapped {
    /// Per cell: its lines with their styles, and its alignment.
    cells: Vec<(Vec<(String, Style)>, Align)>,
}

impl Wrapped {
    fn lines(&self) -> usize {
        self.cells.iter().map(|c| c.0.len()).max().unwrap_or(1).max(1)
    }
}

impl Table {
    pub fn new(columns: Vec<Column>, body: Style) -> Table {
        Table {
            columns,
            rows: Vec::new(),
            body,
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    fn widths(&self) -> Vec<f32> {
        let total: f32 = self.columns.iter().map(|c| c.weight.max(0.1)).sum();
        self.columns
            .iter()
            .map(|c| CONTENT_WIDTH * c.weight.max(0.1) / total)
            .collect()
    }

    fn header_style(&self) -> Style {
        Style::bold(self.body.size)
    }

    /// Height of the header row plus the first few body rows: what a heading keeps with it,
    /// so that a table never starts at the foot of a page with one lonely row.
    pub fn lead_height(&self, flow: &Flow) -> f32 {
        let widths = self.widths();
        let header = self.wrap_row(flow, &self.header_cells(), &widths, self.header_style());
        let rows: Vec<usize> = self
            .rows
            .iter()
            .take(KEEP_ROWS)
            .map(|r| self.wrap_row(flow, r, &widths, self.body).lines())
            .collect();
        let lines = header.lines() + rows.iter().sum::<usize>();
        lines as f32 * self.body.line_height() + (1 + rows.len()) as f32 * 2.0 * PAD_Y
    }

    fn header_cells(&self) -> Vec<Cell> {
        self.columns
            .iter()
            .map(|c| Cell::from(c.title.as_str()))
            .collect()
    }

    fn wrap_row(&self, flow: &Flow, cells: &[Cell], widths: &[f32], base: Style) -> Wrapped {
        let cells_out = self
            .columns
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (col, w))| {
                let cell = cells.get(i);
                let style = cell.and_then(|c| c.style).unwrap_or(base);
                let text = cell.map(|c| c.text.as_str()).unwrap_or("");
                let max = w - 2.0 * PAD_X;
                let wrap_in = |text: &str, style: Style| -> Vec<(String, Style)> {
                    wrap(flow.fonts.face(style.weight), text, style.size, max)
                        .into_iter()
                        .map(|l| (l, style))
                        .collect()
                };
                let lines = match (cell.and_then(|c| c.lead), text.split_once('\n')) {
                    (Some(lead), Some((head, rest))) => {
                        let mut lines = wrap_in(head, lead);
                        lines.extend(wrap_in(rest, style));
                        lines
                    }
                    (Some(lead), None) => wrap_in(text, lead),
                    (None, _) => wrap_in(text, style),
                };
                (lines, col.align)
            })
            .collect();
        Wrapped { cells: cells_out }
    }

    pub fn draw(&self, flow: &mut Flow) {
        let widths = self.widths();
        let lh = self.body.line_height();
        let header_cells = self.header_cells();
        let header = self.wrap_row(flow, &header_cells, &widths, self.header_style());
        let header_h = header.lines() as f32 * lh + 2.0 * PAD_Y;

        flow.ensure(self.lead_height(flow).min(flow.fresh_page_height()));
        self.draw_segment(flow, &header, &widths, 0, header.lines(), Shade::Header);
        for (n, cells) in self.rows.iter().enumerate() {
            let row = self.wrap_row(flow, cells, &widths, self.body);
            let shade = if n % 2 == 1 { Shade::Alternate } else { Shade::None };
            let total = row.lines();
            let mut first = 0;
            while first < total {
                let fit = ((flow.remaining() - 2.0 * PAD_Y) / lh).floor().max(0.0) as usize;
                let rest = total - first;
                let fits_fresh = rest as f32 * lh + 2.0 * PAD_Y <= flow.fresh_page_height() - header_h;
                if fit >= rest {
                    self.draw_segment(flow, &row, &widths, first, total, shade);
                    break;
                }
                // Keep a row whole when a fresh page can hold it; split only giant rows.
                if fit > 0 && !(first == 0 && fits_fresh) {
                    self.draw_segment(flow, &row, &widths, first, first + fit, shade);
                    first += fit;
                }
                flow.new_page();
                self.draw_segment(flow, &header, &widths, 0, header.lines(), Shade::Header);
            }
        }
        flow.gap(4.0);
    }

    /// Draws lines `from..to` of a wrapped row at the cursor and advances it.
    fn draw_segment(
        &self,
        flow: &mut Flow,
        row: &Wrapped,
        widths: &[f32],
        from: usize,
        to: usize,
        shade: Shade,
    ) {
        let lh = self.body.line_height();
        let h = (to - from) as f32 * lh + 2.0 * PAD_Y;
        let top = flow.y;
        let fonts = flow.fonts;
        let page = flow.page();
        match shade {
            Shade::Header => page.fill(CONTENT_LEFT, top, CONTENT_WIDTH, h, Rgb::SHADE),
            Shade::Alternate => page.fill(CONTENT_LEFT, top, CONTENT_WIDTH, h, Rgb::LIGHT),
            Shade::None => {}
        }
        let mut x = CONTENT_LEFT;
        for ((lines, align), w) in row.cells.iter().zip(widths) {
            for (i, (line, style)) in lines.iter().enumerate().take(to).skip(from) {
                let y = top + PAD_Y + (i - from) as f32 * lh + (lh - style.line_height()) / 2.0;
                let tx = match align {
                    Align::Left => x + PAD_X,
                    Align::Right => x + w - PAD_X - fonts.face(style.weight).width(line, style.size),
                };
                page.text(tx, y, *style, line.clone());
            }
            if x > CONTENT_LEFT {
                page.vline(x, top, top + h, 0.3, Rgb::RULE);
            }
            x += w;
        }
        page.hline(
            CONTENT_LEFT,
            CONTENT_LEFT + CONTENT_WIDTH,
            top + h,
            0.4,
            Rgb::RULE,
        );
        if shade == Shade::Header {
            page.hline(CONTENT_LEFT, CONTENT_LEFT + CONTENT_WIDTH, top, 0.6, Rgb::BLACK);
        }
        flow.y += h;
    }
}
