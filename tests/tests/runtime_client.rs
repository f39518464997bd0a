//! `acs_runtime::ServiceClient` end to end: request building and signing, decoding, retries,
//! timeouts and secret hygiene, with a scripted fake transport; plus a real loopback HTTP
//! server for `ReqwestTransport`.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use acs_runtime::signing::{self, HeaderSelection, V3Input};
use acs_runtime::transport::TransportFuture;
use acs_runtime::{
    Body, Config, ConfigError, Credentials, Endpoint, ErrorMeta, HttpRequest, HttpResponse,
    IdempotencyToken, Method, Network, OperationRequest, Params, RetryPolicy, SdkError,
    ServiceClient, ServiceInfo, SignatureVersion, TokenLocation, Transport, TransportError,
};
use serde::Deserialize;

const KEY_ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret/+=Example";
const TOKEN: &str = "CAIS8gF1q6Ft5B2yfSjIr5bSEsnz+sts/token==";

static RDM: ServiceInfo = ServiceInfo {
    product: "ResourceDirectoryMaster",
    api_version: "2022-04-19",
    client: "acs-test/0.1.0",
    endpoint: Endpoint::Global {
        host: "resourcedirectory.aliyuncs.com",
    },
    region_endpoints: &[("ap-southeast-1", "resourcedirectory-intl.aliyuncs.com")],
    vpc_endpoint: None,
    success_flag: None,
    auth: &[],
};

static CMS: ServiceInfo = ServiceInfo {
    product: "Cms",
    api_version: "2019-01-01",
    client: "acs-test/0.1.0",
    endpoint: Endpoint::Regional {
        template: "metrics.{regionId}.aliyuncs.com",
    },
    region_endpoints: &[
        (
            "cn-shanghai-finance-1",
            "metrics.cn-shanghai-finance-1.aliyuncs.com",
        ),
        ("me-east-2", "metrics-me.aliyuncs.com"),
    ],
    vpc_endpoint: Some("metrics-vpc.{regionId}.aliyuncs.com"),
    success_flag: Some("Success"),
    auth: &[],
};

// ---------------------------------------------------------------------------------------------
// Fake transport

enum Scripted {
    Respond(HttpResponse),
    Fail(TransportError),
    Hang,
}

#[derive(Default)]
struct FakeTransport {
    script: Mutex<VecDeque<Scripted>>,
    sent: Mutex<Vec<(Instant, HttpRequest)>>,
}

impl fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FakeTransport")
    }
}

impl FakeTransport {
    fn new(script: Vec<Scripted>) -> Arc<Self> {
        Arc::new(Self {
            script: Mutex::new(script.into()),
            sent: Mutex::new(Vec::new()),
        })
    }

    fn requests(&self) -> Vec<HttpRequest> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(_, r)| r.clone())
            .collect()
    }

    fn times(&self) -> Vec<Instant> {
        self.sent.lock().unwrap().iter().map(|(t, _)| *t).collect()
    }
}

impl Transport for FakeTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        self.sent.lock().unwrap().push((Instant::now(), request));
        let next = self.script.lock().unwrap().pop_front();
        Box::pin(async move {
            match next {
                Some(Scripted::Respond(response)) => Ok(response),
                Some(Scripted::Fail(err)) => Err(err),
                Some(Scripted::Hang) => std::future::pending().await,
                None => Err(TransportError::other("script exhausted")),
            }
        })
    }
}

fn json(status: u16, body: &str) -> Scripted {
    Scripted::Respond(HttpResponse::new(
        status,
        vec![("content-type".into(), "application/json".into())],
        body.as_bytes().to_vec(),
    ))
}

fn raw(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Scripted {
    Scripted::Respond(HttpResponse::new(
        status,
        headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body.to_vec(),
    ))
}

const OK: &str = r#"{"RequestId":"req-ok","Unknown":{"nested":[1,2]}}"#;

fn throttled() -> Scripted {
    json(
        400,
        r#"{"RequestId":"req-t","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#,
    )
}

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn base_config(transport: &Arc<FakeTransport>) -> Config {
    Config::new(Credentials::new(KEY_ID, SECRET))
        .with_transport(transport.clone() as Arc<dyn Transport>)
        .with_retry_policy(fast_retries(3))
}

#[derive(Debug, Deserialize, PartialEq)]
struct Output {
    #[serde(rename = "RequestId")]
    request_id: String,
}

fn update_message_contact_params() -> Params {
    let mut p = Params::new();
    p.put("ContactId", "c-qL4HqKONzOM7****");
    p.put("Name", "张三 Ops~Team");
    p.put("EmailAddress", "zhang.san@example.com");
    p.put("PhoneNumber", "86-13900001234");
    p.put("Title", "TechnicalDirector");
    p.put(
        "MessageTypes",
        &["AccountExpenses", "SecurityMessage", "ServiceMessage"],
    );
    p
}

// ---------------------------------------------------------------------------------------------
// Helpers to check requests independently of the client

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Splits `url` into its query pairs, decoded, in wire order.
fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    if query.is_empty() {
        return Vec::new();
    }
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').expect("name=value");
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> &'a str {
    req.header(name)
        .unwrap_or_else(|| panic!("header {name} missing in {req:?}"))
}

fn assert_timestamp_format(value: &str) {
    let b = value.as_bytes();
    assert_eq!(b.len(), 20, "{value}");
    for (i, c) in b.iter().enumerate() {
        match i {
            4 | 7 => assert_eq!(*c, b'-', "{value}"),
            10 => assert_eq!(*c, b'T', "{value}"),
            13 | 16 => assert_eq!(*c, b':', "{value}"),
            19 => assert_eq!(*c, b'Z', "{value}"),
            _ => assert!(c.is_ascii_digit(), "{value}"),
        }
    }
    assert!(value.starts_with("20"), "{value}");
}

fn assert_nonce_format(value: &str) {
    assert_eq!(value.len(), 32, "{value}");
    assert!(
        value
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
        "{value}"
    );
}

/// Verifies a V3 request as the server would: recompute the signature from the wire query and
/// the headers named in `SignedHeaders`.
fn verify_v3(req: &HttpRequest, secret: &str) -> String {
    let authorization = header(req, "authorization");
    let signed_list = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders in authorization");
    let signed: Vec<(String, String)> = signed_list
        .split(';')
        .map(|name| (name.to_string(), header(req, name).to_string()))
        .collect();
    let query = query_pairs(&req.url);
    let sig = signing::sign_v3(&V3Input {
        method: &req.method,
        path: "/",
        query: &query,
        headers: &signed,
        body: &req.body,
        access_key_id: KEY_ID,
        access_key_secret: secret,
        header_selection: HeaderSelection::All,
    });
    assert_eq!(sig.authorization, authorization, "signature must verify");
    // The wire query is exactly the canonical query.
    assert_eq!(
        req.url.split_once('?').map(|(_, q)| q).unwrap_or(""),
        sig.canonical_query
    );
    signed_list.to_string()
}

// ---------------------------------------------------------------------------------------------
// V3 requests

#[tokio::test]
async fn v3_request_has_method_url_headers_and_a_verifiable_signature() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let config = base_config(&transport)
        .with_endpoint(&RDM, "http://127.0.0.1:8080")
        .with_user_agent("my-app/1.0");
    let client = ServiceClient::new(&config, &RDM);
    let params = update_message_contact_params();
    let expected_query = signing::canonical_query(params.iter());

    let out: Output = client
        .call::<Output, ErrorMeta>("UpdateMessageContact", params)
        .await
        .expect("success");
    assert_eq!(out.request_id, "req-ok");

    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, format!("http://127.0.0.1:8080/?{expected_query}"));
    assert!(req.url.contains("MessageTypes.3=ServiceMessage"));
    assert!(req
        .url
        .contains("Name=%E5%BC%A0%E4%B8%89%20Ops~Team&PhoneNumber"));
    assert!(req.url.contains("ContactId=c-qL4HqKONzOM7%2A%2A%2A%2A"));
    assert!(req.body.is_empty());

    assert_eq!(header(req, "host"), "127.0.0.1:8080");
    assert_eq!(header(req, "x-acs-action"), "UpdateMessageContact");
    assert_eq!(header(req, "x-acs-version"), "2022-04-19");
    assert_eq!(
        header(req, "x-acs-content-sha256"),
        signing::EMPTY_BODY_SHA256
    );
    assert_eq!(header(req, "accept"), "application/json");
    assert_eq!(
        header(req, "user-agent"),
        format!("acs-test/0.1.0 acs-runtime/{} my-app/1.0", env_version())
    );
    assert_timestamp_format(header(req, "x-acs-date"));
    assert_nonce_format(header(req, "x-acs-signature-nonce"));
    assert!(req.header("x-acs-security-token").is_none());
    assert!(req.header("x-acs-accesskey-id").is_none());
    assert!(req.header("content-type").is_none());
    assert!(header(req, "authorization").starts_with(&format!(
        "ACS3-HMAC-SHA256 Credential={KEY_ID},SignedHeaders="
    )));

    let signed = verify_v3(req, SECRET);
    assert_eq!(
        signed,
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
    );
}

fn env_version() -> String {
    // The runtime's version, as written in its Cargo.toml.
    let manifest = include_str!("../../generated/acs-runtime/Cargo.toml");
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("version line")
        .to_string()
}

#[tokio::test]
async fn v3_with_the_default_global_host_uses_https_and_the_bare_host_header() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    assert_eq!(
        client.endpoint().unwrap(),
        "https://resourcedirectory.aliyuncs.com"
    );
    let mut params = Params::new();
    params.put("ContactId", "c-1");
    client
        .call::<Output, ErrorMeta>("CancelMessageContactUpdate", params)
        .await
        .unwrap();
    let req = &transport.requests()[0];
    assert_eq!(
        req.url,
        "https://resourcedirectory.aliyuncs.com/?ContactId=c-1"
    );
    assert_eq!(header(req, "host"), "resourcedirectory.aliyuncs.com");
    verify_v3(req, SECRET);
    // A wrong secret does not verify.
    let authorization = header(req, "authorization").to_string();
    let query = query_pairs(&req.url);
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(n, _)| n != "authorization")
        .cloned()
        .collect();
    let forged = signing::sign_v3(&V3Input {
        method: "POST",
        path: "/",
        query: &query,
        headers: &headers,
        body: b"",
        access_key_id: KEY_ID,
        access_key_secret: "another secret",
        header_selection: HeaderSelection::Standard,
    });
    assert_ne!(forged.authorization, authorization);
}

#[tokio::test]
async fn v3_without_parameters_sends_a_bare_slash() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    client
        .call::<Output, ErrorMeta>("ListThings", Params::new())
        .await
        .unwrap();
    let req = &transport.requests()[0];
    assert_eq!(req.url, "https://resourcedirectory.aliyuncs.com/");
    verify_v3(req, SECRET);
}

#[tokio::test]
async fn v3_with_sts_token_sends_and_signs_token_and_key_id_headers() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let config = Config::new(Credentials::new(KEY_ID, SECRET).with_security_token(TOKEN))
        .with_transport(transport.clone());
    let client = ServiceClient::new(&config, &RDM);
    let mut params = Params::new();
    params.put("HandshakeId", "h-1");
    client
        .call::<Output, ErrorMeta>("CancelHandshake", params)
        .await
        .unwrap();
    let req = &transport.requests()[0];
    assert_eq!(header(req, "x-acs-security-token"), TOKEN);
    assert_eq!(header(req, "x-acs-accesskey-id"), KEY_ID);
    let signed = verify_v3(req, SECRET);
    assert!(signed.contains("x-acs-security-token"), "{signed}");
    assert!(signed.contains("x-acs-accesskey-id"), "{signed}");
    // The request's Debug output hides the token and the signature.
    let shown = format!("{req:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains("Signature="), "{shown}");
}

#[tokio::test]
async fn every_attempt_is_signed_anew_with_a_fresh_nonce() {
    let transport = FakeTransport::new(vec![throttled(), json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    client
        .call::<Output, ErrorMeta>("CancelHandshake", Params::new())
        .await
        .unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    assert_ne!(
        header(&requests[0], "x-acs-signature-nonce"),
        header(&requests[1], "x-acs-signature-nonce")
    );
    assert_ne!(
        header(&requests[0], "authorization"),
        header(&requests[1], "authorization")
    );
    for req in &requests {
        verify_v3(req, SECRET);
    }
}

// ---------------------------------------------------------------------------------------------
// V1 requests

#[tokio::test]
async fn v1_request_carries_everything_in_the_query_in_documented_order() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let config = Config::new(Credentials::new(KEY_ID, SECRET).with_security_token(TOKEN))
        .with_transport(transport.clone())
        .with_signature_version(SignatureVersion::V1);
    let client = ServiceClient::new(&config, &RDM);
    client
        .call::<Output, ErrorMeta>("UpdateMessageContact", update_message_contact_params())
        .await
        .unwrap();
    let req = &transport.requests()[0];
    assert_eq!(req.method, "POST");
    assert!(req.body.is_empty());
    assert!(req
        .url
        .starts_with("https://resourcedirectory.aliyuncs.com/?Action="));
    assert!(req.header("authorization").is_none());
    assert_eq!(header(req, "host"), "resourcedirectory.aliyuncs.com");
    assert_eq!(header(req, "x-acs-action"), "UpdateMessageContact");

    let pairs = query_pairs(&req.url);
    let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "Action",
            "Format",
            "Version",
            "Timestamp",
            "SignatureNonce",
            "ContactId",
            "Name",
            "EmailAddress",
            "PhoneNumber",
            "Title",
            "MessageTypes.1",
            "MessageTypes.2",
            "MessageTypes.3",
            "SecurityToken",
            "SignatureMethod",
            "SignatureVersion",
            "AccessKeyId",
            "Signature",
        ]
    );
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap()
    };
    assert_eq!(value("Action"), "UpdateMessageContact");
    assert_eq!(value("Format"), "JSON");
    assert_eq!(value("Version"), "2022-04-19");
    assert_eq!(value("Name"), "张三 Ops~Team");
    assert_eq!(value("SecurityToken"), TOKEN);
    assert_eq!(value("SignatureMethod"), "HMAC-SHA1");
    assert_eq!(value("SignatureVersion"), "1.0");
    assert_eq!(value("AccessKeyId"), KEY_ID);
    assert_timestamp_format(value("Timestamp"));
    assert_nonce_format(value("SignatureNonce"));
    // Spaces are %20 on the wire, never '+'.
    assert!(req.url.contains("Name=%E5%BC%A0%E4%B8%89%20Ops~Team"));

    // Verify as the server would.
    let signed: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let sig = signing::sign_v1("POST", &signed, SECRET);
    assert_eq!(value("Signature"), sig.signature);
    assert!(req.url.ends_with(&format!(
        "&Signature={}",
        signing::percent_encode(&sig.signature)
    )));
    assert_ne!(
        signing::sign_v1("POST", &signed, "wrong").signature,
        sig.signature
    );
}

// ---------------------------------------------------------------------------------------------
// Decoding

#[derive(Debug)]
enum UpdateError {
    EntityNotExistsContact(ErrorMeta),
    Unhandled(ErrorMeta),
}

impl From<ErrorMeta> for UpdateError {
    fn from(meta: ErrorMeta) -> Self {
        match meta.code() {
            "EntityNotExists.Contact" => UpdateError::EntityNotExistsContact(meta),
            _ => UpdateError::Unhandled(meta),
        }
    }
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateError::EntityNotExistsContact(m) | UpdateError::Unhandled(m) => m.fmt(f),
        }
    }
}

impl std::error::Error for UpdateError {}

#[tokio::test]
async fn error_body_fields_land_in_error_meta() {
    let body = r#"{
        "RequestId": "9B34-REQ",
        "HostId": "resourcedirectory.aliyuncs.com",
        "Code": "InvalidParameter.Title",
        "Message": "The Title is invalid.",
        "Recommend": "https://api.alibabacloud.com/troubleshoot?q=InvalidParameter.Title",
        "AccessDeniedDetail": {"AuthAction": "resourcedirectory:UpdateMessageContact", "PolicyType": "AccountLevelIdentityBasedPolicy"}
    }"#;
    let transport = FakeTransport::new(vec![json(400, body)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    let err = client
        .call::<Output, ErrorMeta>("UpdateMessageContact", Params::new())
        .await
        .unwrap_err();
    let meta = err.as_service_error().expect("service error");
    assert_eq!(meta.http_status(), 400);
    assert_eq!(meta.code(), "InvalidParameter.Title");
    assert_eq!(meta.message(), "The Title is invalid.");
    assert_eq!(meta.request_id(), Some("9B34-REQ"));
    assert_eq!(meta.host_id(), Some("resourcedirectory.aliyuncs.com"));
    assert_eq!(
        meta.recommend(),
        Some("https://api.alibabacloud.com/troubleshoot?q=InvalidParameter.Title")
    );
    let detail = meta.access_denied_detail().expect("the detail is decoded");
    assert_eq!(
        detail.auth_action(),
        Some("resourcedirectory:UpdateMessageContact")
    );
    assert_eq!(
        detail.policy_type(),
        Some("AccountLevelIdentityBasedPolicy")
    );
    assert_eq!(detail.no_permission_type(), None);
    assert_eq!(meta.retry_after(), None);
    assert_eq!(
        meta.to_string(),
        "InvalidParameter.Title: The Title is invalid. (HTTP 400, request id 9B34-REQ, \
         denied action resourcedirectory:UpdateMessageContact)"
    );
    assert_eq!(err.to_string(), format!("service error: {meta}"));
    // The service error's text is printed once: the chain does not repeat it.
    assert!(std::error::Error::source(&err).is_none());
    // Not retryable: sent once.
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn lowercase_error_fields_and_typed_operation_errors() {
    let transport = FakeTransport::new(vec![
        json(
            404,
            r#"{"requestId":"r-1","code":"EntityNotExists.Contact","message":"The contact does not exist."}"#,
        ),
        raw(
            403,
            &[("x-acs-request-id", "from-header")],
            br#"{"Code":"NoPermission","Message":"denied"}"#,
        ),
    ]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);

    let err = client
        .call::<Output, UpdateError>("UpdateMessageContact", Params::new())
        .await
        .unwrap_err();
    match err.as_service_error() {
        Some(UpdateError::EntityNotExistsContact(meta)) => {
            assert_eq!(meta.http_status(), 404);
            assert_eq!(meta.request_id(), Some("r-1"));
            assert_eq!(meta.message(), "The contact does not exist.");
        }
        other => panic!("expected EntityNotExistsContact, got {other:?}"),
    }
    assert!(err.to_string().contains("EntityNotExists.Contact"), "{err}");

    let err = client
        .call::<Output, UpdateError>("UpdateMessageContact", Params::new())
        .await
        .unwrap_err();
    match err.into_service_error() {
        Some(UpdateError::Unhandled(meta)) => {
            assert_eq!(meta.code(), "NoPermission");
            assert_eq!(meta.request_id(), Some("from-header"));
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

async fn decode_error_for(script: Scripted) -> (acs_runtime::DecodeError, usize) {
    let transport = FakeTransport::new(vec![script]);
    let config = base_config(&transport).with_retry_policy(RetryPolicy::none());
    let client = ServiceClient::new(&config, &RDM);
    let err = client
        .call::<Output, ErrorMeta>("UpdateMessageContact", Params::new())
        .await
        .unwrap_err();
    let count = transport.requests().len();
    match err {
        SdkError::Decode(d) => (d, count),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn html_empty_truncated_and_codeless_bodies_are_decode_errors_with_status() {
    let (e, _) = decode_error_for(raw(
        502,
        &[("content-type", "text/html")],
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    ))
    .await;
    assert_eq!(e.http_status(), 502);
    assert!(
        e.body_excerpt().starts_with("<html>"),
        "{}",
        e.body_excerpt()
    );
    assert!(e.to_string().contains("HTTP 502"), "{e}");

    let (e, _) = decode_error_for(raw(200, &[], b"")).await;
    assert_eq!(e.http_status(), 200);
    assert_eq!(e.body_excerpt(), "");
    assert!(e.to_string().contains("empty"), "{e}");

    let (e, _) = decode_error_for(raw(200, &[], br#"{"RequestId": "abc"#)).await;
    assert_eq!(e.http_status(), 200);
    // Where decoding stopped is in the message, and the JSON error stays available.
    assert!(e.to_string().contains("line 1"), "{e}");
    assert!(e.json_error().is_some_and(|j| j.is_eof()));
    assert!(std::error::Error::source(&e).is_none());

    let (e, _) = decode_error_for(json(400, r#"{"RequestId":"x","Message":"no code"}"#)).await;
    assert_eq!(e.http_status(), 400);
    assert!(e.reason().contains("Code"), "{}", e.reason());

    let (e, _) = decode_error_for(json(500, "[1,2,3]")).await;
    assert_eq!(e.http_status(), 500);

    // Valid JSON of the wrong shape for the output type.
    let (e, _) = decode_error_for(json(200, r#"{"Other":1}"#)).await;
    assert_eq!(e.http_status(), 200);
    assert!(e.reason().contains("RequestId"), "{}", e.reason());

    // Invalid UTF-8 and a long body: no panic, excerpt bounded.
    let mut body = vec![0xff, 0xfe];
    body.extend(std::iter::repeat_n(b'x', 5000));
    let (e, _) = decode_error_for(raw(503, &[], &body)).await;
    assert_eq!(e.http_status(), 503);
    assert!(e.body_excerpt().len() <= 210, "{}", e.body_excerpt().len());

    // A body cut inside a multi-byte character at the excerpt limit.
    let long = "张".repeat(200);
    let (e, _) = decode_error_for(raw(502, &[], long.as_bytes())).await;
    assert!(e.body_excerpt().starts_with("张张"));
}

/// A request to a read-only operation: safe to repeat after a timeout or a server error.
fn read_request(action: &str) -> OperationRequest {
    let mut request = OperationRequest::rpc(Method::Post, action);
    request.idempotent = true;
    request
}

#[tokio::test]
async fn html_from_a_proxy_with_5xx_is_retried_for_reads_but_a_bad_2xx_is_not() {
    let transport = FakeTransport::new(vec![raw(503, &[], b"<html>busy</html>"), json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    client
        .send::<Output, ErrorMeta>(read_request("X"))
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 2);

    // The proxy may have passed the request on: an operation that changes state is not
    // sent again.
    let transport = FakeTransport::new(vec![raw(502, &[], b"<html>bad</html>"), json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    let err = client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Decode(ref d) if d.http_status() == 502),
        "{err:?}"
    );
    assert_eq!(transport.requests().len(), 1);

    let transport = FakeTransport::new(vec![raw(200, &[], b"<html/>"), json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    let err = client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Decode(_)), "{err:?}");
    assert_eq!(transport.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Retries

#[test]
fn call_futures_and_clients_can_cross_threads() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<ServiceClient>();
    assert_send_sync::<Config>();
    assert_send_sync::<SdkError<ErrorMeta>>();
    let client = ServiceClient::new(&Config::new(Credentials::new(KEY_ID, SECRET)), &RDM);
    let future = client.call::<Output, ErrorMeta>("X", Params::new());
    assert_send(&future);
}

#[tokio::test]
async fn throttling_then_success_sends_two_requests() {
    let transport = FakeTransport::new(vec![throttled(), json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    let out = client
        .call::<Output, ErrorMeta>("UpdateMessageContact", update_message_contact_params())
        .await
        .unwrap();
    assert_eq!(out.request_id, "req-ok");
    assert_eq!(transport.requests().len(), 2);
}

/// Refusals before the service acted: retried whatever the operation.
fn refused_before_acting() -> Vec<Scripted> {
    vec![
        json(
            429,
            r#"{"Code":"ConcurrentCallNotSupported","Message":"x"}"#,
        ),
        json(400, r#"{"Code":"Throttling","Message":"x"}"#),
        json(400, r#"{"Code":"Throttling.Api","Message":"x"}"#),
        raw(
            400,
            &[("x-acs-retry-after", "1")],
            br#"{"Code":"Custom.Busy","Message":"x"}"#,
        ),
        Scripted::Fail(TransportError::connect("connection refused")),
    ]
}

/// Failures after the request may have reached the service: retried only when that is safe.
fn failed_after_sending() -> Vec<Scripted> {
    vec![
        json(500, r#"{"Code":"InternalError","Message":"x"}"#),
        json(503, r#"{"Code":"ServiceUnavailable","Message":"x"}"#),
        json(400, r#"{"Code":"ServiceUnavailable","Message":"x"}"#),
        raw(504, &[], b"<html>gateway timeout</html>"),
        Scripted::Fail(TransportError::io("connection reset")),
    ]
}

#[tokio::test]
async fn throttling_and_refused_connections_are_retried_for_every_operation() {
    for (i, first) in refused_before_acting().into_iter().enumerate() {
        let transport = FakeTransport::new(vec![first, json(200, OK)]);
        let client = ServiceClient::new(&base_config(&transport), &RDM);
        let result = client.call::<Output, ErrorMeta>("X", Params::new()).await;
        assert!(result.is_ok(), "case {i}: {result:?}");
        assert_eq!(transport.requests().len(), 2, "case {i}");
    }
}

#[tokio::test]
async fn server_errors_are_retried_only_when_repeating_is_safe() {
    for (i, first) in failed_after_sending().into_iter().enumerate() {
        // Read-only: retried.
        let transport = FakeTransport::new(vec![first, json(200, OK)]);
        let client = ServiceClient::new(&base_config(&transport), &RDM);
        let result = client.send::<Output, ErrorMeta>(read_request("X")).await;
        assert!(result.is_ok(), "case {i}: {result:?}");
        assert_eq!(transport.requests().len(), 2, "case {i}");
    }
    for (i, first) in failed_after_sending().into_iter().enumerate() {
        // Changes state, no idempotency token: sent once.
        let transport = FakeTransport::new(vec![first, json(200, OK)]);
        let client = ServiceClient::new(&base_config(&transport), &RDM);
        let result = client.call::<Output, ErrorMeta>("X", Params::new()).await;
        assert!(result.is_err(), "case {i}: {result:?}");
        assert_eq!(transport.requests().len(), 1, "case {i}");
    }
    for (i, first) in failed_after_sending().into_iter().enumerate() {
        // Changes state with an idempotency token: retried, with the same token.
        let transport = FakeTransport::new(vec![first, json(200, OK)]);
        let client = ServiceClient::new(&base_config(&transport), &RDM);
        let result = client.send::<Output, ErrorMeta>(create_request()).await;
        assert!(result.is_ok(), "case {i}: {result:?}");
        let tokens = client_tokens(&transport);
        assert_eq!(tokens.len(), 2, "case {i}");
        assert_eq!(tokens[0], tokens[1], "case {i}: one token per call");
    }
}

/// A create operation with an idempotency token the caller leaves unset.
fn create_request() -> OperationRequest {
    let mut request = OperationRequest::rpc(Method::Post, "RunInstances");
    request.query.put("InstanceType", "ecs.g7.large");
    request.idempotency_token = Some(IdempotencyToken {
        name: "ClientToken",
        location: TokenLocation::Query,
    });
    request
}

/// The `ClientToken` of every request sent.
fn client_tokens(transport: &FakeTransport) -> Vec<String> {
    transport
        .requests()
        .iter()
        .map(|r| {
            query_pairs(&r.url)
                .into_iter()
                .find(|(k, _)| k == "ClientToken")
                .map(|(_, v)| v)
                .expect("every attempt carries the token")
        })
        .collect()
}

#[tokio::test]
async fn an_unset_client_token_is_filled_once_per_call_and_a_set_one_is_kept() {
    let transport = FakeTransport::new(vec![
        Scripted::Hang,
        Scripted::Hang,
        json(200, OK),
        json(200, OK),
        json(200, OK),
    ]);
    let config = base_config(&transport).with_read_timeout(Duration::from_millis(50));
    let client = ServiceClient::new(&config, &RDM);
    client
        .send::<Output, ErrorMeta>(create_request())
        .await
        .expect("the third attempt succeeds");
    let first_call = client_tokens(&transport);
    assert_eq!(first_call.len(), 3);
    assert!(
        first_call.iter().all(|t| t == &first_call[0]),
        "{first_call:?}"
    );
    // A random UUID: 36 characters, version 4.
    let token = &first_call[0];
    assert_eq!(token.len(), 36, "{token}");
    assert_eq!(token.as_bytes()[14], b'4', "{token}");
    assert_eq!(token.matches('-').count(), 4, "{token}");

    // The next call gets a token of its own.
    client
        .send::<Output, ErrorMeta>(create_request())
        .await
        .unwrap();
    let tokens = client_tokens(&transport);
    assert_ne!(tokens[3], tokens[0]);

    // A token the caller set is sent as it is.
    let mut request = create_request();
    request.query.put("ClientToken", "my-token-1");
    client.send::<Output, ErrorMeta>(request).await.unwrap();
    assert_eq!(client_tokens(&transport)[4], "my-token-1");
}

#[tokio::test]
async fn the_deadline_ends_a_call_whose_attempts_keep_timing_out() {
    let transport = FakeTransport::new((0..20).map(|_| Scripted::Hang).collect());
    let config = base_config(&transport)
        .with_read_timeout(Duration::from_millis(150))
        .with_retry_policy(fast_retries(20))
        .with_deadline(Duration::from_millis(400));
    let client = ServiceClient::new(&config, &RDM);
    let started = Instant::now();
    let err = client
        .send::<Output, ErrorMeta>(read_request("DescribeX"))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        SdkError::Timeout(t) => {
            assert!(t.is_deadline(), "{t:?}");
            assert_eq!(t.after(), Duration::from_millis(400));
            assert!(t.attempts() >= 2, "{t:?}");
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert!(err.to_string().contains("deadline"), "{err}");
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let sent = transport.requests().len();
    assert!(
        (2..=4).contains(&sent),
        "{sent} attempts in 400 ms of 150 ms each"
    );
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let transport = FakeTransport::new(vec![throttled(), throttled(), throttled(), json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    let err = client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    assert_eq!(err.as_service_error().unwrap().code(), "Throttling.User");
    assert_eq!(transport.requests().len(), 3);

    let transport = FakeTransport::new(vec![
        Scripted::Fail(TransportError::connect("refused")),
        Scripted::Fail(TransportError::connect("refused")),
        json(200, OK),
    ]);
    let config = base_config(&transport).with_retry_policy(fast_retries(2));
    let client = ServiceClient::new(&config, &RDM);
    let err = client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    match &err {
        SdkError::Transport(t) => assert!(t.is_connect()),
        other => panic!("expected transport error, got {other:?}"),
    }
    assert!(err.to_string().contains("refused"), "{err}");
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test]
async fn non_retryable_errors_are_returned_at_once() {
    for first in [
        json(400, r#"{"Code":"InvalidParameter","Message":"x"}"#),
        json(403, r#"{"Code":"Forbidden.RAM","Message":"x"}"#),
        json(404, r#"{"Code":"EntityNotExists.Contact","Message":"x"}"#),
        Scripted::Fail(TransportError::other("bad url")),
    ] {
        let transport = FakeTransport::new(vec![first, json(200, OK)]);
        let client = ServiceClient::new(&base_config(&transport), &RDM);
        let result = client.call::<Output, ErrorMeta>("X", Params::new()).await;
        assert!(result.is_err());
        assert_eq!(transport.requests().len(), 1);
    }
}

#[tokio::test]
async fn retry_after_header_sets_the_delay() {
    let transport = FakeTransport::new(vec![
        raw(
            400,
            &[("x-acs-retry-after", "300")],
            br#"{"Code":"Throttling.User","Message":"slow down"}"#,
        ),
        json(200, OK),
    ]);
    let config = base_config(&transport).with_retry_policy(
        RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_secs(5)),
    );
    let client = ServiceClient::new(&config, &RDM);
    client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap();
    let times = transport.times();
    assert_eq!(times.len(), 2);
    let gap = times[1] - times[0];
    assert!(gap >= Duration::from_millis(300), "{gap:?}");
    assert!(gap < Duration::from_secs(3), "{gap:?}");
}

#[tokio::test]
async fn retry_after_makes_any_error_retryable_and_is_capped_by_max_backoff() {
    let transport = FakeTransport::new(vec![
        raw(
            400,
            &[("x-acs-retry-after", "60000")],
            br#"{"Code":"Custom.Busy","Message":"later"}"#,
        ),
        json(200, OK),
    ]);
    let config = base_config(&transport).with_retry_policy(
        RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(50)),
    );
    let client = ServiceClient::new(&config, &RDM);
    let started = Instant::now();
    client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    let times = transport.times();
    assert_eq!(times.len(), 2);
    assert!(times[1] - times[0] >= Duration::from_millis(50));
}

#[test]
fn retry_policy_defaults_and_backoff_ceiling() {
    let p = RetryPolicy::default();
    assert_eq!(p.max_attempts(), 3);
    assert_eq!(p.initial_backoff(), Duration::from_millis(100));
    assert_eq!(p.max_backoff(), Duration::from_secs(20));
    assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
    assert_eq!(p.backoff_ceiling(2), Duration::from_millis(200));
    assert_eq!(p.backoff_ceiling(4), Duration::from_millis(800));
    assert_eq!(p.backoff_ceiling(20), Duration::from_secs(20));
    assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_secs(20));
    for retry in 1..6 {
        assert!(p.delay(retry, None) <= p.backoff_ceiling(retry));
    }
    assert_eq!(
        p.delay(1, Some(Duration::from_secs(60))),
        Duration::from_secs(20)
    );
    assert_eq!(RetryPolicy::none().max_attempts(), 1);
    assert_eq!(
        RetryPolicy::default().with_max_attempts(0).max_attempts(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Failures in successful answers, clock skew, body size

#[tokio::test]
async fn a_failure_in_an_http_200_body_is_a_service_error_where_the_product_says_so() {
    let body = r#"{"Success":false,"Code":"ContactGroupNotExists","Message":"No such group","RequestId":"R-200"}"#;
    let transport = FakeTransport::new(vec![json(200, body)]);
    let config = base_config(&transport).with_region("cn-hangzhou");
    let err = ServiceClient::new(&config, &CMS)
        .call::<serde_json::Value, ErrorMeta>("PutContact", Params::new())
        .await
        .unwrap_err();
    let meta = err.as_service_error().expect("a service error");
    assert_eq!(meta.http_status(), 200);
    assert_eq!(meta.code(), "ContactGroupNotExists");
    assert_eq!(meta.message(), "No such group");
    assert_eq!(meta.request_id(), Some("R-200"));
    assert_eq!(transport.requests().len(), 1, "not retried");

    // `"Success": true`, or a product without the convention: the answer is decoded.
    for (body, service) in [
        (r#"{"Success":true,"Code":"200","RequestId":"R-1"}"#, &CMS),
        (body, &RDM),
    ] {
        let transport = FakeTransport::new(vec![json(200, body)]);
        let config = base_config(&transport).with_region("cn-hangzhou");
        let value = ServiceClient::new(&config, service)
            .call::<serde_json::Value, ErrorMeta>("X", Params::new())
            .await
            .unwrap();
        assert!(value["RequestId"].is_string());
    }

    // A failure without a code cannot be typed: a decode error that says why.
    let transport = FakeTransport::new(vec![json(200, r#"{"Success":"false"}"#)]);
    let config = base_config(&transport).with_region("cn-hangzhou");
    let err = ServiceClient::new(&config, &CMS)
        .call::<serde_json::Value, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Decode(ref d) if d.reason().contains("Success")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_rejection_as_expired_corrects_the_clock_from_the_server_date_once() {
    let server_time = time::OffsetDateTime::now_utc() + time::Duration::hours(2);
    let expired = raw(
        400,
        &[("date", &signing::http_date(server_time))],
        br#"{"Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."}"#,
    );
    let transport = FakeTransport::new(vec![expired, json(200, OK)]);
    // No retries configured, and an operation that changes state: the corrected attempt is
    // still sent, since the service refused before acting.
    let config = base_config(&transport).with_retry_policy(RetryPolicy::none());
    let client = ServiceClient::new(&config, &RDM);
    client
        .call::<Output, ErrorMeta>("UpdateMessageContact", Params::new())
        .await
        .expect("the second attempt, dated by the server's clock, succeeds");
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    let dated = |r: &HttpRequest| {
        time::OffsetDateTime::parse(
            header(r, "x-acs-date"),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    };
    let skew = dated(&requests[1]) - dated(&requests[0]);
    assert!(
        (skew - time::Duration::hours(2)).abs() <= time::Duration::seconds(5),
        "{skew}"
    );
    assert!(
        client.clock_offset() >= Duration::from_secs(7190),
        "{:?}",
        client.clock_offset()
    );

    // A second rejection in the same call is the error: the clock is corrected once.
    let again = || {
        raw(
            400,
            &[("date", &signing::http_date(server_time))],
            br#"{"Code":"InvalidTimeStamp.Expired","Message":"expired"}"#,
        )
    };
    let transport = FakeTransport::new(vec![again(), again(), json(200, OK)]);
    let config = base_config(&transport).with_retry_policy(RetryPolicy::none());
    let err = ServiceClient::new(&config, &RDM)
        .call::<Output, ErrorMeta>("UpdateMessageContact", Params::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().code(),
        "InvalidTimeStamp.Expired"
    );
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test]
async fn a_response_body_over_the_limit_is_a_decode_error() {
    let big = format!(r#"{{"RequestId":"{}"}}"#, "x".repeat(5000));
    let transport = FakeTransport::new(vec![json(200, &big)]);
    let config = base_config(&transport).with_max_response_bytes(1024);
    let err = ServiceClient::new(&config, &RDM)
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    match &err {
        SdkError::Decode(d) => assert!(d.reason().contains("1024 bytes"), "{}", d.reason()),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(transport.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Timeouts

#[tokio::test]
async fn read_timeout_gives_a_timeout_error() {
    let transport = FakeTransport::new(vec![Scripted::Hang]);
    let config = base_config(&transport)
        .with_read_timeout(Duration::from_millis(200))
        .with_retry_policy(RetryPolicy::none());
    let client = ServiceClient::new(&config, &RDM);
    let started = Instant::now();
    let err = client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        SdkError::Timeout(t) => {
            assert_eq!(t.after(), Duration::from_millis(200));
            assert_eq!(t.attempts(), 1);
        }
        other => panic!("expected timeout, got {other:?}"),
    }
    assert!(err.is_timeout());
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn a_timed_out_read_is_retried_and_a_timed_out_create_is_not() {
    let transport = FakeTransport::new(vec![Scripted::Hang, json(200, OK)]);
    let config = base_config(&transport).with_read_timeout(Duration::from_millis(100));
    let client = ServiceClient::new(&config, &RDM);
    client
        .send::<Output, ErrorMeta>(read_request("DescribeX"))
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 2);

    // A GET is read-only by its method.
    let transport = FakeTransport::new(vec![Scripted::Hang, json(200, OK)]);
    let config = base_config(&transport).with_read_timeout(Duration::from_millis(100));
    let client = ServiceClient::new(&config, &RDM);
    client
        .send::<Output, ErrorMeta>(OperationRequest::rpc(Method::Get, "DescribeX"))
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 2);

    // The create may have been carried out: it is not sent again.
    let transport = FakeTransport::new(vec![Scripted::Hang, json(200, OK)]);
    let config = base_config(&transport).with_read_timeout(Duration::from_millis(100));
    let client = ServiceClient::new(&config, &RDM);
    let err = client
        .call::<Output, ErrorMeta>("CreateX", Params::new())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(transport.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Endpoints and configuration errors

/// The host a call of `service` is sent to with `config`, by a client with a fake transport.
async fn host_called(
    config: Config,
    service: &'static ServiceInfo,
) -> Result<String, SdkError<ErrorMeta>> {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let config = config.with_transport(transport.clone() as Arc<dyn Transport>);
    ServiceClient::new(&config, service)
        .call::<Output, ErrorMeta>("X", Params::new())
        .await?;
    Ok(header(&transport.requests()[0], "host").to_string())
}

#[tokio::test]
async fn each_region_is_sent_to_its_endpoint_from_the_spec() {
    let config = || Config::new(Credentials::new(KEY_ID, SECRET));
    // The generated crate: one global host, and a host of its own for ap-southeast-1.
    let rdm = &acs_resourcedirectorymaster_20220419::SERVICE;
    for (region, host) in [
        (None, "resourcedirectory.aliyuncs.com"),
        (Some("cn-shanghai"), "resourcedirectory.aliyuncs.com"),
        (Some("cn-beijing"), "resourcedirectory.aliyuncs.com"),
        (
            Some("ap-southeast-1"),
            "resourcedirectory-intl.aliyuncs.com",
        ),
    ] {
        let config = match region {
            Some(region) => config().with_region(region),
            None => config(),
        };
        assert_eq!(host_called(config, rdm).await.unwrap(), host, "{region:?}");
    }
    // A regional product: the rule, except where the endpoint list says otherwise.
    for (region, host) in [
        ("cn-hangzhou", "metrics.cn-hangzhou.aliyuncs.com"),
        ("eu-central-1", "metrics.eu-central-1.aliyuncs.com"),
        (
            "cn-shanghai-finance-1",
            "metrics.cn-shanghai-finance-1.aliyuncs.com",
        ),
        ("me-east-2", "metrics-me.aliyuncs.com"),
    ] {
        let called = host_called(config().with_region(region), &CMS)
            .await
            .unwrap();
        assert_eq!(called, host, "{region}");
    }
}

#[tokio::test]
async fn the_vpc_network_uses_the_vpc_endpoint_where_the_product_has_one() {
    let config = Config::new(Credentials::new(KEY_ID, SECRET))
        .with_region("cn-beijing")
        .with_network(Network::Vpc);
    assert_eq!(
        host_called(config.clone(), &CMS).await.unwrap(),
        "metrics-vpc.cn-beijing.aliyuncs.com"
    );
    // The VPC host replaces the region's own public host too.
    assert_eq!(
        host_called(config.clone().with_region("me-east-2"), &CMS)
            .await
            .unwrap(),
        "metrics-vpc.me-east-2.aliyuncs.com"
    );
    // A product without one: a configuration error naming it, and nothing sent.
    let err = host_called(config.clone(), &RDM).await.unwrap_err();
    match &err {
        SdkError::Config(ConfigError::NoVpcEndpoint { product }) => {
            assert_eq!(*product, "ResourceDirectoryMaster")
        }
        other => panic!("expected NoVpcEndpoint, got {other:?}"),
    }
    assert!(err.to_string().contains("no VPC endpoint"), "{err}");
    // An override wins over the network.
    let config = config.with_endpoint(&RDM, "http://127.0.0.1:8080");
    assert_eq!(host_called(config, &RDM).await.unwrap(), "127.0.0.1:8080");
}

#[tokio::test]
async fn regional_endpoints_need_a_region() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &CMS);
    let err = client.endpoint().unwrap_err();
    assert_eq!(err, ConfigError::MissingRegion { product: "Cms" });
    assert!(err.to_string().contains("RegionId is empty"), "{err}");
    let call = client
        .call::<Output, ErrorMeta>("PutContact", Params::new())
        .await
        .unwrap_err();
    assert!(matches!(
        call,
        SdkError::Config(ConfigError::MissingRegion { .. })
    ));
    assert!(transport.requests().is_empty(), "nothing may be sent");

    let client = ServiceClient::new(&base_config(&transport).with_region("cn-hangzhou"), &CMS);
    assert_eq!(
        client.endpoint().unwrap(),
        "https://metrics.cn-hangzhou.aliyuncs.com"
    );
    client
        .call::<Output, ErrorMeta>("PutContact", Params::new())
        .await
        .unwrap();
    let req = &transport.requests()[0];
    assert_eq!(header(req, "host"), "metrics.cn-hangzhou.aliyuncs.com");
    // The region only picks the host: no RegionId parameter is added.
    assert!(!req.url.contains("RegionId"));

    let client = ServiceClient::new(&base_config(&transport).with_region("cn/../x"), &CMS);
    assert!(matches!(
        client.endpoint(),
        Err(ConfigError::InvalidRegion { .. })
    ));
}

#[test]
fn endpoint_overrides_are_normalised() {
    let creds = Credentials::new(KEY_ID, SECRET);
    let endpoint = |value: &str| {
        let config = Config::new(creds.clone()).with_endpoint(&CMS, value);
        ServiceClient::new(&config, &CMS).endpoint()
    };
    assert_eq!(
        endpoint("http://127.0.0.1:8080").unwrap(),
        "http://127.0.0.1:8080"
    );
    assert_eq!(
        endpoint("http://127.0.0.1:8080/").unwrap(),
        "http://127.0.0.1:8080"
    );
    assert_eq!(
        endpoint("metrics.example.com").unwrap(),
        "https://metrics.example.com"
    );
    assert_eq!(
        endpoint("https://Host.Example.com:443").unwrap(),
        "https://host.example.com"
    );
    assert_eq!(endpoint("http://[::1]:9000").unwrap(), "http://[::1]:9000");
    for bad in [
        "",
        "ftp://x",
        "http://h/path",
        "http://h/?q=1",
        "http://user:pw@h",
        "http://",
    ] {
        assert!(
            matches!(endpoint(bad), Err(ConfigError::InvalidEndpoint { .. })),
            "{bad:?} must be rejected"
        );
    }
    // Overrides of other products do not apply.
    let config = Config::new(creds.clone()).with_endpoint(&CMS, "http://127.0.0.1:1");
    assert_eq!(
        ServiceClient::new(&config, &RDM).endpoint().unwrap(),
        "https://resourcedirectory.aliyuncs.com"
    );
}

#[tokio::test]
async fn unserializable_json_parameter_fails_before_sending() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    let mut params = Params::new();
    let mut bad = std::collections::HashMap::new();
    bad.insert((1, 2), 3);
    params.put_json("Bad", &bad);
    let err = client
        .call::<Output, ErrorMeta>("X", params)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::Config(ConfigError::InvalidParameter { name, .. }) if name == "Bad"),
        "{err:?}"
    );
    assert!(transport.requests().is_empty());
}

#[test]
fn build_errors_name_the_field_and_convert_into_sdk_errors() {
    let err = acs_runtime::BuildError::missing_field("ContactId");
    assert_eq!(err.field(), "ContactId");
    assert_eq!(err.to_string(), "missing required parameter `ContactId`");
    let sdk: SdkError<ErrorMeta> = err.into();
    assert!(sdk.to_string().contains("`ContactId`"));
    assert!(sdk.as_service_error().is_none());
}

#[test]
fn config_defaults_and_getters() {
    let config = Config::new(Credentials::new(KEY_ID, SECRET));
    assert_eq!(config.region(), None);
    assert_eq!(config.connect_timeout(), Duration::from_secs(5));
    assert_eq!(config.read_timeout(), Duration::from_secs(10));
    assert_eq!(config.retry_policy(), &RetryPolicy::default());
    assert_eq!(config.signature_version(), SignatureVersion::V3);
    assert_eq!(config.user_agent(), None);
    let credentials = config.credentials().expect("fixed credentials");
    assert_eq!(credentials.access_key_id(), KEY_ID);
    assert!(!credentials.has_security_token());
    assert_eq!(
        config.user_agent_header(),
        format!("acs-runtime/{}", env_version())
    );
    // The default transport is built lazily and shared between clones.
    let clone = config.clone();
    let a = config.transport().unwrap();
    let b = clone.transport().unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    let other = config.with_connect_timeout(Duration::from_secs(1));
    assert!(!Arc::ptr_eq(&a, &other.transport().unwrap()));
}

#[test]
fn credentials_and_config_from_env() {
    // The only test in this binary that touches the environment.
    let vars = [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALIBABA_CLOUD_REGION_ID",
    ];
    for v in vars {
        std::env::remove_var(v);
    }
    assert_eq!(
        Credentials::from_env().unwrap_err(),
        ConfigError::MissingCredentials {
            variable: "ALIBABA_CLOUD_ACCESS_KEY_ID"
        }
    );
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID);
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "");
    assert_eq!(
        Config::from_env().unwrap_err(),
        ConfigError::MissingCredentials {
            variable: "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
        }
    );
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    let creds = Credentials::from_env().unwrap();
    assert_eq!(creds.access_key_id(), KEY_ID);
    assert!(!creds.has_security_token());
    assert_eq!(Config::from_env().unwrap().region(), None);

    std::env::set_var("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN);
    std::env::set_var("ALIBABA_CLOUD_REGION_ID", "cn-shanghai");
    let config = Config::from_env().unwrap();
    assert!(config.credentials().unwrap().has_security_token());
    assert_eq!(config.region(), Some("cn-shanghai"));
    assert_eq!(
        config.credentials(),
        Some(&Credentials::new(KEY_ID, SECRET).with_security_token(TOKEN))
    );
    for v in vars {
        std::env::remove_var(v);
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets

#[test]
fn debug_output_never_contains_secret_or_token() {
    let creds = Credentials::new(KEY_ID, SECRET).with_security_token(TOKEN);
    let config = Config::new(creds.clone())
        .with_region("cn-hangzhou")
        .with_user_agent("app");
    let client = ServiceClient::new(&config, &RDM);
    let with_fake = ServiceClient::new(
        &config.clone().with_transport(FakeTransport::new(vec![])),
        &CMS,
    );
    for shown in [
        format!("{creds:?}"),
        format!("{creds:#?}"),
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{client:?}"),
        format!("{with_fake:#?}"),
    ] {
        assert!(!shown.contains(SECRET), "secret leaked: {shown}");
        assert!(!shown.contains(TOKEN), "token leaked: {shown}");
        assert!(!shown.contains("TestAccessKeySecret"), "{shown}");
        assert!(!shown.contains("CAIS8gF1"), "{shown}");
        assert!(shown.contains(KEY_ID), "the key ID is shown: {shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

#[tokio::test]
async fn prepared_v1_request_debug_hides_token_and_signature() {
    let config = Config::new(Credentials::new(KEY_ID, SECRET).with_security_token(TOKEN))
        .with_signature_version(SignatureVersion::V1);
    let client = ServiceClient::new(&config, &RDM);
    let req = client.prepare_request("X", &Params::new()).unwrap();
    assert!(req.url.contains("SecurityToken="));
    let shown = format!("{req:?}");
    assert!(!shown.contains("CAIS8gF1"), "{shown}");
    assert!(shown.contains("SecurityToken=<redacted>"), "{shown}");
    assert!(shown.contains("Signature=<redacted>"), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// Operation requests: methods and form bodies

/// A GET operation with one query parameter and a POST operation with a form body.
fn form_request() -> OperationRequest {
    let mut request = OperationRequest::rpc(Method::Post, "PutThing");
    request.query.put("RegionId", "cn-hangzhou");
    let mut form = Params::new();
    form.put("Content", "a b&c=d 张");
    form.put("Ids", &vec!["i-1", "i-2"]);
    request.body = Body::Form(form);
    request
}

#[tokio::test]
async fn v3_get_operation_is_sent_and_signed_as_get() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    let mut request = OperationRequest::rpc(Method::Get, "ListThings");
    request.query.put("PageSize", &10);
    client.send::<Output, ErrorMeta>(request).await.unwrap();
    let req = &transport.requests()[0];
    assert_eq!(req.method, "GET");
    assert!(req.body.is_empty());
    assert_eq!(
        query_pairs(&req.url),
        [("PageSize".to_owned(), "10".to_owned())]
    );
    assert_eq!(header(req, "x-acs-action"), "ListThings");
    verify_v3(req, SECRET);
}

#[tokio::test]
async fn v3_form_body_is_encoded_hashed_and_signed() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let client = ServiceClient::new(&base_config(&transport), &RDM);
    client
        .send::<Output, ErrorMeta>(form_request())
        .await
        .unwrap();
    let req = &transport.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        "Content=a%20b%26c%3Dd%20%E5%BC%A0&Ids.1=i-1&Ids.2=i-2"
    );
    assert_eq!(
        header(req, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        header(req, "x-acs-content-sha256"),
        signing::sha256_hex(&req.body)
    );
    assert_eq!(
        query_pairs(&req.url),
        [("RegionId".to_owned(), "cn-hangzhou".to_owned())]
    );
    let signed = verify_v3(req, SECRET);
    assert!(signed.split(';').any(|h| h == "content-type"), "{signed}");
}

#[tokio::test]
async fn v1_signature_covers_the_form_members_and_the_query() {
    let transport = FakeTransport::new(vec![json(200, OK)]);
    let config = base_config(&transport).with_signature_version(SignatureVersion::V1);
    let client = ServiceClient::new(&config, &RDM);
    client
        .send::<Output, ErrorMeta>(form_request())
        .await
        .unwrap();
    let req = &transport.requests()[0];
    let mut query = query_pairs(&req.url);
    let (_, signature) = query.pop().expect("Signature last");
    assert!(
        !query.iter().any(|(k, _)| k == "Content"),
        "form members stay in the body"
    );
    let mut signed = query.clone();
    signed.extend([
        ("Content".to_owned(), "a b&c=d 张".to_owned()),
        ("Ids.1".to_owned(), "i-1".to_owned()),
        ("Ids.2".to_owned(), "i-2".to_owned()),
    ]);
    assert_eq!(
        signing::sign_v1("POST", &signed, SECRET).signature,
        signature
    );
    let without_form = signing::sign_v1("POST", &query, SECRET).signature;
    assert_ne!(without_form, signature, "the form members are signed");
}

// ---------------------------------------------------------------------------------------------
// Real HTTP over loopback with the default ReqwestTransport

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Accepts one connection, records the raw request head, answers with `response`.
async fn one_shot_server(response: String) -> (u16, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        socket.write_all(response.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
        String::from_utf8(buf).unwrap()
    });
    (port, handle)
}

fn http_response(status: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{extra_headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn parse_head(head: &str) -> (String, String, Vec<(String, String)>) {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap().to_string();
    let target = parts.next().unwrap().to_string();
    assert_eq!(parts.next(), Some("HTTP/1.1"));
    let headers = lines
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_ascii_lowercase(), v.trim().to_string())
        })
        .collect();
    (method, target, headers)
}

#[tokio::test]
async fn reqwest_transport_stops_reading_a_body_past_the_limit() {
    let body = format!(r#"{{"RequestId":"{}"}}"#, "y".repeat(1 << 20));
    let (port, _server) = one_shot_server(http_response("200 OK", "", &body)).await;
    let transport = acs_runtime::ReqwestTransport::new(Duration::from_secs(5))
        .unwrap()
        .with_max_response_bytes(64 * 1024);
    let request = HttpRequest::new(
        "GET",
        format!("http://127.0.0.1:{port}/"),
        vec![("host".into(), format!("127.0.0.1:{port}"))],
        Vec::new(),
    );
    let response = transport.send(request).await.expect("an answer");
    assert_eq!(response.status, 200);
    // Read up to one byte past the limit, so that the client can tell it was exceeded.
    assert_eq!(response.body.len(), 64 * 1024 + 1);

    let (port, _server) = one_shot_server(http_response("200 OK", "", &body)).await;
    let config = Config::new(Credentials::new(KEY_ID, SECRET))
        .with_endpoint(&RDM, format!("http://127.0.0.1:{port}"))
        .with_max_response_bytes(64 * 1024)
        .with_retry_policy(RetryPolicy::none());
    let err = ServiceClient::new(&config, &RDM)
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Decode(ref d) if d.reason().contains("65536 bytes")),
        "{err:?}"
    );
}

#[tokio::test]
async fn reqwest_transport_really_sends_a_verifiable_request() {
    let (port, server) = one_shot_server(http_response(
        "200 OK",
        "",
        r#"{"RequestId":"loopback-1","Extra":true}"#,
    ))
    .await;
    let config = Config::new(Credentials::new(KEY_ID, SECRET).with_security_token(TOKEN))
        .with_endpoint(&RDM, format!("http://127.0.0.1:{port}"))
        .with_read_timeout(Duration::from_secs(5))
        .with_retry_policy(RetryPolicy::none());
    let client = ServiceClient::new(&config, &RDM);
    let out = client
        .call::<Output, ErrorMeta>("UpdateMessageContact", update_message_contact_params())
        .await
        .expect("loopback call succeeds");
    assert_eq!(out.request_id, "loopback-1");

    let head = server.await.unwrap();
    let (method, target, headers) = parse_head(&head);
    assert_eq!(method, "POST");
    assert!(
        target.starts_with("/?ContactId=c-qL4HqKONzOM7%2A%2A%2A%2A&"),
        "{target}"
    );
    let get = |name: &str| {
        let values: Vec<&str> = headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(values.len(), 1, "exactly one {name} header in {head}");
        values[0].to_string()
    };
    assert_eq!(get("host"), format!("127.0.0.1:{port}"));
    assert_eq!(get("x-acs-action"), "UpdateMessageContact");
    assert_eq!(get("x-acs-security-token"), TOKEN);

    // Verify the signature from what went over the wire.
    let authorization = get("authorization");
    let signed_list = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap()
        .to_string();
    let signed: Vec<(String, String)> = signed_list
        .split(';')
        .map(|n| (n.to_string(), get(n)))
        .collect();
    let query = query_pairs(&target);
    let sig = signing::sign_v3(&V3Input {
        method: &method,
        path: "/",
        query: &query,
        headers: &signed,
        body: b"",
        access_key_id: KEY_ID,
        access_key_secret: SECRET,
        header_selection: HeaderSelection::All,
    });
    assert_eq!(sig.authorization, authorization);
    assert!(signed_list.starts_with("host;"), "{signed_list}");
}

#[tokio::test]
async fn reqwest_transport_surfaces_error_bodies_and_headers() {
    let (port, server) = one_shot_server(http_response(
        "400 Bad Request",
        "x-acs-request-id: hdr-id\r\n",
        r#"{"Code":"InvalidParameter.Title","Message":"The Title is invalid."}"#,
    ))
    .await;
    let config = Config::new(Credentials::new(KEY_ID, SECRET))
        .with_endpoint(&RDM, format!("127.0.0.1:{port}"))
        .with_retry_policy(RetryPolicy::none());
    // A bare host means https.
    let client = ServiceClient::new(&config, &RDM);
    assert_eq!(
        client.endpoint().unwrap(),
        format!("https://127.0.0.1:{port}")
    );
    let config = config.with_endpoint(&RDM, format!("http://127.0.0.1:{port}"));
    let client = ServiceClient::new(&config, &RDM);
    let err = client
        .call::<Output, ErrorMeta>("UpdateMessageContact", Params::new())
        .await
        .unwrap_err();
    let meta = err.as_service_error().expect("service error");
    assert_eq!(meta.code(), "InvalidParameter.Title");
    assert_eq!(meta.request_id(), Some("hdr-id"));
    server.await.unwrap();
}

#[tokio::test]
async fn reqwest_transport_reports_refused_connections_as_connect_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = Config::new(Credentials::new(KEY_ID, SECRET))
        .with_endpoint(&RDM, format!("http://127.0.0.1:{port}"))
        .with_retry_policy(fast_retries(2));
    let client = ServiceClient::new(&config, &RDM);
    let err = client
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err();
    match &err {
        SdkError::Transport(t) => {
            assert!(t.is_connect(), "{t:?}");
            assert!(t.is_retryable());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(!err.to_string().contains(SECRET));
}

/// Every error in `err`'s chain, as reporters print them (`Display` of each `source()`).
fn chain(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        out.push(e.to_string());
        current = e.source();
    }
    out
}

#[tokio::test]
async fn no_error_prints_the_same_text_twice_in_its_chain() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let refused = Config::new(Credentials::new(KEY_ID, SECRET))
        .with_endpoint(&RDM, format!("http://127.0.0.1:{port}"))
        .with_retry_policy(RetryPolicy::none());
    let mut errors: Vec<SdkError<ErrorMeta>> = vec![ServiceClient::new(&refused, &RDM)
        .call::<Output, ErrorMeta>("X", Params::new())
        .await
        .unwrap_err()];
    for script in [
        json(
            400,
            r#"{"Code":"InvalidParameter","Message":"The Title is invalid."}"#,
        ),
        raw(200, &[], br#"{"RequestId": "abc"#),
        Scripted::Hang,
    ] {
        let transport = FakeTransport::new(vec![script]);
        let config = base_config(&transport)
            .with_read_timeout(Duration::from_millis(20))
            .with_retry_policy(RetryPolicy::none());
        errors.push(
            ServiceClient::new(&config, &RDM)
                .call::<Output, ErrorMeta>("X", Params::new())
                .await
                .unwrap_err(),
        );
    }
    let failing = acs_runtime::credentials::ProfileFileProvider::new(
        &acs_runtime::credentials::ProviderOptions::new().with_env(
            acs_runtime::credentials::Env::from_vars([(
                "ALIBABA_CLOUD_CREDENTIALS_FILE",
                "/nonexistent/credentials.ini",
            )]),
        ),
    );
    let config = Config::from_provider(Arc::new(failing));
    errors.push(
        ServiceClient::new(&config, &RDM)
            .call::<Output, ErrorMeta>("X", Params::new())
            .await
            .unwrap_err(),
    );
    errors.push(SdkError::Build(acs_runtime::BuildError::missing_field(
        "Title",
    )));
    errors.push(SdkError::Config(ConfigError::MissingRegion {
        product: "Cms",
    }));
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            SdkError::Service(_) => "service",
            SdkError::Timeout(_) => "timeout",
            SdkError::Transport(_) => "transport",
            SdkError::Decode(_) => "decode",
            SdkError::Config(_) => "config",
            SdkError::Build(_) => "build",
            SdkError::Credentials(_) => "credentials",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "transport",
            "service",
            "decode",
            "timeout",
            "credentials",
            "build",
            "config"
        ]
    );
    for err in &errors {
        let texts = chain(err);
        for pair in texts.windows(2) {
            assert!(
                !pair[0].contains(&pair[1]),
                "{:?} repeats its source {:?}",
                pair[0],
                pair[1]
            );
        }
        // What went wrong is in the message itself.
        assert!(texts[0].len() > 20, "{texts:?}");
    }
    assert!(
        chain(&errors[0])[0].contains("could not connect"),
        "{:?}",
        chain(&errors[0])
    );
    assert!(
        chain(&errors[2])[0].contains("line 1"),
        "{:?}",
        chain(&errors[2])
    );
    assert!(
        chain(&errors[4])[0].contains("/nonexistent/credentials.ini"),
        "{:?}",
        chain(&errors[4])
    );
}

#[test]
fn generated_clients_name_their_crate_and_version_in_the_user_agent() {
    assert_eq!(acs_cms_20190101::SERVICE.client, "acs-cms-20190101/0.1.0");
    let config = Config::new(Credentials::new(KEY_ID, SECRET)).with_user_agent("my-app/1.0");
    assert_eq!(
        config.user_agent_for(&acs_cms_20190101::SERVICE, Some(" ci-job-7 ")),
        format!(
            "acs-cms-20190101/0.1.0 acs-runtime/{} ci-job-7 my-app/1.0",
            env_version()
        )
    );
    assert_eq!(
        config.user_agent_for(&acs_cms_20190101::SERVICE, Some("")),
        format!(
            "acs-cms-20190101/0.1.0 acs-runtime/{} my-app/1.0",
            env_version()
        )
    );
}
