//! Page furniture: the footer every printed page carries (what this paper is, how old its data
//! is, who printed it when, from which snapshot, page x / y).

use super::font::Fonts;
use super::page::{CONTENT_BOTTOM, CONTENT_LEFT, CONTENT_RIGHT, CONTENT_WIDTH, MARGIN_TOP, Page, Rgb, Style};
use super::wrap::fit;
use crate::chart::mode::DRILL_JA;

/// Printed on every page: this paper is a copy for the outage, not the record.
pub const NOTICE: &str = "非常時参照用 — 電子カルテ停止時の参照コピー";

const NOTICE_STYLE: Style = Style::bold(9.0);
const PAGE_STYLE: Style = Style::bold(10.0);
const AS_OF_STYLE: Style = Style::bold(8.0);
const DETAIL_STYLE: Style = Style::regular(8.0);
/// Light enough to read the chart through, dark enough to survive a photocopy.
const WATERMARK_STYLE: Style = Style::bold(72.0).with_color(Rgb(222, 222, 222));

/// What the footer says besides the page number, fixed for a whole document.
#[derive(Clone, Debug, Default)]
pub struct Furniture {
    /// データ基準日時, already formatted.
    pub as_of: String,
    /// 印刷日時, already formatted.
    pub printed_at: String,
    /// 印刷者; empty when no operator was given.
    pub operator: String,
    pub snapshot: String,
    /// 監査: the first 8 hex digits of the audit log's chain head at print time; empty when
    /// not logged.
    pub audit: String,
    /// A drill's data: 訓練用データ across the page and in the footer.
    pub drill: bool,
}

impl Furniture {
    fn details(&self) -> String {
        let mut parts = vec![format!("印刷日時 {}", self.printed_at)];
        if !self.operator.is_empty() {
            parts.push(format!("印刷者 {}", self.operator));
        }
        parts.push(format!("スナップショット {}", self.snapshot));
        if !self.audit.is_empty() {
            parts.push(format!("監査 {}", self.audit));
        }
        parts.join("　")
    }

    /// Adds the footer of page `number` (1-based) of `total` to `page`.
    pub fn draw(&self, page: &mut Page, fonts: &Fonts, number: usize, total: usize) {
        if self.drill {
            // Across the middle of the page, beneath the chart.
            let w = fonts.bold.width(DRILL_JA, WATERMARK_STYLE.size);
            let y = (MARGIN_TOP + CONTENT_BOTTOM) / 2.0 - WATERMARK_STYLE.size / 2.0;
            page.text_under(
                CONTENT_LEFT + (CONTENT_WIDTH - w) / 2.0,
                y,
                WATERMARK_STYLE,
                DRILL_JA,
            );
        }
        let top = CONTENT_BOTTOM + 5.0;
        page.hline(CONTENT_LEFT, CONTENT_RIGHT, top, 0.8, Rgb::BLACK);
        let notice = if self.drill {
            format!("【{DRILL_JA}】{NOTICE}")
        } else {
            NOTICE.to_string()
        };
        page.text(CONTENT_LEFT, top + 4.0, NOTICE_STYLE, notice);
        let number = format!("{number} / {total} ページ");
        let w = fonts.bold.width(&number, PAGE_STYLE.size);
        page.text(CONTENT_RIGHT - w, top + 3.0, PAGE_STYLE, number);

        // The data time leads the second line in bold: the reader must see how old this is.
        let y = top + 4.0 + NOTICE_STYLE.line_height() + 1.0;
        let as_of = format!("データ基準日時 {}", self.as_of);
        page.text(CONTENT_LEFT, y, AS_OF_STYLE, as_of.clone());
        let x = CONTENT_LEFT + fonts.bold.width(&as_of, AS_OF_STYLE.size) + 10.0;
        let details = self.details();
        if fonts.regular.width(&details, DETAIL_STYLE.size) <= CONTENT_RIGHT - x {
            page.text(x, y, DETAIL_STYLE, details);
            return;
        }
        // Too long beside the data time: a line of its own, smaller if need be, and cut with an
        // ellipsis only past what fits at 6 pt (the names are capped long before that).
        let mut style = DETAIL_STYLE;
        while style.size > 6.0 && fonts.regular.width(&details, style.size) > CONTENT_WIDTH {
            style.size -= 0.5;
        }
        let line = fit(&fonts.regular, &details, style.size, CONTENT_WIDTH);
        page.text(CONTENT_LEFT, y + AS_OF_STYLE.line_height(), style, line);
    }
}
