//! End to end: retries, backoff and timeouts against the service double over real HTTP.

mod e2e_support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use acs_resourcedirectorymaster_20220419 as rdm;
use acs_runtime::{Config, Credentials, RetryPolicy, SdkError};
use e2e_support::double::{
    Keys, Recorded, Reply, ServiceDouble, ACCESS_KEY_ID, ACCESS_KEY_SECRET,
    RESOURCE_DIRECTORY_MASTER,
};
use e2e_support::spec;

use rdm::operation::cancel_message_contact_update::{
    CancelMessageContactUpdateError, CancelMessageContactUpdateRequest,
};

const HOST_ID: &str = "resourcedirectory.aliyuncs.com";

/// Tiny backoff so that retried tests stay fast.
fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::new()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

fn config_for(double: &ServiceDouble, policy: RetryPolicy) -> Config {
    Config::new(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .with_endpoint(RESOURCE_DIRECTORY_MASTER.service, double.url())
        .with_retry_policy(policy)
}

fn request() -> CancelMessageContactUpdateRequest {
    CancelMessageContactUpdateRequest::builder()
        .contact_id("c-qL4HqKONzOM7****")
        .email_address("张三@example.com")
        .build()
        .expect("request")
}

fn success() -> Reply {
    let documented = spec::operation(
        spec::RESOURCE_DIRECTORY_MASTER_SPEC,
        "CancelMessageContactUpdate",
    );
    Reply::json(200, &documented.success_body())
}

/// Every attempt is a complete, separately signed request: same parameters, fresh nonce.
fn assert_fresh_attempts(requests: &[Recorded]) {
    let nonces: HashSet<&str> = requests.iter().map(|r| r.nonce()).collect();
    assert_eq!(nonces.len(), requests.len(), "a fresh nonce per attempt");
    for r in requests {
        assert_eq!(r.action, "CancelMessageContactUpdate");
        assert_eq!(r.params(), requests[0].params(), "same parameters");
        assert!(r.header("x-acs-date").is_some());
    }
}

#[tokio::test]
async fn throttling_then_success_succeeds_after_exactly_two_requests() {
    for (status, code) in [
        (400, "Throttling.User"),
        (429, "Throttling"),
        (400, "Throttling.Api"),
    ] {
        let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
        double.push(Reply::error(
            status,
            "R-THROTTLED",
            HOST_ID,
            code,
            "Request was denied due to user flow control.",
        ));
        double.push(success());
        let response = rdm::Client::new(&config_for(&double, fast_retries(3)))
            .cancel_message_contact_update(request())
            .await
            .unwrap_or_else(|e| panic!("{code}: expected success after a retry, got {e:?}"));
        assert_eq!(
            response.request_id.as_deref(),
            Some("9B34724D-54B0-4A51-B34D-4512372FE1BE"),
            "{code}"
        );
        double.assert_no_rejections();
        let requests = double.requests();
        assert_eq!(requests.len(), 2, "{code}: exactly two requests");
        assert_fresh_attempts(&requests);
    }
}

#[tokio::test]
async fn retry_after_header_is_honoured() {
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
    double.push(
        Reply::error(400, "R-RA", HOST_ID, "Throttling.User", "slow down")
            .with_header("x-acs-retry-after", "250"),
    );
    double.push(success());
    let policy = fast_retries(3).with_max_backoff(Duration::from_secs(2));
    rdm::Client::new(&config_for(&double, policy))
        .cancel_message_contact_update(request())
        .await
        .expect("success after the requested delay");
    let requests = double.requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].received_at - requests[0].received_at;
    assert!(
        waited >= Duration::from_millis(240),
        "waited only {waited:?} of the 250 ms asked for"
    );
}

#[tokio::test]
async fn a_server_that_always_throttles_gets_exactly_max_attempts_requests() {
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
    double.always(Reply::error(
        400,
        "R-THROTTLED",
        HOST_ID,
        "Throttling.User",
        "Request was denied due to user flow control.",
    ));
    // 4, not the default 3, so that the configured value is what is checked.
    let err = rdm::Client::new(&config_for(&double, fast_retries(4)))
        .cancel_message_contact_update(request())
        .await
        .expect_err("always throttled");
    match &err {
        SdkError::Service(CancelMessageContactUpdateError::Unhandled(meta)) => {
            assert_eq!(meta.code(), "Throttling.User");
            assert_eq!(meta.request_id(), Some("R-THROTTLED"));
        }
        other => panic!("expected the last refusal as a service error, got {other:?}"),
    }
    double.assert_no_rejections();
    let requests = double.requests();
    assert_eq!(requests.len(), 4, "exactly max_attempts requests");
    assert_fresh_attempts(&requests);
}

/// CancelMessageContactUpdate changes state (access level `update`) and has no idempotency
/// token: once the request may have reached the service, it is not sent again.
#[tokio::test]
async fn an_operation_that_changes_state_is_not_repeated_after_a_503_a_502_page_or_a_timeout() {
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
    double.push(Reply::error(
        503,
        "R-503",
        HOST_ID,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
    ));
    // Were it retried, the next attempt would succeed and the call would not fail.
    double.always(success());
    let err = rdm::Client::new(&config_for(&double, fast_retries(4)))
        .cancel_message_contact_update(request())
        .await
        .expect_err("not retried");
    match &err {
        SdkError::Service(CancelMessageContactUpdateError::Unhandled(meta)) => {
            assert_eq!(
                (meta.code(), meta.http_status()),
                ("ServiceUnavailable", 503)
            );
        }
        other => panic!("expected the 503 as a service error, got {other:?}"),
    }
    assert_eq!(double.requests().len(), 1, "sent exactly once");

    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
    double.push(Reply::raw(
        502,
        "text/html",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    ));
    double.always(success());
    let err = rdm::Client::new(&config_for(&double, fast_retries(3)))
        .cancel_message_contact_update(request())
        .await
        .expect_err("not retried");
    assert!(
        matches!(err, SdkError::Decode(ref d) if d.http_status() == 502),
        "{err:?}"
    );
    assert_eq!(double.requests().len(), 1, "sent exactly once");
}

#[tokio::test]
async fn a_server_that_never_answers_gives_a_timeout_within_the_read_timeout() {
    let read_timeout = Duration::from_millis(300);
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
    double.always(Reply::hang());

    let config = config_for(&double, fast_retries(3)).with_read_timeout(read_timeout);
    let started = Instant::now();
    let err = rdm::Client::new(&config)
        .cancel_message_contact_update(request())
        .await
        .expect_err("no answer");
    let elapsed = started.elapsed();
    match &err {
        SdkError::Timeout(timeout) => {
            assert_eq!(timeout.after(), read_timeout);
            assert_eq!(timeout.attempts(), 1);
            assert!(!timeout.is_deadline());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_timeout());
    assert!(elapsed >= read_timeout, "gave up early: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    // The update may have been carried out: with three attempts allowed, it is sent once.
    assert_eq!(double.requests().len(), 1, "the request did arrive, once");
}

#[tokio::test]
async fn a_non_retryable_400_is_sent_exactly_once() {
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
    double.push(Reply::error(
        400,
        "R-400",
        HOST_ID,
        "InvalidParameter.ContactId",
        "The ContactId is invalid.",
    ));
    // Were it retried, the next attempt would succeed and the call would not fail.
    double.always(success());
    let err = rdm::Client::new(&config_for(&double, fast_retries(4)))
        .cancel_message_contact_update(request())
        .await
        .expect_err("not retried");
    assert!(
        matches!(
            err,
            SdkError::Service(CancelMessageContactUpdateError::InvalidParameterContactId(
                _
            ))
        ),
        "{err:?}"
    );
    assert_eq!(double.requests().len(), 1, "sent exactly once");
}
