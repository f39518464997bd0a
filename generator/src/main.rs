//! The `acsgen` command line: generate, check, validate and import.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use acsgen::diag::{self, Diagnostic};
use acsgen::write::{self, Plan};

// Loading and lowering allocate and free many small nodes and strings, which mimalloc does
// faster than the system allocator (a third faster when measured with the earlier, token-based
// emitter). It is built without transparent huge pages (feature `no_thp`): on a host whose
// memory is fragmented (right after a large process exits) each 2 MiB page first had to be
// compacted and zeroed by the kernel, which at 1000 operations took 0.3-1.0 s of system time
// beside 0.35 s of work; with 4 KiB pages it is 0.1 s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_t`, the same in mimalloc 2 and
/// 3; `libmimalloc-sys` does not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory in the process instead of returning it to the kernel 10 ms later. A run
/// lasts seconds and frees as it goes; returned memory that is taken again is zeroed again by
/// the kernel, in 2 MiB huge pages: at 5000 operations that was 0.3-1.4 s of system time on top
/// of 1.1 s of work. Peak memory is the same either way.
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` only stores the value; mimalloc reads it when it next purges.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Exit code: the output directory differs from what `generate` would write.
const EXIT_STALE: u8 = 1;
/// Exit code: invalid input (spec or arguments), or the output could not be written.
const EXIT_INVALID: u8 = 2;

/// Generates Rust SDK crates for Alibaba Cloud RPC APIs from OpenAPI 3 documents.
///
/// Exit codes: 0 success, 1 `check` found differences, 2 invalid input (spec or arguments) or
/// output that cannot be written.
#[derive(Parser)]
#[command(name = "acsgen", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the SDK crates for the specs into the output directory. Prints one line per file
    /// written, unchanged or removed; files whose content is unchanged are not touched.
    /// Files acsgen wrote earlier that are no longer generated are removed: within the crates
    /// being generated always, and, when the specs come from a directory, whole crates whose
    /// document is gone from it.
    Generate(Paths),
    /// Write nothing; exit 1, listing stale, missing and extra files, when the output directory
    /// differs from what `generate` would write.
    Check(Paths),
    /// Report errors and warnings in specs, and generate nothing.
    Validate {
        /// Spec files or directories of specs.
        #[arg(required = true)]
        specs: Vec<PathBuf>,
    },
    /// Write an OpenAPI document per product version (`<product>-<version>.yaml`) from
    /// Alibaba Cloud's API metadata (`api-docs.json`). Operations acsgen cannot generate yet
    /// are skipped with a warning that names each and says why. Files whose content is
    /// unchanged are not touched; on any error nothing is written.
    Import {
        /// Metadata files (`api-docs.json`), or directories to search for `.json` files.
        #[arg(required = true, value_name = "METADATA.json")]
        metadata: Vec<PathBuf>,
        /// The output directory.
        #[arg(long, value_name = "DIR", default_value = "spec")]
        out: PathBuf,
        /// Import only these operations (Action names, comma-separated).
        #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
        operations: Vec<String>,
    },
    /// Report what changed in the API from OLD to NEW, and for each change whether code that
    /// uses the generated crate breaks: `breaking` (it no longer compiles), `runtime` (it
    /// compiles, but calls that worked can fail), or `compatible`. Each side is a spec file,
    /// a directory of specs, or Alibaba metadata (`api-docs.json`). Exit codes: 0 done,
    /// 1 something breaks (with `--fail-on-breaking`), 2 invalid input.
    Diff(DiffArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// The old API: a spec file, a spec directory or a metadata file. With `--git`, omit it.
    #[arg(value_name = "OLD")]
    old: Option<PathBuf>,
    /// The new API. Default with `--git`: `spec`.
    #[arg(value_name = "NEW")]
    new: Option<PathBuf>,
    /// Take the old API from `spec/` (or the directory or file given as NEW) at this git
    /// revision.
    #[arg(long, value_name = "REV")]
    git: Option<String>,
    /// `text` for people, `json` for tools (schema `acsgen-diff/1`, see the README).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit 1 when a change is `breaking` or `runtime`.
    #[arg(long)]
    fail_on_breaking: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Args)]
struct Paths {
    /// A spec file or a directory of specs; repeatable. Default: `spec`.
    #[arg(long = "spec", value_name = "PATH")]
    specs: Vec<PathBuf>,
    /// The output directory.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,
    /// Generate only these operations (wire names, comma-separated) and the types they use;
    /// crates with none of them are left as they are.
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    operations: Vec<String>,
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_INVALID)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Generate(paths) => generate(&paths, false),
        Command::Check(paths) => generate(&paths, true),
        Command::Validate { specs } => validate(&specs),
        Command::Import {
            metadata,
            out,
            operations,
        } => import(&metadata, &out, &operations),
        Command::Diff(args) => diff(&args),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    eprint!("{}", diag::render(diagnostics, color, &read));
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    format!("{errors} error(s), {warnings} warning(s)")
}

fn validate(inputs: &[PathBuf]) -> ExitCode {
    let specs = match acsgen::collect_specs(inputs) {
        Ok(specs) => specs,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let (_, diagnostics) = acsgen::compile_all(&specs);
    print_diagnostics(&diagnostics);
    eprintln!("acsgen: {} spec(s): {}", specs.len(), summary(&diagnostics));
    if acsgen::has_errors(&diagnostics) {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    }
}

fn generate(paths: &Paths, check_only: bool) -> ExitCode {
    let started = Instant::now();
    let (inputs, prune) = if paths.specs.is_empty() {
        (vec![PathBuf::from("spec")], true)
    } else {
        let any_dir = paths.specs.iter().any(|p| p.is_dir());
        (paths.specs.clone(), any_dir)
    };
    let specs = match acsgen::collect_specs(&inputs) {
        Ok(specs) => specs,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let (mut crates, diagnostics) = acsgen::compile_all(&specs);
    print_diagnostics(&diagnostics);
    if acsgen::has_errors(&diagnostics) {
        eprintln!(
            "acsgen: {}; nothing written to {}",
            summary(&diagnostics),
            paths.out.display()
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let prune = if paths.operations.is_empty() {
        prune
    } else {
        let unknown = acsgen::select_operations(&mut crates, &paths.operations);
        if !unknown.is_empty() {
            eprintln!(
                "error: --operations names operations no spec has: {}",
                unknown.join(", ")
            );
            eprintln!("acsgen: nothing written to {}", paths.out.display());
            return ExitCode::from(EXIT_INVALID);
        }
        // Crates with none of the chosen operations are not generated, and stay as they are.
        false
    };
    let files = match acsgen::render_all(&crates) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("error: {}: {}", err.path.display(), err.message);
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let file_count = files.len();
    if let Some(file) = paths.out.ancestors().find(|a| a.is_file()) {
        if file == paths.out {
            eprintln!(
                "error: the output path {} exists and is not a directory",
                paths.out.display()
            );
        } else {
            eprintln!(
                "error: the output directory {} cannot be created: {} is a file, not a directory",
                paths.out.display(),
                file.display()
            );
        }
        eprintln!("help: pass a directory with --out");
        return ExitCode::from(EXIT_INVALID);
    }
    let plan = match write::plan(&paths.out, files, prune) {
        Ok(plan) => plan,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let operations: usize = crates.iter().map(|c| c.operations.len()).sum();
    if check_only {
        return report_check(&paths.out, &plan);
    }
    let api_changes = api_changes(&paths.out, &crates, &plan);
    if let Err(err) = write::apply(&paths.out, &plan) {
        eprintln!("error: {err}");
        eprintln!("acsgen: nothing was changed in {}", paths.out.display());
        return ExitCode::from(EXIT_INVALID);
    }
    report_generate(&paths.out, &plan);
    for line in api_changes {
        println!("{line}");
    }
    println!(
        "acsgen: {} spec(s), {} operation(s) -> {} file(s) in {}: {} written, {} unchanged, {} removed ({} ms)",
        specs.len(),
        operations,
        file_count,
        paths.out.display(),
        plan.create.len() + plan.update.len(),
        plan.unchanged.len(),
        plan.remove.len(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

/// For each crate the plan rewrites, a short summary of the API changes since it was last
/// generated (as git records it): counts by verdict and the breaking changes.
fn api_changes(out: &Path, crates: &[acsgen::ir::Crate], plan: &Plan) -> Vec<String> {
    use acsgen::diff;
    let rewritten = |krate: &acsgen::ir::Crate| {
        plan.update
            .iter()
            .map(|f| &f.path)
            .chain(&plan.remove)
            .any(|path| path.starts_with(&krate.dir_name))
    };
    let mut lines = Vec::new();
    for krate in crates.iter().filter(|k| rewritten(k)) {
        let Some((rev, old)) = diff::last_generated_from(krate, out) else {
            continue;
        };
        let changes = diff::compare(&old, krate);
        if changes.is_empty() {
            continue;
        }
        lines.push(format!(
            "api changes in {} since {rev}: {}",
            krate.lib_name,
            diff::report::summary_line(&changes)
        ));
        for change in changes.iter().filter(|c| c.verdict.breaks_users()) {
            lines.push(format!(
                "  {}: {}{}",
                change.verdict.as_str(),
                change
                    .operation
                    .as_ref()
                    .map_or_else(String::new, |op| format!("{op}: ")),
                diff::report::headline(change)
            ));
        }
        lines.push(format!(
            "  full report: acsgen diff --git {rev} {}",
            krate.source_file
        ));
    }
    lines
}

fn import(metadata: &[PathBuf], out: &Path, operations: &[String]) -> ExitCode {
    let started = Instant::now();
    let batch = match acsgen::import::batch::import_all(metadata, operations) {
        Ok(batch) => batch,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "acsgen: {} error(s); nothing written to {}",
                diagnostics.len(),
                out.display()
            );
            return ExitCode::from(EXIT_INVALID);
        }
    };
    for (path, document) in &batch.documents {
        for line in acsgen::import::batch::skip_report(document) {
            eprintln!("warning: {}: {line}", path.display());
        }
        if document.text.is_none() {
            eprintln!(
                "warning: {}: no operation imported; {} not written",
                path.display(),
                document.file_name
            );
        }
    }
    if let Some(file) = out.ancestors().find(|a| a.is_file()) {
        eprintln!(
            "error: the output directory {} cannot be created: {} is a file",
            out.display(),
            file.display()
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let plan = match write::plan(out, batch.files, false) {
        Ok(plan) => plan,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    if let Err(err) = write::apply(out, &plan) {
        eprintln!("error: {err}");
        eprintln!("acsgen: nothing was changed in {}", out.display());
        return ExitCode::from(EXIT_INVALID);
    }
    report_generate(out, &plan);
    let imported: usize = batch.documents.iter().map(|(_, d)| d.imported.len()).sum();
    let skipped: usize = batch.documents.iter().map(|(_, d)| d.skipped.len()).sum();
    println!(
        "acsgen: {} metadata file(s): {imported} operation(s) imported, {skipped} skipped -> {} written, {} unchanged in {} ({} ms)",
        batch.documents.len(),
        plan.create.len() + plan.update.len(),
        plan.unchanged.len(),
        out.display(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

fn diff(args: &DiffArgs) -> ExitCode {
    use acsgen::diff;
    let (old, new) = match (&args.git, &args.old, &args.new) {
        (Some(rev), dir, None) => {
            let dir = dir.clone().unwrap_or_else(|| PathBuf::from("spec"));
            (diff::read_git_side(rev, &dir), diff::read_side(&dir))
        }
        (None, Some(old), Some(new)) => (diff::read_side(old), diff::read_side(new)),
        (Some(_), _, Some(_)) => {
            eprintln!("error: with --git, give at most one path: the new API (default `spec`)");
            return ExitCode::from(EXIT_INVALID);
        }
        (None, _, _) => {
            eprintln!("error: give OLD and NEW, or --git REV");
            eprintln!("help: acsgen diff old.yaml new.yaml, or acsgen diff --git HEAD~1");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let ((old, old_found), (new, new_found)) = (old, new);
    print_diagnostics(&old_found);
    print_diagnostics(&new_found);
    let (Some(old), Some(new)) = (old, new) else {
        eprintln!("acsgen: the specs have errors; nothing compared");
        return ExitCode::from(EXIT_INVALID);
    };
    let changes = diff::compare_sides(&old, &new);
    match args.format {
        Format::Text => print!("{}", diff::report::text(&old.label, &new.label, &changes)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&diff::report::json(&old.label, &new.label, &changes))
                .expect("a JSON value serializes")
        ),
    }
    if args.fail_on_breaking && changes.iter().any(|c| c.verdict.breaks_users()) {
        return ExitCode::from(EXIT_STALE);
    }
    ExitCode::SUCCESS
}

fn report_generate(out: &Path, plan: &Plan) {
    let mut lines: Vec<(PathBuf, &str)> = Vec::new();
    lines.extend(plan.create.iter().map(|f| (f.path.clone(), "written")));
    lines.extend(plan.update.iter().map(|f| (f.path.clone(), "written")));
    lines.extend(plan.unchanged.iter().map(|p| (p.clone(), "unchanged")));
    lines.extend(plan.remove.iter().map(|p| (p.clone(), "removed")));
    lines.sort();
    for (path, what) in lines {
        println!("{what:>9}  {}", out.join(path).display());
    }
}

fn report_check(out: &Path, plan: &Plan) -> ExitCode {
    if plan.is_clean() {
        println!(
            "acsgen: {} is up to date ({} files)",
            out.display(),
            plan.unchanged.len()
        );
        return ExitCode::SUCCESS;
    }
    for file in &plan.update {
        println!("stale    {}", out.join(&file.path).display());
    }
    for file in &plan.create {
        println!("missing  {}", out.join(&file.path).display());
    }
    for path in &plan.remove {
        println!("extra    {}", out.join(path).display());
    }
    eprintln!(
        "acsgen: {} differs from the specs ({} stale, {} missing, {} extra); run `cargo run -p acsgen -- generate`",
        out.display(),
        plan.update.len(),
        plan.create.len(),
        plan.remove.len()
    );
    ExitCode::from(EXIT_STALE)
}
