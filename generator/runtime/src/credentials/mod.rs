//! Credentials and the providers that supply them, resolved as the official Alibaba Cloud
//! credentials libraries resolve them.
//!
//! A [`Config`](crate::Config) holds one [`ProvideCredentials`]; the client asks it for
//! [`Credentials`] before signing each attempt. Providers:
//!
//! | provider | source |
//! | --- | --- |
//! | [`Credentials`] itself | fixed values given in code |
//! | [`EnvironmentProvider`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `_SECRET`, `_SECURITY_TOKEN` |
//! | [`OidcRoleProvider`] | STS `AssumeRoleWithOIDC` with an OIDC token file (ACK RRSA) |
//! | [`CliProfileProvider`] | the Alibaba Cloud CLI's `~/.aliyun/config.json` |
//! | [`ProfileFileProvider`] | the `~/.alibabacloud/credentials.ini` file |
//! | [`EcsRoleProvider`] | the RAM role of an ECS instance, from the metadata service |
//! | [`CredentialsUriProvider`] | a URL answering with temporary credentials |
//! | [`AssumeRoleProvider`] | STS `AssumeRole`, signed with another provider's credentials |
//! | [`DefaultChain`] | the first of the above that has credentials, in the official order |
//!
//! Providers of temporary credentials cache them and fetch new ones 15 minutes before they
//! expire, one fetch at a time however many calls wait ([`CachingProvider`] does the same for
//! a provider of your own). Every endpoint, path and environment variable a provider reads can
//! be replaced through [`ProviderOptions`] or the provider's own setters. No secret is ever
//! part of a `Debug` or `Display` output, nor of an error message.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

mod assume_role;
mod cache;
mod chain;
mod cli_profile;
mod ecs;
mod env;
mod http;
mod ini_profile;
mod oidc;
mod options;
mod sts;
mod uri;

pub use assume_role::AssumeRoleProvider;
pub use cache::CachingProvider;
pub use chain::DefaultChain;
pub use cli_profile::CliProfileProvider;
pub use ecs::EcsRoleProvider;
pub use env::{Env, EnvironmentProvider};
pub use ini_profile::ProfileFileProvider;
pub use oidc::OidcRoleProvider;
pub use options::ProviderOptions;
pub use uri::CredentialsUriProvider;

/// An AccessKey pair, optionally with an STS security token and the time it expires.
///
/// `Debug` shows the AccessKey ID but never the secret or the token.
///
/// ```
/// use acs_runtime::Credentials;
/// let creds = Credentials::new("LTAI5tExample", "secret").with_security_token("token");
/// let shown = format!("{creds:?}");
/// assert!(shown.contains("LTAI5tExample"));
/// assert!(!shown.contains("secret\"") && !shown.contains("token\""));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials: an AccessKey ID and its secret.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiry: None,
        }
    }

    /// Adds an STS security token (temporary credentials). Requests then carry
    /// `x-acs-security-token` and `x-acs-accesskey-id` (V3) or `SecurityToken` (V1).
    /// An empty token is ignored.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.security_token = if token.is_empty() { None } else { Some(token) };
        self
    }

    /// Sets the time after which the service rejects these credentials. Caching providers
    /// fetch new ones before then.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and the optional
    /// `ALIBABA_CLOUD_SECURITY_TOKEN`. The ID and the secret must both be set and non-empty.
    /// ([`EnvironmentProvider`] reads the same variables at every call.)
    pub fn from_env() -> Result<Self, crate::ConfigError> {
        env::credentials_from(&Env::process())
    }

    /// The AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret. Keep it out of logs.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The STS security token, if any. Keep it out of logs.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    /// Whether an STS security token is set.
    pub fn has_security_token(&self) -> bool {
        self.security_token.is_some()
    }

    /// When these credentials expire; `None` for long-term credentials.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// What [`ProvideCredentials::provide_credentials`] returns: a boxed future, so that the trait
/// can be used as `dyn ProvideCredentials`.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. The client calls it before signing every attempt, so an
/// implementation that fetches credentials over the network should cache them (wrap it in a
/// [`CachingProvider`]).
///
/// ```
/// use acs_runtime::credentials::{CredentialsError, CredentialsFuture, ProvideCredentials};
/// use acs_runtime::{Config, Credentials};
/// use std::sync::Arc;
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> CredentialsFuture<'_> {
///         Box::pin(async {
///             // Ask a secret store here; report failures as errors naming the provider.
///             Err(CredentialsError::new("vault", "the vault is sealed"))
///         })
///     }
/// }
///
/// let config = Config::from_provider(Arc::new(FromVault));
/// ```
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// The credentials to sign the next request with.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// A provider could not supply credentials. The message names the provider and says what
/// went wrong; it never holds a secret.
#[derive(Debug, Clone)]
pub struct CredentialsError {
    provider: String,
    message: String,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
}

impl CredentialsError {
    /// An error of `provider` (a short name such as `ecs_ram_role`).
    pub fn new(provider: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
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

    /// The underlying error, if any, for downcasting.
    pub fn cause(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.source.as_deref()
    }

    /// The name of the provider that failed, e.g. `ecs_ram_role` or `default`.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "credentials provider `{}` failed: {}",
            self.provider, self.message
        )
    }
}

/// The message describes the underlying error, so it is not repeated as `source()`.
impl StdError for CredentialsError {}
