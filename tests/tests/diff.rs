//! `acsgen diff`: the changes it reports between real consecutive versions of Alibaba APIs
//! (`../shared/metadata/history`, copied into `tests/fixtures/history`) and between
//! hand-made pairs, one per change kind; and its verdicts checked by the compiler: a program
//! that uses every item of the old crate is built against the new one, and fails exactly
//! when the report says something breaks it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use acsgen::diff::{self, Change, Kind, Verdict};
use acsgen::ir::Crate;
use acsgen_tests::{acsgen_binary, api_user, cargo_command, target_dir, workspace_root};

const WIDGETS: &str = "tests/specs/diff/widgets-2024-01-01.yaml";

fn widgets() -> String {
    std::fs::read_to_string(workspace_root().join(WIDGETS)).expect("widgets spec")
}

/// `text` with `from` (which must occur exactly once) replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the edit must match exactly once: {from:?}"
    );
    text.replacen(from, to, 1)
}

fn compile(name: &str, text: &str) -> Crate {
    let (krate, diagnostics) = acsgen::compile(Path::new(name), text);
    krate.unwrap_or_else(|| panic!("{name} does not compile: {diagnostics:#?}"))
}

/// Imports a history file of `../shared/metadata/history` (copied under
/// `tests/fixtures/history`), keeping only `only` when it is not empty.
fn history(file: &str, only: &[&str]) -> Crate {
    let path = workspace_root().join("tests/fixtures/history").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let only: BTreeSet<String> = only.iter().map(|s| s.to_string()).collect();
    let imported = acsgen::import::import(&path, &text, (!only.is_empty()).then_some(&only))
        .unwrap_or_else(|d| panic!("{file}: {d:?}"));
    compile(file, imported.text.as_deref().expect("operations imported"))
}

/// The (kind, verdict) of every change, sorted.
fn kinds(changes: &[Change]) -> Vec<(Kind, Verdict)> {
    let mut out: Vec<(Kind, Verdict)> = changes.iter().map(|c| (c.kind, c.verdict)).collect();
    out.sort();
    out
}

fn report(changes: &[Change]) -> String {
    diff::report::text("old", "new", changes)
}

/// One hand-made change to the widgets spec, and what the report must say about it.
struct HandPair {
    name: &'static str,
    new: String,
    expected: Vec<(Kind, Verdict)>,
}

fn hand_pairs() -> Vec<HandPair> {
    use Kind::*;
    use Verdict::*;
    let base = widgets();
    let pair = |name, new: String, expected: &[(Kind, Verdict)]| HandPair {
        name,
        new,
        expected: expected.to_vec(),
    };
    let delete_op = "  /?Action=DeleteWidget:\n    post:\n      operationId: DeleteWidget\n";
    let mode = "        - name: Mode\n          in: query\n          description: How the widget is made.\n          schema:\n            type: string\n";
    let size_max = "            maximum: 100\n";
    let statuses = "                  Status:\n                    type: string\n                    description: The status of the widget.\n";
    vec![
        pair("unchanged", base.clone(), &[]),
        pair(
            "operation-added",
            edit(
                &base,
                delete_op,
                &format!("  /?Action=StartWidget:\n    post:\n      operationId: StartWidget\n      summary: Starts a widget.\n      parameters: []\n      responses:\n        \"200\":\n          description: Done.\n{delete_op}"),
            ),
            &[(OperationAdded, Compatible)],
        ),
        pair(
            "operation-removed",
            {
                let start = base.find(delete_op).unwrap();
                let end = base.find("components:").unwrap();
                format!("{}{}", &base[..start], &base[end..])
            },
            &[(OperationRemoved, Breaking)],
        ),
        pair(
            "operation-deprecated",
            edit(&base, "      summary: Deletes a widget.\n", "      summary: Deletes a widget.\n      deprecated: true\n"),
            &[(OperationDeprecated, Compatible)],
        ),
        pair(
            "parameter-added-optional",
            edit(&base, mode, &format!("{mode}        - name: DryRun\n          in: query\n          schema:\n            type: boolean\n")),
            &[(ParameterAdded, Compatible)],
        ),
        pair(
            "parameter-added-required",
            edit(&base, mode, &format!("{mode}        - name: Owner\n          in: query\n          required: true\n          schema:\n            type: string\n")),
            &[(ParameterAdded, Runtime)],
        ),
        pair("parameter-removed", edit(&base, mode, ""), &[(ParameterRemoved, Breaking)]),
        pair(
            "parameter-renamed-on-the-wire",
            edit(&base, "        - name: Mode\n", "        - name: MODE\n"),
            &[(ParameterRenamed, Compatible)],
        ),
        pair(
            "parameter-made-required",
            edit(&base, "          description: The size of the widget.\n", "          required: true\n          description: The size of the widget.\n"),
            &[(ParameterMadeRequired, Breaking)],
        ),
        pair(
            "parameter-made-optional",
            edit(&base, "          required: true\n          description: The name of the widget.\n", "          description: The name of the widget.\n"),
            &[(ParameterMadeOptional, Breaking)],
        ),
        pair(
            "parameter-retyped",
            edit(&base, "            format: int32\n", "            format: int64\n"),
            &[(ParameterRetyped, Breaking)],
        ),
        pair(
            "parameter-moved-to-the-body",
            edit(
                &edit(&base, mode, ""),
                "      responses:\n        \"200\":\n          description: The widget.\n",
                "      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              properties:\n                Mode:\n                  type: string\n                  description: How the widget is made.\n      responses:\n        \"200\":\n          description: The widget.\n",
            ),
            &[(ParameterMoved, Compatible)],
        ),
        pair(
            "parameter-restyled",
            edit(&base, "          x-acs-style: repeatList\n", "          x-acs-style: flat\n"),
            &[(ParameterRestyled, Compatible)],
        ),
        pair(
            "parameter-deprecated",
            edit(&base, "          description: How the widget is made.\n", "          description: How the widget is made.\n          deprecated: true\n"),
            &[(FieldDeprecated, Compatible)],
        ),
        pair(
            "constraint-tightened",
            edit(&base, size_max, "            maximum: 50\n"),
            &[(ConstraintChanged, Runtime)],
        ),
        pair(
            "constraint-loosened",
            edit(&base, size_max, "            maximum: 200\n"),
            &[(ConstraintChanged, Compatible)],
        ),
        pair(
            "constraint-added",
            edit(&base, "          schema:\n            type: string\n        - name: Tag\n", "          schema:\n            type: string\n            pattern: \"^[a-z]+$\"\n        - name: Tag\n"),
            &[(ConstraintChanged, Runtime)],
        ),
        pair(
            "enum-value-added",
            edit(&base, "      enum: [red, green]\n", "      enum: [red, green, blue]\n"),
            &[(EnumValueAdded, Compatible)],
        ),
        pair(
            "enum-value-removed",
            edit(&base, "      enum: [red, green]\n", "      enum: [red]\n"),
            &[(EnumValueRemoved, Breaking)],
        ),
        pair(
            "response-field-added",
            edit(&base, statuses, &format!("{statuses}                  CreatedAt:\n                    type: string\n")),
            &[(ResponseFieldAdded, Compatible)],
        ),
        pair("response-field-removed", edit(&base, statuses, ""), &[(ResponseFieldRemoved, Breaking)]),
        pair(
            "response-field-retyped",
            edit(&base, statuses, "                  Status:\n                    type: integer\n                    format: int32\n                    description: The status of the widget.\n"),
            &[(ResponseFieldRetyped, Breaking)],
        ),
        pair(
            "member-added",
            edit(&base, "          description: The tag value.\n", "          description: The tag value.\n        Owner:\n          type: string\n"),
            &[(MemberAdded, Compatible)],
        ),
        pair(
            "member-made-required",
            edit(&base, "      required: [Key]\n", "      required: [Key, Value]\n"),
            &[(MemberRequirementChanged, Runtime)],
        ),
        pair(
            "member-removed",
            edit(&base, "        Value:\n          type: string\n          description: The tag value.\n", ""),
            &[(MemberRemoved, Breaking)],
        ),
        pair(
            "error-code-added",
            edit(&base, "          message: Too many widgets.\n", "          message: Too many widgets.\n        - http-status: 409\n          code: WidgetBusy\n"),
            &[(ErrorCodeAdded, Compatible)],
        ),
        pair(
            "error-code-removed",
            edit(&base, "        - http-status: 403\n          code: QuotaExceeded\n          message: Too many widgets.\n", ""),
            &[(ErrorCodeRemoved, Breaking)],
        ),
        pair(
            "endpoint-changed",
            edit(&base, "  - url: https://widgets.{regionId}.aliyuncs.com\n", "  - url: https://widget.{regionId}.aliyuncs.com\n"),
            &[(EndpointChanged, Compatible)],
        ),
        pair(
            "operation-sent-with-get",
            edit(&base, "  /?Action=DeleteWidget:\n    post:\n", "  /?Action=DeleteWidget:\n    get:\n"),
            &[(OperationBindingChanged, Compatible)],
        ),
        pair(
            "error-status-changed",
            edit(&base, "        - http-status: 403\n", "        - http-status: 429\n"),
            &[(ErrorStatusChanged, Compatible)],
        ),
        pair(
            "member-retyped",
            edit(&base, "        Value:\n          type: string\n", "        Value:\n          type: integer\n"),
            &[(MemberRetyped, Breaking)],
        ),
        pair(
            "type-added",
            edit(&base, mode, &format!("{mode}        - name: Shape\n          in: query\n          x-acs-style: flat\n          schema:\n            type: object\n            properties:\n              Sides:\n                type: integer\n")),
            &[(ParameterAdded, Compatible), (TypeAdded, Compatible)],
        ),
        pair(
            "type-removed",
            {
                let start = base.find("        - name: Tag\n").unwrap();
                let end = base.find("      responses:\n        \"200\":\n          description: The widget.\n").unwrap();
                format!("{}{}", &base[..start], &base[end..])
            },
            &[(ParameterRemoved, Breaking), (TypeRemoved, Breaking)],
        ),
        pair(
            "reordered-and-reformatted",
            {
                // Parameters in another order, and the schemas written in flow style.
                let moved = edit(&base, mode, "");
                let moved = edit(&moved, "        - name: Name\n", &format!("{mode}        - name: Name\n"));
                edit(
                    &moved,
                    "    Color:\n      type: string\n      description: A color.\n      enum: [red, green]\n",
                    "    Color: {type: string, description: A color., enum: [red, green]}\n",
                )
            },
            &[],
        ),
    ]
}

/// The hand-made pair called `name`.
fn hand_pair(name: &str) -> HandPair {
    hand_pairs()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no hand-made pair {name}"))
}

#[test]
fn each_hand_made_change_is_reported_with_its_verdict() {
    let old = compile(WIDGETS, &widgets());
    let mut failures = Vec::new();
    for pair in hand_pairs() {
        let new = compile(pair.name, &pair.new);
        let changes = diff::compare(&old, &new);
        let mut expected = pair.expected.clone();
        expected.sort();
        if kinds(&changes) != expected {
            failures.push(format!(
                "{}: expected {expected:?}, got:\n{}",
                pair.name,
                report(&changes)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_product_version_added_or_removed_is_a_crate_added_or_removed() {
    let widgets = compile(WIDGETS, &widgets());
    let cms = compile(
        "cms",
        &std::fs::read_to_string(workspace_root().join("spec/cms-2019-01-01.yaml")).unwrap(),
    );
    let changes = diff::compare_crates(std::slice::from_ref(&widgets), std::slice::from_ref(&cms));
    assert_eq!(
        kinds(&changes),
        [
            (Kind::CrateAdded, Verdict::Compatible),
            (Kind::CrateRemoved, Verdict::Breaking)
        ],
        "{}",
        report(&changes)
    );
    assert!(changes
        .iter()
        .any(|c| c.item == "acs_cms_20190101" && c.kind == Kind::CrateAdded));
}

#[test]
fn every_change_names_the_generated_item_it_touches() {
    let old = compile(WIDGETS, &widgets());
    let find = |name: &str| diff::compare(&old, &compile(name, &hand_pair(name).new));
    let changes = find("parameter-made-required");
    assert_eq!(
        changes[0].target(),
        "acs_widgets_20240101::operation::create_widget::CreateWidgetRequest, field `size`"
    );
    assert_eq!(changes[0].old.as_deref(), Some("Option<i32>"));
    assert_eq!(changes[0].new.as_deref(), Some("i32"));
    let changes = find("enum-value-removed");
    assert_eq!(
        changes[0].target(),
        "acs_widgets_20240101::types::Color, variant `Green`"
    );
    let changes = find("operation-removed");
    assert_eq!(
        changes[0].target(),
        "acs_widgets_20240101::Client, method `delete_widget`"
    );
    let changes = find("error-code-removed");
    assert_eq!(
        changes[0].target(),
        "acs_widgets_20240101::operation::create_widget::CreateWidgetError, variant `QuotaExceeded`"
    );
    let changes = find("constraint-tightened");
    assert_eq!(
        (changes[0].old.as_deref(), changes[0].new.as_deref()),
        (Some("100"), Some("50"))
    );
    assert_eq!(changes[0].subject, "parameter `Size`: `maximum`");
}

/// BindSecureMobilePhone's reference page records, on 2023-04-27, changed request parameters
/// VerificationCode and SecureMobilePhone and a deleted response parameter, without naming
/// it. The pair models the change as the metadata shows it today (both parameters required)
/// from a version where they were optional and the response carried one more field.
#[test]
fn bind_secure_mobile_phone_change_of_2023_04_27() {
    let path =
        workspace_root().join("tests/fixtures/metadata/resourcemanager/2020-03-31/api-docs.json");
    let text = std::fs::read_to_string(&path).expect("metadata");
    let only: BTreeSet<String> = ["BindSecureMobilePhone".to_owned()].into();
    let new_spec = acsgen::import::import(&path, &text, Some(&only))
        .expect("import")
        .text
        .expect("imported");
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let api = &mut value["apis"]["BindSecureMobilePhone"];
    for parameter in api["parameters"].as_array_mut().unwrap() {
        if ["VerificationCode", "SecureMobilePhone"].contains(&parameter["name"].as_str().unwrap())
        {
            parameter["schema"]["required"] = false.into();
        }
    }
    api["responses"]["200"]["schema"]["properties"]["SecureMobilePhone"] =
        serde_json::json!({"type": "string", "description": "The bound mobile phone."});
    let old_spec = acsgen::import::import(&path, &value.to_string(), Some(&only))
        .expect("import")
        .text
        .expect("imported");
    let old = compile("old", &old_spec);
    let new = compile("new", &new_spec);
    let changes = diff::compare(&old, &new);
    assert_eq!(
        kinds(&changes),
        vec![
            (Kind::ParameterMadeRequired, Verdict::Breaking),
            (Kind::ParameterMadeRequired, Verdict::Breaking),
            (Kind::ResponseFieldRemoved, Verdict::Breaking),
        ],
        "{}",
        report(&changes)
    );
    let text = report(&changes);
    assert!(
        text.contains("parameter `VerificationCode` made required: Option<String> -> String"),
        "{text}"
    );
    assert!(
        text.contains("BindSecureMobilePhoneResponse, field `secure_mobile_phone`"),
        "{text}"
    );
}

#[test]
fn cms_removed_two_operations_in_2025_01() {
    let old = history("cms/2019-01-01/2024-11-30-3572e254.json", &[]);
    let new = history("cms/2019-01-01/2025-01-04-470ab128.json", &[]);
    let changes = diff::compare(&old, &new);
    let removed: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == Kind::OperationRemoved)
        .map(|c| c.operation.as_deref().unwrap())
        .collect();
    assert_eq!(
        removed,
        [
            "BatchCreateOnceSiteMonitor",
            "DescribeSiteInstantMonitorLog"
        ],
        "{}",
        report(&changes)
    );
    assert!(changes.iter().all(|c| c.verdict == Verdict::Breaking));
}

#[test]
fn ecs_tag_resources_tag_key_made_required_in_2025_05() {
    let old = history("ecs/2014-05-26/2025-03-08-7eb282c9.json", &[]);
    let new = history("ecs/2014-05-26/2025-05-17-0ab77609.json", &[]);
    let changes = diff::compare(&old, &new);
    let key = changes
        .iter()
        .find(|c| c.operation.as_deref() == Some("TagResources") && c.subject == "member `Key`")
        .unwrap_or_else(|| panic!("no change of Tag.Key:\n{}", report(&changes)));
    assert_eq!(key.kind, Kind::MemberRequirementChanged);
    assert_eq!(key.verdict, Verdict::Runtime);
    assert_eq!(
        key.target(),
        "acs_ecs_20140526::operation::tag_resources::TagItem, field `key`"
    );
    // The same release removed the Demand operations.
    let removed: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == Kind::OperationRemoved)
        .map(|c| c.operation.as_deref().unwrap())
        .collect();
    assert_eq!(
        removed,
        [
            "CreateDemand",
            "DeleteDemand",
            "DescribeDemands",
            "ModifyDemand"
        ]
    );
}

#[test]
fn a_resourcemanager_release_that_only_adds_operations() {
    let old = history("resourcemanager/2020-03-31/2025-02-22-a20ce94d.json", &[]);
    let new = history("resourcemanager/2020-03-31/2025-07-27-8946379a.json", &[]);
    let changes = diff::compare(&old, &new);
    assert_eq!(
        kinds(&changes),
        [(Kind::OperationAdded, Verdict::Compatible)],
        "{}",
        report(&changes)
    );
    assert_eq!(
        changes[0].operation.as_deref(),
        Some("GetResourceGroupResourceCounts")
    );
}

#[test]
fn cs_start_workflow_body_turned_into_a_form_in_2024_10() {
    let old = history("cs/2015-12-15/2024-09-28-927d5602.json", &["StartWorkflow"]);
    let new = history("cs/2015-12-15/2024-10-19-93a5cc25.json", &["StartWorkflow"]);
    let changes = diff::compare(&old, &new);
    let moved: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind == Kind::ParameterMoved)
        .collect();
    // Every member of the body: 19 of them, each from the JSON body to the form.
    assert_eq!(moved.len(), 19, "{}", report(&changes));
    for change in &moved {
        assert_eq!(change.verdict, Verdict::Compatible);
        assert_eq!(
            (change.old.as_deref(), change.new.as_deref()),
            (Some("a JSON body"), Some("a form body"))
        );
        assert_eq!(
            change.item,
            "acs_cs_20151215::operation::start_workflow::StartWorkflowRequest"
        );
    }
    assert!(
        changes.iter().all(|c| c.verdict == Verdict::Compatible),
        "{}",
        report(&changes)
    );
}

/// An operation the metadata still has but acsgen cannot generate is reported as such, with
/// the reason, not as removed from the API.
#[test]
fn an_operation_acsgen_cannot_generate_any_more_is_named_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = workspace_root()
        .join("tests/fixtures/history/resourcemanager/2020-03-31/2025-07-27-8946379a.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    // GetResourceGroup, now with a parameter in a place acsgen does not send: a header of
    // an RPC operation.
    value["apis"]["GetResourceGroup"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "x-trace", "in": "header", "schema": {"type": "string"}}));
    let new_path = dir.path().join("new.json");
    std::fs::write(&new_path, value.to_string()).unwrap();
    let (old, found) = diff::read_side(&path);
    let old = old.unwrap_or_else(|| panic!("{found:?}"));
    let (new, found) = diff::read_side(&new_path);
    let new = new.unwrap_or_else(|| panic!("{found:?}"));
    let changes = diff::compare_sides(&old, &new);
    assert_eq!(
        kinds(&changes),
        [(Kind::OperationNotGenerated, Verdict::Breaking)],
        "{}",
        report(&changes)
    );
    assert!(
        changes[0].reason.contains("header parameters"),
        "{}",
        changes[0].reason
    );
}

/// Every object's members in reverse order, and every `parameters` list reversed.
fn reorder(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> =
                std::mem::take(map).into_iter().collect();
            entries.reverse();
            for (key, mut member) in entries {
                reorder(&mut member);
                if key == "parameters" {
                    if let Some(list) = member.as_array_mut() {
                        list.reverse();
                    }
                }
                map.insert(key, member);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(reorder),
        _ => {}
    }
}

#[test]
fn a_real_version_against_a_reordered_copy_of_itself_has_no_changes() {
    let file = "ecs/2014-05-26/2025-05-17-0ab77609.json";
    let path = workspace_root().join("tests/fixtures/history").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    reorder(&mut value);
    let reordered = serde_json::to_string_pretty(&value).unwrap();
    assert_ne!(reordered, text);
    let copy = acsgen::import::import(&path, &reordered, None)
        .unwrap()
        .text
        .unwrap();
    let original = history(file, &[]);
    let changes = diff::compare(&original, &compile("reordered", &copy));
    assert!(changes.is_empty(), "{}", report(&changes));
}

/// Where the compiler checks are built: inside the main target directory, so that the
/// runtime's dependencies are built once and later runs are incremental.
fn compile_check_dir() -> PathBuf {
    target_dir().join("acsgen-diff-pairs")
}

fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// For each pair, builds the program using every item of the old crate against the new
/// crate; returns whether each built, and the compiler's messages.
fn build_old_users_against_new(pairs: &[(String, Crate, Crate)]) -> Vec<(bool, String)> {
    let dir = compile_check_dir();
    let mut members = vec!["acs-runtime".to_owned()];
    for (name, old, new) in pairs {
        let files = acsgen::render_all(std::slice::from_ref(new)).expect("renders");
        let package = format!("pair-{name}");
        for file in files {
            let path = file.path.to_string_lossy().replace('\\', "/");
            let (top, rest) = path.split_once('/').unwrap();
            if top == "acs-runtime" {
                write_if_changed(&dir.join(&path), &file.contents);
                continue;
            }
            let contents = if rest == "Cargo.toml" {
                file.contents.replacen(
                    &format!("name = \"{}\"", new.package_name),
                    &format!("name = \"{package}\""),
                    1,
                )
            } else {
                file.contents
            };
            write_if_changed(&dir.join(&package).join(rest), &contents);
        }
        let user = format!("user-{name}");
        write_if_changed(
            &dir.join(&user).join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{user}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\n{} = {{ package = \"{package}\", path = \"../{package}\" }}\n",
                old.lib_name
            ),
        );
        write_if_changed(
            &dir.join(&user).join("src/main.rs"),
            &api_user::program(old),
        );
        members.push(package);
        members.push(user);
    }
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    write_if_changed(
        &dir.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    pairs
        .iter()
        .map(|(name, _, _)| {
            let output = cargo_command(&dir)
                .args(["check", "--offline", "--message-format=short", "-p"])
                .arg(format!("user-{name}"))
                .output()
                .expect("cargo runs");
            (
                output.status.success(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        })
        .collect()
}

#[test]
fn the_compiler_agrees_with_every_verdict() {
    let old_widgets = compile(WIDGETS, &widgets());
    let mut pairs: Vec<(String, Crate, Crate)> = hand_pairs()
        .into_iter()
        .map(|p| {
            (
                p.name.to_owned(),
                old_widgets.clone(),
                compile(p.name, &p.new),
            )
        })
        .collect();
    // The real releases, each cut down to the operations it changes and one it keeps.
    let real = [
        (
            "cms-2025-01",
            "cms/2019-01-01/2024-11-30-3572e254.json",
            "cms/2019-01-01/2025-01-04-470ab128.json",
            &[
                "BatchCreateOnceSiteMonitor",
                "DescribeSiteInstantMonitorLog",
                "PutContact",
            ][..],
        ),
        (
            "ecs-2025-05",
            "ecs/2014-05-26/2025-03-08-7eb282c9.json",
            "ecs/2014-05-26/2025-05-17-0ab77609.json",
            &["TagResources", "CopyImage"][..],
        ),
        (
            "resourcemanager-2025-07",
            "resourcemanager/2020-03-31/2025-02-22-a20ce94d.json",
            "resourcemanager/2020-03-31/2025-07-27-8946379a.json",
            &["GetResourceGroupResourceCounts", "GetResourceGroup"][..],
        ),
    ];
    for (name, old, new, only) in real {
        let old_only: Vec<&str> = only
            .iter()
            .copied()
            .filter(|op| history_has(old, op))
            .collect();
        let new_only: Vec<&str> = only
            .iter()
            .copied()
            .filter(|op| history_has(new, op))
            .collect();
        pairs.push((
            name.to_owned(),
            history(old, &old_only),
            history(new, &new_only),
        ));
    }
    let built = build_old_users_against_new(&pairs);
    let mut disagreements = Vec::new();
    for ((name, old, new), (built, stderr)) in pairs.iter().zip(built) {
        let changes = diff::compare(old, new);
        let breaking = changes.iter().any(|c| c.verdict == Verdict::Breaking);
        eprintln!(
            "{name}: {} change(s), breaking: {breaking}, old user program built against new: {built}",
            changes.len()
        );
        if breaking == built {
            disagreements.push(format!(
                "{name}: the report says breaking = {breaking}, but the program {}:\n{}\n{stderr}",
                if built { "builds" } else { "does not build" },
                report(&changes)
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
}

fn history_has(file: &str, operation: &str) -> bool {
    let path = workspace_root().join("tests/fixtures/history").join(file);
    let text = std::fs::read_to_string(path).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["apis"].get(operation).is_some()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(acsgen_binary())
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("acsgen runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn write_pair(name: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let pair = hand_pair(name);
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, widgets()).unwrap();
    std::fs::write(&new, pair.new).unwrap();
    (dir, old, new)
}

#[test]
fn the_command_exits_1_on_breaking_changes_only_when_asked_and_2_on_bad_input() {
    let (_dir, old, new) = write_pair("parameter-removed");
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let (code, stdout, _) = run(&["diff", old, new]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("1 breaking, 0 breaking at run time, 0 compatible"),
        "{stdout}"
    );
    assert!(
        stdout.contains("breaking  parameter `Mode` removed"),
        "{stdout}"
    );
    let (code, _, _) = run(&["diff", old, new, "--fail-on-breaking"]);
    assert_eq!(code, 1);
    let (_dir2, old2, new2) = write_pair("parameter-added-optional");
    let (code, _, _) = run(&[
        "diff",
        old2.to_str().unwrap(),
        new2.to_str().unwrap(),
        "--fail-on-breaking",
    ]);
    assert_eq!(code, 0, "a compatible change does not fail the run");
    let (code, _, stderr) = run(&["diff", old, "tests/specs/bad/does-not-exist.yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such file or directory"), "{stderr}");
    let bad = _dir.path().join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n").unwrap();
    let (code, _, stderr) = run(&["diff", old, bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("bad.yaml"), "{stderr}");
}

#[test]
fn the_json_report() {
    let old = compile(WIDGETS, &widgets());
    let base = widgets();
    // Several changes at once: one of each verdict, and an endpoint change.
    let removed = hand_pair("parameter-removed").new;
    let mut new = edit(
        &removed,
        "            maximum: 100\n",
        "            maximum: 50\n",
    );
    new = edit(
        &new,
        "      enum: [red, green]\n",
        "      enum: [red, green, blue]\n",
    );
    new = edit(
        &new,
        "  - url: https://widgets.{regionId}.aliyuncs.com\n",
        "  - url: https://widget.{regionId}.aliyuncs.com\n",
    );
    assert_ne!(new, base);
    let changes = diff::compare(&old, &compile("new", &new));
    let json = diff::report::json("old.yaml", "new.yaml", &changes);
    insta::assert_snapshot!(
        "diff_json_report",
        serde_json::to_string_pretty(&json).unwrap()
    );
    insta::assert_snapshot!(
        "diff_text_report",
        diff::report::text("old.yaml", "new.yaml", &changes)
    );
}

#[test]
fn git_revision_as_the_old_side() {
    // The checked-in spec/ at HEAD against the working tree: the same documents.
    let (code, stdout, stderr) = run(&["diff", "--git", "HEAD"]);
    if stderr.contains("not a git repository") {
        eprintln!("not in a git work tree; skipped");
        return;
    }
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("acsgen diff spec@HEAD -> spec\n"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["diff", "--git", "no-such-revision"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-revision"), "{stderr}");
}

#[test]
fn generate_summarizes_the_api_changes_it_applies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=acsgen",
                "-c",
                "user.email=acsgen@example.com",
            ])
            .args(args)
            .current_dir(root)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let generate = || {
        let output = Command::new(acsgen_binary())
            .args(["generate", "--spec", "spec"])
            .current_dir(root)
            .output()
            .expect("acsgen runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::write(root.join("spec/widgets-2024-01-01.yaml"), widgets()).unwrap();
    git(&["init", "-q"]);
    let first = generate();
    assert!(
        !first.contains("api changes"),
        "a first generation has nothing to compare:\n{first}"
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "widgets"]);
    let pair = hand_pair("parameter-removed");
    std::fs::write(root.join("spec/widgets-2024-01-01.yaml"), pair.new).unwrap();
    let second = generate();
    assert!(
        second.contains("api changes in acs_widgets_20240101 since "),
        "{second}"
    );
    assert!(
        second.contains("  breaking: CreateWidget: parameter `Mode` removed (was String)\n"),
        "{second}"
    );
    assert!(
        second.contains("full report: acsgen diff --git "),
        "{second}"
    );
}
