//! Import: Alibaba Cloud's official API metadata (`api-docs.json`, one per product and API
//! version) → one OpenAPI 3.0.3 document per product version in the conventions of
//! `spec/README.md`.
//!
//! Each operation acsgen can generate today is imported; the others are skipped, each with a
//! [`support::SkipReason`] decided in one place ([`support::check_operation`]). Bad metadata
//! (not JSON, not this format, a `$ref` that points nowhere) is an error naming the file and
//! the JSON path. The output is the same for the same metadata, byte for byte.

pub mod batch;
pub mod endpoints;
pub mod json;
pub mod names;
pub mod operation;
pub mod params;
pub mod schema;
pub mod support;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Location, Severity};
use json::{Node, Problem};
use support::SkipReason;

/// An operation that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The operation (Action) name.
    pub operation: String,
    /// Why it was not imported.
    pub reason: SkipReason,
}

/// One imported metadata document.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The product code as the metadata writes it (`ResourceManager`, `ahas-openapi`).
    pub product: String,
    /// The API version.
    pub version: String,
    /// The document's file name, `<product code lower-cased>-<version>.yaml`.
    pub file_name: String,
    /// The document; `None` when no operation was imported (nothing to write).
    pub text: Option<String>,
    /// The operations imported, in name order.
    pub imported: Vec<String>,
    /// The operations skipped, in name order.
    pub skipped: Vec<Skipped>,
}

/// The product code acsgen names crates after: ASCII letters and digits. The metadata writes
/// some codes with dashes (`ahas-openapi`); the parts are joined, each after the first
/// capitalised (`ahasOpenapi`).
pub fn product_code(metadata_code: &str) -> String {
    let mut out = String::new();
    for (i, part) in metadata_code
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        let mut chars = part.chars();
        if i > 0 {
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
            }
        }
        out.extend(chars);
    }
    out
}

fn error(path: &Path, location: Location, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        location,
        message,
        help: None,
    }
}

fn located(path: &Path, problem: Problem) -> Diagnostic {
    error(
        path,
        Location {
            line: 0,
            column: 0,
            path: problem.path,
        },
        problem.message,
    )
}

/// Imports the metadata `text` read from `path`. With `only`, just the operations named in
/// it (names not in this document are ignored here; the caller checks that each is found
/// somewhere).
pub fn import(
    path: &Path,
    text: &str,
    only: Option<&BTreeSet<String>>,
) -> Result<Imported, Diagnostic> {
    let value: Value = serde_json::from_str(text).map_err(|err| {
        let mut diagnostic = error(
            path,
            Location {
                line: err.line(),
                column: err.column(),
                path: "$".to_owned(),
            },
            format!("not JSON: {err}"),
        );
        diagnostic.help = Some("api-docs.json is a JSON document".to_owned());
        diagnostic
    })?;
    convert(&value, only).map_err(|problem| {
        let mut diagnostic = located(path, problem);
        diagnostic.help = Some(
            "the file must be Alibaba Cloud API metadata (api-docs.json: `info`, `apis`, `components`, `endpoints`)"
                .to_owned(),
        );
        diagnostic
    })
}

/// The metadata as a value → the imported document.
fn convert(value: &Value, only: Option<&BTreeSet<String>>) -> Result<Imported, Problem> {
    let root = Node::root(value);
    root.object()?;
    let info = root.require("info")?;
    let style = info.require("style")?.str()?;
    let product = info.require("product")?.str()?.to_owned();
    let version_node = info.require("version")?;
    let version = version_node.str()?.to_owned();
    // The version names the output file: nothing that could leave the output directory.
    let plain_version = !version.is_empty()
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if !plain_version {
        return Err(version_node.problem(format!(
            "API version `{version}` is not a name of ASCII letters, digits, `-`, `_` and `.`"
        )));
    }
    let code = product_code(&product);
    if code.is_empty() || !code.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(info
            .require("product")?
            .problem(format!("product code `{product}` names no crate")));
    }
    let apis = root.require("apis")?;
    let schema_nodes = match root.get("components").and_then(|c| c.get("schemas")) {
        Some(schemas) => schemas.entries()?,
        None => Vec::new(),
    };
    let component_names: BTreeSet<String> =
        schema_nodes.iter().map(|(n, _)| (*n).to_owned()).collect();
    let mut components = Map::new();
    for (name, node) in &schema_nodes {
        components.insert(
            (*name).to_owned(),
            Value::Object(schema::convert(node, &component_names)?),
        );
    }
    let error_name = ["Error", "AcsError", "AcsErrorBody"]
        .into_iter()
        .find(|n| !component_names.contains(*n))
        .unwrap_or("AcsErrorBody");
    let error_ref = format!("#/components/responses/{error_name}");
    let endpoints = endpoints::read(root.get("endpoints"))?;
    let success_flag = reports_failures_in_body(&apis)?.then_some(SUCCESS_FLAG);

    let mut entries = apis.entries()?;
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut ops: Vec<(String, Map<String, Value>)> = Vec::new();
    let mut skipped = Vec::new();
    let mut routes: BTreeMap<(String, &'static str), String> = BTreeMap::new();
    let cyclic = contain_themselves(&components);
    for (name, api) in entries {
        if only.is_some_and(|only| !only.contains(name)) {
            continue;
        }
        let converted = if endpoints.is_none() && matches!(style, "RPC" | "ROA") {
            Err(SkipReason::NoEndpoint)
        } else {
            operation::convert(name, &api, style, &component_names, &error_ref)?
        };
        let converted = converted.and_then(|op| generatable(op, &components, &cyclic));
        let converted = converted.and_then(|mut op| names::within_operation(&mut op).map(|()| op));
        // Two operations under one path and method cannot both be written; the first keeps it.
        let converted = converted.and_then(|op| match route(style, &op) {
            Some(key) => match routes.get(&key) {
                Some(other) => Err(SkipReason::SameRoute {
                    other: other.clone(),
                }),
                None => {
                    routes.insert(key, name.to_owned());
                    Ok(op)
                }
            },
            None => Ok(op),
        });
        match converted {
            Ok(op) => ops.push((name.to_owned(), op)),
            Err(reason) => skipped.push(Skipped {
                operation: name.to_owned(),
                reason,
            }),
        }
    }
    names::operations(&mut ops);
    let imported: Vec<String> = ops.iter().map(|(n, _)| n.clone()).collect();
    let file_name = format!("{}-{version}.yaml", code.to_ascii_lowercase());
    let text = match (&endpoints, ops.is_empty()) {
        (Some(endpoints), false) => {
            let mut doc = document(
                style, &product, &code, &version, endpoints, ops, components, error_name, &skipped,
            );
            if let (Some(flag), Some(Value::Object(info))) = (success_flag, doc.get_mut("info")) {
                info.insert("x-acs-success-flag".into(), flag.into());
            }
            Some(yaml::to_yaml(&doc))
        }
        _ => None,
    };
    Ok(Imported {
        product,
        version,
        file_name,
        text,
        imported,
        skipped,
    })
}

/// The member by which products such as CloudMonitor report a failure in an HTTP 200 answer.
const SUCCESS_FLAG: &str = "Success";

/// Whether the product reports failures in successful answers: more than half of its
/// operations answer with a boolean `Success` beside a `Code` (CloudMonitor does; its
/// failures come as HTTP 200 with `"Success": false`).
fn reports_failures_in_body(apis: &Node) -> Result<bool, Problem> {
    let entries = apis.entries()?;
    let with_flag = entries
        .iter()
        .filter(|(_, api)| {
            let properties = api
                .get("responses")
                .and_then(|r| r.get("200"))
                .and_then(|r| r.get("schema"))
                .and_then(|s| s.get("properties"));
            properties.is_some_and(|p| {
                p.get("Code").is_some()
                    && p.get(SUCCESS_FLAG)
                        .and_then(|f| f.opt_str("type").ok().flatten())
                        == Some("boolean")
            })
        })
        .count();
    Ok(with_flag * 2 > entries.len())
}

/// `op` when acsgen can generate it as converted: its path names its path parameters, every
/// success response is a JSON object, a JSON body is an object with members none of which has
/// the name of a parameter, and no type it reaches contains itself.
fn generatable(
    op: Map<String, Value>,
    components: &Map<String, Value>,
    cyclic: &BTreeSet<String>,
) -> Result<Map<String, Value>, SkipReason> {
    let resolve = |schema: &Value| -> Option<Value> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => components
                .get(target.strip_prefix(schema::REF_PREFIX)?)
                .cloned(),
            None => Some(schema.clone()),
        }
    };
    let is_object = |schema: &Value| {
        schema.get("properties").is_some()
            || matches!(
                schema.get("type").and_then(Value::as_str),
                None | Some("object")
            )
    };
    for (status, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !status.starts_with('2') {
            continue;
        }
        let schema = response
            .pointer("/content/application~1json/schema")
            .and_then(resolve);
        if schema.as_ref().is_some_and(|s| !is_object(s)) {
            return Err(SkipReason::ResponseNotObject {
                status: status.clone(),
            });
        }
    }
    let members: Vec<String> = op
        .get("requestBody")
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
        .and_then(|c| c.values().next())
        .and_then(|m| m.get("schema"))
        .and_then(resolve)
        .and_then(|s| {
            s.get("properties")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
        })
        .unwrap_or_default();
    if op.get("requestBody").is_some() && members.is_empty() {
        return Err(SkipReason::BodyParameter {
            name: "body".to_owned(),
        });
    }
    let template: Vec<String> = op
        .get(operation::PATH_KEY)
        .and_then(Value::as_str)
        .and_then(crate::binding::parse_path)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|part| match part {
            crate::binding::PathPart::Param(name) => Some(name),
            crate::binding::PathPart::Literal(_) => None,
        })
        .collect();
    for param in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let in_path = param.get("in").and_then(Value::as_str) == Some("path");
        if let Some(name) = param.get("name").and_then(Value::as_str) {
            if in_path && !template.iter().any(|t| t == name) {
                return Err(SkipReason::PathTemplate {
                    name: name.to_owned(),
                });
            }
            if members.iter().any(|m| m == name) {
                return Err(SkipReason::NameCollision {
                    names: format!("`{name}` is both a parameter and a member of the body"),
                });
            }
        }
    }
    let mut reached = BTreeSet::new();
    refs(&Value::Object(op.clone()), &mut reached);
    let mut pending: Vec<String> = reached.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        if cyclic.contains(&name) {
            return Err(SkipReason::RecursiveType { name });
        }
        let mut found = BTreeSet::new();
        if let Some(schema) = components.get(&name) {
            refs(schema, &mut found);
        }
        pending.extend(found.into_iter().filter(|n| reached.insert(n.clone())));
    }
    Ok(op)
}

/// The component schemas that contain themselves through object members (not through a list
/// or map, which could be empty): no Rust type can hold them without a box.
fn contain_themselves(components: &Map<String, Value>) -> BTreeSet<String> {
    fn members(schema: &Value, out: &mut BTreeSet<String>) {
        for member in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.values())
        {
            match member.get("$ref").and_then(Value::as_str) {
                Some(target) => {
                    if let Some(name) = target.strip_prefix(schema::REF_PREFIX) {
                        out.insert(name.to_owned());
                    }
                }
                None => members(member, out),
            }
        }
    }
    let edges: BTreeMap<&String, BTreeSet<String>> = components
        .iter()
        .map(|(name, schema)| {
            let mut out = BTreeSet::new();
            members(schema, &mut out);
            (name, out)
        })
        .collect();
    let mut cyclic = BTreeSet::new();
    for start in components.keys() {
        let mut seen = BTreeSet::new();
        let mut pending: Vec<&String> = edges.get(start).into_iter().flatten().collect();
        while let Some(next) = pending.pop() {
            if next == start {
                cyclic.insert(start.clone());
                break;
            }
            if seen.insert(next) {
                pending.extend(edges.get(next).into_iter().flatten());
            }
        }
    }
    cyclic
}

/// The path and method an ROA operation is written under;
/// `None` for RPC operations, whose
/// path is their action.
fn route(style: &str, op: &Map<String, Value>) -> Option<(String, &'static str)> {
    let path = op.get(operation::PATH_KEY)?.as_str()?.to_owned();
    let methods: Vec<&str> = op
        .get("x-acs-methods")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    Some((path, support::method_of(style, &methods)?))
}

/// The names of the component schemas `value` refers to.
fn refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                if let Some(name) = target.strip_prefix(schema::REF_PREFIX) {
                    out.insert(name.to_owned());
                }
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn document(
    style: &str,
    product: &str,
    code: &str,
    version: &str,
    endpoints: &endpoints::Endpoints,
    ops: Vec<(String, Map<String, Value>)>,
    mut components: Map<String, Value>,
    error_name: &str,
    skipped: &[Skipped],
) -> Value {
    // Only the component schemas the imported operations reach.
    let mut reached = BTreeSet::new();
    for (_, op) in &ops {
        refs(&Value::Object(op.clone()), &mut reached);
    }
    let mut pending: Vec<String> = reached.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        let mut found = BTreeSet::new();
        if let Some(schema) = components.get(&name) {
            refs(schema, &mut found);
        }
        for next in found {
            if reached.insert(next.clone()) {
                pending.push(next);
            }
        }
    }
    components.retain(|name, _| reached.contains(name));
    components.sort_keys();
    for schema in components.values_mut() {
        if let Value::Object(schema) = schema {
            // A collision here is left for `acsgen validate` to report with its location.
            let _ = names::members(schema);
        }
    }
    names::components(&mut components);

    let mut info = Map::new();
    info.insert("title".into(), format!("{product} {version} API").into());
    info.insert("version".into(), version.into());
    info.insert(
        "description".into(),
        format!(
            "Alibaba Cloud {product}, API version {version}, RPC style. Imported by `acsgen import` from the official API metadata (api-docs.json); texts are as published there."
        )
        .into(),
    );
    info.insert("x-acs-product".into(), code.into());
    if code != product {
        info.insert("x-acs-product-code".into(), product.into());
    }
    info.insert("x-acs-api-version".into(), version.into());
    info.insert("x-acs-style".into(), style.to_ascii_lowercase().into());
    info.insert("x-acs-endpoint-rule".into(), endpoints.rule.into());
    if let Some(vpc) = &endpoints.vpc {
        info.insert("x-acs-vpc-endpoint".into(), vpc.clone().into());
    }
    info.insert(
        "x-acs-endpoints".into(),
        Value::Object(
            endpoints
                .by_region
                .iter()
                .map(|(r, h)| (r.clone(), Value::String(h.clone())))
                .collect(),
        ),
    );

    let mut paths = Map::new();
    for (name, mut op) in ops {
        let methods: Vec<&str> = op
            .get("x-acs-methods")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        // `check_operation` imported it, so there is a method to send it with.
        let method = support::method_of(style, &methods).unwrap_or("post");
        let path = match op.remove(operation::PATH_KEY) {
            Some(Value::String(path)) => path,
            _ => format!("/?Action={name}"),
        };
        let item = paths
            .entry(path)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(method.into(), Value::Object(op));
        }
    }

    components.insert(error_name.to_owned(), error_schema());
    let mut error_media = Map::new();
    error_media.insert(
        "schema".into(),
        serde_json::json!({"$ref": format!("{}{error_name}", schema::REF_PREFIX)}),
    );
    let mut error_response = Map::new();
    error_response.insert("description".into(), "Error response".into());
    error_response.insert(
        "content".into(),
        Value::Object(Map::from_iter([(
            "application/json".to_owned(),
            Value::Object(error_media),
        )])),
    );
    let mut responses = Map::new();
    responses.insert(error_name.to_owned(), Value::Object(error_response));
    let mut component_section = Map::new();
    component_section.insert("schemas".into(), Value::Object(components));
    component_section.insert("responses".into(), Value::Object(responses));

    let mut doc = Map::new();
    doc.insert("openapi".into(), "3.0.3".into());
    doc.insert("info".into(), Value::Object(info));
    doc.insert("servers".into(), Value::Array(endpoints.servers.clone()));
    doc.insert("paths".into(), Value::Object(paths));
    doc.insert("components".into(), Value::Object(component_section));
    if !skipped.is_empty() {
        doc.insert(
            "x-acs-skipped-operations".into(),
            Value::Object(
                skipped
                    .iter()
                    .map(|s| (s.operation.clone(), Value::String(s.reason.to_string())))
                    .collect(),
            ),
        );
    }
    Value::Object(doc)
}

/// The documented Alibaba Cloud error body (as in the documents of `spec/`).
fn error_schema() -> Value {
    serde_json::json!({
        "type": "object",
        "description": "The documented Alibaba Cloud error body, returned with HTTP status 4xx or 5xx.",
        "properties": {
            "RequestId": {"type": "string", "description": "The request ID."},
            "HostId": {"type": "string", "description": "The endpoint host that answered."},
            "Code": {"type": "string", "description": "The error code."},
            "Message": {"type": "string", "description": "The error message."},
            "Recommend": {"type": "string", "description": "A link to the troubleshooting page for this request."}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_codes_become_crate_names() {
        assert_eq!(product_code("ResourceManager"), "ResourceManager");
        assert_eq!(product_code("ahas-openapi"), "ahasOpenapi");
        assert_eq!(product_code("Dypnsapi-intl"), "DypnsapiIntl");
    }
}
