//! Behaviour of the crate generated from `tests/specs/public/kratos.json` (Ory Identities):
//! `oneOf` schemas with a discriminator and a mapping, decoded by their tag.

use kratos::acs_runtime::{HttpResponse, SdkError};
use kratos::operation::get_flow_error;
use kratos::types::UiNodeAttributes;

#[test]
fn ui_node_attributes_are_read_by_their_node_type() {
    let input: UiNodeAttributes = serde_json::from_str(
        r#"{"node_type":"input","name":"identifier","type":"text","disabled":false}"#,
    )
    .expect("an input node");
    match input {
        UiNodeAttributes::UiNodeInputAttributes(attributes) => {
            assert_eq!(attributes.name.as_deref(), Some("identifier"));
            assert_eq!(attributes.disabled, Some(false));
        }
        other => panic!("expected input attributes, got {other:?}"),
    }
    let anchor: UiNodeAttributes =
        serde_json::from_str(r#"{"node_type":"a","href":"https://example.com","id":"x"}"#)
            .expect("an anchor node");
    assert!(
        matches!(&anchor, UiNodeAttributes::UiNodeAnchorAttributes(a) if a.href.as_deref() == Some("https://example.com")),
        "{anchor:?}"
    );
    // A node type this version does not know is kept, not rejected.
    let future: UiNodeAttributes =
        serde_json::from_str(r#"{"node_type":"hologram","depth":3}"#).expect("kept");
    assert_eq!(
        future,
        UiNodeAttributes::Other(serde_json::json!({"node_type": "hologram", "depth": 3}))
    );
    // Sent as the variant's own members.
    assert_eq!(
        serde_json::to_value(&anchor).expect("serializes")["href"],
        "https://example.com"
    );
}

#[test]
fn documented_error_statuses_decode_into_their_variants() {
    let answer = HttpResponse::new(
        404,
        Vec::new(),
        br#"{"error":{"code":404,"message":"no such flow"}}"#.to_vec(),
    );
    match get_flow_error::decode(answer) {
        Err(SdkError::Service(err)) => {
            assert_eq!(err.http_status(), 404);
            assert_eq!(err.kind(), "NotFound");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}
