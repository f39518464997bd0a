//! The default provider chain, in the official libraries' order.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use super::cli_profile::CliProfileProvider;
use super::ecs::EcsRoleProvider;
use super::env::EnvironmentProvider;
use super::ini_profile::ProfileFileProvider;
use super::oidc::OidcRoleProvider;
use super::options::ProviderOptions;
use super::uri::CredentialsUriProvider;
use super::{CredentialsError, CredentialsFuture, ProvideCredentials};

const NAME: &str = "default";

/// The providers the official libraries try, in their order, taking the first that gives
/// credentials (provider name `default`):
///
/// 1. environment variables ([`EnvironmentProvider`]);
/// 2. the OIDC role ([`OidcRoleProvider`]), only when `ALIBABA_CLOUD_ROLE_ARN`,
///    `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set;
/// 3. the CLI profile, `~/.aliyun/config.json` ([`CliProfileProvider`]), unless
///    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
/// 4. the credentials file, `~/.alibabacloud/credentials.ini` ([`ProfileFileProvider`]);
/// 5. the ECS instance's RAM role ([`EcsRoleProvider`]), unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
/// 6. the credentials URI ([`CredentialsUriProvider`]), only when
///    `ALIBABA_CLOUD_CREDENTIALS_URI` is set.
///
/// Which providers take part is decided when the chain is made. Once one has given
/// credentials, the chain keeps asking that one only (as the official libraries do), so a
/// later failure is its error and not a silent switch to other credentials. When none
/// gives credentials, the error lists what each one reported.
///
/// ```
/// use acs_runtime::credentials::{DefaultChain, Env, ProviderOptions};
/// let options = ProviderOptions::new().with_env(Env::from_vars([
///     ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
/// ]));
/// let chain = DefaultChain::new(&options);
/// assert_eq!(chain.provider_names(), ["env", "cli_profile", "profile"]);
/// ```
pub struct DefaultChain {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
    chosen: Mutex<Option<usize>>,
}

impl DefaultChain {
    /// The chain for the environment, endpoints and timeouts of `options`.
    pub fn new(options: &ProviderOptions) -> Self {
        let env = &options.env;
        let mut providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)> =
            vec![("env", Arc::new(EnvironmentProvider::with_env(env.clone())))];
        if let Some(oidc) = OidcRoleProvider::from_env(options) {
            providers.push(("oidc_role_arn", Arc::new(oidc)));
        }
        if !env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            providers.push(("cli_profile", Arc::new(CliProfileProvider::new(options))));
        }
        providers.push(("profile", Arc::new(ProfileFileProvider::new(options))));
        if !env.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            providers.push(("ecs_ram_role", Arc::new(EcsRoleProvider::new(options))));
        }
        if let Some(uri) = CredentialsUriProvider::from_env(options) {
            providers.push(("credential_uri", Arc::new(uri)));
        }
        Self {
            providers,
            chosen: Mutex::new(None),
        }
    }

    /// The chain for the process environment and the default endpoints and timeouts.
    pub fn from_env() -> Self {
        Self::new(&ProviderOptions::new())
    }

    /// The names of the providers in the chain, in order.
    pub fn provider_names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|(name, _)| *name).collect()
    }

    fn chosen(&self) -> MutexGuard<'_, Option<usize>> {
        self.chosen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let chosen = *self.chosen();
            if let Some(index) = chosen {
                let (name, provider) = &self.providers[index];
                return provider.provide_credentials().await.map_err(|err| {
                    CredentialsError::new(NAME, format!("{name}: {}", err.message()))
                        .with_cause(err)
                });
            }
            let mut failures = Vec::with_capacity(self.providers.len());
            for (index, (name, provider)) in self.providers.iter().enumerate() {
                match provider.provide_credentials().await {
                    Ok(creds) => {
                        *self.chosen() = Some(index);
                        return Ok(creds);
                    }
                    Err(err) => failures.push(format!("{name}: {}", err.message())),
                }
            }
            Err(CredentialsError::new(
                NAME,
                format!(
                    "no provider in the chain has credentials ({})",
                    failures.join("; ")
                ),
            ))
        })
    }
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("providers", &self.providers)
            .field("chosen", &*self.chosen())
            .finish()
    }
}
