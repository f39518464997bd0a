//! The request parameters of one operation: listed once (the metadata lists some twice),
//! dotted names folded into one parameter as `spec/README.md` prescribes
//! (`Channels.SMS`, `Channels.Mail` → object `Channels`, `x-acs-style: flat`; indexed names
//! `Filter.1.Key`, `Filter.2.Key` → list `Filter` of objects, `x-acs-style: repeatList`), and
//! the description and example moved from the metadata's schema onto the parameter.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::json::{Node, Problem};
use super::schema;
use super::support::SkipReason;
use crate::binding::Protocol;

/// A problem that stops the file (bad metadata) or only the operation (a skip).
#[derive(Debug)]
pub enum ParamError {
    /// The metadata is malformed.
    Bad(Problem),
    /// The parameters are well-formed but cannot be generated.
    Skip(SkipReason),
}

impl From<Problem> for ParamError {
    fn from(problem: Problem) -> Self {
        ParamError::Bad(problem)
    }
}

/// One converted parameter before it is written.
struct Converted {
    name: String,
    /// Where it goes: `query` or `formData`.
    location: String,
    required: bool,
    description: Option<Value>,
    example: Option<Value>,
    deprecated: bool,
    style: Option<String>,
    schema: Map<String, Value>,
    dotted: Vec<String>,
}

/// The parameters of one operation, and notes on what was left out.
#[derive(Debug, Default)]
pub struct Parameters {
    /// The OpenAPI parameter objects.
    pub list: Vec<Value>,
    /// The `requestBody`: the form-body (`formData`) parameters of an RPC operation, or the
    /// JSON body of an ROA operation, when there is one.
    pub body: Option<Value>,
    /// Plain-English notes for `x-acs-gaps`.
    pub notes: Vec<String>,
}

/// For each parameter name, the position of the listing to keep. The metadata lists some
/// parameters twice (ECS lists `ClientToken` once required and once not): the first
/// optional listing is kept, else the first, so that the result does not depend on the
/// order of the list.
fn chosen_listings(list: &Node) -> Result<BTreeMap<String, usize>, ParamError> {
    let mut chosen: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    for (position, param) in list.items()?.into_iter().enumerate() {
        let name = param.require("name")?.str()?.to_owned();
        let required = param
            .get("schema")
            .is_some_and(|schema| schema.flag("required"));
        match chosen.get(&name) {
            Some((_, false)) => {}
            Some((_, true)) if required => {}
            _ => {
                chosen.insert(name, (position, required));
            }
        }
    }
    Ok(chosen
        .into_iter()
        .map(|(name, (at, _))| (name, at))
        .collect())
}

/// The OpenAPI parameters for the metadata parameter list at `list`.
pub fn convert(list: &Node, components: &BTreeSet<String>) -> Result<Parameters, ParamError> {
    let mut notes = Vec::new();
    let chosen = chosen_listings(list)?;
    let mut plain: Vec<(usize, Converted)> = Vec::new();
    // Dotted names by prefix: position of the first, then (rest, converted) per name.
    let mut dotted: BTreeMap<String, (usize, Vec<(String, Converted)>)> = BTreeMap::new();
    for (position, param) in list.items()?.into_iter().enumerate() {
        let name = param.require("name")?.str()?;
        if chosen.get(name) != Some(&position) {
            continue;
        }
        if Protocol::Rpc.own_parameters().contains(&name) {
            notes.push(format!(
                "The metadata lists `{name}` as a parameter; it is a protocol parameter the client sends itself, and is left out."
            ));
            continue;
        }
        let converted = one(&param, name, components)?;
        match name.split_once('.') {
            Some((prefix, rest)) => {
                dotted
                    .entry(prefix.to_owned())
                    .or_insert_with(|| (position, Vec::new()))
                    .1
                    .push((rest.to_owned(), converted));
            }
            None => plain.push((position, converted)),
        }
    }
    for (prefix, (position, members)) in dotted {
        let skip = || {
            ParamError::Skip(SkipReason::DottedNames {
                prefix: prefix.clone(),
            })
        };
        let folded = fold(&prefix, members).ok_or_else(skip)?;
        match plain.iter_mut().find(|(_, p)| p.name == prefix) {
            // `SystemDisk` (flat) and `SystemDisk.Size`; `DataDisk` (repeatList) and
            // `DataDisk.1.Size`: the same wire names, one parameter.
            Some((_, existing)) => merge(existing, folded).ok_or_else(skip)?,
            None => plain.push((position, folded)),
        }
    }
    plain.sort_by_key(|(position, _)| *position);
    let mut form = Vec::new();
    let mut body = None;
    let mut list = Vec::new();
    for (_, param) in plain {
        match param.location.as_str() {
            // ROA writes a form body as one object parameter `body`, as it writes a JSON one.
            "formData" if is_form_container(&param) => body = Some(container_form_body(param)),
            "formData" => form.push(param),
            // `check_operation` lets one JSON object body through.
            "body" => body = Some(json_body(param)),
            _ => list.push(write(param)),
        }
    }
    Ok(Parameters {
        list,
        body: body.or_else(|| (!form.is_empty()).then(|| form_body(form))),
        notes,
    })
}

/// Whether a form-body parameter stands for the whole form: an object named `body`, with
/// members and no wire style (ROA metadata writes a form body so, as it writes a JSON one).
fn is_form_container(param: &Converted) -> bool {
    param.name == "body"
        && param.style.is_none()
        && param.schema.get("type").and_then(Value::as_str) == Some("object")
        && param
            .schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
}

/// The `requestBody` of an ROA operation's form body parameter: its object schema, whose
/// members are the form's fields.
fn container_form_body(param: Converted) -> Value {
    let mut body = json_body(param);
    if let Some(Value::Object(content)) = body.get_mut("content") {
        if let Some(media) = content.remove(crate::binding::JSON_CONTENT_TYPE) {
            content.insert(crate::binding::FORM_CONTENT_TYPE.into(), media);
        }
    }
    body
}

/// The `requestBody` of an ROA operation's JSON body parameter: its object schema, whose
/// members are the body's (see `spec/README.md`, ROA).
fn json_body(param: Converted) -> Value {
    let mut body = Map::new();
    if let Some(description) = param.description {
        body.insert("description".into(), description);
    }
    body.insert("required".into(), param.required.into());
    let mut media = Map::new();
    media.insert("schema".into(), Value::Object(param.schema));
    if let Some(example) = param.example {
        media.insert("example".into(), example);
    }
    body.insert(
        "content".into(),
        serde_json::json!({ crate::binding::JSON_CONTENT_TYPE: Value::Object(media) }),
    );
    Value::Object(body)
}

/// The `requestBody` of an RPC operation's form-body parameters: an object whose properties
/// are the members, each with its description, example and `x-acs-style` (see
/// `spec/README.md`, GET and form bodies).
fn form_body(members: Vec<Converted>) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut any_required = false;
    for member in members {
        if member.required {
            required.push(Value::String(member.name.clone()));
            any_required = true;
        }
        let mut schema = member.schema;
        insert_docs(
            &mut schema,
            member.description,
            member.example,
            member.deprecated,
        );
        if let Some(style) = member.style {
            schema.insert("x-acs-style".into(), style.into());
        }
        if !member.dotted.is_empty() {
            schema.insert(
                "x-acs-dotted-names".into(),
                Value::Array(member.dotted.into_iter().map(Value::String).collect()),
            );
        }
        properties.insert(member.name, Value::Object(schema));
    }
    let mut object = Map::new();
    object.insert("type".into(), "object".into());
    if !required.is_empty() {
        object.insert("required".into(), Value::Array(required));
    }
    object.insert("properties".into(), Value::Object(properties));
    serde_json::json!({
        "required": any_required,
        "content": {crate::binding::FORM_CONTENT_TYPE: {"schema": object}},
    })
}

/// The members of an object schema, or of the objects of a list schema.
fn members_mut(schema: &mut Map<String, Value>) -> Option<&mut Map<String, Value>> {
    let target = if schema.get("type").and_then(Value::as_str) == Some("array") {
        schema.get_mut("items")?.as_object_mut()?
    } else {
        schema
    };
    target.get_mut("properties")?.as_object_mut()
}

/// Adds the members of `folded` that `existing` lacks; `None` when the two are not the same
/// kind of parameter written the same way.
fn merge(existing: &mut Converted, mut folded: Converted) -> Option<()> {
    if existing.style != folded.style || existing.location != folded.location {
        return None;
    }
    match (
        members_mut(&mut existing.schema),
        members_mut(&mut folded.schema),
    ) {
        (Some(into), Some(from)) => {
            for (name, schema) in std::mem::take(from) {
                into.entry(name).or_insert(schema);
            }
        }
        // A list of scalars: the indexed names are the list's own wire form.
        (None, None) => {}
        _ => return None,
    }
    existing.dotted = folded.dotted;
    Some(())
}

/// Reads one metadata parameter.
fn one(param: &Node, name: &str, components: &BTreeSet<String>) -> Result<Converted, ParamError> {
    let schema_node = param.require("schema")?;
    let mut schema = schema::convert(&schema_node, components)?;
    let description = schema.remove("description");
    let example = schema.remove("example");
    let deprecated = schema.remove("deprecated").is_some();
    let compound = schema.contains_key("$ref")
        || matches!(
            schema.get("type").and_then(Value::as_str),
            Some("array" | "object")
        );
    // A style only changes how lists and objects are written; scalars are sent as they are.
    let style = param
        .opt_str("style")?
        .filter(|_| compound)
        .map(str::to_owned);
    Ok(Converted {
        name: name.to_owned(),
        location: param.require("in")?.str()?.to_owned(),
        required: schema_node.flag("required"),
        description,
        example,
        deprecated,
        style,
        schema,
        dotted: Vec::new(),
    })
}

/// Folds the dotted names under `prefix` into one parameter; `None` when they do not fold
/// (some indexed, some not; or a name that is both a value and an object).
fn fold(prefix: &str, members: Vec<(String, Converted)>) -> Option<Converted> {
    let location = members.first()?.1.location.clone();
    if members.iter().any(|(_, m)| m.location != location) {
        return None;
    }
    let indexed = members
        .iter()
        .filter(|(rest, _)| rest.split('.').next().is_some_and(is_index))
        .count();
    let names: Vec<String> = members
        .iter()
        .map(|(rest, _)| format!("{prefix}.{rest}"))
        .collect();
    let required = members.iter().any(|(_, m)| m.required);
    let (schema, style) = if indexed == 0 {
        (object_of(members)?, "flat")
    } else if indexed == members.len() {
        let mut count = 0u64;
        let mut item_members: Vec<(String, Converted)> = Vec::new();
        let mut scalar: Option<Converted> = None;
        let mut seen = BTreeSet::new();
        for (rest, member) in members {
            let (index, sub) = match rest.split_once('.') {
                Some((i, sub)) => (i, Some(sub.to_owned())),
                None => (rest.as_str(), None),
            };
            count = count.max(index.parse().ok()?);
            match sub {
                Some(sub) => {
                    if seen.insert(sub.clone()) {
                        item_members.push((sub, member));
                    }
                }
                None => {
                    scalar.get_or_insert(member);
                }
            }
        }
        let items = match (scalar, item_members.is_empty()) {
            (Some(scalar), true) => member_schema(scalar),
            (None, false) => object_of(item_members)?,
            _ => return None,
        };
        let mut list = Map::new();
        list.insert("type".into(), "array".into());
        list.insert("items".into(), Value::Object(items));
        list.insert("maxItems".into(), count.into());
        (list, "repeatList")
    } else {
        return None;
    };
    Some(Converted {
        name: prefix.to_owned(),
        location,
        required,
        description: None,
        example: None,
        deprecated: false,
        style: Some(style.to_owned()),
        schema,
        dotted: names,
    })
}

fn is_index(part: &str) -> bool {
    !part.is_empty() && part.chars().all(|c| c.is_ascii_digit())
}

/// A member's schema with its description and example back on it.
fn member_schema(member: Converted) -> Map<String, Value> {
    let mut schema = member.schema;
    if let Some(description) = member.description {
        schema.insert("description".into(), description);
    }
    if let Some(example) = member.example {
        schema.insert("example".into(), example);
    }
    if member.deprecated {
        schema.insert("deprecated".into(), true.into());
    }
    schema
}

/// An object schema whose members are the given dotted remainders (`SMS`, `Critical.Times`).
fn object_of(members: Vec<(String, Converted)>) -> Option<Map<String, Value>> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut nested: Vec<(String, Vec<(String, Converted)>)> = Vec::new();
    for (rest, member) in members {
        match rest.split_once('.') {
            Some((head, tail)) => match nested.iter_mut().find(|(h, _)| h == head) {
                Some((_, list)) => list.push((tail.to_owned(), member)),
                None if properties.contains_key(head) => return None,
                None => {
                    properties.insert(head.to_owned(), Value::Null);
                    nested.push((head.to_owned(), vec![(tail.to_owned(), member)]));
                }
            },
            None => {
                if properties.contains_key(&rest) {
                    return None;
                }
                if member.required {
                    required.push(Value::String(rest.clone()));
                }
                properties.insert(rest, Value::Object(member_schema(member)));
            }
        }
    }
    for (head, list) in nested {
        if list
            .iter()
            .any(|(rest, _)| rest.split('.').next().is_some_and(is_index))
        {
            return None;
        }
        if list.iter().any(|(_, m)| m.required) {
            required.push(Value::String(head.clone()));
        }
        properties.insert(head, Value::Object(object_of(list)?));
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("properties".into(), Value::Object(properties));
    Some(schema)
}

/// Adds the description, example and deprecation of a parameter or form member to `object`.
fn insert_docs(
    object: &mut Map<String, Value>,
    description: Option<Value>,
    example: Option<Value>,
    deprecated: bool,
) {
    if let Some(description) = description {
        object.insert("description".into(), description);
    }
    if let Some(example) = example {
        object.insert("example".into(), example);
    }
    if deprecated {
        object.insert("deprecated".into(), true.into());
    }
}

/// The OpenAPI parameter object, keys in the order of `spec/`.
fn write(p: Converted) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), p.name.into());
    // A path segment cannot be left out, whatever the metadata says.
    let required = p.required || p.location == "path";
    out.insert("in".into(), p.location.into());
    out.insert("required".into(), required.into());
    insert_docs(&mut out, p.description, p.example, p.deprecated);
    if let Some(style) = p.style {
        out.insert("style".into(), "form".into());
        out.insert("explode".into(), true.into());
        out.insert("x-acs-style".into(), style.into());
    }
    if !p.dotted.is_empty() {
        out.insert(
            "x-acs-dotted-names".into(),
            Value::Array(p.dotted.into_iter().map(Value::String).collect()),
        );
    }
    out.insert("schema".into(), Value::Object(p.schema));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(list: Value) -> Result<Vec<Value>, ParamError> {
        convert(&Node::root(&list), &BTreeSet::new()).map(|p| p.list)
    }

    #[test]
    fn a_parameter_listed_twice_is_written_once() {
        let list = json!([
            {"name": "RegionId", "in": "query", "schema": {"type": "string", "required": true, "example": "cn-hangzhou"}},
            {"name": "RegionId", "in": "query", "schema": {"type": "string", "required": true}}
        ]);
        let params = run(list).unwrap();
        assert_eq!(
            params,
            vec![
                json!({"name": "RegionId", "in": "query", "required": true, "example": "cn-hangzhou", "schema": {"type": "string"}})
            ]
        );
    }

    #[test]
    fn dotted_names_fold_into_one_flat_object() {
        let list = json!([
            {"name": "A", "in": "query", "schema": {"type": "string"}},
            {"name": "Channels.SMS", "in": "query", "schema": {"type": "string", "description": "phone"}},
            {"name": "Esc.Critical.Times", "in": "query", "schema": {"type": "integer", "required": true}},
            {"name": "Esc.Critical.Level", "in": "query", "schema": {"type": "string"}},
            {"name": "Channels.Mail", "in": "query", "schema": {"type": "string"}}
        ]);
        let params = run(list).unwrap();
        let names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["A", "Channels", "Esc"]);
        assert_eq!(params[1]["x-acs-style"], "flat");
        assert_eq!(
            params[1]["schema"]["properties"]["SMS"],
            json!({"type": "string", "description": "phone"})
        );
        assert_eq!(params[2]["required"], true);
        assert_eq!(
            params[2]["schema"]["properties"]["Critical"]["required"],
            json!(["Times"])
        );
    }

    #[test]
    fn indexed_names_fold_into_a_repeat_list() {
        let list = json!([
            {"name": "Filter.1.Key", "in": "query", "schema": {"type": "string"}},
            {"name": "Filter.1.Value", "in": "query", "schema": {"type": "string"}},
            {"name": "Filter.2.Key", "in": "query", "schema": {"type": "string"}},
            {"name": "AddGroup.1", "in": "query", "schema": {"type": "string"}}
        ]);
        let params = run(list).unwrap();
        assert_eq!(params[0]["name"], "Filter");
        assert_eq!(params[0]["x-acs-style"], "repeatList");
        assert_eq!(params[0]["schema"]["maxItems"], 2);
        assert_eq!(
            params[0]["schema"]["items"]["properties"],
            json!({"Key": {"type": "string"}, "Value": {"type": "string"}})
        );
        assert_eq!(
            params[1]["schema"],
            json!({"type": "array", "items": {"type": "string"}, "maxItems": 1})
        );
    }

    #[test]
    fn dotted_names_join_the_parameter_of_their_prefix() {
        let list = json!([
            {"name": "SystemDisk", "in": "query", "style": "flat", "schema": {"type": "object", "properties": {"StorageClusterId": {"type": "string"}}}},
            {"name": "SystemDisk.Size", "in": "query", "schema": {"type": "integer"}},
            {"name": "Format", "in": "query", "schema": {"type": "string"}}
        ]);
        let params = convert(&Node::root(&list), &BTreeSet::new()).unwrap();
        assert_eq!(params.list.len(), 1);
        assert_eq!(
            params.list[0]["schema"]["properties"],
            json!({"StorageClusterId": {"type": "string"}, "Size": {"type": "integer"}})
        );
        assert!(params.notes[0].contains("`Format`"), "{:?}", params.notes);
    }

    #[test]
    fn a_prefix_that_is_also_a_scalar_parameter_is_skipped() {
        let list = json!([
            {"name": "Tag", "in": "query", "schema": {"type": "string"}},
            {"name": "Tag.Key", "in": "query", "schema": {"type": "string"}}
        ]);
        assert!(matches!(
            run(list),
            Err(ParamError::Skip(SkipReason::DottedNames { .. }))
        ));
    }
}
