//! National code tables and code structures that both readers decode the same way.

pub mod jami_usage;
