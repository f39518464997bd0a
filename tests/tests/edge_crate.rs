//! The crate generated from the edge-case spec (`tests/specs/edge/`) is built outside the
//! workspace, next to the runtime as it is vendored, and must pass clippy with `-D warnings`,
//! rustdoc with warnings as errors, and the behaviour tests in `tests/edge/behaviour.rs`.

use std::fs;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn cargo(dir: &Path, args: &[&str]) {
    // Shares already-built dependencies with the workspace.
    let output = acsgen_tests::cargo_command(dir)
        .arg("--offline")
        .args(args)
        .env("RUSTDOCFLAGS", "-Dwarnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn edge_case_crate_builds_without_warnings_and_behaves() {
    let root = workspace();
    std::env::set_current_dir(&root).expect("workspace root");
    let specs = acsgen::collect_specs(&[PathBuf::from("tests/specs/edge")]).expect("specs");
    let (crates, diagnostics) = acsgen::compile_all(&specs);
    assert!(!acsgen::has_errors(&diagnostics), "{diagnostics:#?}");
    let files = acsgen::render_all(&crates).expect("renders");

    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path();
    let plan = acsgen::write::plan(out, files, false).expect("plan");
    acsgen::write::apply(out, &plan).expect("write");
    let krate = out.join("edgecases-2024-01-01");
    fs::create_dir_all(krate.join("tests")).expect("tests dir");
    fs::copy(
        root.join("tests/edge/behaviour.rs"),
        krate.join("tests/behaviour.rs"),
    )
    .expect("copy behaviour tests");
    fs::write(
        out.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"acs-runtime\", \"edgecases-2024-01-01\"]\n",
    )
    .expect("workspace manifest");
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");

    cargo(
        out,
        &[
            "clippy",
            "-q",
            "-p",
            "acs-edgecases-20240101",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(
        out,
        &["doc", "-q", "--no-deps", "-p", "acs-edgecases-20240101"],
    );
    cargo(out, &["test", "-q", "-p", "acs-edgecases-20240101"]);
}
