//! Text output of the command-line faces.

pub mod check;
pub mod open;
pub mod search;
pub mod show;
