//! Support for the runnable examples of generated crates: reading `--endpoint URL` from the
//! command line and the rest of the configuration from the environment and profile files.

use crate::{Config, ServiceInfo};

/// Builds the configuration of a runnable example: credentials from the default chain
/// ([`Config::from_default_chain`]: environment variables, profile files, OIDC or ECS role,
/// …), the region from `ALIBABA_CLOUD_REGION_ID`, and the endpoint from `--endpoint URL` (or
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
    let config = Config::from_default_chain();
    Ok(match endpoint {
        Some(url) => config.with_endpoint(service, url),
        None => config,
    })
}
