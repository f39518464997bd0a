//! Metadata schemas → OpenAPI 3.0 schemas. The metadata writes enum values, minimums and
//! maximums as strings whatever the type; here they become values of the schema's type.
//! `required` on a property becomes its parent's `required` list; `enumValueTitles` become
//! `x-acs-enum-descriptions`; formats OpenAPI and acsgen do not know (`iso8601`, `byte`, ...)
//! are kept in `x-acs-format` next to the plain type.

use std::collections::BTreeSet;

use serde_json::{Map, Number, Value};

use super::json::{text, Node, Problem};

/// Where `$ref`s may point: the names under `components.schemas`.
pub const REF_PREFIX: &str = "#/components/schemas/";

/// Formats acsgen maps to Rust types, by type.
fn known_format(ty: &str, format: &str) -> bool {
    match ty {
        "integer" => matches!(format, "int32" | "int64"),
        "number" => matches!(format, "float" | "double"),
        "string" => matches!(
            format,
            "date-time"
                | "date"
                | "email"
                | "uri"
                | "uuid"
                | "password"
                | "hostname"
                | "ipv4"
                | "ipv6"
        ),
        _ => false,
    }
}

/// Converts the schema at `node`. `components` are the schema names a `$ref` may name.
pub fn convert(node: &Node, components: &BTreeSet<String>) -> Result<Map<String, Value>, Problem> {
    node.object()?;
    let mut out = Map::new();
    if let Some(target) = node.get("$ref") {
        let reference = target.str()?;
        let name = reference.strip_prefix(REF_PREFIX).ok_or_else(|| {
            target.problem(format!(
                "`$ref: {reference}` does not point into `{REF_PREFIX}`"
            ))
        })?;
        if !components.contains(name) {
            return Err(target.problem(format!(
                "`$ref: {reference}` points nowhere: there is no schema `{name}` in `components.schemas`"
            )));
        }
        out.insert("$ref".into(), reference.into());
        return Ok(out);
    }
    let mut ty = node.opt_str("type")?.filter(|t| *t != "any");
    let properties = node.get("properties");
    if ty.is_none() && properties.is_some() {
        ty = Some("object");
    }
    if let Some(title) = node.opt_str("title")? {
        out.insert("title".into(), text(title).into());
    }
    if let Some(ty) = ty {
        out.insert("type".into(), ty.into());
    }
    if let Some(format) = node.opt_str("format")? {
        match ty {
            Some(ty) if known_format(ty, format) => {
                out.insert("format".into(), format.into());
            }
            _ => {
                out.insert("x-acs-format".into(), format.into());
            }
        }
    }
    if let Some(description) = node.opt_str("description")? {
        if !description.trim().is_empty() {
            out.insert("description".into(), text(description).into());
        }
    }
    if node.flag("deprecated") {
        out.insert("deprecated".into(), true.into());
    }
    if node.flag("readOnly") {
        out.insert("readOnly".into(), true.into());
    }
    let titles = enum_titles(node)?;
    let mut values: Vec<Value> = Vec::new();
    // A list with a value that is not of the schema's type (`"Success"` for an integer, in
    // gemp 2021-04-13) says nothing reliable about the values: kept as documentation only.
    let mut mistyped = false;
    if let Some(list) = node.get("enum") {
        for item in list.items()? {
            match typed(item.value, ty) {
                Some(converted) => {
                    if !values.contains(&converted) {
                        values.push(converted);
                    }
                }
                None => mistyped = true,
            }
        }
        if mistyped {
            let listed: Vec<Value> = list.items()?.iter().map(|i| i.value.clone()).collect();
            out.insert("x-acs-enum".into(), Value::Array(listed));
            values.clear();
        }
    }
    if values.is_empty() && !mistyped && !titles.is_empty() && is_scalar(ty) {
        // The pages list these as the valid values; the metadata sometimes has no `enum`.
        let converted: Option<Vec<Value>> = titles
            .iter()
            .map(|(k, _)| typed(&Value::String(k.clone()), ty))
            .collect();
        values = converted.unwrap_or_default();
    }
    if !values.is_empty() {
        // Values that differ only in case (`Finished`, `finished`) cannot be told apart as
        // Rust variants; such a list is kept as documentation on a plain value.
        let key = if differ_only_in_case(&values) {
            "x-acs-enum"
        } else {
            "enum"
        };
        out.insert(key.into(), Value::Array(values));
    }
    if !titles.is_empty() {
        let map: Map<String, Value> = titles
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        out.insert("x-acs-enum-descriptions".into(), Value::Object(map));
    }
    for key in ["minimum", "maximum"] {
        if let Some(limit) = node.get(key) {
            let value = number(limit.value).ok_or_else(|| {
                limit.problem(format!("`{key}` is not a number: {}", limit.value))
            })?;
            out.insert(key.into(), value);
        }
    }
    if let Some(default) = node.get("default") {
        if let Some(value) = typed(default.value, ty) {
            // A default the schema's own limits reject is kept, but not as `default`.
            let key = if within_limits(&value, &out) {
                "default"
            } else {
                "x-acs-default"
            };
            out.insert(key.into(), value);
        }
    }
    for key in ["exclusiveMinimum", "exclusiveMaximum"] {
        if node.flag(key) {
            out.insert(key.into(), true.into());
        }
    }
    for key in ["minLength", "maxLength", "minItems", "maxItems"] {
        if let Some(limit) = node.get(key) {
            match number(limit.value) {
                Some(Value::Number(n)) if n.is_u64() => {
                    out.insert(key.into(), Value::Number(n));
                }
                // Some metadata writes -1 for "no limit" (scsp 2020-07-02).
                Some(Value::Number(n)) if n.as_i64().is_some_and(|n| n < 0) => {}
                _ => return Err(limit.problem(format!("`{key}` is not a count: {}", limit.value))),
            }
        }
    }
    if let Some(pattern) = node.opt_str("pattern")? {
        out.insert("pattern".into(), pattern.into());
    }
    if let Some(example) = node.get("example") {
        out.insert("example".into(), example.value.clone());
    }
    if ty == Some("array") {
        let items = match node.get("items") {
            Some(items) => convert(&items, components)?,
            None => Map::new(),
        };
        out.insert("items".into(), Value::Object(items));
    }
    if let Some(properties) = properties {
        let mut converted = Map::new();
        let mut required = Vec::new();
        for (name, property) in properties.entries()? {
            if property.flag("required") {
                required.push(Value::String(name.to_owned()));
            }
            converted.insert(
                name.to_owned(),
                Value::Object(convert(&property, components)?),
            );
        }
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        out.insert("properties".into(), Value::Object(converted));
    }
    if let Some(extra) = node.get("additionalProperties") {
        match extra.value {
            Value::Bool(b) => {
                out.insert("additionalProperties".into(), (*b).into());
            }
            _ => {
                out.insert(
                    "additionalProperties".into(),
                    Value::Object(convert(&extra, components)?),
                );
            }
        }
    }
    Ok(out)
}

/// Whether `value` is one of the schema's `enum` values and within its `minimum`/`maximum`.
fn within_limits(value: &Value, schema: &Map<String, Value>) -> bool {
    let in_enum = match schema.get("enum") {
        Some(Value::Array(values)) => values.contains(value),
        _ => true,
    };
    let number = value.as_f64();
    let limit = |key: &str| schema.get(key).and_then(Value::as_f64);
    let above_minimum = match (number, limit("minimum")) {
        (Some(n), Some(min)) => n >= min,
        _ => true,
    };
    let below_maximum = match (number, limit("maximum")) {
        (Some(n), Some(max)) => n <= max,
        _ => true,
    };
    in_enum && above_minimum && below_maximum
}

/// Whether two of the string values are the same but for ASCII case.
fn differ_only_in_case(values: &[Value]) -> bool {
    let mut seen = BTreeSet::new();
    values
        .iter()
        .filter_map(Value::as_str)
        .any(|v| !seen.insert(v.to_ascii_lowercase()))
}

fn is_scalar(ty: Option<&str>) -> bool {
    matches!(ty, Some("string" | "integer" | "number" | "boolean"))
}

/// `enumValueTitles`: an object `{value: title}` (or, in some captures, a list of
/// `{value, title}` / `{name, value}` pairs), in document order.
fn enum_titles(node: &Node) -> Result<Vec<(String, String)>, Problem> {
    let Some(titles) = node.get("enumValueTitles") else {
        return Ok(Vec::new());
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match titles.value {
        Value::Object(map) => Ok(map.iter().map(|(k, v)| (k.clone(), text(v))).collect()),
        Value::Array(list) => Ok(list
            .iter()
            .filter_map(|item| {
                let value = item.get("value")?;
                let title = item.get("title").or_else(|| item.get("name"))?;
                Some((text(value), text(title)))
            })
            .collect()),
        other => Err(titles.problem(format!(
            "`enumValueTitles` is {}, not an object of value → title",
            super::json::kind(other)
        ))),
    }
}

/// A number written as a number or as a string.
fn number(value: &Value) -> Option<Value> {
    match value {
        Value::Number(n) => Some(Value::Number(n.clone())),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(i) = s.parse::<i64>() {
                Some(Value::Number(i.into()))
            } else if let Ok(u) = s.parse::<u64>() {
                Some(Value::Number(u.into()))
            } else {
                s.parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
            }
        }
        _ => None,
    }
}

/// A value written as a string (as the metadata writes every enum value) as a value of `ty`.
pub fn typed(value: &Value, ty: Option<&str>) -> Option<Value> {
    match (ty, value) {
        (Some("integer"), _) => match number(value)? {
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(Value::Number(n)),
            _ => None,
        },
        (Some("number"), _) => number(value),
        (Some("boolean"), Value::Bool(b)) => Some(Value::Bool(*b)),
        (Some("boolean"), Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        (Some("boolean"), _) => None,
        (_, Value::String(s)) => Some(Value::String(s.clone())),
        (_, Value::Number(n)) => Some(Value::String(n.to_string())),
        (_, Value::Bool(b)) => Some(Value::String(b.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: Value) -> Result<Value, Problem> {
        let components = BTreeSet::from(["Known".to_owned()]);
        convert(&Node::root(&value), &components).map(Value::Object)
    }

    #[test]
    fn strings_become_values_of_the_schema_type() {
        let schema = run(json!({"type": "integer", "format": "int32", "enum": ["1", "2", "2"], "minimum": "0", "maximum": "100", "enumValueTitles": {"1": "one", "2": "two"}})).unwrap();
        assert_eq!(
            schema,
            json!({"type": "integer", "format": "int32", "enum": [1, 2], "x-acs-enum-descriptions": {"1": "one", "2": "two"}, "minimum": 0, "maximum": 100})
        );
        let flag = run(json!({"type": "boolean", "enum": ["true", "false"]})).unwrap();
        assert_eq!(flag["enum"], json!([true, false]));
    }

    #[test]
    fn titles_without_enum_give_the_valid_values() {
        let schema =
            run(json!({"type": "string", "enumValueTitles": {"CEO": "ceo", "Other": "other"}}))
                .unwrap();
        assert_eq!(schema["enum"], json!(["CEO", "Other"]));
    }

    #[test]
    fn required_members_and_unknown_formats() {
        let schema = run(json!({"properties": {"A": {"type": "string", "required": true, "format": "iso8601"}, "B": {"type": "any"}}})).unwrap();
        assert_eq!(
            schema,
            json!({"type": "object", "required": ["A"], "properties": {"A": {"type": "string", "x-acs-format": "iso8601"}, "B": {}}})
        );
    }

    #[test]
    fn references_must_resolve() {
        assert_eq!(
            run(json!({"$ref": "#/components/schemas/Known"})).unwrap(),
            json!({"$ref": "#/components/schemas/Known"})
        );
        let problem = run(json!({"items": {}, "type": "array", "properties": {"X": {"$ref": "#/components/schemas/Gone"}}})).unwrap_err();
        assert_eq!(problem.path, "$.properties.X[\"$ref\"]");
        assert!(
            problem.message.contains("no schema `Gone`"),
            "{}",
            problem.message
        );
        // An enum value not of the schema's type leaves the list as documentation only.
        let mistyped = run(json!({"type": "integer", "enum": ["1", "x"]})).unwrap();
        assert_eq!(
            mistyped,
            json!({"type": "integer", "x-acs-enum": ["1", "x"]})
        );
        let below = run(json!({"type": "integer", "minimum": "1", "default": "0"})).unwrap();
        assert_eq!(
            below,
            json!({"type": "integer", "minimum": 1, "x-acs-default": 0})
        );
        let cased = run(json!({"type": "string", "enum": ["Finished", "finished"]})).unwrap();
        assert_eq!(
            cased,
            json!({"type": "string", "x-acs-enum": ["Finished", "finished"]})
        );
    }
}
