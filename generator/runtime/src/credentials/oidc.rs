//! STS `AssumeRoleWithOIDC` with an OIDC token file: RRSA on Alibaba Cloud Kubernetes.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::Method;

use super::cache::CredentialsCache;
use super::http::HttpClient;
use super::options::ProviderOptions;
use super::sts::{join, sts_credentials, RoleSession, STS_VERSION};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::signing;

const NAME: &str = "oidc_role_arn";

/// Temporary credentials of a RAM role assumed with an OIDC token (STS
/// `AssumeRoleWithOIDC`; provider name `oidc_role_arn`). This is how pods on ACK get
/// credentials with RRSA: `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are set in the pod.
///
/// The token file is read at every fetch (it is rotated). The request is
/// `GET <sts>/?Action=AssumeRoleWithOIDC&Format=JSON&Version=2015-04-01&DurationSeconds=…&
/// RoleArn=…&OIDCProviderArn=…&OIDCToken=…&RoleSessionName=…&Timestamp=…[&Policy=…]`,
/// unsigned: the token is the proof. The credentials are cached and refreshed 15 minutes
/// before they expire.
pub struct OidcRoleProvider {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    session: RoleSession,
    sts_endpoint: String,
    http: HttpClient,
    cache: CredentialsCache,
}

impl OidcRoleProvider {
    /// Assumes `role_arn` through `oidc_provider_arn` with the token in `token_file`; the
    /// session name from `ALIBABA_CLOUD_ROLE_SESSION_NAME` (else `credentials-rust-<time>`),
    /// the STS endpoint and timeouts from `options`.
    pub fn new(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
        options: &ProviderOptions,
    ) -> Self {
        Self {
            role_arn: role_arn.into(),
            oidc_provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            session: RoleSession::new(options),
            sts_endpoint: options.sts_endpoint(),
            http: HttpClient::new(options.connect_timeout, options.read_timeout),
            cache: CredentialsCache::default(),
        }
    }

    /// From `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` in the options' environment; `None` unless all three
    /// are set.
    pub fn from_env(options: &ProviderOptions) -> Option<Self> {
        let env = &options.env;
        let role_arn = env.get("ALIBABA_CLOUD_ROLE_ARN")?;
        let provider_arn = env.get("ALIBABA_CLOUD_OIDC_PROVIDER_ARN")?;
        let token_file = env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE")?;
        Some(Self::new(role_arn, provider_arn, token_file, options))
    }

    /// Sets the `RoleSessionName`.
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session.set_name(name.into());
        self
    }

    /// Sets the session length (`DurationSeconds`, at least 900 s; default 3600 s).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.session.duration = duration;
        self
    }

    /// Restricts the session with a policy document (`Policy`, JSON).
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.session.set_policy(policy.into());
        self
    }

    /// Sends the STS call to this base URL.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = endpoint.into();
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        self.session.check(NAME)?;
        let token = std::fs::read_to_string(&self.token_file).map_err(|err| {
            CredentialsError::new(
                NAME,
                format!(
                    "cannot read the OIDC token file {}: {err}",
                    self.token_file.display()
                ),
            )
            .with_cause(err)
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::new(
                NAME,
                format!("the OIDC token file {} is empty", self.token_file.display()),
            ));
        }
        let duration = self.session.duration.as_secs().to_string();
        let timestamp = signing::timestamp_now();
        let mut query = vec![
            ("Action", "AssumeRoleWithOIDC"),
            ("Format", "JSON"),
            ("Version", STS_VERSION),
            ("DurationSeconds", duration.as_str()),
            ("RoleArn", self.role_arn.as_str()),
            ("OIDCProviderArn", self.oidc_provider_arn.as_str()),
            ("OIDCToken", token),
            ("RoleSessionName", self.session.name.as_str()),
            ("Timestamp", timestamp.as_str()),
        ];
        if let Some(policy) = &self.session.policy {
            query.push(("Policy", policy.as_str()));
        }
        let url = format!(
            "{}?{}",
            join(&self.sts_endpoint, "/"),
            signing::encode_query(query)
        );
        let what = "AssumeRoleWithOIDC";
        let reply = self.http.send(NAME, what, Method::GET, &url, &[]).await?;
        sts_credentials(NAME, what, &reply)
    }
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get(NAME, || self.fetch()))
    }
}

impl fmt::Debug for OidcRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleProvider")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("token_file", &self.token_file)
            .field("session_name", &self.session.name)
            .field("duration", &self.session.duration)
            .field("policy", &self.session.policy.is_some())
            .field("sts_endpoint", &self.sts_endpoint)
            .finish_non_exhaustive()
    }
}
