//! acsgen: Rust SDK crates for Alibaba Cloud RPC APIs, from OpenAPI 3 documents.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] (YAML/JSON, read into a [`yaml`] tree, → [`openapi`] model with source locations)
//! → [`validate`] → [`lower`] (→ [`ir`], where every Rust name is decided, with [`ident`]) →
//! [`emit`] (Rust as text, in rustfmt's layout) → [`write`](mod@write) (all files rendered
//! first, then written atomically).
//! How operations go on the wire is one seam, [`binding`], which validation, lowering and
//! emission all read. Problems are [`diag`]nostics with file, line, column and JSON path.

pub mod binding;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod ident;
pub mod import;
pub mod ir;
pub mod load;
pub mod lower;
pub mod openapi;
pub mod validate;
pub mod write;
pub mod yaml;

use std::fs;
use std::path::{Path, PathBuf};

use diag::{Diagnostic, Location, Severity, Sink};
use emit::OutputFile;

/// The documents to read: files as given, directories expanded to the `.yaml`, `.yml` and
/// `.json` files directly inside them, in name order.
pub fn collect_specs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = match fs::read_dir(input) {
                Ok(entries) => entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && is_spec_document(p))
                    .collect(),
                Err(err) => {
                    errors.push(file_error(
                        input,
                        format!("cannot read the directory: {err}"),
                    ));
                    continue;
                }
            };
            found.sort();
            if found.is_empty() {
                let mut sink = Sink::new(input);
                sink.error(
                    &Location::document(),
                    "the spec directory holds no documents",
                )
                .help("put OpenAPI documents (`.yaml`, `.yml` or `.json`) in it");
                errors.extend(sink.into_vec());
            }
            specs.extend(found);
        } else if input.is_file() {
            specs.push(input.clone());
        } else {
            errors.push(file_error(input, "no such file or directory".to_owned()));
        }
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        Err(errors)
    }
}

/// Whether a file name is that of a spec document: `.yaml`, `.yml` or `.json`.
pub(crate) fn is_spec_document(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// An error about a whole file.
pub(crate) fn file_error(path: &Path, message: String) -> Diagnostic {
    let mut sink = Sink::new(path);
    sink.error(&Location::document(), message);
    sink.into_vec().remove(0)
}

/// Name of a spec file as written into generated headers: relative to the current directory
/// when it is inside it, with `/` separators, so output is the same on every machine.
pub fn display_name(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let absolute = fs::canonicalize(path).ok()?;
            let cwd = fs::canonicalize(cwd).ok()?;
            absolute.strip_prefix(cwd).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from(path.file_name().unwrap_or(path.as_os_str())));
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// One document through load → validate → lower. Returns the crate (when there were no
/// errors) and every diagnostic found.
pub fn compile(path: &Path, text: &str) -> (Option<ir::Crate>, Vec<Diagnostic>) {
    let mut sink = Sink::new(path);
    let Some(doc) = load::load(text, &mut sink) else {
        return (None, sink.into_vec());
    };
    validate::validate(&doc, &mut sink);
    // Lowering runs even after validation errors, so that naming problems (which only
    // lowering can see) are reported in the same run; its result is used only without errors.
    let krate = lower::lower(&doc, &display_name(path), &mut sink);
    if sink.has_errors() {
        return (None, sink.into_vec());
    }
    (krate, sink.into_vec())
}

/// Reads and compiles every document; returns the crates and all diagnostics.
pub fn compile_all(specs: &[PathBuf]) -> (Vec<ir::Crate>, Vec<Diagnostic>) {
    let mut crates = Vec::new();
    let mut diagnostics = Vec::new();
    for spec in specs {
        let text = match fs::read_to_string(spec) {
            Ok(text) => text,
            Err(err) => {
                diagnostics.push(file_error(spec, format!("cannot read the file: {err}")));
                continue;
            }
        };
        let (krate, found) = compile(spec, &text);
        diagnostics.extend(found);
        crates.extend(krate);
    }
    diagnostics.extend(same_crate_twice(&crates));
    (crates, diagnostics)
}

/// An error for each crate that an earlier document already generates.
pub(crate) fn same_crate_twice(crates: &[ir::Crate]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut dirs: Vec<(&str, &str)> = Vec::new();
    for krate in crates {
        if let Some((_, first)) = dirs.iter().find(|(dir, _)| *dir == krate.dir_name) {
            diagnostics.push(file_error(
                Path::new(&krate.source_file),
                format!(
                    "generates the crate directory `{}` that {first} generates too; a product and API version belong in one document",
                    krate.dir_name
                ),
            ));
        } else {
            dirs.push((&krate.dir_name, &krate.source_file));
        }
    }
    diagnostics
}

/// Keeps, of each crate, the operations `names` lists (wire names) and the shared types they
/// use; crates with none of them are dropped. Returns the names no crate has, in the order
/// given.
pub fn select_operations(crates: &mut Vec<ir::Crate>, names: &[String]) -> Vec<String> {
    let wanted: std::collections::BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let unknown = names
        .iter()
        .filter(|name| {
            !crates
                .iter()
                .any(|k| k.operations.iter().any(|op| op.wire_name == **name))
        })
        .cloned()
        .collect();
    for krate in crates.iter_mut() {
        krate.retain_operations(|op| wanted.contains(op.wire_name.as_str()));
    }
    crates.retain(|k| !k.operations.is_empty());
    unknown
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Every file of every crate, plus the shared runtime crate.
pub fn render_all(crates: &[ir::Crate]) -> Result<Vec<OutputFile>, emit::EmitError> {
    let mut files = emit::runtime_files();
    for krate in crates {
        files.extend(emit::emit(krate)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
