//! Temporary credentials from a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`).

use std::fmt;

use reqwest::Method;

use super::cache::CredentialsCache;
use super::http::HttpClient;
use super::options::ProviderOptions;
use super::sts::{json_body, temporary_credentials};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

const NAME: &str = "credential_uri";

/// Temporary credentials from a URL answering `GET` with
/// `{"Code": "Success", "AccessKeyId": …, "AccessKeySecret": …, "SecurityToken": …,
/// "Expiration": "2006-01-02T15:04:05Z"}` (provider name `credential_uri`), cached and
/// refreshed 15 minutes before they expire.
pub struct CredentialsUriProvider {
    uri: String,
    http: HttpClient,
    cache: CredentialsCache,
}

impl CredentialsUriProvider {
    /// Asks `uri`, with the timeouts of `options`.
    pub fn new(uri: impl Into<String>, options: &ProviderOptions) -> Self {
        Self {
            uri: uri.into(),
            http: HttpClient::new(options.connect_timeout, options.read_timeout),
            cache: CredentialsCache::default(),
        }
    }

    /// Asks the URL in `ALIBABA_CLOUD_CREDENTIALS_URI` of the options' environment; `None`
    /// when it is not set.
    pub fn from_env(options: &ProviderOptions) -> Option<Self> {
        let uri = options.env.get("ALIBABA_CLOUD_CREDENTIALS_URI")?;
        Some(Self::new(uri, options))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let what = "the credentials URI request";
        let reply = self
            .http
            .send(NAME, what, Method::GET, &self.uri, &[])
            .await?;
        let value = json_body(NAME, what, &reply)?;
        let code = value
            .get("Code")
            .and_then(|c| c.as_str())
            .unwrap_or_default();
        if code != "Success" {
            return Err(CredentialsError::new(
                NAME,
                format!("the credentials URI answered with Code {code:?}, not \"Success\""),
            ));
        }
        temporary_credentials(NAME, what, &value)
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get(NAME, || self.fetch()))
    }
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URI may carry a token in its query: show the scheme, host and path only.
        let shown = self.uri.split(['?', '#']).next().unwrap_or_default();
        f.debug_struct("CredentialsUriProvider")
            .field("uri", &shown)
            .finish_non_exhaustive()
    }
}
