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
    access_denied_detail: Option<AccessDeniedDetail>,
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
    pub fn with_access_denied_detail(mut self, detail: AccessDeniedDetail) -> Self {
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

    /// Why a permission was denied (the `AccessDeniedDetail` object of the answer).
    pub fn access_denied_detail(&self) -> Option<&AccessDeniedDetail> {
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

    /// Whether the service refused the request because of its rate, before acting on it: a
    /// throttling code, HTTP 429 or an `x-acs-retry-after` header. Such requests are retried
    /// whatever the operation.
    pub fn is_throttled(&self) -> bool {
        self.inner.retry_after.is_some() || self.inner.http_status == 429 || self.is_throttling()
    }

    /// Whether the service refused the request as dated too far from its clock
    /// (`InvalidTimeStamp.Expired`, `RequestTimeTooSkewed`).
    pub fn is_clock_skew(&self) -> bool {
        matches!(
            self.inner.code.as_str(),
            "InvalidTimeStamp.Expired" | "RequestTimeTooSkewed"
        )
    }

    /// Whether a retry may succeed: HTTP 5xx, HTTP 429, a throttling code,
    /// `ServiceUnavailable`, or an `x-acs-retry-after` header. The client retries server
    /// errors (as opposed to [throttling](Self::is_throttled)) only for operations that are
    /// safe to repeat.
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
        if let Some(action) = self
            .inner
            .access_denied_detail
            .as_ref()
            .and_then(AccessDeniedDetail::auth_action)
        {
            write!(f, ", denied action {action}")?;
        }
        f.write_str(")")
    }
}

/// Why the service denied a permission: the `AccessDeniedDetail` object Alibaba Cloud sends
/// with `NoPermission` and similar errors. Every member is optional; the object as sent stays
/// available through [`raw`](Self::raw).
///
/// ```
/// use acs_runtime::AccessDeniedDetail;
/// let detail = AccessDeniedDetail::from_json(serde_json::json!({
///     "AuthAction": "cms:PutContact",
///     "NoPermissionType": "ImplicitDeny",
///     "PolicyType": "AccountLevelIdentityBasedPolicy",
/// }));
/// assert_eq!(detail.auth_action(), Some("cms:PutContact"));
/// assert_eq!(detail.no_permission_type(), Some("ImplicitDeny"));
/// assert_eq!(detail.auth_principal_type(), None);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AccessDeniedDetail {
    raw: serde_json::Value,
}

impl AccessDeniedDetail {
    /// The detail as the answer holds it.
    pub fn from_json(raw: serde_json::Value) -> Self {
        Self { raw }
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.raw.get(name).and_then(serde_json::Value::as_str)
    }

    /// The action that was denied, e.g. `cms:PutContact` (`AuthAction`).
    pub fn auth_action(&self) -> Option<&str> {
        self.text("AuthAction")
    }

    /// The kind of principal that asked, e.g. `SubUser` or `AssumedRoleUser`
    /// (`AuthPrincipalType`).
    pub fn auth_principal_type(&self) -> Option<&str> {
        self.text("AuthPrincipalType")
    }

    /// The principal's display name (`AuthPrincipalDisplayName`).
    pub fn auth_principal_display_name(&self) -> Option<&str> {
        self.text("AuthPrincipalDisplayName")
    }

    /// The account that owns the principal (`AuthPrincipalOwnerId`).
    pub fn auth_principal_owner_id(&self) -> Option<&str> {
        self.text("AuthPrincipalOwnerId")
    }

    /// The kind of policy that denied, e.g. `AccountLevelIdentityBasedPolicy` (`PolicyType`).
    pub fn policy_type(&self) -> Option<&str> {
        self.text("PolicyType")
    }

    /// `ImplicitDeny` (no policy allows it) or `ExplicitDeny` (a policy denies it)
    /// (`NoPermissionType`).
    pub fn no_permission_type(&self) -> Option<&str> {
        self.text("NoPermissionType")
    }

    /// The encoded diagnostic message, to decode with RAM's `DecodeDiagnosticMessage`
    /// (`EncodedDiagnosticMessage`).
    pub fn encoded_diagnostic_message(&self) -> Option<&str> {
        self.text("EncodedDiagnosticMessage")
    }

    /// The object as sent.
    pub fn raw(&self) -> &serde_json::Value {
        &self.raw
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

/// `Display` already prints the wrapped error, so the chain goes on with what that error
/// wraps: no text is printed twice by a reporter that walks `source()`.
impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Service(e) => e.source(),
            SdkError::Timeout(e) => e.source(),
            SdkError::Transport(e) => e.source(),
            SdkError::Decode(e) => e.source(),
            SdkError::Config(e) => e.source(),
            SdkError::Build(e) => e.source(),
            SdkError::Credentials(e) => e.source(),
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

impl<E> From<DecodeError> for SdkError<E> {
    fn from(err: DecodeError) -> Self {
        SdkError::Decode(err)
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

    /// Keeps the JSON error that caused the failure, for [`json_error`](Self::json_error);
    /// the reason must already describe it (it is not repeated as the error's `source()`).
    pub fn with_json_error(mut self, error: serde_json::Error) -> Self {
        self.source = Some(error);
        self
    }

    /// The JSON error that caused the failure, if any: where in the body decoding stopped.
    pub fn json_error(&self) -> Option<&serde_json::Error> {
        self.source.as_ref()
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

/// The message includes the JSON error, so it is not repeated as `source()`.
impl StdError for DecodeError {}

/// No response arrived within the read timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    after: Duration,
    attempts: u32,
    deadline: bool,
}

impl TimeoutError {
    /// A timeout after waiting `after` in the last of `attempts` attempts.
    pub fn new(after: Duration, attempts: u32) -> Self {
        Self {
            after,
            attempts,
            deadline: false,
        }
    }

    /// The call's overall deadline `after` passed during attempt `attempts`.
    pub fn deadline(after: Duration, attempts: u32) -> Self {
        Self {
            after,
            attempts,
            deadline: true,
        }
    }

    /// Whether the call's overall deadline passed (rather than one attempt's read timeout).
    pub fn is_deadline(&self) -> bool {
        self.deadline
    }

    /// The read timeout or the deadline that expired.
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
        if self.deadline {
            write!(f, "the call's deadline of {:?} passed", self.after)?;
        } else {
            write!(f, "no response within {:?}", self.after)?;
        }
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

    /// Keeps the underlying error, for [`cause`](Self::cause); the message must already
    /// describe it (it is not repeated as the error's `source()`).
    pub fn with_cause(mut self, cause: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(cause));
        self
    }

    /// The underlying error (e.g. the HTTP client's), if any, for downcasting.
    pub fn cause(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.source.as_deref()
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

/// The message describes the underlying error, so it is not repeated as `source()`.
impl StdError for TransportError {}
