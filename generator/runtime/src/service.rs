//! The per-product client that signs, sends, retries and decodes operation calls.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::auth::{AuthScheme, Placement};
use crate::config::{Config, ConfigError, Network, SignatureVersion};
use crate::credentials::Credentials;
use crate::error::{AccessDeniedDetail, DecodeError, ErrorMeta, SdkError, TimeoutError};
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
///     region_endpoints: &[("cn-shanghai-finance-1", "metrics.cn-shanghai-finance-1.aliyuncs.com")],
///     vpc_endpoint: Some("metrics-vpc.{regionId}.aliyuncs.com"),
///     success_flag: Some("Success"),
///     auth: &[],
/// };
/// assert_eq!(CMS.host_for("cn-beijing"), Some("metrics.cn-beijing.aliyuncs.com".into()));
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
    /// Where the product is served when no override is configured: its rule.
    pub endpoint: Endpoint,
    /// The regions whose host is not the one [`endpoint`](Self::endpoint) gives them, with
    /// their host, sorted by region ID.
    pub region_endpoints: &'static [(&'static str, &'static str)],
    /// The host reached from inside a VPC, with [`REGION_PLACEHOLDER`] for the region;
    /// `None` when the product has no VPC endpoint.
    pub vpc_endpoint: Option<&'static str>,
    /// The member of a successful (2xx) JSON answer that is `false` when the service reports
    /// a failure in the body, e.g. `Success`; `None` when the product does not answer so.
    pub success_flag: Option<&'static str>,
    /// How a plain REST API authenticates callers, in the order its document prefers them;
    /// empty for Alibaba Cloud APIs, which sign requests with credentials.
    pub auth: &'static [AuthScheme],
}

impl ServiceInfo {
    /// The public host of `region`: its own host when the product lists one, else the
    /// product's rule. `None` when `region` is not a valid region ID and the rule needs one.
    pub fn host_for(&self, region: &str) -> Option<String> {
        if let Ok(i) = self
            .region_endpoints
            .binary_search_by(|(r, _)| (*r).cmp(region))
        {
            return Some(self.region_endpoints[i].1.to_string());
        }
        match self.endpoint {
            Endpoint::Global { host } => Some(host.to_string()),
            Endpoint::Regional { template } => fill_region(template, region),
            Endpoint::Url { base } => Some(base.to_string()),
            Endpoint::Unlisted => None,
        }
    }
}

/// `template` with its [`REGION_PLACEHOLDER`] replaced by `region`; `None` when the template
/// has a placeholder and `region` is not a valid region ID.
fn fill_region(template: &str, region: &str) -> Option<String> {
    if !template.contains(REGION_PLACEHOLDER) {
        return Some(template.to_string());
    }
    valid_region(region).then(|| template.replace(REGION_PLACEHOLDER, region))
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
    /// A plain REST API's base URL, path included, e.g. `https://petstore.swagger.io/v2`.
    Url {
        /// `scheme://host[:port][/path]`.
        base: &'static str,
    },
    /// The API's document names no absolute server URL: every caller configures one with
    /// [`Config::with_endpoint`].
    Unlisted,
}

impl Endpoint {
    /// Whether it is a plain REST API's endpoint (a base URL, or none listed) rather than an
    /// Alibaba Cloud product's host.
    pub fn is_rest(&self) -> bool {
        matches!(self, Endpoint::Url { .. } | Endpoint::Unlisted)
    }
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
    /// The path operation paths are relative to (REST APIs only), percent-encoded, no
    /// trailing slash: empty or e.g. `/v2`.
    prefix: String,
}

impl Base {
    /// The URL of `path` (percent-encoded, starting with `/`) with an encoded `query`, which
    /// may be empty.
    fn url_of(&self, path: &str, query: &str) -> String {
        let prefix = &self.prefix;
        if query.is_empty() {
            format!("{}{prefix}{path}", self.url)
        } else {
            format!("{}{prefix}{path}?{query}", self.url)
        }
    }
}

fn invalid_endpoint(endpoint: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::InvalidEndpoint {
        endpoint: endpoint.to_string(),
        reason: reason.into(),
    }
}

/// Parses a base URL or bare host (meaning `https`); a path is allowed where `with_path`.
fn parse_base(raw: &str, with_path: bool) -> Result<Base, ConfigError> {
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
    let prefix = url.path().trim_end_matches('/').to_owned();
    if !with_path && !prefix.is_empty() {
        return Err(invalid_endpoint(
            raw,
            "Alibaba Cloud endpoints take no path",
        ));
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
        prefix,
    })
}

fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The base URL of `service`'s requests: the override configured for it, else the VPC host
/// when the network is [`Network::Vpc`], else the region's host ([`ServiceInfo::host_for`]).
fn resolve(config: &Config, service: &ServiceInfo) -> Result<Base, ConfigError> {
    let rest = service.endpoint.is_rest();
    if let Some(endpoint) = config.endpoint_override(service) {
        return parse_base(endpoint, rest);
    }
    let rule = match (config.network(), service.endpoint) {
        (_, Endpoint::Url { base }) => return parse_base(base, true),
        (_, Endpoint::Unlisted) => {
            return Err(ConfigError::NoEndpoint {
                product: service.product,
            })
        }
        (Network::Vpc, _) => service.vpc_endpoint.ok_or(ConfigError::NoVpcEndpoint {
            product: service.product,
        })?,
        (Network::Public, Endpoint::Global { host }) => host,
        (Network::Public, Endpoint::Regional { template }) => template,
    };
    let Some(region) = config.region() else {
        if rule.contains(REGION_PLACEHOLDER) {
            return Err(ConfigError::MissingRegion {
                product: service.product,
            });
        }
        return parse_base(rule, false);
    };
    let host = match config.network() {
        Network::Vpc => fill_region(rule, region),
        Network::Public => service.host_for(region),
    };
    let host = host.ok_or_else(|| ConfigError::InvalidRegion {
        region: region.to_string(),
    })?;
    parse_base(&host, false)
}

struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    base: Result<Base, ConfigError>,
    user_agent: String,
    /// Seconds to add to the local clock when dating a request: learnt from the server's
    /// `Date` after it rejected a request as expired.
    clock_offset: AtomicI64,
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
                clock_offset: AtomicI64::new(0),
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
        if request.style == ApiStyle::Rest {
            return self.build_rest(request);
        }
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
        if request.style == ApiStyle::Rest {
            return self.build_rest(request);
        }
        let base = self.inner.base.as_ref().map_err(Clone::clone)?;
        let now = self.now();
        let date = signing::timestamp(now);
        let nonce = signing::new_nonce();
        Ok(match self.inner.config.signature_version() {
            SignatureVersion::V1 => match request.style {
                ApiStyle::Roa => {
                    self.build_roa_v1(base, request, signing::http_date(now), nonce, credentials)
                }
                _ => self.build_v1(base, request, date, nonce, credentials),
            },
            SignatureVersion::V3 => self.build_v3(base, request, date, nonce, credentials),
        })
    }

    /// The time requests are dated with: the local clock, corrected by what the server's
    /// `Date` said after a rejection as expired.
    fn now(&self) -> time::OffsetDateTime {
        let offset = self.inner.clock_offset.load(Ordering::Relaxed);
        time::OffsetDateTime::now_utc() + time::Duration::seconds(offset)
    }

    /// The correction of the local clock in effect (zero until the service rejected a request
    /// as expired and its `Date` header said what time it was).
    pub fn clock_offset(&self) -> Duration {
        Duration::from_secs(
            self.inner
                .clock_offset
                .load(Ordering::Relaxed)
                .unsigned_abs(),
        )
    }

    /// Learns the clock offset from a server `Date` header; whether it could be read.
    fn correct_clock(&self, server_date: &str) -> bool {
        let Ok(server) = time::OffsetDateTime::parse(
            server_date.trim(),
            &time::format_description::well_known::Rfc2822,
        ) else {
            return false;
        };
        let offset = (server - time::OffsetDateTime::now_utc()).whole_seconds();
        self.inner.clock_offset.store(offset, Ordering::Relaxed);
        true
    }

    /// The HTTP request of a plain REST operation: nothing signed; the configured secret of
    /// the first scheme the API declares that has one, in its place.
    fn build_rest(&self, request: &OperationRequest) -> Result<HttpRequest, ConfigError> {
        if let Some((name, reason)) = request.invalid() {
            return Err(ConfigError::InvalidParameter {
                name: name.to_string(),
                reason: reason.to_string(),
            });
        }
        let base = self.inner.base.as_ref().map_err(Clone::clone)?;
        let mut headers: Vec<(String, String)> = Vec::with_capacity(5 + request.headers.len());
        headers.push(("host".into(), base.host.clone()));
        if let Some(content_type) = request.body.content_type() {
            headers.push(("content-type".into(), content_type.into()));
        }
        headers.extend(operation_headers(request));
        // An operation answering with bytes or text names the media types it accepts.
        if !headers.iter().any(|(name, _)| name == "accept") {
            headers.push(("accept".into(), "application/json".into()));
        }
        headers.push(("user-agent".into(), self.inner.user_agent.clone()));
        let mut query = request.query.clone();
        let mut secret = None;
        match self.inner.config.auth().placement(self.inner.service.auth) {
            Some(Placement::Header(name, value)) => {
                secret = Some(name.clone());
                headers.push((name, value));
            }
            Some(Placement::Query(name, value)) => {
                secret = Some(name.clone());
                query.append(name, value);
            }
            None => {}
        }
        let url = base.url_of(&request.path, &signing::encode_query(query.iter()));
        let http = HttpRequest::new(
            request.method.as_str(),
            url,
            headers,
            request.body.to_bytes(),
        );
        Ok(match secret {
            Some(name) => http.with_secret(name),
            None => http,
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
        date: String,
        nonce: String,
        creds: &Credentials,
    ) -> HttpRequest {
        let mut headers: Vec<(String, String)> = Vec::with_capacity(12 + request.headers.len());
        headers.push(("host".into(), base.host.clone()));
        headers.push(("accept".into(), "application/json".into()));
        if let Some(content_type) = request.body.content_type() {
            headers.push(("content-type".into(), content_type.into()));
        }
        headers.push(("date".into(), date));
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

    /// Sends one operation: signs (fresh date, nonce and credentials per attempt), sends,
    /// retries, decodes.
    ///
    /// The answer is decoded by [`decode_response`], with the product's
    /// [`success_flag`](ServiceInfo::success_flag): a typed value, a
    /// [`SdkError::Service`] carrying `E::from(ErrorMeta)`, or a [`SdkError::Decode`].
    ///
    /// Retries follow the [`RetryPolicy`](crate::RetryPolicy), and only where repeating the
    /// request cannot hurt:
    /// * throttling (a `Throttling…` code, HTTP 429, `x-acs-retry-after`) and connection
    ///   failures before the request was sent are retried for every operation;
    /// * timeouts, connection failures after sending and server errors (HTTP 5xx) only for
    ///   requests that are [safe to retry](OperationRequest::is_safe_to_retry): read-only
    ///   operations and those carrying an idempotency token;
    /// * a rejection as expired (`InvalidTimeStamp.Expired`, `RequestTimeTooSkewed`) with a
    ///   server `Date` corrects the client's clock and is retried once at once.
    ///
    /// An unset idempotency token is filled with a fresh value once per call, before the first
    /// attempt, so that every attempt carries the same token. Each attempt is limited by the
    /// read timeout, the whole call by the [deadline](Config::with_deadline) when one is set.
    pub async fn send<T, E>(&self, operation: OperationRequest) -> Result<T, SdkError<E>>
    where
        T: DeserializeOwned,
        E: From<ErrorMeta>,
    {
        // The attempts are the same code for every operation (compiled once, here); only
        // decoding the answer is the operation's own.
        let response = self
            .send_attempts(operation)
            .await
            .map_err(|err| err.map_service_error(E::from))?;
        decode_success(&response).map_err(SdkError::Decode)
    }

    /// The attempts of [`send`](ServiceClient::send) up to a successful answer, which is
    /// returned undecoded.
    async fn send_attempts(
        &self,
        operation: OperationRequest,
    ) -> Result<HttpResponse, SdkError<ErrorMeta>> {
        let safe = operation.is_safe_to_retry();
        let success_flag = self.inner.service.success_flag;
        let mut clock_corrected = false;
        self.run(operation, |response| {
            let server_date = response.header("date").map(str::to_owned);
            match check_response(response, success_flag) {
                Ok(response) => Verdict::Final(Ok(response)),
                Err(SdkError::Service(meta)) => {
                    if meta.is_clock_skew()
                        && !clock_corrected
                        && server_date.is_some_and(|date| self.correct_clock(&date))
                    {
                        // Rejected before acting: sign again with the server's time.
                        clock_corrected = true;
                        return Verdict::Again;
                    }
                    Verdict::Answer {
                        retryable: meta.is_throttled() || (meta.is_retryable() && safe),
                        after: meta.retry_after(),
                        outcome: Err(SdkError::Service(meta)),
                    }
                }
                Err(SdkError::Decode(err)) => Verdict::Answer {
                    retryable: retryable_status(err.http_status(), safe),
                    after: None,
                    outcome: Err(SdkError::Decode(err)),
                },
                Err(err) => Verdict::Final(Err(err)),
            }
        })
        .await
    }

    /// Sends one operation of a plain REST API and returns the answer for the caller to
    /// decode (generated crates decode each documented status into its own type).
    ///
    /// Retries follow the [`RetryPolicy`](crate::RetryPolicy): connection failures before
    /// the request was sent and HTTP 429 always; timeouts, connection failures after sending
    /// and HTTP 5xx only for requests that are
    /// [safe to retry](OperationRequest::is_safe_to_retry). A `Retry-After` header (seconds)
    /// sets the wait. The answer of the last attempt is returned whatever its status; a body
    /// over the configured size limit is a [`SdkError::Decode`].
    pub async fn exchange<E>(
        &self,
        operation: OperationRequest,
    ) -> Result<HttpResponse, SdkError<E>> {
        self.exchange_attempts(operation)
            .await
            .map_err(|err| err.map_service_error(|never| match never {}))
    }

    /// The attempts of [`exchange`](ServiceClient::exchange), the same code whatever the
    /// caller's error type.
    async fn exchange_attempts(
        &self,
        operation: OperationRequest,
    ) -> Result<HttpResponse, SdkError<std::convert::Infallible>> {
        let safe = operation.is_safe_to_retry();
        self.run(operation, |response| Verdict::Answer {
            retryable: retryable_status(response.status, safe),
            after: response
                .header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs),
            outcome: Ok(response),
        })
        .await
    }

    /// One call: fills an unset idempotency token, then makes the attempts, within the
    /// configured deadline when there is one. `judge` says what each answer means.
    async fn run<T, E>(
        &self,
        mut operation: OperationRequest,
        judge: impl FnMut(HttpResponse) -> Verdict<T, E>,
    ) -> Result<T, SdkError<E>> {
        operation.fill_idempotency_token(&new_client_token());
        let mut attempts = 0;
        let attempt = self.attempt(&operation, &mut attempts, judge);
        match self.inner.config.deadline() {
            None => attempt.await,
            Some(deadline) => match tokio::time::timeout(deadline, attempt).await {
                Ok(outcome) => outcome,
                Err(_elapsed) => Err(SdkError::Timeout(TimeoutError::deadline(
                    deadline, attempts,
                ))),
            },
        }
    }

    /// The attempts of one call, counted in `attempts`: each is prepared (and signed with
    /// fresh credentials, for Alibaba Cloud APIs) and sent; an answer over the size limit is
    /// a decode error, any other is judged; failures and answers are retried as the retry
    /// policy allows.
    async fn attempt<T, E>(
        &self,
        operation: &OperationRequest,
        attempts: &mut u32,
        mut judge: impl FnMut(HttpResponse) -> Verdict<T, E>,
    ) -> Result<T, SdkError<E>> {
        let config = &self.inner.config;
        let policy = config.retry_policy();
        let read_timeout = config.read_timeout();
        let safe = operation.is_safe_to_retry();
        loop {
            *attempts += 1;
            let request = self.prepare_attempt(operation).await?;
            let transport = config.transport().map_err(SdkError::Transport)?;
            let sent = tokio::time::timeout(read_timeout, transport.send(request)).await;
            let (outcome, retryable, retry_after) = match sent {
                Err(_elapsed) => (
                    Err(SdkError::Timeout(TimeoutError::new(
                        read_timeout,
                        *attempts,
                    ))),
                    safe,
                    None,
                ),
                Ok(Err(err)) => {
                    let retryable = err.is_connect() || (err.is_retryable() && safe);
                    (Err(SdkError::Transport(err)), retryable, None)
                }
                Ok(Ok(response)) => {
                    let limit = config.max_response_bytes();
                    if response.body.len() > limit {
                        return Err(SdkError::Decode(DecodeError::new(
                            response.status,
                            format!("the response body is larger than the limit of {limit} bytes"),
                            &response.body,
                        )));
                    }
                    match judge(response) {
                        Verdict::Final(outcome) => return outcome,
                        Verdict::Again => {
                            *attempts -= 1;
                            continue;
                        }
                        Verdict::Answer {
                            outcome,
                            retryable,
                            after,
                        } => (outcome, retryable, after),
                    }
                }
            };
            if !retryable || *attempts >= policy.max_attempts() {
                return outcome;
            }
            tokio::time::sleep(policy.delay(*attempts, retry_after)).await;
        }
    }

    /// The HTTP request of one attempt: a REST request as it is; an Alibaba Cloud one signed
    /// with the credentials the provider gives now (a provider of temporary credentials
    /// refreshes them when they are about to expire). Endpoint and parameter problems are
    /// reported before the transport is built.
    async fn prepare_attempt<E>(
        &self,
        operation: &OperationRequest,
    ) -> Result<HttpRequest, SdkError<E>> {
        if operation.style == ApiStyle::Rest {
            return self.build_rest(operation).map_err(SdkError::Config);
        }
        let credentials = self
            .inner
            .config
            .credentials_provider()
            .provide_credentials();
        let credentials = credentials.await.map_err(SdkError::Credentials)?;
        self.prepare_with_credentials(operation, &credentials)
            .map_err(SdkError::Config)
    }
}

/// What one answer means to the call that got it.
enum Verdict<T, E> {
    /// The call's result, whatever the retry policy says.
    Final(Result<T, SdkError<E>>),
    /// Send again at once, not counting the attempt (the clock was corrected).
    Again,
    /// The call's result unless `retryable` and attempts are left; then wait (at least
    /// `after`) and send again.
    Answer {
        outcome: Result<T, SdkError<E>>,
        retryable: bool,
        after: Option<Duration>,
    },
}

/// Whether an answer with `status` may be retried: 429 always, 5xx when repeating the request
/// is `safe`.
fn retryable_status(status: u16, safe: bool) -> bool {
    status == 429 || ((500..600).contains(&status) && safe)
}

/// A fresh idempotency token: a random UUID (version 4), as the official SDKs' examples use.
fn new_client_token() -> String {
    let mut bytes = rand::random::<[u8; 16]>();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
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

/// Decodes one HTTP response as [`ServiceClient::send`] does for a product without a success
/// flag, without sending anything: for custom transports, tests and fuzzing. See
/// [`decode_response_with`].
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
    decode_response_with(response, None)
}

/// Decodes one HTTP response as [`ServiceClient::send`] does, for a product whose
/// [`success_flag`](ServiceInfo::success_flag) is `success_flag`.
///
/// * Below HTTP 400, the body is decoded as `T`; a body that is not the expected JSON is
///   [`SdkError::Decode`]. With a success flag, a JSON object whose flag member is `false`
///   (or `"false"`) is a failure reported in the body: [`SdkError::Service`] built from its
///   `Code` and `Message` as below (a `Decode` error when it has no `Code`).
/// * HTTP 400–599 with a JSON object holding a non-empty `Code` (or `code`) is
///   [`SdkError::Service`] with `E::from(ErrorMeta)`: status, code, `Message`, `RequestId`
///   (else the `x-acs-request-id` header), `HostId`, `Recommend`, `AccessDeniedDetail` and
///   the `x-acs-retry-after` header (a positive number of milliseconds).
/// * Any other answer (HTTP 600 and above, a body that is not JSON, no `Code`) is
///   [`SdkError::Decode`], carrying the status and the start of the body.
///
/// Never panics, whatever the response holds.
///
/// ```
/// use acs_runtime::{decode_response_with, ErrorMeta, HttpResponse, SdkError};
///
/// let body = br#"{"Success":false,"Code":"ContactNotFound","Message":"No such contact"}"#;
/// let failed = HttpResponse::new(200, Vec::new(), body.to_vec());
/// match decode_response_with::<serde_json::Value, ErrorMeta>(failed, Some("Success")) {
///     Err(SdkError::Service(meta)) => {
///         assert_eq!((meta.http_status(), meta.code()), (200, "ContactNotFound"));
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn decode_response_with<T, E>(
    response: HttpResponse,
    success_flag: Option<&str>,
) -> Result<T, SdkError<E>>
where
    T: DeserializeOwned,
    E: From<ErrorMeta>,
{
    let response =
        check_response(response, success_flag).map_err(|err| err.map_service_error(E::from))?;
    decode_success(&response).map_err(SdkError::Decode)
}

/// The answer when it reports success; otherwise the failure it reports (see
/// [`decode_response_with`]). The same code for every operation.
fn check_response(
    response: HttpResponse,
    success_flag: Option<&str>,
) -> Result<HttpResponse, SdkError<ErrorMeta>> {
    let status = response.status;
    if status < 400 {
        if let Some(failure) = success_flag.and_then(|flag| failure_in_body(&response, flag)) {
            return Err(failure);
        }
        return Ok(response);
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
                .with_json_error(err),
            ))
        }
    };
    Err(
        match error_meta(&response, &value, "the error body has no Code field") {
            Ok(meta) => SdkError::Service(meta),
            Err(err) => err,
        },
    )
}

/// Decodes the body of a successful RPC or ROA answer as `T`.
fn decode_success<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, DecodeError> {
    serde_json::from_slice(&response.body).map_err(|err| {
        DecodeError::new(
            response.status,
            format!("expected a JSON response body: {err}"),
            &response.body,
        )
        .with_json_error(err)
    })
}

/// Decodes the JSON body of a REST answer as `T`; a body that is not the expected JSON is a
/// [`DecodeError`] carrying the status and the start of the body. An empty body decodes as
/// JSON `null` (so `()` and `Option` types accept it).
///
/// ```
/// use acs_runtime::{decode_json, HttpResponse};
/// let ok = HttpResponse::new(200, Vec::new(), br#"{"id":7}"#.to_vec());
/// let value: serde_json::Value = decode_json(&ok).unwrap();
/// assert_eq!(value["id"], 7);
/// let bad = HttpResponse::new(200, Vec::new(), b"<html>".to_vec());
/// assert!(decode_json::<serde_json::Value>(&bad).is_err());
/// ```
pub fn decode_json<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, DecodeError> {
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &response.body
    };
    serde_json::from_slice(body).map_err(|err| {
        DecodeError::new(
            response.status,
            format!("the body does not match its documented schema: {err}"),
            &response.body,
        )
        .with_json_error(err)
    })
}

/// Reads a REST answer's body as text (`text/plain`, XML...).
///
/// ```
/// use acs_runtime::{decode_text, HttpResponse};
/// let ok = HttpResponse::new(200, Vec::new(), b"pong".to_vec());
/// assert_eq!(decode_text(&ok).unwrap(), "pong");
/// let bad = HttpResponse::new(200, Vec::new(), vec![0xff, 0xfe]);
/// assert!(decode_text(&bad).is_err());
/// ```
pub fn decode_text(response: &HttpResponse) -> Result<String, DecodeError> {
    String::from_utf8(response.body.clone()).map_err(|err| {
        DecodeError::new(
            response.status,
            format!("the body is not UTF-8 text: {err}"),
            &response.body,
        )
    })
}

/// The failure a successful answer reports with its `flag` member set to `false`, if it does.
fn failure_in_body(response: &HttpResponse, flag: &str) -> Option<SdkError<ErrorMeta>> {
    let value: serde_json::Value = serde_json::from_slice(&response.body).ok()?;
    let failed = match value.get(flag)? {
        serde_json::Value::Bool(ok) => !ok,
        serde_json::Value::String(ok) => ok.eq_ignore_ascii_case("false"),
        _ => false,
    };
    if !failed {
        return None;
    }
    let reason = format!("the answer reports a failure (`{flag}` is false) without a Code");
    Some(match error_meta(response, &value, &reason) {
        Ok(meta) => SdkError::Service(meta),
        Err(err) => err,
    })
}

/// The error an answer's JSON `value` describes, or a decode error with `no_code` as the
/// reason when it holds no `Code`.
fn error_meta(
    response: &HttpResponse,
    value: &serde_json::Value,
    no_code: &str,
) -> Result<ErrorMeta, SdkError<ErrorMeta>> {
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
    let status = response.status;
    let Some(code) = text("Code", "code").filter(|c| !c.is_empty()) else {
        return Err(SdkError::Decode(DecodeError::new(
            status,
            no_code,
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
        meta = meta.with_access_denied_detail(AccessDeniedDetail::from_json(detail.clone()));
    }
    if let Some(after) = retry_after(response) {
        meta = meta.with_retry_after(after);
    }
    Ok(meta)
}
