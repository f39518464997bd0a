//! Behaviour of the crate generated from `tests/specs/edge/roaedge-2024-01-01.yaml` (an ROA
//! product), compiled and run outside the workspace by `tests/tests/edge_crate.rs`.

use acs_roaedge_20240101::acs_runtime::{ApiStyle, Body, Method};
use acs_roaedge_20240101::operation::create_cluster_node_pool::{
    AutoScaling, CreateClusterNodePoolRequest,
};
use acs_roaedge_20240101::operation::delete_cluster::DeleteClusterRequest;
use acs_roaedge_20240101::operation::describe_cluster_nodes::{
    DescribeClusterNodesRequest, DescribeClusterNodesResponse, State,
};
use acs_roaedge_20240101::operation::describe_clusters::DescribeClustersRequest;
use acs_roaedge_20240101::operation::modify_cluster::ModifyClusterRequest;
use acs_roaedge_20240101::operation::start_workflow::StartWorkflowRequest;
use acs_roaedge_20240101::types::Tag;

fn pairs(params: &acs_roaedge_20240101::acs_runtime::Params) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn path_parameters_are_one_percent_encoded_segment_each() {
    let request = DescribeClusterNodesRequest::builder()
        .cluster_id("c a/b%2F集 +~*")
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.style, ApiStyle::Roa);
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.action, "DescribeClusterNodes");
    assert_eq!(
        request.path,
        "/clusters/c%20a%2Fb%252F%E9%9B%86%20%2B~%2A/nodes"
    );
    assert!(request.query.is_empty());
    assert_eq!(request.body, Body::Empty);
}

#[test]
fn query_parameters_keep_their_styles_and_headers_go_in_headers() {
    let request = DescribeClusterNodesRequest::builder()
        .cluster_id("c-1")
        .page_size(10)
        .state(State::Running)
        .instance_ids(["i-1", "i-2"])
        .x_acs_trace("t-1")
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(
        pairs(&request.query),
        owned(&[
            ("pageSize", "10"),
            ("state", "running"),
            ("instanceIds", r#"["i-1","i-2"]"#)
        ])
    );
    assert_eq!(pairs(&request.headers), owned(&[("x-acs-trace", "t-1")]));
}

#[test]
fn a_path_parameter_is_required() {
    let err = DescribeClusterNodesRequest::builder().build().unwrap_err();
    assert!(err.to_string().contains("ClusterId"), "{err}");
}

#[test]
fn json_body_members_are_json_and_absent_ones_are_left_out() {
    let request = CreateClusterNodePoolRequest::builder()
        .cluster_id("c-1")
        .name("np-1")
        .auto_scaling(
            AutoScaling::builder()
                .enable(true)
                .max_instances(10)
                .build()
                .expect("builds"),
        )
        .tags([Tag::builder().key("env").value("prod").build().expect("builds")])
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.path, "/clusters/c-1/nodepools");
    assert_eq!(
        request.body.content_type(),
        Some("application/json; charset=utf-8")
    );
    let body: serde_json::Value =
        serde_json::from_slice(&request.body.to_bytes()).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({
            "name": "np-1",
            "auto_scaling": {"enable": true, "max_instances": 10},
            "tags": [{"key": "env", "value": "prod"}]
        })
    );
}

#[test]
fn every_method_and_a_literal_path() {
    let delete = DeleteClusterRequest::builder()
        .cluster_id("c-1")
        .retain_resources(["sg-1"])
        .keep_slb(false)
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(delete.method, Method::Delete);
    assert_eq!(delete.path, "/clusters/c-1");
    assert_eq!(
        pairs(&delete.query),
        owned(&[("retain_resources", r#"["sg-1"]"#), ("keep_slb", "false")])
    );

    let modify = ModifyClusterRequest::builder()
        .cluster_id("c-1")
        .cluster_name("new-name")
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(modify.method, Method::Put);
    assert_eq!(modify.path, "/api/v2/clusters/c-1");
    assert_eq!(modify.body.to_bytes(), br#"{"cluster_name":"new-name"}"#);

    let list = DescribeClustersRequest::builder()
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(list.method, Method::Get);
    assert_eq!(list.path, "/clusters");
}

#[test]
fn a_form_body_is_form_encoded() {
    let request = StartWorkflowRequest::builder()
        .workflow_type("wgs")
        .service("a b&c")
        .mapping_is_mark_dup(true)
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.path, "/gs/workflow");
    assert_eq!(
        request.body.content_type(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.body.to_bytes(),
        b"workflow_type=wgs&service=a%20b%26c&mapping_is_mark_dup=true"
    );
    assert!(request.query.is_empty());
}

#[test]
fn responses_decode_nested_lists_and_objects() {
    let json = r#"{"nodes":[{"instance_id":"i-1","state":"running","extra":1}],"page":{"total_count":1}}"#;
    let response: DescribeClusterNodesResponse = serde_json::from_str(json).expect("decodes");
    let nodes = response.nodes.expect("nodes");
    assert_eq!(nodes[0].instance_id.as_deref(), Some("i-1"));
    assert_eq!(response.page.and_then(|p| p.total_count), Some(1));
}
