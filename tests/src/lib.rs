//! Test support shared by the integration tests in `tests/tests/`: where the workspace is,
//! and how to run a nested `cargo` without disturbing the shared build.

pub mod fuzz;
pub mod oracle;
pub mod synthetic;

use std::path::PathBuf;

/// The workspace root (the directory holding `Cargo.lock`, `generated/` and `spec/`).
pub fn workspace_root() -> PathBuf {
    let tests_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    tests_dir.parent().map(PathBuf::from).unwrap_or(tests_dir)
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

/// Environment variables cargo sets for the test process itself. A nested cargo must not
/// inherit them: build scripts that track one (ring tracks `CARGO_PKG_NAME`) would then see a
/// different value than in a plain build and rebuild, in the shared target directory, both
/// here and in the next plain build.
fn set_by_cargo_for_this_test(name: &str) -> bool {
    const PREFIXES: [&str; 5] = [
        "CARGO_PKG_",
        "CARGO_MANIFEST_",
        "CARGO_CRATE_",
        "CARGO_BIN_",
        "CARGO_TARGET_TMPDIR",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p))
        || name == "CARGO_PRIMARY_PACKAGE"
        || name == "CARGO_RUSTC_CURRENT_DIR"
}

/// A `cargo` command in `dir`, building into the main workspace's target directory, with the
/// environment of a plain build.
pub fn cargo_command(dir: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(cargo());
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir());
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_by_cargo_for_this_test) {
            command.env_remove(name);
        }
    }
    command
}
