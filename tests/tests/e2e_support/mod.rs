//! Support shared by the end-to-end tests (`tests/tests/e2e_*.rs`): a service double that
//! speaks real HTTP/1.1 and verifies every request the way the service would, and readers
//! for the documented samples and error rows in `spec/*.yaml`.
//!
//! Each e2e test file uses a different subset of these helpers.
#![allow(dead_code)]

pub mod double;
pub mod spec;

use std::path::PathBuf;

/// The workspace root (the directory holding `Cargo.lock`, `generated/` and `spec/`).
pub fn workspace_root() -> PathBuf {
    let tests_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    tests_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(tests_dir)
}

/// The target directory of the main workspace, so that nested builds reuse its artifacts:
/// `CARGO_TARGET_DIR` when set, else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        _ => workspace_root().join("target"),
    }
}

/// The cargo binary running this test (`CARGO`), or `cargo` from `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}
