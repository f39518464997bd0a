//! The crates generated from the edge-case specs (`tests/specs/edge/`) and the public REST specs
//! (`tests/specs/rest/`, `tests/specs/public/`) are built outside the
//! workspace, next to the runtime as it is vendored, and must pass clippy with `-D warnings`,
//! rustdoc with warnings as errors, and their behaviour tests in `tests/edge/`.

/// Each edge-case crate's directory and the file in `tests/edge/` with its behaviour tests.
const CRATES: &[(&str, &str)] = &[
    ("edgecases-2024-01-01", "behaviour.rs"),
    ("roaedge-2024-01-01", "roa.rs"),
    ("restedge", "rest.rs"),
    ("petstore", "petstore.rs"),
    ("petstore-expanded", "petstore_expanded.rs"),
    ("kratos", "kratos.rs"),
    ("qdrant", "qdrant.rs"),
    ("twilio-chat-v2", "twilio_chat.rs"),
];

use std::fs;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

#[test]
fn edge_case_crates_build_without_warnings_and_behave() {
    let root = workspace();
    std::env::set_current_dir(&root).expect("workspace root");
    let specs = acsgen::collect_specs(&[
        PathBuf::from("tests/specs/edge"),
        PathBuf::from("tests/specs/rest"),
        PathBuf::from("tests/specs/public"),
    ])
    .expect("specs");
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
    assert_eq!(
        crates.len(),
        CRATES.len(),
        "every edge-case crate has behaviour tests"
    );
    let members: Vec<&str> = std::iter::once("acs-runtime")
        .chain(CRATES.iter().map(|(dir, _)| *dir))
        .collect();
    acsgen_tests::write_workspace(out, &members);

    acsgen_tests::run_cargo_offline(
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
    acsgen_tests::run_cargo_offline(out, &["doc", "-q", "--no-deps", "--workspace"]);
    // clippy has checked the examples; linking hundreds of them would only cost time and disk.
    acsgen_tests::run_cargo_offline(out, &["test", "-q", "--workspace", "--lib", "--tests"]);
    acsgen_tests::run_cargo_offline(out, &["test", "-q", "--workspace", "--doc"]);
}
