//! Text output of the command-line faces.

pub mod check;
pub mod show;
