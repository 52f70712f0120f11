//! Chart assembly over hand-made records.
