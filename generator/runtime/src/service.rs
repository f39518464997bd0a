//! The per-product client that signs, sends, retries and decodes RPC calls.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::config::{Config, ConfigError, SignatureVersion};
use crate::credentials::Credentials;
use crate::error::{DecodeError, ErrorMeta, SdkError, TimeoutError};
use crate::params::Params;
use crate::signing::{self, HeaderSelection, V3Input};
use crate::transport::{HttpRequest, HttpResponse};

/// Static description of one product + API version, emitted as a `static` by generated crates.
///
/// ```
/// use acs_runtime::{Endpoint, ServiceInfo};
/// static CMS: ServiceInfo = ServiceInfo {
///     product: "Cms",
///     api_version: "2019-01-01",
///     endpoint: Endpoint::Regional { template: "metrics.{regionId}.aliyuncs.com" },
/// };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// Product code, e.g. `ResourceManager` or `Cms`; also the key of endpoint overrides.
    pub product: &'static str,
    /// API version, e.g. `2020-03-31`; sent as `x-acs-version` (V3) or `Version` (V1).
    pub api_version: &'static str,
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
                user_agent: config.user_agent_header(),
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

    /// Builds and signs the request for one attempt of `action`, with a fresh date and nonce,
    /// exactly as [`call`](ServiceClient::call) sends it, with the fixed credentials of
    /// [`Config::new`]. When a provider supplies the credentials, this is
    /// [`ConfigError::NoFixedCredentials`]: use
    /// [`prepare_request_with_credentials`](ServiceClient::prepare_request_with_credentials).
    pub fn prepare_request(
        &self,
        action: &str,
        params: &Params,
    ) -> Result<HttpRequest, ConfigError> {
        let credentials = self
            .inner
            .config
            .credentials()
            .ok_or(ConfigError::NoFixedCredentials)?;
        self.prepare_request_with_credentials(action, params, credentials)
    }

    /// Builds and signs the request for one attempt of `action` with `credentials`, with a
    /// fresh date and nonce, exactly as [`call`](ServiceClient::call) sends it.
    pub fn prepare_request_with_credentials(
        &self,
        action: &str,
        params: &Params,
        credentials: &Credentials,
    ) -> Result<HttpRequest, ConfigError> {
        if let Some((name, reason)) = params.invalid() {
            return Err(ConfigError::InvalidParameter {
                name: name.to_string(),
                reason: reason.to_string(),
            });
        }
        let base = self.inner.base.as_ref().map_err(Clone::clone)?;
        let date = signing::timestamp_now();
        let nonce = signing::new_nonce();
        Ok(match self.inner.config.signature_version() {
            SignatureVersion::V1 => self.build_v1(base, action, params, date, nonce, credentials),
            SignatureVersion::V3 => self.build_v3(base, action, params, date, nonce, credentials),
        })
    }

    fn build_v3(
        &self,
        base: &Base,
        action: &str,
        params: &Params,
        date: String,
        nonce: String,
        creds: &Credentials,
    ) -> HttpRequest {
        let mut headers: Vec<(String, String)> = Vec::with_capacity(11);
        headers.push(("host".into(), base.host.clone()));
        headers.push(("x-acs-action".into(), action.to_string()));
        headers.push((
            "x-acs-version".into(),
            self.inner.service.api_version.to_string(),
        ));
        headers.push(("x-acs-date".into(), date));
        headers.push(("x-acs-signature-nonce".into(), nonce));
        headers.push((
            "x-acs-content-sha256".into(),
            signing::EMPTY_BODY_SHA256.to_string(),
        ));
        if let Some(token) = creds.security_token() {
            headers.push((
                "x-acs-accesskey-id".into(),
                creds.access_key_id().to_string(),
            ));
            headers.push(("x-acs-security-token".into(), token.to_string()));
        }
        headers.push(("accept".into(), "application/json".into()));
        headers.push(("user-agent".into(), self.inner.user_agent.clone()));

        let signature = signing::sign_v3(&V3Input {
            method: "POST",
            path: "/",
            query: params.as_pairs(),
            headers: &headers,
            body: b"",
            access_key_id: creds.access_key_id(),
            access_key_secret: creds.access_key_secret(),
            header_selection: HeaderSelection::Standard,
        });
        headers.push(("authorization".into(), signature.authorization));
        let url = if signature.canonical_query.is_empty() {
            format!("{}/", base.url)
        } else {
            format!("{}/?{}", base.url, signature.canonical_query)
        };
        HttpRequest::new("POST", url, headers, Vec::new())
    }

    fn build_v1(
        &self,
        base: &Base,
        action: &str,
        params: &Params,
        date: String,
        nonce: String,
        creds: &Credentials,
    ) -> HttpRequest {
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(params.len() + 10);
        pairs.push(("Action".into(), action.to_string()));
        pairs.push(("Format".into(), "JSON".into()));
        pairs.push(("Version".into(), self.inner.service.api_version.to_string()));
        pairs.push(("Timestamp".into(), date));
        pairs.push(("SignatureNonce".into(), nonce));
        pairs.extend(params.as_pairs().iter().cloned());
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

        let signature = signing::sign_v1("POST", &pairs, creds.access_key_secret());
        let mut query = signing::encode_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        query.push_str("&Signature=");
        query.push_str(&signing::percent_encode(&signature.signature));

        let headers = vec![
            ("host".to_string(), base.host.clone()),
            ("x-acs-action".to_string(), action.to_string()),
            (
                "x-acs-version".to_string(),
                self.inner.service.api_version.to_string(),
            ),
            ("accept".to_string(), "application/json".to_string()),
            ("user-agent".to_string(), self.inner.user_agent.clone()),
        ];
        HttpRequest::new(
            "POST",
            format!("{}/?{query}", base.url),
            headers,
            Vec::new(),
        )
    }

    /// Sends one RPC operation: signs (fresh date + nonce per attempt), sends, retries per policy, decodes.
    ///
    /// A response below HTTP 400 is decoded as `T` (unknown fields are ignored by generated
    /// types). HTTP 400–599 with a JSON error body holding a `Code` becomes
    /// [`SdkError::Service`] with `E::from(ErrorMeta)`. Any other body becomes
    /// [`SdkError::Decode`]; [`decode_response`] does this decoding. Retries follow the [`RetryPolicy`](crate::RetryPolicy); each
    /// attempt is limited by the read timeout.
    pub async fn call<T, E>(&self, action: &'static str, params: Params) -> Result<T, SdkError<E>>
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
            .prepare_request_with_credentials(action, &params, &credentials)
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
                .prepare_request_with_credentials(action, &params, &credentials)
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
