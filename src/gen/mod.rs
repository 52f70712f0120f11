//! Synthetic hospital generator (SS-MIX2 standardized storage). Being written.
