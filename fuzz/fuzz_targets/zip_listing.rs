#![no_main]
// The body lives in the library (lifeboat::fuzzing) so that tests/fuzz_regressions.rs replays
// crashing inputs through the same code on stable.
libfuzzer_sys::fuzz_target!(|data: &[u8]| lifeboat::fuzzing::zip_listing(data));
