//! Credentials providers against loopback doubles of the ECS metadata service, STS and a
//! credentials URI, with profile files in a temporary home: the requests they make, the
//! credentials they produce, caching and refresh under concurrent calls, and every failure
//! as an error naming the provider. No test reads the real home directory or the process
//! environment: every provider gets an explicit `Env`.

mod credentials_support;
mod e2e_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use acs_runtime::credentials::{
    AssumeRoleProvider, CachingProvider, CliProfileProvider, CredentialsFuture,
    CredentialsUriProvider, DefaultChain, EcsRoleProvider, Env, EnvironmentProvider,
    OidcRoleProvider, ProfileFileProvider, ProviderOptions,
};
use acs_runtime::{Config, Credentials, CredentialsError, ProvideCredentials};
use credentials_support::{
    expiration, in_an_hour, in_ten_minutes, sts_answer, success_answer, to_system_time, verify_v1,
    Answer, Double, Home, Received,
};
use serde_json::json;

const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_PATH: &str = "/latest/api/token";
const SOURCE_ID: &str = "LTAI5tSourceKeyId";
const SOURCE_SECRET: &str = "sourceSecret-NEVER-PRINT-91c2";
const SOURCE_TOKEN: &str = "sourceToken-NEVER-PRINT-77aa";
const TEMP_ID: &str = "STS.TempKeyId";
const TEMP_SECRET: &str = "tempSecret-NEVER-PRINT-3b8e";
const TEMP_TOKEN: &str = "tempToken-NEVER-PRINT-CAIS+/=";
const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-NEVER-PRINT.sig";
const ROLE_ARN: &str = "acs:ram::1234567890:role/reader";
const OIDC_PROVIDER_ARN: &str = "acs:ram::1234567890:oidc-provider/ack-rrsa";

/// Options reading only `vars` (no process environment, no real home).
fn options(vars: &[(&str, &str)]) -> ProviderOptions {
    ProviderOptions::new().with_env(Env::from_vars(vars.iter().copied()))
}

/// Options for a temporary home, with `vars` and the doubles as STS and metadata endpoints.
fn options_with(home: &Home, double: &Double, vars: &[(&str, &str)]) -> ProviderOptions {
    let mut all: Vec<(String, String)> = vec![home.home_var()];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    ProviderOptions::new()
        .with_env(Env::from_vars(all))
        .with_sts_endpoint(double.url())
        .with_ecs_metadata_endpoint(double.url())
}

fn assert_temporary(creds: &Credentials, id: &str, secret: &str, token: &str, expires: &str) {
    assert_eq!(creds.access_key_id(), id);
    assert_eq!(creds.access_key_secret(), secret);
    assert_eq!(creds.security_token(), Some(token));
    assert_eq!(creds.expiry(), Some(to_system_time(expires)));
}

/// Checks that `text` holds none of the tests' secrets.
fn assert_no_secret(text: &str) {
    for secret in [
        SOURCE_SECRET,
        SOURCE_TOKEN,
        TEMP_SECRET,
        TEMP_TOKEN,
        OIDC_TOKEN,
    ] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

async fn error_of(provider: &dyn ProvideCredentials) -> CredentialsError {
    match provider.provide_credentials().await {
        Ok(creds) => panic!("expected an error, got {creds:?}"),
        Err(err) => {
            assert_no_secret(&err.to_string());
            assert_no_secret(&format!("{err:?}"));
            err
        }
    }
}

/// A metadata service with one role and its credentials; IMDSv2 tokens are `imds-token`.
fn metadata_service(role: &'static str, expires: String) -> impl Fn(&Received) -> Answer {
    move |req: &Received| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", TOKEN_PATH) => Answer::text(200, "imds-token"),
        ("GET", ROLE_PATH) => Answer::text(200, role),
        ("GET", path) if path == format!("{ROLE_PATH}{role}") => {
            success_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires)
        }
        _ => Answer::text(404, "not found"),
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed credentials and environment variables

#[tokio::test]
async fn fixed_credentials_are_their_own_provider_and_config_new_keeps_working() {
    let creds = Credentials::new(SOURCE_ID, SOURCE_SECRET).with_security_token(SOURCE_TOKEN);
    assert_eq!(creds.provide_credentials().await.unwrap(), creds);
    let config = Config::new(creds.clone());
    assert_eq!(config.credentials(), Some(&creds));
    let provided = config.credentials_provider().provide_credentials().await;
    assert_eq!(provided.unwrap(), creds);
    assert_eq!(creds.expiry(), None);

    // Providers' HTTP timeouts can follow a config's.
    let slow = Config::new(creds.clone())
        .with_connect_timeout(Duration::from_secs(7))
        .with_read_timeout(Duration::from_secs(70));
    let options = ProviderOptions::from_config(&slow);
    assert_eq!(options.connect_timeout(), Duration::from_secs(7));
    assert_eq!(options.read_timeout(), Duration::from_secs(70));

    let from_provider = Config::from_provider(Arc::new(creds.clone()));
    assert_eq!(from_provider.credentials(), None);
    assert_no_secret(&format!("{config:?} {from_provider:?} {creds:?}"));
}

#[tokio::test]
async fn environment_provider_reads_the_three_variables() {
    let provider = EnvironmentProvider::with_env(Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", SOURCE_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SOURCE_SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", SOURCE_TOKEN),
    ]));
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(
        creds,
        Credentials::new(SOURCE_ID, SOURCE_SECRET).with_security_token(SOURCE_TOKEN)
    );

    // An environment of one's own shows variable names only.
    let env = Env::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SOURCE_SECRET)]);
    assert_eq!(
        format!("{env:?}"),
        r#"Env(["ALIBABA_CLOUD_ACCESS_KEY_SECRET"])"#
    );
    assert_no_secret(&format!("{provider:?}"));

    let no_secret = EnvironmentProvider::with_env(Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", SOURCE_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""),
    ]));
    let err = error_of(&no_secret).await;
    assert_eq!(err.provider(), "env");
    assert!(
        err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// ECS instance RAM role

#[tokio::test]
async fn ecs_role_asks_for_a_metadata_token_then_the_role_then_its_credentials() {
    let expires = in_an_hour();
    let double = Double::start(metadata_service("EcsReader", expires.clone())).await;
    let provider = EcsRoleProvider::new(&options(&[])).with_endpoint(double.url());

    let creds = provider.provide_credentials().await.unwrap();
    assert_temporary(&creds, TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);

    let requests = double.requests();
    let shape: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        shape,
        [
            ("PUT", TOKEN_PATH),
            ("GET", ROLE_PATH),
            (
                "GET",
                "/latest/meta-data/ram/security-credentials/EcsReader"
            ),
        ]
    );
    assert_eq!(
        requests[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for get in &requests[1..] {
        assert_eq!(
            get.header("x-aliyun-ecs-metadata-token"),
            Some("imds-token")
        );
    }

    // Cached: a second call asks nothing.
    provider.provide_credentials().await.unwrap();
    assert_eq!(double.requests().len(), 3);
}

#[tokio::test]
async fn ecs_role_named_in_the_environment_skips_the_role_lookup() {
    let double = Double::start(metadata_service("Named", in_an_hour())).await;
    let options = options(&[("ALIBABA_CLOUD_ECS_METADATA", "Named")])
        .with_ecs_metadata_endpoint(double.url());
    EcsRoleProvider::new(&options)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(double.count(ROLE_PATH), 0);
    assert_eq!(double.count(&format!("{ROLE_PATH}Named")), 1);
}

#[tokio::test]
async fn ecs_role_without_a_metadata_token_falls_back_to_imds_v1_unless_disabled() {
    let expires = in_an_hour();
    let role = metadata_service("R", expires.clone());
    let double = Double::start(move |req: &Received| {
        if req.path == TOKEN_PATH {
            Answer::text(403, "forbidden")
        } else {
            role(req)
        }
    })
    .await;
    let provider = EcsRoleProvider::new(&options(&[])).with_endpoint(double.url());
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), TEMP_ID);
    for get in double.requests().iter().filter(|r| r.method == "GET") {
        assert_eq!(get.header("x-aliyun-ecs-metadata-token"), None);
    }

    let strict = EcsRoleProvider::new(&options(&[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]))
        .with_endpoint(double.url());
    let err = error_of(&strict).await;
    assert_eq!(err.provider(), "ecs_ram_role");
    assert!(err.message().contains("metadata token"), "{err}");
    assert!(err.message().contains("HTTP 403"), "{err}");

    // A token the service then refuses: each request is tried again without it.
    let role = metadata_service("R", in_an_hour());
    double.set_handler(move |req: &Received| {
        if req.path == TOKEN_PATH {
            Answer::text(200, "stale-token")
        } else if req.header("x-aliyun-ecs-metadata-token").is_some() {
            Answer::text(401, "unauthorized")
        } else {
            role(req)
        }
    });
    let provider = EcsRoleProvider::new(&options(&[])).with_endpoint(double.url());
    let before = double.requests().len();
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        TEMP_ID
    );
    let tokens: Vec<Option<String>> = double.requests()[before..]
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.header("x-aliyun-ecs-metadata-token").map(str::to_string))
        .collect();
    assert_eq!(
        tokens,
        [
            Some("stale-token".to_string()),
            None,
            Some("stale-token".to_string()),
            None
        ]
    );

    // With IMDSv1 disabled, no second try without the token.
    let strict = EcsRoleProvider::new(&options(&[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]))
        .with_endpoint(double.url());
    let err = error_of(&strict).await;
    assert!(err.message().contains("HTTP 401"), "{err}");
}

#[tokio::test]
async fn ecs_role_failures_are_errors_naming_the_provider() {
    let double = Double::start(|_: &Received| Answer::text(500, "internal error")).await;
    let provider = || EcsRoleProvider::new(&options(&[])).with_endpoint(double.url());

    let err = error_of(&provider()).await;
    assert_eq!(err.provider(), "ecs_ram_role");
    assert!(err.message().contains("HTTP 500"), "{err}");
    assert!(err
        .to_string()
        .starts_with("credentials provider `ecs_ram_role` failed"));

    double.set_handler(|req: &Received| match req.path.as_str() {
        ROLE_PATH => Answer::text(200, "R"),
        TOKEN_PATH => Answer::text(200, "t"),
        _ => Answer::text(200, "{not json"),
    });
    let err = error_of(&provider()).await;
    assert!(err.message().contains("not JSON"), "{err}");

    double.set_handler(|req: &Received| match req.path.as_str() {
        ROLE_PATH => Answer::text(200, "R"),
        TOKEN_PATH => Answer::text(200, "t"),
        _ => Answer::json(
            200,
            json!({"Code": "Failed", "AccessKeySecret": TEMP_SECRET}),
        ),
    });
    let err = error_of(&provider()).await;
    assert!(err.message().contains("\"Failed\""), "{err}");

    double.set_handler(|req: &Received| match req.path.as_str() {
        ROLE_PATH => Answer::text(200, ""),
        _ => Answer::text(200, "t"),
    });
    let err = error_of(&provider()).await;
    assert!(err.message().contains("no RAM role"), "{err}");

    double.set_handler(|req: &Received| match req.path.as_str() {
        ROLE_PATH => Answer::text(200, "R"),
        TOKEN_PATH => Answer::text(200, "t"),
        _ => success_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, "next tuesday"),
    });
    let err = error_of(&provider()).await;
    assert!(err.message().contains("Expiration"), "{err}");

    // Nothing listening: a connection error, still naming the provider.
    let closed = EcsRoleProvider::new(&options(&[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]))
        .with_endpoint("http://127.0.0.1:9");
    let err = error_of(&closed).await;
    assert_eq!(err.provider(), "ecs_ram_role");
}

// ---------------------------------------------------------------------------------------------
// Credentials URI

#[tokio::test]
async fn credentials_uri_is_asked_with_its_path_and_query() {
    let expires = in_an_hour();
    let answer = success_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let double = Double::start(move |_: &Received| answer.clone()).await;
    let uri = format!("{}/v1/credentials?role=app", double.url());
    let provider = CredentialsUriProvider::from_env(&options(&[(
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        uri.as_str(),
    )]))
    .expect("the variable is set");
    let creds = provider.provide_credentials().await.unwrap();
    assert_temporary(&creds, TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let request = &double.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/credentials");
    assert_eq!(request.param("role"), Some("app"));
    assert!(CredentialsUriProvider::from_env(&options(&[])).is_none());
}

#[tokio::test]
async fn credentials_uri_failures_are_errors_naming_the_provider() {
    let double = Double::start(|_: &Received| Answer::text(500, "oops")).await;
    let provider = || CredentialsUriProvider::new(double.url(), &options(&[]));
    let err = error_of(&provider()).await;
    assert_eq!(err.provider(), "credential_uri");
    assert!(err.message().contains("HTTP 500"), "{err}");

    double.set_handler(|_: &Received| {
        Answer::json(
            200,
            json!({"Code": "Success", "AccessKeyId": TEMP_ID, "AccessKeySecret": TEMP_SECRET}),
        )
    });
    let err = error_of(&provider()).await;
    assert!(err.message().contains("no SecurityToken"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// OIDC role (RRSA)

#[tokio::test]
async fn oidc_role_sends_assume_role_with_oidc_with_the_token_file() {
    let home = Home::new();
    let token_file = home.write("oidc/token", &format!("{OIDC_TOKEN}\n"));
    let expires = in_an_hour();
    let answer = sts_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let double = Double::start(move |_: &Received| answer.clone()).await;
    let token_path = token_file.display().to_string();
    let options = options_with(
        &home,
        &double,
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER_ARN),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_path.as_str()),
            ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-session"),
        ],
    );
    let provider = OidcRoleProvider::from_env(&options)
        .expect("all three variables are set")
        .with_policy(r#"{"Version":"1","Statement":[]}"#);
    let creds = provider.provide_credentials().await.unwrap();
    assert_temporary(&creds, TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);

    let request = &double.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/")
    );
    assert_eq!(
        request.param_names(),
        [
            "Action",
            "Format",
            "Version",
            "DurationSeconds",
            "RoleArn",
            "OIDCProviderArn",
            "OIDCToken",
            "RoleSessionName",
            "Timestamp",
            "Policy"
        ]
    );
    assert_eq!(request.param("Action"), Some("AssumeRoleWithOIDC"));
    assert_eq!(request.param("Format"), Some("JSON"));
    assert_eq!(request.param("Version"), Some("2015-04-01"));
    assert_eq!(request.param("DurationSeconds"), Some("3600"));
    assert_eq!(request.param("RoleArn"), Some(ROLE_ARN));
    assert_eq!(request.param("OIDCProviderArn"), Some(OIDC_PROVIDER_ARN));
    assert_eq!(request.param("OIDCToken"), Some(OIDC_TOKEN));
    assert_eq!(request.param("RoleSessionName"), Some("pod-session"));
    assert_eq!(
        request.param("Policy"),
        Some(r#"{"Version":"1","Statement":[]}"#)
    );
    let timestamp = request.param("Timestamp").unwrap();
    assert_eq!(timestamp.len(), "2026-01-01T00:00:00Z".len(), "{timestamp}");
    assert!(timestamp.ends_with('Z'), "{timestamp}");
    assert_no_secret(&format!("{provider:?}"));

    // Two of the three variables: no OIDC provider.
    assert!(OidcRoleProvider::from_env(&options_with(
        &home,
        &double,
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_path.as_str())
        ]
    ))
    .is_none());
}

#[tokio::test]
async fn oidc_role_failures_are_errors_naming_the_provider() {
    let home = Home::new();
    let double = Double::start(|_: &Received| {
        Answer::json(
            400,
            json!({
                "RequestId": "R-1",
                "Code": "AuthenticationFail.OIDCToken.Expired",
                "Message": "The OIDC token has expired."
            }),
        )
    })
    .await;
    let options = options_with(&home, &double, &[]);
    let missing = home.path().join("no-such-token");
    let provider = OidcRoleProvider::new(ROLE_ARN, OIDC_PROVIDER_ARN, &missing, &options);
    let err = error_of(&provider).await;
    assert_eq!(err.provider(), "oidc_role_arn");
    assert!(err.message().contains("no-such-token"), "{err}");
    assert_eq!(double.requests().len(), 0);

    let token_file = home.write("token", OIDC_TOKEN);
    let provider = OidcRoleProvider::new(ROLE_ARN, OIDC_PROVIDER_ARN, &token_file, &options);
    let err = error_of(&provider).await;
    assert!(
        err.message()
            .contains("HTTP 400: AuthenticationFail.OIDCToken.Expired: The OIDC token has expired. (request id R-1)"),
        "{err}"
    );

    let short = OidcRoleProvider::new(ROLE_ARN, OIDC_PROVIDER_ARN, &token_file, &options)
        .with_duration(Duration::from_secs(600));
    let err = error_of(&short).await;
    assert!(err.message().contains("900"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// STS AssumeRole

#[tokio::test]
async fn assume_role_sends_a_signed_assume_role_with_the_source_credentials() {
    let expires = in_an_hour();
    let answer = sts_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let double = Double::start(move |_: &Received| answer.clone()).await;
    let source = Credentials::new(SOURCE_ID, SOURCE_SECRET).with_security_token(SOURCE_TOKEN);
    let policy = r#"{"Statement": [{"Action": ["ecs:Describe*"], "Effect": "Allow", "Resource": "*"}], "Version": "1"}"#;
    let provider = AssumeRoleProvider::new(Arc::new(source), ROLE_ARN, &options(&[]))
        .with_sts_endpoint(double.url())
        .with_session_name("nightly report")
        .with_duration(Duration::from_secs(900))
        .with_policy(policy)
        .with_external_id("ext-42");
    let creds = provider.provide_credentials().await.unwrap();
    assert_temporary(&creds, TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);

    let request = &double.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/")
    );
    assert_eq!(
        request.param_names(),
        [
            "Action",
            "Format",
            "Version",
            "DurationSeconds",
            "RoleArn",
            "RoleSessionName",
            "SignatureMethod",
            "SignatureVersion",
            "Timestamp",
            "SignatureNonce",
            "Policy",
            "ExternalId",
            "AccessKeyId",
            "SecurityToken",
            "Signature"
        ]
    );
    for (name, value) in [
        ("Action", "AssumeRole"),
        ("Format", "JSON"),
        ("Version", "2015-04-01"),
        ("DurationSeconds", "900"),
        ("RoleArn", ROLE_ARN),
        ("RoleSessionName", "nightly report"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("Policy", policy),
        ("ExternalId", "ext-42"),
        ("AccessKeyId", SOURCE_ID),
        ("SecurityToken", SOURCE_TOKEN),
    ] {
        assert_eq!(request.param(name), Some(value), "{name}");
    }
    verify_v1(request, SOURCE_SECRET).unwrap();
    assert!(verify_v1(request, "another secret").is_err());
    assert_no_secret(&format!("{provider:?}"));
}

#[tokio::test]
async fn assume_role_can_sit_on_any_provider_and_reports_its_failures() {
    // On top of another AssumeRole (role chaining), each signed by the one below.
    let double = Double::start(|req: &Received| {
        if req.param("AccessKeyId") == Some(SOURCE_ID) {
            sts_answer("STS.First", "firstSecret", "firstToken", &in_an_hour())
        } else {
            sts_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &in_an_hour())
        }
    })
    .await;
    let opts = options(&[]).with_sts_endpoint(double.url());
    let first = AssumeRoleProvider::new(
        Arc::new(Credentials::new(SOURCE_ID, SOURCE_SECRET)),
        "acs:ram::1:role/first",
        &opts,
    );
    let second = AssumeRoleProvider::new(Arc::new(first), ROLE_ARN, &opts);
    let creds = second.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), TEMP_ID);
    let requests = double.requests();
    assert_eq!(requests.len(), 2);
    verify_v1(&requests[0], SOURCE_SECRET).unwrap();
    verify_v1(&requests[1], "firstSecret").unwrap();
    assert_eq!(requests[1].param("SecurityToken"), Some("firstToken"));

    // A source that fails: the error names both.
    let failing = AssumeRoleProvider::new(
        Arc::new(EnvironmentProvider::with_env(Env::from_vars::<&str, &str>(
            [],
        ))),
        ROLE_ARN,
        &opts,
    );
    let err = error_of(&failing).await;
    assert_eq!(err.provider(), "ram_role_arn");
    assert!(err.message().contains("`env`"), "{err}");

    // STS refuses.
    double.set_handler(|_: &Received| {
        Answer::json(
            403,
            json!({"Code": "NoPermission", "Message": "You are not authorized to do this action.", "RequestId": "R-2"}),
        )
    });
    let refused = AssumeRoleProvider::new(
        Arc::new(Credentials::new(SOURCE_ID, SOURCE_SECRET)),
        ROLE_ARN,
        &opts,
    );
    let err = error_of(&refused).await;
    assert!(err.message().contains("HTTP 403: NoPermission"), "{err}");

    // An answer without credentials.
    double.set_handler(|_: &Received| Answer::json(200, json!({"RequestId": "R-3"})));
    let empty = AssumeRoleProvider::new(
        Arc::new(Credentials::new(SOURCE_ID, SOURCE_SECRET)),
        ROLE_ARN,
        &opts,
    );
    let err = error_of(&empty).await;
    assert!(err.message().contains("no Credentials"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The CLI's ~/.aliyun/config.json

fn cli_profiles() -> serde_json::Value {
    json!({
        "current": "ak",
        "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET, "region_id": "cn-hangzhou"},
            {"name": "sts", "mode": "StsToken", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET, "sts_token": SOURCE_TOKEN},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET,
             "ram_role_arn": ROLE_ARN, "ram_session_name": "cli-session", "expired_seconds": 1800, "external_id": "ext"},
            {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "sts", "ram_role_arn": ROLE_ARN},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "CliRole"},
            {"name": "sso", "mode": "CloudSSO"},
            {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": ROLE_ARN}
        ]
    })
}

#[tokio::test]
async fn cli_profile_modes_give_their_credentials() {
    let home = Home::new();
    home.cli_config(&cli_profiles());
    let expires = in_an_hour();
    let sts = sts_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let metadata = metadata_service("CliRole", expires.clone());
    let double = Double::start(move |req: &Received| {
        if req.path == "/" {
            sts.clone()
        } else {
            metadata(req)
        }
    })
    .await;
    let opts = options_with(&home, &double, &[]);

    // The file's `current` profile.
    let creds = CliProfileProvider::new(&opts)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds, Credentials::new(SOURCE_ID, SOURCE_SECRET));

    // ALIBABA_CLOUD_PROFILE picks another.
    let sts_profile = CliProfileProvider::new(&options_with(
        &home,
        &double,
        &[("ALIBABA_CLOUD_PROFILE", "sts")],
    ));
    let creds = sts_profile.provide_credentials().await.unwrap();
    assert_eq!(creds.security_token(), Some(SOURCE_TOKEN));

    let role = CliProfileProvider::new(&opts).with_profile("role");
    let creds = role.provide_credentials().await.unwrap();
    assert_temporary(&creds, TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let request = double.requests().pop().unwrap();
    assert_eq!(request.param("RoleSessionName"), Some("cli-session"));
    assert_eq!(request.param("DurationSeconds"), Some("1800"));
    assert_eq!(request.param("ExternalId"), Some("ext"));
    verify_v1(&request, SOURCE_SECRET).unwrap();

    let chained = CliProfileProvider::new(&opts).with_profile("chained");
    chained.provide_credentials().await.unwrap();
    let request = double.requests().pop().unwrap();
    assert_eq!(request.param("SecurityToken"), Some(SOURCE_TOKEN));
    verify_v1(&request, SOURCE_SECRET).unwrap();

    let ecs = CliProfileProvider::new(&opts).with_profile("ecs");
    let creds = ecs.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), TEMP_ID);
    assert_eq!(double.count(&format!("{ROLE_PATH}CliRole")), 1);
    assert_no_secret(&format!("{ecs:?} {role:?}"));
}

#[tokio::test]
async fn cli_profile_failures_are_errors_naming_the_provider() {
    let home = Home::new();
    let double = Double::start(|_: &Received| Answer::text(500, "")).await;
    let opts = options_with(&home, &double, &[]);

    let err = error_of(&CliProfileProvider::new(&opts)).await;
    assert_eq!(err.provider(), "cli_profile");
    assert!(err.message().contains(".aliyun/config.json"), "{err}");

    home.write(".aliyun/config.json", "{\"profiles\": [");
    let err = error_of(&CliProfileProvider::new(&opts)).await;
    assert!(err.message().contains("not valid JSON"), "{err}");

    home.cli_config(&cli_profiles());
    for (profile, expected) in [
        ("nobody", "no profile named \"nobody\""),
        ("sso", "\"CloudSSO\", which is not supported"),
        ("loop", "chain longer than"),
    ] {
        let err = error_of(&CliProfileProvider::new(&opts).with_profile(profile)).await;
        assert!(err.message().contains(expected), "{profile}: {err}");
    }

    // The profile's provider fails: both are named.
    let err = error_of(&CliProfileProvider::new(&opts).with_profile("role")).await;
    assert!(err.message().contains("`ram_role_arn`"), "{err}");
    assert!(err.message().contains("HTTP 500"), "{err}");

    // An EcsRamRole profile with the metadata service turned off asks nothing.
    let no_metadata = CliProfileProvider::new(&options_with(
        &home,
        &double,
        &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
    ))
    .with_profile("ecs");
    let err = error_of(&no_metadata).await;
    assert!(
        err.message()
            .contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED"),
        "{err}"
    );
    assert_eq!(double.count(TOKEN_PATH), 0);

    let disabled = CliProfileProvider::new(&options_with(
        &home,
        &double,
        &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
    ));
    let err = error_of(&disabled).await;
    assert!(err.message().contains("disabled"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// ~/.alibabacloud/credentials.ini

const INI: &str = "\
[default]
type = access_key                  # a comment
access_key_id = LTAI5tSourceKeyId
access_key_secret = sourceSecret-NEVER-PRINT-91c2

[role]
type = ram_role_arn
access_key_id = LTAI5tSourceKeyId
access_key_secret = sourceSecret-NEVER-PRINT-91c2
role_arn = acs:ram::1234567890:role/reader
role_session_name = ini-session

[ecs]
type = ecs_ram_role
role_name = IniRole

[rsa]
type = rsa_key_pair
public_key_id = p
private_key_file = /dev/null
";

#[tokio::test]
async fn credentials_file_sections_give_their_credentials() {
    let home = Home::new();
    home.ini(INI);
    let expires = in_an_hour();
    let sts = sts_answer(TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let metadata = metadata_service("IniRole", expires.clone());
    let double = Double::start(move |req: &Received| {
        if req.path == "/" {
            sts.clone()
        } else {
            metadata(req)
        }
    })
    .await;
    let opts = options_with(&home, &double, &[]);

    let creds = ProfileFileProvider::new(&opts)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds, Credentials::new(SOURCE_ID, SOURCE_SECRET));

    let role = ProfileFileProvider::new(&options_with(
        &home,
        &double,
        &[("ALIBABA_CLOUD_PROFILE", "role")],
    ));
    let creds = role.provide_credentials().await.unwrap();
    assert_temporary(&creds, TEMP_ID, TEMP_SECRET, TEMP_TOKEN, &expires);
    let request = double.requests().pop().unwrap();
    assert_eq!(request.param("RoleArn"), Some(ROLE_ARN));
    assert_eq!(request.param("RoleSessionName"), Some("ini-session"));
    verify_v1(&request, SOURCE_SECRET).unwrap();

    let ecs = ProfileFileProvider::new(&opts).with_profile("ecs");
    assert_eq!(
        ecs.provide_credentials().await.unwrap().access_key_id(),
        TEMP_ID
    );
    assert_eq!(double.count(&format!("{ROLE_PATH}IniRole")), 1);

    // ALIBABA_CLOUD_CREDENTIALS_FILE names another file.
    let other = home.write(
        "elsewhere.ini",
        "[default]\ntype = access_key\naccess_key_id = other\naccess_key_secret = s\n",
    );
    let other_path = other.display().to_string();
    let moved = ProfileFileProvider::new(&options_with(
        &home,
        &double,
        &[("ALIBABA_CLOUD_CREDENTIALS_FILE", other_path.as_str())],
    ));
    assert_eq!(
        moved.provide_credentials().await.unwrap().access_key_id(),
        "other"
    );
}

#[tokio::test]
async fn credentials_file_failures_are_errors_naming_the_provider() {
    let home = Home::new();
    let opts = options(&[("HOME", home.path().to_str().unwrap())]);
    let err = error_of(&ProfileFileProvider::new(&opts)).await;
    assert_eq!(err.provider(), "profile");
    assert!(
        err.message().contains(".alibabacloud/credentials.ini"),
        "{err}"
    );

    home.ini(INI);
    let err = error_of(&ProfileFileProvider::new(&opts).with_profile("absent")).await;
    assert!(err.message().contains("no section [absent]"), "{err}");
    let err = error_of(&ProfileFileProvider::new(&opts).with_profile("rsa")).await;
    assert!(
        err.message()
            .contains("\"rsa_key_pair\", which is not supported"),
        "{err}"
    );

    home.ini("[default]\ntype = access_key\naccess_key_id = x\n");
    let err = error_of(&ProfileFileProvider::new(&opts)).await;
    assert!(err.message().contains("no `access_key_secret`"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The default chain

#[tokio::test]
async fn default_chain_has_the_official_order() {
    let all = options(&[
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER_ARN),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/token"),
        ("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:9/"),
    ]);
    assert_eq!(
        DefaultChain::new(&all).provider_names(),
        [
            "env",
            "oidc_role_arn",
            "cli_profile",
            "profile",
            "ecs_ram_role",
            "credential_uri"
        ]
    );
    let off = options(&[
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]);
    assert_eq!(DefaultChain::new(&off).provider_names(), ["env", "profile"]);
}

#[tokio::test]
async fn default_chain_takes_the_first_provider_with_credentials() {
    let home = Home::new();
    home.cli_config(&cli_profiles());
    home.ini("[default]\ntype = access_key\naccess_key_id = from-ini\naccess_key_secret = s\n");
    let double = Double::start(metadata_service("ChainRole", in_an_hour())).await;

    // Environment variables before the profiles.
    let env_first = DefaultChain::new(&options_with(
        &home,
        &double,
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "from-env"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"),
        ],
    ));
    let creds = env_first.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "from-env");

    // The CLI profile before the credentials file.
    let chain = DefaultChain::new(&options_with(&home, &double, &[]));
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), SOURCE_ID);

    // Without the CLI profile: the credentials file.
    let no_cli = DefaultChain::new(&options_with(
        &home,
        &double,
        &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
    ));
    assert_eq!(
        no_cli.provide_credentials().await.unwrap().access_key_id(),
        "from-ini"
    );

    // No profile files: the ECS role.
    let bare = Home::new();
    let ecs = DefaultChain::new(&options_with(&bare, &double, &[]));
    assert_eq!(
        ecs.provide_credentials().await.unwrap().access_key_id(),
        TEMP_ID
    );
    assert_eq!(double.count(&format!("{ROLE_PATH}ChainRole")), 1);
    // The chain keeps to the provider that answered: cached, so no new request.
    ecs.provide_credentials().await.unwrap();
    assert_eq!(double.requests().len(), 3);
    assert_no_secret(&format!("{ecs:?} {chain:?}"));
}

#[tokio::test]
async fn default_chain_reaches_the_credentials_uri_last() {
    let bare = Home::new();
    let expires = in_an_hour();
    let answer = success_answer("from-uri", TEMP_SECRET, TEMP_TOKEN, &expires);
    let double = Double::start(move |req: &Received| {
        if req.path == "/creds" {
            answer.clone()
        } else {
            Answer::text(404, "")
        }
    })
    .await;
    let uri = format!("{}/creds", double.url());
    let chain = DefaultChain::new(&options_with(
        &bare,
        &double,
        &[
            ("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str()),
            ("ALIBABA_CLOUD_IMDSV1_DISABLED", "true"),
        ],
    ));
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "from-uri");
    // The metadata service was asked first, and refused.
    let paths: Vec<String> = double.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, [TOKEN_PATH, "/creds"]);
}

#[tokio::test]
async fn default_chain_without_credentials_lists_what_each_provider_found() {
    let bare = Home::new();
    let opts = options(&[
        ("HOME", bare.path().to_str().unwrap()),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]);
    let err = error_of(&DefaultChain::new(&opts)).await;
    assert_eq!(err.provider(), "default");
    let message = err.message();
    for part in [
        "env: environment variable ALIBABA_CLOUD_ACCESS_KEY_ID is not set",
        "cli_profile: cannot read the CLI configuration",
        "profile: cannot read the credentials file",
    ] {
        assert!(message.contains(part), "{part:?} missing from {message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Caching and refresh

#[tokio::test]
async fn many_concurrent_calls_share_one_fetch_and_one_refresh() {
    let old = in_ten_minutes();
    let double = Double::start(metadata_service("R", old.clone())).await;
    let provider = Arc::new(
        EcsRoleProvider::new(&options(&[("ALIBABA_CLOUD_ECS_METADATA", "R")]))
            .with_endpoint(double.url()),
    );
    let creds_path = format!("{ROLE_PATH}R");

    // Many callers at once before anything is cached: one fetch.
    double.hold().await;
    let callers: Vec<_> = (0..50)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    while double.count(&creds_path) == 0 {
        tokio::task::yield_now().await;
    }
    double.release();
    for caller in callers {
        let creds = caller.await.unwrap().unwrap();
        assert_eq!(creds.expiry(), Some(to_system_time(&old)));
    }
    assert_eq!(double.count(&creds_path), 1);

    // The credentials expire in ten minutes, inside the refresh window: the next calls
    // refresh them, once, and every caller gets the new ones.
    let new = in_an_hour();
    double.set_handler(move |req: &Received| match req.path.as_str() {
        TOKEN_PATH => Answer::text(200, "imds-token"),
        _ => success_answer("STS.Refreshed", TEMP_SECRET, TEMP_TOKEN, &new),
    });
    double.hold().await;
    let callers: Vec<_> = (0..50)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    while double.count(&creds_path) < 2 {
        tokio::task::yield_now().await;
    }
    double.release();
    for caller in callers {
        let creds = caller.await.unwrap().unwrap();
        assert_eq!(creds.access_key_id(), "STS.Refreshed");
    }
    assert_eq!(double.count(&creds_path), 2);

    // Fresh now: further calls ask nothing.
    for _ in 0..10 {
        provider.provide_credentials().await.unwrap();
    }
    assert_eq!(double.count(&creds_path), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_previous_credentials_while_they_are_valid() {
    let old = in_ten_minutes();
    let double = Double::start(metadata_service("R", old.clone())).await;
    let provider = EcsRoleProvider::new(&options(&[("ALIBABA_CLOUD_ECS_METADATA", "R")]))
        .with_endpoint(double.url());
    let first = provider.provide_credentials().await.unwrap();
    let creds_path = format!("{ROLE_PATH}R");
    assert_eq!(double.count(&creds_path), 1);

    double.set_handler(|_: &Received| Answer::text(500, "down"));
    let again = provider.provide_credentials().await.unwrap();
    assert_eq!(again, first);
    let tried = double.count(&creds_path);
    assert!(tried > 1, "a refresh was attempted");
    // The failed refresh is not tried again at once, however many calls follow.
    for _ in 0..20 {
        assert_eq!(provider.provide_credentials().await.unwrap(), first);
    }
    assert_eq!(double.count(&creds_path), tried);
}

#[tokio::test]
async fn credentials_that_arrive_expired_are_an_error() {
    let past = expiration(Duration::from_secs(60), true);
    let double = Double::start(metadata_service("R", past)).await;
    let provider = EcsRoleProvider::new(&options(&[])).with_endpoint(double.url());
    let err = error_of(&provider).await;
    assert_eq!(err.provider(), "ecs_ram_role");
    assert!(err.message().contains("already expired"), "{err}");
}

/// A provider of its own, counting its calls.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    expires_in: Duration,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            // Let the other callers pile up behind this one.
            tokio::task::yield_now().await;
            Ok(Credentials::new(format!("key-{n}"), "s")
                .with_security_token("t")
                .with_expiry(SystemTime::now() + self.expires_in))
        })
    }
}

#[tokio::test]
async fn caching_provider_wraps_a_provider_of_ones_own() {
    let counting = Counting {
        calls: AtomicUsize::new(0),
        expires_in: Duration::from_secs(3600),
    };
    let cached = Arc::new(CachingProvider::new(counting));
    let callers: Vec<_> = (0..64)
        .map(|_| {
            let cached = Arc::clone(&cached);
            tokio::spawn(async move { cached.provide_credentials().await })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap().access_key_id(), "key-1");
    }
    let config = Config::from_provider(cached.clone());
    let creds = config.credentials_provider().provide_credentials().await;
    assert_eq!(creds.unwrap().access_key_id(), "key-1");
    assert!(format!("{cached:?}").contains("Counting"));
}

// ---------------------------------------------------------------------------------------------
// Through the client: credentials asked before signing each call

use acs_runtime::{Endpoint, ErrorMeta, Params, SdkError, ServiceClient, ServiceInfo};
use e2e_support::double::{Keys, Reply, ServiceDouble, RESOURCE_MANAGER};

static RM: ServiceInfo = ServiceInfo {
    product: "ResourceManager",
    api_version: "2020-03-31",
    client: "acs-test/0.1.0",
    endpoint: Endpoint::Global {
        host: "resourcemanager.aliyuncs.com",
    },
    region_endpoints: &[],
    vpc_endpoint: None,
    success_flag: None,
    auth: &[],
};

#[tokio::test]
async fn the_client_signs_with_what_the_provider_gives() {
    let metadata = Double::start(metadata_service("R", in_an_hour())).await;
    let service = ServiceDouble::start(
        RESOURCE_MANAGER,
        Keys {
            access_key_id: TEMP_ID.to_string(),
            access_key_secret: TEMP_SECRET.to_string(),
            security_token: Some(TEMP_TOKEN.to_string()),
        },
    )
    .await;
    service.always(Reply::json(200, &json!({"RequestId": "ok"})));
    let provider = EcsRoleProvider::new(&options(&[])).with_endpoint(metadata.url());
    let config = Config::from_provider(Arc::new(provider)).with_endpoint(&RM, service.url());
    let client = ServiceClient::new(&config, &RM);
    for _ in 0..3 {
        let out: Result<serde_json::Value, SdkError<ErrorMeta>> =
            client.call("CancelHandshake", Params::new()).await;
        assert_eq!(out.unwrap()["RequestId"], "ok");
    }
    service.assert_no_rejections();
    assert_eq!(service.requests().len(), 3);
    // One fetch from the metadata service for the three calls.
    assert_eq!(metadata.count(&format!("{ROLE_PATH}R")), 1);
    assert_no_secret(&format!("{config:?} {client:?}"));

    // Signing a request by hand needs the credentials: the config has none fixed.
    assert!(client
        .prepare_request("CancelHandshake", &Params::new())
        .is_err());
}

#[tokio::test]
async fn a_provider_failure_is_a_credentials_error_of_the_call() {
    let metadata = Double::start(|_: &Received| Answer::text(500, "")).await;
    let provider = EcsRoleProvider::new(&options(&[])).with_endpoint(metadata.url());
    let config = Config::from_provider(Arc::new(provider)).with_endpoint(&RM, "http://127.0.0.1:9");
    let client = ServiceClient::new(&config, &RM);
    let out: Result<serde_json::Value, SdkError<ErrorMeta>> =
        client.call("CancelHandshake", Params::new()).await;
    match out {
        Err(SdkError::Credentials(err)) => {
            assert_eq!(err.provider(), "ecs_ram_role");
            assert!(err.to_string().contains("HTTP 500"), "{err}");
        }
        other => panic!("expected a credentials error, got {other:?}"),
    }
}
