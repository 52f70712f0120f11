//! Ward packs: a cover listing the ward's inpatients, then each patient's summary on pages of
//! its own, in room and bed order. "All wards" is every ward's pack in turn, in one file.

use super::cover::{self, CoverLine};
use super::flow::Flow;
use super::font::Fonts;
use super::page::Page;
use super::summary;
use crate::chart::WardCensus;
use crate::index::SnapshotIndex;
use anyhow::Result;

/// Pages of one ward's pack. `before` is the number of pages already in the document, so that
/// the cover can say on which page each patient starts.
pub fn layout(
    fonts: &Fonts,
    index: &SnapshotIndex,
    ward: &WardCensus,
    as_of: &str,
    before: usize,
) -> Result<Vec<Page>> {
    let mut patients: Vec<Vec<Page>> = Vec::with_capacity(ward.entries.len());
    let mut allergies = Vec::with_capacity(ward.entries.len());
    for e in &ward.entries {
        let chart = super::chart_of(index, &e.patient_id)?;
        let mut flow = Flow::new(fonts);
        summary::layout(&mut flow, &chart);
        patients.push(flow.into_pages());
        allergies.push(chart.board_line());
    }
    // The cover's own length moves every patient's page number; lay it out until it is stable
    // (a second pass at most in practice: the cover grows by whole pages only).
    let mut cover_len = 1;
    let cover = loop {
        let mut lines = Vec::with_capacity(patients.len());
        let mut next = before + cover_len + 1;
        for (p, board) in patients.iter().zip(&allergies) {
            lines.push(CoverLine {
                first_page: next,
                board: board.clone(),
            });
            next += p.len();
        }
        let mut flow = Flow::new(fonts);
        cover::layout(&mut flow, ward, as_of, &lines);
        let pages = flow.into_pages();
        if pages.len() <= cover_len {
            break pages;
        }
        cover_len = pages.len();
    };
    let mut pages = cover;
    // A shorter cover than assumed leaves page numbers one off; pad it so they stay right.
    pages.resize_with(cover_len, Page::default);
    pages.extend(patients.into_iter().flatten());
    Ok(pages)
}
