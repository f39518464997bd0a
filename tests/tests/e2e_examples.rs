//! End to end: the generated runnable example `cancel_handshake`, built once and run as a
//! user would run it (`--endpoint URL`, credentials from the environment or a profile file),
//! against the service double.

mod e2e_support;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use acsgen_tests::{cargo_command, workspace_root};
use e2e_support::double::{
    Keys, Reply, ServiceDouble, ACCESS_KEY_ID, ACCESS_KEY_SECRET, RESOURCE_MANAGER, SECURITY_TOKEN,
};
use e2e_support::spec;

const PACKAGE: &str = "acs-resourcemanager-20200331";
const EXAMPLE: &str = "cancel_handshake";

/// Builds the example once per test binary and returns the path of its executable.
fn example_binary() -> PathBuf {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BINARY
        .get_or_init(|| {
            let output = cargo_command(&workspace_root())
                .args([
                    "build",
                    "--offline",
                    "-q",
                    "-p",
                    PACKAGE,
                    "--example",
                    EXAMPLE,
                    "--message-format=json",
                ])
                .output()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !output.status.success() {
                return Err(format!(
                    "building the example failed:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            // The artifact message of the example names its executable.
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == EXAMPLE)
                .find_map(|m| m["executable"].as_str().map(PathBuf::from))
                .ok_or_else(|| "cargo reported no executable for the example".to_string())
        })
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Variables the default credentials chain reads, besides the AccessKey ones.
const CHAIN_VARIABLES: &[&str] = &[
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
    "ALIBABA_CLOUD_ECS_METADATA",
];

/// Runs the example with `args` and the given credentials in its environment (and nothing
/// else of the Alibaba Cloud configuration from this process's environment), an empty
/// temporary home and the ECS metadata service turned off.
async fn run_example(args: Vec<String>, keys: &Keys) -> Output {
    let home = tempfile::tempdir().expect("temporary home");
    run_example_in(args, Some(keys), home.path()).await
}

/// Runs the example with `home` as its home directory and, when given, `keys` in the
/// environment variables.
async fn run_example_in(args: Vec<String>, keys: Option<&Keys>, home: &Path) -> Output {
    let keys = keys.cloned();
    let home = home.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(example_binary());
        command
            .args(args)
            .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
            .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
            .env("HOME", &home)
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        for variable in CHAIN_VARIABLES {
            command.env_remove(variable);
        }
        if let Some(keys) = &keys {
            command
                .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &keys.access_key_id)
                .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &keys.access_key_secret);
            if let Some(token) = &keys.security_token {
                command.env("ALIBABA_CLOUD_SECURITY_TOKEN", token);
            }
        }
        command.output().expect("run the example")
    })
    .await
    .expect("example thread")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn example_prints_the_sample_response_as_json_and_exits_0() {
    let keys = Keys::test_sts();
    let double = ServiceDouble::start(RESOURCE_MANAGER, keys.clone()).await;
    let sample = spec::operation(spec::RESOURCE_MANAGER_SPEC, "CancelHandshake")
        .sample
        .expect("the page prints a sample");
    double.push(Reply::json(200, &sample));

    let output = run_example(vec!["--endpoint".into(), double.url()], &keys).await;
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    let printed: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}"));
    assert_eq!(printed, sample);
    assert_eq!(
        printed["Handshake"]["HandshakeId"], "h-ycm4rp****",
        "the decoded Handshake is printed"
    );

    // The example sent the spec's example value, signed with the environment's STS credentials.
    double.assert_no_rejections();
    let requests = double.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].action, "CancelHandshake");
    assert_eq!(
        requests[0].params(),
        [("HandshakeId".to_string(), "h-ycm4rp****".to_string())]
    );
    assert_eq!(
        requests[0].header("x-acs-security-token"),
        Some(SECURITY_TOKEN)
    );
}

#[tokio::test]
async fn example_reports_a_service_error_on_stderr_and_exits_non_zero() {
    let keys = Keys::test();
    let double = ServiceDouble::start(RESOURCE_MANAGER, keys.clone()).await;
    double.push(Reply::error(
        404,
        "R-EXAMPLE-404",
        "resourcemanager.aliyuncs.com",
        "EntityNotExists.Handshake",
        "The specified handshake does not exist.",
    ));

    let output = run_example(vec![format!("--endpoint={}", double.url())], &keys).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.contains("EntityNotExists.Handshake"), "{stderr}");
    assert!(
        stderr.contains("R-EXAMPLE-404"),
        "request id on stderr: {stderr}"
    );
    assert!(stderr.contains("404"), "{stderr}");
    assert_eq!(text(&output.stdout), "", "nothing on stdout");
    // The secret is never echoed.
    assert!(!stderr.contains(ACCESS_KEY_SECRET));
    double.assert_no_rejections();
    assert_eq!(double.requests().len(), 1);
}

#[tokio::test]
async fn example_rejects_an_unknown_argument_with_exit_code_2() {
    let output = run_example(vec!["--bogus".into()], &Keys::test()).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--bogus"));
}

#[tokio::test]
async fn example_without_credentials_names_the_missing_variable() {
    let keys = Keys {
        access_key_id: ACCESS_KEY_ID.to_string(),
        access_key_secret: String::new(),
        security_token: None,
    };
    let output = run_example(
        vec!["--endpoint".into(), "http://127.0.0.1:9".into()],
        &keys,
    )
    .await;
    assert_ne!(output.status.code(), Some(0));
    assert!(
        text(&output.stderr).contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test]
async fn example_runs_with_only_a_cli_profile_file() {
    let keys = Keys::test();
    let double = ServiceDouble::start(RESOURCE_MANAGER, keys.clone()).await;
    double.push(Reply::json(
        200,
        &serde_json::json!({"RequestId": "from-profile"}),
    ));
    let home = tempfile::tempdir().expect("temporary home");
    std::fs::create_dir_all(home.path().join(".aliyun")).expect("mkdir");
    let profile = serde_json::json!({
        "current": "default",
        "profiles": [{
            "name": "default",
            "mode": "AK",
            "access_key_id": keys.access_key_id,
            "access_key_secret": keys.access_key_secret,
        }]
    });
    std::fs::write(home.path().join(".aliyun/config.json"), profile.to_string())
        .expect("write the profile");

    let output = run_example_in(vec!["--endpoint".into(), double.url()], None, home.path()).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr:\n{}",
        text(&output.stderr)
    );
    double.assert_no_rejections();
    assert_eq!(double.requests().len(), 1);
}
