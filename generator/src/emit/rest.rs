//! What a REST operation's module adds: the response type (one success type, or an enum of
//! them by status), the error enum with a variant per documented failure status, and
//! `decode`, which turns an answer into one or the other by its status.

use super::code::{string, Code, Expr};
use super::docs::{code, Doc};
use super::types::{rust_type, Here};
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
pub fn response(op: &Operation, here: Here<'_>, c: &mut Code) {
    let name = &op.response_name;
    match successes(op).as_slice() {
        [] => {
            c.blank();
            c.doc_text(&format!(
                "`{}` documents no success response: any 2xx answer is a success, its body ignored.",
                op.wire_name
            ));
            c.line(&format!("pub type {name} = ();"));
        }
        [one] if response_is_inline_struct(op, one) => {}
        [one] => {
            let mut doc = Doc::new();
            doc.line(format!("What `{}` returns.", op.wire_name))
                .paragraph();
            outcome_lines(one, &mut doc);
            let ty = match &one.body {
                Some(ty) => rust_type(ty, here),
                None => "()".to_owned(),
            };
            c.blank();
            c.doc(&doc);
            c.line(&format!("pub type {name} = {ty};"));
        }
        many => {
            c.blank();
            c.doc_text(&format!(
                "What `{}` returns: one variant per documented success status.",
                op.wire_name
            ));
            c.line("#[derive(Debug, Clone, PartialEq, serde::Serialize)]");
            c.line("#[non_exhaustive]");
            c.line("#[allow(clippy::large_enum_variant)]");
            c.open(&format!("pub enum {name} {{"));
            for outcome in many {
                variant_declaration(outcome, here, c);
            }
            c.close("}");
        }
    }
}

/// The error enum, its methods and trait impls, and `decode`.
pub fn error_enum_and_decode(op: &Operation, here: Here<'_>, c: &mut Code) {
    let name = &op.error_name;
    let catch_all = &op.error_catch_all;
    let failures = failures(op);
    c.blank();
    c.doc_text(&format!(
        "The failures `{}` documents, one variant per status, and [`{name}::{catch_all}`] for an answer with any other status.",
        op.wire_name
    ));
    c.line("#[derive(Debug, Clone)]");
    c.line("#[non_exhaustive]");
    c.line("#[allow(clippy::large_enum_variant)]");
    c.open(&format!("pub enum {name} {{"));
    for outcome in &failures {
        variant_declaration(outcome, here, c);
    }
    c.doc_text("An answer with a status this operation does not document, as it came.");
    c.line(&format!("{catch_all}(acs_runtime::HttpResponse),"));
    c.close("}");
    c.blank();
    c.open(&format!("impl {name} {{"));
    c.doc_text("The HTTP status of the answer.");
    c.open("pub fn http_status(&self) -> u16 {");
    c.open("match self {");
    for outcome in &failures {
        match outcome.status {
            StatusKey::Code(code) => c.arm(&variant_pattern(outcome), &code.to_string()),
            _ => c.arm(
                &format!("Self::{} {{ status, .. }}", outcome.variant_name),
                "*status",
            ),
        }
    }
    c.line(&format!("Self::{catch_all}(response) => response.status,"));
    c.close("}");
    c.close("}");
    c.blank();
    c.doc_text("The variant's name, e.g. `NotFound`.");
    c.open("pub fn kind(&self) -> &'static str {");
    c.open("match self {");
    for outcome in &failures {
        c.arm(&variant_pattern(outcome), &string(&outcome.variant_name));
    }
    c.arm(&format!("Self::{catch_all}(_)"), &string(catch_all));
    c.close("}");
    c.close("}");
    c.close("}");
    c.blank();
    let display = format!(
        "{} answered HTTP {{}} ({{}})",
        op.wire_name.replace('{', "{{").replace('}', "}}")
    );
    c.open_impl("impl std::fmt::Display", name);
    c.open("fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {");
    c.call(
        "write!",
        &[
            "f".to_owned(),
            string(&display),
            "self.http_status()".to_owned(),
            "self.kind()".to_owned(),
        ],
        "",
    );
    c.close("}");
    c.close("}");
    c.blank();
    c.line(&format!("impl std::error::Error for {name} {{}}"));
    c.blank();
    decode_fn(op, c);
}

/// `decode`: one match arm per documented status (codes, then ranges, then `default`).
fn decode_fn(op: &Operation, c: &mut Code) {
    let response_name = &op.response_name;
    let error_name = &op.error_name;
    let catch_all = &op.error_catch_all;
    let successes = successes(op);
    let single = successes.len() <= 1;
    let mut arms: Vec<(String, Expr)> = op
        .outcomes
        .iter()
        .map(|outcome| {
            let pattern = match outcome.status {
                StatusKey::Code(code) => code.to_string(),
                StatusKey::Range(class) => {
                    format!("status @ {}..={}", class * 100, class * 100 + 99)
                }
                StatusKey::Default => "status".to_owned(),
            };
            let result = if !outcome.is_success() {
                let value = variant_value(outcome, &format!("{error_name}::"));
                call("Err", call("acs_runtime::SdkError::Service", value))
            } else if !single {
                call("Ok", variant_value(outcome, &format!("{response_name}::")))
            } else {
                match body_value(outcome) {
                    Some(body) => call("Ok", body),
                    None => Expr::Atom("Ok(())".to_owned()),
                }
            };
            (pattern, result)
        })
        .collect();
    if successes.is_empty() {
        arms.insert(0, ("200..=299".to_owned(), Expr::Atom("Ok(())".to_owned())));
    }
    if !op.outcomes.iter().any(|o| o.status == StatusKey::Default) {
        let catch_all = call(
            &format!("{error_name}::{catch_all}"),
            Expr::Atom("response".to_owned()),
        );
        arms.push((
            "_".to_owned(),
            call("Err", call("acs_runtime::SdkError::Service", catch_all)),
        ));
    }
    c.doc_text(&format!(
        "Decodes an answer to `{}` by its status: a success into [`{}`], a documented failure into its [`{}`] variant, any other status into [`{}::{}`]. A body that does not match its documented schema is [`acs_runtime::SdkError::Decode`].",
        op.wire_name, op.response_name, op.error_name, op.error_name, op.error_catch_all
    ));
    c.signature(&format!(
            "pub fn decode(response: acs_runtime::HttpResponse) -> Result<{response_name}, acs_runtime::SdkError<{error_name}>> {{"
        ));
    c.open("match response.status {");
    for (pattern, value) in &arms {
        c.arm_expr(pattern, value);
    }
    c.close("}");
    c.close("}");
}

/// `callee(arg)`.
fn call(callee: &str, arg: Expr) -> Expr {
    Expr::Call(callee.to_owned(), vec![arg])
}

/// The declaration of an outcome's variant: `NotFound(Problem)` or `NoContent` for one
/// status, `ClientError { status, body }` or `Default { status }` for a range or `default`.
fn variant_declaration(outcome: &Outcome, here: Here<'_>, c: &mut Code) {
    c.doc(&outcome_doc(outcome));
    let variant = &outcome.variant_name;
    let body = outcome.body.as_ref().map(|ty| rust_type(ty, here));
    match (body, outcome.status) {
        (Some(ty), StatusKey::Code(_)) => c.line(&format!("{variant}({ty}),")),
        (None, StatusKey::Code(_)) => c.line(&format!("{variant},")),
        (body, _) => {
            c.open(&format!("{variant} {{"));
            c.doc_text("The HTTP status of the answer.");
            c.line("status: u16,");
            if let Some(ty) = body {
                c.doc_text("The decoded body.");
                c.line(&format!("body: {ty},"));
            }
            c.close("},");
        }
    }
}

/// A pattern matching an outcome's variant whatever it holds: `Self::NotFound(_)`,
/// `Self::NoContent`, `Self::ClientError { .. }`.
fn variant_pattern(outcome: &Outcome) -> String {
    let variant = &outcome.variant_name;
    match (&outcome.body, outcome.status) {
        (Some(_), StatusKey::Code(_)) => format!("Self::{variant}(_)"),
        (None, StatusKey::Code(_)) => format!("Self::{variant}"),
        _ => format!("Self::{variant} {{ .. }}"),
    }
}

/// The variant `decode` builds from an answer (`status` bound by its match arm), its body
/// decoded: `NotFound(acs_runtime::decode_json(&response)?)`, `Default { status, body: ... }`;
/// `path` is the enum's path with `::`.
fn variant_value(outcome: &Outcome, path: &str) -> Expr {
    let variant = format!("{path}{}", outcome.variant_name);
    let body = body_value(outcome);
    let status = ("status".to_owned(), Expr::Atom("status".to_owned()));
    match (body, outcome.status) {
        (Some(body), StatusKey::Code(_)) => Expr::Call(variant, vec![body]),
        (None, StatusKey::Code(_)) => Expr::Atom(variant),
        (Some(body), _) => Expr::Struct(variant, vec![status, ("body".to_owned(), body)]),
        (None, _) => Expr::Struct(variant, vec![status]),
    }
}

/// The expression reading an outcome's body from `response`, as its encoding says; `None`
/// without a body.
fn body_value(outcome: &Outcome) -> Option<Expr> {
    outcome.body.as_ref()?;
    let decode = |function: &str| {
        let call = Expr::Call(
            function.to_owned(),
            vec![Expr::Atom("&response".to_owned())],
        );
        Expr::Try(Box::new(call))
    };
    Some(match outcome.encoding {
        BodyEncoding::Json => decode("acs_runtime::decode_json"),
        BodyEncoding::Text => decode("acs_runtime::decode_text"),
        BodyEncoding::Bytes => Expr::Atom("response.body".to_owned()),
    })
}
