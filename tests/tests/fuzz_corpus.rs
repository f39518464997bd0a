//! The fuzz corpus, replayed on stable Rust: every file in `fuzz/corpus/spec_pipeline/` and
//! `fuzz/corpus/response_decoding/` goes through the same code as the cargo-fuzz targets
//! (`acsgen_tests::fuzz`), and so do the seeds computed afresh from the repository (every spec,
//! edge-case and bad-input document; every documented sample response and error), so a change
//! that breaks one fails here without nightly. Inputs that once crashed a target are named
//! below, one test each.
//!
//! To rewrite the seed files after the specs change (fuzzer-found inputs are kept):
//! `cargo test -p acsgen-tests --test fuzz_corpus -- --ignored write_seeds`.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use acsgen_tests::fuzz::{encode_response, response_decoding, spec_pipeline};
use acsgen_tests::workspace_root;

/// The corpus of one target.
fn corpus_dir(target: &str) -> PathBuf {
    workspace_root().join("fuzz/corpus").join(target)
}

/// Every file of a target's corpus, in name order.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir(target);
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path.file_name().expect("a file name");
            let bytes = fs::read(&path).expect("a readable corpus file");
            (name.to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// Runs `target` on `bytes`; the panic message if it panicked.
fn run(target: fn(&[u8]), bytes: &[u8]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| target(bytes))).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)")
            .to_owned()
    })
}

/// Runs every input through `target`, and fails naming each input that panicked.
fn replay(what: &str, inputs: &[(String, Vec<u8>)], target: fn(&[u8])) {
    assert!(!inputs.is_empty(), "no {what} inputs");
    let failed: Vec<String> = inputs
        .iter()
        .filter_map(|(name, bytes)| {
            run(target, bytes)
                .err()
                .map(|message| format!("{name}: {message}"))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} {what} inputs failed:\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
}

#[test]
fn spec_pipeline_corpus_replays_without_a_crash() {
    replay(
        "spec_pipeline corpus",
        &corpus("spec_pipeline"),
        spec_pipeline,
    );
}

#[test]
fn response_decoding_corpus_replays_without_a_crash() {
    replay(
        "response_decoding corpus",
        &corpus("response_decoding"),
        response_decoding,
    );
}

/// One corpus input that once crashed its target: it must not crash now.
fn regression(target: &str, name: &str, body: fn(&[u8])) {
    let path = corpus_dir(target).join(name);
    let bytes = fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    if let Err(message) = run(body, &bytes) {
        panic!("{target}/{name} crashes: {message}");
    }
}

/// A `spec_pipeline` corpus input is now an invalid document, with an error about `what`.
fn rejected_for(name: &str, what: &str) {
    let path = corpus_dir("spec_pipeline").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let (krate, diagnostics) = acsgen::compile(Path::new(name), &text);
    assert!(krate.is_none(), "{name} still generates a crate");
    assert!(
        diagnostics
            .iter()
            .any(|d| d.severity == acsgen::diag::Severity::Error && d.message.contains(what)),
        "{name}: no error about {what}: {diagnostics:#?}"
    );
}

/// Found by `spec_pipeline`: `x-rust-name: self_type@` on a parameter was used as the field
/// name as written, and emitting panicked (`"self_type@" is not a valid Ident`).
#[test]
fn regression_x_rust_name_not_an_identifier() {
    regression(
        "spec_pipeline",
        "crash-x-rust-name-not-an-identifier.yaml",
        spec_pipeline,
    );
    rejected_for("crash-x-rust-name-not-an-identifier.yaml", "x-rust-name");
}

/// The same with a keyword (`x-rust-name: type`): the generated code did not parse.
#[test]
fn regression_x_rust_name_keyword() {
    regression(
        "spec_pipeline",
        "crash-x-rust-name-keyword.yaml",
        spec_pipeline,
    );
    rejected_for("crash-x-rust-name-keyword.yaml", "x-rust-name");
}

/// The same on an operation (`x-rust-name: ../../escape`), whose name is also a file name.
#[test]
fn regression_x_rust_name_operation_path() {
    regression(
        "spec_pipeline",
        "crash-x-rust-name-operation-path.yaml",
        spec_pipeline,
    );
    rejected_for("crash-x-rust-name-operation-path.yaml", "x-rust-name");
}

/// The same on a schema (`x-rust-name: my-type`), whose name is a type name.
#[test]
fn regression_x_rust_name_schema() {
    regression(
        "spec_pipeline",
        "crash-x-rust-name-schema.yaml",
        spec_pipeline,
    );
    rejected_for("crash-x-rust-name-schema.yaml", "x-rust-name");
}

#[test]
fn todays_spec_seeds_run_without_a_crash() {
    replay("spec seed", &spec_seeds(), spec_pipeline);
}

#[test]
fn todays_response_seeds_run_without_a_crash() {
    replay("response seed", &response_seeds(), response_decoding);
}

/// The committed corpus stays small: the seeds and a few dozen inputs the fuzzer found.
#[test]
fn the_committed_corpus_is_small() {
    for target in ["spec_pipeline", "response_decoding"] {
        let files = corpus(target);
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        assert!(
            files.len() <= 200,
            "{target}: {} files; minimize the corpus (README, Fuzzing)",
            files.len()
        );
        assert!(
            bytes <= 2 << 20,
            "{target}: {bytes} bytes; minimize the corpus (README, Fuzzing)"
        );
    }
}

/// The byte layout of response inputs: documented in `acsgen_tests::fuzz::parse_response`;
/// a seed reads back as the response it was written from.
#[test]
fn response_seeds_read_back() {
    for (name, bytes) in response_seeds() {
        let response = acsgen_tests::fuzz::parse_response(&bytes);
        assert!(response.status > 0, "{name}");
        assert!(
            response.header("content-type").is_some() || response.body.is_empty(),
            "{name}"
        );
    }
}

/// Writes the seeds into `fuzz/corpus/`: copies of the spec, edge-case and bad-input
/// documents (`spec_pipeline`), and the documented sample responses and errors of every
/// operation plus hand-written odd answers (`response_decoding`). Inputs the fuzzer found are
/// left alone.
#[test]
#[ignore = "rewrites the seed files of fuzz/corpus"]
fn write_seeds() {
    for (target, seeds) in [
        ("spec_pipeline", spec_seeds()),
        ("response_decoding", response_seeds()),
    ] {
        let dir = corpus_dir(target);
        fs::create_dir_all(&dir).expect("the corpus directory");
        for (name, bytes) in seeds {
            fs::write(dir.join(name), bytes).expect("a seed is written");
        }
    }
}

/// Files directly in `dir`, as `(prefix-name, bytes)`.
fn files_in(dir: &Path, prefix: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path.file_name().expect("a file name").to_string_lossy();
            let bytes = fs::read(&path).expect("a readable file");
            (format!("{prefix}-{name}"), bytes)
        })
        .collect();
    files.sort();
    files
}

/// `spec/*.yaml`, `tests/specs/edge/*` and the files of `tests/specs/bad/`.
fn spec_seeds() -> Vec<(String, Vec<u8>)> {
    let root = workspace_root();
    let mut seeds = files_in(&root.join("spec"), "spec");
    seeds.retain(|(name, _)| name.ends_with(".yaml"));
    seeds.extend(files_in(&root.join("tests/specs/edge"), "edge"));
    seeds.extend(files_in(&root.join("tests/specs/bad"), "bad"));
    seeds
}

const JSON: (&str, &str) = ("content-type", "application/json;charset=utf-8");
const REQUEST_ID: &str = "9B34724D-54B0-4A51-B34D-4512372FE1BE";

/// The error body Alibaba Cloud RPC services send.
fn error_body(code: &str, message: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::json!({
        "RequestId": REQUEST_ID,
        "HostId": "resourcemanager.aliyuncs.com",
        "Code": code,
        "Message": message,
        "Recommend": format!(
            "https://api.aliyun.com/troubleshoot?q={code}&product=ResourceManager&requestId={REQUEST_ID}"
        ),
    }))
    .expect("JSON")
}

/// A success body from the response fields' documented examples, for operations whose page
/// shows no sample response.
fn sample_from_fields(fields: &[acsgen::ir::Field]) -> serde_json::Value {
    use acsgen::ir::TypeRef;
    let mut object = serde_json::Map::new();
    for field in fields {
        let Some(example) = &field.docs.example else {
            continue;
        };
        let value = match &field.ty {
            TypeRef::String | TypeRef::Named(_) => serde_json::Value::from(example.as_str()),
            TypeRef::Bool | TypeRef::I32 | TypeRef::I64 => match serde_json::from_str(example) {
                Ok(value) => value,
                Err(_) => continue,
            },
            _ => continue,
        };
        object.insert(field.wire_name.clone(), value);
    }
    serde_json::Value::Object(object)
}

/// Every documented sample response and error of every operation in `spec/`, and answers
/// no page documents: an HTML page from a proxy, empty and truncated bodies, throttling with
/// `x-acs-retry-after`, odd field spellings and types, statuses out of range, invalid UTF-8.
fn response_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for (name, text) in spec_seeds() {
        if !name.starts_with("spec-") {
            continue;
        }
        let text = String::from_utf8(text).expect("a UTF-8 spec");
        let (krate, diagnostics) = acsgen::compile(Path::new(&name), &text);
        let krate = krate.unwrap_or_else(|| panic!("{name}: {diagnostics:?}"));
        for op in &krate.operations {
            let module = acsgen::ident::bare(&op.module_name);
            let request_id = ("x-acs-request-id", REQUEST_ID);
            for (example, body) in &op.response_examples {
                seeds.push((
                    format!("ok-{module}-{example}"),
                    encode_response(200, &[JSON, request_id], body.as_bytes()),
                ));
            }
            if op.response_examples.is_empty() {
                let body = serde_json::to_vec_pretty(&sample_from_fields(&op.response_fields))
                    .expect("JSON");
                seeds.push((
                    format!("ok-{module}-from-field-examples"),
                    encode_response(200, &[JSON, request_id], &body),
                ));
            }
            for error in &op.errors {
                let body = error_body(&error.code, error.message.as_deref().unwrap_or(""));
                seeds.push((
                    format!("error-{module}-{}-{}", error.http_status, error.code),
                    encode_response(error.http_status, &[JSON], &body),
                ));
            }
        }
    }
    let sample = seeds
        .iter()
        .find(|(name, _)| name.starts_with("ok-cancel_handshake"))
        .map(|(_, bytes)| acsgen_tests::fuzz::parse_response(bytes).body)
        .expect("CancelHandshake documents a sample response");
    let html: &[u8] = b"<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n\
        <body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>Tengine</center>\n\
        </body>\n</html>\n";
    let html_type = ("content-type", "text/html");
    let mut long_body = vec![b'"'; 1];
    long_body.extend("张".repeat(70).as_bytes()); // 210 bytes: byte 200 splits a character
    long_body.extend_from_slice(b"\xff\xfe\x00\x1b[31m");
    let odd: Vec<(&str, Vec<u8>)> = vec![
        ("html-502", encode_response(502, &[html_type], html)),
        ("html-200", encode_response(200, &[html_type], html)),
        ("empty-200", encode_response(200, &[JSON], b"")),
        ("empty-500", encode_response(500, &[JSON], b"")),
        (
            "truncated-200",
            encode_response(200, &[JSON], &sample[..sample.len() / 2]),
        ),
        (
            "truncated-error-400",
            encode_response(400, &[JSON], &error_body("InvalidParameter", "x")[..40]),
        ),
        (
            "throttling-429-retry-after",
            encode_response(
                429,
                &[JSON, ("x-acs-retry-after", "1500")],
                &error_body("Throttling.User", "Request was denied due to user flow control."),
            ),
        ),
        (
            "unavailable-503-retry-after-not-a-number",
            encode_response(
                503,
                &[JSON, ("X-Acs-Retry-After", " soon ")],
                &error_body("ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
            ),
        ),
        (
            "access-denied-403",
            encode_response(
                403,
                &[JSON],
                br#"{"RequestId":"7A2B","Code":"NoPermission","Message":"You are not authorized to do this action.","AccessDeniedDetail":{"PolicyType":"AccountLevelIdentityBasedPolicy","AuthPrincipalType":"SubUser","AuthAction":"resourcemanager:CancelHandshake","NoPermissionType":"ImplicitDeny","EncodedDiagnosticMessage":"AQIBIAAAAOPdwKY2QLOvgMEc7SkkoJfj1kvZwsaRqNYMh10Tv0wTe0fCzaCdrvgazfNb0EnJKETgXyhR+3BIQjx9WAqZryejBsp1Bl4qI5En/D9dEhcXAtKCxCmE2kZCiEzpy8BoEUt+bs0DmlaGWO5xkEpttypLIB4rUhDvZd+zwPg4EXk4KSSWSWsurxtqDkKEMshKlQFBTKvJcKwyhk62IeYly4hQ+5IpXjkh1GQXuDRCQ=="}}"#,
            ),
        ),
        (
            "lowercase-fields-400",
            encode_response(
                400,
                &[JSON],
                br#"{"requestId":"1C2D","hostId":"cms.aliyuncs.com","code":"InvalidParameter","message":"lower case","recommend":"https://api.aliyun.com/troubleshoot"}"#,
            ),
        ),
        (
            "numeric-code-500",
            encode_response(500, &[JSON], br#"{"Code":500,"Message":null,"RequestId":42}"#),
        ),
        (
            "no-code-404",
            encode_response(404, &[JSON], br#"{"Message":"Not Found","Code":""}"#),
        ),
        (
            "request-id-in-header-409",
            encode_response(
                409,
                &[JSON, ("x-acs-request-id", "HDR-1")],
                br#"{"Code":"HandshakeStatusMismatch","Message":"The invitation is invalid."}"#,
            ),
        ),
        (
            "status-600",
            encode_response(600, &[JSON], &error_body("Weird", "status")),
        ),
        (
            "redirect-302",
            encode_response(
                302,
                &[html_type, ("location", "https://example.com/")],
                b"<html><body>Moved</body></html>",
            ),
        ),
        (
            "xml-200",
            encode_response(
                200,
                &[("content-type", "application/xml")],
                b"<CancelHandshakeResponse>\n<RequestId>9B34724D-54B0-4A51-B34D-4512372FE1BE</RequestId>\n</CancelHandshakeResponse>",
            ),
        ),
        (
            "long-invalid-utf8-500",
            encode_response(500, &[("content-type", "text/plain")], &long_body),
        ),
        (
            "wrong-types-200",
            encode_response(
                200,
                &[JSON],
                br#"{"RequestId":5,"Handshake":"h-1","Success":"yes","Code":[]}"#,
            ),
        ),
        (
            "unknown-fields-and-nulls-200",
            encode_response(
                200,
                &[JSON],
                br#"{"RequestId":null,"Handshake":{"Status":"NewStatus","Extra":{"a":[1,2.5e3,-0]}},"Success":true,"NewField":"\u00e9\ud83d\ude00"}"#,
            ),
        ),
        (
            "duplicate-field-200",
            encode_response(200, &[JSON], br#"{"RequestId":"a","RequestId":"b"}"#),
        ),
        (
            "array-error-400",
            encode_response(400, &[JSON], br#"[{"Code":"InvalidParameter"}]"#),
        ),
    ];
    seeds.extend(
        odd.into_iter()
            .map(|(name, bytes)| (name.to_owned(), bytes)),
    );
    seeds
}
