//! `acsgen diff`: what changed between two versions of an API, and whether each change
//! breaks code that uses the generated crate.
//!
//! Each side is read into the IR as `generate` would read it ([`read_side`]: spec files,
//! spec directories, Alibaba metadata imported in memory, or `spec/` at a git revision),
//! the two sides are compared item by item ([`mod@compare`]), and the changes are rendered
//! ([`report`]).

pub mod change;
pub mod compare;
pub mod report;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diag::{Diagnostic, Severity};
use crate::file_error as error;
use crate::ir::Crate;

pub use change::{Change, Kind, Member, Verdict};
pub use compare::{compare, compare_crates};

/// The changes from `old` to `new`, in report order. An operation that one side's metadata
/// has but acsgen cannot generate is reported as such, with the reason, rather than as
/// added or removed by the API.
pub fn compare_sides(old: &Side, new: &Side) -> Vec<Change> {
    let mut changes = compare_crates(&old.crates, &new.crates);
    let reason_in = |side: &Side, change: &Change| {
        side.not_generated
            .iter()
            .find(|(krate, op, _)| {
                *krate == change.crate_name && Some(op) == change.operation.as_ref()
            })
            .map(|(_, _, reason)| reason.clone())
    };
    for change in &mut changes {
        match change.kind {
            // An operation is either generated or skipped, so a renamed client method (also
            // `OperationRemoved`) is never found among the skipped.
            Kind::OperationRemoved => {
                if let Some(reason) = reason_in(new, change) {
                    change.kind = Kind::OperationNotGenerated;
                    change.reason = format!(
                        "the API still has it, but acsgen cannot generate it now ({reason}); the client method is gone"
                    );
                }
            }
            Kind::OperationAdded => {
                if let Some(reason) = reason_in(old, change) {
                    change.reason = format!(
                        "the API had it, but acsgen could not generate it before ({reason})"
                    );
                }
            }
            _ => {}
        }
    }
    changes
}

/// One side of a comparison: the crates it generates, and a label for reports.
#[derive(Debug)]
pub struct Side {
    /// What was read, e.g. `spec` or `spec@HEAD~1`.
    pub label: String,
    /// The crates, as `generate` would lower them.
    pub crates: Vec<Crate>,
    /// Operations of imported metadata that acsgen cannot generate: crate library name,
    /// operation wire name, why.
    pub not_generated: Vec<(String, String, String)>,
}

/// Reads a spec file, a directory of spec files, or an Alibaba metadata file
/// (`api-docs.json`, imported in memory). Errors and warnings of every document are
/// returned; the side only when there are no errors.
pub fn read_side(path: &Path) -> (Option<Side>, Vec<Diagnostic>) {
    let files = match crate::collect_specs(&[path.to_path_buf()]) {
        Ok(files) => files,
        Err(diagnostics) => return (None, diagnostics),
    };
    let mut documents = Vec::new();
    let mut diagnostics = Vec::new();
    for file in files {
        match std::fs::read_to_string(&file) {
            Ok(text) => documents.push((file, text)),
            Err(err) => diagnostics.push(error(&file, format!("cannot read the file: {err}"))),
        }
    }
    let compiled = compile_documents(documents);
    diagnostics.extend(compiled.diagnostics);
    finish(
        path.display().to_string(),
        compiled.crates,
        compiled.not_generated,
        diagnostics,
    )
}

/// Reads the spec documents of directory `dir`, or the one document `dir` names (relative
/// to the current directory, inside a git work tree), as they are at revision `rev`.
pub fn read_git_side(rev: &str, dir: &Path) -> (Option<Side>, Vec<Diagnostic>) {
    let label = format!("{}@{rev}", dir.display());
    let paths: Vec<PathBuf> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        let spec = format!("./{}/", dir.display()).replace("//", "/");
        match git(&["ls-tree", "--name-only", rev, "--", &spec]) {
            Ok(listing) => listing
                .lines()
                .map(|name| dir.join(Path::new(name.trim()).file_name().unwrap_or_default()))
                .filter(|path| crate::is_spec_document(path))
                .collect(),
            Err(message) => return (None, vec![error(dir, message)]),
        }
    };
    let mut documents = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        match git(&["show", &format!("{rev}:./{}", path.display())]) {
            Ok(text) => documents.push((PathBuf::from(format!("{}@{rev}", path.display())), text)),
            Err(message) => diagnostics.push(error(&path, message)),
        }
    }
    if documents.is_empty() && diagnostics.is_empty() {
        diagnostics.push(error(
            dir,
            format!("revision {rev} has no spec documents in {}", dir.display()),
        ));
    }
    let compiled = compile_documents(documents);
    diagnostics.extend(compiled.diagnostics);
    finish(label, compiled.crates, compiled.not_generated, diagnostics)
}

/// The API a crate in `out` was last generated from, as recorded by git: its spec document
/// at the last commit that changed the crate's directory. `None` outside a git work tree, or
/// when the crate or its document has no history there.
pub fn last_generated_from(krate: &Crate, out: &Path) -> Option<(String, Crate)> {
    let dir = format!("./{}/{}", out.display(), krate.dir_name).replace("//", "/");
    let rev = git(&["log", "-1", "--format=%h", "--", &dir]).ok()?;
    let rev = rev.trim();
    if rev.is_empty() {
        return None;
    }
    let text = git(&["show", &format!("{rev}:./{}", krate.source_file)]).ok()?;
    let path = PathBuf::from(format!("{}@{rev}", krate.source_file));
    let compiled = compile_documents(vec![(path, text)]);
    let old = compiled.crates.into_iter().next()?;
    Some((rev.to_owned(), old))
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("`git {}` printed non-UTF-8", args.join(" ")))
}

/// Documents compiled for one side.
#[derive(Default)]
struct Compiled {
    crates: Vec<Crate>,
    not_generated: Vec<(String, String, String)>,
    diagnostics: Vec<Diagnostic>,
}

/// Compiles spec documents, importing those that are Alibaba metadata first.
fn compile_documents(documents: Vec<(PathBuf, String)>) -> Compiled {
    let mut out = Compiled::default();
    let diagnostics = &mut out.diagnostics;
    for (path, text) in documents {
        let mut skipped = Vec::new();
        let (path, spec) = if is_metadata(&text) {
            match crate::import::import(&path, &text, None) {
                Ok(imported) => match imported.text {
                    // Problems in the imported document are located in it, not in the file.
                    Some(spec) => {
                        skipped = imported
                            .skipped
                            .iter()
                            .map(|s| (s.operation.clone(), s.reason.to_string()))
                            .collect();
                        (
                            PathBuf::from(format!(
                                "{} (imported as {})",
                                path.display(),
                                imported.file_name
                            )),
                            spec,
                        )
                    }
                    None => {
                        diagnostics.push(error(
                            &path,
                            "no operation of this metadata can be generated".to_owned(),
                        ));
                        continue;
                    }
                },
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    continue;
                }
            }
        } else {
            (path, text)
        };
        let (krate, found) = crate::compile(&path, &spec);
        // Warnings are about the generated code, not about the comparison.
        diagnostics.extend(found.into_iter().filter(|d| d.severity == Severity::Error));
        if let Some(krate) = krate {
            out.not_generated.extend(
                skipped
                    .into_iter()
                    .map(|(operation, reason)| (krate.lib_name.clone(), operation, reason)),
            );
            out.crates.push(krate);
        }
    }
    out
}

/// Whether a document is Alibaba metadata rather than OpenAPI: JSON with `apis` and no
/// `openapi` member.
fn is_metadata(text: &str) -> bool {
    let head = text.trim_start();
    if !head.starts_with('{') {
        return false;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => value.get("apis").is_some() && value.get("openapi").is_none(),
        Err(_) => false,
    }
}

fn finish(
    label: String,
    crates: Vec<Crate>,
    not_generated: Vec<(String, String, String)>,
    mut diagnostics: Vec<Diagnostic>,
) -> (Option<Side>, Vec<Diagnostic>) {
    diagnostics.extend(crate::same_crate_twice(&crates));
    if crate::has_errors(&diagnostics) {
        return (None, diagnostics);
    }
    (
        Some(Side {
            label,
            crates,
            not_generated,
        }),
        diagnostics,
    )
}
