//! One metadata operation (`apis.<Name>`) → one OpenAPI operation under `/?Action=<Name>`:
//! summary, description, deprecation, parameters, the success response with its sample,
//! and the error codes by HTTP status.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::json::{self, Node, Problem};
use super::params::{self, ParamError};
use super::schema;
use super::support::{self, OperationFacts, ParameterFacts, SkipReason};
use crate::binding::OPERATION_TYPES;

/// Where an ROA operation's path template is kept until the document is written (it becomes
/// the operation's path key there, not a field of the operation).
pub const PATH_KEY: &str = "x-acs-import-path";

/// The result of converting one operation: the operation object, or why it is skipped.
pub type Converted = Result<Map<String, Value>, SkipReason>;

/// The facts [`support::check_operation`] decides on.
fn facts<'a>(product_style: &'a str, api: &Node<'a>) -> Result<OperationFacts<'a>, Problem> {
    let mut methods = Vec::new();
    if let Some(list) = api.get("methods") {
        for method in list.items()? {
            methods.push(method.str()?);
        }
    }
    let mut security = Vec::new();
    if let Some(list) = api.get("security") {
        for entry in list.items()? {
            for (scheme, _) in entry.entries()? {
                security.push(scheme);
            }
        }
    }
    let mut parameters = Vec::new();
    if let Some(list) = api.get("parameters") {
        for param in list.items()? {
            let schema = param.get("schema");
            parameters.push(ParameterFacts {
                name: param.require("name")?.str()?,
                location: param.require("in")?.str()?,
                style: param.opt_str("style")?,
                format: match &schema {
                    Some(s) => s.opt_str("format")?,
                    None => None,
                },
                schema_type: match &schema {
                    Some(s) => s.opt_str("type")?,
                    None => None,
                },
            });
        }
    }
    Ok(OperationFacts {
        product_style,
        methods,
        security,
        parameters,
    })
}

/// Converts the operation `name` at `api`. `error_ref` is the `$ref` of the shared error
/// response.
pub fn convert(
    name: &str,
    api: &Node,
    product_style: &str,
    components: &BTreeSet<String>,
    error_ref: &str,
) -> Result<Converted, Problem> {
    api.object()?;
    let facts = facts(product_style, api)?;
    if let Err(reason) = support::check_operation(&facts) {
        return Ok(Err(reason));
    }
    let parameters = match api.get("parameters") {
        Some(list) => match params::convert(&list, components) {
            Ok(parameters) => parameters,
            Err(ParamError::Bad(problem)) => return Err(problem),
            Err(ParamError::Skip(reason)) => return Ok(Err(reason)),
        },
        None => params::Parameters::default(),
    };
    let mut op = Map::new();
    op.insert("operationId".into(), name.into());
    if product_style == "ROA" {
        let path = api.require("path")?.str()?;
        op.insert(PATH_KEY.into(), path.into());
    }
    for key in ["summary", "description"] {
        if let Some(text) = api.opt_str(key)? {
            if !text.trim().is_empty() {
                op.insert(key.into(), json::text(text).into());
            }
        }
    }
    if api.flag("deprecated") {
        op.insert("deprecated".into(), true.into());
    }
    if let Some(title) = api.opt_str("title")? {
        if !title.trim().is_empty() {
            op.insert("x-acs-title".into(), json::text(title).into());
        }
    }
    op.insert(
        "x-acs-methods".into(),
        Value::Array(
            facts
                .methods
                .iter()
                .map(|m| Value::String((*m).to_owned()))
                .collect(),
        ),
    );
    let mut notes = parameters.notes;
    // What the operation does decides whether a timed-out call is retried.
    if let Some(kind) = api
        .get("systemTags")
        .map(|t| t.opt_str("operationType"))
        .transpose()?
    {
        match kind.filter(|k| !k.is_empty()) {
            Some(kind) if OPERATION_TYPES.contains(&kind) => {
                op.insert("x-acs-operation-type".into(), kind.into());
            }
            Some(kind) => notes.push(format!(
                "The metadata's operation type `{kind}` is not one acsgen knows; the operation is treated as one that changes state."
            )),
            None => {}
        }
    }
    if !notes.is_empty() {
        op.insert(
            "x-acs-gaps".into(),
            Value::Array(notes.into_iter().map(Value::String).collect()),
        );
    }
    op.insert("parameters".into(), Value::Array(parameters.list));
    if let Some(body) = parameters.body {
        op.insert("requestBody".into(), body);
    }
    let errors = error_rows(api)?;
    op.insert(
        "responses".into(),
        responses(api, components, &errors, error_ref)?,
    );
    if !errors.is_empty() {
        op.insert(
            "x-acs-errors".into(),
            Value::Array(errors.into_iter().map(|(_, row)| row).collect()),
        );
    }
    Ok(Ok(op))
}

/// The success responses (every `2xx` the metadata lists), then one `$ref` to the shared
/// error response per HTTP status of the error table.
fn responses(
    api: &Node,
    components: &BTreeSet<String>,
    errors: &[(u16, Value)],
    error_ref: &str,
) -> Result<Value, Problem> {
    let mut out = Map::new();
    let (json_demo, xml_demo) = demos(api);
    if let Some(responses) = api.get("responses") {
        for (status, response) in responses.entries()? {
            if !status.starts_with('2') {
                continue;
            }
            let mut entry = Map::new();
            entry.insert("description".into(), "Success.".into());
            if status == "200" {
                if let Some(xml) = &xml_demo {
                    entry.insert("x-acs-xml-example".into(), json::text(xml).into());
                }
            }
            if let Some(schema_node) = response.get("schema") {
                let mut media = Map::new();
                media.insert(
                    "schema".into(),
                    Value::Object(schema::convert(&schema_node, components)?),
                );
                if let (Some(example), "200") = (&json_demo, status) {
                    let mut success = Map::new();
                    success.insert("value".into(), example.clone());
                    let mut examples = Map::new();
                    examples.insert("success".into(), Value::Object(success));
                    media.insert("examples".into(), Value::Object(examples));
                }
                let mut content = Map::new();
                content.insert("application/json".into(), Value::Object(media));
                entry.insert("content".into(), Value::Object(content));
            }
            out.insert(status.to_owned(), Value::Object(entry));
        }
    }
    let statuses: BTreeSet<u16> = errors.iter().map(|(status, _)| *status).collect();
    for status in statuses {
        let mut reference = Map::new();
        reference.insert("$ref".into(), error_ref.into());
        out.insert(status.to_string(), Value::Object(reference));
    }
    Ok(Value::Object(out))
}

/// The sample responses of `responseDemo` (a JSON string holding a list of
/// `{type: json|xml, example}`): the JSON sample parsed, the XML sample verbatim. A sample
/// that does not parse is left out; it is documentation, not part of the API.
fn demos(api: &Node) -> (Option<Value>, Option<String>) {
    let Some(text) = api
        .get("responseDemo")
        .and_then(|n| n.value.as_str().map(str::to_owned))
    else {
        return (None, None);
    };
    let Ok(Value::Array(list)) = serde_json::from_str::<Value>(&text) else {
        return (None, None);
    };
    let mut json = None;
    let mut xml = None;
    for demo in &list {
        let example = demo
            .get("example")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if example.trim().is_empty() {
            continue;
        }
        match demo.get("type").and_then(Value::as_str) {
            Some("json") if json.is_none() => json = serde_json::from_str(example).ok(),
            Some("xml") if xml.is_none() => xml = Some(example.to_owned()),
            _ => {}
        }
    }
    (json, xml)
}

/// `errorCodes` (`{"<status>": [{errorCode, errorMessage, description?}]}`) as
/// `x-acs-errors` rows, by status, each code once (the first row of a code wins).
fn error_rows(api: &Node) -> Result<Vec<(u16, Value)>, Problem> {
    let Some(codes) = api.get("errorCodes") else {
        return Ok(Vec::new());
    };
    let mut by_status: Vec<(u16, Node)> = Vec::new();
    for (status, rows) in codes.entries()? {
        let Ok(number) = status.trim().parse::<u16>() else {
            continue;
        };
        if (100..=599).contains(&number) {
            by_status.push((number, rows));
        }
    }
    by_status.sort_by_key(|(status, _)| *status);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (status, rows) in by_status {
        for row in rows.items()? {
            let Some(code) = row
                .opt_str("errorCode")?
                .map(str::trim)
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            if !seen.insert(code.to_owned()) {
                continue;
            }
            let mut entry = Map::new();
            entry.insert("http-status".into(), status.into());
            entry.insert("code".into(), code.into());
            if let Some(message) = row.opt_str("errorMessage")? {
                entry.insert("message".into(), json::text(message).into());
            }
            if let Some(description) = row.opt_str("description")? {
                if !description.trim().is_empty() {
                    entry.insert("description".into(), json::text(description).into());
                }
            }
            out.push((status, Value::Object(entry)));
        }
    }
    Ok(out)
}
