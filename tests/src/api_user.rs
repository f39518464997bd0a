//! A program that uses every public item of a generated crate the way a user would: builds
//! each request with every setter, reads every request and response field with its type,
//! calls each client method, names every error variant, every enum variant and every
//! struct builder. Built against another version of the crate, it fails exactly when that
//! version breaks code written against this one; `tests/diff.rs` checks the verdicts of
//! `acsgen diff` with it.
//!
//! It is written from the IR of the old crate alone, never from a diff report.

use acsgen::ir::{Crate, Field, TypeDef, TypePath, TypeRef};

/// The Rust type of a field value as seen from outside the crate (`api::types::Tag`), or
/// `None` when it names a crate the user does not depend on (`serde_json::Value`).
fn type_text(ty: &TypeRef) -> Option<String> {
    Some(match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Any => return None,
        TypeRef::List(inner) => format!("Vec<{}>", type_text(inner)?),
        TypeRef::Map(inner) => format!("std::collections::BTreeMap<String, {}>", type_text(inner)?),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_text(inner)?),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::Named(path) => type_path(path),
    })
}

fn type_path(path: &TypePath) -> String {
    match &path.operation_module {
        None => format!("api::types::{}", path.name),
        Some(module) => format!("api::operation::{module}::{}", path.name),
    }
}

/// Sets every field through the builder `builder` (an expression) and builds.
fn build(builder: &str, fields: &[Field]) -> String {
    let mut out = format!("{builder}\n");
    for field in fields {
        // A boxed member's setter takes the value it boxes.
        let setter_type = match &field.ty {
            TypeRef::Boxed(inner) => inner,
            other => other,
        };
        match type_text(setter_type) {
            Some(ty) => out.push_str(&format!(
                "        .{}(value::<{ty}>())\n",
                field.setter_name
            )),
            None => out.push_str(&format!("        .{}(value())\n", field.setter_name)),
        }
    }
    out.push_str("        .build()");
    out
}

/// Reads every field of `binding`, with its type: `T` when `required_is_enforced` and the
/// field is required, else `Option<T>`.
fn read(binding: &str, fields: &[Field], required_is_enforced: bool) -> String {
    let mut out = String::new();
    for field in fields {
        let rust = &field.rust_name;
        match type_text(&field.ty) {
            Some(ty) if field.required && required_is_enforced => {
                out.push_str(&format!("    let _: &{ty} = &{binding}.{rust};\n"));
            }
            Some(ty) => out.push_str(&format!("    let _: &Option<{ty}> = &{binding}.{rust};\n")),
            None => out.push_str(&format!("    let _ = &{binding}.{rust};\n")),
        }
    }
    out
}

/// The user program (`src/main.rs`) for `krate`, named `api` inside it.
pub fn program(krate: &Crate) -> String {
    let mut out = format!(
        "//! Uses every item of `{lib}`.\n\
         #![allow(dead_code, unused_variables, deprecated, unreachable_code, clippy::all)]\n\n\
         use {lib} as api;\n\n\
         fn value<T>() -> T {{\n    unimplemented!()\n}}\n\nfn main() {{}}\n",
        lib = krate.lib_name
    );
    for op in &krate.operations {
        let module = format!("api::operation::{}", op.module_name);
        out.push_str(&format!(
            "\nasync fn use_{}(client: &api::Client) {{\n",
            op.module_name
        ));
        let builder = format!("    let request = {module}::{}::builder()", op.request_name);
        out.push_str(&build(&builder, &op.params));
        out.push_str("\n        .unwrap();\n");
        out.push_str(&read("request", &op.params, true));
        out.push_str(&format!(
            "    let response: {module}::{} = client.{}(request).await.unwrap();\n",
            op.response_name, op.method_name
        ));
        out.push_str(&read("response", &op.response_fields, false));
        out.push_str(&format!(
            "    let error: {module}::{} = value();\n    match error {{\n",
            op.error_name
        ));
        for case in &op.errors {
            out.push_str(&format!(
                "        {module}::{}::{}(meta) => {{}}\n",
                op.error_name, case.variant_name
            ));
        }
        out.push_str(&format!(
            "        {module}::{}::{}(meta) => {{}}\n        _ => {{}}\n    }}\n}}\n",
            op.error_name, op.error_catch_all
        ));
    }
    let all_types =
        krate
            .types
            .iter()
            .map(|def| (None, def))
            .chain(krate.operations.iter().flat_map(|op| {
                op.types
                    .iter()
                    .map(move |def| (Some(op.module_name.clone()), def))
            }));
    for (n, (module, def)) in all_types.enumerate() {
        let path = type_path(&TypePath {
            operation_module: module,
            name: def.name().to_owned(),
            is_enum: matches!(def, TypeDef::Enum(_)),
        });
        out.push_str(&format!("\nfn use_type_{n}() {{\n"));
        match def {
            TypeDef::Enum(e) => {
                for variant in &e.variants {
                    out.push_str(&format!(
                        "    let _: {path} = {path}::{};\n",
                        variant.rust_name
                    ));
                }
                out.push_str(&format!(
                    "    let _: {path} = {path}::{}(String::new());\n",
                    e.catch_all
                ));
            }
            TypeDef::Union(u) => {
                for variant in &u.variants {
                    let value = match type_text(&variant.ty) {
                        Some(ty) => format!("value::<{ty}>()"),
                        None => "value()".to_owned(),
                    };
                    out.push_str(&format!(
                        "    let _: {path} = {path}::{}({value});\n",
                        variant.rust_name
                    ));
                }
                out.push_str(&format!(
                    "    let _: {path} = {path}::{}(value());\n",
                    u.catch_all
                ));
            }
            TypeDef::Struct(s) => {
                if s.input {
                    let builder = format!("    let built = {path}::builder()");
                    out.push_str(&build(&builder, &s.fields));
                    out.push_str(";\n");
                }
                out.push_str(&format!("    let value: {path} = value();\n"));
                out.push_str(&read("value", &s.fields, false));
            }
        }
        out.push_str("}\n");
    }
    out
}
