//! Error types.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::config::ConfigError;
use crate::credentials::CredentialsError;

/// One error returned by the service: HTTP status, `Code`, `Message`, `RequestId` and the other
/// documented fields of an Alibaba Cloud error body.
///
/// Generated operation error enums wrap this (`E: From<ErrorMeta>`).
///
/// ```
/// use acs_runtime::ErrorMeta;
/// let meta = ErrorMeta::new(400, "InvalidParameter.Title", "The Title is invalid.")
///     .with_request_id("9B34-1");
/// assert_eq!(
///     meta.to_string(),
///     "InvalidParameter.Title: The Title is invalid. (HTTP 400, request id 9B34-1)"
/// );
/// ```
#[derive(Clone, PartialEq)]
pub struct ErrorMeta {
    // Boxed so that results carrying an operation error stay small.
    inner: Box<MetaFields>,
}

#[derive(Debug, Clone, PartialEq)]
struct MetaFields {
    http_status: u16,
    code: String,
    message: String,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    access_denied_detail: Option<serde_json::Value>,
    retry_after: Option<Duration>,
}

impl fmt::Debug for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.inner;
        f.debug_struct("ErrorMeta")
            .field("http_status", &m.http_status)
            .field("code", &m.code)
            .field("message", &m.message)
            .field("request_id", &m.request_id)
            .field("host_id", &m.host_id)
            .field("recommend", &m.recommend)
            .field("access_denied_detail", &m.access_denied_detail)
            .field("retry_after", &m.retry_after)
            .finish()
    }
}

impl ErrorMeta {
    /// An error with its HTTP status, error code and message.
    pub fn new(http_status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(MetaFields {
                http_status,
                code: code.into(),
                message: message.into(),
                request_id: None,
                host_id: None,
                recommend: None,
                access_denied_detail: None,
                retry_after: None,
            }),
        }
    }

    /// Sets the request ID.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Sets the host ID (the service host that answered).
    pub fn with_host_id(mut self, host_id: impl Into<String>) -> Self {
        self.inner.host_id = Some(host_id.into());
        self
    }

    /// Sets the troubleshooting link.
    pub fn with_recommend(mut self, recommend: impl Into<String>) -> Self {
        self.inner.recommend = Some(recommend.into());
        self
    }

    /// Sets the permission-denial details.
    pub fn with_access_denied_detail(mut self, detail: serde_json::Value) -> Self {
        self.inner.access_denied_detail = Some(detail);
        self
    }

    /// Sets the delay the service asked for before a retry (`x-acs-retry-after`).
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.inner.retry_after = Some(retry_after);
        self
    }

    /// HTTP status code of the response.
    pub fn http_status(&self) -> u16 {
        self.inner.http_status
    }

    /// Error code, e.g. `InvalidParameter.Title` or `Throttling.User`.
    pub fn code(&self) -> &str {
        &self.inner.code
    }

    /// Error message from the service.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Request ID, to quote when asking Alibaba Cloud support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// Host ID (`HostId` field).
    pub fn host_id(&self) -> Option<&str> {
        self.inner.host_id.as_deref()
    }

    /// Troubleshooting link (`Recommend` field).
    pub fn recommend(&self) -> Option<&str> {
        self.inner.recommend.as_deref()
    }

    /// Permission-denial details (`AccessDeniedDetail` object), as sent.
    pub fn access_denied_detail(&self) -> Option<&serde_json::Value> {
        self.inner.access_denied_detail.as_ref()
    }

    /// Delay the service asked for before a retry (`x-acs-retry-after` header).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Whether the code says the request was throttled (`Throttling`, `Throttling.User`, …).
    pub fn is_throttling(&self) -> bool {
        self.inner.code.starts_with("Throttling")
    }

    /// Whether a retry may succeed: HTTP 5xx, HTTP 429, a throttling code,
    /// `ServiceUnavailable`, or an `x-acs-retry-after` header.
    pub fn is_retryable(&self) -> bool {
        self.inner.retry_after.is_some()
            || self.inner.http_status >= 500
            || self.inner.http_status == 429
            || self.is_throttling()
            || self.inner.code == "ServiceUnavailable"
    }
}

impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.code)?;
        if !self.inner.message.is_empty() {
            write!(f, ": {}", self.inner.message)?;
        }
        write!(f, " (HTTP {}", self.inner.http_status)?;
        if let Some(id) = &self.inner.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl StdError for ErrorMeta {}

/// The error of a call made through [`ServiceClient::call`](crate::ServiceClient::call).
///
/// `E` is the operation's own error type (one variant per documented error code).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The service answered with an error (HTTP 4xx/5xx and a JSON body with a `Code`).
    Service(E),
    /// No answer within the read timeout (after the retries the policy allows).
    Timeout(TimeoutError),
    /// The request could not be sent or the response not read: connection refused, DNS,
    /// TLS, connection reset.
    Transport(TransportError),
    /// The response body is not the expected JSON (HTML from a proxy, empty, truncated).
    Decode(DecodeError),
    /// The configuration does not allow the call, e.g. no endpoint for the region.
    Config(ConfigError),
    /// The request is incomplete: a required parameter is missing.
    Build(BuildError),
    /// The credentials provider could not supply credentials; the error names it.
    Credentials(CredentialsError),
}

impl<E> SdkError<E> {
    /// The operation's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The operation's error, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Converts the service error type, keeping every other variant.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Service(e) => SdkError::Service(f(e)),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Decode(e) => SdkError::Decode(e),
            SdkError::Config(e) => SdkError::Config(e),
            SdkError::Build(e) => SdkError::Build(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
        }
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, SdkError::Timeout(_))
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Service(e) => write!(f, "service error: {e}"),
            SdkError::Timeout(e) => write!(f, "{e}"),
            SdkError::Transport(e) => write!(f, "{e}"),
            SdkError::Decode(e) => write!(f, "{e}"),
            SdkError::Config(e) => write!(f, "configuration error: {e}"),
            SdkError::Build(e) => write!(f, "invalid request: {e}"),
            SdkError::Credentials(e) => write!(f, "{e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Service(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Decode(e) => Some(e),
            SdkError::Config(e) => Some(e),
            SdkError::Build(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(err: BuildError) -> Self {
        SdkError::Build(err)
    }
}

impl<E> From<CredentialsError> for SdkError<E> {
    fn from(err: CredentialsError) -> Self {
        SdkError::Credentials(err)
    }
}

impl<E> From<ConfigError> for SdkError<E> {
    fn from(err: ConfigError) -> Self {
        SdkError::Config(err)
    }
}

/// A request could not be built: a required parameter is missing.
///
/// ```
/// use acs_runtime::BuildError;
/// let err = BuildError::missing_field("ContactId");
/// assert_eq!(err.to_string(), "missing required parameter `ContactId`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    field: &'static str,
}

impl BuildError {
    /// The required parameter `field` (its wire name) was not set.
    pub fn missing_field(field: &'static str) -> Self {
        Self { field }
    }

    /// The parameter's wire name.
    pub fn field(&self) -> &str {
        self.field
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "missing required parameter `{}`", self.field)
    }
}

impl StdError for BuildError {}

/// Longest body excerpt kept in a [`DecodeError`], in bytes.
const EXCERPT_LIMIT: usize = 200;

/// The response body was not what the operation expects.
#[derive(Debug)]
pub struct DecodeError {
    http_status: u16,
    reason: String,
    excerpt: String,
    source: Option<serde_json::Error>,
}

impl DecodeError {
    /// A decode failure for a response with this status and body; keeps a short excerpt of
    /// the body (at most 200 bytes, invalid UTF-8 replaced).
    pub fn new(http_status: u16, reason: impl Into<String>, body: &[u8]) -> Self {
        let mut end = body.len().min(EXCERPT_LIMIT);
        let text = loop {
            match std::str::from_utf8(&body[..end]) {
                Ok(text) => break text.to_string(),
                // Cut inside a multi-byte character: step back to its start.
                Err(err) if err.error_len().is_none() && err.valid_up_to() > 0 => {
                    end = err.valid_up_to();
                }
                Err(_) => break String::from_utf8_lossy(&body[..end]).into_owned(),
            }
        };
        let mut excerpt: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if end < body.len() {
            excerpt.push('…');
        }
        Self {
            http_status,
            reason: reason.into(),
            excerpt,
            source: None,
        }
    }

    /// Attaches the JSON error that caused the failure (available through
    /// [`source`](StdError::source); the reason should already describe it).
    pub fn with_source(mut self, source: serde_json::Error) -> Self {
        self.source = Some(source);
        self
    }

    /// HTTP status code of the response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// What was wrong with the body.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The start of the body (at most 200 bytes; control characters replaced by spaces).
    pub fn body_excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the response (HTTP {}): {}",
            self.http_status, self.reason
        )?;
        if self.excerpt.is_empty() {
            f.write_str("; the body is empty")
        } else {
            write!(f, "; body starts with {:?}", self.excerpt)
        }
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_ref().map(|e| e as &(dyn StdError + 'static))
    }
}

/// No response arrived within the read timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    after: Duration,
    attempts: u32,
}

impl TimeoutError {
    /// A timeout after waiting `after` in the last of `attempts` attempts.
    pub fn new(after: Duration, attempts: u32) -> Self {
        Self { after, attempts }
    }

    /// The read timeout that expired.
    pub fn after(&self) -> Duration {
        self.after
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no response within {:?}", self.after)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl StdError for TimeoutError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransportKind {
    Connect,
    Io,
    Other,
}

/// The HTTP exchange failed: no response was received.
#[derive(Debug, Clone)]
pub struct TransportError {
    kind: TransportKind,
    message: String,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
}

impl TransportError {
    /// The request never reached the server (connection refused, DNS failure, TLS handshake
    /// failure, connect timeout). Retried.
    pub fn connect(message: impl Into<String>) -> Self {
        Self::with_kind(TransportKind::Connect, message)
    }

    /// The connection failed after the request may have been sent (reset, closed, body read
    /// failure). Retried, like a timeout.
    pub fn io(message: impl Into<String>) -> Self {
        Self::with_kind(TransportKind::Io, message)
    }

    /// A failure that a retry cannot fix (invalid URL or method, client could not be built).
    /// Not retried.
    pub fn other(message: impl Into<String>) -> Self {
        Self::with_kind(TransportKind::Other, message)
    }

    fn with_kind(kind: TransportKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error (available through [`source`](StdError::source); the
    /// message should already describe it).
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// What failed.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the request never reached the server.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }

    /// Whether a retry may succeed (connect and I/O failures).
    pub fn is_retryable(&self) -> bool {
        self.kind != TransportKind::Other
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error: {}", self.message)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
