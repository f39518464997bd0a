//! What a REST operation's module adds: the response type (one success type, or an enum of
//! them by status), the error enum with a variant per documented failure status, and
//! `decode`, which turns an answer into one or the other by its status.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, Doc};
use super::ident;
use super::types::{type_tokens, Here};
use crate::ir::{BodyEncoding, Operation, Outcome, StatusKey};

/// The successes of `op`, in status order.
fn successes(op: &Operation) -> Vec<&Outcome> {
    op.outcomes.iter().filter(|o| o.is_success()).collect()
}

/// The documented failures of `op`, in status order (`default` last).
fn failures(op: &Operation) -> Vec<&Outcome> {
    op.outcomes.iter().filter(|o| !o.is_success()).collect()
}

/// The rustdoc of one outcome: its status and description, and what of its body is not
/// decoded.
fn outcome_doc(outcome: &Outcome) -> Doc {
    let mut doc = Doc::new();
    outcome_lines(outcome, &mut doc);
    doc
}

/// The lines of [`outcome_doc`], added to `doc`.
fn outcome_lines(outcome: &Outcome, doc: &mut Doc) {
    let status = match outcome.status {
        StatusKey::Code(code) => format!("HTTP {code}"),
        StatusKey::Range(class) => format!("Any HTTP {class}xx status not listed on its own"),
        StatusKey::Default => "Any other status (`default`)".to_owned(),
    };
    doc.line(format!(
        "{status}{}",
        super::docs::colon_suffix(outcome.description.as_deref())
    ));
    match (outcome.encoding, &outcome.body) {
        (BodyEncoding::Bytes, Some(_)) => {
            doc.paragraph().line("The body's bytes, as they came.");
        }
        (BodyEncoding::Text, Some(_)) => {
            doc.paragraph().line("The body's text, as it came.");
        }
        _ => {}
    }
    if !outcome.undecoded.is_empty() {
        let media: Vec<String> = outcome.undecoded.iter().map(|m| code(m)).collect();
        doc.paragraph()
            .line(format!("Its {} body is not decoded.", media.join(", ")));
    }
}

/// Whether the only success body is the operation's own inline struct, already named as the
/// response type (it is emitted with the operation's types).
fn response_is_inline_struct(op: &Operation, success: &Outcome) -> bool {
    matches!(
        &success.body,
        Some(crate::ir::TypeRef::Named(path))
            if path.operation_module.as_deref() == Some(op.module_name.as_str())
                && path.name == op.response_name
    )
}

/// The response type: the one success body's type (an alias, unless it is the operation's
/// inline struct), `()` without one, or an enum with a variant per success status.
pub fn response(op: &Operation, here: Here<'_>) -> TokenStream {
    let name = ident(&op.response_name);
    match successes(op).as_slice() {
        [] => {
            let doc = format!(
                " `{}` documents no success response: any 2xx answer is a success, its body ignored.",
                op.wire_name
            );
            quote! {
                #[doc = #doc]
                pub type #name = ();
            }
        }
        [one] if response_is_inline_struct(op, one) => quote!(),
        [one] => {
            let mut doc = Doc::new();
            doc.line(format!("What `{}` returns.", op.wire_name))
                .paragraph();
            outcome_lines(one, &mut doc);
            let doc = doc.outer();
            let ty = match &one.body {
                Some(ty) => type_tokens(ty, here),
                None => quote!(()),
            };
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
        many => {
            let doc = format!(
                " What `{}` returns: one variant per documented success status.",
                op.wire_name
            );
            let variants = many
                .iter()
                .map(|outcome| variant_declaration(outcome, here));
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#variants)*
                }
            }
        }
    }
}

/// The error enum, its methods and trait impls, and `decode`.
pub fn error_enum_and_decode(op: &Operation, here: Here<'_>) -> TokenStream {
    let name = ident(&op.error_name);
    let catch_all = ident(&op.error_catch_all);
    let failures = failures(op);
    let doc = format!(
        " The failures `{}` documents, one variant per status, and [`{}::{}`] for an answer with any other status.",
        op.wire_name, op.error_name, op.error_catch_all
    );
    let variants = failures
        .iter()
        .map(|outcome| variant_declaration(outcome, here));
    let status_arms = failures.iter().map(|outcome| match outcome.status {
        StatusKey::Code(code) => {
            let pattern = variant_pattern(outcome);
            let code = Literal::u16_unsuffixed(code);
            quote!(#pattern => #code,)
        }
        _ => {
            let variant = ident(&outcome.variant_name);
            quote!(Self::#variant { status, .. } => *status,)
        }
    });
    let name_arms = failures.iter().map(|outcome| {
        let pattern = variant_pattern(outcome);
        let text = &outcome.variant_name;
        quote!(#pattern => #text,)
    });
    let catch_all_text = &op.error_catch_all;
    let catch_all_doc = " An answer with a status this operation does not document, as it came.";
    let display = format!(
        "{} answered HTTP {{}} ({{}})",
        op.wire_name.replace('{', "{{").replace('}', "}}")
    );
    let decode = decode_fn(op);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #[doc = #catch_all_doc]
            #catch_all(acs_runtime::HttpResponse),
        }

        impl #name {
            /// The HTTP status of the answer.
            pub fn http_status(&self) -> u16 {
                match self {
                    #(#status_arms)*
                    Self::#catch_all(response) => response.status,
                }
            }

            /// The variant's name, e.g. `NotFound`.
            pub fn kind(&self) -> &'static str {
                match self {
                    #(#name_arms)*
                    Self::#catch_all(_) => #catch_all_text,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, #display, self.http_status(), self.kind())
            }
        }

        impl std::error::Error for #name {}

        #decode
    }
}

/// `decode`: one match arm per documented status (codes, then ranges, then `default`).
fn decode_fn(op: &Operation) -> TokenStream {
    let response_name = ident(&op.response_name);
    let error_name = ident(&op.error_name);
    let catch_all = ident(&op.error_catch_all);
    let successes = successes(op);
    let single = successes.len() <= 1;
    let mut arms: Vec<TokenStream> = op
        .outcomes
        .iter()
        .map(|outcome| {
            let pattern = match outcome.status {
                StatusKey::Code(code) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote!(#code)
                }
                StatusKey::Range(class) => {
                    let low = Literal::u16_unsuffixed(class * 100);
                    let high = Literal::u16_unsuffixed(class * 100 + 99);
                    quote!(status @ #low..=#high)
                }
                StatusKey::Default => quote!(status),
            };
            let value = variant_value(outcome);
            if !outcome.is_success() {
                return quote!(#pattern => Err(acs_runtime::SdkError::Service(#error_name::#value)),);
            }
            if !single {
                return quote!(#pattern => Ok(#response_name::#value),);
            }
            match body_value(outcome) {
                Some(body) => quote!(#pattern => Ok(#body),),
                None => quote!(#pattern => Ok(()),),
            }
        })
        .collect();
    if successes.is_empty() {
        arms.insert(0, quote!(200..=299 => Ok(()),));
    }
    if !op.outcomes.iter().any(|o| o.status == StatusKey::Default) {
        arms.push(
            quote!(_ => Err(acs_runtime::SdkError::Service(#error_name::#catch_all(response))),),
        );
    }
    let doc = format!(
        " Decodes an answer to `{}` by its status: a success into [`{}`], a documented failure into its [`{}`] variant, any other status into [`{}::{}`]. A body that does not match its documented schema is [`acs_runtime::SdkError::Decode`].",
        op.wire_name, op.response_name, op.error_name, op.error_name, op.error_catch_all
    );
    quote! {
        #[doc = #doc]
        pub fn decode(
            response: acs_runtime::HttpResponse,
        ) -> Result<#response_name, acs_runtime::SdkError<#error_name>> {
            match response.status {
                #(#arms)*
            }
        }
    }
}

/// The declaration of an outcome's variant: `NotFound(Problem)` or `NoContent` for one
/// status, `ClientError { status, body }` or `Default { status }` for a range or `default`.
fn variant_declaration(outcome: &Outcome, here: Here<'_>) -> TokenStream {
    let doc = outcome_doc(outcome).outer();
    let variant = ident(&outcome.variant_name);
    let body = outcome.body.as_ref().map(|ty| type_tokens(ty, here));
    let status_doc = quote! {
        /// The HTTP status of the answer.
        status: u16,
    };
    match (body, outcome.status) {
        (Some(ty), StatusKey::Code(_)) => quote!(#doc #variant(#ty),),
        (None, StatusKey::Code(_)) => quote!(#doc #variant,),
        (Some(ty), _) => quote! {
            #doc
            #variant {
                #status_doc
                /// The decoded body.
                body: #ty,
            },
        },
        (None, _) => quote!(#doc #variant { #status_doc },),
    }
}

/// A pattern matching an outcome's variant whatever it holds: `Self::NotFound(_)`,
/// `Self::NoContent`, `Self::ClientError { .. }`.
fn variant_pattern(outcome: &Outcome) -> TokenStream {
    let variant = ident(&outcome.variant_name);
    match (&outcome.body, outcome.status) {
        (Some(_), StatusKey::Code(_)) => quote!(Self::#variant(_)),
        (None, StatusKey::Code(_)) => quote!(Self::#variant),
        _ => quote!(Self::#variant { .. }),
    }
}

/// The variant `decode` builds from an answer (`status` bound by its match arm), its body
/// decoded: `NotFound(acs_runtime::decode_json(&response)?)`, `Default { status, body: ... }`.
fn variant_value(outcome: &Outcome) -> TokenStream {
    let variant = ident(&outcome.variant_name);
    let body = body_value(outcome);
    match (body, outcome.status) {
        (Some(body), StatusKey::Code(_)) => quote!(#variant(#body)),
        (None, StatusKey::Code(_)) => quote!(#variant),
        (Some(body), _) => quote!(#variant { status, body: #body }),
        (None, _) => quote!(#variant { status }),
    }
}

/// The expression reading an outcome's body from `response`, as its encoding says; `None`
/// without a body.
fn body_value(outcome: &Outcome) -> Option<TokenStream> {
    outcome.body.as_ref()?;
    Some(match outcome.encoding {
        BodyEncoding::Json => quote!(acs_runtime::decode_json(&response)?),
        BodyEncoding::Text => quote!(acs_runtime::decode_text(&response)?),
        BodyEncoding::Bytes => quote!(response.body),
    })
}
