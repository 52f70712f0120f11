//! Helpers for hand-made records.
