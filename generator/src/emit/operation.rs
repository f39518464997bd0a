//! One operation's module: its request and builder, response, error enum and inline types.

use super::code::{string, Code, Expr};
use super::docs::{code, Doc};
use super::types::{
    builder_type, field_declaration, field_doc, stored_type, struct_item, type_def, Here,
    RequiredMember,
};
use crate::ir::{
    Crate, Field, Method, Operation, ParamLocation, ParamStyle, PathPart, Protocol, TypeRef,
};

/// `` `WireName`: summary `` for the first line of an operation's docs; `fallback` when the
/// spec gives no summary.
pub fn summary_line(op: &Operation, fallback: &str) -> String {
    let summary = op
        .docs
        .summary
        .as_deref()
        .map_or_else(|| fallback.to_owned(), |s| super::docs::escape(s.trim()));
    format!("{}: {summary}", code(&op.wire_name))
}

/// The module docs of an operation: summary, description, authorization, rate limit, change
/// history, source page, and what the source leaves out.
pub fn operation_doc(krate: &Crate, op: &Operation) -> Doc {
    let mut doc = Doc::new();
    doc.line(summary_line(op, "an operation"));
    if let Some(description) = &op.docs.description {
        if Some(description.trim()) != op.docs.summary.as_deref().map(str::trim) {
            doc.paragraph().text(description);
        }
    }
    if op.docs.deprecated {
        doc.paragraph().line("**Deprecated** by the service.");
    }
    let sent_as = match op.binding.protocol {
        Protocol::Rpc => format!("Sent as Action {}", code(&op.wire_name)),
        Protocol::Rest => format!(
            "Sent as {} (operation {})",
            code(&format!(
                "{} {}",
                op.binding.method.key().to_uppercase(),
                op.binding.path_template()
            )),
            code(&op.wire_name)
        ),
        Protocol::Roa => {
            let path = op.binding.path_template();
            format!(
                "Sent as {} (action {})",
                code(&format!(
                    "{} {path}",
                    op.binding.method.key().to_uppercase()
                )),
                code(&op.wire_name)
            )
        }
    };
    doc.paragraph().line(format!(
        "{sent_as} of {} API version {}; call it with [`crate::Client::{}`].",
        code(&krate.product),
        code(&krate.api_version),
        super::bare(&op.method_name)
    ));
    if let Some(ram) = &op.docs.ram {
        doc.paragraph().line("# Authorization").paragraph();
        if let Some(action) = &ram.action {
            doc.line(format!("- RAM action: {}", code(action)));
        }
        if let Some(level) = &ram.access_level {
            doc.line(format!("- Access level: {}", code(level)));
        }
        if let Some(resource) = &ram.resource_type {
            doc.line(format!("- Resource type: {}", code(resource)));
        }
        if let Some(arn) = &ram.resource_arn {
            doc.line(format!("- Resource ARN: {}", code(arn)));
        }
        if !ram.condition_keys.is_empty() {
            let keys: Vec<String> = ram.condition_keys.iter().map(|k| code(k)).collect();
            doc.line(format!("- Condition keys: {}", keys.join(", ")));
        }
        if !ram.associated_operations.is_empty() {
            let ops: Vec<String> = ram.associated_operations.iter().map(|k| code(k)).collect();
            doc.line(format!("- Associated operations: {}", ops.join(", ")));
        }
    }
    if let Some((requests, seconds)) = op.docs.rate_limit {
        let window = if seconds == 1 {
            "second".to_owned()
        } else {
            format!("{seconds} seconds")
        };
        doc.paragraph()
            .line("# Rate limit")
            .paragraph()
            .line(format!("{requests} requests per {window}."));
    }
    if !op.errors.is_empty() {
        doc.paragraph()
            .line("# Errors")
            .paragraph()
            .line(format!(
                "Documented error codes, each a variant of [`{}`]:",
                op.error_name
            ))
            .paragraph();
        for case in &op.errors {
            let message = super::docs::colon_suffix(case.message.as_deref());
            doc.line(format!(
                "- HTTP {} {}{message}",
                case.http_status,
                code(&case.code)
            ));
        }
    }
    if !op.outcomes.is_empty() {
        doc.paragraph()
            .line("# Responses")
            .paragraph()
            .line(format!(
                "Successes are [`{}`]; the other documented statuses are variants of [`{}`]:",
                op.response_name, op.error_name
            ))
            .paragraph();
        for outcome in &op.outcomes {
            let described = super::docs::colon_suffix(outcome.description.as_deref());
            doc.line(format!(
                "- {} `{}`{described}",
                code(&outcome.status.spec_key()),
                outcome.variant_name
            ));
        }
    }
    if !op.docs.change_history.is_empty() {
        doc.paragraph().line("# Change history").paragraph();
        for (date, changes) in &op.docs.change_history {
            let changes: Vec<String> = changes.iter().map(|c| super::docs::escape(c)).collect();
            doc.line(format!("- {date}: {}", changes.join("; ")));
        }
    }
    if !op.docs.source.is_empty() || !op.docs.gaps.is_empty() {
        doc.paragraph().line("# Source").paragraph();
        if !op.docs.source.is_empty() {
            let source: Vec<String> = op
                .docs
                .source
                .iter()
                .map(|s| super::docs::escape(s))
                .collect();
            doc.line(format!(
                "Transcribed from the reference {}.",
                source.join(", ")
            ));
        }
        if !op.docs.gaps.is_empty() {
            doc.paragraph()
                .line("Where the reference page is incomplete:")
                .paragraph();
            for gap in &op.docs.gaps {
                doc.line(format!("- {}", super::docs::escape(gap)));
            }
        }
    }
    doc
}

/// The whole module of an operation (without the file header).
pub fn operation_module(krate: &Crate, op: &Operation, c: &mut Code) {
    let here = Here {
        operation_module: Some(&op.module_name),
    };
    c.inner_doc(&operation_doc(krate, op));
    c.blank();
    let action = &op.wire_name;
    if op.binding.protocol == Protocol::Rest {
        c.doc_text(&format!("The operation's ID (`operationId`): `{action}`."));
        c.line(&format!(
            "pub const OPERATION_ID: &str = {};",
            string(action)
        ));
    } else {
        c.doc_text(&format!(
            "The operation's name on the wire (`Action`): `{action}`."
        ));
        c.line(&format!("pub const ACTION: &str = {};", string(action)));
    }
    if let Some(ram) = &op.docs.ram {
        if let Some(ram_action) = &ram.action {
            c.blank();
            c.doc_text(&format!(
                "The RAM action that authorizes this operation: `{ram_action}`."
            ));
            c.line(&format!(
                "pub const RAM_ACTION: &str = {};",
                string(ram_action)
            ));
        }
        if let Some(level) = &ram.access_level {
            c.blank();
            c.doc_text(&format!(
                "The RAM access level of this operation: `{level}`."
            ));
            c.line(&format!(
                "pub const ACCESS_LEVEL: &str = {};",
                string(level)
            ));
        }
    }
    c.blank();
    request(op, here, c);
    match op.binding.protocol {
        Protocol::Rest => {
            super::rest::response(op, here, c);
            super::rest::error_enum_and_decode(op, here, c);
        }
        _ => {
            c.blank();
            response(op, here, c);
            c.blank();
            error_enum(op, c);
        }
    }
    for def in &op.types {
        c.blank();
        type_def(def, here, c);
    }
}

fn request(op: &Operation, here: Here<'_>, c: &mut Code) {
    let name = &op.request_name;
    let builder = &op.builder_name;
    c.doc_text(&format!(
        "The parameters of `{}`. Build one with [`{}::builder`].",
        op.wire_name, op.request_name
    ));
    c.line("#[derive(Debug, Clone, PartialEq)]");
    c.line("#[non_exhaustive]");
    if op.params.is_empty() {
        c.line(&format!("pub struct {name} {{}}"));
    } else {
        c.open(&format!("pub struct {name} {{"));
        for field in &op.params {
            let ty = stored_type(field, true, here);
            if op.binding.idempotency_token.as_ref() == Some(&field.wire_name) {
                let mut doc = Doc::new();
                field_doc(field, &mut doc);
                doc.paragraph().line(
                    "Left unset, the client sets a fresh token once per call, so that retrying the call after a timeout cannot act twice.",
                );
                c.doc(&doc);
                c.line(&format!("pub {}: {ty},", field.rust_name));
            } else {
                field_declaration(field, &ty, c);
            }
        }
        c.close("}");
    }
    c.blank();
    c.open(&format!("impl {name} {{"));
    c.doc_text("Starts building a request.");
    c.open(&format!("pub fn builder() -> {builder} {{"));
    c.line(&format!("{builder}::default()"));
    c.close("}");
    c.blank();
    c.doc_text("The request as it goes on the wire: method, action, and every parameter in its");
    c.doc_text("place, lists and objects flattened.");
    c.open("pub fn to_request(&self) -> acs_runtime::OperationRequest {");
    to_request_body(op, c);
    c.close("}");
    c.blank();
    c.doc_text("The operation parameters as they are sent, lists and objects flattened.");
    c.open("pub fn to_params(&self) -> acs_runtime::Params {");
    c.line("self.to_request().params()");
    c.close("}");
    c.close("}");
    c.blank();
    let required: Vec<String> = op
        .params
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    let listed;
    let build_doc: Vec<&str> = if required.is_empty() {
        vec![
            "Builds the request. Every parameter is optional, so this does not fail today; it",
            "returns a `Result` so that a parameter becoming required later is not a breaking",
            "change.",
        ]
    } else {
        listed = format!("{}.", required.join(", "));
        vec![
            "Builds the request, checking that the required parameters are set:",
            &listed,
        ]
    };
    builder_type(
        &op.request_name,
        &op.builder_name,
        &op.params,
        &build_doc,
        RequiredMember::Bare,
        here,
        c,
    );
}

/// The body of `to_request`: the operation's binding, then one statement per parameter putting
/// it in its place (query, headers or form body) in its wire style.
fn to_request_body(op: &Operation, c: &mut Code) {
    let method = format!("acs_runtime::Method::{}", op.binding.method.variant());
    let (constructor, mut args) = match op.binding.protocol {
        Protocol::Rpc => ("rpc", vec![method, "ACTION".to_owned()]),
        Protocol::Roa => ("roa", vec![method, "ACTION".to_owned()]),
        Protocol::Rest => ("rest", vec![method, "OPERATION_ID".to_owned()]),
    };
    if op.binding.protocol != Protocol::Rpc {
        args.push(path_expression(op, c));
    }
    let constructor = format!("acs_runtime::OperationRequest::{constructor}");
    // Path parameters are in the path already; the others go into the request's parts.
    let placed: Vec<(&Field, &str)> = op
        .params
        .iter()
        .filter_map(|f| Some((f, request_part(f.location)?)))
        .collect();
    let method_default_read_only = matches!(op.binding.method, Method::Get | Method::Head);
    let idempotent = op.binding.read_only && !method_default_read_only;
    let token = op.binding.idempotency_token.as_ref().and_then(|token| {
        let location = op
            .params
            .iter()
            .find(|f| &f.wire_name == token)
            .and_then(|f| token_location(f.location))?;
        Some((token, location))
    });
    if placed.is_empty() && !idempotent && token.is_none() && op.binding.accept.is_none() {
        c.call(&constructor, &args, "");
        return;
    }
    c.call(&format!("let mut request = {constructor}"), &args, ";");
    let has = |location| placed.iter().any(|(f, _)| f.location == location);
    let mut end = Vec::new();
    if has(ParamLocation::Form) {
        c.line("let mut form = acs_runtime::Params::new();");
        end.push("request.body = acs_runtime::Body::Form(form);");
    }
    if has(ParamLocation::Multipart) {
        let is_file = |f: &Field| f.ty == TypeRef::Bytes;
        let multipart = || {
            placed
                .iter()
                .filter(|(f, _)| f.location == ParamLocation::Multipart)
        };
        let form_mut = if multipart().any(|(f, _)| !is_file(f)) {
            "mut "
        } else {
            ""
        };
        let files_mut = if multipart().any(|(f, _)| is_file(f)) {
            "mut "
        } else {
            ""
        };
        c.line(&format!("let {form_mut}form = acs_runtime::Params::new();"));
        c.line(&format!(
            "let {files_mut}files: Vec<(&str, Vec<u8>)> = Vec::new();"
        ));
        end.push("request.body = acs_runtime::Body::multipart(&form, &files);");
    }
    if has(ParamLocation::Body) {
        c.line("let mut body = acs_runtime::JsonObject::new();");
        end.push("request.body = acs_runtime::Body::Json(body);");
    }
    for (field, target) in &placed {
        put_parameter(op, field, target, c);
    }
    for line in end {
        c.line(line);
    }
    if idempotent {
        c.line("request.idempotent = true;");
    }
    if let Some((token, location)) = token {
        c.open("request.idempotency_token = Some(acs_runtime::IdempotencyToken {");
        c.line(&format!("name: {},", string(token)));
        c.line(&format!(
            "location: acs_runtime::TokenLocation::{location},"
        ));
        c.close("});");
    }
    if let Some(accept) = &op.binding.accept {
        c.method_call(
            "request.headers",
            "insert",
            &[string("accept"), string(accept)],
            ";",
        );
    }
    c.line("request");
}

/// The statement putting one parameter into `target`, in its location's wire style.
fn put_parameter(op: &Operation, field: &Field, target: &str, c: &mut Code) {
    let wire = string(&field.wire_name);
    let value = format!("self.{}", field.rust_name);
    // A call on the value itself when required, else on what `if let Some(..)` binds.
    let mut put = |method: &str, binding: &str, extra: &[&str], required: bool| {
        let mut args = vec![wire.clone()];
        if required {
            args.push(format!("&{value}"));
        } else {
            args.push(binding.to_owned());
        }
        args.extend(extra.iter().map(|e| (*e).to_owned()));
        if required {
            c.method_call(target, method, &args, ";");
        } else {
            c.open(&format!("if let Some({binding}) = &{value} {{"));
            c.method_call(target, method, &args, ";");
            c.close("}");
        }
    };
    match (field.location, field.style, field.required) {
        // JSON members are written as JSON whatever their type.
        (ParamLocation::Body, _, _) => put("put", "", &[], true),
        // A file of a multipart body: its bytes, as they are.
        (ParamLocation::Multipart, _, true) if field.ty == TypeRef::Bytes => {
            c.call("files.push", &[format!("({wire}, {value}.clone())")], ";");
        }
        (ParamLocation::Multipart, _, false) if field.ty == TypeRef::Bytes => {
            c.open(&format!("if let Some(value) = &{value} {{"));
            c.call("files.push", &[format!("({wire}, value.clone())")], ";");
            c.close("}");
        }
        // A raw body is sent as it is, with the media type the spec documents.
        (ParamLocation::Payload, _, required) if field.ty == TypeRef::Bytes => {
            let media = string(
                op.binding
                    .raw_body_media
                    .as_deref()
                    .unwrap_or(crate::binding::RAW_CONTENT_TYPE),
            );
            if required {
                c.call(
                    "request.put_raw_body",
                    &[media, format!("{value}.clone()")],
                    ";",
                );
            } else {
                c.open(&format!("if let Some(value) = &{value} {{"));
                c.call(
                    "request.put_raw_body",
                    &[media, "value.clone()".to_owned()],
                    ";",
                );
                c.close("}");
            }
        }
        (ParamLocation::Payload, _, required) => put("put_json_body", "value", &[], required),
        (_, ParamStyle::Exploded, required) => put("put_exploded", "values", &[], required),
        (_, ParamStyle::DeepObject, _) => put("put_deep_object", "", &[], true),
        (_, style @ (ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited), required) => {
            let separator = super::code::char_literal(style.separator().unwrap_or(','));
            put("put_simple", "values", &[&separator], required)
        }
        (_, ParamStyle::Json, required) => put("put_json", "value", &[], required),
        (_, ParamStyle::Simple, required) => put("put_simple", "values", &["','"], required),
        _ => put("put", "", &[], true),
    }
}

/// The runtime's name for where an idempotency token of `location` goes.
fn token_location(location: ParamLocation) -> Option<&'static str> {
    match location {
        ParamLocation::Query => Some("Query"),
        ParamLocation::Header => Some("Header"),
        ParamLocation::Form => Some("Form"),
        ParamLocation::Body => Some("Json"),
        ParamLocation::Path | ParamLocation::Payload | ParamLocation::Multipart => None,
    }
}

/// The part of the request `to_request` puts a parameter of `location` into; `None` for path
/// parameters, which are in the path.
fn request_part(location: ParamLocation) -> Option<&'static str> {
    match location {
        ParamLocation::Query => Some("request.query"),
        ParamLocation::Header => Some("request.headers"),
        ParamLocation::Form | ParamLocation::Multipart => Some("form"),
        ParamLocation::Body => Some("body"),
        ParamLocation::Payload => Some("request"),
        ParamLocation::Path => None,
    }
}

/// The request path of an ROA or REST operation: a string literal, or `path` joined from the
/// literal pieces and the path parameters, each percent-encoded as one segment (the statement
/// that builds it is written to `c`).
fn path_expression(op: &Operation, c: &mut Code) -> String {
    let mut pieces = Vec::new();
    let mut literal_only = String::new();
    let mut has_params = false;
    for part in &op.binding.path {
        match part {
            PathPart::Literal(text) => {
                literal_only.push_str(text);
                pieces.push(string(text));
            }
            PathPart::Param(wire) => {
                has_params = true;
                let field = op
                    .params
                    .iter()
                    .find(|f| f.location == ParamLocation::Path && &f.wire_name == wire);
                // Validation requires a parameter for every `{Name}` of the template.
                if let Some(field) = field {
                    pieces.push(format!(
                        "&acs_runtime::path_segment(&self.{})",
                        field.rust_name
                    ));
                }
            }
        }
    }
    if !has_params {
        return string(&literal_only);
    }
    c.array("let path = ", &pieces, ".concat();");
    "path".to_owned()
}

fn response(op: &Operation, here: Here<'_>, c: &mut Code) {
    let mut doc = Doc::new();
    doc.line(format!(
        "What `{}` returns. Fields the service adds later are ignored; every field is optional so that a missing one never fails decoding.",
        op.wire_name
    ));
    for (example_name, json) in &op.response_examples {
        doc.paragraph()
            .line(format!(
                "Sample response ({}):",
                super::docs::escape(example_name)
            ))
            .paragraph()
            .line("```json");
        for line in json.lines() {
            doc.line(line.to_owned());
        }
        doc.line("```");
    }
    struct_item(
        &doc,
        "Debug, Clone, PartialEq, Default",
        &op.response_name,
        &op.response_fields,
        here,
        c,
    );
    c.blank();
    super::types::json_impls(&op.response_name, &op.response_fields, c);
}

fn error_enum(op: &Operation, c: &mut Code) {
    let name = &op.error_name;
    let catch_all = &op.error_catch_all;
    c.doc_text(&format!(
        "The errors `{}` documents, one variant per error code, and [`{name}::{catch_all}`] for any other code.",
        op.wire_name
    ));
    c.line("#[derive(Debug, Clone)]");
    c.line("#[non_exhaustive]");
    c.open(&format!("pub enum {name} {{"));
    for case in &op.errors {
        let mut doc = Doc::new();
        let message = super::docs::colon_suffix(case.message.as_deref());
        doc.line(format!(
            "{} (HTTP {}){message}",
            code(&case.code),
            case.http_status
        ));
        if let Some(description) = &case.description {
            doc.paragraph().text(description);
        }
        c.doc(&doc);
        c.line(&format!("{}(acs_runtime::ErrorMeta),", case.variant_name));
    }
    c.doc_text("An error code this operation does not document; [`ErrorMeta::code`](acs_runtime::ErrorMeta::code) tells which.");
    c.line(&format!("{catch_all}(acs_runtime::ErrorMeta),"));
    c.close("}");
    c.blank();
    c.open(&format!("impl {name} {{"));
    c.doc_text("Every documented error code with the HTTP status the service answers it with.");
    let codes: Vec<Expr> = op
        .errors
        .iter()
        .map(|case| {
            let code = Expr::Atom(string(&case.code));
            let status = Expr::Atom(format!("{}u16", case.http_status));
            Expr::Call(String::new(), vec![code, status])
        })
        .collect();
    c.array_of(
        "pub const CODES: &'static [(&'static str, u16)] = &",
        &codes,
        ";",
    );
    c.doc_text("The error as the service sent it: HTTP status, code, message, request ID.");
    c.open("pub fn meta(&self) -> &acs_runtime::ErrorMeta {");
    c.open("match self {");
    let patterns: Vec<String> = op
        .errors
        .iter()
        .map(|case| format!("Self::{}(meta)", case.variant_name))
        .chain([format!("Self::{catch_all}(meta)")])
        .collect();
    let one_line = format!("{} => meta,", patterns.join(" | "));
    if c.fits(&one_line) {
        c.line(&one_line);
    } else {
        for (i, pattern) in patterns.iter().enumerate() {
            if i == 0 {
                c.line(pattern);
            } else if i + 1 == patterns.len() {
                c.line(&format!("| {pattern} => meta,"));
            } else {
                c.line(&format!("| {pattern}"));
            }
        }
    }
    c.close("}");
    c.close("}");
    c.close("}");
    c.blank();
    c.open_impl("impl From<acs_runtime::ErrorMeta>", name);
    c.open("fn from(meta: acs_runtime::ErrorMeta) -> Self {");
    if op.errors.is_empty() {
        c.line(&format!("Self::{catch_all}(meta)"));
    } else {
        c.open("match meta.code() {");
        for case in &op.errors {
            c.arm(
                &string(&case.code),
                &format!("Self::{}(meta)", case.variant_name),
            );
        }
        c.line(&format!("_ => Self::{catch_all}(meta),"));
        c.close("}");
    }
    c.close("}");
    c.close("}");
    c.line(&format!("acs_runtime::operation_error!({name});"));
}
