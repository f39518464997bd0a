//! Support for the runnable examples of generated crates: reading `--endpoint URL` from the
//! command line and the rest of the configuration from the environment and profile files.

use crate::{Config, ServiceInfo};

/// Builds the configuration of a runnable example: for an Alibaba Cloud API, credentials from
/// the default chain ([`Config::from_default_chain`]: environment variables, profile files,
/// OIDC or ECS role, …) and the region from `ALIBABA_CLOUD_REGION_ID`; for a plain REST API,
/// the secrets of [`rest_config_from_env`]; and the endpoint from `--endpoint URL` (or
/// `--endpoint=URL`) when given. Returns a message fit for the user when the arguments are
/// wrong; a machine without credentials is reported by the call.
pub fn config_from_args(
    service: &'static ServiceInfo,
    args: impl IntoIterator<Item = String>,
) -> Result<Config, String> {
    let mut endpoint = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--endpoint" {
            match args.next() {
                Some(url) => endpoint = Some(url),
                None => return Err("`--endpoint` needs a URL, e.g. http://127.0.0.1:8080".into()),
            }
        } else if let Some(url) = arg.strip_prefix("--endpoint=") {
            endpoint = Some(url.to_owned());
        } else {
            return Err(format!(
                "unexpected argument `{arg}`; usage: [--endpoint URL]"
            ));
        }
    }
    let config = if service.endpoint.is_rest() {
        rest_config_from_env()
    } else {
        Config::from_default_chain()
    };
    Ok(match endpoint {
        Some(url) => config.with_endpoint(service, url),
        None => config,
    })
}

/// A configuration for a plain REST API with the secrets set in the environment:
/// `API_BEARER_TOKEN`, `API_KEY`, and `API_USERNAME` with `API_PASSWORD`. Unset or empty
/// variables are left out.
pub fn rest_config_from_env() -> Config {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut config = Config::anonymous();
    if let Some(token) = var("API_BEARER_TOKEN") {
        config = config.with_bearer_token(token);
    }
    if let Some(key) = var("API_KEY") {
        config = config.with_api_key(key);
    }
    if let (Some(user), Some(password)) = (var("API_USERNAME"), var("API_PASSWORD")) {
        config = config.with_basic_auth(user, password);
    }
    config
}
