//! Validate: everything about a loaded document's meaning that can be checked before naming —
//! references resolve, operations are identified once, types and wire styles are ones acsgen
//! can generate. Each problem is reported at the node it concerns, and all are reported.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Location, Sink};
use crate::openapi::*;

/// Wire styles a list or object parameter may declare in `x-acs-style`.
pub const WIRE_STYLES: &[&str] = &["repeatList", "flat", "json", "simple"];

/// Parameters the protocol sends itself; they are never operation fields.
pub const PROTOCOL_PARAMETERS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "SecurityToken",
];

/// Checks `doc`, recording every problem in `sink`.
pub fn validate(doc: &Document, sink: &mut Sink) {
    check_header(doc, sink);
    if doc.operations.is_empty() {
        sink.error(&doc.paths_at, "the document defines no operations")
            .help("add an operation under `paths`, e.g. `/?Action=DescribeThing: {post: {operationId: DescribeThing, ...}}`");
    }
    let mut seen: BTreeMap<&str, &Location> = BTreeMap::new();
    for op in &doc.operations {
        match &op.operation_id {
            None => {
                sink.error(&op.at, "the operation has no `operationId`")
                    .help("RPC operations are named by their Action: add `operationId: <Action>`");
            }
            Some(id) => {
                if let Some(first) = seen.insert(&id.value, &id.at) {
                    sink.error(
                        &id.at,
                        format!(
                            "duplicate operationId `{}` (first defined at line {})",
                            id.value, first.line
                        ),
                    )
                    .help("each operation needs its own operationId");
                }
                check_rpc_path(op, id, sink);
            }
        }
        check_operation(doc, op, sink);
    }
    for (name, schema) in &doc.schemas {
        check_schema(doc, schema, sink);
        check_cycle(doc, name, sink);
    }
}

fn check_header(doc: &Document, sink: &mut Sink) {
    if let Some(version) = &doc.openapi {
        if !version.value.starts_with("3.") {
            sink.error(
                &version.at,
                format!("OpenAPI version `{}` is not supported", version.value),
            )
            .help("acsgen reads OpenAPI 3.0.x and 3.1.x documents");
        }
    }
    let info = &doc.info;
    if info.title.is_none() {
        sink.error(&info.at, "`info.title` is missing");
    }
    match &info.style {
        Some(style) if style.value == "rpc" => {}
        Some(style) => {
            sink.error(
                &style.at,
                format!("API style `{}` is not supported", style.value),
            )
            .help("acsgen generates Alibaba Cloud RPC APIs: `x-acs-style: rpc`");
        }
        None => {
            sink.error(&info.at, "`info.x-acs-style` is missing")
                .help("acsgen generates Alibaba Cloud RPC APIs: add `x-acs-style: rpc` to `info`");
        }
    }
    if info.product.is_none() {
        sink.error(
            &info.at,
            "`info.x-acs-product` (the product code) is missing",
        )
        .help("e.g. `x-acs-product: ResourceManager`");
    }
    let version = info.api_version.as_ref().or(info.version.as_ref());
    match version {
        None => {
            sink.error(&info.at, "the API version is missing")
                .help("set `info.version` and `info.x-acs-api-version`, e.g. `\"2020-03-31\"`");
        }
        Some(v) if v.value.trim().is_empty() => {
            sink.error(&v.at, "the API version is empty");
        }
        Some(_) => {}
    }
    if let (Some(api), Some(info_version)) = (&info.api_version, &info.version) {
        if api.value != info_version.value {
            sink.warning(
                &api.at,
                format!(
                    "`x-acs-api-version` ({}) differs from `info.version` ({}); `x-acs-api-version` is sent",
                    api.value, info_version.value
                ),
            );
        }
    }
    match doc.servers.first() {
        None => {
            sink.error(&info.at, "the document lists no `servers`")
                .help("add the product endpoint, e.g. `servers: [{url: https://resourcemanager.aliyuncs.com}]`");
        }
        Some(server) => {
            let url = &server.url.value;
            let host = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .map(|h| h.strip_suffix('/').unwrap_or(h))
                .filter(|h| !h.is_empty() && !h.contains('/'));
            match host {
                Some(host) => {
                    let unknown: Vec<&str> = host
                        .split('{')
                        .skip(1)
                        .filter_map(|rest| rest.split('}').next())
                        .filter(|var| *var != "regionId")
                        .collect();
                    if !unknown.is_empty() {
                        sink.error(
                            &server.url.at,
                            format!("server variable `{}` is not supported", unknown.join("`, `")),
                        )
                        .help("a regional endpoint uses `{regionId}`, e.g. `https://metrics.{regionId}.aliyuncs.com`");
                    }
                }
                None => {
                    sink.error(
                        &server.url.at,
                        format!("server URL `{url}` is not `https://host`"),
                    )
                    .help("RPC endpoints are a bare host: `https://resourcemanager.aliyuncs.com`");
                }
            }
        }
    }
}

fn check_rpc_path(op: &Operation, id: &Spanned<String>, sink: &mut Sink) {
    if !matches!(op.method.as_str(), "post" | "get") {
        sink.error(
            &op.at,
            format!(
                "RPC operations are sent with POST or GET, not {}",
                op.method.to_uppercase()
            ),
        );
    }
    let key = &op.path.value;
    let action = key.strip_prefix("/?Action=");
    match action {
        Some(action) if action == id.value => {}
        Some(action) => {
            sink.error(
                &op.path.at,
                format!(
                    "path `{key}` names Action `{action}` but the operationId is `{}`",
                    id.value
                ),
            )
            .help("the path key and the operationId must name the same Action");
        }
        None if key == "/" => {}
        None => {
            sink.error(&op.path.at, format!("path `{key}` is not an RPC path"))
                .help(format!(
                    "write RPC operations under `/?Action={}`",
                    id.value
                ));
        }
    }
}

fn check_operation(doc: &Document, op: &Operation, sink: &mut Sink) {
    if let Some(body) = &op.request_body {
        sink.error(
            &body.at,
            "RPC operations send their parameters in the query; `requestBody` is not supported",
        )
        .help("declare each parameter with `in: query`");
    }
    let mut names: BTreeMap<&str, &Location> = BTreeMap::new();
    let mut has_example = false;
    for param in &op.parameters {
        let param = match param {
            ParameterOrRef::Ref(target) => match doc.parameter(&target.value) {
                Some(p) => p,
                None => {
                    unresolved(&target.value, &target.at, "#/components/parameters/", sink);
                    continue;
                }
            },
            ParameterOrRef::Inline(p) => p,
        };
        let name = &param.name.value;
        if PROTOCOL_PARAMETERS.contains(&name.as_str()) {
            sink.error(
                &param.name.at,
                format!("`{name}` is a protocol parameter the client sends itself, not an operation parameter"),
            )
            .help("remove it from `parameters`");
            continue;
        }
        if let Some(first) = names.insert(name, &param.at) {
            sink.error(
                &param.name.at,
                format!(
                    "parameter `{name}` is declared twice (first at line {})",
                    first.line
                ),
            );
        }
        if param.location.value != "query" {
            sink.error(
                &param.location.at,
                format!(
                    "`in: {}` is not supported for RPC operations",
                    param.location.value
                ),
            )
            .help("RPC operations send every parameter in the query: `in: query`");
        }
        has_example |= param.example.is_some();
        let Some(schema) = &param.schema else {
            sink.error(&param.at, format!("parameter `{name}` has no `schema`"))
                .help("add e.g. `schema: {type: string}`");
            continue;
        };
        let resolved = check_schema_ref(doc, schema, sink);
        let compound = resolved.is_some_and(|s| {
            matches!(
                s.schema_type.as_ref().map(|t| t.value.as_str()),
                Some("array" | "object")
            ) || !s.properties.is_empty()
        });
        match &param.acs_style {
            Some(style) if !WIRE_STYLES.contains(&style.value.as_str()) => {
                sink.error(
                    &style.at,
                    format!("unknown wire style `x-acs-style: {}`", style.value),
                )
                .help(format!("use one of: {}", WIRE_STYLES.join(", ")));
            }
            None if compound => {
                sink.error(
                    &param.at,
                    format!("list or object parameter `{name}` does not say how it is written on the wire"),
                )
                .help(format!(
                    "add `x-acs-style` ({}); `flat` writes `{name}.1`, `{name}.Member`",
                    WIRE_STYLES.join(", ")
                ));
            }
            _ => {}
        }
    }
    let mut success = false;
    for (status, response) in &op.responses {
        let response = match response {
            ResponseOrRef::Ref(target) => match doc.response(&target.value) {
                Some(r) => r,
                None => {
                    unresolved(&target.value, &target.at, "#/components/responses/", sink);
                    continue;
                }
            },
            ResponseOrRef::Inline(r) => r,
        };
        if !status.value.starts_with('2') {
            continue;
        }
        success = true;
        has_example |= !response.examples.is_empty();
        if let Some(schema) = &response.schema {
            if let Some(resolved) = check_schema_ref(doc, schema, sink) {
                let is_object = resolved.properties.is_empty()
                    && resolved.schema_type.as_ref().map(|t| t.value.as_str()) != Some("object");
                if is_object {
                    sink.error(&resolved.at, "a success response must be a JSON object")
                        .help("RPC responses are objects with at least `RequestId`");
                }
            }
        }
    }
    let name = op
        .operation_id
        .as_ref()
        .map_or("the operation", |id| id.value.as_str());
    if !success {
        sink.warning(
            &op.at,
            format!("{name} documents no success response; its response type will be empty"),
        );
    }
    if !has_example && !op.parameters.is_empty() {
        sink.warning(
            &op.at,
            format!("{name} has no examples; its runnable example will send no parameters"),
        );
    }
    let mut codes: BTreeMap<&str, &Location> = BTreeMap::new();
    for row in &op.errors {
        if let Some(first) = codes.insert(&row.code.value, &row.code.at) {
            sink.error(
                &row.code.at,
                format!(
                    "error code `{}` is listed twice (first at line {})",
                    row.code.value, first.line
                ),
            );
        }
    }
}

fn unresolved(target: &str, at: &Location, section: &str, sink: &mut Sink) {
    let diag = sink.error(at, format!("`$ref: {target}` points nowhere"));
    if let Some(name) = target.strip_prefix(section) {
        diag.help(format!(
            "define `{}` under `{}`",
            name,
            section
                .trim_start_matches("#/")
                .replace('/', ".")
                .trim_end_matches('.')
        ));
    } else if target.starts_with('#') {
        diag.help(format!("a reference here must point into `{section}`"));
    } else {
        diag.help("only references within the same document are supported");
    }
}

/// Checks a schema reference or inline schema, returning the schema it stands for.
fn check_schema_ref<'d>(
    doc: &'d Document,
    schema: &'d SchemaOrRef,
    sink: &mut Sink,
) -> Option<&'d Schema> {
    match schema {
        SchemaOrRef::Ref(target) => match doc.schema(&target.value) {
            Some((_, s)) => Some(s),
            None => {
                unresolved(&target.value, &target.at, "#/components/schemas/", sink);
                None
            }
        },
        SchemaOrRef::Inline(s) => {
            check_schema(doc, s, sink);
            Some(s)
        }
    }
}

fn check_schema(doc: &Document, schema: &Schema, sink: &mut Sink) {
    if let Some(keyword) = &schema.composition {
        sink.error(
            &keyword.at,
            format!("`{}` schemas are not supported yet", keyword.value),
        )
        .help("describe the value with one `type`");
    }
    let ty = schema.schema_type.as_ref();
    let format = schema.format.as_ref();
    match (
        ty.map(|t| t.value.as_str()),
        format.map(|f| f.value.as_str()),
    ) {
        (
            Some("string"),
            None
            | Some(
                "date-time" | "date" | "email" | "uri" | "uuid" | "password" | "hostname" | "ipv4"
                | "ipv6",
            ),
        ) => {}
        (Some("integer"), None | Some("int32" | "int64")) => {}
        (Some("number"), None | Some("float" | "double")) => {}
        (Some("boolean"), None) => {}
        (Some("array"), _) => match &schema.items {
            Some(items) => {
                check_schema_ref(doc, items, sink);
            }
            None => {
                sink.error(&schema.at, "an array schema needs `items`")
                    .help("e.g. `items: {type: string}`");
            }
        },
        (Some("object") | None, _) => {
            for (_, property) in &schema.properties {
                check_schema_ref(doc, property, sink);
            }
            if let Some(extra) = &schema.additional_properties {
                check_schema_ref(doc, extra, sink);
            }
        }
        (Some(ty_name @ ("string" | "integer" | "number" | "boolean")), Some(f)) => {
            if let Some(format) = format {
                sink.error(
                    &format.at,
                    format!("format `{f}` of type `{ty_name}` is not supported"),
                )
                .help(match ty_name {
                    "integer" => "use `format: int32` or `format: int64`",
                    "number" => "use `format: float` or `format: double`",
                    _ => "remove the format, or use a string format acsgen knows (date-time, date, email, uri, uuid)",
                });
            }
        }
        (Some(other), _) => {
            if let Some(ty) = ty {
                sink.error(&ty.at, format!("type `{other}` is not supported"))
                    .help("use string, integer, number, boolean, array or object");
            }
        }
    }
    let mut values = BTreeSet::new();
    for value in &schema.enum_values {
        let text = value.value.to_string();
        if !values.insert(text.clone()) {
            sink.error(&value.at, format!("enum value {text} is listed twice"))
                .help("remove the duplicate");
        }
    }
}

/// Reports a `$ref` cycle through `name` that no Rust type could hold: one that does not
/// pass through a list or map (those give the value a fixed size).
fn check_cycle(doc: &Document, name: &Spanned<String>, sink: &mut Sink) {
    let mut trail = vec![name.value.clone()];
    if let Some((_, schema)) = doc.schema(&format!("#/components/schemas/{}", name.value)) {
        if let Some(cycle) = find_cycle(doc, schema, &name.value, &mut trail, 0) {
            sink.error(
                &name.at,
                format!("schema `{}` contains itself: {cycle}", name.value),
            )
            .help("a type cannot contain itself directly; put the recursion inside an array");
        }
    }
}

fn find_cycle(
    doc: &Document,
    schema: &Schema,
    target: &str,
    trail: &mut Vec<String>,
    depth: usize,
) -> Option<String> {
    if depth > 64 {
        return None;
    }
    for (_, property) in &schema.properties {
        match property {
            SchemaOrRef::Ref(r) => {
                let Some((next_name, next)) = doc.schema(&r.value) else {
                    continue;
                };
                trail.push(next_name.value.clone());
                if next_name.value == target {
                    return Some(trail.join(" → "));
                }
                if trail[..trail.len() - 1].contains(&next_name.value) {
                    trail.pop();
                    continue;
                }
                if let Some(found) = find_cycle(doc, next, target, trail, depth + 1) {
                    return Some(found);
                }
                trail.pop();
            }
            SchemaOrRef::Inline(inline) => {
                if let Some(found) = find_cycle(doc, inline, target, trail, depth + 1) {
                    return Some(found);
                }
            }
        }
    }
    None
}
