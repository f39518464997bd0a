//! Support for `runtime_credentials.rs`: a loopback HTTP double that plays the ECS metadata
//! service, STS and a credentials URI (recording every request and answering from a handler),
//! a temporary home directory for profile files, and an HMAC-SHA1 (V1) signature check
//! written independently of the runtime.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

pub use crate::e2e_support::double::{canonical_query, decode_query, encode};

/// A request the double received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Query parameters, decoded, in wire order.
    pub query: Vec<(String, String)>,
    /// Lowercase names.
    pub headers: Vec<(String, String)>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn param_names(&self) -> Vec<&str> {
        self.query.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// What the double answers.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: body.to_string(),
        }
    }

    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            body: body.to_string(),
        }
    }
}

type Handler = Arc<dyn Fn(&Received) -> Answer + Send + Sync>;

/// Permits a held double hands out; more than any test sends at once.
const PERMITS: usize = 1 << 20;

/// An HTTP/1.1 server on 127.0.0.1 answering every request with its handler.
pub struct Double {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Received>>>,
    handler: Arc<Mutex<Handler>>,
    gate: Arc<Semaphore>,
    held: Mutex<Option<OwnedSemaphorePermit>>,
    accept_loop: JoinHandle<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Double {
    pub async fn start(handler: impl Fn(&Received) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Mutex<Handler>> = Arc::new(Mutex::new(Arc::new(handler)));
        let gate = Arc::new(Semaphore::new(PERMITS));
        let (r, h, g) = (requests.clone(), handler.clone(), gate.clone());
        let accept_loop = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (r, h, g) = (r.clone(), h.clone(), g.clone());
                tokio::spawn(async move {
                    let service =
                        service_fn(move |req| handle(req, r.clone(), h.clone(), g.clone()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            addr,
            requests,
            handler,
            gate,
            held: Mutex::new(None),
            accept_loop,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_handler(&self, handler: impl Fn(&Received) -> Answer + Send + Sync + 'static) {
        *lock(&self.handler) = Arc::new(handler);
    }

    pub fn requests(&self) -> Vec<Received> {
        lock(&self.requests).clone()
    }

    /// How many requests had this path.
    pub fn count(&self, path: &str) -> usize {
        lock(&self.requests)
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    /// Requests are recorded but not answered until [`release`](Self::release).
    pub async fn hold(&self) {
        let permit = self
            .gate
            .clone()
            .acquire_many_owned(PERMITS as u32)
            .await
            .expect("gate");
        *lock(&self.held) = Some(permit);
    }

    pub fn release(&self) {
        lock(&self.held).take();
    }
}

impl Drop for Double {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

async fn handle(
    req: Request<Incoming>,
    requests: Arc<Mutex<Vec<Received>>>,
    handler: Arc<Mutex<Handler>>,
    gate: Arc<Semaphore>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let received = Received {
        method: req.method().as_str().to_string(),
        path: req.uri().path().to_string(),
        query: decode_query(req.uri().query().unwrap_or("")).expect("a well-encoded query"),
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
    };
    lock(&requests).push(received.clone());
    let _pass = gate.acquire().await;
    let handler = lock(&handler).clone();
    let answer = handler(&received);
    Ok(Response::builder()
        .status(answer.status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(answer.body)))
        .expect("response"))
}

/// `yyyy-MM-ddTHH:mm:ssZ`, `offset` from now (negative: in the past).
pub fn expiration(offset: Duration, past: bool) -> String {
    let now = time::OffsetDateTime::now_utc();
    let at = if past { now - offset } else { now + offset };
    at.replace_nanosecond(0)
        .expect("0 ns")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format")
}

/// The temporary credentials object of STS, the metadata service and credentials URIs.
pub fn temporary(id: &str, secret: &str, token: &str, expires: &str) -> Value {
    json!({
        "AccessKeyId": id,
        "AccessKeySecret": secret,
        "SecurityToken": token,
        "Expiration": expires,
    })
}

/// An STS `AssumeRole*` answer.
pub fn sts_answer(id: &str, secret: &str, token: &str, expires: &str) -> Answer {
    Answer::json(
        200,
        json!({
            "RequestId": "STS-DOUBLE-1",
            "AssumedRoleUser": {"Arn": "acs:ram::1:role/r/s", "AssumedRoleId": "1:s"},
            "Credentials": temporary(id, secret, token, expires),
        }),
    )
}

/// A metadata-service or credentials-URI answer.
pub fn success_answer(id: &str, secret: &str, token: &str, expires: &str) -> Answer {
    let mut body = temporary(id, secret, token, expires);
    body["Code"] = json!("Success");
    body["LastUpdated"] = json!("2026-01-01T00:00:00Z");
    Answer::json(200, body)
}

/// Checks an HMAC-SHA1 (V1) signature of a `GET /` request, independently of the runtime.
pub fn verify_v1(request: &Received, secret: &str) -> Result<(), String> {
    let signature = request.param("Signature").ok_or("no Signature")?;
    let signed: Vec<(String, String)> = request
        .query
        .iter()
        .filter(|(n, _)| n != "Signature")
        .cloned()
        .collect();
    let string_to_sign = format!(
        "{}&{}&{}",
        request.method,
        encode("/"),
        encode(&canonical_query(&signed))
    );
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .map_err(|e| e.to_string())?;
    mac.update(string_to_sign.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    if expected == signature {
        Ok(())
    } else {
        Err(format!(
            "signature {signature} does not verify (expected {expected} for {string_to_sign})"
        ))
    }
}

/// A temporary home directory for profile files.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary home"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` at `relative` (parents created); returns the full path.
    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, contents).expect("write");
        path
    }

    /// `~/.aliyun/config.json`.
    pub fn cli_config(&self, config: &Value) -> PathBuf {
        self.write(".aliyun/config.json", &config.to_string())
    }

    /// `~/.alibabacloud/credentials.ini`.
    pub fn ini(&self, contents: &str) -> PathBuf {
        self.write(".alibabacloud/credentials.ini", contents)
    }

    pub fn home_var(&self) -> (String, String) {
        ("HOME".to_string(), self.path().display().to_string())
    }
}

/// An expiration an hour away: fresh credentials.
pub fn in_an_hour() -> String {
    expiration(Duration::from_secs(3600), false)
}

/// An expiration ten minutes away: still valid, but inside the 15-minute refresh window.
pub fn in_ten_minutes() -> String {
    expiration(Duration::from_secs(600), false)
}

/// Parses an expiration the way the tests expect the runtime to.
pub fn to_system_time(text: &str) -> SystemTime {
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .expect("RFC 3339");
    SystemTime::from(t)
}
