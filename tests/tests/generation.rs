//! The generator's output: `generated/` is what the generator writes for `spec/` (freshness;
//! the checked-in files are the reviewed pins of that output), a snapshot of every file of the
//! edge-case output, a reviewable snapshot of what the generator reads from each operation of
//! the real specs, and determinism.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use acsgen::emit::OutputFile;
use acsgen::ir::{Crate, Field, TypeDef, TypeRef};
use syn::ext::IdentExt;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

/// Compiles the documents under `dir` (relative to the workspace), failing on any error.
fn compile(dir: &str) -> Vec<Crate> {
    let root = workspace();
    // Headers name the spec relative to the current directory, as `acsgen generate` run from
    // the workspace root writes them.
    std::env::set_current_dir(&root).expect("workspace root");
    let specs = acsgen::collect_specs(&[PathBuf::from(dir)]).expect("spec directory");
    let (crates, diagnostics) = acsgen::compile_all(&specs);
    assert!(
        !acsgen::has_errors(&diagnostics),
        "{dir} has errors: {diagnostics:#?}"
    );
    crates
}

fn render(dir: &str) -> Vec<OutputFile> {
    acsgen::render_all(&compile(dir)).expect("rendering succeeds")
}

fn snapshot_name(path: &Path) -> String {
    path.to_string_lossy().replace(['/', '\\'], "__")
}

#[test]
fn edge_case_output_matches_its_snapshot() {
    let files = render("tests/specs/edge");
    insta::with_settings!({snapshot_path => "snapshots/edge", prepend_module_to_snapshot => false}, {
        for file in files.iter().filter(|f| !f.path.starts_with("acs-runtime")) {
            insta::assert_snapshot!(snapshot_name(&file.path), file.contents);
        }
    });
}

/// The public REST specs (`tests/specs/rest/`: the OpenAPI petstore examples) generate
/// crates whose every file is pinned.
#[test]
fn public_rest_spec_output_matches_its_snapshot() {
    let files = render("tests/specs/rest");
    insta::with_settings!({snapshot_path => "snapshots/rest", prepend_module_to_snapshot => false}, {
        for file in files.iter().filter(|f| !f.path.starts_with("acs-runtime")) {
            insta::assert_snapshot!(snapshot_name(&file.path), file.contents);
        }
    });
}

/// The larger public APIs (`tests/specs/public/`: Qdrant, Ory Identities, Twilio Chat) are
/// pinned by a manifest of every generated file (its digest and size, so that any change to
/// any file fails here), and in full for the files that show each construct: the crate root
/// and client, a tagged union, untagged unions of objects and of scalars, a multipart upload,
/// a form body with header parameters.
#[test]
fn public_api_output_is_pinned() {
    use sha2::Digest;
    let files = render("tests/specs/public");
    let shown = [
        "kratos/src/lib.rs",
        "kratos/src/types/ui_node_attributes.rs",
        "kratos/src/operation/update_login_flow.rs",
        "qdrant/src/client.rs",
        "qdrant/src/types/extended_point_id.rs",
        "qdrant/src/types/read_consistency.rs",
        "qdrant/src/types/vector_input.rs",
        "qdrant/src/operation/recover_from_uploaded_snapshot.rs",
        "twilio-chat-v2/src/operation/create_channel.rs",
    ];
    insta::with_settings!({snapshot_path => "snapshots/public", prepend_module_to_snapshot => false}, {
        for krate in ["kratos", "qdrant", "twilio-chat-v2"] {
            let manifest: String = files
                .iter()
                .filter(|f| f.path.starts_with(krate))
                .map(|f| {
                    let digest = sha2::Sha256::digest(f.contents.as_bytes());
                    format!(
                        "{} {:>6} {}\n",
                        hex::encode(&digest[..8]),
                        f.contents.lines().count(),
                        f.path.display()
                    )
                })
                .collect();
            insta::assert_snapshot!(format!("{krate}__manifest"), manifest);
        }
        for path in shown {
            let file = files
                .iter()
                .find(|f| f.path == Path::new(path))
                .unwrap_or_else(|| panic!("{path} is generated"));
            insta::assert_snapshot!(snapshot_name(&file.path), file.contents);
        }
    });
}

/// The methods the emitted code defines itself are the ones lowering keeps field setters and
/// operation methods away from (`acsgen::ir::BUILDER_METHODS`, `CLIENT_METHODS`): a method the
/// emitter adds without listing it there could clash with a generated name.
#[test]
fn emitted_methods_are_the_reserved_ones() {
    for dir in [
        "spec",
        "tests/specs/edge",
        "tests/specs/rest",
        "tests/specs/public",
    ] {
        let crates = compile(dir);
        let files = acsgen::render_all(&crates).expect("rendering succeeds");
        for krate in &crates {
            let operations: Vec<&str> = krate
                .operations
                .iter()
                .map(|op| op.method_name.as_str())
                .collect();
            let client = rendered(&files, &format!("{}/src/client.rs", krate.dir_name));
            for method in impl_methods(&client, "Client") {
                assert!(
                    operations.contains(&method.as_str())
                        || acsgen::ir::CLIENT_METHODS.contains(&method.as_str()),
                    "{}: Client::{method} is neither an operation nor in CLIENT_METHODS",
                    krate.dir_name
                );
            }
            for op in &krate.operations {
                let path = format!(
                    "{}/src/operation/{}.rs",
                    krate.dir_name,
                    op.module_name.trim_start_matches("r#")
                );
                let module = rendered(&files, &path);
                let setters: Vec<&str> = op
                    .params
                    .iter()
                    .map(|f| f.setter_name.trim_start_matches("r#"))
                    .collect();
                let methods = impl_methods(&module, &op.builder_name);
                assert!(methods.iter().any(|m| m == "build"), "{path}: no build()");
                for method in methods {
                    assert!(
                        setters.contains(&method.as_str())
                            || acsgen::ir::BUILDER_METHODS.contains(&method.as_str()),
                        "{path}: {}::{method} is neither a setter nor in BUILDER_METHODS",
                        op.builder_name
                    );
                }
            }
        }
    }
}

fn rendered(files: &[OutputFile], path: &str) -> syn::File {
    let file = files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} is generated"));
    syn::parse_file(&file.contents).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The names of the methods of every inherent `impl` of the type `name` in `file`.
fn impl_methods(file: &syn::File, name: &str) -> Vec<String> {
    let mut methods = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(ty) = &*block.self_ty else {
            continue;
        };
        if block.trait_.is_some() || !ty.path.is_ident(name) {
            continue;
        }
        for member in &block.items {
            if let syn::ImplItem::Fn(f) = member {
                methods.push(f.sig.ident.unraw().to_string());
            }
        }
    }
    methods
}

/// What the generator read from each operation, in a form to read beside the source page.
#[test]
fn loaded_operations_match_their_snapshots() {
    let crates = compile("spec");
    let mut seen = 0;
    let mut errors = 0;
    insta::with_settings!({snapshot_path => "snapshots/spec", prepend_module_to_snapshot => false}, {
        for krate in &crates {
            for op in &krate.operations {
                seen += 1;
                errors += op.errors.len();
                insta::assert_snapshot!(op.wire_name.clone(), describe(krate, op));
            }
        }
    });
    assert_eq!(seen, 5, "five operations");
    assert_eq!(errors, 37, "37 documented error codes");
}

fn describe(krate: &Crate, op: &acsgen::ir::Operation) -> String {
    let mut out = format!(
        "{} {} / {} (endpoint {:?})\nsummary: {}\n",
        op.wire_name,
        krate.product,
        krate.api_version,
        krate.endpoint,
        op.docs.summary.as_deref().unwrap_or("-")
    );
    if let Some(ram) = &op.docs.ram {
        out.push_str(&format!(
            "ram: action={:?} access-level={:?} resource={:?} arn={:?}\n",
            ram.action, ram.access_level, ram.resource_type, ram.resource_arn
        ));
    }
    if let Some((requests, seconds)) = op.docs.rate_limit {
        out.push_str(&format!("rate limit: {requests} per {seconds} s\n"));
    }
    for (date, changes) in &op.docs.change_history {
        out.push_str(&format!("change {date}: {}\n", changes.join("; ")));
    }
    out.push_str("request parameters:\n");
    for field in &op.params {
        describe_field(krate, field, 1, &mut out);
    }
    out.push_str("response fields:\n");
    for field in &op.response_fields {
        describe_field(krate, field, 1, &mut out);
    }
    out.push_str("errors:\n");
    for case in &op.errors {
        out.push_str(&format!(
            "  {} {} -> {}: {:?} / {:?}\n",
            case.http_status, case.code, case.variant_name, case.message, case.description
        ));
    }
    for (name, json) in &op.response_examples {
        out.push_str(&format!("example {name}:\n{json}\n"));
    }
    for gap in &op.docs.gaps {
        out.push_str(&format!("gap: {gap}\n"));
    }
    out
}

fn describe_field(krate: &Crate, field: &Field, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    out.push_str(&format!(
        "{indent}{} -> {}: {}{}{}{}{}\n",
        field.wire_name,
        field.rust_name,
        type_text(krate, &field.ty),
        if field.required { ", required" } else { "" },
        if field.docs.required_unknown {
            ", required unknown"
        } else {
            ""
        },
        match field.style {
            acsgen::ir::ParamStyle::Scalar => String::new(),
            style => format!(", style {style:?}"),
        },
        field
            .docs
            .example
            .as_ref()
            .map(|e| format!(", example {e:?}"))
            .unwrap_or_default(),
    ));
    if let Some(description) = &field.docs.description {
        out.push_str(&format!("{indent}  description: {description:?}\n"));
    }
    if let Some(TypeDef::Struct(s)) = find(krate, &field.ty) {
        for member in &s.fields {
            describe_field(krate, member, depth + 1, out);
        }
    }
}

fn find<'k>(krate: &'k Crate, ty: &TypeRef) -> Option<&'k TypeDef> {
    match ty {
        TypeRef::Named(path) => krate.find_type(path),
        TypeRef::List(inner) | TypeRef::Map(inner) => find(krate, inner),
        _ => None,
    }
}

fn type_text(krate: &Crate, ty: &TypeRef) -> String {
    match ty {
        TypeRef::List(inner) => format!("list of {}", type_text(krate, inner)),
        TypeRef::Map(inner) => format!("map of {}", type_text(krate, inner)),
        TypeRef::Named(path) => match krate.find_type(path) {
            Some(TypeDef::Enum(e)) => {
                let values: Vec<&str> = e.variants.iter().map(|v| v.wire_value.as_str()).collect();
                format!("enum {} [{}]", e.name, values.join(", "))
            }
            _ => format!("object {}", path.name),
        },
        other => format!("{other:?}"),
    }
}

/// Runs the `acsgen` binary from the workspace root.
fn acsgen(args: &[&str]) -> std::process::Output {
    acsgen_tests::cargo_command(&workspace())
        .args(["run", "-q", "-p", "acsgen", "--"])
        .args(args)
        .output()
        .expect("cargo runs")
}

fn read_tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let modified = fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .expect("mtime");
                let bytes = fs::read(&path).expect("readable");
                out.insert(
                    path.strip_prefix(dir).expect("inside").to_path_buf(),
                    (bytes, modified),
                );
            }
        }
    }
    out
}

#[test]
fn generated_directory_is_fresh_and_check_agrees() {
    let files = render("spec");
    let plan = acsgen::write::plan(&workspace().join("generated"), files, true).expect("plan");
    let generated = plan.unchanged.len() + plan.update.len() + plan.create.len();
    assert!(generated >= 30, "only {generated} files");
    let stale: Vec<String> = plan
        .update
        .iter()
        .chain(&plan.create)
        .map(|f| f.path.display().to_string())
        .chain(plan.remove.iter().map(|p| p.display().to_string()))
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo run -p acsgen -- generate`: {stale:?}"
    );
    let check = acsgen(&["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "acsgen check: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn check_lists_stale_missing_and_extra_files_and_writes_nothing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("generated");
    let out_arg = out.to_str().expect("utf-8 path");
    let generate = acsgen(&["generate", "--out", out_arg]);
    assert_eq!(generate.status.code(), Some(0));
    let client = out.join("cms-2019-01-01/src/client.rs");
    let readme = out.join("resourcemanager-2020-03-31/README.md");
    fs::write(&client, "// edited by hand\n").expect("write");
    fs::remove_file(&readme).expect("remove");
    fs::write(out.join("cms-2019-01-01/src/extra.rs"), "// extra\n").expect("write");
    let before = read_tree(&out);

    let check = acsgen(&["check", "--out", out_arg]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("stale") && stdout.contains("cms-2019-01-01/src/client.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing") && stdout.contains("resourcemanager-2020-03-31/README.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("extra") && stdout.contains("cms-2019-01-01/src/extra.rs"),
        "{stdout}"
    );
    assert_eq!(read_tree(&out), before, "check must not write");

    let regenerate = acsgen(&["generate", "--out", out_arg]);
    assert_eq!(regenerate.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&regenerate.stdout);
    assert!(
        stdout.contains("removed") && stdout.contains("extra.rs"),
        "{stdout}"
    );
    assert_eq!(acsgen(&["check", "--out", out_arg]).status.code(), Some(0));
}

#[test]
fn generation_is_deterministic_and_leaves_unchanged_files_untouched() {
    let first = tempfile::tempdir().expect("temp dir");
    let second = tempfile::tempdir().expect("temp dir");
    for dir in [first.path(), second.path()] {
        let plan = acsgen::write::plan(dir, render("spec"), true).expect("plan");
        acsgen::write::apply(dir, &plan).expect("apply");
    }
    let a = read_tree(first.path());
    let b = read_tree(second.path());
    assert_eq!(a.len(), b.len());
    for (path, (bytes, _)) in &a {
        assert_eq!(
            Some(bytes),
            b.get(path).map(|(bytes, _)| bytes),
            "{path:?} differs"
        );
    }

    std::thread::sleep(std::time::Duration::from_millis(20));
    let plan = acsgen::write::plan(first.path(), render("spec"), true).expect("plan");
    assert!(plan.is_clean(), "a second run would change files: {plan:?}");
    assert_eq!(plan.unchanged.len(), a.len());
    acsgen::write::apply(first.path(), &plan).expect("apply");
    assert_eq!(
        read_tree(first.path()),
        a,
        "bytes or modification times changed"
    );
}

#[test]
fn generate_with_operations_writes_only_those_and_the_types_they_use() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("sdk");
    let out_arg = out.to_str().expect("utf-8 path");
    let spec = workspace().join("tests/specs/edge/restedge.yaml");
    let spec_arg = spec.to_str().expect("utf-8 path");
    let full = acsgen(&["generate", "--spec", spec_arg, "--out", out_arg]);
    assert_eq!(full.status.code(), Some(0));
    let krate = out.join("restedge");
    assert!(krate.join("src/operation/search.rs").is_file());
    assert!(krate.join("src/types/shape.rs").is_file());

    let generate_only = |names: &str| {
        acsgen(&[
            "generate",
            "--spec",
            spec_arg,
            "--out",
            out_arg,
            "--operations",
            names,
        ])
    };
    let chosen = generate_only("addPet,ping");
    assert_eq!(
        chosen.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&chosen.stderr)
    );
    let names = |dir: &str| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(krate.join(dir))
            .expect("listed")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("src/operation"), ["add_pet.rs", "mod.rs", "ping.rs"]);
    assert_eq!(names("examples"), ["add_pet.rs", "ping.rs"]);
    // addPet's body is a Pet, which is a Cat or a Dog; nothing else is reached.
    assert_eq!(names("src/types"), ["cat.rs", "dog.rs", "mod.rs", "pet.rs"]);
    let manifest = fs::read_to_string(krate.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("all-operations = [\n    \"add_pet\",\n    \"ping\",\n]"),
        "{manifest}"
    );

    let before = read_tree(&out);
    let unknown = generate_only("addPet,addPets");
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no spec has: addPets") && !stderr.contains("addPet,"),
        "{stderr}"
    );
    assert_eq!(read_tree(&out), before, "nothing may be written");
}

/// What rustfmt (edition 2021, default configuration) makes of `source`.
fn rustfmt(source: &str) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustfmt runs (rustup component add rustfmt)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(source.as_bytes())
        .expect("rustfmt reads the file");
    let output = child.wait_with_output().expect("rustfmt finishes");
    assert!(
        output.status.success(),
        "rustfmt fails: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("rustfmt writes UTF-8")
}

/// A struct member that must be set, at each wire-name length around the points where rustfmt
/// changes how `name: Some(self.name.ok_or_else(...)?)` is broken (17 to 26 characters).
fn required_member_layouts() -> Vec<OutputFile> {
    let members: Vec<String> = (12..=21)
        .map(|n| format!("M{}", "x".repeat(n - 1)))
        .collect();
    let properties: String = members
        .iter()
        .map(|m| format!("              {m}: {{type: string, example: v}}\n"))
        .collect();
    let spec = format!(
        "openapi: 3.0.3
info:
  title: Layout API
  version: \"2024-01-01\"
  x-acs-product: Layout
  x-acs-api-version: \"2024-01-01\"
  x-acs-style: rpc
servers:
  - url: https://layout.example.com
paths:
  /?Action=SetOpts:
    post:
      operationId: SetOpts
      summary: Required members with wire names of every length around rustfmt's limits.
      parameters:
        - name: Opts
          in: query
          x-acs-style: flat
          schema:
            type: object
            required: [{}]
            properties:
{properties}      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  RequestId: {{type: string}}
",
        members.join(", ")
    );
    let (krate, diagnostics) = acsgen::compile(Path::new("layout-2024-01-01.yaml"), &spec);
    let krate = krate.unwrap_or_else(|| panic!("the layout spec compiles: {diagnostics:#?}"));
    acsgen::render_all(&[krate]).expect("rendering succeeds")
}

/// Users who vendor the crates and run `cargo fmt` over their workspace get no changes: every
/// Rust file is already in rustfmt's layout (for the specs of spec/, the edge cases, the
/// Petstore specs, and required members at every length where rustfmt's choice changes).
#[test]
fn rustfmt_leaves_generated_code_unchanged() {
    let mut files = render("spec");
    files.extend(render("tests/specs/edge"));
    files.extend(render("tests/specs/rest"));
    files.extend(required_member_layouts());
    let mut differing = Vec::new();
    let mut checked = 0;
    for file in files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
    {
        checked += 1;
        let formatted = rustfmt(&file.contents);
        if formatted != file.contents {
            let line = file
                .contents
                .lines()
                .zip(formatted.lines())
                .position(|(ours, theirs)| ours != theirs)
                .map_or(0, |i| i + 1);
            differing.push(format!("{} (from line {line})", file.path.display()));
        }
    }
    assert!(checked > 150, "only {checked} Rust files were checked");
    assert!(
        differing.is_empty(),
        "rustfmt changes {} of {checked} generated files:\n{}",
        differing.len(),
        differing.join("\n")
    );
}
