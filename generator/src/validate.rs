//! Validate: everything about a loaded document's meaning that can be checked before naming —
//! references resolve, operations are identified once, types and wire styles are ones acsgen
//! can generate. Each problem is reported at the node it concerns, and all are reported.

use std::collections::BTreeMap;

use crate::binding::{
    parse_path, Method, ParamLocation, ParamStyle, PathPart, Protocol, OPERATION_TYPES,
};
use crate::diag::{Location, Sink};
use crate::ident;
use crate::openapi::*;

/// Checks `doc`, recording every problem in `sink`.
pub fn validate(doc: &Document, sink: &mut Sink) {
    check_header(doc, sink);
    let protocol = Protocol::of(doc);
    if doc.operations.is_empty() {
        sink.error(&doc.paths_at, "the document defines no operations")
            .help("add an operation under `paths`, e.g. `/?Action=DescribeThing: {post: {operationId: DescribeThing, ...}}`");
    }
    let mut seen: BTreeMap<&str, &Location> = BTreeMap::new();
    let ids: Vec<Option<Spanned<String>>> = doc
        .operations
        .iter()
        .map(|op| op.wire_id(protocol))
        .collect();
    for (op, id) in doc.operations.iter().zip(&ids) {
        match id {
            None => {
                let action = op
                    .path
                    .value
                    .strip_prefix("/?Action=")
                    .filter(|a| !a.is_empty())
                    .unwrap_or("<Action>");
                sink.error(
                    &op.at,
                    format!(
                        "the operation `{} {}` has no `operationId`",
                        op.method.to_uppercase(),
                        op.path.value
                    ),
                )
                .help(format!(
                    "an RPC operation is named by its Action: add `operationId: {action}`"
                ));
            }
            Some(id) => {
                if let Some(first) = first_or_insert(&mut seen, &id.value, &id.at) {
                    sink.error(
                        &id.at,
                        format!(
                            "duplicate operationId `{}` (first defined at line {})",
                            id.value, first.line
                        ),
                    )
                    .help("each operation needs its own operationId");
                }
                check_binding(doc, protocol, op, id, sink);
                if let (Protocol::Rest, Some(security)) = (protocol, &op.security) {
                    check_security(doc, security, sink);
                }
                check_operation_type(op, sink);
            }
        }
        check_operation(doc, protocol, op, sink);
    }
    for (_, schema) in &doc.schemas {
        check_schema(doc, schema, sink);
    }
    if protocol.is_alibaba() {
        // REST types that contain themselves are boxed; Alibaba metadata never needs that.
        check_cycles(doc, sink);
    } else {
        check_security(doc, &doc.security, sink);
        for (name, scheme) in &doc.security_schemes {
            check_security_scheme(name, scheme, sink);
        }
    }
}

/// Checks a security scheme a REST document declares: acsgen sends bearer tokens (HTTP
/// bearer, OAuth 2, OpenID Connect), basic credentials and API keys in a header or the query.
fn check_security_scheme(name: &Spanned<String>, scheme: &SecurityScheme, sink: &mut Sink) {
    let text = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.to_ascii_lowercase());
    match text(&scheme.kind).as_deref() {
        Some("http") => match text(&scheme.scheme).as_deref() {
            Some("bearer" | "basic") => {}
            other => {
                let at = scheme.scheme.as_ref().map_or(&scheme.at, |s| &s.at);
                sink.error(
                    at,
                    format!(
                        "HTTP authentication scheme `{}` of `{}` is not supported",
                        other.unwrap_or("(none)"),
                        name.value
                    ),
                )
                .help("acsgen sends `bearer` and `basic` credentials");
            }
        },
        Some("apikey") => {
            let location = text(&scheme.location);
            if scheme.name.is_none() || !matches!(location.as_deref(), Some("header" | "query")) {
                let at = scheme.location.as_ref().map_or(&scheme.at, |s| &s.at);
                sink.error(
                    at,
                    format!(
                        "API key scheme `{}` must name the header or query parameter it goes in",
                        name.value
                    ),
                )
                .help("write `name: X-API-Key` and `in: header` (or `in: query`); cookies are not supported");
            }
        }
        Some("oauth2" | "openidconnect") => {}
        other => {
            let at = scheme.kind.as_ref().map_or(&scheme.at, |s| &s.at);
            sink.error(
                at,
                format!(
                    "security scheme type `{}` of `{}` is not supported",
                    other.unwrap_or("(none)"),
                    name.value
                ),
            )
            .help("acsgen sends `http` (bearer, basic), `apiKey`, `oauth2` and `openIdConnect` credentials");
        }
    }
}

/// Warns of every scheme a `security` requirement names that is not declared.
fn check_security(doc: &Document, requirements: &[Vec<Spanned<String>>], sink: &mut Sink) {
    for name in requirements.iter().flatten() {
        if !doc
            .security_schemes
            .iter()
            .any(|(n, _)| n.value == name.value)
        {
            // The client cannot send credentials it knows nothing of; the other schemes the
            // document declares still work, so the API is generated.
            sink.warning(
                &name.at,
                format!(
                    "security scheme `{}` is not defined in `components.securitySchemes`; the client sends no credentials for it",
                    name.value
                ),
            )
            .help("define it, or correct the name");
        }
    }
}

/// The location `key` was first seen at, or `None` after recording `at` as its first.
fn first_or_insert<'a>(
    seen: &mut BTreeMap<&'a str, &'a Location>,
    key: &'a str,
    at: &'a Location,
) -> Option<&'a Location> {
    match seen.entry(key) {
        std::collections::btree_map::Entry::Occupied(first) => Some(*first.get()),
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(at);
            None
        }
    }
}

/// Records the request parameter `name`, declared at `at`; a second declaration is reported at
/// `report_at`.
fn declare_once<'d>(
    names: &mut BTreeMap<&'d str, &'d Location>,
    name: &'d str,
    at: &'d Location,
    report_at: &Location,
    sink: &mut Sink,
) {
    if let Some(first) = first_or_insert(names, name, at) {
        sink.error(
            report_at,
            format!(
                "parameter `{name}` is declared twice (first at line {})",
                first.line
            ),
        )
        .help("remove one of them; a parameter is declared once per operation");
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
        sink.error(&info.at, "`info.title` is missing")
            .help("add the API's name, e.g. `title: Resource Management API`");
    }
    if Protocol::of(doc) == Protocol::Rest {
        if info.version.is_none() {
            sink.error(&info.at, "`info.version` is missing")
                .help("add the API's version, e.g. `version: 1.0.0`");
        }
        return;
    }
    match &info.style {
        Some(style) if Protocol::named(&style.value).is_some() => {}
        Some(style) => {
            sink.error(
                &style.at,
                format!("API style `{}` is not supported", style.value),
            )
            .help("acsgen generates Alibaba Cloud RPC and ROA APIs: `x-acs-style: rpc` or `x-acs-style: roa`");
        }
        None => {
            sink.error(&info.at, "`info.x-acs-style` is missing")
                .help("acsgen generates Alibaba Cloud RPC and ROA APIs: add `x-acs-style: rpc` (or `roa`) to `info`");
        }
    }
    match &info.product {
        None => {
            sink.error(
                &info.at,
                "`info.x-acs-product` (the product code) is missing",
            )
            .help("e.g. `x-acs-product: ResourceManager`");
        }
        Some(product) => {
            let valid = product.value.starts_with(|c: char| c.is_ascii_alphabetic())
                && product.value.chars().all(|c| c.is_ascii_alphanumeric());
            if !valid {
                sink.error(
                    &product.at,
                    format!(
                        "product code `{}` is not a name of ASCII letters and digits",
                        product.value
                    ),
                )
                .help("product codes look like `ResourceManager` or `Cms`; they name the crate");
            }
        }
    }
    let version = info.api_version.as_ref().or(info.version.as_ref());
    match version {
        None => {
            sink.error(&info.at, "the API version is missing")
                .help("set `info.version` and `info.x-acs-api-version`, e.g. `\"2020-03-31\"`");
        }
        Some(v) if v.value.trim().is_empty() => {
            sink.error(&v.at, "the API version is empty")
                .help("write the API version, quoted, e.g. `\"2020-03-31\"`");
        }
        Some(v)
            if !v
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.')) =>
        {
            sink.error(
                &v.at,
                format!(
                    "API version `{}` may hold only ASCII letters, digits, `-` and `.`",
                    v.value
                ),
            )
            .help("API versions look like `\"2020-03-31\"`; they name the crate");
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
            match url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .map(|h| h.strip_suffix('/').unwrap_or(h))
            {
                Some(host) => check_host(host, &server.url.at, true, sink),
                None => {
                    sink.error(
                        &server.url.at,
                        format!("server URL `{url}` is not `https://host`"),
                    )
                    .help("endpoints are a bare host: `https://resourcemanager.aliyuncs.com`");
                }
            }
        }
    }
    for (region, host) in &info.endpoints {
        if !is_region_id(&region.value) {
            sink.error(&region.at, format!("`{}` is not a region ID", region.value))
                .help(
                    "region IDs hold lowercase ASCII letters, digits and `-`, e.g. `cn-hangzhou`",
                );
        }
        check_host(&host.value, &host.at, false, sink);
    }
    if let Some(vpc) = &info.vpc_endpoint {
        check_host(&vpc.value, &vpc.at, true, sink);
    }
    if let Some(flag) = &info.success_flag {
        if flag.value.is_empty() || flag.value.chars().any(|c| c.is_whitespace()) {
            sink.error(
                &flag.at,
                format!("`x-acs-success-flag` `{}` is not a member name", flag.value),
            )
            .help("name the boolean member of the answer that is false on failure, e.g. `Success`");
        }
    }
}

/// Whether `region` can be a region ID: lowercase ASCII letters, digits and `-`.
fn is_region_id(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks an endpoint host: a host name (letters, digits, `.`, `-`), an optional port, and,
/// where `template` allows it, the `{regionId}` placeholder.
fn check_host(host: &str, at: &Location, template: bool, sink: &mut Sink) {
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '{' | '}'));
    if !valid {
        sink.error(at, format!("`{host}` is not a host name"))
            .help("endpoints are a bare host such as `resourcemanager.aliyuncs.com`, with an optional `:port`");
        return;
    }
    let variables: Vec<&str> = host
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split('}').next())
        .collect();
    if !template && !variables.is_empty() {
        sink.error(
            at,
            format!("the host `{host}` of one region holds a variable"),
        )
        .help("write the region's host as published, e.g. `metrics.cn-hangzhou.aliyuncs.com`");
        return;
    }
    let unknown: Vec<&str> = variables
        .into_iter()
        .filter(|var| *var != "regionId")
        .collect();
    if !unknown.is_empty() {
        sink.error(
            at,
            format!(
                "server variable `{}` is not supported",
                unknown.join("`, `")
            ),
        )
        .help(
            "a regional endpoint uses `{regionId}`, e.g. `https://metrics.{regionId}.aliyuncs.com`",
        );
    }
}

/// Checks `x-acs-operation-type`: it decides whether the operation is retried after a
/// timeout, so a value acsgen does not know is an error rather than a guess.
fn check_operation_type(op: &Operation, sink: &mut Sink) {
    let Some(kind) = &op.operation_type else {
        return;
    };
    if !OPERATION_TYPES.contains(&kind.value.as_str()) {
        sink.error(
            &kind.at,
            format!(
                "`x-acs-operation-type` `{}` is not an operation type",
                kind.value
            ),
        )
        .help(format!("use one of `{}`", OPERATION_TYPES.join("`, `")));
    }
}

/// Checks how the operation is bound to a request: its method, and its path as the protocol
/// wants it.
fn check_binding(
    doc: &Document,
    protocol: Protocol,
    op: &Operation,
    id: &Spanned<String>,
    sink: &mut Sink,
) {
    let method = Method::named(&op.method);
    if !method.is_some_and(|m| protocol.methods().contains(&m)) {
        let mut methods: Vec<String> = protocol
            .methods()
            .iter()
            .map(|m| m.key().to_uppercase())
            .collect();
        let last = methods.pop().unwrap_or_default();
        let methods = format!("{} or {last}", methods.join(", "));
        sink.error(
            &op.at,
            format!(
                "{} operations are sent with {}, not {}",
                protocol.name().to_uppercase(),
                methods,
                op.method.to_uppercase()
            ),
        )
        .help(match protocol {
            Protocol::Rpc => "put the operation under `post:`",
            _ => "acsgen generates GET, POST, PUT, DELETE, PATCH and HEAD operations",
        });
    }
    match protocol {
        Protocol::Rpc => check_rpc_path(op, id, sink),
        Protocol::Roa | Protocol::Rest => check_path_template(doc, op, sink),
    }
}

fn check_rpc_path(op: &Operation, id: &Spanned<String>, sink: &mut Sink) {
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

/// Checks a path template: it starts with `/`, its braces pair up, and its `{Name}`s are
/// exactly the operation's required `in: path` parameters.
fn check_path_template(doc: &Document, op: &Operation, sink: &mut Sink) {
    let key = &op.path.value;
    let parts = parse_path(key).filter(|_| key.starts_with('/') && !key.contains(['?', '#']));
    let Some(parts) = parts else {
        sink.error(&op.path.at, format!("path `{key}` is not a path template"))
            .help("write the path as in the API reference, e.g. `/clusters/{ClusterId}/nodepools`");
        return;
    };
    let in_template: Vec<&str> = parts
        .iter()
        .filter_map(|p| match p {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
        .collect();
    let mut declared = Vec::new();
    for param in op
        .parameters
        .iter()
        .filter_map(|p| doc.resolve_parameter(p))
    {
        if param.location.value != "path" {
            continue;
        }
        let name = param.name.value.as_str();
        declared.push(name);
        if !in_template.contains(&name) {
            sink.error(
                &param.name.at,
                format!("path parameter `{name}` is not in the path `{key}`"),
            )
            .help(format!(
                "add `{{{name}}}` to the path, or send the parameter elsewhere"
            ));
        } else if param.required != Some(true) {
            sink.error(
                &param.name.at,
                format!("path parameter `{name}` must be required"),
            )
            .help("add `required: true`: a path cannot leave a segment out");
        }
    }
    for name in in_template {
        if !declared.contains(&name) {
            sink.error(
                &op.path.at,
                format!("`{{{name}}}` in the path `{key}` is not declared as a parameter"),
            )
            .help(format!("add a parameter `{{name: {name}, in: path, required: true, schema: {{type: string}}}}`"));
        }
    }
}

/// Checks a Rust name the spec gives with `x-rust-name`: `check` says what a valid one is.
fn check_rust_name(
    name: Option<&Spanned<String>>,
    check: fn(&str) -> Result<(), String>,
    example: &str,
    sink: &mut Sink,
) {
    if let Some(name) = name {
        if let Err(problem) = check(&name.value) {
            sink.error(&name.at, format!("`x-rust-name`: {problem}"))
                .help(format!("use a name such as `{example}`"));
        }
    }
}

fn check_operation(doc: &Document, protocol: Protocol, op: &Operation, sink: &mut Sink) {
    check_rust_name(
        op.rust_name.as_ref(),
        ident::check_snake,
        "describe_thing",
        sink,
    );
    let mut names: BTreeMap<&str, &Location> = BTreeMap::new();
    let mut has_example = false;
    for param in &op.parameters {
        let param = match param {
            ParameterOrRef::Ref(target) => match doc.parameter(&target.value) {
                Some(p) => p,
                None => {
                    unresolved(doc, &target.value, &target.at, Section::Parameters, sink);
                    continue;
                }
            },
            ParameterOrRef::Inline(p) => p,
        };
        let name = &param.name.value;
        check_rust_name(
            param.rust_name.as_ref(),
            ident::check_snake,
            "contact_name",
            sink,
        );
        if protocol.own_parameters().contains(&name.as_str()) {
            sink.error(
                &param.name.at,
                format!("`{name}` is a protocol parameter the client sends itself, not an operation parameter"),
            )
            .help("remove it from `parameters`");
            continue;
        }
        declare_once(&mut names, name, &param.at, &param.name.at, sink);
        let location = ParamLocation::from_parameter_in(&param.location.value);
        if !location.is_some_and(|l| protocol.locations().contains(&l)) {
            let help = match protocol {
                Protocol::Rpc => "RPC operations send every parameter in the query: `in: query`",
                _ => {
                    "parameters go in the path, the query or a header; acsgen does not send cookies"
                }
            };
            sink.error(
                &param.location.at,
                format!(
                    "`in: {}` is not supported for {} operations",
                    param.location.value,
                    protocol.name().to_uppercase()
                ),
            )
            .help(help);
        }
        has_example |= param.example.is_some();
        let Some(schema) = &param.schema else {
            if param.has_content {
                sink.error(
                    &param.at,
                    format!("parameter `{name}` is described by `content`, which is not supported"),
                )
                .help("describe the value with `schema` (and `style`)");
            } else {
                sink.error(&param.at, format!("parameter `{name}` has no `schema`"))
                    .help("add e.g. `schema: {type: string}`");
            }
            continue;
        };
        let resolved = check_schema_ref(doc, schema, sink);
        let union = resolved.and_then(Schema::as_union);
        if let Some(union) =
            union.filter(|_| resolved.is_some_and(|s| doc.value_kind(s) != ValueKind::Scalar))
        {
            sink.error(
                &param.at,
                format!(
                    "parameter `{name}` is a `{}` of lists or objects, which acsgen sends only in JSON bodies",
                    union.keyword.value
                ),
            )
            .help("describe the parameter with one `type`, or with a union of scalars");
            continue;
        }
        match (protocol, location) {
            (Protocol::Rest, Some(location)) => {
                check_rest_style(doc, param, location, resolved, sink);
            }
            (Protocol::Rest, None) => {}
            _ => check_style(name, param.acs_style.as_ref(), resolved, &param.at, sink),
        }
    }
    if let Some(body) = &op.request_body {
        check_request_body(doc, protocol, body, &mut names, sink);
    }
    let mut success = false;
    for (status, response) in &op.responses {
        let response = match response {
            ResponseOrRef::Ref(target) => match doc.response(&target.value) {
                Some(r) => r,
                None => {
                    unresolved(doc, &target.value, &target.at, Section::Responses, sink);
                    continue;
                }
            },
            ResponseOrRef::Inline(r) => r,
        };
        if protocol == Protocol::Rest {
            if crate::ir::StatusKey::parse(&status.value).is_none() {
                sink.error(
                    &status.at,
                    format!("`{}` is not a response status", status.value),
                )
                .help("key responses by an HTTP status (`404`), a range (`4XX`) or `default`");
            }
            if let Some(schema) = &response.schema {
                check_schema_ref(doc, schema, sink);
            }
            success |= status.value.starts_with('2');
            has_example |= !response.examples.is_empty();
            continue;
        }
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
    let id = op.wire_id(protocol);
    let name = id.as_ref().map_or("the operation", |id| id.value.as_str());
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
        if let Some(first) = first_or_insert(&mut codes, &row.code.value, &row.code.at) {
            sink.error(
                &row.code.at,
                format!(
                    "error code `{}` is listed twice (first at line {})",
                    row.code.value, first.line
                ),
            )
            .help("keep one row per error code in `x-acs-errors`");
        }
    }
}

/// Checks the OpenAPI `style` of a REST parameter against where it goes and what it holds:
/// query lists in `form` (exploded or not), `spaceDelimited` or `pipeDelimited`, query objects
/// in `deepObject`; path and header values are scalars or (`simple`) lists.
fn check_rest_style(
    doc: &Document,
    param: &Parameter,
    location: ParamLocation,
    resolved: Option<&Schema>,
    sink: &mut Sink,
) {
    let name = &param.name.value;
    let kind = resolved.map_or(ValueKind::Scalar, |s| doc.value_kind(s));
    let style = param.style.as_ref();
    let at = style.map_or(&param.at, |s| &s.at);
    let style_name = style.map(|s| s.value.as_str());
    if ParamStyle::rest(location, style_name, param.explode, kind).is_some() {
        return;
    }
    let (message, help) = match (location, style_name, kind) {
        (ParamLocation::Query, None | Some("form"), ValueKind::Object) => (
            format!("the object query parameter `{name}` in the `form` style is not supported"),
            "write it with `style: deepObject` (`name[member]=value`), or list its members as parameters of their own".to_owned(),
        ),
        (_, Some(style @ ("matrix" | "label")), _) => (
            format!("the `{style}` style of parameter `{name}` is not supported"),
            "path parameters are sent in the `simple` style".to_owned(),
        ),
        (_, Some(style), kind) => (
            format!(
                "parameter `{name}` ({} {}) cannot be sent in the `{style}` style",
                kind.describe(),
                location.spec_name()
            ),
            "query parameters take `form`, `spaceDelimited` and `pipeDelimited` (lists) or `deepObject` (objects); path and header parameters take `simple`".to_owned(),
        ),
        (_, None, kind) => (
            format!(
                "parameter `{name}` ({} {}) is not supported",
                kind.describe(),
                location.spec_name()
            ),
            "path parameters are scalars; objects go in the query (`style: deepObject`) or the body".to_owned(),
        ),
    };
    sink.error(at, message).help(help);
}

/// Checks the wire style of the parameter or form member `name`: a list or object must declare
/// one `x-acs-style` the protocol binding knows.
fn check_style(
    name: &str,
    acs_style: Option<&Spanned<String>>,
    resolved: Option<&Schema>,
    at: &Location,
    sink: &mut Sink,
) {
    let compound = resolved.is_some_and(|s| {
        matches!(
            s.schema_type.as_ref().map(|t| t.value.as_str()),
            Some("array" | "object")
        ) || !s.properties.is_empty()
    });
    match acs_style {
        Some(style) if ParamStyle::named(&style.value).is_none() => {
            sink.error(
                &style.at,
                format!(
                    "unknown wire style `x-acs-style: {}` on parameter `{name}`",
                    style.value
                ),
            )
            .help(format!(
                "use one of {} (the style the official API metadata gives)",
                ParamStyle::declared_names()
            ));
        }
        None if compound => {
            let is_list = resolved
                .and_then(|s| s.schema_type.as_ref())
                .is_some_and(|t| t.value == "array");
            let (kind, forms) = if is_list {
                (
                    "list",
                    format!("`repeatList` writes `{name}.1=a&{name}.2=b`, `json` writes `{name}=[\"a\",\"b\"]`, `simple` writes `{name}=a,b`"),
                )
            } else {
                (
                    "object",
                    format!("`flat` writes `{name}.Member=v`, `json` writes `{name}={{\"Member\":\"v\"}}`"),
                )
            };
            sink.error(
                at,
                format!("the {kind} parameter `{name}` does not say how it is written on the wire: `x-acs-style` is missing"),
            )
            .help(format!(
                "add `x-acs-style` with the style the official API metadata gives ({}): {forms}",
                ParamStyle::declared_names()
            ));
        }
        _ => {}
    }
}

/// Checks an operation's `requestBody`: an object schema listing the body's members, in a
/// media type the protocol sends (RPC: a form; ROA: JSON or a form).
fn check_request_body<'d>(
    doc: &'d Document,
    protocol: Protocol,
    body: &'d RequestBody,
    names: &mut BTreeMap<&'d str, &'d Location>,
    sink: &mut Sink,
) {
    let expected = protocol
        .body_media_types()
        .iter()
        .map(|(media, _)| format!("`{media}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    if protocol == Protocol::Rest {
        check_rest_body(doc, body, names, sink);
        return;
    }
    let [(media, schema)] = body.content.as_slice() else {
        sink.error(
            &body.at,
            "a request body needs exactly one media type under `content`",
        )
        .help(format!(
            "{} operations send `content: {{{}: {{schema: ...}}}}`",
            protocol.name(),
            protocol.body_media_types()[0].0
        ));
        return;
    };
    let Some(location) = protocol.body_location(&media.value) else {
        sink.error(
            &media.at,
            format!(
                "`{}` request bodies are not supported for {} operations",
                media.value,
                protocol.name()
            ),
        )
        .help(format!(
            "{} operations send their body as {expected}",
            protocol.name()
        ));
        return;
    };
    let Some(schema) = schema else {
        sink.error(&media.at, "the request body has no `schema`")
            .help("describe the body's members as the properties of an object schema");
        return;
    };
    let Some(object) = check_schema_ref(doc, schema, sink) else {
        return;
    };
    if object.properties.is_empty() {
        sink.error(
            &object.at,
            "the request body's schema is not an object with `properties`",
        )
        .help("acsgen sends a body built from the members of an object schema; other bodies are not supported yet");
    }
    let is_form = location == ParamLocation::Form;
    for (name, member) in &object.properties {
        declare_once(names, &name.value, &name.at, &name.at, sink);
        if protocol.own_parameters().contains(&name.value.as_str()) {
            sink.error(
                &name.at,
                format!("`{}` is a protocol parameter the client sends itself, not an operation parameter", name.value),
            )
            .help("remove it from the body");
        }
        let resolved = match member {
            SchemaOrRef::Ref(_) => check_schema_ref(doc, member, sink),
            // Inline members are checked with the body's schema.
            SchemaOrRef::Inline(s) => Some(&**s),
        };
        if is_form {
            // Form members are flattened like query parameters; JSON members are JSON.
            let style = resolved.and_then(|s| s.acs_style.as_ref());
            let at = match member {
                SchemaOrRef::Inline(s) => &s.at,
                SchemaOrRef::Ref(r) => &r.at,
            };
            check_style(&name.value, style, resolved, at, sink);
        }
    }
}

/// Checks a REST request body: one media type acsgen sends (JSON, `application/<x>+json`, or a
/// form whose members are scalars and lists) with a schema. Of several media types the first
/// one acsgen sends is used.
fn check_rest_body<'d>(
    doc: &'d Document,
    body: &'d RequestBody,
    names: &mut BTreeMap<&'d str, &'d Location>,
    sink: &mut Sink,
) {
    let Some((media, schema)) = body
        .content
        .iter()
        .find(|(media, _)| crate::binding::rest_body_media(&media.value).is_some())
    else {
        let listed: Vec<String> = body
            .content
            .iter()
            .map(|(media, _)| format!("`{}`", media.value))
            .collect();
        let at = body
            .content
            .first()
            .map_or(&body.at, |(media, _)| &media.at);
        sink.error(
            at,
            format!(
                "request bodies in {} are not supported",
                if listed.is_empty() {
                    "no media type".to_owned()
                } else {
                    listed.join(", ")
                }
            ),
        )
        .help("acsgen sends JSON (`application/json`), form (`application/x-www-form-urlencoded`) and raw bodies (`application/octet-stream`, images, PDF...)");
        return;
    };
    if crate::binding::rest_body_media(&media.value) == Some(crate::binding::RAW_CONTENT_TYPE) {
        // Bytes, whatever the schema (if any) says.
        return;
    }
    let Some(schema) = schema else {
        sink.error(&media.at, "the request body has no `schema`")
            .help(
            "describe the body with a schema, e.g. `schema: {$ref: '#/components/schemas/NewPet'}`",
        );
        return;
    };
    let resolved = check_schema_ref(doc, schema, sink);
    let sent = crate::binding::rest_body_media(&media.value);
    let multipart = sent == Some(crate::binding::MULTIPART_CONTENT_TYPE);
    if sent != Some(crate::binding::FORM_CONTENT_TYPE) && !multipart {
        return;
    }
    let Some(object) = resolved.filter(|o| !o.properties.is_empty()) else {
        sink.error(
            &media.at,
            "a form body's schema must be an object with `properties`",
        )
        .help("list the form's fields as the properties of an object schema");
        return;
    };
    for (name, member) in &object.properties {
        declare_once(names, &name.value, &name.at, &name.at, sink);
        let member = doc.resolve(member);
        if member.is_some_and(|s| doc.value_kind(s) == ValueKind::Object) {
            sink.error(
                &name.at,
                format!("the object form field `{}` is not supported", name.value),
            )
            .help("form fields are scalars or lists; send objects in a JSON body");
        }
        let items = member
            .and_then(|s| s.items.as_ref())
            .and_then(|items| doc.resolve(items));
        if multipart && items.is_some_and(Schema::is_binary) {
            sink.error(
                &name.at,
                format!(
                    "the multipart field `{}` is a list of files, which is not supported",
                    name.value
                ),
            )
            .help("send one file per field");
        }
    }
}

/// The `components` section a `$ref` must point into.
#[derive(Clone, Copy)]
enum Section {
    Schemas,
    Parameters,
    Responses,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Schemas => "schemas",
            Section::Parameters => "parameters",
            Section::Responses => "responses",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Section::Schemas => "schema",
            Section::Parameters => "parameter",
            Section::Responses => "response",
        }
    }

    fn names(self, doc: &Document) -> Vec<&str> {
        match self {
            Section::Schemas => doc.schemas.iter().map(|(n, _)| n.value.as_str()).collect(),
            Section::Parameters => doc
                .parameters
                .iter()
                .map(|(n, _)| n.value.as_str())
                .collect(),
            Section::Responses => doc
                .responses
                .iter()
                .map(|(n, _)| n.value.as_str())
                .collect(),
        }
    }
}

fn unresolved(doc: &Document, target: &str, at: &Location, section: Section, sink: &mut Sink) {
    let prefix = format!("#/components/{}/", section.key());
    let what = section.what();
    let Some(name) = target.strip_prefix(&prefix) else {
        let message = format!(
            "`$ref: '{target}'` points nowhere: a {what} reference must point into `{prefix}`"
        );
        let help = if target.starts_with('#') {
            format!("write the reference as `{prefix}<Name>`")
        } else {
            format!("only references within the same document are supported: define the {what} under `components.{}` and use `{prefix}<Name>`", section.key())
        };
        sink.error(at, message).help(help);
        return;
    };
    let message = format!(
        "`$ref: '{target}'` points nowhere: there is no {what} `{name}` in `components.{}`",
        section.key()
    );
    let help = match closest(name, &section.names(doc)) {
        Some(known) => format!(
            "did you mean `{prefix}{known}`? Otherwise define `{name}` under `components.{}`",
            section.key()
        ),
        None => format!(
            "define `{name}` under `components.{}`, or correct the name",
            section.key()
        ),
    };
    sink.error(at, message).help(help);
}

/// The known name closest to `name` (a typo: at most a third of its characters differ).
fn closest<'n>(name: &str, known: &[&'n str]) -> Option<&'n str> {
    known
        .iter()
        .map(|k| (edit_distance(&name.to_lowercase(), &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Checks a REST `oneOf`/`anyOf`: its parts; a union is the whole value, not members beside
/// it; with a `discriminator` every part is a `$ref` (the member's value names it) and every
/// `mapping` target is one of the parts.
fn check_union(doc: &Document, schema: &Schema, union: &Union, sink: &mut Sink) {
    for part in &union.parts {
        check_schema_ref(doc, part, sink);
    }
    let keyword = &union.keyword.value;
    if schema.as_union().is_some() && !schema.properties.is_empty() {
        sink.error(
            &union.keyword.at,
            format!("`{keyword}` beside `properties` is not supported"),
        )
        .help(format!(
            "move the members into each part of `{keyword}`, or the union into a member of its own"
        ));
    }
    let Some(discriminator) = &union.discriminator else {
        return;
    };
    let targets: Vec<&str> = union
        .parts
        .iter()
        .filter_map(|part| match part {
            SchemaOrRef::Ref(r) => Some(r.value.as_str()),
            SchemaOrRef::Inline(_) => None,
        })
        .collect();
    for part in union.value_parts() {
        if let SchemaOrRef::Inline(s) = part {
            sink.error(
                &s.at,
                format!("with a `discriminator`, each part of `{keyword}` must be a `$ref`"),
            )
            .help("the discriminator's value names a schema: move this part into `components.schemas`");
        }
    }
    for (value, target) in &discriminator.mapping {
        if !targets.contains(&target.value.as_str()) {
            sink.error(
                &target.at,
                format!(
                    "the discriminator maps `{value}` to `{}`, which is not a part of `{keyword}`",
                    target.value
                ),
            )
            .help(format!("map it to one of `{}`", targets.join("`, `")));
        }
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
                unresolved(doc, &target.value, &target.at, Section::Schemas, sink);
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
    // On an object or enum the name is a type's; on anything else, the field's.
    if schema.is_named_kind() {
        check_rust_name(
            schema.rust_name.as_ref(),
            ident::check_camel,
            "ContactInfo",
            sink,
        );
    } else {
        check_rust_name(
            schema.rust_name.as_ref(),
            ident::check_snake,
            "contact_name",
            sink,
        );
    }
    let is_rest = Protocol::of(doc) == Protocol::Rest;
    if let Some(keyword) = &schema.unsupported_composition {
        let message = if keyword.value == "not" {
            "`not` schemas are not supported".to_owned()
        } else {
            "`oneOf` and `anyOf` in one schema are not supported".to_owned()
        };
        sink.error(&keyword.at, message)
            .help("describe the value with one `type`, or with `oneOf` alone");
    }
    if let Some(union) = &schema.union {
        if is_rest {
            check_union(doc, schema, union, sink);
        } else {
            sink.error(
                &union.keyword.at,
                format!("`{}` schemas are not supported yet", union.keyword.value),
            )
            .help("describe the value with one `type`");
        }
    }
    for part in &schema.all_of {
        let Some(resolved) = check_schema_ref(doc, part, sink) else {
            continue;
        };
        let at = match part {
            SchemaOrRef::Ref(r) => &r.at,
            SchemaOrRef::Inline(s) => &s.at,
        };
        if resolved.as_union().is_some() {
            sink.error(at, "`allOf` with a `oneOf` or `anyOf` part is not supported")
                .help("acsgen merges the properties of object schemas into one struct; move the union into a member");
        } else if resolved.value_kind() != ValueKind::Object && resolved.union.is_none() {
            sink.error(at, "`allOf` merges objects; this part is not an object")
                .help("acsgen merges the properties of object schemas; describe a scalar with one `type`");
        }
    }
    let ty = schema.schema_type.as_ref();
    let format = schema.format.as_ref();
    if is_rest {
        // Any format of a string is still text, and an integer or number format only says how
        // large it gets: REST schemas take every format, mapped in `lower`.
        if let Some(items) = &schema.items {
            check_schema_ref(doc, items, sink);
        }
        for (_, property) in &schema.properties {
            check_schema_ref(doc, property, sink);
        }
        if let Some(extra) = &schema.additional_properties {
            check_schema_ref(doc, extra, sink);
        }
        if ty.is_some_and(|t| t.value == "array") && schema.items.is_none() {
            sink.error(&schema.at, "an array schema needs `items`")
                .help("e.g. `items: {type: string}`");
        }
        check_enum_values(schema, sink);
        return;
    }
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
                let (why, help) = match ty_name {
                    "integer" => (
                        "an integer is `int32` (Rust `i32`) or `int64` (Rust `i64`)",
                        "use `format: int32` or `format: int64`, or `type: string` for larger values",
                    ),
                    "number" => (
                        "a number is `float` (Rust `f32`) or `double` (Rust `f64`)",
                        "use `format: float` or `format: double`",
                    ),
                    "boolean" => (
                        "a boolean takes no format",
                        "remove the format",
                    ),
                    _ => (
                        "RPC parameters and responses carry text, and acsgen has no Rust type for this format",
                        "remove the format if the value is text (it stays a `String`), or use one acsgen knows: date-time, date, email, uri, uuid, password, hostname, ipv4, ipv6",
                    ),
                };
                sink.error(
                    &format.at,
                    format!("format `{f}` of type `{ty_name}` is not supported: {why}"),
                )
                .help(help);
            }
        }
        (Some(other), _) => {
            if let Some(ty) = ty {
                let why = match other {
                    "file" => ": `type: file` is Swagger 2.0's file upload, and RPC operations send no files",
                    "null" => ": a value that is always null carries nothing",
                    _ => "",
                };
                sink.error(&ty.at, format!("type `{other}` is not supported{why}"))
                    .help("use string, integer, number, boolean, array or object");
            }
        }
    }
    if let (Some(f), Some("array" | "object") | None) = (format, ty.map(|t| t.value.as_str())) {
        let message = match ty {
            Some(t) => format!("format `{}` does not apply to type `{}`", f.value, t.value),
            None => format!("format `{}` is given without a `type`", f.value),
        };
        sink.error(&f.at, message).help(
            "add the `type` the format belongs to (e.g. `type: string`), or remove the format",
        );
    }
    check_enum_values(schema, sink);
}

/// Each value of an enum is listed once.
fn check_enum_values(schema: &Schema, sink: &mut Sink) {
    let mut values: BTreeMap<String, &Location> = BTreeMap::new();
    for value in &schema.enum_values {
        let text = value.value.to_string();
        if let Some(first) = values.get(&text) {
            sink.error(
                &value.at,
                format!(
                    "enum value {text} is listed twice (first at line {})",
                    first.line
                ),
            )
            .help("remove the second one; each value of an enum becomes one Rust variant");
        } else {
            values.insert(text, &value.at);
        }
    }
}

/// A property that holds a component schema by value (not inside an array or map): the
/// property's dotted name inside its schema and the `$ref` that names the held schema.
struct ValueRef<'d> {
    property: String,
    target: &'d Spanned<String>,
}

/// The component schemas `schema` holds by value, through its properties and the properties
/// of its inline objects. Arrays and maps are skipped: a `Vec` or map gives a fixed size.
fn value_refs<'d>(schema: &'d Schema, prefix: &str, out: &mut Vec<ValueRef<'d>>) {
    for (name, property) in &schema.properties {
        let property_name = if prefix.is_empty() {
            name.value.clone()
        } else {
            format!("{prefix}.{}", name.value)
        };
        match property {
            SchemaOrRef::Ref(target) => out.push(ValueRef {
                property: property_name,
                target,
            }),
            SchemaOrRef::Inline(inline) => value_refs(inline, &property_name, out),
        }
    }
}

/// Reports every group of component schemas that hold each other by value (a loop no Rust
/// type can hold: it would be infinitely large), once per group, at the `$ref` that closes
/// the loop. Loops through an array or map are fine.
fn check_cycles(doc: &Document, sink: &mut Sink) {
    let index_of = |reference: &str| {
        let name = reference.strip_prefix("#/components/schemas/")?;
        doc.schemas.iter().position(|(n, _)| n.value == name)
    };
    let edges: Vec<Vec<(usize, ValueRef)>> = doc
        .schemas
        .iter()
        .map(|(_, schema)| {
            let mut refs = Vec::new();
            value_refs(schema, "", &mut refs);
            refs.into_iter()
                .filter_map(|r| index_of(&r.target.value).map(|to| (to, r)))
                .collect()
        })
        .collect();
    let reachable_from = |start: usize| {
        let mut seen = vec![false; edges.len()];
        let mut stack = vec![start];
        while let Some(at) = stack.pop() {
            for (to, _) in &edges[at] {
                if !seen[*to] {
                    seen[*to] = true;
                    stack.push(*to);
                }
            }
        }
        seen
    };
    let reach: Vec<Vec<bool>> = (0..edges.len()).map(reachable_from).collect();
    let mut reported = vec![false; edges.len()];
    for start in 0..edges.len() {
        if reported[start] || !reach[start][start] {
            continue;
        }
        // The group: every schema on a loop through `start`.
        for other in 0..edges.len() {
            if reach[start][other] && reach[other][start] {
                reported[other] = true;
            }
        }
        let Some(loop_edges) = shortest_loop(&edges, start) else {
            continue;
        };
        let name = |i: usize| doc.schemas[i].0.value.as_str();
        let mut trail = Vec::new();
        let mut from = start;
        for (to, edge) in &loop_edges {
            trail.push(format!("{}.{}", name(from), edge.property));
            from = *to;
        }
        trail.push(name(start).to_owned());
        let (_, closing) = loop_edges.last().expect("a loop has an edge");
        let last_owner = if loop_edges.len() > 1 {
            loop_edges[loop_edges.len() - 2].0
        } else {
            start
        };
        sink.error(
            &closing.target.at,
            format!(
                "schema `{}` contains itself ({}): no Rust type can hold that, it would be infinitely large",
                name(start),
                trail.join(" → ")
            ),
        )
        .help(format!(
            "break the loop with a list: make `{}.{}` an array (`type: array`, `items: {{$ref: '{}'}}`), or remove the property",
            name(last_owner),
            closing.property,
            closing.target.value
        ));
    }
}

/// The shortest chain of by-value references from schema `start` back to itself.
fn shortest_loop<'e, 'd>(
    edges: &'e [Vec<(usize, ValueRef<'d>)>],
    start: usize,
) -> Option<Vec<&'e (usize, ValueRef<'d>)>> {
    // Breadth-first from `start`; `came_by[n]` is the edge that first reached `n`.
    let mut came_by: Vec<Option<(usize, usize)>> = vec![None; edges.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for (k, (to, _)) in edges[at].iter().enumerate() {
            if *to == start {
                let mut chain = vec![&edges[at][k]];
                let mut node = at;
                while node != start {
                    let (from, edge) = came_by[node]?;
                    chain.push(&edges[from][edge]);
                    node = from;
                }
                chain.reverse();
                return Some(chain);
            }
            if came_by[*to].is_none() {
                came_by[*to] = Some((at, k));
                queue.push_back(*to);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_name_allows_a_typo_per_three_characters() {
        assert_eq!(edit_distance("ThingTyp", "ThingType"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest("ThingTyp", &["Lang", "ThingType"]),
            Some("ThingType")
        );
        assert_eq!(closest("pagesize", &["PageSize"]), Some("PageSize"));
        assert_eq!(closest("Error", &["Lang", "Channels"]), None);
    }

    #[test]
    fn a_third_duplicate_points_at_the_first() {
        let at = |line| Location {
            line,
            column: 1,
            path: "$".to_owned(),
        };
        let (one, two, three) = (at(1), at(2), at(3));
        let mut seen = BTreeMap::new();
        assert_eq!(first_or_insert(&mut seen, "A", &one), None);
        assert_eq!(
            first_or_insert(&mut seen, "A", &two).map(|l| l.line),
            Some(1)
        );
        assert_eq!(
            first_or_insert(&mut seen, "A", &three).map(|l| l.line),
            Some(1)
        );
    }
}
