//! The RAM role of an ECS instance, from the instance metadata service.

use std::fmt;
use std::time::Duration;

use reqwest::Method;

use super::cache::CredentialsCache;
use super::http::HttpClient;
use super::options::ProviderOptions;
use super::sts::{join, json_body, temporary_credentials};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

const NAME: &str = "ecs_ram_role";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// The metadata token's lifetime the official libraries ask for (6 hours).
const TOKEN_TTL_SECONDS: &str = "21600";

/// Temporary credentials of the RAM role attached to the ECS instance, from the instance
/// metadata service (`http://100.100.100.200`; provider name `ecs_ram_role`).
///
/// Each fetch asks for a metadata token (`PUT /latest/api/token`, IMDSv2) and sends it with
/// the other requests; when no token can be had, it goes on without one (IMDSv1) unless
/// IMDSv1 is disabled (`ALIBABA_CLOUD_IMDSV1_DISABLED=true`); a request refused with the
/// token is tried once more without it, unless IMDSv1 is disabled. The role is the one named
/// (`ALIBABA_CLOUD_ECS_METADATA`), else the one the service lists
/// (`GET /latest/meta-data/ram/security-credentials/`); its credentials come from
/// `GET /latest/meta-data/ram/security-credentials/<role>`. They are cached and refreshed
/// 15 minutes before they expire. Connect and read timeouts default to 1 s, as in the
/// official libraries.
pub struct EcsRoleProvider {
    endpoint: String,
    role_name: Option<String>,
    imds_v1_disabled: bool,
    /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`: every call fails without a request.
    disabled: bool,
    http: HttpClient,
    cache: CredentialsCache,
}

impl EcsRoleProvider {
    /// Settings from `options`: the metadata endpoint, `ALIBABA_CLOUD_ECS_METADATA` (role
    /// name), `ALIBABA_CLOUD_IMDSV1_DISABLED` and `ALIBABA_CLOUD_ECS_METADATA_DISABLED`
    /// (every call fails without asking the service) from its environment. The timeouts are 1 s
    /// or those of `options`, whichever are shorter.
    pub fn new(options: &ProviderOptions) -> Self {
        let short = Duration::from_secs(1);
        Self {
            endpoint: options.ecs_metadata_endpoint(),
            role_name: options.env.get("ALIBABA_CLOUD_ECS_METADATA"),
            imds_v1_disabled: options.env.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED"),
            disabled: options.env.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED"),
            http: HttpClient::new(
                options.connect_timeout.min(short),
                options.read_timeout.min(short),
            ),
            cache: CredentialsCache::default(),
        }
    }

    /// Uses this role instead of asking the service for the instance's role.
    pub fn with_role_name(mut self, role_name: impl Into<String>) -> Self {
        let name = role_name.into();
        self.role_name = if name.is_empty() { None } else { Some(name) };
        self
    }

    /// Asks this base URL instead of `http://100.100.100.200`.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// Whether to fail, rather than go on without a metadata token, when none can be had.
    pub fn with_imds_v1_disabled(mut self, disabled: bool) -> Self {
        self.imds_v1_disabled = disabled;
        self
    }

    async fn metadata_token(&self) -> Result<Option<String>, CredentialsError> {
        let reply = self
            .http
            .send(
                NAME,
                "the metadata token request",
                Method::PUT,
                &join(&self.endpoint, TOKEN_PATH),
                &[(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS)],
            )
            .await;
        let error = match reply {
            Ok(reply) if reply.status == 200 => match String::from_utf8(reply.body) {
                Ok(token) if !token.trim().is_empty() => return Ok(Some(token.trim().to_string())),
                _ => CredentialsError::new(NAME, "the metadata token is empty or not text"),
            },
            Ok(reply) => CredentialsError::new(
                NAME,
                format!(
                    "the metadata token request was answered with HTTP {}",
                    reply.status
                ),
            ),
            Err(err) => err,
        };
        if self.imds_v1_disabled {
            Err(error)
        } else {
            Ok(None)
        }
    }

    /// `GET path` with the metadata token; when that fails and IMDSv1 is allowed, again
    /// without it (as the official libraries do).
    async fn get(
        &self,
        what: &str,
        path: &str,
        token: Option<&str>,
    ) -> Result<Vec<u8>, CredentialsError> {
        match self.get_once(what, path, token).await {
            Err(_) if token.is_some() && !self.imds_v1_disabled => {
                self.get_once(what, path, None).await
            }
            result => result,
        }
    }

    async fn get_once(
        &self,
        what: &str,
        path: &str,
        token: Option<&str>,
    ) -> Result<Vec<u8>, CredentialsError> {
        let headers: Vec<(&str, &str)> = token.map(|t| (TOKEN_HEADER, t)).into_iter().collect();
        let reply = self
            .http
            .send(
                NAME,
                what,
                Method::GET,
                &join(&self.endpoint, path),
                &headers,
            )
            .await?;
        if reply.status != 200 {
            return Err(CredentialsError::new(
                NAME,
                format!(
                    "{what} to the ECS metadata service was answered with HTTP {}",
                    reply.status
                ),
            ));
        }
        Ok(reply.body)
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.disabled {
            return Err(CredentialsError::new(
                NAME,
                "the ECS metadata service is disabled (ALIBABA_CLOUD_ECS_METADATA_DISABLED)",
            ));
        }
        let token = self.metadata_token().await?;
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let body = self
                    .get("the role name request", ROLE_PATH, token.as_deref())
                    .await?;
                let text = String::from_utf8_lossy(&body);
                // The service lists one role per line; an instance has at most one.
                let role = text.lines().next().unwrap_or_default().trim().to_string();
                if role.is_empty() {
                    return Err(CredentialsError::new(
                        NAME,
                        "the ECS instance has no RAM role attached",
                    ));
                }
                role
            }
        };
        let what = format!("the credentials request for role {role:?}");
        let path = format!("{ROLE_PATH}{role}");
        let body = self.get(&what, &path, token.as_deref()).await?;
        let reply = super::http::Reply { status: 200, body };
        let value = json_body(NAME, &what, &reply)?;
        let code = value
            .get("Code")
            .and_then(|c| c.as_str())
            .unwrap_or_default();
        if code != "Success" {
            return Err(CredentialsError::new(
                NAME,
                format!(
                    "the ECS metadata service answered {what} with Code {code:?}, not \"Success\""
                ),
            ));
        }
        temporary_credentials(NAME, &what, &value)
    }
}

impl ProvideCredentials for EcsRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get(NAME, || self.fetch()))
    }
}

impl fmt::Debug for EcsRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsRoleProvider")
            .field("endpoint", &self.endpoint)
            .field("role_name", &self.role_name)
            .field("imds_v1_disabled", &self.imds_v1_disabled)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}
