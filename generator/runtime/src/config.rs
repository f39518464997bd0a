//! Client configuration: credentials, region, endpoints, timeouts, retries, transport.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::auth::{AuthSecrets, Secret};
pub use crate::credentials::Credentials;
use crate::credentials::{DefaultChain, ProvideCredentials, ProviderOptions};
use crate::service::ServiceInfo;
use crate::transport::{ReqwestTransport, Transport, TransportError};

/// Environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an optional STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable holding the default region ID.
pub const ENV_REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";
/// Environment variable whose value joins the `User-Agent` of every request, after the client
/// and runtime versions.
pub const ENV_USER_AGENT: &str = "ALIBABA_CLOUD_USER_AGENT";

/// The default largest response body, in bytes: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;

fn env_non_empty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Which network the client reaches the product's endpoint from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Network {
    /// The public endpoint (the region's host from the product's endpoint list, else its
    /// rule).
    #[default]
    Public,
    /// The VPC endpoint, for clients running inside an Alibaba Cloud VPC. A product without
    /// one is reported by every call ([`ConfigError::NoVpcEndpoint`]).
    Vpc,
}

/// Which request signature to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// `ACS3-HMAC-SHA256`: action and version in `x-acs-*` headers, signature in the
    /// `Authorization` header. The default, and what the official SDKs use.
    #[default]
    V3,
    /// `HMAC-SHA1` with `SignatureVersion=1.0`: every field, the signature included, in the
    /// query string. Documented as discontinued; kept for services that still need it.
    V1,
}

/// How failed attempts are retried.
///
/// An attempt is retried when it failed with a transport error that
/// [may succeed on retry](TransportError::is_retryable) (such as a refused connection), timed out,
/// or got HTTP 5xx, HTTP 429, or an error code starting with `Throttling` or equal to
/// `ServiceUnavailable`. Other service errors are returned at once.
///
/// Before retry *n* (1 for the first retry) the client sleeps a random duration between zero
/// and `min(max_backoff, initial_backoff × 2^(n-1))` (exponential backoff with full jitter);
/// when the service sends `x-acs-retry-after` (milliseconds), that delay is used instead,
/// capped by `max_backoff`. Every attempt is signed anew.
///
/// Defaults: 3 attempts (the first one included), initial backoff 100 ms, maximum backoff 20 s.
///
/// ```
/// use acs_runtime::RetryPolicy;
/// use std::time::Duration;
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(200));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The default policy: 3 attempts, 100 ms initial backoff, 20 s maximum backoff.
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries: every call makes exactly one attempt.
    pub fn none() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets the number of attempts, the first one included (0 is treated as 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the backoff ceiling before the first retry; it doubles for each later retry.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the largest delay between two attempts, also the cap on `x-acs-retry-after`.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Number of attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Backoff ceiling before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Largest delay between two attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The backoff ceiling before retry `retry` (1 for the first retry), before jitter:
    /// `min(max_backoff, initial_backoff × 2^(retry-1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .checked_mul(1u32 << exponent)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// The delay before retry `retry` (1 for the first retry): a random duration between zero
    /// and [`backoff_ceiling`](RetryPolicy::backoff_ceiling) (full jitter), or, if the service
    /// asked for one, `retry_after` capped by `max_backoff`.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_backoff);
        }
        let ceiling = u64::try_from(self.backoff_ceiling(retry).as_micros()).unwrap_or(u64::MAX);
        Duration::from_micros(rand::random_range(0..=ceiling))
    }
}

/// A configuration problem found before a request is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A credentials environment variable is unset or empty.
    MissingCredentials {
        /// The variable's name.
        variable: &'static str,
    },
    /// The product's endpoint depends on the region, and no region is configured.
    MissingRegion {
        /// Product code, e.g. `Cms`.
        product: &'static str,
    },
    /// The configured region is not a valid region ID.
    InvalidRegion {
        /// The region as configured.
        region: String,
    },
    /// The configuration asks for the VPC endpoint, and the product has none.
    NoVpcEndpoint {
        /// Product code, e.g. `ResourceManager`.
        product: &'static str,
    },
    /// An endpoint override is not a usable base URL.
    InvalidEndpoint {
        /// The endpoint as configured.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The API's document names no absolute server URL, and none is configured.
    NoEndpoint {
        /// The API's name.
        product: &'static str,
    },
    /// A request was to be signed with fixed credentials, but a provider supplies them.
    NoFixedCredentials,
    /// A parameter value could not be serialized (see [`Params::put_json`](crate::Params::put_json)).
    InvalidParameter {
        /// The parameter name.
        name: String,
        /// What went wrong.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingCredentials { variable } => write!(
                f,
                "credentials missing: environment variable {variable} is not set or empty"
            ),
            ConfigError::MissingRegion { product } => write!(
                f,
                "RegionId is empty: {product} needs a region to pick its endpoint \
                 (use Config::with_region, {ENV_REGION_ID}, or Config::with_endpoint)"
            ),
            ConfigError::NoVpcEndpoint { product } => write!(
                f,
                "{product} has no VPC endpoint: use Network::Public or Config::with_endpoint"
            ),
            ConfigError::InvalidRegion { region } => write!(
                f,
                "invalid region ID {region:?}: expected lowercase letters, digits and '-'"
            ),
            ConfigError::InvalidEndpoint { endpoint, reason } => {
                write!(f, "invalid endpoint {endpoint:?}: {reason}")
            }
            ConfigError::NoEndpoint { product } => write!(
                f,
                "{product} names no server URL: set one with Config::with_endpoint"
            ),
            ConfigError::NoFixedCredentials => f.write_str(
                "the credentials come from a provider: ask it for credentials and use \
                 ServiceClient::prepare_with_credentials",
            ),
            ConfigError::InvalidParameter { name, reason } => {
                write!(f, "invalid value for parameter `{name}`: {reason}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

type SharedTransport = Arc<OnceLock<Result<Arc<dyn Transport>, TransportError>>>;

#[derive(Clone)]
enum TransportSlot {
    /// Set by [`Config::with_transport`].
    Custom(Arc<dyn Transport>),
    /// The default transport, built on first use and shared by every clone of the config.
    Default(SharedTransport),
}

impl TransportSlot {
    fn default_slot() -> Self {
        TransportSlot::Default(Arc::new(OnceLock::new()))
    }
}

/// Settings shared by every product client: set up once, then pass `&config` to each
/// generated `Client::new`.
///
/// Defaults: no region, the public network, connect timeout 5 s, read timeout 10 s per
/// attempt, no overall deadline, [`RetryPolicy::default`], response bodies up to 64 MiB,
/// [`SignatureVersion::V3`], and a [`ReqwestTransport`] built on first use (one connection
/// pool shared by all clients made from this config and its clones).
///
/// Credentials come from a [`ProvideCredentials`]: fixed ones ([`Config::new`]), the default
/// chain ([`Config::from_default_chain`]) or any other provider ([`Config::from_provider`]).
/// The client asks it before signing each attempt.
///
/// `Debug` never shows the AccessKey secret or the security token.
///
/// ```
/// use acs_runtime::{Config, Credentials, Endpoint, ServiceInfo};
/// use std::time::Duration;
/// # static RESOURCE_MANAGER: ServiceInfo = ServiceInfo {
/// #     product: "ResourceManager",
/// #     api_version: "2020-03-31",
/// #     client: "acs-resourcemanager-20200331/0.1.0",
/// #     endpoint: Endpoint::Global { host: "resourcemanager.aliyuncs.com" },
/// #     region_endpoints: &[],
/// #     vpc_endpoint: None,
/// #     success_flag: None,
/// #     auth: &[],
/// # };
/// // In an application: `acs_resourcemanager_20200331::SERVICE`.
/// let config = Config::new(Credentials::new("id", "secret"))
///     .with_region("cn-hangzhou")
///     .with_endpoint(&RESOURCE_MANAGER, "http://127.0.0.1:8080")
///     .with_read_timeout(Duration::from_secs(30))
///     .with_deadline(Duration::from_secs(60));
/// assert_eq!(config.region(), Some("cn-hangzhou"));
/// assert_eq!(config.endpoint_override(&RESOURCE_MANAGER), Some("http://127.0.0.1:8080"));
/// ```
#[derive(Clone)]
pub struct Config {
    /// The credentials given to [`Config::new`], if that is how the config was made.
    credentials: Option<Credentials>,
    credentials_provider: Arc<dyn ProvideCredentials>,
    region: Option<String>,
    network: Network,
    /// Endpoint overrides: (product code, API version) → base URL.
    endpoints: Vec<((&'static str, &'static str), String)>,
    connect_timeout: Duration,
    read_timeout: Duration,
    deadline: Option<Duration>,
    max_response_bytes: usize,
    retry_policy: RetryPolicy,
    user_agent: Option<String>,
    signature_version: SignatureVersion,
    auth: AuthSecrets,
    transport: TransportSlot,
}

impl Config {
    /// A configuration with these fixed credentials and every default.
    pub fn new(credentials: Credentials) -> Self {
        let mut config = Self::from_provider(Arc::new(credentials.clone()));
        config.credentials = Some(credentials);
        config
    }

    /// A configuration whose credentials come from `provider`, with every other default.
    pub fn from_provider(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self {
            credentials: None,
            credentials_provider: provider,
            region: None,
            network: Network::Public,
            endpoints: Vec::new(),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            deadline: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry_policy: RetryPolicy::default(),
            user_agent: None,
            signature_version: SignatureVersion::V3,
            auth: AuthSecrets::default(),
            transport: TransportSlot::default_slot(),
        }
    }

    /// A configuration without Alibaba Cloud credentials, for plain REST APIs: they
    /// authenticate with what [`with_bearer_token`](Config::with_bearer_token),
    /// [`with_basic_auth`](Config::with_basic_auth) or [`with_api_key`](Config::with_api_key)
    /// set, or not at all. An Alibaba Cloud operation sent with it fails with a
    /// [`CredentialsError`](crate::CredentialsError).
    pub fn anonymous() -> Self {
        Self::from_provider(Arc::new(NoCredentials))
    }

    /// The token sent as `Authorization: Bearer <token>` to REST APIs that declare bearer
    /// (or OAuth 2) authentication.
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth.bearer_token = Some(Secret::new(token));
        self
    }

    /// The user and password sent as `Authorization: Basic ...` to REST APIs that declare
    /// basic authentication.
    pub fn with_basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth.basic = Some((user.into(), Secret::new(password)));
        self
    }

    /// The key sent to REST APIs that declare an API key, in the header or query parameter
    /// the API names.
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.auth.api_key = Some(Secret::new(key));
        self
    }

    /// The secrets for REST APIs.
    pub(crate) fn auth(&self) -> &AuthSecrets {
        &self.auth
    }

    /// Credentials from the [default chain](DefaultChain), as the official libraries find
    /// them (environment variables, OIDC role, CLI profile, credentials file, ECS instance
    /// role, credentials URI), and, if `ALIBABA_CLOUD_REGION_ID` is set and non-empty, that
    /// region.
    ///
    /// Nothing is read until the first call, which reports a [`CredentialsError`] listing
    /// what each provider found when none has credentials. The providers' HTTP calls use the
    /// default connect and read timeouts; for others, build the chain with
    /// [`ProviderOptions::from_config`] and pass it to
    /// [`with_credentials_provider`](Config::with_credentials_provider).
    ///
    /// [`CredentialsError`]: crate::credentials::CredentialsError
    pub fn from_default_chain() -> Self {
        // `ProviderOptions::new()` has the same timeouts as a new `Config`.
        let chain = DefaultChain::new(&ProviderOptions::new());
        let mut config = Config::from_provider(Arc::new(chain));
        if let Some(region) = env_non_empty(ENV_REGION_ID) {
            config = config.with_region(region);
        }
        config
    }

    /// Credentials from the environment variables only ([`Credentials::from_env`], read
    /// now) and, if `ALIBABA_CLOUD_REGION_ID` is set and non-empty, that region.
    ///
    /// [`Config::from_default_chain`] also finds profile files, OIDC and ECS roles, and
    /// refreshes temporary credentials; this function stays for code that wants the
    /// environment variables or an error now.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut config = Config::new(Credentials::from_env()?);
        if let Some(region) = env_non_empty(ENV_REGION_ID) {
            config = config.with_region(region);
        }
        Ok(config)
    }

    /// Takes credentials from `provider` from now on.
    pub fn with_credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = None;
        self.credentials_provider = provider;
        self
    }

    /// Sets the region (e.g. `cn-hangzhou`), used by products with regional endpoints.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends `service`'s requests to `endpoint` whatever the region and network: a base URL
    /// such as `http://127.0.0.1:8080` or `https://host`, where a bare host means `https`.
    ///
    /// The product is named by its generated crate's `SERVICE` (e.g.
    /// `&acs_cms_20190101::SERVICE`), so that a misspelt product does not compile. The
    /// override applies to that product and API version.
    pub fn with_endpoint(
        mut self,
        service: &'static ServiceInfo,
        endpoint: impl Into<String>,
    ) -> Self {
        let key = (service.product, service.api_version);
        let endpoint = endpoint.into();
        match self.endpoints.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = endpoint,
            None => self.endpoints.push((key, endpoint)),
        }
        self
    }

    /// Sets the network the endpoints are reached from (default [`Network::Public`]).
    pub fn with_network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// Sets an overall deadline per call, for every attempt and the pauses between them
    /// together (default: none; each attempt is still limited by the read timeout). A call
    /// past its deadline ends with a timeout error.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the largest response body accepted, in bytes (default 64 MiB). A larger answer is
    /// not read to its end and is reported as a decode error.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        if let TransportSlot::Default(_) = self.transport {
            self.transport = TransportSlot::default_slot();
        }
        self
    }

    /// Sets how long to wait for a connection (default 5 s). Applies to the default transport.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        if let TransportSlot::Default(_) = self.transport {
            self.transport = TransportSlot::default_slot();
        }
        self
    }

    /// Sets how long one attempt may take, from sending to the complete response body
    /// (default 10 s).
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Appends `user_agent` (after a space) to the `User-Agent` header, which starts with
    /// `acs-runtime/<version>`.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Chooses the signature version (default [`SignatureVersion::V3`]).
    pub fn with_signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// Replaces the HTTP transport (for tests, proxies, or another HTTP client).
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = TransportSlot::Custom(transport);
        self
    }

    /// The fixed credentials given to [`Config::new`]; `None` when a provider supplies them.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The provider the client asks for credentials before signing each attempt.
    pub fn credentials_provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.credentials_provider
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint override for `service`'s product and API version, as configured.
    pub fn endpoint_override(&self, service: &ServiceInfo) -> Option<&str> {
        self.endpoints
            .iter()
            .find(|(k, _)| *k == (service.product, service.api_version))
            .map(|(_, e)| e.as_str())
    }

    /// The network the endpoints are reached from.
    pub fn network(&self) -> Network {
        self.network
    }

    /// The overall deadline per call, if set.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The largest response body accepted, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The per-attempt read timeout.
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
    }

    /// The configured `User-Agent` suffix, if any.
    pub fn user_agent(&self) -> Option<&str> {
        self.user_agent.as_deref()
    }

    /// The complete `User-Agent` header value: `acs-runtime/<version>` followed by the
    /// configured suffix.
    pub fn user_agent_header(&self) -> String {
        let base = concat!("acs-runtime/", env!("CARGO_PKG_VERSION"));
        match &self.user_agent {
            Some(suffix) if !suffix.is_empty() => format!("{base} {suffix}"),
            _ => base.to_string(),
        }
    }

    /// The `User-Agent` of `service`'s requests: the client crate and its version, the
    /// runtime's, then `extra` (the value of `ALIBABA_CLOUD_USER_AGENT`, which
    /// [`ServiceClient::new`](crate::ServiceClient::new) reads) and the suffix set with
    /// [`with_user_agent`](Config::with_user_agent), each when present.
    ///
    /// ```
    /// use acs_runtime::{Config, Credentials, Endpoint, ServiceInfo};
    /// static SERVICE: ServiceInfo = ServiceInfo {
    ///     product: "Cms",
    ///     api_version: "2019-01-01",
    ///     client: "acs-cms-20190101/0.1.0",
    ///     endpoint: Endpoint::Global { host: "metrics.aliyuncs.com" },
    ///     region_endpoints: &[],
    ///     vpc_endpoint: None,
    ///     success_flag: None,
    ///     auth: &[],
    /// };
    /// let config = Config::new(Credentials::new("id", "secret")).with_user_agent("my-app/2");
    /// let agent = config.user_agent_for(&SERVICE, Some("team-x"));
    /// assert!(agent.starts_with("acs-cms-20190101/0.1.0 acs-runtime/"));
    /// assert!(agent.ends_with(" team-x my-app/2"));
    /// ```
    pub fn user_agent_for(&self, service: &ServiceInfo, extra: Option<&str>) -> String {
        let runtime = concat!("acs-runtime/", env!("CARGO_PKG_VERSION"));
        let mut parts = vec![service.client, runtime];
        parts.extend(extra.map(str::trim).filter(|e| !e.is_empty()));
        parts.extend(self.user_agent.as_deref().filter(|s| !s.is_empty()));
        parts.join(" ")
    }

    /// The signature version.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature_version
    }

    /// The transport: the one set with [`with_transport`](Config::with_transport), or the
    /// default [`ReqwestTransport`], built on the first call. Fails if the default transport
    /// cannot be built (for example when no TLS backend can be initialised).
    pub fn transport(&self) -> Result<Arc<dyn Transport>, TransportError> {
        match &self.transport {
            TransportSlot::Custom(transport) => Ok(Arc::clone(transport)),
            TransportSlot::Default(cell) => cell
                .get_or_init(|| {
                    ReqwestTransport::new(self.connect_timeout).map(|t| {
                        Arc::new(t.with_max_response_bytes(self.max_response_bytes))
                            as Arc<dyn Transport>
                    })
                })
                .clone(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let transport: &dyn fmt::Debug = match &self.transport {
            TransportSlot::Custom(t) => t,
            TransportSlot::Default(_) => &"default (reqwest)",
        };
        f.debug_struct("Config")
            .field("credentials", &self.credentials_provider)
            .field("region", &self.region)
            .field("network", &self.network)
            .field("endpoints", &self.endpoints)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("deadline", &self.deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry_policy", &self.retry_policy)
            .field("user_agent", &self.user_agent)
            .field("signature_version", &self.signature_version)
            .field("auth", &self.auth)
            .field("transport", transport)
            .finish()
    }
}

/// The credentials provider of [`Config::anonymous`]: there are none.
#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> crate::credentials::CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(crate::CredentialsError::new(
            "anonymous",
            "the configuration has no Alibaba Cloud credentials (Config::anonymous)",
        ))))
    }
}
