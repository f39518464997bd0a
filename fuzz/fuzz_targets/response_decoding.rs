//! Arbitrary bytes as an HTTP response (status line, headers, empty line, body: see
//! `acsgen_tests::fuzz::parse_response`) decoded into the generated operations' response types
//! and error enums: must never panic. The body is `acsgen_tests::fuzz::response_decoding`,
//! which the test suite replays on the corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    acsgen_tests::fuzz::response_decoding(data);
});
