//! The HTTP layer: a small trait so tests and users can swap the HTTP client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub use crate::error::TransportError;

/// The future returned by [`Transport::send`].
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and returns the complete response.
///
/// The client wraps each call in its read timeout and handles retries, so an implementation
/// only sends once. Return [`TransportError::connect`] when the request never reached the
/// server, so that it is retried.
///
/// ```
/// use acs_runtime::{HttpRequest, HttpResponse, Transport, TransportError};
/// use acs_runtime::transport::TransportFuture;
///
/// #[derive(Debug)]
/// struct AlwaysOk;
///
/// impl Transport for AlwaysOk {
///     fn send(&self, _request: HttpRequest) -> TransportFuture<'_> {
///         Box::pin(async { Ok(HttpResponse::new(200, Vec::new(), br#"{"RequestId":"1"}"#.to_vec())) })
///     }
/// }
/// ```
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` and waits for the whole response.
    fn send(
        &self,
        request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + '_>>;
}

/// Finds a header value by name, ignoring ASCII case.
fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An outgoing HTTP request, fully signed.
///
/// `Debug` hides the security token and the signature (`x-acs-security-token`,
/// `authorization`, and the `SecurityToken` / `Signature` query parameters), and the header or
/// query parameter that carries an API key.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Absolute URL, query string included.
    pub url: String,
    /// Headers as `(lowercase name, value)` pairs, `host` first.
    pub headers: Vec<(String, String)>,
    /// Body bytes (empty for RPC calls).
    pub body: Vec<u8>,
    /// The header or query parameter that carries an API key, hidden by `Debug`.
    pub secret: Option<String>,
}

impl HttpRequest {
    /// A request from its parts.
    pub fn new(
        method: impl Into<String>,
        url: impl Into<String>,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Self {
        Self {
            method: method.into(),
            url: url.into(),
            headers,
            body,
            secret: None,
        }
    }

    /// The same request, with `Debug` hiding the header or query parameter `name` too.
    pub fn with_secret(mut self, name: impl Into<String>) -> Self {
        self.secret = Some(name.into());
        self
    }

    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

const REDACTED_HEADERS: [&str; 2] = ["authorization", "x-acs-security-token"];
const REDACTED_QUERY: [&str; 2] = ["SecurityToken", "Signature"];

fn redact_url(url: &str, secret: Option<&str>) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if REDACTED_QUERY.contains(&name) || secret == Some(name) => {
                format!("{name}=<redacted>")
            }
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let redact = REDACTED_HEADERS.iter().any(|r| n.eq_ignore_ascii_case(r))
                    || self
                        .secret
                        .as_deref()
                        .is_some_and(|s| n.eq_ignore_ascii_case(s));
                (n.as_str(), if redact { "<redacted>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url, self.secret.as_deref()))
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A complete HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers as `(name, value)` pairs.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response from its parts (for custom transports and tests).
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// The default transport, on [`reqwest`] with rustls (no system OpenSSL needed).
///
/// Redirects are not followed: an RPC endpoint answers directly, and a redirect response is
/// reported as a decode error carrying its status.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
}

impl ReqwestTransport {
    /// Builds a transport whose connections time out after `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Result<Self, TransportError> {
        reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map(Self::from_client)
            .map_err(|err| TransportError::other("could not build the HTTP client").with_cause(err))
    }

    /// Wraps an existing `reqwest` client (its own settings apply; disabling redirects is
    /// recommended).
    pub fn from_client(client: reqwest::Client) -> Self {
        Self {
            client,
            max_response_bytes: crate::config::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Stops reading a response body past `limit` bytes (default 64 MiB): the answer is then
    /// returned with the first `limit + 1` bytes, which the client reports as too large.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    async fn send_inner(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|err| {
            TransportError::other(format!("invalid HTTP method {:?}", request.method))
                .with_cause(err)
        })?;
        let mut builder = self.client.request(method, request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if !request.body.is_empty() {
            builder = builder.body(request.body);
        }
        let mut response = builder.send().await.map_err(map_reqwest_error)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        // Read chunk by chunk, so that an endless or huge body costs at most the limit.
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(map_reqwest_error)? {
            body.extend_from_slice(&chunk);
            if body.len() > self.max_response_bytes {
                body.truncate(self.max_response_bytes.saturating_add(1));
                break;
            }
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

fn map_reqwest_error(err: reqwest::Error) -> TransportError {
    let err = err.without_url();
    // reqwest's own message is generic ("error sending request"); the cause chain says what
    // happened ("tcp connect error: Connection refused").
    let mut detail = String::new();
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&err);
    while let Some(c) = cause {
        detail.push_str(": ");
        detail.push_str(&c.to_string());
        cause = c.source();
    }
    let error = if err.is_builder() {
        TransportError::other(format!("invalid request{detail}"))
    } else if err.is_connect() {
        TransportError::connect(format!("could not connect{detail}"))
    } else if err.is_timeout() {
        TransportError::io(format!("timed out{detail}"))
    } else if err.is_body() || err.is_decode() {
        TransportError::io(format!("failed while reading the response body{detail}"))
    } else {
        TransportError::io(format!("request failed{detail}"))
    };
    error.with_cause(err)
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        Box::pin(self.send_inner(request))
    }
}
