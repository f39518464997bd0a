//! Rust names for wire names that would collide once case-converted (`Key` and `key`, two
//! operations differing only in case): the first keeps the derived name, each later one gets
//! `x-rust-name` with a number (`key_2`, `ThingType2`). Where acsgen takes no `x-rust-name`
//! (a member whose value is an object or an enum is always named after its wire name), the
//! operation is skipped instead.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::ident::{bare, module_name, snake, type_name};

use super::support::SkipReason;

/// The first of `base_2`, `base_3`, ... (or `Base2`, ...) not in `taken`.
fn numbered(base: &str, taken: &BTreeSet<String>, snake_case: bool) -> String {
    (2..)
        .map(|n| {
            if snake_case {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            }
        })
        .find(|candidate| !taken.contains(candidate))
        .expect("some number is free")
}

/// Whether acsgen gives this member's schema a type of its own (an object with members or a
/// string enum), whose `x-rust-name` names the type rather than the field.
fn is_named_kind(schema: &Map<String, Value>) -> bool {
    let ty = schema.get("type").and_then(Value::as_str);
    let string_enum = ty == Some("string") && schema.get("enum").is_some();
    let object = matches!(ty, None | Some("object"))
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
    string_enum || object
}

/// Gives distinct Rust names to the operations (`x-rust-name` on the operation object).
pub fn operations(ops: &mut [(String, Map<String, Value>)]) {
    let mut taken = BTreeSet::new();
    for (name, op) in ops.iter_mut() {
        let derived = module_name(name);
        if taken.insert(derived.clone()) {
            continue;
        }
        let rust = numbered(bare(&derived), &taken, true);
        taken.insert(rust.clone());
        op.insert("x-rust-name".into(), rust.into());
    }
}

/// Gives distinct Rust names to the parameters and members within `op`; an error names the
/// members no `x-rust-name` can separate.
pub fn within_operation(op: &mut Map<String, Value>) -> Result<(), SkipReason> {
    if let Some(Value::Array(params)) = op.get_mut("parameters") {
        let mut taken = BTreeSet::new();
        // Claimed in wire-name order, so that the names do not depend on the list's order.
        let mut order: Vec<usize> = (0..params.len()).collect();
        let wire_of = |p: &Value| {
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        order.sort_by_key(|&i| wire_of(&params[i]));
        for i in order {
            let Value::Object(param) = &mut params[i] else {
                continue;
            };
            let wire = param
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let derived = snake(wire);
            if !taken.insert(bare(&derived).to_owned()) {
                let rust = numbered(bare(&derived), &taken, true);
                taken.insert(rust.clone());
                param.insert("x-rust-name".into(), rust.into());
            }
            if let Some(Value::Object(schema)) = param.get_mut("schema") {
                members(schema)?;
            }
        }
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for response in responses.values_mut() {
            if let Some(Value::Object(content)) = response.get_mut("content") {
                for media in content.values_mut() {
                    if let Some(Value::Object(schema)) = media.get_mut("schema") {
                        members(schema)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Gives distinct field names to the members of `schema` and of every schema inside it.
pub fn members(schema: &mut Map<String, Value>) -> Result<(), SkipReason> {
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        members(items)?;
    }
    if let Some(Value::Object(extra)) = schema.get_mut("additionalProperties") {
        members(extra)?;
    }
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return Ok(());
    };
    // Derived names of the members that cannot be renamed claim first.
    let mut taken = BTreeSet::new();
    let mut fixed_clash = Vec::new();
    // Claimed in wire-name order, so that the names do not depend on the members' order.
    let mut wires: Vec<String> = properties.keys().cloned().collect();
    wires.sort();
    for (wire, property) in wires.iter().filter_map(|w| Some((w, properties.get(w)?))) {
        let fixed = match property.as_object() {
            Some(p) => p.contains_key("$ref") || is_named_kind(p),
            None => true,
        };
        if fixed && !taken.insert(bare(&snake(wire)).to_owned()) {
            fixed_clash.push(wire.clone());
        }
    }
    if !fixed_clash.is_empty() {
        let clashing: Vec<String> = properties
            .keys()
            .filter(|w| {
                fixed_clash
                    .iter()
                    .any(|c| bare(&snake(c)) == bare(&snake(w)))
            })
            .map(|w| format!("`{w}`"))
            .collect();
        return Err(SkipReason::NameCollision {
            names: clashing.join(", "),
        });
    }
    for wire in &wires {
        let Some(Value::Object(property)) = properties.get_mut(wire) else {
            continue;
        };
        if !(property.contains_key("$ref") || is_named_kind(property)) {
            let derived = bare(&snake(wire)).to_owned();
            if !taken.insert(derived.clone()) {
                let rust = numbered(&derived, &taken, true);
                taken.insert(rust.clone());
                property.insert("x-rust-name".into(), rust.into());
            }
        }
        members(property)?;
    }
    Ok(())
}

/// Gives distinct type names to the component schemas that become types.
pub fn components(schemas: &mut Map<String, Value>) {
    let mut taken = BTreeSet::new();
    let mut names: Vec<String> = schemas.keys().cloned().collect();
    names.sort();
    for name in &names {
        let Some(Value::Object(schema)) = schemas.get_mut(name) else {
            continue;
        };
        if !is_named_kind(schema) {
            continue;
        }
        let derived = type_name(name);
        if !taken.insert(derived.clone()) {
            let rust = numbered(bare(&derived), &taken, false);
            taken.insert(rust.clone());
            schema.insert("x-rust-name".into(), rust.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn colliding_members_are_numbered_in_wire_name_order_whatever_their_order() {
        for mut schema in [
            json!({"properties": {"Key": {"type": "string"}, "key": {"type": "string"}, "KEY": {"type": "integer"}}}),
            json!({"properties": {"key": {"type": "string"}, "KEY": {"type": "integer"}, "Key": {"type": "string"}}}),
        ] {
            members(schema.as_object_mut().unwrap()).unwrap();
            assert!(schema["properties"]["KEY"].get("x-rust-name").is_none());
            assert_eq!(schema["properties"]["Key"]["x-rust-name"], "key_2");
            assert_eq!(schema["properties"]["key"]["x-rust-name"], "key_3");
        }
    }

    #[test]
    fn a_renamable_member_gives_way_to_an_object() {
        let mut schema = json!({"properties": {"key": {"type": "string"}, "Key": {"type": "object", "properties": {"A": {"type": "string"}}}}});
        members(schema.as_object_mut().unwrap()).unwrap();
        assert_eq!(schema["properties"]["key"]["x-rust-name"], "key_2");
        let mut clash = json!({"properties": {"key": {"$ref": "#/components/schemas/A"}, "Key": {"$ref": "#/components/schemas/B"}}});
        assert!(members(clash.as_object_mut().unwrap()).is_err());
    }

    #[test]
    fn operations_and_parameters_differing_in_case() {
        let mut ops = vec![
            ("DescribeA".to_owned(), Map::new()),
            ("Describe_A".to_owned(), Map::new()),
        ];
        operations(&mut ops);
        assert_eq!(ops[1].1["x-rust-name"], "describe_a_2");
        let mut op = json!({"parameters": [{"name": "Type"}, {"name": "type"}]});
        within_operation(op.as_object_mut().unwrap()).unwrap();
        assert_eq!(op["parameters"][1]["x-rust-name"], "type_2");
    }
}
