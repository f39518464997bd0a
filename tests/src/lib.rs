//! Test support shared by the integration tests in `tests/tests/`: where the workspace is,
//! and how to run a nested `cargo` without disturbing the shared build.

pub mod api_user;
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

/// The `acsgen` executable of this workspace, built once per test process.
pub fn acsgen_binary() -> &'static std::path::Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let output = cargo_command(&workspace_root())
            .args(["build", "-q", "-p", "acsgen", "--bin", "acsgen"])
            .arg("--message-format=json-render-diagnostics")
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "cargo build -p acsgen failed");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "acsgen")
            .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
            .next_back()
            .expect("cargo reports the acsgen executable")
    })
}

/// Makes `dir` a workspace of `members` (directories inside it) with the main workspace's
/// lock file, so that a nested `cargo --offline` resolves exactly what the workspace built.
pub fn write_workspace(dir: &std::path::Path, members: &[&str]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
}

/// Runs `cargo --offline ARGS` in `dir` (rustdoc warnings are errors) and fails the test with
/// cargo's output when it fails.
pub fn run_cargo_offline(dir: &std::path::Path, args: &[&str]) {
    let output = cargo_command(dir)
        .arg("--offline")
        .args(args)
        .env("RUSTDOCFLAGS", "-Dwarnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
