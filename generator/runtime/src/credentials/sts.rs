//! Reading temporary credentials out of STS, metadata-service and credentials-URI answers.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::http::Reply;
use super::options::ProviderOptions;
use super::{Credentials, CredentialsError};

/// The STS API version the official libraries call.
pub(crate) const STS_VERSION: &str = "2015-04-01";

/// Parses an `Expiration` such as `2026-12-02T17:00:00Z`.
pub(crate) fn parse_expiration(provider: &str, text: &str) -> Result<SystemTime, CredentialsError> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map(SystemTime::from)
        .map_err(|err| {
            CredentialsError::new(
                provider,
                format!("the credentials' Expiration {text:?} is not an RFC 3339 time: {err}"),
            )
        })
}

/// Decodes a JSON object body, or says what the answer was without quoting it (an answer
/// may hold secrets).
pub(crate) fn json_body(
    provider: &str,
    what: &str,
    reply: &Reply,
) -> Result<Value, CredentialsError> {
    if reply.status != 200 {
        return Err(CredentialsError::new(
            provider,
            format!(
                "{what} was answered with HTTP {}{}",
                reply.status,
                error_detail(&reply.body)
            ),
        ));
    }
    match serde_json::from_slice::<Value>(&reply.body) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(CredentialsError::new(
            provider,
            format!("{what} was answered with JSON that is not an object"),
        )),
        Err(err) => Err(CredentialsError::new(
            provider,
            format!("{what} was answered with a body that is not JSON ({err})"),
        )
        .with_cause(err)),
    }
}

/// `: Code: Message (request id ...)` from an Alibaba Cloud error body, or nothing.
fn error_detail(body: &[u8]) -> String {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return String::new();
    };
    let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
    let mut detail = String::new();
    if let Some(code) = text("Code") {
        detail.push_str(": ");
        detail.push_str(&code);
        if let Some(message) = text("Message") {
            detail.push_str(": ");
            detail.push_str(&message);
        }
        if let Some(id) = text("RequestId") {
            detail.push_str(&format!(" (request id {id})"));
        }
    }
    detail
}

/// Reads `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` from `object`.
pub(crate) fn temporary_credentials(
    provider: &str,
    what: &str,
    object: &Value,
) -> Result<Credentials, CredentialsError> {
    let field = |name: &str| {
        object
            .get(name)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                CredentialsError::new(provider, format!("the answer to {what} has no {name}"))
            })
    };
    let id = field("AccessKeyId")?;
    let secret = field("AccessKeySecret")?;
    let token = field("SecurityToken")?;
    let expiry = parse_expiration(provider, field("Expiration")?)?;
    Ok(Credentials::new(id, secret)
        .with_security_token(token)
        .with_expiry(expiry))
}

/// Reads the `Credentials` object of an STS `AssumeRole*` answer.
pub(crate) fn sts_credentials(
    provider: &str,
    what: &str,
    reply: &Reply,
) -> Result<Credentials, CredentialsError> {
    let body = json_body(provider, what, reply)?;
    let creds = body.get("Credentials").ok_or_else(|| {
        CredentialsError::new(provider, format!("the answer to {what} has no Credentials"))
    })?;
    temporary_credentials(provider, what, creds)
}

/// The default `RoleSessionName`: `credentials-rust-<unix seconds>`, as the official
/// libraries name theirs (`credentials-python-…`, `credentials-java-…`).
/// The session a role is assumed for: `RoleSessionName`, `DurationSeconds` and `Policy`, as
/// STS `AssumeRole` and `AssumeRoleWithOIDC` both take them.
#[derive(Clone)]
pub(crate) struct RoleSession {
    pub(crate) name: String,
    pub(crate) duration: Duration,
    pub(crate) policy: Option<String>,
}

impl RoleSession {
    /// The shortest session STS grants.
    const MIN_DURATION: Duration = Duration::from_secs(900);

    /// The session name from `ALIBABA_CLOUD_ROLE_SESSION_NAME` (else
    /// `credentials-rust-<time>`), 3600 s, no policy.
    pub(crate) fn new(options: &ProviderOptions) -> Self {
        Self {
            name: options
                .env
                .get("ALIBABA_CLOUD_ROLE_SESSION_NAME")
                .unwrap_or_else(default_session_name),
            duration: Duration::from_secs(3600),
            policy: None,
        }
    }

    /// Sets the name; an empty one keeps the current name.
    pub(crate) fn set_name(&mut self, name: String) {
        if !name.is_empty() {
            self.name = name;
        }
    }

    /// Sets the policy; an empty one means none.
    pub(crate) fn set_policy(&mut self, policy: String) {
        self.policy = (!policy.is_empty()).then_some(policy);
    }

    /// An error naming `provider` when STS would refuse the session length.
    pub(crate) fn check(&self, provider: &str) -> Result<(), CredentialsError> {
        if self.duration < Self::MIN_DURATION {
            return Err(CredentialsError::new(
                provider,
                "the session duration must be at least 900 seconds",
            ));
        }
        Ok(())
    }
}

pub(crate) fn default_session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("credentials-rust-{secs}")
}

/// The base URL joined with a path (`base` may end with `/`).
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}
