//! Imports every metadata file (`*.json`, e.g. `api-docs.json`) under a directory, then validates and generates each
//! imported document in memory (load → validate → lower → emit), and prints per product
//! version: operations imported, skipped (reasons grouped), problems found, time taken; then
//! the totals. Nothing is written.
//!
//! ```sh
//! cargo run --release -p acsgen-tests --bin import_survey -- METADATA_DIR
//! ```
//!
//! Exits 1 when any document does not import, validate or generate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use acsgen::import::{self, support::SkipReason};

#[derive(Default)]
struct Totals {
    /// Per API style acsgen generates (`RPC`, `ROA`): operations imported, skipped, and the
    /// skip reasons.
    by_style: BTreeMap<String, StyleTotals>,
    other_style_skipped: usize,
    failed_documents: usize,
}

#[derive(Default)]
struct StyleTotals {
    imported: usize,
    skipped: usize,
    reasons: BTreeMap<String, usize>,
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: import_survey METADATA_DIR");
        return ExitCode::from(2);
    };
    let files = import::batch::collect_metadata(std::slice::from_ref(&dir));
    let started = Instant::now();
    let mut totals = Totals::default();
    for path in &files {
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .parent()
            .map_or_else(String::new, |p| p.display().to_string());
        let clock = Instant::now();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                println!("{name}: cannot read: {err}");
                totals.failed_documents += 1;
                continue;
            }
        };
        let imported = match import::import(path, &text, None) {
            Ok(imported) => imported,
            Err(diagnostic) => {
                println!("{name}: IMPORT ERROR {diagnostic}");
                totals.failed_documents += 1;
                continue;
            }
        };
        let import_time = clock.elapsed();
        let mut problems = Vec::new();
        let mut generate_time = Duration::ZERO;
        if let Some(spec) = &imported.text {
            let generate_clock = Instant::now();
            let spec_path = Path::new(&imported.file_name);
            let (krate, diagnostics) = acsgen::compile(spec_path, spec);
            problems.extend(
                diagnostics
                    .iter()
                    .filter(|d| d.severity == acsgen::diag::Severity::Error)
                    .map(ToString::to_string),
            );
            if let Some(krate) = krate {
                if let Err(err) = acsgen::emit::emit(&krate) {
                    problems.push(format!("emit: {}: {}", err.path.display(), err.message));
                }
            }
            generate_time = generate_clock.elapsed();
        }
        let other_style = imported
            .skipped
            .iter()
            .filter(|s| matches!(s.reason, SkipReason::ProductStyle { .. }))
            .count();
        totals.other_style_skipped += other_style;
        if other_style == 0 {
            let style = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["info"]["style"].as_str().map(str::to_owned))
                .unwrap_or_default();
            let style = totals.by_style.entry(style).or_default();
            style.imported += imported.imported.len();
            style.skipped += imported.skipped.len();
            for skipped in &imported.skipped {
                *style.reasons.entry(skipped.reason.group()).or_default() += 1;
            }
        }
        println!(
            "{name}: {} imported, {} skipped; import {} ms, validate+generate {} ms",
            imported.imported.len(),
            imported.skipped.len(),
            import_time.as_millis(),
            generate_time.as_millis()
        );
        for line in import::batch::skip_report(&imported) {
            let short: String = line.chars().take(300).collect();
            println!("    {short}");
        }
        if !problems.is_empty() {
            totals.failed_documents += 1;
            println!("    {} ERROR(S):", problems.len());
            for problem in problems.iter().take(10) {
                println!("      {problem}");
            }
        }
    }
    println!();
    println!(
        "{} metadata file(s) in {} ms",
        files.len(),
        started.elapsed().as_millis()
    );
    for (style, counts) in &totals.by_style {
        let all = counts.imported + counts.skipped;
        println!(
            "{style} operations: {all}, imported {} ({:.1}%), skipped {}",
            counts.imported,
            if all == 0 {
                0.0
            } else {
                100.0 * counts.imported as f64 / all as f64
            },
            counts.skipped
        );
        for (reason, count) in &counts.reasons {
            println!("    {count:>5}  {reason}");
        }
    }
    println!(
        "operations of other styles (V3, PDS, ...), skipped: {}",
        totals.other_style_skipped
    );
    println!(
        "documents that failed to import, validate or generate: {}",
        totals.failed_documents
    );
    if totals.failed_documents > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
