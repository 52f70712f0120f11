//! Text output of the command-line faces.

pub mod audit;
pub mod check;
pub mod exit;
pub mod open;
pub mod out;
pub mod pack;
pub mod search;
pub mod secret;
pub mod show;
pub mod trust;
