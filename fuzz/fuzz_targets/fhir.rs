#![no_main]
// The body lives in the library (lifeboat::fuzzing) so that tests/fuzz_regressions.rs replays
// crashing inputs through the same code on stable.
//
// fhirbolt panics on some input and lifeboat::fhir::parse_json catches that on purpose (one
// bad file must not stop the import). libFuzzer's panic hook would abort before the catch, so
// panics raised inside fhirbolt are let through to that catch; any other panic still aborts.
libfuzzer_sys::fuzz_target!(
    init: {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_fhirbolt = info.location().is_some_and(|l| l.file().contains("fhirbolt"));
            if !in_fhirbolt {
                abort_hook(info);
            }
        }));
    },
    |data: &[u8]| lifeboat::fuzzing::fhir(data)
);
