//! Behaviour of the crate generated from `tests/specs/edge/`, compiled and run outside the
//! workspace by `tests/tests/edge_crate.rs`.

use acs_edgecases_20240101::operation::describe_enums::{DescribeEnumsResponse, Status};
use acs_edgecases_20240101::operation::describe_keywords::DescribeKeywordsRequest;
use acs_edgecases_20240101::operation::describe_nesting::{
    DescribeNestingRequest, DescribeNestingResponse, Settings, TagsItem,
};
use acs_edgecases_20240101::types::{Code, Inner, ItemsItem, Outer};

fn pairs(params: &acs_edgecases_20240101::acs_runtime::Params) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn unknown_enum_values_are_kept_and_unknown_fields_ignored() {
    let json = r#"{"RequestId":"r-1","Code":"brand-new","Codes":["zh-cn","a--1","a-+1","","Unknown","5xx","later"],
                   "Status":"Paused","NotInTheSpec":{"x":[1,2]},"AlsoNew":true}"#;
    let response: DescribeEnumsResponse = serde_json::from_str(json).expect("decodes");
    assert_eq!(response.request_id.as_deref(), Some("r-1"));
    assert_eq!(
        response.code,
        Some(Code::UnknownValue("brand-new".to_owned()))
    );
    assert_eq!(
        response.codes,
        Some(vec![
            Code::ZhCn,
            Code::ADashDash1,
            Code::A1,
            Code::Empty,
            Code::Unknown,
            Code::V5xx,
            Code::UnknownValue("later".to_owned()),
        ])
    );
    assert_eq!(response.status.as_ref().map(Status::as_str), Some("Paused"));
    let back = serde_json::to_value(&response).expect("encodes");
    assert_eq!(back["Code"], "brand-new");
    assert_eq!(back["Codes"][3], "");
    assert!(back.get("NotInTheSpec").is_none());
}

#[test]
fn enum_values_round_trip_through_text() {
    for value in Code::VALUES {
        assert_eq!(Code::from(*value).as_str(), *value);
    }
    assert_eq!(Code::from("a-+1"), Code::A1);
    assert_eq!(Code::from("a--1"), Code::ADashDash1);
    assert_eq!(Code::from("type"), Code::Type);
    assert_eq!(Code::from("zh-CN").as_str(), "zh-CN");
}

#[test]
fn keyword_and_method_named_parameters_reach_the_wire() {
    let request = DescribeKeywordsRequest::builder()
        .r#type("t")
        .self_("s")
        .self_type("S")
        .r#match(7)
        .filter_name("f")
        .build_value("b")
        .send(true)
        .build()
        .expect("complete");
    let expected: Vec<(String, String)> = [
        ("type", "t"),
        ("self", "s"),
        ("Self", "S"),
        ("match", "7"),
        ("Filter.Name", "f"),
        ("build", "b"),
        ("send", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(pairs(&request.to_params()), expected);
}

#[test]
fn a_missing_required_parameter_is_an_error_naming_it() {
    let err = DescribeKeywordsRequest::builder()
        .self_("s")
        .build()
        .expect_err("`type` is required");
    assert_eq!(err.field(), "type");
    let err = Inner::builder().build().expect_err("`Value` is required");
    assert!(err.to_string().contains("Value"), "{err}");
}

#[test]
fn nested_objects_lists_json_and_simple_styles_flatten() {
    let inner = Inner::builder()
        .value("v")
        .items([
            ItemsItem::builder().key("k1").build().expect("ok"),
            ItemsItem::builder().key("k2").build().expect("ok"),
        ])
        .build()
        .expect("ok");
    let request = DescribeNestingRequest::builder()
        .outer(Outer::builder().name("o").inner(inner).build().expect("ok"))
        .tags([
            TagsItem::builder().key("a").value("1").build().expect("ok"),
            TagsItem::builder().key("b").build().expect("ok"),
        ])
        .settings(
            Settings::builder()
                .mode("fast")
                .limit(10)
                .build()
                .expect("ok"),
        )
        .ids(["x", "y"])
        .ratio(0.5)
        .build()
        .expect("complete");
    let params = pairs(&request.to_params());
    let expected: Vec<(String, String)> = [
        ("Outer.Name", "o"),
        ("Outer.Inner.Value", "v"),
        ("Outer.Inner.Items.1.Key", "k1"),
        ("Outer.Inner.Items.2.Key", "k2"),
        ("Tags.1.Key", "a"),
        ("Tags.1.Value", "1"),
        ("Tags.2.Key", "b"),
        ("Settings", r#"{"Mode":"fast","Limit":10}"#),
        ("Ids", "x,y"),
        ("Ratio", "0.5"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(params, expected);
}

#[test]
fn nested_responses_decode() {
    let json = r#"{"RequestId":"r","Outer":{"Name":"o","Inner":{"Value":"v","Items":[{"Key":"k"}]}},
                   "Items":[{"Name":"n","Count":3}],"Extra":{"a":"b"},"Anything":{"deep":[true]}}"#;
    let response: DescribeNestingResponse = serde_json::from_str(json).expect("decodes");
    let outer = response.outer.expect("outer");
    let inner = outer.inner.expect("inner");
    assert_eq!(inner.value.as_deref(), Some("v"));
    assert_eq!(inner.items.expect("items")[0].key.as_deref(), Some("k"));
    assert_eq!(response.items.expect("items")[0].count, Some(3));
    assert_eq!(response.extra.expect("extra")["a"], "b");
    assert_eq!(response.anything.expect("anything")["deep"][0], true);
}

#[test]
fn an_operation_under_get_is_sent_with_get() {
    use acs_edgecases_20240101::acs_runtime::{Body, Method};
    use acs_edgecases_20240101::operation::list_by_get::ListByGetRequest;
    let request = ListByGetRequest::builder()
        .page_size(10)
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.action, "ListByGet");
    assert_eq!(request.path, "/");
    assert_eq!(pairs(&request.query), [("PageSize".into(), "10".into())]);
    assert_eq!(request.body, Body::Empty);
}

#[test]
fn form_members_go_in_the_body_in_their_styles_and_query_parameters_stay() {
    use acs_edgecases_20240101::acs_runtime::{Body, Method};
    use acs_edgecases_20240101::operation::submit_form::{Settings, SubmitFormRequest};
    let missing = SubmitFormRequest::builder().region_id("cn-hangzhou").build();
    assert!(
        missing.is_err_and(|e| e.to_string().contains("Content")),
        "Content is required"
    );
    let request = SubmitFormRequest::builder()
        .region_id("cn-hangzhou")
        .content("a b&c=d")
        .ids(["i-1", "i-2"])
        .labels(["x", "y"])
        .settings(Settings::builder().mode("fast").level(2).build().expect("builds"))
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        pairs(&request.query),
        [("RegionId".into(), "cn-hangzhou".into())]
    );
    let form = request.body.form().expect("a form body");
    let expected: Vec<(String, String)> = [
        ("Content", "a b&c=d"),
        ("Ids.1", "i-1"),
        ("Ids.2", "i-2"),
        ("Labels", r#"["x","y"]"#),
        ("Settings.Mode", "fast"),
        ("Settings.Level", "2"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(pairs(form), expected);
    assert_eq!(
        String::from_utf8(request.body.to_bytes()).expect("utf-8"),
        "Content=a%20b%26c%3Dd&Ids.1=i-1&Ids.2=i-2&Labels=%5B%22x%22%2C%22y%22%5D&Settings.Mode=fast&Settings.Level=2"
    );
    assert!(matches!(request.body, Body::Form(_)));
}

#[test]
fn retry_safety_is_decided_by_the_operation() {
    use acs_edgecases_20240101::acs_runtime::{Body, TokenLocation};
    use acs_edgecases_20240101::operation::delete_nothing::DeleteNothingRequest;
    use acs_edgecases_20240101::operation::describe_enums::DescribeEnumsRequest;
    use acs_edgecases_20240101::types::Code;
    use acs_edgecases_20240101::operation::list_by_get::ListByGetRequest;
    use acs_edgecases_20240101::operation::submit_form::SubmitFormRequest;

    // Read-only by `x-acs-operation-type: get`, by GET; a delete is not.
    let read = DescribeEnumsRequest::builder().code(Code::ZhCn).build().unwrap();
    assert!(read.to_request().idempotent);
    assert!(ListByGetRequest::builder().build().unwrap().to_request().idempotent);
    let delete = DeleteNothingRequest::builder().build().unwrap().to_request();
    assert!(!delete.idempotent && !delete.is_safe_to_retry());

    // A `ClientToken` form member makes the submission safe to retry; the client fills it.
    let submit = SubmitFormRequest::builder()
        .region_id("cn-hangzhou")
        .content("x")
        .build()
        .unwrap();
    let mut request = submit.to_request();
    assert!(!request.idempotent && request.is_safe_to_retry());
    let token = request.idempotency_token.expect("the token is declared");
    assert_eq!((token.name, token.location), ("ClientToken", TokenLocation::Form));
    assert_eq!(request.idempotency_token_value(), None);
    request.fill_idempotency_token("t-1");
    match &request.body {
        Body::Form(form) => assert_eq!(form.get("ClientToken"), Some("t-1")),
        other => panic!("expected a form body, got {other:?}"),
    }
    // One the caller set is kept.
    let set = SubmitFormRequest::builder()
        .region_id("cn-hangzhou")
        .content("x")
        .client_token("mine")
        .build()
        .unwrap();
    let mut request = set.to_request();
    request.fill_idempotency_token("t-2");
    assert_eq!(request.idempotency_token_value().as_deref(), Some("mine"));
}

#[test]
fn regions_and_the_vpc_network_pick_the_endpoints_the_spec_lists() {
    let service = &acs_edgecases_20240101::SERVICE;
    assert_eq!(service.host_for("cn-beijing").as_deref(), Some("edge.cn-beijing.example.com"));
    assert_eq!(service.host_for("ap-edge-1").as_deref(), Some("edge-ap.example.com"));
    assert_eq!(service.vpc_endpoint, Some("edge-vpc.{regionId}.example.com"));
    // Hosts that follow the rule are not repeated in the crate.
    assert_eq!(service.region_endpoints, &[("ap-edge-1", "edge-ap.example.com")]);
}
