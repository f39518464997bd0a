//! End to end: a generated crate and the runtime, copied out of this workspace on their own,
//! build offline with nothing but the workspace's lock file.

mod e2e_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use acsgen_tests::{cargo_command, workspace_root};

/// A temporary directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temporary directory");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a crate directory, leaving out build output.
fn copy_crate(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("directory entry");
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type().expect("file type");
        if file_type.is_dir() {
            copy_crate(&path, &to.join(&name));
        } else if file_type.is_file() {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

/// `name version` of every package in a lock file.
fn locked_versions(lock: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let Some(v) = line.strip_prefix("version = ") {
            if let Some(n) = name.take() {
                out.insert(format!("{n} {}", v.trim_matches('"')));
            }
        }
    }
    out
}

#[test]
fn cms_crate_and_runtime_build_offline_outside_the_workspace() {
    let root = workspace_root();
    let scratch = TempDir::new("acsgen-e2e-vendor");
    let dir = &scratch.0;
    assert!(
        !dir.starts_with(&root),
        "the copy must live outside the workspace"
    );

    copy_crate(
        &root.join("generated/acs-runtime"),
        &dir.join("acs-runtime"),
    );
    copy_crate(
        &root.join("generated/cms-2019-01-01"),
        &dir.join("cms-2019-01-01"),
    );
    let workspace_lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
    std::fs::write(dir.join("Cargo.lock"), &workspace_lock).expect("write Cargo.lock");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"acs-runtime\", \"cms-2019-01-01\"]\n",
    )
    .expect("write Cargo.toml");

    // The copied manifests must not reach back into the workspace.
    for manifest in ["acs-runtime/Cargo.toml", "cms-2019-01-01/Cargo.toml"] {
        let text = std::fs::read_to_string(dir.join(manifest)).expect("manifest");
        assert!(
            !text.contains("workspace = true") && !text.contains("../../"),
            "{manifest} depends on the workspace it came from:\n{text}"
        );
    }

    let started = Instant::now();
    let output = cargo_command(dir)
        .args(["build", "--offline", "-p", "acs-cms-20190101"])
        .output()
        .expect("run cargo");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "vendored build failed ({:?}) after {elapsed:?}:\n{stderr}",
        output.status
    );
    assert!(stderr.contains("Compiling acs-cms-20190101") || stderr.contains("Finished"));

    // The build resolved nothing new: every package it locked is the workspace's version.
    let vendored_lock =
        std::fs::read_to_string(dir.join("Cargo.lock")).expect("lock after the build");
    let workspace = locked_versions(&workspace_lock);
    let vendored = locked_versions(&vendored_lock);
    for crate_name in ["acs-cms-20190101 ", "acs-runtime ", "reqwest "] {
        assert!(
            vendored.iter().any(|p| p.starts_with(crate_name)),
            "{crate_name}missing from the vendored lock"
        );
    }
    for package in &vendored {
        assert!(
            workspace.contains(package),
            "{package} was resolved anew, not taken from the workspace lock"
        );
    }
    eprintln!("vendored build took {elapsed:?}\n{stderr}");

    endpoint_overrides_name_the_product_through_its_crate(dir);
}

/// A user crate of the vendored workspace, depending on the CMS crate; built with `cargo
/// build`, so that it reuses what the vendored build compiled.
fn build_user(dir: &Path, name: &str, main: &str) -> (bool, String) {
    let crate_dir = dir.join("users").join(name);
    std::fs::create_dir_all(crate_dir.join("src")).expect("user crate directory");
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nacs-cms-20190101 = {{ path = \"../../cms-2019-01-01\" }}\n"
        ),
    )
    .expect("user manifest");
    std::fs::write(crate_dir.join("src/main.rs"), main).expect("user main.rs");
    let output = cargo_command(dir)
        .args(["build", "--offline", "-p", name])
        .output()
        .expect("run cargo");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The product of an endpoint override is named by its crate's `SERVICE`: that compiles; a
/// product named by a string, a misspelt `SERVICE`, or a product whose crate the user does not
/// depend on does not.
fn endpoint_overrides_name_the_product_through_its_crate(dir: &Path) {
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"acs-runtime\", \"cms-2019-01-01\", \"users/*\"]\n",
    )
    .expect("write Cargo.toml");
    let program = |override_line: &str| {
        format!(
            "use acs_cms_20190101::{{Client, Config, Credentials}};\n\n\
             fn main() {{\n    let config = Config::new(Credentials::new(\"id\", \"secret\"))\n        \
             {override_line};\n    let _client = Client::new(&config);\n}}\n"
        )
    };
    let (built, stderr) = build_user(
        dir,
        "endpoint-by-service",
        &program(".with_endpoint(&acs_cms_20190101::SERVICE, \"http://127.0.0.1:8080\")"),
    );
    assert!(
        built,
        "naming the product by its crate must compile:\n{stderr}"
    );
    for (name, line, expected) in [
        (
            "endpoint-by-string",
            ".with_endpoint(\"Cms\", \"http://127.0.0.1:8080\")",
            "error[E0308]: mismatched types",
        ),
        (
            "endpoint-misspelt",
            ".with_endpoint(&acs_cms_20190101::SERVCE, \"http://127.0.0.1:8080\")",
            "error[E0425]: cannot find value `SERVCE` in crate `acs_cms_20190101`",
        ),
        (
            "endpoint-other-product",
            ".with_endpoint(&acs_ecs_20140526::SERVICE, \"http://127.0.0.1:8080\")",
            "acs_ecs_20140526",
        ),
    ] {
        let (built, stderr) = build_user(dir, name, &program(line));
        assert!(!built, "{name} must not compile");
        assert!(
            stderr.contains(expected),
            "{name}: expected {expected:?} in:\n{stderr}"
        );
    }
}
