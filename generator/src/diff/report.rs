//! A list of changes as text for people and as JSON for tools.
//!
//! The JSON schema is versioned by its `schema` member (`acsgen-diff/1`) and documented in
//! the README; members are only ever added within a version.

use serde_json::{json, Value};

use super::change::{Change, Kind, Verdict};

/// The version tag of the JSON report.
pub const JSON_SCHEMA: &str = "acsgen-diff/1";

/// How many changes have each verdict: breaking, runtime, compatible.
pub fn counts(changes: &[Change]) -> (usize, usize, usize) {
    let count = |v: Verdict| changes.iter().filter(|c| c.verdict == v).count();
    (
        count(Verdict::Breaking),
        count(Verdict::Runtime),
        count(Verdict::Compatible),
    )
}

/// One line saying how many changes of each verdict there are.
pub fn summary_line(changes: &[Change]) -> String {
    let (breaking, runtime, compatible) = counts(changes);
    format!(
        "{breaking} breaking, {runtime} breaking at run time, {compatible} compatible ({} change(s))",
        changes.len()
    )
}

/// What happened, in a few words, for the text report.
fn phrase(kind: Kind) -> &'static str {
    match kind {
        Kind::CrateAdded | Kind::OperationAdded | Kind::ParameterAdded => "added",
        Kind::ResponseFieldAdded | Kind::MemberAdded | Kind::TypeAdded => "added",
        Kind::EnumValueAdded | Kind::ErrorCodeAdded => "added",
        Kind::CrateRemoved | Kind::OperationRemoved | Kind::ParameterRemoved => "removed",
        Kind::ResponseFieldRemoved | Kind::MemberRemoved | Kind::TypeRemoved => "removed",
        Kind::EnumValueRemoved | Kind::ErrorCodeRemoved => "removed",
        Kind::OperationNotGenerated => "no longer generated",
        Kind::OperationDeprecated | Kind::FieldDeprecated => "deprecation changed",
        Kind::OperationBindingChanged => "sent another way",
        Kind::ParameterRenamed => "renamed on the wire",
        Kind::ParameterMadeRequired => "made required",
        Kind::ParameterMadeOptional => "made optional",
        Kind::ParameterRetyped | Kind::ResponseFieldRetyped | Kind::MemberRetyped => "retyped",
        Kind::ParameterMoved => "moved",
        Kind::ParameterRestyled => "restyled",
        Kind::MemberRequirementChanged => "requirement changed",
        Kind::ConstraintChanged => "changed",
        Kind::ErrorStatusChanged => "HTTP status changed",
        Kind::EndpointChanged => "changed",
    }
}

fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Breaking => "breaking",
        Verdict::Runtime => "run time",
        Verdict::Compatible => "ok",
    }
}

/// The report for people: per crate, operations with breaking changes first, each change
/// with the Rust item it touches and why it breaks or not; crate-wide changes (types,
/// endpoints) after the operations.
pub fn text(old_label: &str, new_label: &str, changes: &[Change]) -> String {
    let mut out = format!("acsgen diff {old_label} -> {new_label}\n");
    if changes.is_empty() {
        out.push_str("no API changes\n");
        return out;
    }
    out.push_str(&summary_line(changes));
    out.push('\n');
    let mut crates: Vec<&str> = changes.iter().map(|c| c.crate_name.as_str()).collect();
    crates.dedup();
    for krate in crates {
        let in_crate: Vec<&Change> = changes.iter().filter(|c| c.crate_name == krate).collect();
        out.push_str(&format!("\n{krate}\n"));
        let mut groups: Vec<(Option<&str>, bool, Vec<&Change>)> = Vec::new();
        for change in in_crate {
            let key = change.operation.as_deref();
            let endpoint = change.kind == Kind::EndpointChanged;
            match groups
                .iter_mut()
                .find(|(k, e, _)| *k == key && *e == endpoint)
            {
                Some((_, _, group)) => group.push(change),
                None => groups.push((key, endpoint, vec![change])),
            }
        }
        // Operations by their worst change, then crate-wide changes, then endpoints.
        groups.sort_by_key(|(key, endpoint, group)| {
            let worst = group.iter().map(|c| c.verdict).min();
            (*endpoint, key.is_none(), worst, *key)
        });
        for (key, endpoint, mut group) in groups {
            let title = match (key, endpoint) {
                (_, true) => "endpoints (where requests go; not API changes)".to_owned(),
                (Some(operation), false) => operation.to_owned(),
                (None, false) => "types".to_owned(),
            };
            out.push_str(&format!("  {title}\n"));
            group.sort_by_key(|c| c.verdict);
            for change in group {
                out.push_str(&line(change));
            }
        }
    }
    out
}

/// What changed, in one line: ``parameter `Size` made required: Option<i32> -> i32``.
pub fn headline(change: &Change) -> String {
    let values = match (&change.old, &change.new) {
        (Some(old), Some(new)) => format!(": {old} -> {new}"),
        (None, Some(new)) => format!(": {new}"),
        (Some(old), None) => format!(" (was {old})"),
        (None, None) => String::new(),
    };
    format!("{} {}{values}", change.subject, phrase(change.kind))
}

fn line(change: &Change) -> String {
    format!(
        "    {:<9} {}\n              {}: {}\n",
        verdict_label(change.verdict),
        headline(change),
        change.target(),
        change.reason
    )
}

/// The report for tools (`--format json`), schema [`JSON_SCHEMA`].
pub fn json(old_label: &str, new_label: &str, changes: &[Change]) -> Value {
    let (breaking, runtime, compatible) = counts(changes);
    json!({
        "schema": JSON_SCHEMA,
        "old": old_label,
        "new": new_label,
        "summary": {
            "breaking": breaking,
            "runtime": runtime,
            "compatible": compatible,
        },
        "changes": changes.iter().map(change_json).collect::<Vec<_>>(),
    })
}

fn change_json(change: &Change) -> Value {
    json!({
        "crate": change.crate_name,
        "operation": change.operation,
        "kind": change.kind.as_str(),
        "subject": change.subject,
        "item": change.item,
        "member": change.member.as_ref().map(|m| json!({"kind": m.kind, "name": m.name})),
        "old": change.old,
        "new": change.new,
        "verdict": change.verdict.as_str(),
        "reason": change.reason,
    })
}
