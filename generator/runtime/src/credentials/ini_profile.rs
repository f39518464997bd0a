//! The shared credentials file: `~/.alibabacloud/credentials.ini`.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use ini::{Ini, ParseOption, Properties};

use super::assume_role::AssumeRoleProvider;
use super::ecs::EcsRoleProvider;
use super::oidc::OidcRoleProvider;
use super::options::ProviderOptions;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

const NAME: &str = "profile";

/// Credentials from a section of the INI file the official libraries share,
/// `~/.alibabacloud/credentials.ini` or the file named by `ALIBABA_CLOUD_CREDENTIALS_FILE`
/// (provider name `profile`).
///
/// The section is the one named by `ALIBABA_CLOUD_PROFILE`, else `default`. Its `type`
/// decides where the credentials come from: `access_key` (`access_key_id`,
/// `access_key_secret`), `ram_role_arn` (STS `AssumeRole` of `role_arn` with that AccessKey;
/// `role_session_name`, `policy`), `oidc_role_arn` (`role_arn`, `oidc_provider_arn`,
/// `oidc_token_file_path`, `role_session_name`, `policy`) and `ecs_ram_role` (`role_name`).
/// `rsa_key_pair` is reported as unsupported (its STS API only serves the Japan site).
/// Text after `#` in a value is a comment.
///
/// ```ini
/// [default]
/// type = access_key
/// access_key_id = LTAI5t...
/// access_key_secret = ...
/// ```
///
/// The file is read at the first call; once it gave a provider, that provider is kept.
pub struct ProfileFileProvider {
    path: Option<PathBuf>,
    section: String,
    options: ProviderOptions,
    inner: Mutex<Option<Arc<dyn ProvideCredentials>>>,
}

impl ProfileFileProvider {
    /// Reads `ALIBABA_CLOUD_CREDENTIALS_FILE` or `<home>/.alibabacloud/credentials.ini`, the
    /// section `ALIBABA_CLOUD_PROFILE` or `default`, all from the options' environment.
    pub fn new(options: &ProviderOptions) -> Self {
        let env = &options.env;
        let path = env
            .get("ALIBABA_CLOUD_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| {
                env.home()
                    .map(|home| home.join(".alibabacloud").join("credentials.ini"))
            });
        Self {
            path,
            section: env
                .get("ALIBABA_CLOUD_PROFILE")
                .unwrap_or_else(|| "default".to_string()),
            options: options.clone(),
            inner: Mutex::new(None),
        }
    }

    /// Reads this file instead.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this section instead.
    pub fn with_profile(mut self, section: impl Into<String>) -> Self {
        self.section = section.into();
        self
    }

    fn lock(&self) -> MutexGuard<'_, Option<Arc<dyn ProvideCredentials>>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn load(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        if let Some(provider) = self.lock().as_ref() {
            return Ok(Arc::clone(provider));
        }
        let path = self
            .path
            .as_ref()
            .ok_or_else(|| error("no home directory to find .alibabacloud/credentials.ini in"))?;
        let text = std::fs::read_to_string(path).map_err(|err| {
            error(format!(
                "cannot read the credentials file {}: {err}",
                path.display()
            ))
            .with_cause(err)
        })?;
        // Values are taken as written: no quotes or backslash escapes, as Python's
        // configparser (the official library's reader) takes them.
        let option = ParseOption {
            enabled_quote: false,
            enabled_escape: false,
            ..ParseOption::default()
        };
        let ini = Ini::load_from_str_opt(&text, option).map_err(|err| {
            error(format!(
                "the credentials file {} is not a valid INI file: {err}",
                path.display()
            ))
            .with_cause(err)
        })?;
        let section = ini.section(Some(self.section.as_str())).ok_or_else(|| {
            error(format!(
                "the credentials file {} has no section [{}]",
                path.display(),
                self.section
            ))
        })?;
        let provider = provider_for(section, &self.section, &self.options)?;
        *self.lock() = Some(Arc::clone(&provider));
        Ok(provider)
    }
}

fn error(message: impl Into<String>) -> CredentialsError {
    CredentialsError::new(NAME, message)
}

/// A value with any `# comment` removed; `None` when empty.
fn value(section: &Properties, key: &str) -> Option<String> {
    let raw = section.get(key)?;
    let text = raw.split('#').next().unwrap_or_default().trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn provider_for(
    section: &Properties,
    name: &str,
    options: &ProviderOptions,
) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    let required = |key: &str| {
        value(section, key).ok_or_else(|| error(format!("section [{name}] has no `{key}`")))
    };
    let kind = value(section, "type").unwrap_or_default();
    match kind.as_str() {
        "access_key" => Ok(Arc::new(Credentials::new(
            required("access_key_id")?,
            required("access_key_secret")?,
        ))),
        "ram_role_arn" => {
            let source =
                Credentials::new(required("access_key_id")?, required("access_key_secret")?);
            let mut provider =
                AssumeRoleProvider::new(Arc::new(source), required("role_arn")?, options);
            if let Some(session) = value(section, "role_session_name") {
                provider = provider.with_session_name(session);
            }
            if let Some(policy) = value(section, "policy") {
                provider = provider.with_policy(policy);
            }
            Ok(Arc::new(provider))
        }
        "oidc_role_arn" => {
            let mut provider = OidcRoleProvider::new(
                required("role_arn")?,
                required("oidc_provider_arn")?,
                required("oidc_token_file_path")?,
                options,
            );
            if let Some(session) = value(section, "role_session_name") {
                provider = provider.with_session_name(session);
            }
            if let Some(policy) = value(section, "policy") {
                provider = provider.with_policy(policy);
            }
            Ok(Arc::new(provider))
        }
        "ecs_ram_role" => {
            let mut provider = EcsRoleProvider::new(options);
            if let Some(role) = value(section, "role_name") {
                provider = provider.with_role_name(role);
            }
            Ok(Arc::new(provider))
        }
        other => Err(error(format!(
            "section [{name}] has type {other:?}, which is not supported \
             (supported: access_key, ram_role_arn, oidc_role_arn, ecs_ram_role)"
        ))),
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let provider = self.load()?;
            provider.provide_credentials().await.map_err(|err| {
                let message = err.to_string();
                error(message).with_cause(err)
            })
        })
    }
}

impl fmt::Debug for ProfileFileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFileProvider")
            .field("path", &self.path)
            .field("section", &self.section)
            .finish_non_exhaustive()
    }
}
