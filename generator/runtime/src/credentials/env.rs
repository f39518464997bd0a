//! Environment variables: where providers read them, and the provider of
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `_SECURITY_TOKEN`.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::{ConfigError, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN};

/// Where providers read environment variables: the process environment, or a fixed set of
/// variables (for tests, or to pin a configuration).
///
/// Only non-empty values count: an empty variable is treated as unset, as the official
/// libraries do. `Debug` lists the variable names only.
///
/// ```
/// use acs_runtime::credentials::Env;
/// let env = Env::from_vars([("HOME", "/tmp/home"), ("ALIBABA_CLOUD_PROFILE", "")]);
/// assert_eq!(env.get("HOME").as_deref(), Some("/tmp/home"));
/// assert_eq!(env.get("ALIBABA_CLOUD_PROFILE"), None);
/// ```
#[derive(Clone, Default)]
pub struct Env {
    /// `None`: the process environment, read at each look-up.
    fixed: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment, read at each look-up.
    pub fn process() -> Self {
        Self { fixed: None }
    }

    /// These variables and no others.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            fixed: Some(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
        }
    }

    /// The value of `name`, if set and non-empty.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Whether `name` is set to `true` (in any case).
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The user's home directory: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH`.
    pub fn home(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME").or_else(|| self.get("USERPROFILE")) {
            return Some(PathBuf::from(home));
        }
        let path = self.get("HOMEPATH")?;
        Some(PathBuf::from(
            self.get("HOMEDRIVE").unwrap_or_default() + &path,
        ))
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env(process)"),
            Some(vars) => {
                let mut names: Vec<&String> = vars.keys().collect();
                names.sort();
                f.debug_tuple("Env").field(&names).finish()
            }
        }
    }
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID` and `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (both
/// required) with the optional `ALIBABA_CLOUD_SECURITY_TOKEN`.
pub(crate) fn credentials_from(env: &Env) -> Result<Credentials, ConfigError> {
    let id = env
        .get(ENV_ACCESS_KEY_ID)
        .ok_or(ConfigError::MissingCredentials {
            variable: ENV_ACCESS_KEY_ID,
        })?;
    let secret = env
        .get(ENV_ACCESS_KEY_SECRET)
        .ok_or(ConfigError::MissingCredentials {
            variable: ENV_ACCESS_KEY_SECRET,
        })?;
    let mut creds = Credentials::new(id, secret);
    if let Some(token) = env.get(ENV_SECURITY_TOKEN) {
        creds = creds.with_security_token(token);
    }
    Ok(creds)
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and the
/// optional `ALIBABA_CLOUD_SECURITY_TOKEN`, read at every call (provider name `env`).
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = credentials_from(&self.env).map_err(|err| match err {
            ConfigError::MissingCredentials { variable } => CredentialsError::new(
                "env",
                format!("environment variable {variable} is not set or empty"),
            ),
            other => CredentialsError::new("env", other.to_string()),
        });
        Box::pin(std::future::ready(result))
    }
}
