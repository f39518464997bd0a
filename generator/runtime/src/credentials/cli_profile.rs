//! The Alibaba Cloud CLI's profiles: `~/.aliyun/config.json`.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::assume_role::AssumeRoleProvider;
use super::ecs::EcsRoleProvider;
use super::oidc::OidcRoleProvider;
use super::options::ProviderOptions;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

const NAME: &str = "cli_profile";
/// How deep `ChainableRamRoleArn` profiles may refer to one another.
const MAX_CHAIN: usize = 8;

/// Credentials from a profile of the Alibaba Cloud CLI's configuration,
/// `~/.aliyun/config.json` (provider name `cli_profile`).
///
/// The profile is the one named (`ALIBABA_CLOUD_PROFILE`), else the file's `current`. Its
/// `mode` decides where the credentials come from: `AK` (`access_key_id`,
/// `access_key_secret`), `StsToken` (and `sts_token`), `RamRoleArn` (STS `AssumeRole` of
/// `ram_role_arn` with the profile's AccessKey; `ram_session_name`, `expired_seconds`,
/// `policy`, `external_id`, `sts_region`, `enable_vpc`), `ChainableRamRoleArn` (the same,
/// with the credentials of `source_profile`), `EcsRamRole` (`ram_role_name`) and `OIDC`
/// (`ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`). The CLI's interactive modes
/// (`CloudSSO`, `OAuth`, `External`) are reported as unsupported.
///
/// The file is read at the first call; once it gave a provider, that provider is kept.
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turns this provider off.
pub struct CliProfileProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
    options: ProviderOptions,
    inner: Mutex<Option<Arc<dyn ProvideCredentials>>>,
}

impl CliProfileProvider {
    /// Reads `<home>/.aliyun/config.json` and the profile named by `ALIBABA_CLOUD_PROFILE`,
    /// home and variables from the options' environment.
    pub fn new(options: &ProviderOptions) -> Self {
        Self {
            path: options
                .env
                .home()
                .map(|home| home.join(".aliyun").join("config.json")),
            profile: options.env.get("ALIBABA_CLOUD_PROFILE"),
            options: options.clone(),
            inner: Mutex::new(None),
        }
    }

    /// Reads this file instead.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile instead of `ALIBABA_CLOUD_PROFILE` or the file's `current`.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn load(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        if let Some(provider) = self.lock().as_ref() {
            return Ok(Arc::clone(provider));
        }
        if self
            .options
            .env
            .is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")
        {
            return Err(error(
                "the CLI profile is disabled (ALIBABA_CLOUD_CLI_PROFILE_DISABLED)",
            ));
        }
        let path = self
            .path
            .as_ref()
            .ok_or_else(|| error("no home directory to find .aliyun/config.json in"))?;
        let text = std::fs::read_to_string(path).map_err(|err| {
            error(format!(
                "cannot read the CLI configuration {}: {err}",
                path.display()
            ))
            .with_cause(err)
        })?;
        let config: Value = serde_json::from_str(&text).map_err(|err| {
            error(format!(
                "the CLI configuration {} is not valid JSON: {err}",
                path.display()
            ))
            .with_cause(err)
        })?;
        let profile = match &self.profile {
            Some(profile) => profile.clone(),
            None => text_field(&config, "current").ok_or_else(|| {
                error(format!(
                    "no profile is named (ALIBABA_CLOUD_PROFILE) and {} has no `current`",
                    path.display()
                ))
            })?,
        };
        let provider = provider_for(&config, &profile, &self.options, 0)?;
        *self.lock() = Some(Arc::clone(&provider));
        Ok(provider)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<dyn ProvideCredentials>>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn error(message: impl Into<String>) -> CredentialsError {
    CredentialsError::new(NAME, message)
}

fn text_field(value: &Value, name: &str) -> Option<String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// The provider a profile of `config` describes.
fn provider_for(
    config: &Value,
    name: &str,
    options: &ProviderOptions,
    depth: usize,
) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    if depth > MAX_CHAIN {
        return Err(error(format!(
            "profile {name:?}: source_profile chain longer than {MAX_CHAIN} (a loop?)"
        )));
    }
    let profile = config
        .get("profiles")
        .and_then(Value::as_array)
        .and_then(|profiles| {
            profiles
                .iter()
                .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        })
        .ok_or_else(|| {
            error(format!(
                "no profile named {name:?} in the CLI configuration"
            ))
        })?;
    let field = |key: &str| text_field(profile, key);
    let required =
        |key: &str| field(key).ok_or_else(|| error(format!("profile {name:?} has no `{key}`")));
    let access_key = || -> Result<Credentials, CredentialsError> {
        Ok(Credentials::new(
            required("access_key_id")?,
            required("access_key_secret")?,
        ))
    };
    let assume_role = |source: Arc<dyn ProvideCredentials>| -> Result<_, CredentialsError> {
        let mut provider = AssumeRoleProvider::new(source, required("ram_role_arn")?, options)
            .with_sts_endpoint(sts_endpoint(profile, options));
        if let Some(session) = field("ram_session_name") {
            provider = provider.with_session_name(session);
        }
        if let Some(seconds) = profile.get("expired_seconds").and_then(Value::as_u64) {
            provider = provider.with_duration(Duration::from_secs(seconds));
        }
        if let Some(policy) = field("policy") {
            provider = provider.with_policy(policy);
        }
        if let Some(id) = field("external_id") {
            provider = provider.with_external_id(id);
        }
        Ok(Arc::new(provider) as Arc<dyn ProvideCredentials>)
    };
    let mode = field("mode").unwrap_or_default();
    match mode.as_str() {
        "AK" => Ok(Arc::new(access_key()?)),
        "StsToken" => Ok(Arc::new(
            access_key()?.with_security_token(required("sts_token")?),
        )),
        "RamRoleArn" => assume_role(Arc::new(access_key()?)),
        "ChainableRamRoleArn" => {
            let source = required("source_profile")?;
            assume_role(provider_for(config, &source, options, depth + 1)?)
        }
        "EcsRamRole" => {
            let mut provider = EcsRoleProvider::new(options);
            if let Some(role) = field("ram_role_name") {
                provider = provider.with_role_name(role);
            }
            Ok(Arc::new(provider))
        }
        "OIDC" => {
            let mut provider = OidcRoleProvider::new(
                required("ram_role_arn")?,
                required("oidc_provider_arn")?,
                required("oidc_token_file")?,
                options,
            )
            .with_sts_endpoint(sts_endpoint(profile, options));
            if let Some(session) = field("role_session_name") {
                provider = provider.with_session_name(session);
            }
            if let Some(seconds) = profile.get("expired_seconds").and_then(Value::as_u64) {
                provider = provider.with_duration(Duration::from_secs(seconds));
            }
            if let Some(policy) = field("policy") {
                provider = provider.with_policy(policy);
            }
            Ok(Arc::new(provider))
        }
        other => Err(error(format!(
            "profile {name:?} has mode {other:?}, which is not supported \
             (supported: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC)"
        ))),
    }
}

fn sts_endpoint(profile: &Value, options: &ProviderOptions) -> String {
    options.sts_endpoint_for(
        profile.get("sts_region").and_then(Value::as_str),
        profile.get("enable_vpc").and_then(Value::as_bool),
    )
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let provider = self.load()?;
            provider.provide_credentials().await.map_err(|err| {
                let message = format!("{err}");
                error(message).with_cause(err)
            })
        })
    }
}

impl fmt::Debug for CliProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliProfileProvider")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}
