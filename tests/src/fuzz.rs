//! The bodies of the fuzz targets in `fuzz/`, shared with `tests/fuzz_corpus.rs`, which replays
//! the committed corpus (`fuzz/corpus/<target>/`) through them on stable Rust. A target fails
//! by panicking; every input, however malformed, must return normally.
//!
//! * [`spec_pipeline`]: bytes → text → load → validate → lower → emit, and the rendering of
//!   every diagnostic found on the way.
//! * [`response_decoding`]: bytes → an HTTP response ([`parse_response`] gives the layout) →
//!   [`acs_runtime::decode_response`] into each generated operation's response type and error
//!   enum.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Component, Path};
use std::time::Duration;

use acs_runtime::{decode_response, ErrorMeta, HttpResponse, RetryPolicy, SdkError};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The file name a fuzzed document is compiled under (it appears in diagnostics and in the
/// header of every generated file).
pub const SPEC_FILE_NAME: &str = "fuzz.yaml";

/// One fuzz input through the whole generator: the bytes as UTF-8 text (invalid sequences
/// replaced), [`acsgen::compile`], the diagnostics rendered as the CLI prints them, and, when
/// the document compiles, [`acsgen::emit::emit`].
///
/// Panics on a generator bug: a panic anywhere in the pipeline, an [`EmitError`] (generated code
/// that does not parse), a crate returned together with errors (or none without errors), a
/// generated file whose path leaves the crate's directory or appears twice, and a generated
/// `Cargo.toml` that is not TOML naming the package.
///
/// [`EmitError`]: acsgen::emit::EmitError
pub fn spec_pipeline(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (krate, diagnostics) = acsgen::compile(Path::new(SPEC_FILE_NAME), &text);
    for diagnostic in &diagnostics {
        let _ = diagnostic.to_string();
    }
    let source = |_: &Path| Some(text.to_string());
    let _ = acsgen::diag::render(&diagnostics, false, &source);
    let has_errors = acsgen::has_errors(&diagnostics);
    assert_eq!(
        krate.is_some(),
        !has_errors,
        "a document generates a crate exactly when it has no errors; diagnostics: {diagnostics:#?}"
    );
    let Some(krate) = krate else {
        return;
    };
    let files = match acsgen::emit::emit(&krate) {
        Ok(files) => files,
        Err(err) => panic!(
            "emit failed on {}: {} (a generator bug)",
            err.path.display(),
            err.message
        ),
    };
    assert!(
        is_one_normal_component(Path::new(&krate.dir_name)),
        "the crate directory {:?} is not a plain directory name",
        krate.dir_name
    );
    let mut seen = BTreeSet::new();
    for file in &files {
        let mut components = file.path.components();
        assert_eq!(
            components.next(),
            Some(Component::Normal(krate.dir_name.as_ref())),
            "{} is not inside the crate directory",
            file.path.display()
        );
        assert!(
            components.all(|c| matches!(c, Component::Normal(_))),
            "{} leaves the crate directory",
            file.path.display()
        );
        assert!(
            seen.insert(file.path.clone()),
            "{} is generated twice",
            file.path.display()
        );
    }
    let manifest_path = Path::new(&krate.dir_name).join("Cargo.toml");
    let manifest = files
        .iter()
        .find(|f| f.path == manifest_path)
        .expect("every crate has a Cargo.toml");
    let table: toml::Table = match manifest.contents.parse() {
        Ok(table) => table,
        Err(err) => panic!(
            "the generated Cargo.toml is not TOML: {err}\n{}",
            manifest.contents
        ),
    };
    let name = table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(toml::Value::as_str);
    assert_eq!(
        name,
        Some(krate.package_name.as_str()),
        "the generated Cargo.toml names another package"
    );
}

fn is_one_normal_component(path: &Path) -> bool {
    let mut components = path.components();
    matches!(components.next(), Some(Component::Normal(_))) && components.next().is_none()
}

/// Reads a `response_decoding` input as an HTTP response. The layout, meant to be written by
/// hand (see [`encode_response`]):
///
/// ```text
/// 404                          status: the leading decimal digits of the first line
/// x-acs-request-id: 9B34-1     headers, `name: value`, one per line, up to an empty line
/// x-acs-retry-after: 1500
///                              (an empty line)
/// {"Code":"EntityNotExists"}   the body: every byte after the empty line, as is
/// ```
///
/// Every byte string is some response: the status is the digits read modulo 65536 (no digits
/// is status 0); a `\r` before a `\n` is dropped; a header line without `:` is a header with
/// an empty value; names and values are UTF-8 with invalid sequences replaced, the value without
/// the one space after the colon; without an empty line everything after the status line is
/// headers and the body is empty.
pub fn parse_response(data: &[u8]) -> HttpResponse {
    let (status_line, mut rest) = split_line(data);
    let status = status_line
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .fold(0u16, |status, digit| {
            status
                .wrapping_mul(10)
                .wrapping_add(u16::from(digit - b'0'))
        });
    let mut headers = Vec::new();
    let mut body = Vec::new();
    while let Some(remaining) = rest {
        let (line, next) = split_line(remaining);
        if line.is_empty() {
            body = next.unwrap_or_default().to_vec();
            break;
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        headers.push((
            String::from_utf8_lossy(name).trim().to_string(),
            String::from_utf8_lossy(value).into_owned(),
        ));
        rest = next;
    }
    HttpResponse::new(status, headers, body)
}

/// The first line of `data` without its `\n` (and a `\r` before it), and what follows the
/// `\n`, if there is one.
fn split_line(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == b'\n') {
        Some(end) => {
            let line = &data[..end];
            (
                line.strip_suffix(b"\r").unwrap_or(line),
                Some(&data[end + 1..]),
            )
        }
        None => (data, None),
    }
}

/// Writes a response in the layout [`parse_response`] reads (for seeds and tests).
pub fn encode_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{status}\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\n").as_bytes());
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out
}

/// An operation's error enum, as every generated one is: a variant per documented code and
/// `Unhandled`, each holding the [`ErrorMeta`].
trait OperationError: From<ErrorMeta> + std::error::Error + 'static {
    const CODES: &'static [(&'static str, u16)];
    fn meta(&self) -> &ErrorMeta;
    fn is_unhandled(&self) -> bool;
}

macro_rules! operation_errors {
    ($($error:ident),* $(,)?) => {
        $(
            impl OperationError for $error {
                const CODES: &'static [(&'static str, u16)] = $error::CODES;
                fn meta(&self) -> &ErrorMeta {
                    $error::meta(self)
                }
                fn is_unhandled(&self) -> bool {
                    matches!(self, $error::Unhandled(_))
                }
            }
        )*
    };
}

use acs_cms_20190101::operation::put_contact::{PutContactError, PutContactResponse};
use acs_resourcedirectorymaster_20220419::operation::cancel_message_contact_update::{
    CancelMessageContactUpdateError, CancelMessageContactUpdateResponse,
};
use acs_resourcedirectorymaster_20220419::operation::update_message_contact::{
    UpdateMessageContactError, UpdateMessageContactResponse,
};
use acs_resourcemanager_20200331::operation::bind_secure_mobile_phone::{
    BindSecureMobilePhoneError, BindSecureMobilePhoneResponse,
};
use acs_resourcemanager_20200331::operation::cancel_handshake::{
    CancelHandshakeError, CancelHandshakeResponse,
};

operation_errors!(
    PutContactError,
    CancelMessageContactUpdateError,
    UpdateMessageContactError,
    BindSecureMobilePhoneError,
    CancelHandshakeError,
);

/// One fuzz input as an HTTP response ([`parse_response`]), decoded by
/// [`acs_runtime::decode_response`] as every generated operation's response and error enum,
/// and as a plain JSON value with [`ErrorMeta`].
///
/// Panics when decoding panics or breaks its contract: a success is only decoded below
/// HTTP 400, and a generated response type re-encodes to itself (they hold no floats); a
/// service error only comes from HTTP 400–599 and carries the status, a non-empty code, the
/// right variant and the `x-acs-retry-after` delay; a decode error carries the status and a
/// short excerpt without control characters; nothing else is returned; and every outcome can
/// be displayed.
pub fn response_decoding(data: &[u8]) {
    let response = parse_response(data);
    check::<PutContactResponse, PutContactError>(&response, true);
    check::<CancelMessageContactUpdateResponse, CancelMessageContactUpdateError>(&response, true);
    check::<UpdateMessageContactResponse, UpdateMessageContactError>(&response, true);
    check::<BindSecureMobilePhoneResponse, BindSecureMobilePhoneError>(&response, true);
    check::<CancelHandshakeResponse, CancelHandshakeError>(&response, true);
    // Not re-encoded: without serde_json's `float_roundtrip`, a float may come back one unit
    // in the last place off.
    check::<serde_json::Value, ErrorMeta>(&response, false);
}

impl OperationError for ErrorMeta {
    const CODES: &'static [(&'static str, u16)] = &[];
    fn meta(&self) -> &ErrorMeta {
        self
    }
    fn is_unhandled(&self) -> bool {
        true
    }
}

/// Decodes `response` as `T` and `E`; `reencode`: whether a success must re-encode to itself.
fn check<T, E>(response: &HttpResponse, reencode: bool)
where
    T: DeserializeOwned + Serialize + PartialEq + fmt::Debug,
    E: OperationError,
{
    let status = response.status;
    let result = decode_response::<T, E>(response.clone());
    let _ = format!("{result:?}");
    match &result {
        Ok(value) => {
            assert!(status < 400, "HTTP {status} decoded as a success");
            if !reencode {
                return;
            }
            let encoded = serde_json::to_vec(value).expect("a decoded response encodes");
            let again: T = serde_json::from_slice(&encoded)
                .expect("a decoded response decodes again from its own encoding");
            assert_eq!(&again, value, "a decoded response changes when re-encoded");
        }
        Err(err) => {
            display_chain(err);
            match err {
                SdkError::Service(error) => check_service_error(response, error),
                SdkError::Decode(decode) => {
                    assert_eq!(decode.http_status(), status);
                    let excerpt = decode.body_excerpt();
                    // At most 200 bytes of the body, each one character at most (an invalid
                    // byte becomes U+FFFD), and `…` when cut.
                    assert!(
                        excerpt.chars().count() <= 201,
                        "the body excerpt has {} characters",
                        excerpt.chars().count()
                    );
                    assert!(
                        !excerpt.chars().any(char::is_control),
                        "the body excerpt keeps control characters: {excerpt:?}"
                    );
                    if status >= 600 {
                        assert_eq!(decode.reason(), "unexpected HTTP status");
                    }
                }
                other => {
                    panic!("decoding returned neither a service nor a decode error: {other:?}")
                }
            }
        }
    }
}

fn check_service_error<E: OperationError>(response: &HttpResponse, error: &E) {
    let status = response.status;
    assert!(
        (400..600).contains(&status),
        "HTTP {status} decoded as a service error"
    );
    let meta = error.meta();
    assert_eq!(meta.http_status(), status);
    assert!(!meta.code().is_empty(), "a service error without a code");
    if !E::CODES.is_empty() {
        let documented = E::CODES.iter().any(|(code, _)| *code == meta.code());
        assert_eq!(
            error.is_unhandled(),
            !documented,
            "code {:?} mapped to the wrong variant: {error:?}",
            meta.code()
        );
    }
    let expected_delay = response
        .header("x-acs-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis);
    assert_eq!(meta.retry_after(), expected_delay);
    if let Some(after) = meta.retry_after() {
        assert!(meta.is_retryable());
        let policy = RetryPolicy::default();
        assert!(policy.delay(1, Some(after)) <= after);
    }
    let _ = (meta.to_string(), meta.is_throttling());
}

/// Displays an error and every error in its source chain.
fn display_chain(err: &(dyn std::error::Error + 'static)) {
    let mut current = Some(err);
    while let Some(err) = current {
        let _ = err.to_string();
        current = err.source();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_layout_reads_back_what_encode_writes() {
        let bytes = encode_response(
            429,
            &[
                ("x-acs-retry-after", " 15 "),
                ("Content-Type", "application/json"),
            ],
            b"{\"Code\":\"Throttling\"}\n\n",
        );
        let response = parse_response(&bytes);
        assert_eq!(response.status, 429);
        assert_eq!(response.header("x-acs-retry-after"), Some(" 15 "));
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.body, b"{\"Code\":\"Throttling\"}\n\n");
    }

    #[test]
    fn every_byte_string_is_a_response() {
        assert_eq!(parse_response(b"").status, 0);
        assert_eq!(parse_response(b"70000").status, 70000u32 as u16);
        let response = parse_response(b"200\r\nno colon\r\n");
        assert_eq!(
            response.headers,
            vec![("no colon".to_string(), String::new())]
        );
        assert!(response.body.is_empty());
        let response = parse_response(b" 503 Service Unavailable\n\n\xff\xfe");
        assert_eq!(response.status, 503);
        assert_eq!(response.body, b"\xff\xfe");
    }
}
