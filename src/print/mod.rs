//! Printouts for the ward during an outage: one patient's summary, or a whole ward's pack, as
//! PDF. Content comes from the chart view models (`crate::chart`), never from HL7 or FHIR.
//!
//! The layout engine is ours and small: pages are laid out first as lists of drawing operations
//! (`page`, `flow`, `table`, `wrap`), then rendered with krilla, which embeds a subset of the
//! bundled BIZ UDGothic (`render`). The footer of every page (`furniture`) is added at render
//! time, when the page count is known.

mod flow;
mod font;
mod furniture;
mod page;
mod render;
mod table;
mod wrap;

pub use furniture::NOTICE;

#[cfg(test)]
mod engine_tests;
