//! STS `AssumeRole`, signed with the credentials of another provider.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;

use super::cache::CredentialsCache;
use super::http::HttpClient;
use super::options::ProviderOptions;
use super::sts::{join, sts_credentials, RoleSession, STS_VERSION};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::signing;

const NAME: &str = "ram_role_arn";

/// Temporary credentials of a RAM role, assumed with STS `AssumeRole` using the credentials
/// of another provider (provider name `ram_role_arn`).
///
/// The request is the one the official libraries send: `GET <sts>/?Action=AssumeRole&
/// Format=JSON&Version=2015-04-01&DurationSeconds=…&RoleArn=…&RoleSessionName=…&
/// SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&Timestamp=…&SignatureNonce=…[&Policy=…]
/// [&ExternalId=…]&AccessKeyId=…[&SecurityToken=…]&Signature=…`, signed with HMAC-SHA1 (V1)
/// by the source credentials. The credentials are cached and refreshed 15 minutes before
/// they expire.
///
/// ```
/// use acs_runtime::credentials::{AssumeRoleProvider, ProviderOptions};
/// use acs_runtime::{Config, Credentials};
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// let source = Arc::new(Credentials::new("LTAI5t...", "secret"));
/// let role = AssumeRoleProvider::new(source, "acs:ram::123456:role/reader", &ProviderOptions::new())
///     .with_session_name("nightly-report")
///     .with_duration(Duration::from_secs(900));
/// let config = Config::from_provider(Arc::new(role));
/// ```
pub struct AssumeRoleProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session: RoleSession,
    external_id: Option<String>,
    sts_endpoint: String,
    http: HttpClient,
    cache: CredentialsCache,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` with the credentials `source` provides; the session name from
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME` (else `credentials-rust-<time>`), the session length
    /// 3600 s, the STS endpoint and timeouts from `options`.
    pub fn new(
        source: Arc<dyn ProvideCredentials>,
        role_arn: impl Into<String>,
        options: &ProviderOptions,
    ) -> Self {
        Self {
            source,
            role_arn: role_arn.into(),
            session: RoleSession::new(options),
            external_id: None,
            sts_endpoint: options.sts_endpoint(),
            http: HttpClient::new(options.connect_timeout, options.read_timeout),
            cache: CredentialsCache::default(),
        }
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

    /// Sets the `ExternalId` the role's trust policy asks for.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        let id = external_id.into();
        self.external_id = if id.is_empty() { None } else { Some(id) };
        self
    }

    /// Sends the STS call to this base URL.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = endpoint.into();
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        self.session.check(NAME)?;
        let source = self.source.provide_credentials().await.map_err(|err| {
            CredentialsError::new(
                NAME,
                format!("cannot get the credentials to assume the role with: {err}"),
            )
            .with_cause(err)
        })?;
        let mut params: Vec<(String, String)> = [
            ("Action", "AssumeRole"),
            ("Format", "JSON"),
            ("Version", STS_VERSION),
            (
                "DurationSeconds",
                &self.session.duration.as_secs().to_string(),
            ),
            ("RoleArn", &self.role_arn),
            ("RoleSessionName", &self.session.name),
            ("SignatureMethod", signing::V1_SIGNATURE_METHOD),
            ("SignatureVersion", signing::V1_SIGNATURE_VERSION),
            ("Timestamp", &signing::timestamp_now()),
            ("SignatureNonce", &signing::new_nonce()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if let Some(policy) = &self.session.policy {
            params.push(("Policy".into(), policy.clone()));
        }
        if let Some(id) = &self.external_id {
            params.push(("ExternalId".into(), id.clone()));
        }
        params.push(("AccessKeyId".into(), source.access_key_id().to_string()));
        if let Some(token) = source.security_token() {
            params.push(("SecurityToken".into(), token.to_string()));
        }
        let signature = signing::sign_v1("GET", &params, source.access_key_secret());
        params.push(("Signature".into(), signature.signature));
        let query = signing::encode_query(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let url = format!("{}?{query}", join(&self.sts_endpoint, "/"));
        let what = "AssumeRole";
        let reply = self.http.send(NAME, what, Method::GET, &url, &[]).await?;
        sts_credentials(NAME, what, &reply)
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get(NAME, || self.fetch()))
    }
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session.name)
            .field("duration", &self.session.duration)
            .field("policy", &self.session.policy.is_some())
            .field("external_id", &self.external_id.is_some())
            .field("sts_endpoint", &self.sts_endpoint)
            .finish_non_exhaustive()
    }
}
