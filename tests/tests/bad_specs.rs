//! Bad input: one small spec per problem in `tests/specs/bad/`. Each problem must be reported
//! as an error that says what is wrong in plain words, how to fix it, and where: the line and
//! column of the offending node and its JSON path. A run reports every problem, not the first;
//! warnings never block generation; and a run with any error exits 2 and leaves the output
//! directory exactly as it was.
//!
//! The `acsgen` binary is built once with `cargo build -p acsgen --message-format=json`; its path
//! is taken from Cargo's own report of the executable, so it works with any target directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use acsgen::diag::{Diagnostic, Severity};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

/// `tests/specs/bad/<name>`, relative to the workspace root (the binary runs from there).
fn relative(name: &str) -> String {
    format!("tests/specs/bad/{name}")
}

fn bad(name: &str) -> PathBuf {
    workspace().join(relative(name))
}

/// Every case in `tests/specs/bad/`: files and directories, in name order.
fn bad_entries() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(workspace().join("tests/specs/bad"))
        .expect("tests/specs/bad exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn compile_text(path: &Path, text: &str) -> (Option<acsgen::ir::Crate>, Vec<Diagnostic>) {
    acsgen::compile(path, text)
}

fn diagnose(name: &str) -> (Option<acsgen::ir::Crate>, Vec<Diagnostic>) {
    let path = PathBuf::from(relative(name));
    let text = fs::read_to_string(bad(name)).expect("the spec is readable");
    compile_text(&path, &text)
}

fn of(diagnostics: &[Diagnostic], severity: Severity) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .collect()
}

fn listing(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}\n")).collect()
}

/// What one error must say, and where it must point.
struct Expected<'a> {
    line: usize,
    column: usize,
    path: &'a str,
    /// Fragments the message contains.
    message: &'a [&'a str],
    /// Fragments the help contains.
    help: &'a [&'a str],
}

fn check(diagnostic: &Diagnostic, expected: &Expected) {
    assert_eq!(
        (
            diagnostic.location.line,
            diagnostic.location.column,
            diagnostic.location.path.as_str()
        ),
        (expected.line, expected.column, expected.path),
        "location of: {diagnostic}"
    );
    for fragment in expected.message {
        assert!(
            diagnostic.message.contains(fragment),
            "the message lacks {fragment:?}: {diagnostic}"
        );
    }
    let help = diagnostic
        .help
        .as_deref()
        .unwrap_or_else(|| panic!("no help given: {diagnostic}"));
    for fragment in expected.help {
        assert!(
            help.contains(fragment),
            "the help lacks {fragment:?}: {diagnostic}"
        );
    }
}

/// Compiles `tests/specs/bad/<name>` and checks it yields exactly one error, as expected, and
/// no crate.
fn single_error(name: &str, expected: Expected) {
    let (krate, diagnostics) = diagnose(name);
    assert!(krate.is_none(), "{name}: a crate despite errors");
    let errors = of(&diagnostics, Severity::Error);
    assert_eq!(
        errors.len(),
        1,
        "{name}: one error expected, got:\n{}",
        listing(&diagnostics)
    );
    assert_eq!(errors[0].file, PathBuf::from(relative(name)));
    check(errors[0], &expected);
}

// ---------------------------------------------------------------------------------------------
// Not a document acsgen can read

#[test]
fn invalid_yaml() {
    single_error(
        "invalid-yaml.yaml",
        Expected {
            line: 15,
            column: 47,
            path: "$",
            message: &["invalid YAML: mapping values are not allowed in this context"],
            help: &["a plain value cannot contain `: `; quote it"],
        },
    );
}

#[test]
fn invalid_json() {
    single_error(
        "invalid-json.json",
        Expected {
            line: 6,
            column: 5,
            path: "$",
            message: &["invalid JSON: ", "did not find expected ',' or '}'"],
            help: &["separate the members of an object with `,`"],
        },
    );
}

#[test]
fn swagger_2_document() {
    single_error(
        "swagger-2.yaml",
        Expected {
            line: 1,
            column: 10,
            path: "$.swagger",
            message: &["this is a Swagger 2.0 document, not OpenAPI 3"],
            help: &["convert it to OpenAPI 3", "`openapi: 3.0.3`"],
        },
    );
}

#[test]
fn plain_yaml_mapping_is_not_openapi() {
    single_error(
        "not-openapi.yaml",
        Expected {
            line: 1,
            column: 1,
            path: "$",
            message: &["not an OpenAPI 3 document: it has no `openapi` field"],
            help: &["starts with `openapi: 3.0.3`"],
        },
    );
}

#[test]
fn duplicate_key() {
    // The parser stops at the duplicate, so the path is that of the document.
    single_error(
        "duplicate-key.yaml",
        Expected {
            line: 16,
            column: 7,
            path: "$",
            message: &["the key `summary` appears twice in one mapping (first at line 15)"],
            help: &["keep one of them"],
        },
    );
}

#[test]
fn nodes_of_the_wrong_kind_are_all_reported_in_file_order() {
    let (krate, diagnostics) = diagnose("wrong-shape.yaml");
    assert!(krate.is_none());
    let errors = of(&diagnostics, Severity::Error);
    assert_eq!(errors.len(), 3, "{}", listing(&diagnostics));
    let operation = r#"$.paths["/?Action=DescribeThing"].post"#;
    check(
        errors[0],
        &Expected {
            line: 15,
            column: 19,
            path: &format!(r#"{operation}["x-acs-gaps"]"#),
            message: &["`x-acs-gaps` must be a list, but it is `The page prints no description.`"],
            help: &["`- item` lines"],
        },
    );
    check(
        errors[1],
        &Expected {
            line: 19,
            column: 21,
            path: &format!("{operation}.parameters[0].required"),
            message: &["`required` must be `true` or `false`, but it is `yes`"],
            help: &["`required: true` or `required: false`, without quotes"],
        },
    );
    check(
        errors[2],
        &Expected {
            line: 31,
            column: 19,
            path: &format!(
                r#"{operation}.responses["200"].content["application/json"].schema.properties"#
            ),
            message: &["`properties` must be a mapping, but it is a list"],
            help: &["`key: value` lines"],
        },
    );
}

#[test]
fn empty_file() {
    // Line and column 0: the problem is the whole file.
    single_error(
        "empty.yaml",
        Expected {
            line: 0,
            column: 0,
            path: "$",
            message: &["the file is empty"],
            help: &["`openapi: 3.0.3`"],
        },
    );
}

#[test]
fn spec_directory_without_documents() {
    let dir = bad("empty-dir");
    let diagnostics = acsgen::collect_specs(std::slice::from_ref(&dir)).expect_err("no documents");
    assert_eq!(diagnostics.len(), 1, "{}", listing(&diagnostics));
    assert_eq!(diagnostics[0].severity, Severity::Error);
    assert_eq!(diagnostics[0].file, dir);
    check(
        &diagnostics[0],
        &Expected {
            line: 0,
            column: 0,
            path: "$",
            message: &["the spec directory holds no documents"],
            help: &["`.yaml`, `.yml` or `.json`"],
        },
    );
}

// ---------------------------------------------------------------------------------------------
// References

#[test]
fn schema_ref_points_nowhere() {
    single_error(
        "ref-schema-missing.yaml",
        Expected {
            line: 20,
            column: 19,
            path: r#"$.paths["/?Action=DescribeThing"].post.parameters[0].schema["$ref"]"#,
            message: &[
                "`$ref: '#/components/schemas/ThingTyp'` points nowhere: there is no schema `ThingTyp` in `components.schemas`",
            ],
            help: &["did you mean `#/components/schemas/ThingType`?"],
        },
    );
}

#[test]
fn parameter_ref_points_nowhere() {
    single_error(
        "ref-parameter-missing.yaml",
        Expected {
            line: 16,
            column: 17,
            path: r#"$.paths["/?Action=DescribeThing"].post.parameters[0]["$ref"]"#,
            message: &[
                "`$ref: '#/components/parameters/PageSize'` points nowhere: there is no parameter `PageSize` in `components.parameters`",
            ],
            help: &["define `PageSize` under `components.parameters`"],
        },
    );
}

#[test]
fn response_ref_points_nowhere() {
    single_error(
        "ref-response-missing.yaml",
        Expected {
            line: 32,
            column: 17,
            path: r#"$.paths["/?Action=DescribeThing"].post.responses["400"]["$ref"]"#,
            message: &[
                "`$ref: '#/components/responses/Error'` points nowhere: there is no response `Error` in `components.responses`",
            ],
            help: &["define `Error` under `components.responses`"],
        },
    );
}

#[test]
fn ref_cycle_without_an_array_is_reported_once() {
    single_error(
        "ref-cycle.yaml",
        Expected {
            line: 48,
            column: 17,
            path: r#"$.components.schemas.Owner.properties.HomeFolder["$ref"]"#,
            message: &[
                "schema `Folder` contains itself (Folder.Owner → Owner.HomeFolder → Folder)",
                "infinitely large",
            ],
            help: &["make `Owner.HomeFolder` an array", "or remove the property"],
        },
    );
}

#[test]
fn ref_cycle_through_an_array_is_accepted() {
    // The same schemas, with the loop going through lists: `Folder.Children` is a list of
    // `Folder`, `Owner.HomeFolders` a list of `Folder`.
    let text = fs::read_to_string(bad("ref-cycle.yaml"))
        .expect("readable")
        .replace(
            "        HomeFolder:\n          $ref: '#/components/schemas/Folder'\n",
            "        HomeFolders:\n          type: array\n          items:\n            $ref: '#/components/schemas/Folder'\n",
        )
        .replace(
            "        Owner:\n          $ref: '#/components/schemas/Owner'\n",
            "        Children:\n          type: array\n          items:\n            $ref: '#/components/schemas/Folder'\n        Owner:\n          $ref: '#/components/schemas/Owner'\n",
        );
    assert!(text.contains("HomeFolders:") && text.contains("Children:"));
    let (krate, diagnostics) = compile_text(Path::new("folders.yaml"), &text);
    assert!(diagnostics.is_empty(), "{}", listing(&diagnostics));
    let krate = krate.expect("a crate");
    let names: Vec<&str> = krate.types.iter().map(|t| t.name()).collect();
    assert!(
        names.contains(&"Folder") && names.contains(&"Owner"),
        "{names:?}"
    );
    acsgen::render_all(&[krate]).expect("the crate renders");
}

// ---------------------------------------------------------------------------------------------
// Operations and names

#[test]
fn missing_operation_id() {
    single_error(
        "operation-id-missing.yaml",
        Expected {
            line: 14,
            column: 7,
            path: r#"$.paths["/?Action=DescribeThing"].post"#,
            message: &["the operation `POST /?Action=DescribeThing` has no `operationId`"],
            help: &["add `operationId: DescribeThing`"],
        },
    );
}

#[test]
fn duplicate_operation_id() {
    single_error(
        "operation-id-duplicate.yaml",
        Expected {
            line: 33,
            column: 20,
            path: r#"$.paths["/"].post.operationId"#,
            message: &["duplicate operationId `DescribeThing` (first defined at line 14)"],
            help: &["each operation needs its own operationId"],
        },
    );
}

#[test]
fn parameters_that_become_the_same_rust_field() {
    single_error(
        "names-collide-parameters.yaml",
        Expected {
            line: 21,
            column: 17,
            path: r#"$.paths["/?Action=PutContact"].post.parameters[1].name"#,
            message: &[
                "`ContactName`",
                "`contact_name`",
                "Rust field `contact_name`",
            ],
            help: &["`x-rust-name`"],
        },
    );
}

#[test]
fn a_name_collision_is_reported_in_the_same_run_as_a_validation_error() {
    let path = bad("names-collide-with-a-missing-ref.yaml");
    let text = fs::read_to_string(&path).expect("spec");
    let (krate, diagnostics) = acsgen::compile(&path, &text);
    assert!(krate.is_none());
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages[0].contains("points nowhere"), "{messages:#?}");
    assert!(
        messages[1].contains("Rust field `contact_name`"),
        "{messages:#?}"
    );
}

#[test]
fn product_code_that_cannot_name_a_crate() {
    single_error(
        "product-code-invalid.yaml",
        Expected {
            line: 5,
            column: 18,
            path: r#"$.info["x-acs-product"]"#,
            message: &["product code `Demo\" evil`", "ASCII letters and digits"],
            help: &["they name the crate"],
        },
    );
}

#[test]
fn operations_that_become_the_same_rust_module() {
    single_error(
        "names-collide-operations.yaml",
        Expected {
            line: 33,
            column: 20,
            path: r#"$.paths["/?Action=getThing"].post.operationId"#,
            message: &["`GetThing`", "`getThing`", "`get_thing`"],
            help: &["`x-rust-name`"],
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Types, enums and wire styles

#[test]
fn enum_with_a_duplicate_value() {
    single_error(
        "enum-duplicate.yaml",
        Expected {
            line: 24,
            column: 17,
            path: r#"$.paths["/?Action=DescribeThing"].post.parameters[0].schema.enum[2]"#,
            message: &[r#"enum value "zh-cn" is listed twice (first at line 22)"#],
            help: &["remove the second one"],
        },
    );
}

#[test]
fn unsupported_type_file() {
    single_error(
        "type-file.yaml",
        Expected {
            line: 20,
            column: 19,
            path: r#"$.paths["/?Action=UploadThing"].post.parameters[0].schema.type"#,
            message: &["type `file` is not supported", "Swagger 2.0's file upload"],
            help: &["use string, integer, number, boolean, array or object"],
        },
    );
}

#[test]
fn unsupported_format_binary() {
    single_error(
        "format-binary.yaml",
        Expected {
            line: 21,
            column: 21,
            path: r#"$.paths["/?Action=UploadThing"].post.parameters[0].schema.format"#,
            message: &["format `binary` of type `string` is not supported"],
            help: &["remove the format if the value is text"],
        },
    );
}

#[test]
fn unsupported_format_int128() {
    single_error(
        "format-int128.yaml",
        Expected {
            line: 21,
            column: 21,
            path: r#"$.paths["/?Action=DescribeThing"].post.parameters[0].schema.format"#,
            message: &[
                "format `int128` of type `integer` is not supported",
                "`int32` (Rust `i32`) or `int64` (Rust `i64`)",
            ],
            help: &["use `format: int32` or `format: int64`"],
        },
    );
}

#[test]
fn unknown_wire_style() {
    single_error(
        "style-unknown.yaml",
        Expected {
            line: 21,
            column: 24,
            path: r#"$.paths["/?Action=TagThings"].post.parameters[0]["x-acs-style"]"#,
            message: &["unknown wire style `x-acs-style: deepObject` on parameter `Tag`"],
            help: &["repeatList, flat, json, simple"],
        },
    );
}

#[test]
fn a_json_request_body_is_not_an_rpc_body() {
    single_error(
        "body-json.yaml",
        Expected {
            line: 17,
            column: 11,
            path: r#"$.paths["/?Action=PutThing"].post.requestBody.content["application/json"]"#,
            message: &["`application/json` request bodies are not supported for rpc operations"],
            help: &["`application/x-www-form-urlencoded`"],
        },
    );
}

#[test]
fn form_member_without_a_wire_style() {
    single_error(
        "form-member-style-missing.yaml",
        Expected {
            line: 23,
            column: 19,
            path: r#"$.paths["/?Action=PutThing"].post.requestBody.content["application/x-www-form-urlencoded"].schema.properties.Ids"#,
            message: &[
                "the list parameter `Ids` does not say how it is written on the wire: `x-acs-style` is missing",
            ],
            help: &["add `x-acs-style`", "`repeatList` writes `Ids.1=a&Ids.2=b`"],
        },
    );
}

#[test]
fn a_path_template_names_an_undeclared_parameter() {
    single_error(
        "path-param-undeclared.yaml",
        Expected {
            line: 12,
            column: 3,
            path: r#"$.paths["/clusters/{ClusterId}/nodes/{NodeId}"]"#,
            message: &["`{NodeId}` in the path `/clusters/{ClusterId}/nodes/{NodeId}` is not declared as a parameter"],
            help: &["add a parameter `{name: NodeId, in: path, required: true"],
        },
    );
}

#[test]
fn list_parameter_without_a_wire_style() {
    single_error(
        "style-missing.yaml",
        Expected {
            line: 16,
            column: 11,
            path: r#"$.paths["/?Action=DescribeThings"].post.parameters[0]"#,
            message: &[
                "the list parameter `ThingIds` does not say how it is written on the wire: `x-acs-style` is missing",
            ],
            help: &["add `x-acs-style`", "`repeatList` writes `ThingIds.1=a&ThingIds.2=b`"],
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Every problem in one run; warnings apart

#[test]
fn every_error_of_a_run_is_reported() {
    let (krate, diagnostics) = diagnose("three-errors.yaml");
    assert!(krate.is_none());
    let errors = of(&diagnostics, Severity::Error);
    assert_eq!(errors.len(), 3, "{}", listing(&diagnostics));
    assert!(of(&diagnostics, Severity::Warning).is_empty());
    let operation = r#"$.paths["/?Action=DescribeThing"].post"#;
    check(
        errors[0],
        &Expected {
            line: 21,
            column: 21,
            path: &format!("{operation}.parameters[0].schema.format"),
            message: &["format `binary` of type `string` is not supported"],
            help: &[],
        },
    );
    check(
        errors[1],
        &Expected {
            line: 22,
            column: 11,
            path: &format!("{operation}.parameters[1]"),
            message: &["the list parameter `ThingIds`", "`x-acs-style` is missing"],
            help: &[],
        },
    );
    check(
        errors[2],
        &Expected {
            line: 29,
            column: 17,
            path: &format!(r#"{operation}.parameters[2]["$ref"]"#),
            message: &["`$ref: '#/components/parameters/PageSize'` points nowhere"],
            help: &[],
        },
    );
}

/// A valid spec whose one operation has no examples at all.
const NO_EXAMPLES: &str = r#"openapi: 3.0.3
info:
  title: Demo API
  version: "2020-01-01"
  x-acs-product: Demo
  x-acs-api-version: "2020-01-01"
  x-acs-style: rpc
  x-acs-endpoint-rule: central
servers:
  - url: https://demo.aliyuncs.com
paths:
  /?Action=DescribeThing:
    post:
      operationId: DescribeThing
      parameters:
        - name: ThingId
          in: query
          schema:
            type: string
      responses:
        '200':
          description: Success.
          content:
            application/json:
              schema:
                type: object
                properties:
                  RequestId:
                    type: string
"#;

#[test]
fn warnings_are_separate_and_do_not_block_generation() {
    let (krate, diagnostics) = compile_text(Path::new("demo-2020-01-01.yaml"), NO_EXAMPLES);
    assert!(
        !acsgen::has_errors(&diagnostics),
        "{}",
        listing(&diagnostics)
    );
    let warnings = of(&diagnostics, Severity::Warning);
    assert_eq!(warnings.len(), 1, "{}", listing(&diagnostics));
    assert_eq!(
        (
            warnings[0].location.line,
            warnings[0].location.column,
            warnings[0].location.path.as_str()
        ),
        (14, 7, r#"$.paths["/?Action=DescribeThing"].post"#)
    );
    assert!(
        warnings[0]
            .message
            .contains("DescribeThing has no examples"),
        "{}",
        warnings[0]
    );
    let krate = krate.expect("a warning does not stop lowering");
    assert_eq!(krate.operations.len(), 1);

    // The binary prints the warning, writes the crate and exits 0.
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("demo-2020-01-01.yaml");
    fs::write(&spec, NO_EXAMPLES).expect("write spec");
    let out = dir.path().join("out");
    let run = acsgen(&[
        "generate",
        "--spec",
        path_str(&spec),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("warning: DescribeThing has no examples"));
    assert!(out.join("demo-2020-01-01/Cargo.toml").is_file());
    let validate = acsgen(&["validate", path_str(&spec)]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stderr)
    );
    assert!(text(&validate.stderr).contains("0 error(s), 1 warning(s)"));
}

#[test]
fn every_bad_spec_has_its_test() {
    // Adding a case to tests/specs/bad/ means adding a test for it here.
    let known = [
        "body-json.yaml",
        "duplicate-key.yaml",
        "empty-dir",
        "empty.yaml",
        "enum-duplicate.yaml",
        "form-member-style-missing.yaml",
        "format-binary.yaml",
        "format-int128.yaml",
        "invalid-json.json",
        "invalid-yaml.yaml",
        "names-collide-operations.yaml",
        "names-collide-parameters.yaml",
        "names-collide-with-a-missing-ref.yaml",
        "not-openapi.yaml",
        "operation-id-duplicate.yaml",
        "operation-id-missing.yaml",
        "path-param-undeclared.yaml",
        "product-code-invalid.yaml",
        "ref-cycle.yaml",
        "ref-parameter-missing.yaml",
        "ref-response-missing.yaml",
        "ref-schema-missing.yaml",
        "rest-unsupported.yaml",
        "style-missing.yaml",
        "style-unknown.yaml",
        "swagger-2.yaml",
        "three-errors.yaml",
        "type-file.yaml",
        "wrong-shape.yaml",
    ];
    assert_eq!(bad_entries(), known);
}

// ---------------------------------------------------------------------------------------------
// The binary

/// Runs `acsgen` from the workspace root with stdout and stderr captured (not a terminal).
fn acsgen(args: &[&str]) -> Output {
    Command::new(acsgen_tests::acsgen_binary())
        .args(args)
        .current_dir(workspace())
        .env_remove("NO_COLOR")
        .output()
        .expect("acsgen runs")
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file and directory under `root`: path → content and modification time of a file,
/// `None` for a directory.
fn tree(root: &Path) -> BTreeMap<PathBuf, Option<(Vec<u8>, SystemTime)>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("readable directory") {
            let path = entry.expect("entry").path();
            let meta = fs::symlink_metadata(&path).expect("metadata");
            let relative = path.strip_prefix(root).expect("inside").to_path_buf();
            if meta.is_dir() {
                stack.push(path);
                out.insert(relative, None);
            } else {
                let content = fs::read(&path).expect("readable");
                out.insert(relative, Some((content, meta.modified().expect("mtime"))));
            }
        }
    }
    out
}

/// A temporary directory whose `out/` holds the crates generated from `spec/`.
fn populated_output() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = acsgen(&["generate", "--spec", "spec", "--out", path_str(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(out.join("acs-runtime").is_dir() && out.join("cms-2019-01-01").is_dir());
    (dir, out)
}

#[test]
fn generate_with_a_bad_spec_exits_2_and_changes_nothing() {
    let (dir, out) = populated_output();
    let before = tree(dir.path());
    for name in bad_entries() {
        let spec = relative(&name);
        // The bad spec alone, and next to a good one that would otherwise be written.
        let runs = [
            vec!["generate", "--spec", &spec, "--out", path_str(&out)],
            vec![
                "generate",
                "--spec",
                "spec/cms-2019-01-01.yaml",
                "--spec",
                &spec,
                "--out",
                path_str(&out),
            ],
        ];
        for args in runs {
            let run = acsgen(&args);
            let stderr = text(&run.stderr);
            assert_eq!(run.status.code(), Some(2), "{args:?}:\n{stderr}");
            assert!(stderr.contains("error"), "{args:?}:\n{stderr}");
            assert!(
                stderr.contains(&format!("nothing written to {}", out.display()))
                    || name == "empty-dir",
                "{args:?}:\n{stderr}"
            );
            assert!(
                run.stdout.is_empty(),
                "{args:?} wrote:\n{}",
                text(&run.stdout)
            );
            let leftovers = temporaries(dir.path());
            assert!(leftovers.is_empty(), "{args:?} left {leftovers:?}");
            assert!(
                tree(dir.path()) == before,
                "{args:?} changed the output directory"
            );
        }
    }
}

#[test]
fn validate_a_bad_spec_exits_2_and_names_file_line_and_column() {
    for name in bad_entries() {
        let spec = relative(&name);
        let run = acsgen(&["validate", &spec]);
        let stderr = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{name}:\n{stderr}");
        let first = if name == "empty-dir" {
            let diagnostics = acsgen::collect_specs(&[bad(&name)]).expect_err("no documents");
            diagnostics[0].clone()
        } else {
            let (_, diagnostics) = diagnose(&name);
            of(&diagnostics, Severity::Error)[0].clone()
        };
        let at = if first.location.line > 0 {
            format!("{spec}:{}:{}", first.location.line, first.location.column)
        } else {
            format!("in {spec} at $")
        };
        assert!(stderr.contains(&at), "{name}: {at:?} not in\n{stderr}");
        assert!(stderr.contains(&first.message), "{name}:\n{stderr}");
        if let Some(help) = &first.help {
            assert!(
                stderr.contains(&format!("help: {help}")),
                "{name}:\n{stderr}"
            );
        }
    }
}

#[test]
fn validate_reports_every_spec_of_a_run() {
    let run = acsgen(&[
        "validate",
        &relative("ref-schema-missing.yaml"),
        &relative("enum-duplicate.yaml"),
        "spec/cms-2019-01-01.yaml",
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("tests/specs/bad/ref-schema-missing.yaml:20:19"));
    assert!(stderr.contains("tests/specs/bad/enum-duplicate.yaml:24:17"));
    assert!(stderr.contains("acsgen: 3 spec(s): 2 error(s), 0 warning(s)"));
}

#[test]
fn output_is_plain_when_not_on_a_terminal() {
    let run = acsgen(&["validate", &relative("ref-schema-missing.yaml")]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2));
    assert!(!stderr.contains('\x1b'), "ANSI escapes in:\n{stderr}");
    assert!(stderr.contains("tests/specs/bad/ref-schema-missing.yaml:20:19"));
    assert!(stderr.contains("error: `$ref: '#/components/schemas/ThingTyp'` points nowhere"));
    assert!(stderr.contains("20 │             $ref: '#/components/schemas/ThingTyp'"));

    // The renderer itself: plain unless asked for color.
    let (_, diagnostics) = diagnose("ref-schema-missing.yaml");
    let read = |path: &Path| fs::read_to_string(workspace().join(path)).ok();
    let plain = acsgen::diag::render(&diagnostics, false, &read);
    assert!(!plain.contains('\x1b'), "{plain}");
    assert!(plain.contains("= help: did you mean `#/components/schemas/ThingType`?"));
    let colored = acsgen::diag::render(&diagnostics, true, &read);
    assert!(colored.contains('\x1b'), "{colored}");

    // The one-line form names file, line, column and JSON path.
    assert_eq!(
        diagnostics[0].to_string(),
        "tests/specs/bad/ref-schema-missing.yaml:20:19: error: `$ref: '#/components/schemas/ThingTyp'` points nowhere: there is no schema `ThingTyp` in `components.schemas` (at $.paths[\"/?Action=DescribeThing\"].post.parameters[0].schema[\"$ref\"]); help: did you mean `#/components/schemas/ThingType`? Otherwise define `ThingTyp` under `components.schemas`"
    );
}

#[test]
fn output_path_that_is_a_file_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("not-a-directory");
    fs::write(&file, "keep me\n").expect("write");
    let before = tree(dir.path());
    let run = acsgen(&[
        "generate",
        "--spec",
        "spec/cms-2019-01-01.yaml",
        "--out",
        path_str(&file),
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the output path {} exists and is not a directory",
            file.display()
        )),
        "{stderr}"
    );
    assert!(tree(dir.path()) == before, "the directory changed");
}

#[test]
fn output_path_inside_a_file_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("file");
    fs::write(&file, "keep me\n").expect("write");
    let out = file.join("out");
    let before = tree(dir.path());
    let run = acsgen(&[
        "generate",
        "--spec",
        "spec/cms-2019-01-01.yaml",
        "--out",
        path_str(&out),
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: "), "{stderr}");
    assert!(stderr.contains(path_str(&file)), "{stderr}");
    assert!(tree(dir.path()) == before, "the directory changed");
}

/// Leftover temporary files under `root`.
fn temporaries(root: &Path) -> Vec<PathBuf> {
    tree(root)
        .into_keys()
        .filter(|p| {
            let name = p.to_string_lossy();
            name.contains(".acsgen-") || name.ends_with(".tmp")
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn read_only_output_directory_exits_2_and_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;

    let (dir, out) = populated_output();
    // Two stale files: the first (in a writable directory) is staged before the second (in a
    // read-only one) fails, so its temporary file must be cleaned up.
    fs::write(out.join("acs-runtime/src/lib.rs"), "// stale\n").expect("write");
    fs::write(out.join("cms-2019-01-01/src/lib.rs"), "// stale\n").expect("write");
    let read_only = out.join("cms-2019-01-01/src");
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = read_only.join("probe");
    if fs::write(&probe, "").is_ok() {
        // Permissions do not bind this user (root); `output_directory_that_cannot_be_created`
        // covers a failing write instead.
        let _ = fs::remove_file(&probe);
        fs::set_permissions(&read_only, fs::Permissions::from_mode(0o755)).expect("chmod");
        eprintln!("skipped: a read-only directory is writable for this user");
        return;
    }
    let before = tree(dir.path());
    let run = acsgen(&["generate", "--spec", "spec", "--out", path_str(&out)]);
    let after = tree(dir.path());
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o755)).expect("chmod");
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(
        stderr.contains(&format!("nothing was changed in {}", out.display())),
        "{stderr}"
    );
    assert!(temporaries(dir.path()).is_empty());
    assert!(after == before, "the directory changed");
}

#[cfg(target_os = "linux")]
#[test]
fn output_directory_that_cannot_be_created_exits_2() {
    // Nobody, root included, can create a directory in /proc.
    let out = Path::new("/proc/acsgen-test-output");
    let run = acsgen(&[
        "generate",
        "--spec",
        "spec/cms-2019-01-01.yaml",
        "--out",
        path_str(out),
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("error: cannot create {}", out.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("nothing was changed in {}", out.display())),
        "{stderr}"
    );
    assert!(!out.exists());
}

// ---------------------------------------------------------------------------------------------
// Plain REST documents: what acsgen does not generate yet is named where it is written

#[test]
fn unsupported_rest_constructs_are_each_reported_where_they_are_written() {
    let name = "rest-unsupported.yaml";
    let (krate, diagnostics) = diagnose(name);
    assert!(krate.is_none(), "a crate despite errors");
    let errors = of(&diagnostics, Severity::Error);
    let expected = [
        Expected {
            line: 13,
            column: 18,
            path: "$.paths[\"/things/{id}\"].get.parameters[0].style",
            message: &["the `matrix` style of parameter `id` is not supported"],
            help: &["`simple` style"],
        },
        Expected {
            line: 16,
            column: 15,
            path: "$.paths[\"/things/{id}\"].get.parameters[1].in",
            message: &["`in: cookie` is not supported for REST operations"],
            help: &["does not send cookies"],
        },
        Expected {
            line: 18,
            column: 11,
            path: "$.paths[\"/things/{id}\"].get.parameters[2]",
            message: &["parameter `filter` is described by `content`"],
            help: &["`schema`"],
        },
        Expected {
            line: 23,
            column: 11,
            path: "$.paths[\"/things/{id}\"].get.parameters[3]",
            message: &["parameter `either` is a `oneOf` of lists or objects", "only in JSON bodies"],
            help: &["one `type`", "union of scalars"],
        },
        Expected {
            line: 37,
            column: 22,
            path: "$.paths[\"/things/{id}\"].get.responses[\"200\"].content[\"application/json\"].schema.not",
            message: &["`not` schemas are not supported"],
            help: &["one `type`"],
        },
        Expected {
            line: 47,
            column: 11,
            path: "$.paths[\"/things/{id}\"].put.requestBody.content[\"application/xml\"]",
            message: &["request bodies in `application/xml` are not supported"],
            help: &["JSON", "form", "raw bodies"],
        },
        Expected {
            line: 69,
            column: 11,
            path: "$.components.securitySchemes.cookieKey.in",
            message: &["API key scheme `cookieKey` must name the header or query parameter"],
            help: &["cookies are not supported"],
        },
        Expected {
            line: 75,
            column: 11,
            path: "$.components.schemas.Pet.oneOf[1]",
            message: &["with a `discriminator`, each part of `oneOf` must be a `$ref`"],
            help: &["components.schemas"],
        },
        Expected {
            line: 79,
            column: 17,
            path: "$.components.schemas.Pet.discriminator.mapping.fish",
            message: &["maps `fish` to `#/components/schemas/Fish`", "not a part of `oneOf`"],
            help: &["`#/components/schemas/Cat`"],
        },
        Expected {
            line: 89,
            column: 9,
            path: "$.components.schemas.Tagged.anyOf",
            message: &["`anyOf` beside `properties` is not supported"],
            help: &["a member of its own"],
        },
        Expected {
            line: 93,
            column: 17,
            path: "$.components.schemas.Mixed.allOf[0][\"$ref\"]",
            message: &["`allOf` with a `oneOf` or `anyOf` part is not supported"],
            help: &["move the union into a member"],
        },
    ];
    assert_eq!(
        errors.len(),
        expected.len(),
        "errors:\n{}",
        listing(&diagnostics)
    );
    for (error, expected) in errors.iter().zip(&expected) {
        assert_eq!(error.file, PathBuf::from(relative(name)));
        check(error, expected);
    }
    // A requirement naming an undeclared scheme is a warning: the other schemes still work.
    let undefined: Vec<_> = of(&diagnostics, Severity::Warning)
        .into_iter()
        .filter(|w| w.message.contains("security scheme"))
        .collect();
    assert_eq!(undefined.len(), 1, "{}", listing(&diagnostics));
    check(
        undefined[0],
        &Expected {
            line: 30,
            column: 26,
            path: "$.paths[\"/things/{id}\"].get.security[0].missingScheme",
            message: &[
                "security scheme `missingScheme` is not defined",
                "sends no credentials for it",
            ],
            help: &["define it"],
        },
    );
}
