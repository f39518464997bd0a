//! Replaying the official SDKs' recorded requests (`tests/fixtures/golden/`, see
//! `tests/oracle/`) against a generated crate: for each recorded operation, a Rust test that
//! builds the request from the recorded input with the crate's own builders and checks that
//! `to_request()` sends what the official SDK sent: method, path, every query and form
//! parameter with its value, and the JSON body.
//!
//! The test file is generated from the IR (field wire names, types and setters), so a
//! parameter the importer named, typed, placed or styled differently from the SDK shows up as
//! a failing assertion in the generated crate, and an input the crate cannot take at all (a
//! parameter it does not have) as a [`Gap`] reported before anything is built.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use acsgen::ir::{Crate, Field, Operation, TypeDef, TypePath, TypeRef};
use serde_json::Value;

/// Something in a recorded input the generated crate has no place for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    /// The operation.
    pub operation: String,
    /// What is missing, e.g. `no parameter \`Tag.N.key\``.
    pub what: String,
}

/// Recorded requests that differ from what the metadata describes, for reasons of the SDK's
/// own: not replayed, reported as gaps with the reason.
const SDK_DIFFERENCES: &[(&str, &str)] = &[(
    "UpdateContactGroupForAlert",
    "the SDK sends the body `{}`; the metadata declares no body",
)];

/// The source of an integration test file for `krate` replaying the operations of `golden`
/// (a parsed golden file) that the crate has, and the gaps found while writing it.
pub fn replay_tests(krate: &Crate, golden: &Value) -> (String, Vec<Gap>) {
    let mut out = String::new();
    let mut gaps = Vec::new();
    let _ = writeln!(
        out,
        "//! The requests recorded from the official SDK, replayed with this crate's builders.\n\
         #![allow(clippy::all)]\n\n{PRELUDE}"
    );
    let Some(recorded) = golden["operations"].as_object() else {
        return (out, gaps);
    };
    for (name, entry) in recorded {
        let Some(op) = krate.operations.iter().find(|o| &o.wire_name == name) else {
            continue;
        };
        if let Some((_, why)) = SDK_DIFFERENCES.iter().find(|(op, _)| op == name) {
            gaps.push(Gap {
                operation: name.clone(),
                what: (*why).to_owned(),
            });
            continue;
        }
        match replay_test(krate, op, entry) {
            Ok(test) => out.push_str(&test),
            Err(what) => gaps.push(Gap {
                operation: name.clone(),
                what,
            }),
        }
    }
    (out, gaps)
}

/// Shared by every generated test: compares a request with the recorded one.
const PRELUDE: &str = r#"/// A parameter value: JSON-style values (objects and lists written as JSON text) compare as
/// JSON, whatever the order of their keys; everything else as text.
#[derive(Debug, PartialEq)]
enum Wire {
    Text(String),
    Json(serde_json::Value),
}

fn sorted(pairs: &[(&str, &str)]) -> Vec<(String, Wire)> {
    let mut out: Vec<(String, Wire)> = pairs
        .iter()
        .map(|(k, v)| {
            let json = (v.starts_with('{') || v.starts_with('['))
                .then(|| serde_json::from_str(v).ok())
                .flatten();
            let value = json.map_or_else(|| Wire::Text((*v).to_owned()), Wire::Json);
            ((*k).to_owned(), value)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn params(params: &acs_runtime::Params) -> Vec<(String, Wire)> {
    let pairs: Vec<(&str, &str)> = params.iter().collect();
    sorted(&pairs)
}

fn check(
    request: &acs_runtime::OperationRequest,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    form: Option<&[(&str, &str)]>,
    json: Option<&str>,
) {
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.path, path, "path");
    assert_eq!(params(&request.query), sorted(query), "query parameters");
    assert_eq!(request.body.form().map(params), form.map(sorted), "form parameters");
    let body: Option<serde_json::Value> = match &request.body {
        acs_runtime::Body::Json(_) => Some(
            serde_json::from_slice(&request.body.to_bytes()).expect("the body is JSON"),
        ),
        _ => None,
    };
    let mut expected: Option<serde_json::Value> =
        json.map(|text| serde_json::from_str(text).expect("recorded JSON"));
    if let (Some(expected), Some(body)) = (&mut expected, &body) {
        drop_unset_lists(expected, body);
    }
    assert_eq!(body, expected, "JSON body");
}

/// The SDK writes every list field of its request model, `[]` when unset, including fields the
/// metadata does not have: an empty list recorded where the request has no such member is not a
/// difference.
fn drop_unset_lists(expected: &mut serde_json::Value, actual: &serde_json::Value) {
    match (expected, actual) {
        (serde_json::Value::Object(expected), serde_json::Value::Object(actual)) => {
            expected.retain(|name, value| {
                actual.contains_key(name) || !matches!(value, serde_json::Value::Array(items) if items.is_empty())
            });
            for (name, value) in expected.iter_mut() {
                if let Some(other) = actual.get(name) {
                    drop_unset_lists(value, other);
                }
            }
        }
        (serde_json::Value::Array(expected), serde_json::Value::Array(actual)) => {
            for (value, other) in expected.iter_mut().zip(actual) {
                drop_unset_lists(value, other);
            }
        }
        _ => {}
    }
}
"#;

fn replay_test(krate: &Crate, op: &Operation, entry: &Value) -> Result<String, String> {
    let input = entry["input"]
        .as_object()
        .ok_or("the recording has no input")?;
    let request = &entry["request"];
    let mut setters = String::new();
    // Path parameters are passed to the SDK apart from its request model.
    let mut values: BTreeMap<&str, &Value> = input.iter().map(|(k, v)| (k.as_str(), v)).collect();
    if let Some(path_params) = entry["path_params"].as_object() {
        values.extend(path_params.iter().map(|(k, v)| (k.as_str(), v)));
    }
    for (wire, value) in values {
        let field = op
            .params
            .iter()
            .find(|f| f.wire_name == wire)
            .ok_or_else(|| format!("no parameter `{wire}`"))?;
        let expr = expression(krate, &field.ty, value)
            .ok_or_else(|| format!("parameter `{wire}`: cannot write {value} as {:?}", field.ty))?;
        let _ = write!(setters, "\n        .{}({expr})", field.setter_name);
    }
    let method = request["method"].as_str().ok_or("no method")?;
    let path = request["path"].as_str().ok_or("no path")?;
    let query = pairs_literal(&request["query"]);
    let form = match &request["body_form"] {
        Value::Null => "None".to_owned(),
        pairs => format!("Some(&{})", pairs_literal(pairs)),
    };
    let json = match &request["body_json"] {
        Value::Null => "None".to_owned(),
        body => format!("Some({:?})", body.to_string()),
    };
    let test_name = format!("replay_{}", op.module_name.trim_start_matches("r#"));
    Ok(format!(
        "\n#[test]\nfn {test_name}() {{\n    let request = {lib}::operation::{module}::{request_type}::builder(){setters}\n        .build()\n        .expect(\"the recorded input builds\")\n        .to_request();\n    check(&request, {method:?}, {path:?}, &{query}, {form}, {json});\n}}\n",
        lib = krate.lib_name,
        module = op.module_name,
        request_type = op.request_name,
    ))
}

fn pairs_literal(pairs: &Value) -> String {
    let items: Vec<String> = pairs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            let key = pair.get(0)?.as_str()?;
            let value = pair.get(1)?.as_str()?;
            Some(format!("({key:?}, {value:?})"))
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// A Rust expression of exactly the type `ty` holding `value`, or `None` when the value does
/// not fit the type.
fn expression(krate: &Crate, ty: &TypeRef, value: &Value) -> Option<String> {
    let text = || match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    Some(match ty {
        TypeRef::String => format!("String::from({:?})", text()?),
        TypeRef::Bool => format!("{}", text()?.parse::<bool>().ok()?),
        TypeRef::I32 => format!("{}i32", text()?.parse::<i32>().ok()?),
        TypeRef::I64 => format!("{}i64", text()?.parse::<i64>().ok()?),
        TypeRef::F32 => format!("{:?}f32", text()?.parse::<f32>().ok()?),
        TypeRef::F64 => format!("{:?}f64", text()?.parse::<f64>().ok()?),
        TypeRef::Any => format!(
            "serde_json::from_str::<serde_json::Value>({:?}).unwrap()",
            value.to_string()
        ),
        TypeRef::List(item) => {
            let items = value
                .as_array()?
                .iter()
                .map(|v| expression(krate, item, v))
                .collect::<Option<Vec<_>>>()?;
            format!("vec![{}]", items.join(", "))
        }
        TypeRef::Map(item) => {
            let entries = value
                .as_object()?
                .iter()
                .map(|(k, v)| {
                    Some(format!(
                        "(String::from({k:?}), {})",
                        expression(krate, item, v)?
                    ))
                })
                .collect::<Option<Vec<_>>>()?;
            format!(
                "[{}].into_iter().collect::<std::collections::BTreeMap<_, _>>()",
                entries.join(", ")
            )
        }
        TypeRef::Boxed(inner) => format!("Box::new({})", expression(krate, inner, value)?),
        // Raw bodies and unions are REST constructs; Alibaba Cloud operations have none.
        TypeRef::Bytes => return None,
        TypeRef::Named(path) => {
            let ty = type_path(krate, path);
            match krate.find_type(path)? {
                TypeDef::Enum(_) => format!("{ty}::from({:?})", text()?),
                TypeDef::Union(_) => return None,
                TypeDef::Struct(def) => {
                    let mut out = format!("{ty}::builder()");
                    for (wire, member) in value.as_object()? {
                        let field: &Field = def.fields.iter().find(|f| &f.wire_name == wire)?;
                        let _ = write!(
                            out,
                            ".{}({})",
                            field.setter_name,
                            expression(krate, &field.ty, member)?
                        );
                    }
                    out.push_str(".build().unwrap()");
                    out
                }
            }
        }
    })
}

fn type_path(krate: &Crate, path: &TypePath) -> String {
    match &path.operation_module {
        None => format!("{}::types::{}", krate.lib_name, path.name),
        Some(module) => format!("{}::operation::{module}::{}", krate.lib_name, path.name),
    }
}
