//! The `rust-version` the generated crates and the runtime declare is true: no dependency they
//! build with, as the lock file resolves it, declares a higher one. A user on the declared
//! toolchain must be able to build them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// `1.88` and `1.88.0` alike as `[1, 88, 0]`.
fn version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text.split('.').filter_map(|p| p.parse().ok()).collect();
    parts.resize(3, 0);
    parts
}

#[test]
fn no_dependency_needs_a_newer_rust_than_the_generated_crates_declare() {
    let root = acsgen_tests::workspace_root();
    let output = acsgen_tests::cargo_command(&root)
        .args(["metadata", "--offline", "--format-version", "1"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata JSON");
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("id"), p))
        .collect();
    // What each package needs to build for a user: normal and build dependencies.
    let needs: BTreeMap<&str, Vec<&str>> = metadata["resolve"]["nodes"]
        .as_array()
        .expect("resolve graph")
        .iter()
        .map(|node| {
            let deps = node["deps"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|dep| {
                    dep["dep_kinds"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|k| k["kind"].is_null() || k["kind"] == "build")
                })
                .filter_map(|dep| dep["pkg"].as_str())
                .collect();
            (node["id"].as_str().expect("id"), deps)
        })
        .collect();
    let generated: Vec<&Value> = packages
        .values()
        .copied()
        .filter(|p| {
            p["manifest_path"]
                .as_str()
                .is_some_and(|m| m.contains("/generated/"))
        })
        .collect();
    assert!(generated.len() >= 4, "the generated crates and the runtime");
    for krate in generated {
        let name = krate["name"].as_str().expect("name");
        let declared = krate["rust_version"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} declares no rust-version"));
        let mut seen = BTreeSet::new();
        let mut pending = vec![krate["id"].as_str().expect("id")];
        while let Some(id) = pending.pop() {
            if !seen.insert(id) {
                continue;
            }
            let package = packages[id];
            if let Some(needed) = package["rust_version"].as_str() {
                assert!(
                    version(needed) <= version(declared),
                    "{name} declares rust-version {declared}, but its dependency {} {} needs {needed}",
                    package["name"],
                    package["version"]
                );
            }
            pending.extend(needs.get(id).into_iter().flatten());
        }
    }
}
