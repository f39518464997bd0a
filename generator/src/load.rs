//! Load: YAML or JSON text → the typed OpenAPI model, every node with its line, column and
//! JSON path. Shape errors (a string where a mapping belongs, ...) are reported here, all of
//! them, with the node's location; meaning is checked by `validate`.

use crate::yaml::{self, Mapping, Mark, Node, ParseError};
use serde_json::{Map, Number, Value};

use crate::diag::{Location, Sink};
use crate::openapi::*;

/// Parses `text` into a document, recording every problem in `sink`. Returns `None` when the
/// text is not YAML/JSON at all or not an OpenAPI document, so nothing further can be read.
pub fn load(text: &str, sink: &mut Sink) -> Option<Document> {
    if text.trim().is_empty() {
        sink.error(&Location::document(), "the file is empty")
            .help("an OpenAPI document starts with `openapi: 3.0.3`, `info` and `paths`");
        return None;
    }
    let root = match yaml::parse(text) {
        Ok(root) => Node::Mapping(root),
        Err(err) => {
            report_syntax_error(&err, sink);
            return None;
        }
    };
    let mut reader = Reader { sink };
    reader.document(root)
}

fn report_syntax_error(err: &ParseError, sink: &mut Sink) {
    let json = sink
        .file()
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let kind = if json { "JSON" } else { "YAML" };
    let (mark, message, help) = match err {
        ParseError::TopLevelNotMapping(m) => (
            m,
            "the document is not a mapping".to_owned(),
            "an OpenAPI document is a mapping that starts with `openapi: 3.0.3`, `info` and `paths`".to_owned(),
        ),
        ParseError::Anchor(m) => (
            m,
            "YAML anchors and aliases (`&name`, `*name`) are not supported".to_owned(),
            "define the shared part once under `components` and point to it with `$ref`".to_owned(),
        ),
        ParseError::KeyNotScalar(m) => (
            m,
            "a mapping key is a list or a mapping; keys must be plain strings".to_owned(),
            "write the key as a string".to_owned(),
        ),
        ParseError::Tag(m) => (
            m,
            "YAML tags (`!name`) are not supported".to_owned(),
            "remove the tag; write the value as plain YAML".to_owned(),
        ),
        ParseError::Syntax(m, info) => (
            m,
            format!("invalid {kind}: {info}"),
            syntax_help(info, json).to_owned(),
        ),
        ParseError::DuplicateKey { key, first, second } => (
            second,
            format!(
                "the key `{key}` appears twice in one mapping (first at line {})",
                first.line
            ),
            "keep one of them; a mapping cannot hold the same key twice".to_owned(),
        ),
    };
    sink.error(&at(*mark, "$"), message).help(help);
}

/// How to fix a syntax error, from the parser's description of it.
fn syntax_help(info: &str, json: bool) -> &'static str {
    if info.contains("flow mapping") {
        if json {
            "separate the members of an object with `,` (one may be missing at the end of the line before) and close it with `}`"
        } else {
            "separate the members of a `{...}` mapping with `,` and close it with `}`"
        }
    } else if info.contains("flow sequence") {
        "separate the items of a list with `,` and close it with `]`"
    } else if info.contains("mapping values are not allowed") || info.contains("':' indicator") {
        "a plain value cannot contain `: `; quote it (`summary: \"Valid values: a, b\"`), or close a `[` or `{` left open above"
    } else if info.contains("tab") {
        "indent with spaces; YAML does not allow tabs in indentation"
    } else if info.contains("quoted scalar") {
        "close the quoted string on this line or the one it started on, and escape quotes inside it"
    } else if info.contains("indentation") || info.contains("block") {
        "check the indentation: the keys of one mapping and the `-` items of one list must start in the same column"
    } else if json {
        "check the JSON syntax near this point"
    } else {
        "check the YAML syntax near this point"
    }
}

struct Reader<'s> {
    sink: &'s mut Sink,
}

fn location(node: &Node, path: &str) -> Location {
    at(start(node), path)
}

fn at(mark: Mark, path: &str) -> Location {
    Location {
        line: mark.line as usize,
        column: mark.column as usize,
        path: path.to_owned(),
    }
}

/// Where `node` starts.
///
/// The parser marks a block mapping at the `:` after its first key, so a mapping starts at
/// whichever comes first: that mark (the `{` of a flow mapping) or its first key.
fn start(node: &Node) -> Mark {
    let own = node.mark();
    match node {
        Node::Mapping(map) => map.keys().next().map_or(own, |key| own.min(key.mark())),
        _ => own,
    }
}

/// JSON path of a mapping member: `.key` for identifier-like keys (RFC 9535 member-name
/// shorthand: letters, digits, `_`), `["key"]` otherwise (`["x-acs-style"]`, `["$ref"]`).
fn child(path: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_owned()))
    }
}

/// What a node is, for messages about a node of the wrong kind.
fn describe(node: &Node) -> String {
    match node {
        Node::Mapping(_) => "a mapping".to_owned(),
        Node::Sequence(_) => "a list".to_owned(),
        Node::Scalar(s) if s.as_str().is_empty() => "empty".to_owned(),
        Node::Scalar(s) => {
            let text: String = s.as_str().chars().take(40).collect();
            let more = if text.len() < s.as_str().len() {
                "..."
            } else {
                ""
            };
            format!("`{text}{more}`")
        }
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Converts a YAML node into a JSON value (examples are free-form data).
pub fn to_json(node: &Node) -> Value {
    match node {
        Node::Scalar(s) => {
            let text = s.as_str();
            if !s.is_plain() {
                return Value::String(text.to_owned());
            }
            match text {
                "null" | "Null" | "NULL" | "~" | "" => Value::Null,
                "true" | "True" | "TRUE" => Value::Bool(true),
                "false" | "False" | "FALSE" => Value::Bool(false),
                _ => number(text).unwrap_or_else(|| Value::String(text.to_owned())),
            }
        }
        Node::Sequence(seq) => Value::Array(seq.iter().map(to_json).collect()),
        Node::Mapping(map) => {
            let mut out = Map::new();
            for (key, value) in map.iter() {
                out.insert(key.as_str().to_owned(), to_json(value));
            }
            Value::Object(out)
        }
    }
}

fn number(text: &str) -> Option<Value> {
    let numeric = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        && text.chars().any(|c| c.is_ascii_digit());
    if !numeric {
        return None;
    }
    if let Ok(int) = text.parse::<i64>() {
        return Some(Value::Number(int.into()));
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

impl Reader<'_> {
    fn mapping<'n>(&mut self, node: &'n Node, path: &str, what: &str) -> Option<&'n Mapping> {
        match node {
            Node::Mapping(map) => Some(map),
            _ => {
                self.sink
                    .error(
                        &location(node, path),
                        format!("{what} must be a mapping, but it is {}", describe(node)),
                    )
                    .help("write its members as `key: value` lines, indented below it");
                None
            }
        }
    }

    fn sequence<'n>(&mut self, node: &'n Node, path: &str, what: &str) -> Option<&'n [Node]> {
        match node {
            Node::Sequence(seq) => Some(seq),
            _ => {
                self.sink
                    .error(
                        &location(node, path),
                        format!("{what} must be a list, but it is {}", describe(node)),
                    )
                    .help("write its items as `- item` lines, indented below it, or as `[a, b]`");
                None
            }
        }
    }

    fn string(&mut self, node: &Node, path: &str, what: &str) -> Option<Spanned<String>> {
        match node {
            Node::Scalar(s) => Some(Spanned {
                value: s.as_str().to_owned(),
                at: location(node, path),
            }),
            _ => {
                self.sink
                    .error(
                        &location(node, path),
                        format!("{what} must be a string, but it is {}", describe(node)),
                    )
                    .help("write it as plain text; quote it if it contains `: ` or starts with `[` or `{`");
                None
            }
        }
    }

    fn field_string(&mut self, map: &Mapping, path: &str, key: &str) -> Option<Spanned<String>> {
        let node = map.get(key)?;
        self.string(node, &child(path, key), &format!("`{key}`"))
    }

    fn field_text(&mut self, map: &Mapping, path: &str, key: &str) -> Option<String> {
        self.field_string(map, path, key).map(|s| s.value)
    }

    fn field_bool(&mut self, map: &Mapping, path: &str, key: &str) -> Option<bool> {
        let node = map.get(key)?;
        match to_json(node) {
            Value::Bool(b) => Some(b),
            _ => {
                self.sink
                    .error(
                        &location(node, &child(path, key)),
                        format!(
                            "`{key}` must be `true` or `false`, but it is {}",
                            describe(node)
                        ),
                    )
                    .help(format!(
                        "write `{key}: true` or `{key}: false`, without quotes"
                    ));
                None
            }
        }
    }

    fn field_strings(&mut self, map: &Mapping, path: &str, key: &str) -> Vec<String> {
        let Some(node) = map.get(key) else {
            return Vec::new();
        };
        let path = child(path, key);
        let Some(items) = self.sequence(node, &path, &format!("`{key}`")) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                self.string(item, &index(&path, i), &format!("each entry of `{key}`"))
                    .map(|s| s.value)
            })
            .collect()
    }

    /// Reads the document. The path items, most of a large document, are taken out of the
    /// tree and each is dropped once read, so that the tree and the model are not both held
    /// whole (at 5000 operations that halves what loading holds).
    fn document(&mut self, mut root: Node) -> Option<Document> {
        let root_at = location(&root, "$");
        let paths = match &mut root {
            Node::Mapping(map) => map.remove("paths"),
            _ => None,
        };
        let map = self.mapping(&root, "$", "the document")?;
        let mut doc = Document {
            openapi: self.field_string(map, "$", "openapi"),
            ..Document::default()
        };
        if doc.openapi.is_none() {
            match map.get("swagger") {
                Some(swagger) => {
                    let version = swagger.as_scalar().map_or("", |v| v.as_str());
                    self.sink
                        .error(
                            &location(swagger, "$.swagger"),
                            format!("this is a Swagger {version} document, not OpenAPI 3; acsgen reads OpenAPI 3.0 and 3.1"),
                        )
                        .help("convert it to OpenAPI 3 (`swagger: \"2.0\"` becomes `openapi: 3.0.3`, `host` becomes `servers`, parameter types move into `schema`)");
                }
                None => {
                    self.sink
                        .error(
                            &root_at,
                            "not an OpenAPI 3 document: it has no `openapi` field",
                        )
                        .help("an OpenAPI document starts with `openapi: 3.0.3`, then `info` and `paths`");
                }
            }
            return None;
        }
        if let Some(info) = map.get("info") {
            doc.info = self.info(info, "$.info");
        }
        if let Some(servers) = map.get("servers") {
            if let Some(items) = self.sequence(servers, "$.servers", "`servers`") {
                for (i, item) in items.iter().enumerate() {
                    let path = index("$.servers", i);
                    if let Some(server) = self.mapping(item, &path, "a server") {
                        match self.field_string(server, &path, "url") {
                            Some(url) => {
                                let variables = server
                                    .get_mapping("variables")
                                    .map(|vars| {
                                        vars.iter()
                                            .filter_map(|(name, var)| {
                                                let default = var
                                                    .as_mapping()?
                                                    .get_scalar("default")?
                                                    .as_str()
                                                    .to_owned();
                                                Some((name.as_str().to_owned(), default))
                                            })
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                doc.servers.push(Server {
                                    url,
                                    description: self.field_text(server, &path, "description"),
                                    variables,
                                })
                            }
                            None => {
                                self.sink
                                    .error(&location(item, &path), "a server needs a `url`");
                            }
                        }
                    }
                }
            }
        }
        match paths {
            Some(paths) => {
                doc.paths_at = location(&paths, "$.paths");
                self.paths(paths, &mut doc);
            }
            None => doc.paths_at = root_at,
        }
        if let Some(components) = map.get("components") {
            self.components(components, &mut doc);
        }
        if let Some(security) = map.get("security") {
            doc.security = self.security(security, "$.security");
        }
        Some(doc)
    }

    fn info(&mut self, node: &Node, path: &str) -> Info {
        let mut info = Info {
            at: location(node, path),
            ..Info::default()
        };
        let Some(map) = self.mapping(node, path, "`info`") else {
            return info;
        };
        info.title = self.field_string(map, path, "title");
        info.version = self.field_string(map, path, "version");
        info.description = self.field_text(map, path, "description");
        info.product = self.field_string(map, path, "x-acs-product");
        info.api_version = self.field_string(map, path, "x-acs-api-version");
        info.style = self.field_string(map, path, "x-acs-style");
        info.endpoint_rule = self.field_string(map, path, "x-acs-endpoint-rule");
        info.vpc_endpoint = self.field_string(map, path, "x-acs-vpc-endpoint");
        info.success_flag = self.field_string(map, path, "x-acs-success-flag");
        if let Some(node) = map.get("x-acs-endpoints") {
            let endpoints_path = child(path, "x-acs-endpoints");
            if let Some(entries) = self.mapping(node, &endpoints_path, "`x-acs-endpoints`") {
                for (region, host) in entries.iter() {
                    let host_path = child(&endpoints_path, region.as_str());
                    let region = Spanned {
                        value: region.as_str().to_owned(),
                        at: location(host, &host_path),
                    };
                    if let Some(host) = self.string(host, &host_path, "an endpoint host") {
                        info.endpoints.push((region, host));
                    }
                }
            }
        }
        info
    }

    fn paths(&mut self, node: Node, doc: &mut Document) {
        let Node::Mapping(paths) = node else {
            self.mapping(&node, "$.paths", "`paths`");
            return;
        };
        for (key, item) in paths.into_entries() {
            let (key, item) = (&key, &item);
            let item_path = child("$.paths", key);
            let key = Spanned {
                value: key.as_str().to_owned(),
                at: Location {
                    path: item_path.clone(),
                    ..at(key.mark(), &item_path)
                },
            };
            let Some(item_map) = self.mapping(item, &item_path, "a path item") else {
                continue;
            };
            let shared: Vec<ParameterOrRef> = item_map
                .get("parameters")
                .map(|p| self.parameter_list(p, &child(&item_path, "parameters")))
                .unwrap_or_default();
            for (method_key, op_node) in item_map.iter() {
                let method = method_key.as_str();
                if !matches!(
                    method,
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                ) {
                    continue;
                }
                let op_path = child(&item_path, method);
                if let Some(op) = self.operation(op_node, &op_path, &key, method, &shared) {
                    doc.operations.push(op);
                }
            }
        }
    }

    fn operation(
        &mut self,
        node: &Node,
        path: &str,
        key: &Spanned<String>,
        method: &str,
        shared: &[ParameterOrRef],
    ) -> Option<Operation> {
        let map = self.mapping(node, path, "an operation")?;
        let mut parameters = shared.to_vec();
        if let Some(p) = map.get("parameters") {
            parameters.extend(self.parameter_list(p, &child(path, "parameters")));
        }
        let responses =
            self.named_entries(map, path, "responses", "`responses`", Self::response_or_ref);
        let ram = map
            .get("x-acs-ram")
            .and_then(|n| self.ram(n, &child(path, "x-acs-ram")));
        let rate_limit = map
            .get("x-acs-rate-limit")
            .and_then(|n| self.rate_limit(n, &child(path, "x-acs-rate-limit")));
        let change_history = map
            .get("x-acs-change-history")
            .map(|n| self.change_history(n, &child(path, "x-acs-change-history")))
            .unwrap_or_default();
        let errors = map
            .get("x-acs-errors")
            .map(|n| self.errors(n, &child(path, "x-acs-errors")))
            .unwrap_or_default();
        let source = map
            .get("x-acs-source")
            .and_then(|n| self.source(n, &child(path, "x-acs-source")));
        let security = map
            .get("security")
            .map(|n| self.security(n, &child(path, "security")));
        Some(Operation {
            security,
            path: key.clone(),
            method: method.to_owned(),
            operation_id: self.field_string(map, path, "operationId"),
            summary: self.field_text(map, path, "summary"),
            description: self.field_text(map, path, "description"),
            deprecated: self.field_bool(map, path, "deprecated").unwrap_or(false),
            parameters,
            request_body: map
                .get("requestBody")
                .and_then(|n| self.request_body(n, &child(path, "requestBody"))),
            responses,
            ram,
            rate_limit,
            change_history,
            errors,
            source,
            gaps: self.field_strings(map, path, "x-acs-gaps"),
            rust_name: self.field_string(map, path, "x-rust-name"),
            operation_type: self.field_string(map, path, "x-acs-operation-type"),
            at: location(node, path),
        })
    }

    /// The items of the sequence `node` (`what` names it in errors), each read by `read` at its
    /// own path; items `read` rejects are left out.
    fn items<T>(
        &mut self,
        node: &Node,
        path: &str,
        what: &str,
        mut read: impl FnMut(&mut Self, &Node, &str) -> Option<T>,
    ) -> Vec<T> {
        let Some(items) = self.sequence(node, path, what) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| read(self, item, &index(path, i)))
            .collect()
    }

    fn parameter_list(&mut self, node: &Node, path: &str) -> Vec<ParameterOrRef> {
        self.items(node, path, "`parameters`", |this, item, ipath| {
            let map = this.mapping(item, ipath, "a parameter")?;
            if let Some(target) = this.field_string(map, ipath, "$ref") {
                return Some(ParameterOrRef::Ref(target));
            }
            this.parameter(item, ipath)
                .map(|p| ParameterOrRef::Inline(Box::new(p)))
        })
    }

    fn parameter(&mut self, node: &Node, path: &str) -> Option<Parameter> {
        let map = self.mapping(node, path, "a parameter")?;
        let name = self.field_string(map, path, "name");
        let location_field = self.field_string(map, path, "in");
        let (Some(name), Some(param_in)) = (name, location_field) else {
            self.sink
                .error(&location(node, path), "a parameter needs both `name` and `in`")
                .help("RPC parameters look like `{name: PageSize, in: query, schema: {type: integer}}`");
            return None;
        };
        let schema = map
            .get("schema")
            .and_then(|n| self.schema_or_ref(n, &child(path, "schema")));
        Some(Parameter {
            name,
            location: param_in,
            required: self.field_bool(map, path, "required"),
            description: self.field_text(map, path, "description"),
            example: map.get("example").map(to_json),
            schema,
            acs_style: self.field_string(map, path, "x-acs-style"),
            style: self.field_string(map, path, "style"),
            explode: self.field_bool(map, path, "explode"),
            has_content: map.get("content").is_some(),
            rust_name: self.field_string(map, path, "x-rust-name"),
            deprecated: self.field_bool(map, path, "deprecated").unwrap_or(false),
            required_unknown: self
                .field_text(map, path, "x-acs-required")
                .is_some_and(|v| v == "unknown"),
            at: location(node, path),
        })
    }

    fn schema_or_ref(&mut self, node: &Node, path: &str) -> Option<SchemaOrRef> {
        let map = self.mapping(node, path, "a schema")?;
        if let Some(target) = self.field_string(map, path, "$ref") {
            return Some(SchemaOrRef::Ref(target));
        }
        self.schema(node, path)
            .map(|s| SchemaOrRef::Inline(Box::new(s)))
    }

    fn schema(&mut self, node: &Node, path: &str) -> Option<Schema> {
        let map = self.mapping(node, path, "a schema")?;
        let mut schema = Schema {
            at: location(node, path),
            ..Schema::default()
        };
        if let Some(type_node) = map.get("type") {
            let type_path = child(path, "type");
            schema.schema_type = match type_node {
                // OpenAPI 3.1: `type: [string, "null"]` — the non-null member is the type.
                Node::Sequence(types) => {
                    let names: Vec<&str> = types
                        .iter()
                        .filter_map(|t| t.as_scalar())
                        .map(|t| t.as_str())
                        .collect();
                    schema.nullable |= names.contains(&"null");
                    let others: Vec<&str> = names.into_iter().filter(|t| *t != "null").collect();
                    if others.len() > 1 {
                        schema.other_types = others[1..].iter().map(|t| (*t).to_owned()).collect();
                    }
                    others.first().map(|t| Spanned {
                        value: (*t).to_owned(),
                        at: location(type_node, &type_path),
                    })
                }
                _ => self.string(type_node, &type_path, "`type`"),
            };
        }
        schema.format = self.field_string(map, path, "format");
        schema.title = self.field_text(map, path, "title");
        schema.description = self.field_text(map, path, "description");
        schema.example = map.get("example").map(to_json).or_else(|| {
            map.get_sequence("examples")
                .and_then(|s| s.first())
                .map(to_json)
        });
        if let Some(values) = map.get("enum") {
            let epath = child(path, "enum");
            if let Some(items) = self.sequence(values, &epath, "`enum`") {
                schema.enum_values = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Spanned {
                        value: to_json(v),
                        at: location(v, &index(&epath, i)),
                    })
                    .collect();
            }
        }
        if let Some(items) = map.get("items") {
            schema.items = self.schema_or_ref(items, &child(path, "items"));
        }
        schema.properties =
            self.named_entries(map, path, "properties", "`properties`", Self::schema_or_ref);
        schema.required = self.field_strings(map, path, "required");
        if let Some(extra) = map.get("additionalProperties") {
            if extra.as_mapping().is_some() {
                schema.additional_properties =
                    self.schema_or_ref(extra, &child(path, "additionalProperties"));
            }
        }
        if let Some(parts) = map.get("allOf") {
            schema.all_of =
                self.items(parts, &child(path, "allOf"), "`allOf`", Self::schema_or_ref);
        }
        schema.nullable |= self.field_bool(map, path, "nullable").unwrap_or(false);
        schema.read_only = self.field_bool(map, path, "readOnly").unwrap_or(false);
        schema.write_only = self.field_bool(map, path, "writeOnly").unwrap_or(false);
        schema.default = map.get("default").map(to_json);
        for keyword in ["oneOf", "anyOf", "not"] {
            let Some(node) = map.get(keyword) else {
                continue;
            };
            let kpath = child(path, keyword);
            let spanned = Spanned {
                value: keyword.to_owned(),
                at: location(node, &kpath),
            };
            if keyword == "not" || schema.union.is_some() {
                schema.unsupported_composition = Some(spanned);
                continue;
            }
            let parts = self.items(node, &kpath, &format!("`{keyword}`"), Self::schema_or_ref);
            let discriminator = map
                .get("discriminator")
                .and_then(|d| self.discriminator(d, &child(path, "discriminator")));
            schema.union = Some(Union {
                keyword: spanned,
                parts,
                discriminator,
            });
        }
        schema.rust_name = self.field_string(map, path, "x-rust-name");
        schema.acs_style = self.field_string(map, path, "x-acs-style");
        if let Some(descriptions) = map.get_mapping("x-acs-enum-descriptions") {
            schema.enum_descriptions = descriptions
                .iter()
                .filter_map(|(k, v)| {
                    v.as_scalar()
                        .map(|v| (k.as_str().to_owned(), v.as_str().to_owned()))
                })
                .collect();
        }
        schema.deprecated = self.field_bool(map, path, "deprecated").unwrap_or(false);
        schema.constraints = crate::openapi::CONSTRAINT_KEYWORDS
            .iter()
            .filter_map(|&keyword| {
                let value = match to_json(map.get(keyword)?) {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                Some((keyword.to_owned(), value))
            })
            .collect();
        Some(schema)
    }

    fn discriminator(&mut self, node: &Node, path: &str) -> Option<Discriminator> {
        let map = self.mapping(node, path, "a discriminator")?;
        let Some(property) = self.field_string(map, path, "propertyName") else {
            self.sink
                .error(&location(node, path), "the discriminator has no `propertyName`")
                .help("name the member whose value says which schema a value is, e.g. `propertyName: kind`");
            return None;
        };
        let mapping = self.named_entries(map, path, "mapping", "`mapping`", |this, node, path| {
            this.string(node, path, "a mapping target")
        });
        Some(Discriminator {
            property,
            mapping: mapping
                .into_iter()
                .map(|(value, target)| (value.value, target))
                .collect(),
            at: location(node, path),
        })
    }

    fn request_body(&mut self, node: &Node, path: &str) -> Option<RequestBody> {
        let map = self.mapping(node, path, "a request body")?;
        let mut body = RequestBody {
            content: Vec::new(),
            required: self.field_bool(map, path, "required").unwrap_or(false),
            at: location(node, path),
        };
        let content_path = child(path, "content");
        if let Some(content) = map.get("content") {
            if let Some(content) = self.mapping(content, &content_path, "`content`") {
                for (mime, media) in content.iter() {
                    let mpath = child(&content_path, mime);
                    let schema = self
                        .mapping(media, &mpath, "a media type")
                        .and_then(|m| m.get("schema"))
                        .and_then(|schema| self.schema_or_ref(schema, &child(&mpath, "schema")));
                    let name = Spanned {
                        value: mime.as_str().to_owned(),
                        at: location(&Node::Scalar(mime.clone()), &mpath),
                    };
                    body.content.push((name, schema));
                }
            }
        }
        Some(body)
    }

    fn response_or_ref(&mut self, node: &Node, path: &str) -> Option<ResponseOrRef> {
        let map = self.mapping(node, path, "a response")?;
        if let Some(target) = self.field_string(map, path, "$ref") {
            return Some(ResponseOrRef::Ref(target));
        }
        self.response(node, path).map(ResponseOrRef::Inline)
    }

    fn response(&mut self, node: &Node, path: &str) -> Option<Response> {
        let map = self.mapping(node, path, "a response")?;
        let mut response = Response {
            description: self.field_text(map, path, "description"),
            at: location(node, path),
            ..Response::default()
        };
        let Some(content) = map.get_mapping("content") else {
            return Some(response);
        };
        let content_path = child(path, "content");
        response.media_types = content
            .iter()
            .map(|(mime, media)| Spanned {
                value: mime.as_str().to_owned(),
                at: location(media, &child(&content_path, mime)),
            })
            .collect();
        let json = content
            .iter()
            .find(|(mime, _)| crate::binding::is_json_response(mime.as_str()));
        if let Some((mime, media)) = json {
            let mpath = child(&content_path, mime);
            if let Some(media) = self.mapping(media, &mpath, "a media type") {
                if let Some(schema) = media.get("schema") {
                    response.schema = self.schema_or_ref(schema, &child(&mpath, "schema"));
                }
                if let Some(example) = media.get("example") {
                    response
                        .examples
                        .push(("example".to_owned(), to_json(example)));
                }
                if let Some(examples) = media.get_mapping("examples") {
                    for (name, example) in examples.iter() {
                        let value = example
                            .as_mapping()
                            .and_then(|e| e.get("value"))
                            .map(to_json)
                            .unwrap_or(Value::Null);
                        response.examples.push((name.as_str().to_owned(), value));
                    }
                }
            }
        }
        Some(response)
    }

    fn components(&mut self, node: &Node, doc: &mut Document) {
        let path = "$.components";
        let Some(map) = self.mapping(node, path, "`components`") else {
            return;
        };
        doc.schemas =
            self.named_entries(map, path, "schemas", "`components.schemas`", Self::schema);
        doc.responses = self.named_entries(
            map,
            path,
            "responses",
            "`components.responses`",
            Self::response,
        );
        doc.parameters = self.named_entries(
            map,
            path,
            "parameters",
            "`components.parameters`",
            Self::parameter,
        );
        doc.security_schemes = self.named_entries(
            map,
            path,
            "securitySchemes",
            "`components.securitySchemes`",
            Self::security_scheme,
        );
    }

    fn security_scheme(&mut self, node: &Node, path: &str) -> Option<SecurityScheme> {
        let map = self.mapping(node, path, "a security scheme")?;
        Some(SecurityScheme {
            kind: self.field_string(map, path, "type"),
            scheme: self.field_string(map, path, "scheme"),
            name: self.field_string(map, path, "name"),
            location: self.field_string(map, path, "in"),
            at: location(node, path),
        })
    }

    /// A `security` list: the names of the schemes of each requirement, in order.
    fn security(&mut self, node: &Node, path: &str) -> Vec<Vec<Spanned<String>>> {
        self.items(node, path, "`security`", |this, item, ipath| {
            let requirement = this.mapping(item, ipath, "a security requirement")?;
            Some(
                requirement
                    .iter()
                    .map(|(name, value)| Spanned {
                        value: name.as_str().to_owned(),
                        at: location(value, &child(ipath, name)),
                    })
                    .collect(),
            )
        })
    }

    /// The entries of the mapping `section` of `parent` (`components.schemas`, an operation's
    /// `responses`, a schema's `properties`...), each read by `read` and keyed by its name;
    /// `what` names the mapping in errors.
    fn named_entries<T>(
        &mut self,
        parent: &Mapping,
        path: &str,
        section: &str,
        what: &str,
        read: fn(&mut Self, &Node, &str) -> Option<T>,
    ) -> Vec<(Spanned<String>, T)> {
        let Some(node) = parent.get(section) else {
            return Vec::new();
        };
        let section_path = child(path, section);
        let Some(entries) = self.mapping(node, &section_path, what) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, entry) in entries.iter() {
            let entry_path = child(&section_path, name);
            let name = Spanned {
                value: name.as_str().to_owned(),
                at: location(entry, &entry_path),
            };
            if let Some(value) = read(self, entry, &entry_path) {
                out.push((name, value));
            }
        }
        out
    }

    fn ram(&mut self, node: &Node, path: &str) -> Option<Ram> {
        let map = self.mapping(node, path, "`x-acs-ram`")?;
        Some(Ram {
            action: self.field_text(map, path, "action"),
            access_level: self.field_text(map, path, "access-level"),
            resource_type: self.field_text(map, path, "resource-type"),
            resource_arn: self.field_text(map, path, "resource-arn"),
            condition_keys: self.field_strings(map, path, "condition-keys"),
            associated_operations: self.field_strings(map, path, "associated-operations"),
        })
    }

    fn rate_limit(&mut self, node: &Node, path: &str) -> Option<RateLimit> {
        let map = self.mapping(node, path, "`x-acs-rate-limit`")?;
        let read = |key: &str| map.get(key).map(to_json).and_then(|v| v.as_u64());
        match (read("requests"), read("per-seconds")) {
            (Some(requests), Some(per_seconds)) if per_seconds > 0 => Some(RateLimit {
                requests,
                per_seconds,
            }),
            _ => {
                self.sink
                    .error(
                        &location(node, path),
                        "`x-acs-rate-limit` needs positive integers `requests` and `per-seconds`",
                    )
                    .help("for example `{requests: 20, per-seconds: 1}`");
                None
            }
        }
    }

    fn change_history(&mut self, node: &Node, path: &str) -> Vec<Change> {
        let Some(items) = self.sequence(node, path, "`x-acs-change-history`") else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let ipath = index(path, i);
                let map = self.mapping(item, &ipath, "a change history entry")?;
                let date = self.field_text(map, &ipath, "date")?;
                Some(Change {
                    date,
                    changes: self.field_strings(map, &ipath, "changes"),
                })
            })
            .collect()
    }

    fn errors(&mut self, node: &Node, path: &str) -> Vec<ErrorRow> {
        let Some(items) = self.sequence(node, path, "`x-acs-errors`") else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ipath = index(path, i);
            let Some(map) = self.mapping(item, &ipath, "an error row") else {
                continue;
            };
            let status = map
                .get("http-status")
                .map(to_json)
                .and_then(|v| v.as_u64())
                .and_then(|v| u16::try_from(v).ok())
                .filter(|s| (100..600).contains(s));
            let code = self.field_string(map, &ipath, "code");
            match (status, code) {
                (Some(http_status), Some(code)) => rows.push(ErrorRow {
                    http_status,
                    code,
                    message: self.field_text(map, &ipath, "message"),
                    description: self.field_text(map, &ipath, "description"),
                }),
                _ => {
                    self.sink
                        .error(
                            &location(item, &ipath),
                            "an error row needs `http-status` (100-599) and `code`",
                        )
                        .help("for example `{http-status: 400, code: InvalidParameter, message: ...}`");
                }
            }
        }
        rows
    }

    fn source(&mut self, node: &Node, path: &str) -> Option<Source> {
        let map = self.mapping(node, path, "`x-acs-source`")?;
        Some(Source {
            title: self.field_text(map, path, "title"),
            language: self.field_text(map, path, "language"),
            last_updated: self.field_text(map, path, "last-updated"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn root(text: &str) -> Node {
        Node::Mapping(yaml::parse(text).expect("valid YAML"))
    }

    #[test]
    fn a_block_mapping_starts_at_its_first_key() {
        let doc = root("a:\n  b: 1\n  c: 2\n");
        let inner = doc.as_mapping().unwrap().get("a").unwrap();
        assert_eq!(start(inner), Mark { line: 2, column: 3 });
        assert_eq!(start(&doc), Mark { line: 1, column: 1 });
    }

    #[test]
    fn a_flow_mapping_starts_at_its_brace() {
        let doc = root("a: {b: 1}\n");
        let inner = doc.as_mapping().unwrap().get("a").unwrap();
        assert_eq!(start(inner), Mark { line: 1, column: 4 });
    }

    #[test]
    fn json_paths_bracket_keys_that_are_not_identifiers() {
        assert_eq!(child("$", "paths"), "$.paths");
        assert_eq!(child("$.p", "x-acs-style"), r#"$.p["x-acs-style"]"#);
        assert_eq!(child("$.p", "$ref"), r#"$.p["$ref"]"#);
        assert_eq!(child("$.p", "/?Action=X"), r#"$.p["/?Action=X"]"#);
    }

    #[test]
    fn syntax_errors_name_the_format_of_the_file() {
        let mut sink = Sink::new(Path::new("a.json"));
        assert!(load("{\"openapi\": \"3.0.3\" \"info\": {}}", &mut sink).is_none());
        let diagnostics = sink.into_vec();
        assert!(
            diagnostics[0].message.starts_with("invalid JSON: "),
            "{}",
            diagnostics[0]
        );
        let mut sink = Sink::new(Path::new("a.yaml"));
        assert!(load("a: b: c\n", &mut sink).is_none());
        assert!(sink.into_vec()[0].message.starts_with("invalid YAML: "));
    }
}
