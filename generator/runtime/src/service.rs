//! The per-product client that signs, sends, retries and decodes operation calls.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::config::{Config, ConfigError, SignatureVersion};
use crate::credentials::Credentials;
use crate::error::{DecodeError, ErrorMeta, SdkError, TimeoutError};
use crate::params::Params;
use crate::request::{ApiStyle, Method, OperationRequest};
use crate::signing::{self, HeaderSelection, V3Input};
use crate::transport::{HttpRequest, HttpResponse};

/// Static description of one product + API version, emitted as a `static` by generated crates.
///
/// ```
/// use acs_runtime::{Endpoint, ServiceInfo};
/// static CMS: ServiceInfo = ServiceInfo {
///     product: "Cms",
///     api_version: "2019-01-01",
///     client: "acs-cms-20190101/0.1.0",
///     endpoint: Endpoint::Regional { template: "metrics.{regionId}.aliyuncs.com" },
/// };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// Product code, e.g. `ResourceManager` or `Cms`; also the key of endpoint overrides.
    pub product: &'static str,
    /// API version, e.g. `2020-03-31`; sent as `x-acs-version` (V3) or `Version` (V1).
    pub api_version: &'static str,
    /// The client crate and its version, e.g. `acs-cms-20190101/0.1.0`: the first word of
    /// the `User-Agent`.
    pub client: &'static str,
    /// Where the product is served when no override is configured.
    pub endpoint: Endpoint,
}

/// The default endpoint of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// One host for every region, e.g. `resourcemanager.aliyuncs.com`.
    Global {
        /// Host name (HTTPS).
        host: &'static str,
    },
    /// One host per region.
    Regional {
        /// Host name with a `{regionId}` placeholder, e.g. `metrics.{regionId}.aliyuncs.com`.
        template: &'static str,
    },
}

/// Placeholder replaced by the region in [`Endpoint::Regional`] templates.
pub const REGION_PLACEHOLDER: &str = "{regionId}";

/// A resolved endpoint: base URL and the matching `host` header value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Base {
    /// `scheme://host[:port]`, no trailing slash.
    url: String,
    /// `host[:port]`, exactly as the HTTP client sends it (default ports omitted).
    host: String,
}

impl Base {
    /// The URL of `path` (percent-encoded, starting with `/`) with an encoded `query`, which
    /// may be empty.
    fn url_of(&self, path: &str, query: &str) -> String {
        if query.is_empty() {
            format!("{}{path}", self.url)
        } else {
            format!("{}{path}?{query}", self.url)
        }
    }
}

fn invalid_endpoint(endpoint: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::InvalidEndpoint {
        endpoint: endpoint.to_string(),
        reason: reason.into(),
    }
}

/// Parses a base URL or bare host (meaning `https`).
fn parse_base(raw: &str) -> Result<Base, ConfigError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(invalid_endpoint(raw, "it is empty"));
    }
    let with_scheme;
    let text = if trimmed.contains("://") {
        trimmed
    } else {
        with_scheme = format!("https://{trimmed}");
        &with_scheme
    };
    let url = reqwest::Url::parse(text).map_err(|e| invalid_endpoint(raw, e.to_string()))?;
    let scheme = url.scheme();
    if scheme != "http" && scheme != "https" {
        return Err(invalid_endpoint(raw, "the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid_endpoint(raw, "user information is not allowed"));
    }
    if url.path() != "/" && !url.path().is_empty() {
        return Err(invalid_endpoint(raw, "RPC endpoints take no path"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid_endpoint(
            raw,
            "a query string or fragment is not allowed",
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| invalid_endpoint(raw, "no host"))?;
    // `Url::port` is `None` for the scheme's default port, which HTTP clients also leave out
    // of the `host` header.
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    Ok(Base {
        url: format!("{scheme}://{host}"),
        host,
    })
}

fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn resolve(config: &Config, service: &ServiceInfo) -> Result<Base, ConfigError> {
    if let Some(endpoint) = config.endpoint_override(service.product) {
        return parse_base(endpoint);
    }
    match service.endpoint {
        Endpoint::Global { host } => parse_base(host),
        Endpoint::Regional { template } => {
            let region = config.region().ok_or(ConfigError::MissingRegion {
                product: service.product,
            })?;
            if !valid_region(region) {
                return Err(ConfigError::InvalidRegion {
                    region: region.to_string(),
                });
            }
            parse_base(&template.replace(REGION_PLACEHOLDER, region))
        }
    }
}

struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    base: Result<Base, ConfigError>,
    user_agent: String,
}

/// Sends the RPC operations of one product with a shared [`Config`].
///
/// Generated `Client` types wrap one of these. Cloning is cheap; clones share the
/// configuration and the connection pool. `Debug` never shows secrets.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

impl ServiceClient {
    /// A client for `service`, using a clone of `config`. The endpoint is resolved here;
    /// a problem with it is reported by [`endpoint`](ServiceClient::endpoint) and by every
    /// call.
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Self {
        Self {
            inner: Arc::new(Inner {
                config: config.clone(),
                service,
                base: resolve(config, service),
                user_agent: config.user_agent_for(
                    service,
                    std::env::var(crate::config::ENV_USER_AGENT).ok().as_deref(),
                ),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The product and API version.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// The resolved base URL (`scheme://host[:port]`): the override configured for this
    /// product, else the global host, else the regional template filled with the region.
    pub fn endpoint(&self) -> Result<String, ConfigError> {
        self.inner
            .base
            .as_ref()
            .map(|b| b.url.clone())
            .map_err(Clone::clone)
    }

    /// Builds and signs the request for one attempt of the RPC operation `action` (sent with
    /// POST, every parameter in the query), with a fresh date and nonce, exactly as
    /// [`call`](ServiceClient::call) sends it, with the fixed credentials of [`Config::new`].
    /// When a provider supplies the credentials, this is [`ConfigError::NoFixedCredentials`]:
    /// use [`prepare_with_credentials`](ServiceClient::prepare_with_credentials).
    pub fn prepare_request(
        &self,
        action: &str,
        params: &Params,
    ) -> Result<HttpRequest, ConfigError> {
        let mut request = OperationRequest::rpc(Method::Post, action);
        request.query = params.clone();
        self.prepare(&request)
    }

    /// Builds and signs the HTTP request for one attempt of `request` with the fixed
    /// credentials of [`Config::new`], with a fresh date and nonce, exactly as
    /// [`send`](ServiceClient::send) sends it. When a provider supplies the credentials, this
    /// is [`ConfigError::NoFixedCredentials`].
    pub fn prepare(&self, request: &OperationRequest) -> Result<HttpRequest, ConfigError> {
        let credentials = self
            .inner
            .config
            .credentials()
            .ok_or(ConfigError::NoFixedCredentials)?;
        self.prepare_with_credentials(request, credentials)
    }

    /// Builds and signs the HTTP request for one attempt of `request` with `credentials`, with
    /// a fresh date and nonce, exactly as [`send`](ServiceClient::send) sends it.
    pub fn prepare_with_credentials(
        &self,
        request: &OperationRequest,
        credentials: &Credentials,
    ) -> Result<HttpRequest, ConfigError> {
        if let Some((name, reason)) = request.invalid() {
            return Err(ConfigError::InvalidParameter {
                name: name.to_string(),
                reason: reason.to_string(),
            });
        }
        let base = self.inner.base.as_ref().map_err(Clone::clone)?;
        let date = signing::timestamp_now();
        let nonce = signing::new_nonce();
        Ok(match self.inner.config.signature_version() {
            SignatureVersion::V1 => match request.style {
                ApiStyle::Rpc => self.build_v1(base, request, date, nonce, credentials),
                ApiStyle::Roa => self.build_roa_v1(base, request, nonce, credentials),
            },
            SignatureVersion::V3 => self.build_v3(base, request, date, nonce, credentials),
        })
    }

    fn build_v3(
        &self,
        base: &Base,
        request: &OperationRequest,
        date: String,
        nonce: String,
        creds: &Credentials,
    ) -> HttpRequest {
        let body = request.body.to_bytes();
        let mut headers: Vec<(String, String)> = Vec::with_capacity(12 + request.headers.len());
        headers.push(("host".into(), base.host.clone()));
        headers.push(("x-acs-action".into(), request.action.clone()));
        headers.push((
            "x-acs-version".into(),
            self.inner.service.api_version.to_string(),
        ));
        headers.push(("x-acs-date".into(), date));
        headers.push(("x-acs-signature-nonce".into(), nonce));
        headers.push(("x-acs-content-sha256".into(), signing::sha256_hex(&body)));
        if let Some(token) = creds.security_token() {
            headers.push((
                "x-acs-accesskey-id".into(),
                creds.access_key_id().to_string(),
            ));
            headers.push(("x-acs-security-token".into(), token.to_string()));
        }
        if let Some(content_type) = request.body.content_type() {
            headers.push(("content-type".into(), content_type.into()));
        }
        headers.extend(operation_headers(request));
        headers.push(("accept".into(), "application/json".into()));
        headers.push(("user-agent".into(), self.inner.user_agent.clone()));

        let method = request.method.as_str();
        let signature = signing::sign_v3(&V3Input {
            method,
            path: &request.path,
            query: request.query.as_pairs(),
            headers: &headers,
            body: &body,
            access_key_id: creds.access_key_id(),
            access_key_secret: creds.access_key_secret(),
            header_selection: HeaderSelection::Standard,
        });
        headers.push(("authorization".into(), signature.authorization));
        let url = base.url_of(&request.path, &signature.canonical_query);
        HttpRequest::new(method, url, headers, body)
    }

    fn build_v1(
        &self,
        base: &Base,
        request: &OperationRequest,
        date: String,
        nonce: String,
        creds: &Credentials,
    ) -> HttpRequest {
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(request.query.len() + 10);
        pairs.push(("Action".into(), request.action.clone()));
        pairs.push(("Format".into(), "JSON".into()));
        pairs.push(("Version".into(), self.inner.service.api_version.to_string()));
        pairs.push(("Timestamp".into(), date));
        pairs.push(("SignatureNonce".into(), nonce));
        pairs.extend(request.query.as_pairs().iter().cloned());
        if let Some(token) = creds.security_token() {
            pairs.push(("SecurityToken".into(), token.to_string()));
        }
        pairs.push((
            "SignatureMethod".into(),
            signing::V1_SIGNATURE_METHOD.into(),
        ));
        pairs.push((
            "SignatureVersion".into(),
            signing::V1_SIGNATURE_VERSION.into(),
        ));
        pairs.push(("AccessKeyId".into(), creds.access_key_id().to_string()));

        // The signature covers the query and the form body's parameters alike.
        let method = request.method.as_str();
        let signature = match request.body.form() {
            Some(form) => {
                let mut signed = pairs.clone();
                signed.extend(form.as_pairs().iter().cloned());
                signing::sign_v1(method, &signed, creds.access_key_secret())
            }
            None => signing::sign_v1(method, &pairs, creds.access_key_secret()),
        };
        let mut query = signing::encode_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        query.push_str("&Signature=");
        query.push_str(&signing::percent_encode(&signature.signature));

        let mut headers = vec![
            ("host".to_string(), base.host.clone()),
            ("x-acs-action".to_string(), request.action.clone()),
            (
                "x-acs-version".to_string(),
                self.inner.service.api_version.to_string(),
            ),
        ];
        if let Some(content_type) = request.body.content_type() {
            headers.push(("content-type".into(), content_type.into()));
        }
        headers.extend(operation_headers(request));
        headers.push(("accept".to_string(), "application/json".to_string()));
        headers.push(("user-agent".to_string(), self.inner.user_agent.clone()));
        HttpRequest::new(
            method,
            base.url_of(&request.path, &query),
            headers,
            request.body.to_bytes(),
        )
    }

    fn build_roa_v1(
        &self,
        base: &Base,
        request: &OperationRequest,
        nonce: String,
        creds: &Credentials,
    ) -> HttpRequest {
        let mut headers: Vec<(String, String)> = Vec::with_capacity(12 + request.headers.len());
        headers.push(("host".into(), base.host.clone()));
        headers.push(("accept".into(), "application/json".into()));
        if let Some(content_type) = request.body.content_type() {
            headers.push(("content-type".into(), content_type.into()));
        }
        headers.push(("date".into(), signing::http_date_now()));
        headers.push(("x-acs-action".into(), request.action.clone()));
        headers.push((
            "x-acs-version".into(),
            self.inner.service.api_version.to_string(),
        ));
        headers.push((
            "x-acs-signature-method".into(),
            signing::V1_SIGNATURE_METHOD.into(),
        ));
        headers.push(("x-acs-signature-nonce".into(), nonce));
        headers.push((
            "x-acs-signature-version".into(),
            signing::V1_SIGNATURE_VERSION.into(),
        ));
        if let Some(token) = creds.security_token() {
            headers.push(("x-acs-security-token".into(), token.to_string()));
        }
        headers.extend(operation_headers(request));
        headers.push(("user-agent".into(), self.inner.user_agent.clone()));
        let method = request.method.as_str();
        let (_, authorization) = signing::sign_roa_v1(
            method,
            &request.path,
            request.query.as_pairs(),
            &headers,
            creds.access_key_id(),
            creds.access_key_secret(),
        );
        headers.push(("authorization".into(), authorization));
        let query = signing::canonical_query(request.query.iter());
        let url = base.url_of(&request.path, &query);
        HttpRequest::new(method, url, headers, request.body.to_bytes())
    }

    /// Sends the RPC operation `action` with POST and every parameter in the query; see
    /// [`send`](ServiceClient::send).
    pub async fn call<T, E>(&self, action: &str, params: Params) -> Result<T, SdkError<E>>
    where
        T: DeserializeOwned,
        E: From<ErrorMeta>,
    {
        let mut request = OperationRequest::rpc(Method::Post, action);
        request.query = params;
        self.send(request).await
    }

    /// Sends one operation: signs (fresh date + nonce per attempt), sends, retries per policy,
    /// decodes.
    ///
    /// A response below HTTP 400 is decoded as `T` (unknown fields are ignored by generated
    /// types). HTTP 400–599 with a JSON error body holding a `Code` becomes
    /// [`SdkError::Service`] with `E::from(ErrorMeta)`. Any other body becomes
    /// [`SdkError::Decode`]; [`decode_response`] does this decoding. Retries follow the
    /// [`RetryPolicy`](crate::RetryPolicy); each attempt is limited by the read timeout.
    pub async fn send<T, E>(&self, operation: OperationRequest) -> Result<T, SdkError<E>>
    where
        T: DeserializeOwned,
        E: From<ErrorMeta>,
    {
        let config = &self.inner.config;
        // Credentials are asked for before each attempt is signed: a provider of temporary
        // credentials refreshes them when they are about to expire.
        let credentials = config.credentials_provider().provide_credentials();
        let credentials = credentials.await.map_err(SdkError::Credentials)?;
        // Endpoint and parameter problems are reported before the transport is built.
        let mut request = self
            .prepare_with_credentials(&operation, &credentials)
            .map_err(SdkError::Config)?;
        let transport = config.transport().map_err(SdkError::Transport)?;
        let policy = config.retry_policy();
        let read_timeout = config.read_timeout();

        let mut attempt: u32 = 1;
        loop {
            let (error, retry_after) =
                match tokio::time::timeout(read_timeout, transport.send(request)).await {
                    Err(_elapsed) => (
                        SdkError::Timeout(TimeoutError::new(read_timeout, attempt)),
                        None,
                    ),
                    Ok(Err(err)) if err.is_retryable() => (SdkError::Transport(err), None),
                    Ok(Err(err)) => return Err(SdkError::Transport(err)),
                    Ok(Ok(response)) => match decode_response::<T, ErrorMeta>(response) {
                        Ok(value) => return Ok(value),
                        Err(SdkError::Service(meta)) if meta.is_retryable() => {
                            let after = meta.retry_after();
                            (SdkError::Service(E::from(meta)), after)
                        }
                        Err(SdkError::Decode(err)) if retryable_status(err.http_status()) => {
                            (SdkError::Decode(err), None)
                        }
                        Err(err) => return Err(err.map_service_error(E::from)),
                    },
                };
            if attempt >= policy.max_attempts() {
                return Err(error);
            }
            tokio::time::sleep(policy.delay(attempt, retry_after)).await;
            attempt += 1;
            // Every attempt is signed anew: fresh date, nonce and credentials.
            let credentials = config.credentials_provider().provide_credentials();
            let credentials = credentials.await.map_err(SdkError::Credentials)?;
            request = self
                .prepare_with_credentials(&operation, &credentials)
                .map_err(SdkError::Config)?;
        }
    }
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("product", &self.inner.service.product)
            .field("api_version", &self.inner.service.api_version)
            .field("endpoint", &self.inner.base.as_ref().map(|b| &b.url))
            .field("config", &self.inner.config)
            .finish()
    }
}

/// The operation's header parameters, names lower-cased.
fn operation_headers(request: &OperationRequest) -> impl Iterator<Item = (String, String)> + '_ {
    request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
}

/// Parses `x-acs-retry-after`: a positive number of milliseconds.
fn retry_after(response: &HttpResponse) -> Option<Duration> {
    response
        .header("x-acs-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

/// Whether a status says that a retry of an undecodable answer may help: HTTP 5xx and 429.
fn retryable_status(status: u16) -> bool {
    (500..600).contains(&status) || status == 429
}

/// Decodes one HTTP response the way [`ServiceClient::call`] does, without sending anything:
/// for custom transports, tests and fuzzing.
///
/// * Below HTTP 400, the body is decoded as `T`; a body that is not the expected JSON is
///   [`SdkError::Decode`].
/// * HTTP 400–599 with a JSON object holding a non-empty `Code` (or `code`) is
///   [`SdkError::Service`] with `E::from(ErrorMeta)`: status, code, `Message`, `RequestId`
///   (else the `x-acs-request-id` header), `HostId`, `Recommend`, `AccessDeniedDetail` and
///   the `x-acs-retry-after` header (a positive number of milliseconds).
/// * Any other answer (HTTP 600 and above, a body that is not JSON, no `Code`) is
///   [`SdkError::Decode`], carrying the status and the start of the body.
///
/// Never panics, whatever the response holds. `call` retries a service error when
/// [`ErrorMeta::is_retryable`] says so, and a decode error when the status is 5xx or 429.
///
/// ```
/// use acs_runtime::{decode_response, ErrorMeta, HttpResponse, SdkError};
///
/// let ok = HttpResponse::new(200, Vec::new(), br#"{"RequestId":"1"}"#.to_vec());
/// let value: serde_json::Value = decode_response::<_, ErrorMeta>(ok).unwrap();
/// assert_eq!(value["RequestId"], "1");
///
/// let body = br#"{"Code":"Throttling.User","Message":"Slow down","RequestId":"2"}"#;
/// let headers = vec![("x-acs-retry-after".to_string(), "1500".to_string())];
/// let throttled = HttpResponse::new(429, headers, body.to_vec());
/// match decode_response::<serde_json::Value, ErrorMeta>(throttled) {
///     Err(SdkError::Service(meta)) => {
///         assert_eq!(meta.code(), "Throttling.User");
///         assert_eq!(meta.retry_after(), Some(std::time::Duration::from_millis(1500)));
///     }
///     other => panic!("{other:?}"),
/// }
///
/// let html = HttpResponse::new(502, Vec::new(), b"<html>Bad Gateway</html>".to_vec());
/// let err = decode_response::<serde_json::Value, ErrorMeta>(html).unwrap_err();
/// assert!(matches!(err, SdkError::Decode(ref e) if e.http_status() == 502));
/// ```
pub fn decode_response<T, E>(response: HttpResponse) -> Result<T, SdkError<E>>
where
    T: DeserializeOwned,
    E: From<ErrorMeta>,
{
    let status = response.status;
    if status < 400 {
        return serde_json::from_slice(&response.body).map_err(|err| {
            SdkError::Decode(
                DecodeError::new(
                    status,
                    format!("expected a JSON response body: {err}"),
                    &response.body,
                )
                .with_source(err),
            )
        });
    }
    if status >= 600 {
        return Err(SdkError::Decode(DecodeError::new(
            status,
            "unexpected HTTP status",
            &response.body,
        )));
    }
    let value: serde_json::Value = match serde_json::from_slice(&response.body) {
        Ok(value) => value,
        Err(err) => {
            return Err(SdkError::Decode(
                DecodeError::new(
                    status,
                    format!("expected a JSON error body: {err}"),
                    &response.body,
                )
                .with_source(err),
            ))
        }
    };
    let field = |upper: &str, lower: &str| {
        value
            .get(upper)
            .or_else(|| value.get(lower))
            .filter(|v| !v.is_null())
    };
    let text = |upper: &str, lower: &str| -> Option<String> {
        field(upper, lower).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let Some(code) = text("Code", "code").filter(|c| !c.is_empty()) else {
        return Err(SdkError::Decode(DecodeError::new(
            status,
            "the error body has no Code field",
            &response.body,
        )));
    };
    let mut meta = ErrorMeta::new(status, code, text("Message", "message").unwrap_or_default());
    let request_id = text("RequestId", "requestId")
        .or_else(|| response.header("x-acs-request-id").map(str::to_string));
    if let Some(id) = request_id {
        meta = meta.with_request_id(id);
    }
    if let Some(host_id) = text("HostId", "hostId") {
        meta = meta.with_host_id(host_id);
    }
    if let Some(recommend) = text("Recommend", "recommend") {
        meta = meta.with_recommend(recommend);
    }
    if let Some(detail) = field("AccessDeniedDetail", "accessDeniedDetail") {
        meta = meta.with_access_denied_detail(detail.clone());
    }
    if let Some(after) = retry_after(&response) {
        meta = meta.with_retry_after(after);
    }
    Err(SdkError::Service(E::from(meta)))
}
