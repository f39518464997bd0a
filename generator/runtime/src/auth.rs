//! Authentication of plain REST APIs: the schemes an API declares (`components.securitySchemes`)
//! and the secrets a [`Config`](crate::Config) holds for them. Alibaba Cloud APIs sign their
//! requests with [`Credentials`](crate::Credentials) instead.

use std::fmt;

/// How an API authenticates its callers, as its OpenAPI document declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>` (HTTP `bearer`, and OAuth 2 / OpenID Connect access
    /// tokens).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>` (HTTP `basic`).
    Basic,
    /// An API key sent as the header or query parameter `name`.
    ApiKey {
        /// The header or query parameter name, e.g. `X-API-Key`.
        name: &'static str,
        /// Where the key goes.
        location: ApiKeyLocation,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
}

/// A secret value: kept as given, never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The secrets configured for REST APIs, one per kind of scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AuthSecrets {
    pub(crate) bearer_token: Option<Secret>,
    pub(crate) basic: Option<(String, Secret)>,
    pub(crate) api_key: Option<Secret>,
}

/// Where an authenticated request carries its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placement {
    Header(String, String),
    Query(String, String),
}

impl AuthSecrets {
    /// Where the first of `schemes` that has a configured secret puts it; `None` when no
    /// secret fits (the request goes out unauthenticated, and the API says whether it minds).
    pub(crate) fn placement(&self, schemes: &[AuthScheme]) -> Option<Placement> {
        schemes.iter().find_map(|scheme| match scheme {
            AuthScheme::Bearer => self.bearer_token.as_ref().map(|token| {
                Placement::Header(
                    "authorization".to_owned(),
                    format!("Bearer {}", token.expose()),
                )
            }),
            AuthScheme::Basic => self.basic.as_ref().map(|(user, password)| {
                use base64::Engine as _;
                let pair = format!("{user}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                Placement::Header("authorization".to_owned(), format!("Basic {encoded}"))
            }),
            AuthScheme::ApiKey { name, location } => self.api_key.as_ref().map(|key| {
                let value = key.expose().to_owned();
                match location {
                    ApiKeyLocation::Header => Placement::Header(name.to_ascii_lowercase(), value),
                    ApiKeyLocation::Query => Placement::Query((*name).to_owned(), value),
                }
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_scheme_with_a_secret_is_used() {
        let secrets = AuthSecrets {
            basic: Some(("ann".to_owned(), Secret::new("pw"))),
            api_key: Some(Secret::new("k-1")),
            ..AuthSecrets::default()
        };
        let key_in_query = AuthScheme::ApiKey {
            name: "api_key",
            location: ApiKeyLocation::Query,
        };
        assert_eq!(
            secrets.placement(&[AuthScheme::Bearer, key_in_query, AuthScheme::Basic]),
            Some(Placement::Query("api_key".to_owned(), "k-1".to_owned()))
        );
        assert_eq!(
            secrets.placement(&[AuthScheme::Basic]),
            Some(Placement::Header(
                "authorization".to_owned(),
                "Basic YW5uOnB3".to_owned()
            ))
        );
        assert_eq!(secrets.placement(&[AuthScheme::Bearer]), None);
        assert!(!format!("{secrets:?}").contains("pw"));
    }
}
