//! Settings shared by the providers: where they read the environment, HTTP timeouts, and the
//! endpoints they call.

use std::time::Duration;

use super::env::Env;

/// Settings shared by the credentials providers: the environment they read (variables and
/// the home directory), the timeouts of their HTTP calls, and the STS and ECS metadata
/// endpoints (each replaceable, e.g. by a local test server).
///
/// Defaults: the process environment, connect timeout 5 s, read timeout 10 s (the
/// [`Config`](crate::Config) defaults), STS at `https://sts.aliyuncs.com` (or
/// `sts.<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com`, `sts-vpc.…` with
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), the metadata service at
/// `http://100.100.100.200`.
///
/// ```
/// use acs_runtime::credentials::{Env, ProviderOptions};
/// let options = ProviderOptions::new()
///     .with_env(Env::from_vars([("HOME", "/tmp/test-home")]))
///     .with_sts_endpoint("http://127.0.0.1:8080");
/// assert_eq!(options.sts_endpoint(), "http://127.0.0.1:8080");
/// ```
#[derive(Debug, Clone)]
pub struct ProviderOptions {
    pub(crate) env: Env,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    sts_endpoint: Option<String>,
    ecs_metadata_endpoint: Option<String>,
}

impl Default for ProviderOptions {
    fn default() -> Self {
        Self {
            env: Env::process(),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            sts_endpoint: None,
            ecs_metadata_endpoint: None,
        }
    }
}

/// Where the ECS metadata service answers.
pub(crate) const ECS_METADATA_ENDPOINT: &str = "http://100.100.100.200";

impl ProviderOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The defaults, with the connect and read timeouts of `config`, so that providers wait
    /// as long as the calls they serve.
    pub fn from_config(config: &crate::Config) -> Self {
        Self::new().with_timeouts(config.connect_timeout(), config.read_timeout())
    }

    /// Reads environment variables (and `HOME`) from `env` instead of the process.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sets the connect timeout and the read timeout (from sending to the complete response)
    /// of every HTTP call a provider makes.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// Sends STS calls (`AssumeRole`, `AssumeRoleWithOIDC`) to this base URL.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks this base URL instead of the ECS metadata service.
    pub fn with_ecs_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.ecs_metadata_endpoint = Some(endpoint.into());
        self
    }

    /// The connect timeout of the providers' HTTP calls.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The read timeout of the providers' HTTP calls (from sending to the complete response).
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The environment the providers read.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The STS base URL: the one set, else the official choice from
    /// `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
    pub fn sts_endpoint(&self) -> String {
        self.sts_endpoint_for(None, None)
    }

    /// The STS base URL for a profile that names its own STS region or VPC choice; the
    /// endpoint set with [`with_sts_endpoint`](Self::with_sts_endpoint) still wins.
    pub(crate) fn sts_endpoint_for(&self, region: Option<&str>, vpc: Option<bool>) -> String {
        if let Some(endpoint) = &self.sts_endpoint {
            return endpoint.clone();
        }
        let vpc = vpc.unwrap_or_else(|| self.env.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"));
        let prefix = if vpc { "sts-vpc" } else { "sts" };
        let region = region
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .or_else(|| self.env.get("ALIBABA_CLOUD_STS_REGION"));
        match region {
            Some(region) => format!("https://{prefix}.{region}.aliyuncs.com"),
            None => "https://sts.aliyuncs.com".to_string(),
        }
    }

    /// The ECS metadata service base URL.
    pub fn ecs_metadata_endpoint(&self) -> String {
        self.ecs_metadata_endpoint
            .clone()
            .unwrap_or_else(|| ECS_METADATA_ENDPOINT.to_string())
    }
}
