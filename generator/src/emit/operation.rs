//! One operation's module: its request and builder, response, error enum and inline types.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, Doc};
use super::ident;
use super::types::{builder_type, field_doc, stored_type, type_def, Here};
use crate::ir::{
    Crate, Field, Method, Operation, ParamLocation, ParamStyle, PathPart, Protocol, TypeRef,
};

/// The module docs of an operation: summary, description, authorization, rate limit, change
/// history, source page, and what the source leaves out.
pub fn operation_doc(krate: &Crate, op: &Operation) -> Doc {
    let mut doc = Doc::new();
    doc.line(format!(
        "{}: {}",
        code(&op.wire_name),
        op.docs.summary.as_deref().map_or_else(
            || "an operation".to_owned(),
            |s| super::docs::escape(s.trim())
        )
    ));
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
pub fn operation_module(krate: &Crate, op: &Operation) -> TokenStream {
    let here = Here {
        operation_module: Some(&op.module_name),
    };
    let module_doc = operation_doc(krate, op).inner();
    let action = &op.wire_name;
    let mut consts = if op.binding.protocol == Protocol::Rest {
        let doc = format!(" The operation's ID (`operationId`): `{action}`.");
        quote! {
            #[doc = #doc]
            pub const OPERATION_ID: &str = #action;
        }
    } else {
        let doc = format!(" The operation's name on the wire (`Action`): `{action}`.");
        quote! {
            #[doc = #doc]
            pub const ACTION: &str = #action;
        }
    };
    if let Some(ram) = &op.docs.ram {
        if let Some(ram_action) = &ram.action {
            let doc = format!(" The RAM action that authorizes this operation: `{ram_action}`.");
            consts.extend(quote! {
                #[doc = #doc]
                pub const RAM_ACTION: &str = #ram_action;
            });
        }
        if let Some(level) = &ram.access_level {
            let doc = format!(" The RAM access level of this operation: `{level}`.");
            consts.extend(quote! {
                #[doc = #doc]
                pub const ACCESS_LEVEL: &str = #level;
            });
        }
    }
    let request = request(op, here);
    let (response, error) = match op.binding.protocol {
        Protocol::Rest => (
            super::rest::response(op, here),
            super::rest::error_enum_and_decode(op, here),
        ),
        _ => (response(op, here), error_enum(op)),
    };
    let types = op.types.iter().map(|def| type_def(def, here));
    quote! {
        #module_doc
        #consts
        #request
        #response
        #error
        #(#types)*
    }
}

fn request(op: &Operation, here: Here<'_>) -> TokenStream {
    let name = ident(&op.request_name);
    let builder = ident(&op.builder_name);
    let request_doc = format!(
        " The parameters of `{}`. Build one with [`{}::builder`].",
        op.wire_name, op.request_name
    );
    let fields = op.params.iter().map(|field| {
        let mut doc = Doc::new();
        field_doc(field, &mut doc);
        if op.binding.idempotency_token.as_ref() == Some(&field.wire_name) {
            doc.paragraph().line(
                "Left unset, the client sets a fresh token once per call, so that retrying the call after a timeout cannot act twice.",
            );
        }
        let doc = doc.outer();
        let rust = ident(&field.rust_name);
        let ty = stored_type(field, true, here);
        quote!(#doc pub #rust: #ty,)
    });
    let to_request_body = to_request_body(op);
    let required: Vec<String> = op
        .params
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    let build_doc: Vec<String> = if required.is_empty() {
        vec![
            " Builds the request. Every parameter is optional, so this does not fail today; it"
                .to_owned(),
            " returns a `Result` so that a parameter becoming required later is not a breaking"
                .to_owned(),
            " change.".to_owned(),
        ]
    } else {
        vec![
            " Builds the request, checking that the required parameters are set:".to_owned(),
            format!(" {}.", required.join(", ")),
        ]
    };
    let required = |field: &Field| {
        let rust = ident(&field.rust_name);
        let wire = &field.wire_name;
        quote!(self.#rust.ok_or_else(|| acs_runtime::BuildError::missing_field(#wire))?)
    };
    let builder_tokens = builder_type(
        &op.request_name,
        &op.builder_name,
        &op.params,
        &build_doc,
        &required,
        here,
    );
    quote! {
        #[doc = #request_doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// Starts building a request.
            pub fn builder() -> #builder {
                #builder::default()
            }

            /// The request as it goes on the wire: method, action, and every parameter in its
            /// place, lists and objects flattened.
            pub fn to_request(&self) -> acs_runtime::OperationRequest {
                #to_request_body
            }

            /// The operation parameters as they are sent, lists and objects flattened.
            pub fn to_params(&self) -> acs_runtime::Params {
                self.to_request().params()
            }
        }

        #builder_tokens
    }
}

/// The body of `to_request`: the operation's binding, then one statement per parameter putting
/// it in its place (query, headers or form body) in its wire style.
fn to_request_body(op: &Operation) -> TokenStream {
    let method = ident(op.binding.method.variant());
    let (path_statement, new_request) = match op.binding.protocol {
        Protocol::Rpc => (
            quote!(),
            quote!(acs_runtime::OperationRequest::rpc(acs_runtime::Method::#method, ACTION)),
        ),
        Protocol::Roa => {
            let (path, statement) = path_expression(op);
            (
                statement,
                quote!(acs_runtime::OperationRequest::roa(acs_runtime::Method::#method, ACTION, #path)),
            )
        }
        Protocol::Rest => {
            let (path, statement) = path_expression(op);
            (
                statement,
                quote!(acs_runtime::OperationRequest::rest(acs_runtime::Method::#method, OPERATION_ID, #path)),
            )
        }
    };
    // Path parameters are in the path already; the others go into the request's parts.
    let placed: Vec<(&Field, TokenStream)> = op
        .params
        .iter()
        .filter_map(|f| Some((f, request_part(f.location)?)))
        .collect();
    let mut flags = TokenStream::new();
    let method_default_read_only = matches!(op.binding.method, Method::Get | Method::Head);
    if op.binding.read_only && !method_default_read_only {
        flags.extend(quote!(request.idempotent = true;));
    }
    if let Some(token) = &op.binding.idempotency_token {
        let location = op
            .params
            .iter()
            .find(|f| &f.wire_name == token)
            .and_then(|f| token_location(f.location));
        if let Some(location) = location {
            let location = ident(location);
            flags.extend(quote! {
                request.idempotency_token = Some(acs_runtime::IdempotencyToken {
                    name: #token,
                    location: acs_runtime::TokenLocation::#location,
                });
            });
        }
    }
    if let Some(accept) = &op.binding.accept {
        flags.extend(quote!(request.headers.insert("accept", #accept);));
    }
    if placed.is_empty() && flags.is_empty() {
        return quote! {
            #path_statement
            #new_request
        };
    }
    let has = |location| placed.iter().any(|(f, _)| f.location == location);
    let puts = placed.iter().map(|(field, target)| {
        let rust = ident(&field.rust_name);
        let wire = &field.wire_name;
        let value = quote!(self.#rust);
        match (field.location, field.style, field.required) {
            // JSON members are written as JSON whatever their type.
            (ParamLocation::Body, _, _) => quote!(#target.put(#wire, &#value);),
            // A file of a multipart body: its bytes, as they are.
            (ParamLocation::Multipart, _, true) if field.ty == TypeRef::Bytes => {
                quote!(files.push((#wire, #value.clone()));)
            }
            (ParamLocation::Multipart, _, false) if field.ty == TypeRef::Bytes => {
                quote! {
                    if let Some(value) = &#value {
                        files.push((#wire, value.clone()));
                    }
                }
            }
            // A raw body is sent as it is, with the media type the spec documents.
            (ParamLocation::Payload, _, required) if field.ty == TypeRef::Bytes => {
                let media = op
                    .binding
                    .raw_body_media
                    .as_deref()
                    .unwrap_or(crate::binding::RAW_CONTENT_TYPE);
                if required {
                    quote!(request.put_raw_body(#media, #value.clone());)
                } else {
                    quote! {
                        if let Some(value) = &#value {
                            request.put_raw_body(#media, value.clone());
                        }
                    }
                }
            }
            (ParamLocation::Payload, _, true) => quote!(request.put_json_body(#wire, &#value);),
            (ParamLocation::Payload, _, false) => quote! {
                if let Some(value) = &#value {
                    request.put_json_body(#wire, value);
                }
            },
            (_, ParamStyle::Exploded, true) => quote!(#target.put_exploded(#wire, &#value);),
            (_, ParamStyle::Exploded, false) => quote! {
                if let Some(values) = &#value {
                    #target.put_exploded(#wire, values);
                }
            },
            (_, ParamStyle::DeepObject, _) => quote!(#target.put_deep_object(#wire, &#value);),
            (_, style @ (ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited), required) => {
                let separator = style.separator().unwrap_or(',');
                if required {
                    quote!(#target.put_simple(#wire, &#value, #separator);)
                } else {
                    quote! {
                        if let Some(values) = &#value {
                            #target.put_simple(#wire, values, #separator);
                        }
                    }
                }
            }
            (_, ParamStyle::Json, true) => quote!(#target.put_json(#wire, &#value);),
            (_, ParamStyle::Json, false) => quote! {
                if let Some(value) = &#value {
                    #target.put_json(#wire, value);
                }
            },
            (_, ParamStyle::Simple, true) => quote!(#target.put_simple(#wire, &#value, ',');),
            (_, ParamStyle::Simple, false) => quote! {
                if let Some(values) = &#value {
                    #target.put_simple(#wire, values, ',');
                }
            },
            _ => quote!(#target.put(#wire, &#value);),
        }
    });
    let mut start = TokenStream::new();
    let mut end = TokenStream::new();
    if has(ParamLocation::Form) {
        start.extend(quote!(let mut form = acs_runtime::Params::new();));
        end.extend(quote!(request.body = acs_runtime::Body::Form(form);));
    }
    if has(ParamLocation::Multipart) {
        let is_file = |f: &Field| f.ty == TypeRef::Bytes;
        let multipart = || {
            placed
                .iter()
                .filter(|(f, _)| f.location == ParamLocation::Multipart)
        };
        let form_mut = multipart().any(|(f, _)| !is_file(f)).then(|| quote!(mut));
        let files_mut = multipart().any(|(f, _)| is_file(f)).then(|| quote!(mut));
        start.extend(quote! {
            let #form_mut form = acs_runtime::Params::new();
            let #files_mut files: Vec<(&str, Vec<u8>)> = Vec::new();
        });
        end.extend(quote!(request.body = acs_runtime::Body::multipart(&form, &files);));
    }
    if has(ParamLocation::Body) {
        start.extend(quote!(let mut body = acs_runtime::JsonObject::new();));
        end.extend(quote!(request.body = acs_runtime::Body::Json(body);));
    }
    quote! {
        #path_statement
        let mut request = #new_request;
        #start
        #(#puts)*
        #end
        #flags
        request
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
fn request_part(location: ParamLocation) -> Option<TokenStream> {
    match location {
        ParamLocation::Query => Some(quote!(request.query)),
        ParamLocation::Header => Some(quote!(request.headers)),
        ParamLocation::Form | ParamLocation::Multipart => Some(quote!(form)),
        ParamLocation::Body => Some(quote!(body)),
        ParamLocation::Payload => Some(quote!(request)),
        ParamLocation::Path => None,
    }
}

/// The request path of an ROA operation: a string literal, or `path` joined from the literal
/// pieces and the path parameters, each percent-encoded as one segment (with the statement
/// that builds it).
fn path_expression(op: &Operation) -> (TokenStream, TokenStream) {
    let mut pieces = Vec::new();
    let mut literal_only = String::new();
    let mut has_params = false;
    for part in &op.binding.path {
        match part {
            PathPart::Literal(text) => {
                literal_only.push_str(text);
                pieces.push(quote!(#text));
            }
            PathPart::Param(wire) => {
                has_params = true;
                let field = op
                    .params
                    .iter()
                    .find(|f| f.location == ParamLocation::Path && &f.wire_name == wire);
                // Validation requires a parameter for every `{Name}` of the template.
                if let Some(field) = field {
                    let rust = ident(&field.rust_name);
                    pieces.push(quote!(&acs_runtime::path_segment(&self.#rust)));
                }
            }
        }
    }
    if !has_params {
        return (quote!(#literal_only), quote!());
    }
    (quote!(path), quote!(let path = [#(#pieces),*].concat();))
}

fn response(op: &Operation, here: Here<'_>) -> TokenStream {
    let name = ident(&op.response_name);
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
    let doc = doc.outer();
    let fields = op.response_fields.iter().map(|field| {
        let mut field_docs = Doc::new();
        field_doc(field, &mut field_docs);
        let field_docs = field_docs.outer();
        let rust = ident(&field.rust_name);
        let ty = stored_type(field, false, here);
        quote! {
            #field_docs
            pub #rust: #ty,
        }
    });
    let json = super::types::json_impls(&op.response_name, &op.response_fields);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #json
    }
}

fn error_enum(op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let catch_all = ident(&op.error_catch_all);
    let doc = format!(
        " The errors `{}` documents, one variant per error code, and [`{}::{}`] for any other code.",
        op.wire_name, op.error_name, op.error_catch_all
    );
    let variants = op.errors.iter().map(|case| {
        let variant = ident(&case.variant_name);
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
        let doc = doc.outer();
        quote!(#doc #variant(acs_runtime::ErrorMeta),)
    });
    let all_variants: Vec<TokenStream> = op
        .errors
        .iter()
        .map(|case| {
            let variant = ident(&case.variant_name);
            quote!(Self::#variant(meta))
        })
        .chain(std::iter::once(quote!(Self::#catch_all(meta))))
        .collect();
    let from_body = if op.errors.is_empty() {
        quote!(Self::#catch_all(meta))
    } else {
        let arms = op.errors.iter().map(|case| {
            let variant = ident(&case.variant_name);
            let code = &case.code;
            quote!(#code => Self::#variant(meta),)
        });
        quote! {
            match meta.code() {
                #(#arms)*
                _ => Self::#catch_all(meta),
            }
        }
    };
    let codes = op.errors.iter().map(|case| {
        let code = &case.code;
        let status = case.http_status;
        quote!((#code, #status))
    });
    let catch_all_doc = " An error code this operation does not document; [`ErrorMeta::code`](acs_runtime::ErrorMeta::code) tells which.";
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #catch_all_doc]
            #catch_all(acs_runtime::ErrorMeta),
        }

        impl #name {
            /// Every documented error code with the HTTP status the service answers it with.
            pub const CODES: &'static [(&'static str, u16)] = &[#(#codes),*];

            /// The error as the service sent it: HTTP status, code, message, request ID.
            pub fn meta(&self) -> &acs_runtime::ErrorMeta {
                match self {
                    #(#all_variants)|* => meta,
                }
            }

        }

        impl From<acs_runtime::ErrorMeta> for #name {
            fn from(meta: acs_runtime::ErrorMeta) -> Self {
                #from_body
            }
        }

        acs_runtime::operation_error!(#name);
    }
}
