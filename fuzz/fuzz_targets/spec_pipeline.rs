//! Arbitrary bytes as a spec document: load → validate → lower → emit must never panic, and
//! emitting must never fail (generated code that does not parse is a generator bug).
//! The body is `acsgen_tests::fuzz::spec_pipeline`, which the test suite replays on the corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acsgen_tests::fuzz::spec_pipeline(data);
});
