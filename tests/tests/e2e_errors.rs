//! End to end: every documented error code of the five operations, answered over HTTP by the
//! service double with its documented status and a real error body, comes back as the
//! operation's own variant; undocumented codes land in the catch-all; bodies that are not
//! JSON come back as decode errors carrying the HTTP status.

mod e2e_support;

use std::future::Future;

use acs_cms_20190101 as cms;
use acs_resourcedirectorymaster_20220419 as rdm;
use acs_resourcemanager_20200331 as rm;
use acs_runtime::{Config, Credentials, ErrorMeta, RetryPolicy, SdkError};
use e2e_support::double::{
    Keys, Product, Reply, ServiceDouble, ACCESS_KEY_ID, ACCESS_KEY_SECRET, CMS,
    RESOURCE_DIRECTORY_MASTER, RESOURCE_MANAGER,
};
use e2e_support::spec;

use cms::operation::put_contact::{PutContactError, PutContactRequest};
use rdm::operation::cancel_message_contact_update::{
    CancelMessageContactUpdateError, CancelMessageContactUpdateRequest,
};
use rdm::operation::update_message_contact::{
    UpdateMessageContactError, UpdateMessageContactRequest,
};
use rm::operation::bind_secure_mobile_phone::{
    BindSecureMobilePhoneError, BindSecureMobilePhoneRequest,
};
use rm::operation::cancel_handshake::{CancelHandshakeError, CancelHandshakeRequest};

/// What the tests need of a generated operation error enum.
trait OperationError: std::fmt::Debug {
    fn code(&self) -> &str;
    fn message(&self) -> &str;
    fn request_id(&self) -> Option<&str>;
    fn http_status(&self) -> u16;
    fn meta(&self) -> &ErrorMeta;
    fn is_unhandled(&self) -> bool;
}

macro_rules! operation_error {
    ($($ty:ident),*) => {$(
        impl OperationError for $ty {
            fn code(&self) -> &str { $ty::code(self) }
            fn message(&self) -> &str { $ty::message(self) }
            fn request_id(&self) -> Option<&str> { $ty::request_id(self) }
            fn http_status(&self) -> u16 { $ty::http_status(self) }
            fn meta(&self) -> &ErrorMeta { $ty::meta(self) }
            fn is_unhandled(&self) -> bool { matches!(self, $ty::Unhandled(_)) }
        }
    )*};
}

operation_error!(
    BindSecureMobilePhoneError,
    CancelHandshakeError,
    CancelMessageContactUpdateError,
    UpdateMessageContactError,
    PutContactError
);

/// The documented codes of the five operations, straight from the generated enums.
type Codes = &'static [(&'static str, u16)];

/// `(spec file, operation, documented codes)`.
const ALL_CODES: [(&str, &str, Codes); 5] = [
    (
        spec::RESOURCE_MANAGER_SPEC,
        "BindSecureMobilePhone",
        BindSecureMobilePhoneError::CODES,
    ),
    (
        spec::RESOURCE_MANAGER_SPEC,
        "CancelHandshake",
        CancelHandshakeError::CODES,
    ),
    (
        spec::RESOURCE_DIRECTORY_MASTER_SPEC,
        "CancelMessageContactUpdate",
        CancelMessageContactUpdateError::CODES,
    ),
    (
        spec::RESOURCE_DIRECTORY_MASTER_SPEC,
        "UpdateMessageContact",
        UpdateMessageContactError::CODES,
    ),
    (spec::CMS_SPEC, "PutContact", PutContactError::CODES),
];

fn config_for(double: &ServiceDouble, product: Product) -> Config {
    Config::new(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .with_endpoint(product.service, double.url())
        .with_region("cn-hangzhou")
        .with_retry_policy(RetryPolicy::none())
}

/// The variant name in `Debug` output: `InvalidParameterTitle(ErrorMeta { .. })`.
fn variant_name(err: &impl std::fmt::Debug) -> String {
    let shown = format!("{err:?}");
    shown.split('(').next().unwrap_or_default().to_string()
}

/// Answers every documented code of one operation in turn and checks what the caller sees.
/// Returns how many codes were checked.
async fn check_every_code<T, E, F, Fut>(
    product: Product,
    spec_file: &str,
    action: &str,
    codes: &[(&str, u16)],
    call: F,
) -> usize
where
    T: std::fmt::Debug,
    E: OperationError,
    F: Fn(Config) -> Fut,
    Fut: Future<Output = Result<T, SdkError<E>>>,
{
    let documented = spec::operation(spec_file, action);
    let double = ServiceDouble::start(product, Keys::test()).await;
    let config = config_for(&double, product);
    for (i, &(code, status)) in codes.iter().enumerate() {
        let request_id = format!("{action}-{i:02}-5D3A-4E1B-9C2F");
        let message = documented
            .message_of(code)
            .unwrap_or_else(|| panic!("{action}: {code} is not in the spec's x-acs-errors"));
        double.clear_requests();
        double.push(Reply::error(
            status,
            &request_id,
            product.host_id,
            code,
            message,
        ));

        let err = match call(config.clone()).await {
            Ok(out) => panic!("{action} {code}: expected an error, got {out:?}"),
            Err(SdkError::Service(err)) => err,
            Err(other) => panic!("{action} {code}: expected a service error, got {other:?}"),
        };
        assert_eq!(err.code(), code, "{action}");
        assert_eq!(err.http_status(), status, "{action} {code}");
        assert_eq!(
            err.request_id(),
            Some(request_id.as_str()),
            "{action} {code}"
        );
        assert_eq!(err.message(), message, "{action} {code}");
        assert_eq!(
            err.meta().host_id(),
            Some(product.host_id),
            "{action} {code}"
        );
        assert!(
            err.meta()
                .recommend()
                .is_some_and(|r| r.contains(&format!("q={code}&"))),
            "{action} {code}: {:?}",
            err.meta().recommend()
        );
        // The documented variant, not the catch-all: the variant is the code without dots.
        assert!(!err.is_unhandled(), "{action} {code} fell into Unhandled");
        assert_eq!(variant_name(&err), code.replace('.', ""), "{action} {code}");
        // No retries with RetryPolicy::none(), also for the 429 and 5xx rows.
        double.assert_no_rejections();
        assert_eq!(double.requests().len(), 1, "{action} {code}: one request");
        assert_eq!(double.requests()[0].action, action);
    }
    codes.len()
}

fn bind_request() -> BindSecureMobilePhoneRequest {
    BindSecureMobilePhoneRequest::builder()
        .account_id("138660628348****")
        .secure_mobile_phone("xx-13900001234")
        .verification_code("123456")
        .build()
        .expect("request")
}

fn cancel_handshake_request() -> CancelHandshakeRequest {
    CancelHandshakeRequest::builder()
        .handshake_id("h-ycm4rp****")
        .build()
        .expect("request")
}

fn cancel_update_request() -> CancelMessageContactUpdateRequest {
    CancelMessageContactUpdateRequest::builder()
        .contact_id("c-qL4HqKONzOM7****")
        .build()
        .expect("request")
}

fn update_request() -> UpdateMessageContactRequest {
    UpdateMessageContactRequest::builder()
        .contact_id("c-qL4HqKONzOM7****")
        .name("张三")
        .build()
        .expect("request")
}

fn put_contact_request() -> PutContactRequest {
    PutContactRequest::builder()
        .contact_name("张三")
        .describe("on-call")
        .build()
        .expect("request")
}

#[test]
fn the_five_operations_document_37_codes_matching_the_spec_rows() {
    let mut total = 0;
    for (spec_file, action, codes) in ALL_CODES {
        let documented = spec::operation(spec_file, action);
        let from_spec: Vec<(&str, u16)> = documented
            .errors
            .iter()
            .map(|e| (e.code.as_str(), e.http_status))
            .collect();
        assert_eq!(
            codes,
            from_spec.as_slice(),
            "{action}: CODES vs x-acs-errors"
        );
        total += codes.len();
    }
    assert_eq!(total, 37);
}

#[tokio::test]
async fn bind_secure_mobile_phone_every_documented_code() {
    let n = check_every_code(
        RESOURCE_MANAGER,
        spec::RESOURCE_MANAGER_SPEC,
        "BindSecureMobilePhone",
        BindSecureMobilePhoneError::CODES,
        |config| async move {
            rm::Client::new(&config)
                .bind_secure_mobile_phone(bind_request())
                .await
        },
    )
    .await;
    assert_eq!(n, 9);
}

#[tokio::test]
async fn cancel_handshake_every_documented_code() {
    let n = check_every_code(
        RESOURCE_MANAGER,
        spec::RESOURCE_MANAGER_SPEC,
        "CancelHandshake",
        CancelHandshakeError::CODES,
        |config| async move {
            rm::Client::new(&config)
                .cancel_handshake(cancel_handshake_request())
                .await
        },
    )
    .await;
    assert_eq!(n, 4);
}

#[tokio::test]
async fn cancel_message_contact_update_every_documented_code() {
    let n = check_every_code(
        RESOURCE_DIRECTORY_MASTER,
        spec::RESOURCE_DIRECTORY_MASTER_SPEC,
        "CancelMessageContactUpdate",
        CancelMessageContactUpdateError::CODES,
        |config| async move {
            rdm::Client::new(&config)
                .cancel_message_contact_update(cancel_update_request())
                .await
        },
    )
    .await;
    assert_eq!(n, 7);
}

#[tokio::test]
async fn update_message_contact_every_documented_code() {
    let n = check_every_code(
        RESOURCE_DIRECTORY_MASTER,
        spec::RESOURCE_DIRECTORY_MASTER_SPEC,
        "UpdateMessageContact",
        UpdateMessageContactError::CODES,
        |config| async move {
            rdm::Client::new(&config)
                .update_message_contact(update_request())
                .await
        },
    )
    .await;
    assert_eq!(n, 14);
}

#[tokio::test]
async fn put_contact_every_documented_code() {
    let n = check_every_code(
        CMS,
        spec::CMS_SPEC,
        "PutContact",
        PutContactError::CODES,
        |config| async move {
            cms::Client::new(&config)
                .put_contact(put_contact_request())
                .await
        },
    )
    .await;
    assert_eq!(n, 3);
}

/// A few codes matched on their variant, the way a user writes it.
#[tokio::test]
async fn documented_codes_match_on_their_named_variants() {
    let rdm_double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test()).await;
    let rdm_client = rdm::Client::new(&config_for(&rdm_double, RESOURCE_DIRECTORY_MASTER));
    rdm_double.push(Reply::error(
        404,
        "R-1",
        "resourcedirectory.aliyuncs.com",
        "EntityNotExists.Contact",
        "The contact does not exist.",
    ));
    let err = rdm_client
        .update_message_contact(update_request())
        .await
        .expect_err("404");
    match err.as_service_error() {
        Some(UpdateMessageContactError::EntityNotExistsContact(meta)) => {
            assert_eq!(meta.request_id(), Some("R-1"));
            assert_eq!(meta.http_status(), 404);
        }
        other => panic!("expected EntityNotExistsContact, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "service error: EntityNotExists.Contact: The contact does not exist. \
         (HTTP 404, request id R-1)"
    );

    rdm_double.push(Reply::error(
        429,
        "R-2",
        "resourcedirectory.aliyuncs.com",
        "ConcurrentCallNotSupported",
        "Concurrent calls are not supported.",
    ));
    let err = rdm_client
        .update_message_contact(update_request())
        .await
        .expect_err("429");
    assert!(
        matches!(
            err,
            SdkError::Service(UpdateMessageContactError::ConcurrentCallNotSupported(ref m))
                if m.http_status() == 429
        ),
        "{err:?}"
    );

    let cms_double = ServiceDouble::start(CMS, Keys::test()).await;
    cms_double.push(Reply::error(
        500,
        "R-3",
        "metrics.cn-hangzhou.aliyuncs.com",
        "InternalError",
        "The request processing has failed due to some unknown error.",
    ));
    let err = cms::Client::new(&config_for(&cms_double, CMS))
        .put_contact(put_contact_request())
        .await
        .expect_err("500");
    assert!(
        matches!(
            err,
            SdkError::Service(PutContactError::InternalError(ref m)) if m.http_status() == 500
        ),
        "{err:?}"
    );

    let rm_double = ServiceDouble::start(RESOURCE_MANAGER, Keys::test()).await;
    rm_double.push(Reply::error(
        409,
        "R-4",
        "resourcemanager.aliyuncs.com",
        "Invalid.VerificationCode",
        "The verification code is invalid.",
    ));
    let err = rm::Client::new(&config_for(&rm_double, RESOURCE_MANAGER))
        .bind_secure_mobile_phone(bind_request())
        .await
        .expect_err("409");
    assert!(
        matches!(
            err,
            SdkError::Service(BindSecureMobilePhoneError::InvalidVerificationCode(_))
        ),
        "{err:?}"
    );
    for double in [&rdm_double, &cms_double, &rm_double] {
        double.assert_no_rejections();
    }
}

#[tokio::test]
async fn an_undocumented_code_lands_in_the_catch_all_with_its_code() {
    let double = ServiceDouble::start(RESOURCE_MANAGER, Keys::test()).await;
    double.push(Reply::error(
        403,
        "R-UNDOC",
        "resourcemanager.aliyuncs.com",
        "Forbidden.RAM.NewPolicyKind",
        "User not authorized to operate on the specified resource.",
    ));
    let err = rm::Client::new(&config_for(&double, RESOURCE_MANAGER))
        .cancel_handshake(cancel_handshake_request())
        .await
        .expect_err("403");
    match err {
        SdkError::Service(CancelHandshakeError::Unhandled(meta)) => {
            assert_eq!(meta.code(), "Forbidden.RAM.NewPolicyKind");
            assert_eq!(meta.http_status(), 403);
            assert_eq!(meta.request_id(), Some("R-UNDOC"));
            assert_eq!(
                meta.message(),
                "User not authorized to operate on the specified resource."
            );
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
    assert_eq!(double.requests().len(), 1);
}

/// CloudMonitor answers some failures with HTTP 200 and `"Success": false`; its spec says so
/// (`x-acs-success-flag`), and the caller gets the operation's typed error.
#[tokio::test]
async fn a_cloudmonitor_failure_in_an_http_200_answer_is_the_typed_error() {
    let double = ServiceDouble::start(CMS, Keys::test()).await;
    double.push(Reply::json(
        200,
        &serde_json::json!({
            "Success": false,
            "Code": "InvalidAuthorization",
            "Message": "Permission denied",
            "RequestId": "R-200-FAIL",
            "AccessDeniedDetail": {
                "AuthAction": "cms:PutContact",
                "NoPermissionType": "ImplicitDeny",
                "AuthPrincipalType": "SubUser",
            },
        }),
    ));
    let err = cms::Client::new(&config_for(&double, CMS))
        .put_contact(put_contact_request())
        .await
        .expect_err("a failure reported in the body");
    match &err {
        SdkError::Service(PutContactError::InvalidAuthorization(meta)) => {
            assert_eq!(meta.http_status(), 200);
            assert_eq!(meta.message(), "Permission denied");
            assert_eq!(meta.request_id(), Some("R-200-FAIL"));
            let detail = meta.access_denied_detail().expect("the detail is decoded");
            assert_eq!(detail.auth_action(), Some("cms:PutContact"));
            assert_eq!(detail.no_permission_type(), Some("ImplicitDeny"));
            assert_eq!(detail.auth_principal_type(), Some("SubUser"));
        }
        other => panic!("expected InvalidAuthorization, got {other:?}"),
    }
    assert!(
        err.to_string().contains("denied action cms:PutContact"),
        "{err}"
    );
    assert_eq!(double.requests().len(), 1, "a refusal is not retried");

    // The same body with `"Success": true` is the response.
    let double = ServiceDouble::start(CMS, Keys::test()).await;
    double.push(Reply::json(
        200,
        &serde_json::json!({"Success": true, "Code": "200", "Message": "", "RequestId": "R-OK"}),
    ));
    let response = cms::Client::new(&config_for(&double, CMS))
        .put_contact(put_contact_request())
        .await
        .expect("success");
    assert_eq!(response.request_id.as_deref(), Some("R-OK"));
    assert_eq!(response.success, Some(true));
}

/// Bodies that are not the expected JSON: the caller gets `SdkError::Decode` with the status.
#[tokio::test]
async fn html_empty_and_truncated_bodies_are_decode_errors_carrying_the_status() {
    let sample = spec::operation(spec::RESOURCE_MANAGER_SPEC, "CancelHandshake")
        .sample
        .expect("sample")
        .to_string();
    let truncated_success = sample[..sample.len() / 2].to_string();
    let error_json = e2e_support::double::error_body(
        "R-T",
        "resourcemanager.aliyuncs.com",
        "HandshakeStatusMismatch",
        "The invitation is invalid.",
    )
    .to_string();
    let truncated_error = error_json[..error_json.len() - 10].to_string();
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n\
                </body>\r\n</html>\r\n";

    let cases: [(&str, Reply, u16, &str); 6] = [
        (
            "HTML from a proxy",
            Reply::raw(502, "text/html", html),
            502,
            "502 Bad Gateway",
        ),
        (
            "empty 500",
            Reply::raw(500, "application/json", ""),
            500,
            "",
        ),
        (
            "empty 200",
            Reply::raw(200, "application/json", ""),
            200,
            "",
        ),
        (
            "truncated success",
            Reply::raw(200, "application/json", truncated_success.clone()),
            200,
            "9B34724D",
        ),
        (
            "truncated error",
            Reply::raw(409, "application/json", truncated_error.clone()),
            409,
            "HandshakeStatusMismatch",
        ),
        (
            "JSON error body without a Code",
            Reply::json(403, &serde_json::json!({"RequestId": "R-NOCODE"})),
            403,
            "R-NOCODE",
        ),
    ];

    let double = ServiceDouble::start(RESOURCE_MANAGER, Keys::test()).await;
    let client = rm::Client::new(&config_for(&double, RESOURCE_MANAGER));
    for (what, reply, status, excerpt) in cases {
        double.clear_requests();
        double.push(reply);
        let result = client.cancel_handshake(cancel_handshake_request()).await;
        match result {
            Err(SdkError::Decode(err)) => {
                assert_eq!(err.http_status(), status, "{what}");
                assert!(
                    err.body_excerpt().contains(excerpt),
                    "{what}: excerpt {:?}",
                    err.body_excerpt()
                );
                if excerpt.is_empty() {
                    assert_eq!(err.body_excerpt(), "", "{what}");
                }
                let shown = err.to_string();
                assert!(shown.contains(&format!("HTTP {status}")), "{what}: {shown}");
            }
            other => panic!("{what}: expected a decode error, got {other:?}"),
        }
        assert_eq!(double.requests().len(), 1, "{what}: one request");
    }
    double.assert_no_rejections();
}
