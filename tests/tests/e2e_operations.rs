//! End to end: the five generated operations, every field filled, sent over real HTTP to a
//! service double that verifies the V3 (and V1) signature of every request, answering with
//! the sample responses documented in `spec/`.

mod e2e_support;

use acs_cms_20190101 as cms;
use acs_resourcedirectorymaster_20220419 as rdm;
use acs_resourcemanager_20200331 as rm;
use std::time::Duration;

use acs_runtime::{
    Config, Credentials, HttpRequest, HttpResponse, ReqwestTransport, RetryPolicy, SdkError,
    ServiceClient, SignatureVersion, Transport,
};
use e2e_support::double::{
    canonical_query, Keys, Product, Recorded, Reply, ServiceDouble, Signing, ACCESS_KEY_ID,
    ACCESS_KEY_SECRET, CMS, RESOURCE_DIRECTORY_MASTER, RESOURCE_MANAGER, SECURITY_TOKEN,
};
use e2e_support::spec;

use cms::types::{Channels, Lang};
use rdm::types::{MessageType, Title};

/// A name with non-ASCII text and reserved characters.
const NAME: &str = "张三 & Co/+=?";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The pairs in canonical (byte-wise by name) order, as a V3 query carries them.
fn sorted(mut list: Vec<(String, String)>) -> Vec<(String, String)> {
    list.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    list
}

fn config_for(double: &ServiceDouble, product: Product, keys: &Keys) -> Config {
    let mut credentials = Credentials::new(&keys.access_key_id, &keys.access_key_secret);
    if let Some(token) = &keys.security_token {
        credentials = credentials.with_security_token(token);
    }
    Config::new(credentials)
        .with_endpoint(product.service, double.url())
        .with_retry_policy(RetryPolicy::none())
}

/// The one request the double accepted, after checking nothing was rejected.
fn only_request(double: &ServiceDouble) -> Recorded {
    double.assert_no_rejections();
    let mut requests = double.requests();
    assert_eq!(requests.len(), 1, "exactly one request: {requests:#?}");
    requests.remove(0)
}

/// What every V3 request must look like on the wire.
fn assert_v3_request(rec: &Recorded, double: &ServiceDouble, product: Product, action: &str) {
    assert_eq!(rec.signing, Signing::V3);
    assert_eq!(rec.method, "POST");
    assert_eq!(rec.path, "/");
    assert_eq!(rec.action, action);
    assert_eq!(rec.version, product.version);
    assert_eq!(rec.header("host"), Some(double.host().as_str()));
    assert_eq!(rec.header("x-acs-action"), Some(action));
    assert_eq!(rec.header("x-acs-version"), Some(product.version));
    assert_eq!(rec.header("x-acs-content-sha256"), Some(EMPTY_SHA256));
    assert_eq!(rec.header("accept"), Some("application/json"));
    assert!(rec.body.is_empty(), "RPC requests have an empty body");
    let nonce = rec.nonce();
    assert!(
        nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit()),
        "nonce {nonce:?}"
    );
    for name in [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ] {
        assert!(
            rec.is_signed(name),
            "{name} is signed: {:?}",
            rec.signed_headers
        );
    }
    // No Action/Version/signature fields in a V3 query: only operation parameters.
    for common in ["Action", "Version", "Signature", "AccessKeyId", "RegionId"] {
        assert!(
            rec.query_param(common).is_none(),
            "{common} not in a V3 query"
        );
    }
    // The wire query is the canonical query: sorted by name, RFC 3986 encoded.
    assert_eq!(rec.raw_query, canonical_query(&rec.query));
}

fn assert_no_sts(rec: &Recorded) {
    assert_eq!(rec.header("x-acs-security-token"), None);
    assert_eq!(rec.header("x-acs-accesskey-id"), None);
}

// ---------------------------------------------------------------------------------------------
// The five requests, every field filled, and their expected wire parameters.

fn bind_secure_mobile_phone() -> (
    rm::operation::bind_secure_mobile_phone::BindSecureMobilePhoneRequest,
    Vec<(String, String)>,
) {
    let request = rm::operation::bind_secure_mobile_phone::BindSecureMobilePhoneRequest::builder()
        .account_id("138660628348****")
        .secure_mobile_phone("xx-13900001234")
        .verification_code("12 34~56*(!)'")
        .build()
        .expect("all fields set");
    let wire = pairs(&[
        ("AccountId", "138660628348****"),
        ("SecureMobilePhone", "xx-13900001234"),
        ("VerificationCode", "12 34~56*(!)'"),
    ]);
    (request, wire)
}

fn cancel_handshake() -> (
    rm::operation::cancel_handshake::CancelHandshakeRequest,
    Vec<(String, String)>,
) {
    // `%2F` must travel encoded again (`%252F`), not be taken for an escape.
    let id = "h-ycm4rp**** %2F/~";
    let request = rm::operation::cancel_handshake::CancelHandshakeRequest::builder()
        .handshake_id(id)
        .build()
        .expect("HandshakeId set");
    (request, pairs(&[("HandshakeId", id)]))
}

fn cancel_message_contact_update() -> (
    rdm::operation::cancel_message_contact_update::CancelMessageContactUpdateRequest,
    Vec<(String, String)>,
) {
    let request =
        rdm::operation::cancel_message_contact_update::CancelMessageContactUpdateRequest::builder()
            .contact_id("c-qL4HqKONzOM7****")
            .phone_number("86-139****1234")
            .email_address("张三+ops@example.com")
            .build()
            .expect("all fields set");
    let wire = pairs(&[
        ("ContactId", "c-qL4HqKONzOM7****"),
        ("PhoneNumber", "86-139****1234"),
        ("EmailAddress", "张三+ops@example.com"),
    ]);
    (request, wire)
}

/// Eleven message types: the six documented ones and five the page does not list, so that
/// the keys run past `MessageTypes.9` (`MessageTypes.10` sorts before `MessageTypes.2`).
const MESSAGE_TYPES: [&str; 11] = [
    "ServiceMessage",
    "FaultMessage",
    "AccountExpenses",
    "SecurityMessage",
    "ActivityMessage",
    "ProductMessage",
    "FutureMessage~v2",
    "Billing*Alerts",
    "站内信",
    "a&b=c",
    "Tail Message",
];

fn update_message_contact() -> (
    rdm::operation::update_message_contact::UpdateMessageContactRequest,
    Vec<(String, String)>,
) {
    let request = rdm::operation::update_message_contact::UpdateMessageContactRequest::builder()
        .contact_id("c-qL4HqKONzOM7****")
        .name(NAME)
        .email_address("someone***@example.com")
        .phone_number("86-139****1234")
        .title(Title::Ceo)
        .message_types(MESSAGE_TYPES.map(MessageType::from))
        .build()
        .expect("all fields set");
    let mut wire = pairs(&[
        ("ContactId", "c-qL4HqKONzOM7****"),
        ("Name", NAME),
        ("EmailAddress", "someone***@example.com"),
        ("PhoneNumber", "86-139****1234"),
        ("Title", "CEO"),
    ]);
    for (i, value) in MESSAGE_TYPES.iter().enumerate() {
        wire.push((format!("MessageTypes.{}", i + 1), value.to_string()));
    }
    (request, wire)
}

const DING_WEB_HOOK: &str =
    "https://oapi.dingtalk.com/robot/send?access_token=7d49****&timestamp=1&sign=a%2Bb==";

fn put_contact() -> (
    cms::operation::put_contact::PutContactRequest,
    Vec<(String, String)>,
) {
    let channels = Channels::builder()
        .sms("1333333****")
        .mail("ops+alerts@example.com")
        .ali_im("张三")
        .ding_web_hook(DING_WEB_HOOK)
        .build()
        .expect("channels");
    let request = cms::operation::put_contact::PutContactRequest::builder()
        .contact_name(NAME)
        .describe("Ops ~ on-call * 24/7 (primary) – 值班")
        .channels(channels)
        .lang(Lang::ZhCn)
        .build()
        .expect("all fields set");
    let wire = pairs(&[
        ("ContactName", NAME),
        ("Describe", "Ops ~ on-call * 24/7 (primary) – 值班"),
        ("Channels.SMS", "1333333****"),
        ("Channels.Mail", "ops+alerts@example.com"),
        ("Channels.AliIM", "张三"),
        ("Channels.DingWebHook", DING_WEB_HOOK),
        ("Lang", "zh-cn"),
    ]);
    (request, wire)
}

// ---------------------------------------------------------------------------------------------
// V3, one operation per test.

#[tokio::test]
async fn bind_secure_mobile_phone_sends_every_field_and_decodes_the_request_id() {
    let keys = Keys::test();
    let double = ServiceDouble::start(RESOURCE_MANAGER, keys.clone()).await;
    let documented = spec::operation(spec::RESOURCE_MANAGER_SPEC, "BindSecureMobilePhone");
    double.push(Reply::json(200, &documented.success_body()));

    let (request, wire) = bind_secure_mobile_phone();
    let client = rm::Client::new(&config_for(&double, RESOURCE_MANAGER, &keys));
    let response = client
        .bind_secure_mobile_phone(request)
        .await
        .expect("success");

    // The page shows no sample; the double answered the documented RequestId example.
    assert_eq!(
        response.request_id.as_deref(),
        Some("0217AFEB-5318-56D4-B167-1933D83EDF3F")
    );
    let rec = only_request(&double);
    assert_v3_request(&rec, &double, RESOURCE_MANAGER, "BindSecureMobilePhone");
    assert_no_sts(&rec);
    assert_eq!(rec.params(), sorted(wire));
    // Space, `*`, `(`, `)`, `!`, `'` percent-encoded, `~` literal.
    assert!(
        rec.raw_query
            .contains("VerificationCode=12%2034~56%2A%28%21%29%27"),
        "{}",
        rec.raw_query
    );
}

#[tokio::test]
async fn cancel_handshake_decodes_every_member_of_the_sample_handshake() {
    let keys = Keys::test();
    let double = ServiceDouble::start(RESOURCE_MANAGER, keys.clone()).await;
    let documented = spec::operation(spec::RESOURCE_MANAGER_SPEC, "CancelHandshake");
    let sample = documented.sample.clone().expect("the page prints a sample");
    double.push(Reply::json(200, &sample));

    let (request, wire) = cancel_handshake();
    let client = rm::Client::new(&config_for(&double, RESOURCE_MANAGER, &keys));
    let response = client.cancel_handshake(request).await.expect("success");

    assert_eq!(
        response.request_id.as_deref(),
        Some("9B34724D-54B0-4A51-B34D-4512372FE1BE")
    );
    let handshake = response.handshake.clone().expect("Handshake decoded");
    assert_eq!(handshake.handshake_id.as_deref(), Some("h-ycm4rp****"));
    assert_eq!(
        handshake.resource_directory_id.as_deref(),
        Some("rd-abcdef****")
    );
    assert_eq!(
        handshake.master_account_id.as_deref(),
        Some("172841235500****")
    );
    assert_eq!(handshake.master_account_name.as_deref(), Some("Alice"));
    assert_eq!(
        handshake.target_entity.as_deref(),
        Some("someone@example.com")
    );
    assert_eq!(handshake.target_type.as_deref(), Some("Email"));
    assert_eq!(handshake.note.as_deref(), Some("Welcome"));
    assert_eq!(handshake.status.as_deref(), Some("Cancelled"));
    assert_eq!(
        handshake.create_time.as_deref(),
        Some("2018-08-10T09:55:41Z")
    );
    assert_eq!(
        handshake.modify_time.as_deref(),
        Some("2018-08-10T09:55:41Z")
    );
    assert_eq!(
        handshake.expire_time.as_deref(),
        Some("2018-08-24T09:55:41Z")
    );
    // Nothing of the sample is lost: the response serializes back to it.
    assert_eq!(serde_json::to_value(&response).expect("serialize"), sample);

    let rec = only_request(&double);
    assert_v3_request(&rec, &double, RESOURCE_MANAGER, "CancelHandshake");
    assert_eq!(rec.params(), wire);
    assert_eq!(
        rec.raw_query,
        "HandshakeId=h-ycm4rp%2A%2A%2A%2A%20%252F%2F~"
    );
}

#[tokio::test]
async fn cancel_message_contact_update_sends_every_field() {
    let keys = Keys::test();
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, keys.clone()).await;
    let documented = spec::operation(
        spec::RESOURCE_DIRECTORY_MASTER_SPEC,
        "CancelMessageContactUpdate",
    );
    let sample = documented.sample.clone().expect("the page prints a sample");
    double.push(Reply::json(200, &sample));

    let (request, wire) = cancel_message_contact_update();
    let client = rdm::Client::new(&config_for(&double, RESOURCE_DIRECTORY_MASTER, &keys));
    let response = client
        .cancel_message_contact_update(request)
        .await
        .expect("success");

    assert_eq!(
        response.request_id.as_deref(),
        Some("9B34724D-54B0-4A51-B34D-4512372FE1BE")
    );
    assert_eq!(serde_json::to_value(&response).expect("serialize"), sample);
    let rec = only_request(&double);
    assert_v3_request(
        &rec,
        &double,
        RESOURCE_DIRECTORY_MASTER,
        "CancelMessageContactUpdate",
    );
    assert_no_sts(&rec);
    assert_eq!(rec.params(), sorted(wire));
    assert!(
        rec.raw_query
            .contains("EmailAddress=%E5%BC%A0%E4%B8%89%2Bops%40example.com"),
        "{}",
        rec.raw_query
    );
}

#[tokio::test]
async fn update_message_contact_with_sts_sends_eleven_message_types_and_signs_the_token() {
    let keys = Keys::test_sts();
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, keys.clone()).await;
    let documented = spec::operation(spec::RESOURCE_DIRECTORY_MASTER_SPEC, "UpdateMessageContact");
    let sample = documented.sample.clone().expect("the page prints a sample");
    double.push(Reply::json(200, &sample));

    let (request, wire) = update_message_contact();
    let client = rdm::Client::new(&config_for(&double, RESOURCE_DIRECTORY_MASTER, &keys));
    let response = client
        .update_message_contact(request)
        .await
        .expect("success");
    assert_eq!(
        response.request_id.as_deref(),
        Some("9B34724D-54B0-4A51-B34D-4512372FE1BE")
    );
    assert_eq!(serde_json::to_value(&response).expect("serialize"), sample);

    let rec = only_request(&double);
    assert_v3_request(
        &rec,
        &double,
        RESOURCE_DIRECTORY_MASTER,
        "UpdateMessageContact",
    );
    // STS: the token and the AccessKey ID travel in headers, both signed.
    assert_eq!(rec.header("x-acs-security-token"), Some(SECURITY_TOKEN));
    assert_eq!(rec.header("x-acs-accesskey-id"), Some(ACCESS_KEY_ID));
    assert!(rec.is_signed("x-acs-security-token"));
    assert!(rec.is_signed("x-acs-accesskey-id"));
    // Every parameter, byte-wise sorted on the wire.
    assert_eq!(rec.params(), sorted(wire));
    let keys_on_wire: Vec<&str> = rec.query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys_on_wire,
        [
            "ContactId",
            "EmailAddress",
            "MessageTypes.1",
            "MessageTypes.10",
            "MessageTypes.11",
            "MessageTypes.2",
            "MessageTypes.3",
            "MessageTypes.4",
            "MessageTypes.5",
            "MessageTypes.6",
            "MessageTypes.7",
            "MessageTypes.8",
            "MessageTypes.9",
            "Name",
            "PhoneNumber",
            "Title",
        ]
    );
    // The list, read back by index, is the list the caller gave.
    let decoded: Vec<String> = (1..=MESSAGE_TYPES.len())
        .map(|i| {
            rec.query_param(&format!("MessageTypes.{i}"))
                .expect("every index present")
                .to_string()
        })
        .collect();
    assert_eq!(decoded, MESSAGE_TYPES);
    assert!(
        rec.raw_query
            .contains("Name=%E5%BC%A0%E4%B8%89%20%26%20Co%2F%2B%3D%3F"),
        "{}",
        rec.raw_query
    );
    assert!(rec.raw_query.contains("MessageTypes.10=a%26b%3Dc"));
}

#[tokio::test]
async fn put_contact_sends_nested_channels_and_the_endpoint_override_beats_the_region() {
    let keys = Keys::test();
    let double = ServiceDouble::start(CMS, keys.clone()).await;
    let documented = spec::operation(spec::CMS_SPEC, "PutContact");
    let sample = documented.sample.clone().expect("the page prints a sample");
    double.push(Reply::json(200, &sample));

    let config = config_for(&double, CMS, &keys).with_region("cn-hangzhou");
    // Without the override the region picks the documented host; with it, the double wins.
    let by_region =
        Config::new(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)).with_region("cn-hangzhou");
    assert_eq!(
        ServiceClient::new(&by_region, &cms::SERVICE)
            .endpoint()
            .expect("regional endpoint"),
        "https://metrics.cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(
        ServiceClient::new(&config, &cms::SERVICE)
            .endpoint()
            .expect("override"),
        double.url()
    );

    let (request, wire) = put_contact();
    let response = cms::Client::new(&config)
        .put_contact(request)
        .await
        .expect("success");

    assert_eq!(response.success, Some(true));
    assert_eq!(response.code.as_deref(), Some("200"));
    assert_eq!(
        response.message.as_deref(),
        Some("The Request is not authorization.")
    );
    assert_eq!(
        response.request_id.as_deref(),
        Some("181C406E-9DE4-484C-9C61-37AE9A1A12EE")
    );
    assert_eq!(serde_json::to_value(&response).expect("serialize"), sample);

    let rec = only_request(&double);
    // The request reached the double (not metrics.cn-hangzhou.aliyuncs.com), with its host.
    assert_v3_request(&rec, &double, CMS, "PutContact");
    assert_no_sts(&rec);
    assert_eq!(rec.params(), sorted(wire));
    // The region only picks the host; no RegionId parameter is sent.
    assert_eq!(rec.query_param("RegionId"), None);
    assert!(
        rec.raw_query.contains(
            "Channels.DingWebHook=https%3A%2F%2Foapi.dingtalk.com%2Frobot%2Fsend%3Faccess_token%3D7d49%2A%2A%2A%2A%26timestamp%3D1%26sign%3Da%252Bb%3D%3D"
        ),
        "{}",
        rec.raw_query
    );
}

#[tokio::test]
async fn absent_fields_are_left_out_and_empty_values_travel_as_empty() {
    let keys = Keys::test();
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, keys.clone()).await;
    double.always(Reply::json(
        200,
        &serde_json::json!({"RequestId": "R-SPARSE"}),
    ));
    // A trailing slash on the endpoint is ignored.
    let config = Config::new(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .with_endpoint(&rdm::SERVICE, format!("{}/", double.url()))
        .with_retry_policy(RetryPolicy::none());
    let client = rdm::Client::new(&config);

    let request = rdm::operation::update_message_contact::UpdateMessageContactRequest::builder()
        .contact_id("c-1")
        .name("")
        .message_types(Vec::<MessageType>::new())
        .build()
        .expect("request");
    let response = client.update_message_contact(request).await.expect("ok");
    assert_eq!(response.request_id.as_deref(), Some("R-SPARSE"));

    let rec = only_request(&double);
    assert_v3_request(
        &rec,
        &double,
        RESOURCE_DIRECTORY_MASTER,
        "UpdateMessageContact",
    );
    // No Title, EmailAddress, PhoneNumber; an empty list adds no MessageTypes.N.
    assert_eq!(rec.params(), pairs(&[("ContactId", "c-1"), ("Name", "")]));
    assert_eq!(rec.raw_query, "ContactId=c-1&Name=");
}

// ---------------------------------------------------------------------------------------------
// V1 (HMAC-SHA1, everything in the query), all five operations, with an STS token.

/// Checks a V1 request: common parameters in the documented order around the operation
/// parameters, and the operation parameters equal to `wire`.
fn assert_v1_request(rec: &Recorded, product: Product, action: &str, wire: &[(String, String)]) {
    assert_eq!(rec.signing, Signing::V1);
    assert_eq!(rec.method, "POST");
    assert_eq!(rec.path, "/");
    assert_eq!(rec.query_param("Action"), Some(action));
    assert_eq!(rec.query_param("Version"), Some(product.version));
    assert_eq!(rec.query_param("Format"), Some("JSON"));
    assert_eq!(rec.query_param("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(rec.query_param("SignatureVersion"), Some("1.0"));
    assert_eq!(rec.query_param("AccessKeyId"), Some(ACCESS_KEY_ID));
    assert_eq!(rec.query_param("SecurityToken"), Some(SECURITY_TOKEN));
    assert_eq!(rec.header("authorization"), None, "V1 has no Authorization");
    let names: Vec<&str> = rec.query.iter().map(|(k, _)| k.as_str()).collect();
    let n = names.len();
    assert_eq!(
        names[..5],
        ["Action", "Format", "Version", "Timestamp", "SignatureNonce"]
    );
    assert_eq!(
        names[n - 5..],
        [
            "SecurityToken",
            "SignatureMethod",
            "SignatureVersion",
            "AccessKeyId",
            "Signature"
        ]
    );
    assert_eq!(sorted(rec.params()), sorted(wire.to_vec()));
}

#[tokio::test]
async fn all_five_operations_signed_with_v1_and_an_sts_token() {
    let keys = Keys::test_sts();
    let rm_double = ServiceDouble::start(RESOURCE_MANAGER, keys.clone()).await;
    let rdm_double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, keys.clone()).await;
    let cms_double = ServiceDouble::start(CMS, keys.clone()).await;
    let v1 = |double: &ServiceDouble, product: Product| {
        config_for(double, product, &keys).with_signature_version(SignatureVersion::V1)
    };

    let rm_client = rm::Client::new(&v1(&rm_double, RESOURCE_MANAGER));
    let rdm_client = rdm::Client::new(&v1(&rdm_double, RESOURCE_DIRECTORY_MASTER));
    let cms_client = cms::Client::new(&v1(&cms_double, CMS).with_region("cn-hangzhou"));

    let rm_spec = spec::operation(spec::RESOURCE_MANAGER_SPEC, "CancelHandshake");
    let rdm_spec = spec::operation(spec::RESOURCE_DIRECTORY_MASTER_SPEC, "UpdateMessageContact");
    let cms_spec = spec::operation(spec::CMS_SPEC, "PutContact");

    // ResourceManager.
    rm_double.push(Reply::json(
        200,
        &serde_json::json!({"RequestId": "V1-BIND"}),
    ));
    let (request, bind_wire) = bind_secure_mobile_phone();
    let out = rm_client
        .bind_secure_mobile_phone(request)
        .await
        .expect("V1 BindSecureMobilePhone");
    assert_eq!(out.request_id.as_deref(), Some("V1-BIND"));
    rm_double.push(Reply::json(200, &rm_spec.success_body()));
    let (request, cancel_wire) = cancel_handshake();
    let out = rm_client
        .cancel_handshake(request)
        .await
        .expect("V1 CancelHandshake");
    assert_eq!(
        out.handshake.and_then(|h| h.status).as_deref(),
        Some("Cancelled")
    );
    rm_double.assert_no_rejections();
    let recs = rm_double.requests();
    assert_eq!(recs.len(), 2);
    assert_v1_request(
        &recs[0],
        RESOURCE_MANAGER,
        "BindSecureMobilePhone",
        &bind_wire,
    );
    assert_v1_request(&recs[1], RESOURCE_MANAGER, "CancelHandshake", &cancel_wire);

    // ResourceDirectoryMaster.
    rdm_double.push(Reply::json(
        200,
        &serde_json::json!({"RequestId": "V1-CMCU"}),
    ));
    let (request, cmcu_wire) = cancel_message_contact_update();
    let out = rdm_client
        .cancel_message_contact_update(request)
        .await
        .expect("V1 CancelMessageContactUpdate");
    assert_eq!(out.request_id.as_deref(), Some("V1-CMCU"));
    rdm_double.push(Reply::json(200, &rdm_spec.success_body()));
    let (request, umc_wire) = update_message_contact();
    let out = rdm_client
        .update_message_contact(request)
        .await
        .expect("V1 UpdateMessageContact");
    assert_eq!(
        out.request_id.as_deref(),
        Some("9B34724D-54B0-4A51-B34D-4512372FE1BE")
    );
    rdm_double.assert_no_rejections();
    let recs = rdm_double.requests();
    assert_eq!(recs.len(), 2);
    assert_v1_request(
        &recs[0],
        RESOURCE_DIRECTORY_MASTER,
        "CancelMessageContactUpdate",
        &cmcu_wire,
    );
    assert_v1_request(
        &recs[1],
        RESOURCE_DIRECTORY_MASTER,
        "UpdateMessageContact",
        &umc_wire,
    );

    // Cms.
    cms_double.push(Reply::json(200, &cms_spec.success_body()));
    let (request, put_wire) = put_contact();
    let out = cms_client
        .put_contact(request)
        .await
        .expect("V1 PutContact");
    assert_eq!(out.success, Some(true));
    assert_eq!(out.code.as_deref(), Some("200"));
    assert_v1_request(
        &{
            cms_double.assert_no_rejections();
            let recs = cms_double.requests();
            assert_eq!(recs.len(), 1);
            recs[0].clone()
        },
        CMS,
        "PutContact",
        &put_wire,
    );
}

// ---------------------------------------------------------------------------------------------
// The double really verifies: a client with the wrong secret is refused, loudly.

#[tokio::test]
async fn a_request_signed_with_the_wrong_secret_is_rejected_in_v3_and_v1() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let double = ServiceDouble::start(RESOURCE_MANAGER, Keys::test()).await;
        let wrong = Keys {
            access_key_secret: "not-the-secret".to_string(),
            ..Keys::test()
        };
        let config = config_for(&double, RESOURCE_MANAGER, &wrong).with_signature_version(version);
        let (request, _) = cancel_handshake();
        let err = rm::Client::new(&config)
            .cancel_handshake(request)
            .await
            .expect_err("a wrong signature must be refused");
        let SdkError::Service(service) = err else {
            panic!("{version:?}: expected a service error, got {err:?}");
        };
        let expected = match version {
            SignatureVersion::V3 => "IncompleteSignature",
            _ => "SignatureDoesNotMatch",
        };
        assert_eq!(service.code(), expected, "{version:?}");
        assert_eq!(service.http_status(), 400);
        assert!(double.requests().is_empty(), "nothing accepted");
        assert_eq!(double.rejections().len(), 1);
    }
}

#[tokio::test]
async fn a_request_without_the_expected_sts_token_is_rejected() {
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, Keys::test_sts()).await;
    let config = config_for(&double, RESOURCE_DIRECTORY_MASTER, &Keys::test());
    let (request, _) = cancel_message_contact_update();
    let err = rdm::Client::new(&config)
        .cancel_message_contact_update(request)
        .await
        .expect_err("no token");
    assert_eq!(
        err.as_service_error().map(|e| e.code()),
        Some("InvalidSecurityToken.Missing")
    );
}

#[tokio::test]
async fn the_double_recomputes_the_signature_from_what_it_received() {
    let keys = Keys::test_sts();
    let double = ServiceDouble::start(RESOURCE_DIRECTORY_MASTER, keys.clone()).await;
    double.always(Reply::json(
        200,
        &serde_json::json!({"RequestId": "accepted"}),
    ));
    let config = config_for(&double, RESOURCE_DIRECTORY_MASTER, &keys);
    let service = ServiceClient::new(&config, &rdm::SERVICE);
    let transport = ReqwestTransport::new(Duration::from_secs(5)).expect("transport");
    let params = update_message_contact().0.to_params();
    let prepare = || {
        service
            .prepare_request("UpdateMessageContact", &params)
            .expect("prepare")
    };
    let code_of = |response: &HttpResponse| -> String {
        let body: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON");
        body["Code"].as_str().unwrap_or_default().to_string()
    };

    // As signed: accepted. The same request again: its nonce is spent.
    let signed = prepare();
    let ok = transport.send(signed.clone()).await.expect("sent");
    assert_eq!(ok.status, 200);
    let replay = transport.send(signed).await.expect("sent");
    assert_eq!(
        (replay.status, code_of(&replay)),
        (400, "SignatureNonceUsed".into())
    );

    // Any change to what was signed is caught by recomputing the signature.
    type Tamper = fn(&mut HttpRequest);
    let tampers: [(&str, Tamper); 4] = [
        ("a query value", |r| {
            r.url = r.url.replace("Title=CEO", "Title=Other")
        }),
        ("a list index", |r| {
            r.url = r.url.replace("MessageTypes.11=", "MessageTypes.12=")
        }),
        ("the action header", |r| {
            set_header(r, "x-acs-action", "CancelMessageContactUpdate")
        }),
        ("the date header", |r| {
            let date = r.header("x-acs-date").expect("date").to_string();
            let earlier = if date.ends_with("0Z") { "1Z" } else { "0Z" };
            set_header(r, "x-acs-date", &format!("{}{earlier}", &date[..18]));
        }),
    ];
    for (what, tamper) in tampers {
        let mut request = prepare();
        let before = request.clone();
        tamper(&mut request);
        assert_ne!(request, before, "{what}: the tamper changed nothing");
        let response = transport.send(request).await.expect("sent");
        assert_eq!(
            (response.status, code_of(&response)),
            (400, "IncompleteSignature".to_string()),
            "{what}"
        );
    }
    assert_eq!(
        double.requests().len(),
        1,
        "only the untampered request was accepted"
    );
    assert_eq!(double.rejections().len(), 5);
}

fn set_header(request: &mut HttpRequest, name: &str, value: &str) {
    for (n, v) in &mut request.headers {
        if n.eq_ignore_ascii_case(name) {
            *v = value.to_string();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Debug output never shows the secret or the token.

#[test]
fn debug_of_configured_clients_and_config_hides_secret_and_token() {
    let config = Config::new(
        Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).with_security_token(SECURITY_TOKEN),
    )
    .with_region("cn-hangzhou")
    .with_endpoint(&cms::SERVICE, "http://127.0.0.1:9")
    .with_user_agent("e2e-debug-check");

    let shown = [
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{:?}", config.credentials()),
        format!("{:?}", rm::Client::new(&config)),
        format!("{:#?}", rm::Client::new(&config)),
        format!("{:?}", rdm::Client::new(&config)),
        format!("{:#?}", rdm::Client::new(&config)),
        format!("{:?}", cms::Client::new(&config)),
        format!("{:#?}", cms::Client::new(&config)),
    ];
    for text in &shown {
        assert!(!text.contains(ACCESS_KEY_SECRET), "secret shown: {text}");
        assert!(!text.contains(SECURITY_TOKEN), "token shown: {text}");
        // Not just redacted parts: no distinctive fragment of either value either.
        assert!(
            !text.contains("NEVER-PRINT"),
            "secret fragment shown: {text}"
        );
        // The output is useful: it names the key ID and the configuration.
        assert!(text.contains(ACCESS_KEY_ID), "key ID missing: {text}");
    }
    assert!(shown[7].contains("cn-hangzhou") && shown[7].contains("127.0.0.1:9"));
}
