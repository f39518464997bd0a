//! Behaviour of the crate generated from `tests/specs/public/qdrant.json` (Qdrant): `anyOf`
//! unions of scalars and objects without a discriminator, nullable members, a multipart
//! upload, and a server URL with variables.

use qdrant::operation::get_point::GetPointRequest;
use qdrant::operation::recover_from_uploaded_snapshot::RecoverFromUploadedSnapshotRequest;
use qdrant::types::{ExtendedPointId, ReadConsistency, ReadConsistencyType};

#[test]
fn unions_of_scalars_are_read_by_their_kind() {
    let id: ExtendedPointId = serde_json::from_str("42").expect("a number");
    assert_eq!(id, ExtendedPointId::Integer(42));
    let id: ExtendedPointId =
        serde_json::from_str(r#""5c56c793-69f3-4fbf-87e6-c4bf54c28c26""#).expect("a UUID");
    assert_eq!(
        id,
        ExtendedPointId::String("5c56c793-69f3-4fbf-87e6-c4bf54c28c26".to_owned())
    );
    let id: ExtendedPointId = serde_json::from_str("[1]").expect("kept");
    assert_eq!(id, ExtendedPointId::Other(serde_json::json!([1])));
}

#[test]
fn a_union_of_scalars_is_one_query_value() {
    let by_count = GetPointRequest::builder()
        .collection_name("my points")
        .id(ExtendedPointId::Integer(7))
        .consistency(ReadConsistency::Integer(2))
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(by_count.path, "/collections/my%20points/points/7");
    let query: Vec<_> = by_count.query.iter().collect();
    assert_eq!(query, [("consistency", "2")]);
    let by_kind = GetPointRequest::builder()
        .collection_name("c")
        .id(ExtendedPointId::String("a/b".to_owned()))
        .consistency(ReadConsistency::from(ReadConsistencyType::Majority))
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(by_kind.path, "/collections/c/points/a%2Fb");
    let query: Vec<_> = by_kind.query.iter().collect();
    assert_eq!(query, [("consistency", "majority")]);
}

#[test]
fn a_snapshot_upload_is_a_multipart_body() {
    let request = RecoverFromUploadedSnapshotRequest::builder()
        .collection_name("c")
        .wait(true)
        .snapshot(b"SNAP".as_slice())
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.path, "/collections/c/snapshots/upload");
    let query: Vec<_> = request.query.iter().collect();
    assert_eq!(query, [("wait", "true")]);
    let content_type = request.body.content_type().expect("a body").to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    let body = String::from_utf8(request.body.to_bytes()).expect("text");
    assert_eq!(
        body,
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"snapshot\"; filename=\"snapshot\"\r\ncontent-type: application/octet-stream\r\n\r\nSNAP\r\n--{boundary}--\r\n")
    );
}

#[test]
fn the_server_variables_give_the_default_base_url() {
    assert_eq!(
        qdrant::SERVICE.endpoint,
        qdrant::acs_runtime::Endpoint::Url {
            base: "http://localhost:6333"
        }
    );
}
