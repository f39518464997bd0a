//! Behaviour of the crate generated from the OpenAPI petstore example
//! (`tests/specs/rest/petstore.yaml`), compiled and run outside the workspace by
//! `tests/tests/edge_crate.rs`.

use petstore::acs_runtime::{HttpResponse, SdkError};
use petstore::operation::{create_pets, list_pets, show_pet_by_id};

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, Vec::new(), body.as_bytes().to_vec())
}

#[test]
fn list_pets_decodes_the_pets_array() {
    let pets = list_pets::decode(answer(200, r#"[{"id":1,"name":"Rex","tag":"dog"}]"#))
        .expect("pets");
    assert_eq!(pets.len(), 1);
    assert_eq!(pets[0].tag.as_deref(), Some("dog"));
    let request = list_pets::ListPetsRequest::builder().limit(5).build().expect("builds");
    assert_eq!(request.to_request().query.get("limit"), Some("5"));
}

#[test]
fn create_pets_has_no_body_and_errors_decode_the_error_schema() {
    create_pets::decode(answer(201, "")).expect("created");
    match create_pets::decode(answer(400, r#"{"code":400,"message":"no"}"#)) {
        Err(SdkError::Service(err)) => {
            assert_eq!(err.http_status(), 400);
            assert_eq!(err.to_string(), "createPets answered HTTP 400 (Default)");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    let request = show_pet_by_id::ShowPetByIdRequest::builder()
        .pet_id("a b")
        .build()
        .expect("builds");
    assert_eq!(request.to_request().path, "/pets/a%20b");
}
