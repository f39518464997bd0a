//! A service double for Alibaba Cloud RPC products: a real HTTP/1.1 server on 127.0.0.1 that
//! checks every request the way the service does and answers from a script.
//!
//! For every request it
//! * checks the method (`POST`), the path (`/`) and the `host` header (the double's address);
//! * parses the query string with strict RFC 3986 percent-decoding (a malformed escape, invalid
//!   UTF-8 or a repeated name is rejected);
//! * V3 (`Authorization: ACS3-HMAC-SHA256 ...`): reads `x-acs-action` / `x-acs-version` and
//!   checks them against the product; checks `x-acs-date` (format, within 15 minutes),
//!   `x-acs-signature-nonce` (present, never seen before), `x-acs-content-sha256` (the body's
//!   hash), the credential, that every `x-acs-*` header and `host` is signed, the STS token;
//!   then recomputes the signature from what it received, with its own canonicalisation;
//! * V1 (`Signature` in the query): checks the common parameters and recomputes the HMAC-SHA1
//!   signature the same way;
//! * rejects any mismatch with a 400 error body (`IncompleteSignature`, `SignatureDoesNotMatch`,
//!   `InvalidAction.NotFound`, ...) and records the reason, so that a signing bug fails loudly;
//! * records the decoded request, and answers with the next scripted [`Reply`].
//!
//! The canonicalisation here is written from the protocol description, independently of the
//! runtime's `signing` module, so the two check each other.

use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The AccessKey ID the tests configure and the double expects.
pub const ACCESS_KEY_ID: &str = "LTAI5tE2eDoubleKeyId";
/// The AccessKey secret: distinctive, so it can be searched for in `Debug` output.
pub const ACCESS_KEY_SECRET: &str = "e2eSecret-NEVER-PRINT-7f3a9c";
/// An STS security token: distinctive for the same reason.
pub const SECURITY_TOKEN: &str = "e2eStsToken-NEVER-PRINT-CAIS/+=b41d";

/// One product + API version the double plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    /// Product code.
    pub code: &'static str,
    /// The generated crate's description of the product: the key of endpoint overrides.
    pub service: &'static acs_runtime::ServiceInfo,
    /// API version, expected in `x-acs-version` / `Version`.
    pub version: &'static str,
    /// The actions the product serves.
    pub actions: &'static [&'static str],
    /// The `HostId` the real service puts into error bodies.
    pub host_id: &'static str,
}

pub const RESOURCE_MANAGER: Product = Product {
    code: "ResourceManager",
    service: &acs_resourcemanager_20200331::SERVICE,
    version: "2020-03-31",
    actions: &["BindSecureMobilePhone", "CancelHandshake"],
    host_id: "resourcemanager.aliyuncs.com",
};

pub const RESOURCE_DIRECTORY_MASTER: Product = Product {
    code: "ResourceDirectoryMaster",
    service: &acs_resourcedirectorymaster_20220419::SERVICE,
    version: "2022-04-19",
    actions: &["CancelMessageContactUpdate", "UpdateMessageContact"],
    host_id: "resourcedirectory.aliyuncs.com",
};

pub const CMS: Product = Product {
    code: "Cms",
    service: &acs_cms_20190101::SERVICE,
    version: "2019-01-01",
    actions: &["PutContact"],
    host_id: "metrics.cn-hangzhou.aliyuncs.com",
};

/// The credentials the double verifies requests with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub access_key_id: String,
    pub access_key_secret: String,
    /// When set, every request must carry (and, in V3, sign) exactly this token; when unset,
    /// no request may carry one.
    pub security_token: Option<String>,
}

impl Keys {
    /// The test AccessKey pair, no token.
    pub fn test() -> Self {
        Self {
            access_key_id: ACCESS_KEY_ID.to_string(),
            access_key_secret: ACCESS_KEY_SECRET.to_string(),
            security_token: None,
        }
    }

    /// The test AccessKey pair with the test STS token.
    pub fn test_sts() -> Self {
        Self {
            security_token: Some(SECURITY_TOKEN.to_string()),
            ..Self::test()
        }
    }
}

/// Which signature a request carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    V3,
    V1,
}

/// V1 common parameters: everything in a V1 query that is not an operation parameter.
pub const V1_COMMON: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "Timestamp",
    "SignatureNonce",
    "SecurityToken",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    "Signature",
];

/// A request the double accepted, decoded.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub signing: Signing,
    pub method: String,
    pub path: String,
    /// The query string exactly as received (still percent-encoded).
    pub raw_query: String,
    pub action: String,
    pub version: String,
    /// Every query parameter, decoded, in wire order (V1: common parameters included).
    pub query: Vec<(String, String)>,
    /// Every header, lowercase names, in the order received.
    pub headers: Vec<(String, String)>,
    /// V3: the header names listed in `SignedHeaders`.
    pub signed_headers: Vec<String>,
    pub body: Vec<u8>,
    pub received_at: Instant,
}

impl Recorded {
    /// The first header with this (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The operation parameters, decoded, in wire order (V1 common parameters left out).
    pub fn params(&self) -> Vec<(String, String)> {
        self.query
            .iter()
            .filter(|(n, _)| self.signing == Signing::V3 || !V1_COMMON.contains(&n.as_str()))
            .cloned()
            .collect()
    }

    /// A query parameter, decoded.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The signature nonce (`x-acs-signature-nonce` or `SignatureNonce`).
    pub fn nonce(&self) -> &str {
        match self.signing {
            Signing::V3 => self.header("x-acs-signature-nonce"),
            Signing::V1 => self.query_param("SignatureNonce"),
        }
        .unwrap_or_default()
    }

    /// Whether a header name is listed in `SignedHeaders`.
    pub fn is_signed(&self, name: &str) -> bool {
        self.signed_headers.iter().any(|h| h == name)
    }
}

/// What the double answers with.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete HTTP response.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Accept the request, then never answer.
    Hang,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &Value) -> Self {
        Self::raw(status, "application/json;charset=utf-8", body.to_string())
    }

    /// Any body with this content type.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::Respond {
            status,
            headers: vec![("content-type".to_string(), content_type.to_string())],
            body: body.into(),
        }
    }

    /// The service's error body: `RequestId`, `HostId`, `Code`, `Message`, `Recommend`.
    pub fn error(status: u16, request_id: &str, host_id: &str, code: &str, message: &str) -> Self {
        Self::json(status, &error_body(request_id, host_id, code, message))
    }

    /// Never answer.
    pub fn hang() -> Self {
        Reply::Hang
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }
}

/// The JSON error body Alibaba Cloud RPC services send.
pub fn error_body(request_id: &str, host_id: &str, code: &str, message: &str) -> Value {
    json!({
        "RequestId": request_id,
        "HostId": host_id,
        "Code": code,
        "Message": message,
        "Recommend": format!(
            "https://api.alibabacloud.com/troubleshoot?q={code}&product=e2e&requestId={request_id}"
        ),
    })
}

/// Why the double refused a request.
#[derive(Debug, Clone)]
struct Rejection {
    status: u16,
    code: &'static str,
    message: String,
}

fn reject(status: u16, code: &'static str, message: impl Into<String>) -> Rejection {
    Rejection {
        status,
        code,
        message: message.into(),
    }
}

struct State {
    product: Product,
    keys: Keys,
    host: String,
    script: VecDeque<Reply>,
    fallback: Option<Reply>,
    requests: Vec<Recorded>,
    rejections: Vec<String>,
    nonces: HashSet<String>,
    next_id: u64,
}

/// The running double. Dropping it stops accepting connections.
pub struct ServiceDouble {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept_loop: JoinHandle<()>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while holding the lock only happens in a failing test; keep going.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ServiceDouble {
    /// Starts a double for `product` on a random port of 127.0.0.1.
    pub async fn start(product: Product, keys: Keys) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            product,
            keys,
            host: addr.to_string(),
            script: VecDeque::new(),
            fallback: None,
            requests: Vec::new(),
            rejections: Vec::new(),
            nonces: HashSet::new(),
            next_id: 0,
        }));
        let shared = Arc::clone(&state);
        let accept_loop = tokio::spawn(async move {
            loop {
                let Ok((stream, _peer)) = listener.accept().await else {
                    continue;
                };
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(Arc::clone(&state), req));
                    // Errors here are the client going away (e.g. after its read timeout).
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            addr,
            state,
            accept_loop,
        }
    }

    /// `http://127.0.0.1:PORT`, for `Config::with_endpoint` or `--endpoint`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`, the `host` header clients must send.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// Queues a reply for the next accepted request.
    pub fn push(&self, reply: Reply) {
        lock(&self.state).script.push_back(reply);
    }

    /// The reply for every accepted request once the queue is empty.
    pub fn always(&self, reply: Reply) {
        lock(&self.state).fallback = Some(reply);
    }

    /// Every accepted request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    /// Forgets the accepted requests (the seen nonces are kept).
    pub fn clear_requests(&self) {
        lock(&self.state).requests.clear();
    }

    /// The reasons of every rejected request so far.
    pub fn rejections(&self) -> Vec<String> {
        lock(&self.state).rejections.clone()
    }

    /// Asserts that no request was rejected.
    pub fn assert_no_rejections(&self) {
        let rejections = self.rejections();
        assert!(
            rejections.is_empty(),
            "the service double rejected requests: {rejections:#?}"
        );
    }
}

impl Drop for ServiceDouble {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(err) => {
            let mut st = lock(&state);
            st.rejections.push(format!("body read failed: {err}"));
            return Ok(respond(500, &[], b"body read failed".to_vec()));
        }
    };
    let received_at = Instant::now();

    let reply = {
        let mut st = lock(&state);
        st.next_id += 1;
        let request_id = format!("E2E-DOUBLE-{:04}", st.next_id);
        let mut headers = Vec::with_capacity(parts.headers.len());
        let mut bad_header = None;
        for (name, value) in parts.headers.iter() {
            match std::str::from_utf8(value.as_bytes()) {
                Ok(v) => headers.push((name.as_str().to_string(), v.to_string())),
                Err(_) => bad_header = Some(name.as_str().to_string()),
            }
        }
        let received = Received {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            raw_query: parts.uri.query().unwrap_or(""),
            headers,
            body,
            received_at,
        };
        let verdict = match bad_header {
            Some(name) => Err(reject(
                400,
                "InvalidHeader",
                format!("header {name} is not UTF-8"),
            )),
            None => verify(&mut st, received),
        };
        match verdict {
            Ok(recorded) => {
                st.requests.push(recorded);
                st.script
                    .pop_front()
                    .or_else(|| st.fallback.clone())
                    .unwrap_or_else(|| {
                        Reply::error(
                            500,
                            &request_id,
                            "double",
                            "DoubleScriptExhausted",
                            "the test scripted no reply for this request",
                        )
                    })
            }
            Err(rejection) => {
                st.rejections
                    .push(format!("{}: {}", rejection.code, rejection.message));
                Reply::error(
                    rejection.status,
                    &request_id,
                    st.product.host_id,
                    rejection.code,
                    &rejection.message,
                )
            }
        }
    };

    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => Ok(respond(status, &headers, body)),
        Reply::Hang => std::future::pending().await,
    }
}

fn respond(status: u16, headers: &[(String, String)], body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::from_static(b"bad scripted reply"))))
}

struct Received<'a> {
    method: &'a str,
    path: &'a str,
    raw_query: &'a str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    received_at: Instant,
}

impl Received<'_> {
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).first().copied()
    }
}

fn verify(st: &mut State, rx: Received<'_>) -> Result<Recorded, Rejection> {
    if rx.method != "POST" {
        return Err(reject(
            400,
            "UnsupportedHTTPMethod",
            format!("expected POST, got {}", rx.method),
        ));
    }
    if rx.path != "/" {
        return Err(reject(
            404,
            "InvalidAction.NotFound",
            format!("RPC path must be /, got {:?}", rx.path),
        ));
    }
    let hosts = rx.header_values("host");
    if hosts != [st.host.as_str()] {
        return Err(reject(
            400,
            "InvalidHost",
            format!("expected one host header {:?}, got {hosts:?}", st.host),
        ));
    }
    let query = decode_query(rx.raw_query).map_err(|m| reject(400, "InvalidQueryString", m))?;
    let mut names = HashSet::new();
    for (name, _) in &query {
        if !names.insert(name.as_str()) {
            return Err(reject(
                400,
                "InvalidParameter.Duplicate",
                format!("parameter {name} appears more than once"),
            ));
        }
    }

    let is_v1 = query.iter().any(|(n, _)| n == "Signature");
    let recorded = if is_v1 {
        verify_v1(st, &rx, query)?
    } else {
        verify_v3(st, &rx, query)?
    };
    let nonce = recorded.nonce().to_string();
    if nonce.len() < 16 {
        return Err(reject(
            400,
            "InvalidSignatureNonce",
            format!("nonce {nonce:?} is too short"),
        ));
    }
    if !st.nonces.insert(nonce.clone()) {
        return Err(reject(
            400,
            "SignatureNonceUsed",
            format!("the nonce {nonce} has been used"),
        ));
    }
    Ok(recorded)
}

fn check_product(st: &State, action: &str, version: &str) -> Result<(), Rejection> {
    if version != st.product.version {
        return Err(reject(
            400,
            "InvalidVersion",
            format!(
                "{} serves version {}, got {version:?}",
                st.product.code, st.product.version
            ),
        ));
    }
    if !st.product.actions.contains(&action) {
        return Err(reject(
            404,
            "InvalidAction.NotFound",
            format!("{} {version} has no action {action:?}", st.product.code),
        ));
    }
    Ok(())
}

fn verify_v3(
    st: &State,
    rx: &Received<'_>,
    query: Vec<(String, String)>,
) -> Result<Recorded, Rejection> {
    let required = |name: &str| {
        rx.header(name)
            .ok_or_else(|| reject(400, "MissingHeader", format!("header {name} is missing")))
    };
    let action = required("x-acs-action")?.to_string();
    let version = required("x-acs-version")?.to_string();
    check_product(st, &action, &version)?;
    check_timestamp(required("x-acs-date")?)?;
    required("x-acs-signature-nonce")?;
    let content_sha = required("x-acs-content-sha256")?;
    let body_sha = hex::encode(Sha256::digest(&rx.body));
    if content_sha != body_sha {
        return Err(reject(
            400,
            "InvalidContentSha256",
            format!("x-acs-content-sha256 {content_sha} is not the body's hash {body_sha}"),
        ));
    }

    let authorization = rx
        .header("authorization")
        .ok_or_else(|| reject(400, "MissingAuthorization", "no Authorization header"))?;
    let auth = parse_authorization(authorization)?;
    if auth.credential != st.keys.access_key_id {
        return Err(reject(
            404,
            "InvalidAccessKeyId.NotFound",
            format!("unknown AccessKey ID {:?}", auth.credential),
        ));
    }

    match (&st.keys.security_token, rx.header("x-acs-security-token")) {
        (Some(expected), Some(got)) if expected == got => {
            if rx.header("x-acs-accesskey-id") != Some(st.keys.access_key_id.as_str()) {
                return Err(reject(
                    400,
                    "InvalidAccessKeyId",
                    "x-acs-accesskey-id must name the AccessKey of the STS token",
                ));
            }
        }
        (Some(_), Some(got)) => {
            return Err(reject(
                400,
                "InvalidSecurityToken.Mismatch",
                format!("unexpected security token {got:?}"),
            ))
        }
        (Some(_), None) => {
            return Err(reject(
                400,
                "InvalidSecurityToken.Missing",
                "an STS AccessKey needs x-acs-security-token",
            ))
        }
        (None, Some(_)) => {
            return Err(reject(
                400,
                "InvalidSecurityToken.Unexpected",
                "a long-term AccessKey takes no security token",
            ))
        }
        (None, None) => {}
    }

    // SignedHeaders: lowercase, sorted, unique, present, and covering host and every x-acs-*.
    let mut sorted = auth.signed_headers.clone();
    sorted.sort();
    sorted.dedup();
    if sorted != auth.signed_headers {
        return Err(reject(
            400,
            "IncompleteSignature",
            format!("SignedHeaders not sorted/unique: {:?}", auth.signed_headers),
        ));
    }
    for name in &auth.signed_headers {
        if name.chars().any(|c| c.is_ascii_uppercase()) || rx.header(name).is_none() {
            return Err(reject(
                400,
                "IncompleteSignature",
                format!("signed header {name:?} is not lowercase or not in the request"),
            ));
        }
    }
    for (name, _) in &rx.headers {
        let must_sign = name == "host" || name == "content-type" || name.starts_with("x-acs-");
        if must_sign && !auth.signed_headers.contains(name) {
            return Err(reject(
                400,
                "IncompleteSignature",
                format!("header {name} is sent but not signed"),
            ));
        }
    }

    // Recompute: CanonicalRequest → StringToSign → HMAC-SHA256 with the secret.
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        let mut values: Vec<&str> = rx.header_values(name).iter().map(|v| v.trim()).collect();
        values.sort_unstable();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        rx.method,
        rx.path,
        canonical_query(&query),
        canonical_headers,
        auth.signed_headers.join(";"),
        content_sha
    );
    let string_to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(st.keys.access_key_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    if expected != auth.signature {
        return Err(reject(
            400,
            "IncompleteSignature",
            format!(
                "The request signature does not conform to Aliyun standards. \
                 server canonical request: {canonical_request:?}"
            ),
        ));
    }

    Ok(Recorded {
        signing: Signing::V3,
        method: rx.method.to_string(),
        path: rx.path.to_string(),
        raw_query: rx.raw_query.to_string(),
        action,
        version,
        query,
        headers: rx.headers.clone(),
        signed_headers: auth.signed_headers,
        body: rx.body.clone(),
        received_at: rx.received_at,
    })
}

fn verify_v1(
    st: &State,
    rx: &Received<'_>,
    query: Vec<(String, String)>,
) -> Result<Recorded, Rejection> {
    let get = |name: &str| -> Result<&str, Rejection> {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                reject(
                    400,
                    "MissingParameter",
                    format!("common parameter {name} is missing"),
                )
            })
    };
    let action = get("Action")?.to_string();
    let version = get("Version")?.to_string();
    check_product(st, &action, &version)?;
    if let Some(header) = rx.header("x-acs-action") {
        if header != action {
            return Err(reject(
                400,
                "InvalidAction.Mismatch",
                format!("x-acs-action {header:?} differs from Action {action:?}"),
            ));
        }
    }
    if !get("Format")?.eq_ignore_ascii_case("json") {
        return Err(reject(
            400,
            "InvalidParameter.Format",
            "Format must be JSON",
        ));
    }
    check_timestamp(get("Timestamp")?)?;
    get("SignatureNonce")?;
    if get("SignatureMethod")? != "HMAC-SHA1" {
        return Err(reject(
            400,
            "InvalidParameter.SignatureMethod",
            "expected HMAC-SHA1",
        ));
    }
    if get("SignatureVersion")? != "1.0" {
        return Err(reject(
            400,
            "InvalidParameter.SignatureVersion",
            "expected 1.0",
        ));
    }
    let key_id = get("AccessKeyId")?;
    if key_id != st.keys.access_key_id {
        return Err(reject(
            404,
            "InvalidAccessKeyId.NotFound",
            format!("unknown AccessKey ID {key_id:?}"),
        ));
    }
    let token = query
        .iter()
        .find(|(n, _)| n == "SecurityToken")
        .map(|(_, v)| v.as_str());
    if token != st.keys.security_token.as_deref() {
        return Err(reject(
            400,
            "InvalidSecurityToken",
            format!(
                "SecurityToken {token:?}, expected {:?}",
                st.keys.security_token
            ),
        ));
    }
    let signature = get("Signature")?;

    let signed: Vec<(String, String)> = query
        .iter()
        .filter(|(n, _)| n != "Signature")
        .cloned()
        .collect();
    let string_to_sign = format!(
        "{}&{}&{}",
        rx.method,
        encode("/"),
        encode(&canonical_query(&signed))
    );
    let key = format!("{}&", st.keys.access_key_secret);
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    if expected != signature {
        return Err(reject(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. \
                 server string to sign is:{string_to_sign}"
            ),
        ));
    }

    Ok(Recorded {
        signing: Signing::V1,
        method: rx.method.to_string(),
        path: rx.path.to_string(),
        raw_query: rx.raw_query.to_string(),
        action,
        version,
        query,
        headers: rx.headers.clone(),
        signed_headers: Vec::new(),
        body: rx.body.clone(),
        received_at: rx.received_at,
    })
}

struct Authorization {
    credential: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(value: &str) -> Result<Authorization, Rejection> {
    let bad = |why: &str| {
        reject(
            400,
            "IncompleteSignature",
            format!("malformed Authorization {value:?}: {why}"),
        )
    };
    let rest = value
        .strip_prefix("ACS3-HMAC-SHA256 ")
        .ok_or_else(|| bad("expected the ACS3-HMAC-SHA256 algorithm and one space"))?;
    let fields: Vec<&str> = rest.split(',').collect();
    let [credential, signed_headers, signature] = fields[..] else {
        return Err(bad("expected Credential=,SignedHeaders=,Signature="));
    };
    let credential = credential
        .strip_prefix("Credential=")
        .ok_or_else(|| bad("Credential= first"))?;
    let signed_headers = signed_headers
        .strip_prefix("SignedHeaders=")
        .ok_or_else(|| bad("SignedHeaders= second"))?;
    let signature = signature
        .strip_prefix("Signature=")
        .ok_or_else(|| bad("Signature= third"))?;
    if signature.len() != 64
        || !signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(bad("the signature must be 64 lowercase hex digits"));
    }
    Ok(Authorization {
        credential: credential.to_string(),
        signed_headers: signed_headers.split(';').map(str::to_string).collect(),
        signature: signature.to_string(),
    })
}

/// Checks `yyyy-MM-ddTHH:mm:ssZ` and that it is within 15 minutes of now.
fn check_timestamp(value: &str) -> Result<(), Rejection> {
    let secs = parse_timestamp(value).ok_or_else(|| {
        reject(
            400,
            "InvalidTimeStamp.Format",
            format!("timestamp {value:?} is not yyyy-MM-ddTHH:mm:ssZ"),
        )
    })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs() as i64;
    if (now - secs).abs() > 15 * 60 {
        return Err(reject(
            400,
            "InvalidTimeStamp.Expired",
            format!("timestamp {value} is more than 15 minutes from the server clock"),
        ));
    }
    Ok(())
}

/// Seconds since the Unix epoch of `yyyy-MM-ddTHH:mm:ssZ`.
pub fn parse_timestamp(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = value.get(range)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from civil (proleptic Gregorian), after Howard Hinnant.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// RFC 3986 encoding: only `A-Z a-z 0-9 - _ . ~` stay literal, uppercase hex otherwise.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Sorted by name (byte order), `name=value` with both encoded, joined with `&`.
pub fn canonical_query(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    sorted
        .iter()
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Strict RFC 3986 percent-decoding: `%XX` (either hex case) → byte, every other byte as is;
/// `+` stays `+`. Fails on a malformed escape or invalid UTF-8.
pub fn decode(value: &str) -> Result<String, String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                .ok_or_else(|| format!("malformed percent escape in {value:?}"))?;
            out.push(u8::from_str_radix(hex, 16).map_err(|e| e.to_string())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{value:?} does not decode to UTF-8"))
}

/// Splits a raw query on `&` and `=` and decodes names and values.
pub fn decode_query(raw: &str) -> Result<Vec<(String, String)>, String> {
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    raw.split('&')
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("query part {pair:?} has no '='"))?;
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}
