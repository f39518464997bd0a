//! Emit: the IR → the files of an SDK crate, as text. Operation modules and shared types
//! (a file each per operation and per type: most of the output) are written directly as
//! text in rustfmt's layout ([`code`]), which is what keeps generation fast; the files a crate
//! has one of (`lib.rs`, `client.rs`, module lists) and the examples are built as tokens
//! (`quote!`), parsed into a `syn::File` and printed by prettyplease. The output never depends
//! on an installed rustfmt. Every file is rendered on its own, in parallel. The emitter knows
//! nothing of YAML.

mod code;
mod crate_files;
mod docs;
mod operation;
mod rest;
mod types;

use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use rayon::prelude::*;

use crate::ir::Crate;

pub use crate_files::runtime_files;

/// A file to write, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output directory, `/`-separated.
    pub path: PathBuf,
    /// Contents.
    pub contents: String,
}

/// What went wrong while emitting: generated code that does not parse is a generator bug,
/// reported rather than written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError {
    /// The file being rendered.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// One file of a crate, rendered independently of the others.
enum Job<'a> {
    CargoToml,
    Readme,
    Lib,
    Client,
    TypesMod,
    Type(&'a crate::ir::TypeDef),
    OperationMod,
    Operation(&'a crate::ir::Operation),
    Example(&'a crate::ir::Operation),
}

/// Renders every file of `krate`, in a fixed order.
pub fn emit(krate: &Crate) -> Result<Vec<OutputFile>, EmitError> {
    let mut jobs = vec![
        Job::CargoToml,
        Job::Readme,
        Job::Lib,
        Job::Client,
        Job::OperationMod,
    ];
    if !krate.types.is_empty() {
        jobs.push(Job::TypesMod);
        jobs.extend(krate.types.iter().map(Job::Type));
    }
    jobs.extend(krate.operations.iter().map(Job::Operation));
    jobs.extend(krate.operations.iter().map(Job::Example));
    let mut files = jobs
        .par_iter()
        .map(|job| render(krate, job))
        .collect::<Result<Vec<_>, _>>()?;
    for file in &mut files {
        file.path = PathBuf::from(&krate.dir_name).join(&file.path);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn render(krate: &Crate, job: &Job<'_>) -> Result<OutputFile, EmitError> {
    use crate_files as c;
    let (path, contents) = match job {
        Job::CargoToml => ("Cargo.toml".to_owned(), Ok(c::cargo_toml(krate))),
        Job::Readme => ("README.md".to_owned(), Ok(c::readme(krate))),
        Job::Lib => ("src/lib.rs".to_owned(), rust(krate, c::lib_rs(krate))),
        Job::Client => ("src/client.rs".to_owned(), rust(krate, c::client_rs(krate))),
        Job::TypesMod => (
            "src/types/mod.rs".to_owned(),
            rust(krate, c::types_mod(krate)),
        ),
        Job::Type(def) => (
            format!("src/types/{}.rs", bare(def.file_stem())),
            Ok(text(krate, |code| c::type_file(def, code))),
        ),
        Job::OperationMod => (
            "src/operation/mod.rs".to_owned(),
            rust(krate, c::operation_mod(krate)),
        ),
        Job::Operation(op) => (
            format!("src/operation/{}.rs", bare(&op.module_name)),
            unbound_parameter(op).map_or_else(
                || {
                    Ok(text(krate, |code| {
                        operation::operation_module(krate, op, code)
                    }))
                },
                Err,
            ),
        ),
        Job::Example(op) => (
            format!("examples/{}.rs", bare(&op.module_name)),
            rust(krate, c::example(krate, op)),
        ),
    };
    let contents = contents.map_err(|message| EmitError {
        path: PathBuf::from(&krate.dir_name).join(&path),
        message,
    })?;
    Ok(OutputFile {
        path: PathBuf::from(path),
        contents,
    })
}

/// A parameter placed where the operation's protocol takes none (validation reports these, so
/// this is a generator bug), described.
fn unbound_parameter(op: &crate::ir::Operation) -> Option<String> {
    let protocol = op.binding.protocol;
    op.params
        .iter()
        .find(|p| !protocol.locations().contains(&p.location))
        .map(|p| {
            format!(
                "internal error: parameter `{}` of `{}` is in {}, which {} operations do not take",
                p.wire_name,
                op.wire_name,
                p.location.spec_name(),
                protocol.name()
            )
        })
}

/// The first line of every generated file, in the comment syntax `prefix` gives.
fn header(krate: &Crate, prefix: &str, suffix: &str) -> String {
    header_line(&krate.source_file, prefix, suffix)
}

/// The generated-file header naming `source`, the file it is generated from.
fn header_line(source: &str, prefix: &str, suffix: &str) -> String {
    format!(
        "{prefix}@generated by acsgen from {source}. Do not edit: change the source and run `cargo run -p acsgen -- generate`.{suffix}\n"
    )
}

/// Formats tokens as a Rust file with the generated-file header.
fn rust(krate: &Crate, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|err| format!("internal error: the generated code does not parse: {err}"))?;
    let mut out = header(krate, "// ", "");
    out.push_str(&space_items(&prettyplease::unparse(&file)));
    Ok(out)
}

/// A Rust file written as text by `write`, with the generated-file header.
fn text(krate: &Crate, write: impl FnOnce(&mut code::Code)) -> String {
    let mut code = code::Code::new();
    code.line(header(krate, "// ", "").trim_end());
    write(&mut code);
    code.finish()
}

/// Puts a blank line between items (at module level and inside `impl` blocks) and after the
/// module docs, as a person would; prettyplease prints items back to back.
fn space_items(text: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "fn ", "impl", "const ", "async ", "mod ", "use ", "struct ", "enum ",
        "static ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous {
            let indent = line.len() - line.trim_start().len();
            let prev_indent = prev.len() - prev.trim_start().len();
            let current = line.trim_start();
            let starts_item = ITEM_STARTS.iter().any(|s| current.starts_with(s));
            let after_block = prev.trim() == "}" && prev_indent == indent;
            let is_declaration = |l: &str| {
                ["use ", "pub use ", "mod ", "pub mod "]
                    .iter()
                    .any(|d| l.starts_with(d))
            };
            let after_statement = indent == 0
                && prev_indent == 0
                && prev.ends_with(';')
                && !prev.starts_with("//")
                && !(is_declaration(prev) && is_declaration(current));
            let after_module_doc = (prev.starts_with("//!") && !current.starts_with("//!"))
                || (prev.starts_with("#![") && !current.starts_with("#!["));
            if (starts_item && (indent == 0 || indent == 4) && (after_block || after_statement))
                || after_module_doc
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// An identifier token for a name decided in the IR (`r#type` becomes a raw identifier).
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn bare(name: &str) -> &str {
    crate::ident::bare(name)
}
