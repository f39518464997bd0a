//! The crates generated from the edge-case specs (`tests/specs/edge/`) are built outside the
//! workspace, next to the runtime as it is vendored, and must pass clippy with `-D warnings`,
//! rustdoc with warnings as errors, and their behaviour tests in `tests/edge/`.

/// Each edge-case crate's directory and the file in `tests/edge/` with its behaviour tests.
const CRATES: &[(&str, &str)] = &[
    ("edgecases-2024-01-01", "behaviour.rs"),
    ("roaedge-2024-01-01", "roa.rs"),
];

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
fn edge_case_crates_build_without_warnings_and_behave() {
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
    for (dir, tests) in CRATES {
        let krate = out.join(dir);
        fs::create_dir_all(krate.join("tests")).expect("tests dir");
        fs::copy(
            root.join("tests/edge").join(tests),
            krate.join("tests").join(tests),
        )
        .expect("copy behaviour tests");
    }
    let members: Vec<String> = std::iter::once("acs-runtime")
        .chain(CRATES.iter().map(|(dir, _)| *dir))
        .map(|m| format!("{m:?}"))
        .collect();
    assert_eq!(
        crates.len(),
        CRATES.len(),
        "every edge-case crate has behaviour tests"
    );
    fs::write(
        out.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");

    cargo(
        out,
        &[
            "clippy",
            "-q",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(out, &["doc", "-q", "--no-deps", "--workspace"]);
    cargo(out, &["test", "-q", "--workspace"]);
}
