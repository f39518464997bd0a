//! The HTTP calls providers make (reqwest), with their timeouts, and the errors they give.

use std::error::Error as StdError;
use std::time::Duration;

use super::CredentialsError;

/// A response a provider received.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// A reqwest client with the providers' timeouts; redirects are not followed.
#[derive(Debug, Clone)]
pub(crate) struct HttpClient {
    client: Result<reqwest::Client, String>,
    read_timeout: Duration,
}

impl HttpClient {
    pub(crate) fn new(connect_timeout: Duration, read_timeout: Duration) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("acs-runtime/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| describe(&err));
        Self {
            client,
            read_timeout,
        }
    }

    /// Sends one request. `what` names it in errors ("the metadata token request"); the URL,
    /// which may hold a token or a signature, is never part of an error.
    pub(crate) async fn send(
        &self,
        provider: &str,
        what: &str,
        method: reqwest::Method,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Reply, CredentialsError> {
        let client = self.client.as_ref().map_err(|reason| {
            CredentialsError::new(provider, format!("cannot build the HTTP client: {reason}"))
        })?;
        let mut request = client.request(method, url).timeout(self.read_timeout);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let failed = |err: reqwest::Error| {
            let reason = describe(&err);
            CredentialsError::new(provider, format!("{what} failed: {reason}"))
                .with_cause(err.without_url())
        };
        let response = request.send().await.map_err(failed)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(failed)?.to_vec();
        Ok(Reply { status, body })
    }
}

/// reqwest's message and its causes, without the URL.
fn describe(err: &reqwest::Error) -> String {
    let mut text = if err.is_timeout() {
        "timed out".to_string()
    } else if err.is_connect() {
        "could not connect".to_string()
    } else {
        "could not complete the exchange".to_string()
    };
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
