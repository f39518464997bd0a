//! Behaviour of the crate generated from the OpenAPI petstore-expanded example
//! (`tests/specs/rest/petstore-expanded.yaml`), compiled and run outside the workspace by
//! `tests/tests/edge_crate.rs`.

use petstore_expanded::acs_runtime::{Body, HttpResponse, Method, SdkError};
use petstore_expanded::operation::{add_pet, delete_pet, find_pet_by_id, find_pets};
use petstore_expanded::types::NewPet;

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, Vec::new(), body.as_bytes().to_vec())
}

#[test]
fn find_pets_sends_each_tag_as_its_own_parameter() {
    let request = find_pets::FindPetsRequest::builder()
        .tags(["dog", "cat"])
        .limit(10)
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.path, "/pets");
    let pairs: Vec<(&str, &str)> = request.query.iter().collect();
    assert_eq!(pairs, [("tags", "dog"), ("tags", "cat"), ("limit", "10")]);
}

#[test]
fn add_pet_sends_the_new_pet_as_the_json_body() {
    let pet = NewPet::builder().name("Rex").tag("dog").build().expect("pet");
    let request = add_pet::AddPetRequest::builder()
        .body(pet)
        .build()
        .expect("builds")
        .to_request();
    assert_eq!((request.method, request.path.as_str()), (Method::Post, "/pets"));
    assert_eq!(request.body.to_bytes(), br#"{"name":"Rex","tag":"dog"}"#);
    assert!(matches!(request.body, Body::JsonText(_)));
    assert!(add_pet::AddPetRequest::builder().build().is_err(), "the body is required");
}

#[test]
fn the_merged_pet_decodes_and_errors_keep_their_status() {
    let pet = find_pet_by_id::decode(answer(200, r#"{"id":7,"name":"Rex"}"#)).expect("a pet");
    assert_eq!((pet.id, pet.name.as_deref()), (Some(7), Some("Rex")));
    match find_pet_by_id::decode(answer(500, r#"{"code":5,"message":"down"}"#)) {
        Err(SdkError::Service(find_pet_by_id::FindPetByIdError::Default { status, body })) => {
            assert_eq!(status, 500);
            assert_eq!(body.message.as_deref(), Some("down"));
        }
        other => panic!("expected the default error, got {other:?}"),
    }
    delete_pet::decode(answer(204, "")).expect("deleted");
    let request = delete_pet::DeletePetRequest::builder().id(7).build().expect("builds");
    assert_eq!(request.to_request().path, "/pets/7");
    assert_eq!(request.to_request().method, Method::Delete);
}
