//! Several metadata files imported together, as `acsgen import` does: every file read and
//! converted first, every problem collected, and only then the documents to write.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location, Severity};
use crate::emit::OutputFile;

use super::{import, Imported};

/// What a run of `acsgen import` produces.
#[derive(Debug)]
pub struct Batch {
    /// One imported document per metadata file, in the order given.
    pub documents: Vec<(PathBuf, Imported)>,
    /// The documents to write, relative to the output directory.
    pub files: Vec<OutputFile>,
}

fn file_error(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        location: Location::document(),
        message,
        help: None,
    }
}

/// The metadata files to read: files as given, directories searched (in name order, all
/// the way down) for `.json` files.
pub fn collect_metadata(inputs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut paths: Vec<PathBuf> = fs::read_dir(dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut out);
        } else {
            out.push(input.clone());
        }
    }
    out
}

/// Imports every file of `metadata` (directories searched for `.json` files); with `only`,
/// just those operations, each of which must be in one of the files. Returns every error
/// found when any file is bad.
pub fn import_all(metadata: &[PathBuf], only: &[String]) -> Result<Batch, Vec<Diagnostic>> {
    let metadata = collect_metadata(metadata);
    let metadata = metadata.as_slice();
    let only: BTreeSet<String> = only
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    let only = (!only.is_empty()).then_some(only);
    let mut errors = Vec::new();
    let mut documents = Vec::new();
    for path in metadata {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                errors.push(file_error(path, format!("cannot read the file: {err}")));
                continue;
            }
        };
        match import(path, &text, only.as_ref()) {
            Ok(imported) => documents.push((path.clone(), imported)),
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    if let Some(only) = &only {
        let found: BTreeSet<&str> = documents
            .iter()
            .flat_map(|(_, d)| {
                d.imported
                    .iter()
                    .map(String::as_str)
                    .chain(d.skipped.iter().map(|s| s.operation.as_str()))
            })
            .collect();
        let missing: Vec<&str> = only
            .iter()
            .map(String::as_str)
            .filter(|n| !found.contains(n))
            .collect();
        if !missing.is_empty() && errors.is_empty() {
            let mut diagnostic = file_error(
                metadata.first().map_or(Path::new("."), PathBuf::as_path),
                format!(
                    "--operations names operations that no metadata file given has: {}",
                    missing.join(", ")
                ),
            );
            diagnostic.help = Some(
                "operation names are Action names, e.g. DescribeInstances; they are case-sensitive"
                    .to_owned(),
            );
            errors.push(diagnostic);
        }
    }
    let mut owners: BTreeMap<&str, &Path> = BTreeMap::new();
    for (path, document) in &documents {
        if document.text.is_none() {
            continue;
        }
        if let Some(first) = owners.insert(&document.file_name, path) {
            errors.push(file_error(
                path,
                format!(
                    "imports into {} as {} does; a product version is imported from one file",
                    document.file_name,
                    first.display()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let files = documents
        .iter()
        .filter_map(|(_, d)| {
            d.text.as_ref().map(|text| OutputFile {
                path: PathBuf::from(&d.file_name),
                contents: text.clone(),
            })
        })
        .collect();
    Ok(Batch { documents, files })
}

/// The warning lines for the operations `document` skipped, grouped by reason.
pub fn skip_report(document: &Imported) -> Vec<String> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for skipped in &document.skipped {
        let detail = skipped.reason.to_string();
        let group = skipped.reason.group();
        let entry = if detail == group {
            skipped.operation.clone()
        } else {
            format!(
                "{} ({})",
                skipped.operation,
                detail.trim_start_matches(&format!("{group}: "))
            )
        };
        groups.entry(group).or_default().push(entry);
    }
    groups
        .into_iter()
        .map(|(group, ops)| format!("{} skipped: {group}: {}", ops.len(), ops.join(", ")))
        .collect()
}
