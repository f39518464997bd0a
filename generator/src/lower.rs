//! Lower: a validated document → the IR. Every Rust name is decided here, once, next to the
//! wire name it stands for; names that would collide are disambiguated by a fixed rule or
//! reported, never emitted as code that does not compile.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::binding::{parse_path, PathPart, IDEMPOTENCY_TOKEN, READ_ONLY_OPERATION_TYPES};
use crate::diag::{Location, Sink};
use crate::ident::{bare, camel, module_name, snake, type_name};
use crate::ir::*;
use crate::openapi::{self, Document, ResponseOrRef, Schema, SchemaOrRef, ValueKind};

/// Lowers `doc` (read from `source_file`) into the IR, recording naming problems in `sink`.
pub fn lower(doc: &Document, source_file: &str, sink: &mut Sink) -> Option<Crate> {
    let protocol = Protocol::of(doc);
    let mut lowerer = Lowerer {
        doc,
        protocol,
        sink,
        shared: BTreeMap::new(),
        inline_types: BTreeMap::new(),
    };
    lowerer.crate_(source_file)
}

struct Lowerer<'d, 's> {
    doc: &'d Document,
    /// How the document's operations go on the wire.
    protocol: Protocol,
    sink: &'s mut Sink,
    /// Shared types by schema name: their path, filled before anything refers to them.
    shared: BTreeMap<String, TypePath>,
    /// Inline types already lowered, by module and the JSON path of their schema.
    inline_types: BTreeMap<(Option<String>, String), TypePath>,
}

/// The names taken in one Rust namespace (a module's types, a struct's fields...).
#[derive(Default)]
struct Names {
    taken: BTreeMap<String, String>,
}

impl Names {
    /// Claims `name` for `what`; returns the description of the earlier claimant on collision.
    fn claim(&mut self, name: &str, what: &str) -> Result<(), String> {
        match self.taken.get(bare(name)) {
            Some(earlier) => Err(earlier.clone()),
            None => {
                self.taken.insert(bare(name).to_owned(), what.to_owned());
                Ok(())
            }
        }
    }

    fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(bare(name))
    }
}

/// A request parameter as the spec declares it: an entry of `parameters` or a member of the
/// form body.
struct ParamSource<'a> {
    wire: &'a openapi::Spanned<String>,
    rust_name: Option<&'a openapi::Spanned<String>>,
    schema: &'a SchemaOrRef,
    location: ParamLocation,
    style: ParamStyle,
    required: bool,
    required_unknown: bool,
    example: Option<&'a Value>,
    description: Option<&'a String>,
    deprecated: bool,
    /// Whether it is a body sent as raw bytes, whatever its schema says.
    raw: bool,
}

/// The types of one module: shared (`types`) or one operation's.
struct Scope {
    module: Option<String>,
    names: Names,
    defs: Vec<TypeDef>,
}

impl Scope {
    fn new(module: Option<String>) -> Self {
        Scope {
            module,
            names: Names::default(),
            defs: Vec::new(),
        }
    }
}

/// The indices `0..len` sorted by the wire name each stands for (ties in document order).
/// Names are claimed in this order, so that the names an API gets do not depend on the order
/// its document happens to list parameters and members in.
fn by_wire_name<'a>(len: usize, wire: impl Fn(usize) -> &'a String) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| wire(a).cmp(wire(b)));
    order
}

/// Lowers the items at `order` one by one, and returns what they become in document order.
fn in_document_order<T>(order: Vec<usize>, mut lower: impl FnMut(usize) -> Option<T>) -> Vec<T> {
    let mut lowered: Vec<(usize, T)> = order
        .into_iter()
        .filter_map(|i| lower(i).map(|item| (i, item)))
        .collect();
    lowered.sort_by_key(|(i, _)| *i);
    lowered.into_iter().map(|(_, item)| item).collect()
}

/// Rust names for a list of wire values (enum values, error codes), in their order. Values that
/// are already identifiers keep their own name; the others take their case-converted name, or,
/// when that is taken, their name with punctuation spelled out. `None` marks a value no rule
/// could name apart from the others.
fn variant_names(wires: &[String]) -> Vec<Option<String>> {
    let mut names = Names::default();
    let mut out: Vec<Option<String>> = vec![None; wires.len()];
    for (i, wire) in wires.iter().enumerate() {
        if camel(wire) == *wire && names.claim(wire, wire).is_ok() {
            out[i] = Some(wire.clone());
        }
    }
    for (i, wire) in wires.iter().enumerate() {
        if out[i].is_none() {
            out[i] = [camel(wire), spelled(wire)]
                .into_iter()
                .find(|c| names.claim(c, wire).is_ok());
        }
    }
    out
}

/// A wire value spelled out in words where punctuation would otherwise vanish:
/// `a-+1` → `ADashPlus1`, so it stays distinct from `a--1` → `ADashDash1`.
fn spelled(wire: &str) -> String {
    let mut words = String::new();
    for c in wire.chars() {
        match c {
            c if c.is_ascii_alphanumeric() => words.push(c),
            '-' => words.push_str(" dash "),
            '+' => words.push_str(" plus "),
            '.' => words.push_str(" dot "),
            '*' => words.push_str(" star "),
            '/' => words.push_str(" slash "),
            '_' => words.push_str(" underscore "),
            ' ' => words.push_str(" space "),
            other => words.push_str(&format!(" u{:x} ", other as u32)),
        }
    }
    camel(&words)
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl<'d> Lowerer<'d, '_> {
    fn crate_(&mut self, source_file: &str) -> Option<Crate> {
        if self.protocol == Protocol::Rest {
            return self.rest_crate(source_file);
        }
        let doc = self.doc;
        let info = &doc.info;
        let product = info.product.as_ref()?.value.clone();
        let api_version = info
            .api_version
            .as_ref()
            .or(info.version.as_ref())?
            .value
            .clone();
        let product_lower = product.to_ascii_lowercase();
        let compact_version: String = api_version
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let package_name = format!(
            "acs-{}-{}",
            snake(&product_lower).replace('_', "-"),
            compact_version
        );
        let server = doc.servers.first()?;
        let host = server
            .url
            .value
            .split("://")
            .nth(1)
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
        let endpoint = if host.contains("{regionId}") {
            Endpoint::Regional { template: host }
        } else {
            Endpoint::Global { host }
        };
        let mut region_endpoints: Vec<(String, String)> = info
            .endpoints
            .iter()
            .filter(|(region, host)| endpoint.host_in(&region.value) != host.value)
            .map(|(region, host)| (region.value.clone(), host.value.clone()))
            .collect();
        region_endpoints.sort();

        let (operations, types) = self.operations_and_types()?;
        Some(Crate {
            source_file: source_file.to_owned(),
            dir_name: format!("{product_lower}-{api_version}"),
            lib_name: package_name.replace('-', "_"),
            package_name,
            title: info
                .title
                .as_ref()
                .map_or_else(|| product.clone(), |t| t.value.clone()),
            description: info.description.clone(),
            product,
            api_version,
            endpoint,
            region_endpoints,
            vpc_endpoint: info.vpc_endpoint.as_ref().map(|v| v.value.clone()),
            success_flag: info.success_flag.as_ref().map(|f| f.value.clone()),
            operations,
            types,
            auth: Vec::new(),
            protocol: self.protocol,
        })
    }

    /// A plain REST API's crate: named after its document's file (`petstore-expanded.yaml` →
    /// `petstore-expanded`), its endpoint the first server's URL when that is absolute.
    fn rest_crate(&mut self, source_file: &str) -> Option<Crate> {
        let doc = self.doc;
        let info = &doc.info;
        let title = info.title.as_ref()?.value.clone();
        let api_version = info.version.as_ref()?.value.clone();
        let stem = std::path::Path::new(source_file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let package_name = crate::ident::package_name(stem);
        let endpoint = doc
            .servers
            .first()
            .map(|server| {
                let mut url = server.url.value.clone();
                for (name, default) in &server.variables {
                    url = url.replace(&format!("{{{name}}}"), default);
                }
                url.trim_end_matches('/').to_owned()
            })
            .filter(|url| {
                (url.starts_with("https://") || url.starts_with("http://")) && !url.contains('{')
            })
            .map_or(Endpoint::Unlisted, |base| Endpoint::Url { base });
        let auth = self.auth_schemes();
        let (operations, types) = self.operations_and_types()?;
        Some(Crate {
            source_file: source_file.to_owned(),
            dir_name: package_name.clone(),
            lib_name: package_name.replace('-', "_"),
            package_name,
            product: title.clone(),
            title,
            description: info.description.clone(),
            api_version,
            endpoint,
            region_endpoints: Vec::new(),
            vpc_endpoint: None,
            success_flag: None,
            operations,
            types,
            auth,
            protocol: Protocol::Rest,
        })
    }

    /// The schemes the document's security requirements name, in the order they first
    /// appear (the top-level requirements, then the operations'), each once.
    fn auth_schemes(&self) -> Vec<AuthScheme> {
        let doc = self.doc;
        let mut named: Vec<&str> = Vec::new();
        let requirements = doc.security.iter().chain(
            doc.operations
                .iter()
                .flat_map(|op| op.security.iter().flatten()),
        );
        for name in requirements.flatten() {
            if !named.contains(&name.value.as_str()) {
                named.push(&name.value);
            }
        }
        let mut schemes = Vec::new();
        for name in named {
            let Some((_, scheme)) = doc.security_schemes.iter().find(|(n, _)| n.value == name)
            else {
                continue;
            };
            let lower = |v: &Option<openapi::Spanned<String>>| {
                v.as_ref().map(|v| v.value.to_ascii_lowercase())
            };
            let auth = match (
                lower(&scheme.kind).as_deref(),
                lower(&scheme.scheme).as_deref(),
            ) {
                (Some("http"), Some("basic")) => AuthScheme::Basic,
                (Some("http"), _) | (Some("oauth2" | "openidconnect"), _) => AuthScheme::Bearer,
                (Some("apikey"), _) => match &scheme.name {
                    Some(key) => AuthScheme::ApiKey {
                        name: key.value.clone(),
                        in_query: lower(&scheme.location).as_deref() == Some("query"),
                    },
                    None => continue,
                },
                _ => continue,
            };
            if !schemes.contains(&auth) {
                schemes.push(auth);
            }
        }
        schemes
    }

    /// The operations, and the shared types they use.
    fn operations_and_types(&mut self) -> Option<(Vec<Operation>, Vec<TypeDef>)> {
        let doc = self.doc;
        let mut shared = Scope::new(None);
        self.name_shared_types(&mut shared);
        for (name, schema) in &doc.schemas {
            if self.shared.contains_key(&name.value) {
                self.shared_def(name, schema, &mut shared);
            }
        }
        if self.protocol == Protocol::Rest {
            box_cycles(&mut shared.defs);
        }

        let mut module_names = Names::default();
        let mut method_names = Names::default();
        let mut features = Names::default();
        let mut operations = Vec::new();
        let mut sorted: Vec<&openapi::Operation> = doc.operations.iter().collect();
        let protocol = self.protocol;
        sorted.sort_by_cached_key(|o| o.wire_id(protocol).map(|i| i.value));
        for op in sorted {
            if let Some(lowered) =
                self.operation(op, &mut module_names, &mut method_names, &mut features)
            {
                operations.push(lowered);
            }
        }

        let mut types = shared.defs;
        let used = mark_usage(&mut types, &mut operations);
        // Schemas no operation uses (such as the documented error body) generate nothing.
        types.retain(|def| {
            used.contains(&TypePath {
                operation_module: None,
                name: def.name().to_owned(),
                is_enum: matches!(def, TypeDef::Enum(_)),
            })
        });
        types.sort_by(|a, b| a.name().cmp(b.name()));
        let mut stems = Names::default();
        for def in &types {
            if let Err(earlier) = stems.claim(def.file_stem(), def.name()) {
                self.sink
                    .error(
                        &Location::document(),
                        format!(
                            "types `{}` and `{earlier}` would share the file `types/{}.rs`",
                            def.name(),
                            bare(def.file_stem())
                        ),
                    )
                    .help("rename one with `x-rust-name`");
            }
        }
        Some((operations, types))
    }

    /// Decides the names of the shared types (objects and string enums in
    /// `components.schemas`) before any is lowered, so references can point at them.
    fn name_shared_types(&mut self, scope: &mut Scope) {
        for (name, schema) in &self.doc.schemas {
            if !schema.is_named_kind() {
                continue;
            }
            let rust = schema
                .rust_name
                .as_ref()
                .map_or_else(|| type_name(&name.value), |n| n.value.clone());
            if let Err(earlier) = scope.names.claim(&rust, &name.value) {
                self.sink
                    .error(
                        &name.at,
                        format!(
                            "schemas `{earlier}` and `{}` both become the Rust type `{rust}`",
                            name.value
                        ),
                    )
                    .help("give one of them another name with `x-rust-name`");
                continue;
            }
            self.shared.insert(
                name.value.clone(),
                TypePath {
                    operation_module: None,
                    name: rust,
                    is_enum: schema.is_string_enum(),
                },
            );
        }
    }

    fn shared_def(&mut self, name: &openapi::Spanned<String>, schema: &Schema, scope: &mut Scope) {
        let Some(path) = self.shared.get(&name.value).cloned() else {
            return;
        };
        let def = self.type_def(&path.name, &name.value, schema, scope);
        if let Some(def) = def {
            scope.defs.push(def);
        }
    }

    fn type_def(
        &mut self,
        rust_name: &str,
        wire_name: &str,
        schema: &Schema,
        scope: &mut Scope,
    ) -> Option<TypeDef> {
        if schema.is_string_enum() {
            return Some(TypeDef::Enum(self.enum_def(rust_name, wire_name, schema)));
        }
        if let Some(union) = schema.as_union() {
            return Some(TypeDef::Union(
                self.union_def(rust_name, wire_name, schema, union, scope),
            ));
        }
        let merged = self.merged(schema);
        let schema = &merged;
        let fields = self.fields(&schema.properties, &schema.required, rust_name, scope);
        Some(TypeDef::Struct(StructDef {
            name: rust_name.to_owned(),
            file_stem: module_name(rust_name),
            builder_name: format!("{}Builder", bare(rust_name)),
            wire_name: wire_name.to_owned(),
            description: schema.description.clone(),
            fields,
            input: false,
            output: false,
        }))
    }

    fn enum_def(&mut self, rust_name: &str, wire_name: &str, schema: &Schema) -> EnumDef {
        let descriptions: BTreeMap<&str, &str> = schema
            .enum_descriptions
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // A value listed twice is one value (validation reports the duplicate).
        let mut seen = BTreeSet::new();
        let values: Vec<_> = schema
            .enum_values
            .iter()
            .filter(|v| seen.insert(text(&v.value)))
            .collect();
        let wires: Vec<String> = values.iter().map(|v| text(&v.value)).collect();
        let mut variants = Vec::new();
        for ((value, wire), name) in values.iter().zip(&wires).zip(variant_names(&wires)) {
            let plain = camel(wire);
            match name {
                Some(rust_name) => {
                    if rust_name != plain && rust_name != *wire {
                        self.sink.warning(
                            &value.at,
                            format!(
                                "enum value `{wire}` would become `{plain}` like another value; it is named `{rust_name}`"
                            ),
                        );
                    }
                    variants.push(Variant {
                        description: descriptions.get(wire.as_str()).map(|d| (*d).to_owned()),
                        wire_value: wire.clone(),
                        rust_name,
                    });
                }
                None => {
                    self.sink.error(
                        &value.at,
                        format!("enum value `{wire}` cannot be given a Rust name distinct from the other values"),
                    );
                }
            }
        }
        let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
        let catch_all = self.catch_all(
            &["Unknown", "UnknownValue", "UndocumentedValue"],
            &names,
            &schema.at,
            "enum values",
        );
        EnumDef {
            name: rust_name.to_owned(),
            file_stem: module_name(rust_name),
            wire_name: wire_name.to_owned(),
            description: schema.description.clone(),
            variants,
            catch_all,
        }
    }

    /// A `oneOf`/`anyOf`: a variant per part that describes a value, named after the schema
    /// it refers to, its title, or its kind of value; inline parts become types named after
    /// the union and the variant.
    fn union_def(
        &mut self,
        rust_name: &str,
        wire_name: &str,
        schema: &Schema,
        union: &openapi::Union,
        scope: &mut Scope,
    ) -> UnionDef {
        let discriminator = union.discriminator.as_ref();
        let mut names = Names::default();
        let mut variants = Vec::new();
        for part in union.value_parts() {
            let resolved = self.doc.resolve(part);
            // The schema a part refers to (`Cat` for `#/components/schemas/Cat`).
            let schema_name = match part {
                SchemaOrRef::Ref(r) => r.value.rsplit('/').next().map(str::to_owned),
                SchemaOrRef::Inline(_) => None,
            };
            let preferred = match part {
                SchemaOrRef::Ref(_) => type_name(schema_name.as_deref().unwrap_or_default()),
                SchemaOrRef::Inline(s) => match &s.title {
                    Some(title) => type_name(title),
                    None => kind_name(s).to_owned(),
                },
            };
            let variant_name = (1..)
                .map(|n| match n {
                    1 => preferred.clone(),
                    n => format!("{preferred}{n}"),
                })
                .find(|candidate| names.claim(candidate, candidate).is_ok())
                .unwrap_or_default();
            let context = format!("{}{}", bare(rust_name), variant_name);
            let Some(ty) = self.type_of(part, &context, rust_name, scope) else {
                continue;
            };
            let tags = match (discriminator, part) {
                (Some(d), SchemaOrRef::Ref(target)) => {
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, t)| t.value == target.value)
                        .map(|(value, _)| value.clone())
                        .collect();
                    if mapped.is_empty() {
                        schema_name.iter().cloned().collect()
                    } else {
                        mapped
                    }
                }
                _ => Vec::new(),
            };
            let shape = match &ty {
                TypeRef::Map(_) => Some(ObjectShape {
                    required: Vec::new(),
                    members: Vec::new(),
                    open: true,
                }),
                TypeRef::Named(path) if !path.is_enum => {
                    resolved.filter(|s| s.as_union().is_none()).map(|s| {
                        let merged = self.merged(s);
                        ObjectShape {
                            required: merged.required.clone(),
                            members: merged
                                .properties
                                .iter()
                                .map(|(name, _)| name.value.clone())
                                .collect(),
                            open: merged.additional_properties.is_some(),
                        }
                    })
                }
                _ => None,
            };
            variants.push(UnionVariant {
                rust_name: variant_name,
                schema_name,
                description: resolved.and_then(|s| s.description.clone()),
                ty,
                tags,
                shape,
            });
        }
        let taken: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
        let catch_all = self.catch_all(
            &["Other", "OtherValue", "UndocumentedValue"],
            &taken,
            &union.keyword.at,
            "union variants",
        );
        UnionDef {
            name: rust_name.to_owned(),
            file_stem: module_name(rust_name),
            wire_name: wire_name.to_owned(),
            keyword: union.keyword.value.clone(),
            description: schema.description.clone(),
            discriminator: discriminator.map(|d| d.property.value.clone()),
            variants,
            catch_all,
            input: false,
        }
    }

    /// Lowers object members into fields of the struct `owner`.
    fn fields(
        &mut self,
        properties: &[(openapi::Spanned<String>, SchemaOrRef)],
        required: &[String],
        owner: &str,
        scope: &mut Scope,
    ) -> Vec<Field> {
        let mut names = Names::default();
        in_document_order(
            by_wire_name(properties.len(), |i| &properties[i].0.value),
            |i| {
                let (name, property) = &properties[i];
                let schema = self.doc.resolve(property);
                // On an inline object or enum, `x-rust-name` names its type, not the field.
                let rust_name = match property {
                    SchemaOrRef::Inline(s) if !s.is_named_kind() => {
                        s.rust_name.as_ref().map(|n| n.value.clone())
                    }
                    _ => None,
                }
                .unwrap_or_else(|| snake(&name.value));
                if let Err(earlier) = names.claim(&rust_name, &name.value) {
                    self.sink
                    .error(
                        &name.at,
                        format!(
                            "members `{earlier}` and `{}` of `{owner}` both become the Rust field `{rust_name}`",
                            name.value
                        ),
                    )
                    .help("give one of them another name with `x-rust-name`");
                    return None;
                }
                let ty = self.type_of(property, &name.value, owner, scope)?;
                let docs = FieldDocs {
                    description: schema.and_then(|s| s.description.clone()),
                    example: schema.and_then(|s| s.example.as_ref()).map(text),
                    required_unknown: false,
                    deprecated: schema.is_some_and(|s| s.deprecated),
                    notes: schema.map(schema_notes).unwrap_or_default(),
                };
                Some(Field {
                    setter_name: setter_name(&rust_name),
                    wire_name: name.value.clone(),
                    rust_name,
                    ty,
                    required: required.contains(&name.value),
                    location: ParamLocation::Body,
                    style: ParamStyle::Scalar,
                    constraints: self.constraints(schema),
                    docs,
                })
            },
        )
    }

    /// The validation keywords of a field's schema, then those of its list items.
    fn constraints(&self, schema: Option<&Schema>) -> Vec<(String, String)> {
        let Some(schema) = schema else {
            return Vec::new();
        };
        let items = schema
            .items
            .as_ref()
            .and_then(|items| self.doc.resolve(items));
        let mut out = schema.constraints.clone();
        out.extend(items.into_iter().flat_map(|items| {
            items
                .constraints
                .iter()
                .map(|(keyword, value)| (format!("items.{keyword}"), value.clone()))
        }));
        out
    }

    /// `schema` with the members of its `allOf` parts merged in: the parts' properties first,
    /// in order, then its own (a later one of the same name replaces an earlier one); every
    /// part's required members are required.
    fn merged(&self, schema: &Schema) -> Schema {
        if schema.all_of.is_empty() {
            return schema.clone();
        }
        let mut merged = Schema {
            properties: Vec::new(),
            required: Vec::new(),
            all_of: Vec::new(),
            ..schema.clone()
        };
        let parts = schema
            .all_of
            .iter()
            .filter_map(|part| self.doc.resolve(part));
        for part in parts.map(|p| self.merged(p)).chain([schema.clone()]) {
            for (name, property) in part.properties {
                match merged
                    .properties
                    .iter_mut()
                    .find(|(n, _)| n.value == name.value)
                {
                    Some(existing) => existing.1 = property,
                    None => merged.properties.push((name, property)),
                }
            }
            for name in part.required {
                if !merged.required.contains(&name) {
                    merged.required.push(name);
                }
            }
            if merged.description.is_none() {
                merged.description = part.description;
            }
        }
        merged
    }

    /// The type of a schema found under `context` (a property or parameter name) inside
    /// `parent`; inline objects and enums become types in `scope`.
    fn type_of(
        &mut self,
        schema: &SchemaOrRef,
        context: &str,
        parent: &str,
        scope: &mut Scope,
    ) -> Option<TypeRef> {
        match schema {
            SchemaOrRef::Ref(r) => {
                let name = r.value.strip_prefix("#/components/schemas/")?;
                if let Some(path) = self.shared.get(name) {
                    return Some(TypeRef::Named(path.clone()));
                }
                let (_, target) = self.doc.schema(&r.value)?;
                // An alias (a plain string, a list...): its own type, named after the schema.
                let alias = SchemaOrRef::Inline(Box::new(target.clone()));
                self.type_of(&alias, name, parent, scope)
            }
            SchemaOrRef::Inline(s) => self.inline_type(s, context, parent, scope),
        }
    }

    fn inline_type(
        &mut self,
        s: &Schema,
        context: &str,
        parent: &str,
        scope: &mut Scope,
    ) -> Option<TypeRef> {
        let ty = s.schema_type.as_ref().map(|t| t.value.as_str());
        let format = s.format.as_ref().map(|f| f.value.as_str());
        if let Some(part) = s.single_part().filter(|_| s.properties.is_empty()) {
            // `anyOf: [{$ref: X}, {type: 'null'}]`: a (nullable) X.
            return self.type_of(part, context, parent, scope);
        }
        if s.is_named_kind() {
            // The same inline schema reached twice (an `allOf` part merged into several
            // types) is one type.
            let key = (scope.module.clone(), s.at.path.clone());
            if let Some(path) = self.inline_types.get(&key) {
                return Some(TypeRef::Named(path.clone()));
            }
            let preferred = s
                .rust_name
                .as_ref()
                .map_or_else(|| type_name(context), |n| n.value.clone());
            let fallback = format!("{}{}", bare(parent), bare(&preferred));
            let name = [preferred.clone(), fallback]
                .into_iter()
                .find(|candidate| !scope.names.contains(candidate));
            let Some(name) = name else {
                self.sink
                    .error(
                        &s.at,
                        format!("the inline type for `{context}` would be named `{preferred}`, which is already taken"),
                    )
                    .help("name it with `x-rust-name` or move it to `components.schemas`");
                return None;
            };
            let _ = scope.names.claim(&name, context);
            let path = TypePath {
                operation_module: scope.module.clone(),
                name: name.clone(),
                is_enum: s.is_string_enum(),
            };
            self.inline_types.insert(key, path.clone());
            let def = self.type_def(&name, context, s, scope)?;
            scope.defs.push(def);
            return Some(TypeRef::Named(path));
        }
        if !s.other_types.is_empty() {
            // A value of several types: kept as the JSON it is.
            return Some(TypeRef::Any);
        }
        Some(match (ty, format) {
            (Some("string"), _) => TypeRef::String,
            (Some("boolean"), _) => TypeRef::Bool,
            (Some("integer"), Some("int32")) => TypeRef::I32,
            (Some("integer"), _) => TypeRef::I64,
            (Some("number"), Some("float")) => TypeRef::F32,
            (Some("number"), _) => TypeRef::F64,
            (Some("array"), _) => {
                let items = s.items.as_ref()?;
                let item_context = format!("{}Item", bare(&type_name(context)));
                TypeRef::List(Box::new(self.type_of(
                    items,
                    &item_context,
                    parent,
                    scope,
                )?))
            }
            _ => match &s.additional_properties {
                Some(values) => {
                    let value_context = format!("{}Value", bare(&type_name(context)));
                    TypeRef::Map(Box::new(self.type_of(
                        values,
                        &value_context,
                        parent,
                        scope,
                    )?))
                }
                None => TypeRef::Any,
            },
        })
    }

    fn operation(
        &mut self,
        op: &openapi::Operation,
        module_names: &mut Names,
        method_names: &mut Names,
        features: &mut Names,
    ) -> Option<Operation> {
        let id = &op.wire_id(self.protocol)?;
        let wire_name = id.value.clone();
        let module_name = op
            .rust_name
            .as_ref()
            .map_or_else(|| module_name(&wire_name), |n| n.value.clone());
        if let Err(earlier) = module_names.claim(&module_name, &wire_name) {
            if earlier == wire_name {
                // A duplicate operationId, which validation reports.
                return None;
            }
            self.sink
                .error(
                    &id.at,
                    format!("operations `{earlier}` and `{wire_name}` both become the Rust module `{module_name}`"),
                )
                .help("give one of them another name with `x-rust-name`");
            return None;
        }
        let method_name = if CLIENT_METHODS.contains(&bare(&module_name)) {
            format!("{}_operation", bare(&module_name))
        } else {
            module_name.clone()
        };
        if method_names.claim(&method_name, &wire_name).is_err() {
            self.sink.error(
                &id.at,
                format!("the client method `{method_name}` for `{wire_name}` is already taken"),
            );
            return None;
        }
        let feature = if RESERVED_FEATURES.contains(&bare(&module_name)) {
            format!("{}_operation", bare(&module_name))
        } else {
            bare(&module_name).to_owned()
        };
        if features.claim(&feature, &wire_name).is_err() {
            self.sink.error(
                &id.at,
                format!("the Cargo feature `{feature}` for `{wire_name}` is already taken"),
            );
            return None;
        }
        let base = bare(&camel(&wire_name)).to_owned();
        let request_name = format!("{base}Request");
        let builder_name = format!("{base}RequestBuilder");
        let response_name = format!("{base}Response");
        let error_name = format!("{base}Error");
        let mut scope = Scope::new(Some(module_name.clone()));
        for reserved in [&request_name, &builder_name, &error_name] {
            let _ = scope.names.claim(reserved, "a generated type");
        }
        // REST: the one success body, when it is an inline object, is the response type.
        let outcomes = match self.protocol {
            Protocol::Rest => self.outcomes(op, &base, &response_name, &mut scope),
            _ => Vec::new(),
        };
        let _ = scope.names.claim(&response_name, "a generated type");

        let params = self.params(op, &request_name, &mut scope);
        let (response_fields, response_examples) = match self.protocol {
            Protocol::Rest => (Vec::new(), self.response_examples(op)),
            _ => self.response(op, &response_name, &mut scope),
        };
        let (errors, error_catch_all) = match self.protocol {
            Protocol::Rest => {
                let names: Vec<&str> = outcomes
                    .iter()
                    .filter(|o| !o.is_success())
                    .map(|o| o.variant_name.as_str())
                    .collect();
                let catch_all = self.catch_all(
                    &["Unhandled", "UnhandledStatus", "UndocumentedStatus"],
                    &names,
                    &op.at,
                    "response statuses",
                );
                (Vec::new(), catch_all)
            }
            _ => self.errors(op),
        };

        let mut types = scope.defs;
        types.sort_by(|a, b| a.name().cmp(b.name()));
        let docs = OperationDocs {
            summary: op.summary.clone(),
            description: op.description.clone(),
            ram: op.ram.as_ref().map(|r| Ram {
                action: r.action.clone(),
                access_level: r.access_level.clone(),
                resource_type: r.resource_type.clone(),
                resource_arn: r.resource_arn.clone(),
                condition_keys: r.condition_keys.clone(),
                associated_operations: r.associated_operations.clone(),
            }),
            rate_limit: op.rate_limit.as_ref().map(|r| (r.requests, r.per_seconds)),
            change_history: op
                .change_history
                .iter()
                .map(|c| (c.date.clone(), c.changes.clone()))
                .collect(),
            source: op
                .source
                .iter()
                .flat_map(|s| {
                    [
                        s.title.as_ref().map(|t| format!("page \"{t}\"")),
                        s.language.as_ref().map(|l| format!("language {l}")),
                        s.last_updated.as_ref().map(|d| format!("last updated {d}")),
                    ]
                })
                .flatten()
                .collect(),
            gaps: op.gaps.clone(),
            deprecated: op.deprecated,
        };
        // Validation reports a method the protocol does not send with.
        let method = Method::named(&op.method).unwrap_or(Method::Post);
        let classified_read_only = op
            .operation_type
            .as_ref()
            .map(|t| t.value.as_str())
            .into_iter()
            .chain(op.ram.as_ref().and_then(|r| r.access_level.as_deref()))
            .any(|kind| {
                READ_ONLY_OPERATION_TYPES
                    .iter()
                    .any(|read| kind.eq_ignore_ascii_case(read))
            });
        let idempotency_token = params
            .iter()
            .find(|f| {
                f.wire_name.eq_ignore_ascii_case(IDEMPOTENCY_TOKEN)
                    && f.location != ParamLocation::Path
                    && matches!(f.ty, TypeRef::String)
            })
            .map(|f| f.wire_name.clone());
        let binding = Binding {
            protocol: self.protocol,
            method,
            action: wire_name.clone(),
            path: match self.protocol {
                Protocol::Rpc => vec![PathPart::Literal("/".to_owned())],
                // Validation reports a path that is not a template.
                Protocol::Roa | Protocol::Rest => parse_path(&op.path.value).unwrap_or_default(),
            },
            read_only: matches!(method, Method::Get | Method::Head) || classified_read_only,
            idempotency_token,
            raw_body_media: self.raw_body_media(op),
            accept: self.accept(op, &outcomes),
        };
        Some(Operation {
            wire_name,
            module_name,
            method_name,
            feature,
            request_name,
            builder_name,
            response_name,
            error_name,
            binding,
            params,
            response_fields,
            response_examples,
            errors,
            outcomes,
            error_catch_all,
            types,
            docs,
        })
    }

    /// A REST operation's documented statuses, each with the type of its JSON body, in status
    /// order. Inline object bodies become types of the operation: the only success body takes
    /// the response type's name, the others `<Operation><Variant>`.
    fn outcomes(
        &mut self,
        op: &openapi::Operation,
        base: &str,
        response_name: &str,
        scope: &mut Scope,
    ) -> Vec<Outcome> {
        let mut keyed: Vec<(StatusKey, &openapi::Response)> = op
            .responses
            .iter()
            .filter_map(|(status, response)| {
                let response = match response {
                    ResponseOrRef::Inline(r) => r,
                    ResponseOrRef::Ref(target) => self.doc.response(&target.value)?,
                };
                Some((StatusKey::parse(&status.value)?, response))
            })
            .collect();
        keyed.sort_by_key(|(status, _)| *status);
        let successes = keyed
            .iter()
            .filter(|(status, _)| status.is_success())
            .count();
        let mut names = Names::default();
        let mut outcomes = Vec::new();
        for (status, response) in keyed {
            let variant_name = status_variant(status);
            if names.claim(&variant_name, &status.spec_key()).is_err() {
                continue;
            }
            let success = status.is_success();
            let context = if success && successes == 1 {
                response_name.to_owned()
            } else if success {
                format!("{base}{variant_name}")
            } else {
                format!("{base}{variant_name}Error")
            };
            // A JSON body is decoded into its schema's type; without one, a binary body is
            // kept as bytes and a text body (`text/plain`, XML) as text.
            let (body, encoding) = match &response.schema {
                Some(schema) => match self.type_of(schema, &context, base, scope) {
                    // A failure's struct is boxed: errors are passed up through every `?`,
                    // and a large one would make every `Result` of the crate large.
                    Some(ty @ TypeRef::Named(_)) if !success => {
                        (Some(TypeRef::Boxed(Box::new(ty))), BodyEncoding::Json)
                    }
                    Some(ty) => (Some(ty), BodyEncoding::Json),
                    None => continue,
                },
                None => match response
                    .media_types
                    .iter()
                    .find_map(|m| crate::binding::response_encoding(&m.value))
                {
                    Some(BodyEncoding::Bytes) => (Some(TypeRef::Bytes), BodyEncoding::Bytes),
                    Some(BodyEncoding::Text) => (Some(TypeRef::String), BodyEncoding::Text),
                    Some(BodyEncoding::Json) | None => (None, BodyEncoding::Json),
                },
            };
            let undecoded = response
                .media_types
                .iter()
                .filter(|m| crate::binding::response_encoding(&m.value) != Some(encoding))
                .map(|m| m.value.clone())
                .collect();
            outcomes.push(Outcome {
                status,
                variant_name,
                body,
                encoding,
                undecoded,
                description: response.description.clone(),
            });
        }
        outcomes
    }

    /// The media types a REST operation's success responses come in, when one of them is not
    /// decoded as JSON (bytes or text), for its `accept` header.
    fn accept(&self, op: &openapi::Operation, outcomes: &[Outcome]) -> Option<String> {
        let raw = outcomes
            .iter()
            .any(|o| o.is_success() && o.encoding != BodyEncoding::Json);
        if !raw {
            return None;
        }
        let mut media: Vec<&str> = Vec::new();
        for (status, response) in &op.responses {
            let success = StatusKey::parse(&status.value).is_some_and(StatusKey::is_success);
            let response = match response {
                ResponseOrRef::Inline(r) => Some(r),
                ResponseOrRef::Ref(target) => self.doc.response(&target.value),
            };
            for m in response
                .filter(|_| success)
                .into_iter()
                .flat_map(|r| &r.media_types)
            {
                if !media.contains(&m.value.as_str()) {
                    media.push(&m.value);
                }
            }
        }
        Some(media.join(", "))
    }

    /// The examples of a REST operation's first success response.
    fn response_examples(&self, op: &openapi::Operation) -> Vec<(String, String)> {
        op.responses
            .iter()
            .filter(|(status, _)| status.value.starts_with('2'))
            .find_map(|(_, r)| match r {
                ResponseOrRef::Inline(r) => Some(r),
                ResponseOrRef::Ref(target) => self.doc.response(&target.value),
            })
            .map(|response| {
                response
                    .examples
                    .iter()
                    .map(|(name, value)| {
                        let json = serde_json::to_string_pretty(value).unwrap_or_default();
                        (name.clone(), json)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn params(&mut self, op: &openapi::Operation, owner: &str, scope: &mut Scope) -> Vec<Field> {
        let mut sources = Vec::new();
        for param in op
            .parameters
            .iter()
            .filter_map(|p| self.doc.resolve_parameter(p))
        {
            let (Some(schema), Some(location)) = (
                &param.schema,
                ParamLocation::from_parameter_in(&param.location.value),
            ) else {
                continue;
            };
            sources.push(ParamSource {
                wire: &param.name,
                rust_name: param.rust_name.as_ref(),
                schema,
                location,
                style: self.param_style(param, location, schema),
                required: param.required.unwrap_or(false),
                required_unknown: param.required_unknown,
                example: param.example.as_ref(),
                description: param.description.as_ref(),
                deprecated: param.deprecated,
                raw: false,
            });
        }
        let raw_body = self.raw_body_media(op).is_some();
        for (name, member, required, body_location) in self.body_members(op) {
            let resolved = self.doc.resolve(member);
            // On an inline member, `x-rust-name` names the field (objects and enums: the type).
            let rust_name = match member {
                SchemaOrRef::Inline(s) if !s.is_named_kind() => s.rust_name.as_ref(),
                _ => None,
            };
            sources.push(ParamSource {
                wire: name,
                rust_name,
                schema: member,
                location: body_location,
                style: match self.protocol {
                    Protocol::Rest
                        if resolved.is_some_and(|s| s.value_kind() == ValueKind::List) =>
                    {
                        ParamStyle::Exploded
                    }
                    Protocol::Rest => ParamStyle::Scalar,
                    _ => resolved
                        .and_then(|s| s.acs_style.as_ref())
                        .and_then(|s| ParamStyle::named(&s.value))
                        .unwrap_or(ParamStyle::Scalar),
                },
                required,
                required_unknown: false,
                example: None,
                description: None,
                deprecated: resolved.is_some_and(|s| s.deprecated),
                raw: (raw_body && body_location == ParamLocation::Payload)
                    || (body_location == ParamLocation::Multipart
                        && resolved.is_some_and(Schema::is_binary)),
            });
        }
        let mut names = Names::default();
        let mut setters = Names::default();
        in_document_order(
            by_wire_name(sources.len(), |i| &sources[i].wire.value),
            |i| self.param(&sources[i], &mut names, &mut setters, owner, scope),
        )
    }

    /// How a parameter's lists and objects are written: its `x-acs-style` (Alibaba Cloud), or
    /// its OpenAPI `style` and `explode` (REST; validation reports the combinations that
    /// cannot be sent).
    fn param_style(
        &self,
        param: &openapi::Parameter,
        location: ParamLocation,
        schema: &SchemaOrRef,
    ) -> ParamStyle {
        if self.protocol != Protocol::Rest {
            return param
                .acs_style
                .as_ref()
                .and_then(|s| ParamStyle::named(&s.value))
                .unwrap_or(ParamStyle::Scalar);
        }
        let kind = self
            .doc
            .resolve(schema)
            .map_or(ValueKind::Scalar, |s| self.doc.value_kind(s));
        let style = param.style.as_ref().map(|s| s.value.as_str());
        ParamStyle::rest(location, style, param.explode, kind).unwrap_or(ParamStyle::Scalar)
    }

    /// The request body's media type acsgen sends (of several, the first it can), with its
    /// schema and where its members go.
    fn chosen_body(
        &self,
        op: &'d openapi::Operation,
    ) -> Option<(&'d str, Option<&'d SchemaOrRef>, ParamLocation)> {
        let request_body = op.request_body.as_ref()?;
        match self.protocol {
            Protocol::Rest => request_body.content.iter().find_map(|(media, schema)| {
                let sent = crate::binding::rest_body_media(&media.value)?;
                Some((
                    media.value.as_str(),
                    schema.as_ref(),
                    self.protocol.body_location(sent)?,
                ))
            }),
            _ => request_body.content.first().and_then(|(media, schema)| {
                Some((
                    media.value.as_str(),
                    schema.as_ref(),
                    self.protocol.body_location(&media.value)?,
                ))
            }),
        }
    }

    /// The media type of the operation's request body when it is sent as raw bytes.
    fn raw_body_media(&self, op: &'d openapi::Operation) -> Option<String> {
        let (media, _, _) = self.chosen_body(op)?;
        let essence = crate::binding::media_essence(media);
        crate::binding::is_raw_media(essence).then(|| essence.to_owned())
    }

    /// The members of the operation's request body (a form or a JSON object), each with
    /// whether it is required and where it goes; a REST JSON or raw body is one member,
    /// `body`.
    fn body_members(
        &self,
        op: &'d openapi::Operation,
    ) -> Vec<(
        &'d openapi::Spanned<String>,
        &'d SchemaOrRef,
        bool,
        ParamLocation,
    )> {
        let Some((_, schema, location)) = self.chosen_body(op) else {
            return Vec::new();
        };
        let required = op.request_body.as_ref().is_some_and(|b| b.required);
        if location == ParamLocation::Payload {
            // A raw body needs no schema: it is bytes whatever the schema says.
            let schema = schema.unwrap_or(&ANY_SCHEMA);
            return vec![(&PAYLOAD_NAME, schema, required, location)];
        }
        let Some(body) = schema.and_then(|schema| self.doc.resolve(schema)) else {
            return Vec::new();
        };
        body.properties
            .iter()
            .map(|(name, member)| {
                let required = body.required.contains(&name.value);
                (name, member, required, location)
            })
            .collect()
    }

    /// One request parameter, wherever the spec declares it.
    fn param(
        &mut self,
        source: &ParamSource<'_>,
        names: &mut Names,
        setters: &mut Names,
        owner: &str,
        scope: &mut Scope,
    ) -> Option<Field> {
        let wire = &source.wire.value;
        if self.protocol.own_parameters().contains(&wire.as_str()) {
            return None;
        }
        let rust_name = source
            .rust_name
            .map_or_else(|| snake(wire), |n| n.value.clone());
        if let Err(earlier) = names.claim(&rust_name, wire) {
            self.sink
                .error(
                    &source.wire.at,
                    format!("parameters `{earlier}` and `{wire}` both become the Rust field `{rust_name}`"),
                )
                .help("give one of them another name with `x-rust-name`");
            return None;
        }
        let setter = setter_name(&rust_name);
        if let Err(earlier) = setters.claim(&setter, wire) {
            self.sink
                .error(
                    &source.wire.at,
                    format!(
                        "the builder method `{setter}` for `{wire}` is already used by `{earlier}`"
                    ),
                )
                .help("give one of them another name with `x-rust-name`");
            return None;
        }
        let ty = if source.raw {
            TypeRef::Bytes
        } else {
            self.type_of(source.schema, wire, owner, scope)?
        };
        let resolved = self.doc.resolve(source.schema);
        let style = source.style;
        // The parameter's example, else its schema's, else (for a list) its items'.
        let items = resolved
            .and_then(|s| s.items.as_ref())
            .and_then(|items| self.doc.resolve(items));
        let example = source
            .example
            .or_else(|| resolved.and_then(|s| s.example.as_ref()))
            .or_else(|| items.and_then(|s| s.example.as_ref()))
            .map(text);
        Some(Field {
            wire_name: wire.clone(),
            rust_name,
            setter_name: setter,
            ty,
            required: source.required,
            location: source.location,
            style,
            constraints: self.constraints(resolved),
            docs: FieldDocs {
                description: source
                    .description
                    .cloned()
                    .or_else(|| resolved.and_then(|s| s.description.clone())),
                example,
                required_unknown: source.required_unknown,
                deprecated: source.deprecated,
                // A raw body's schema (`format: binary`) says what the type says already.
                notes: resolved
                    .filter(|_| !source.raw)
                    .map(schema_notes)
                    .unwrap_or_default(),
            },
        })
    }

    fn response(
        &mut self,
        op: &openapi::Operation,
        owner: &str,
        scope: &mut Scope,
    ) -> (Vec<Field>, Vec<(String, String)>) {
        let success = op
            .responses
            .iter()
            .filter(|(status, _)| status.value.starts_with('2'))
            .find_map(|(_, r)| match r {
                ResponseOrRef::Inline(r) => Some(r),
                ResponseOrRef::Ref(target) => self.doc.response(&target.value),
            });
        let Some(response) = success else {
            return (Vec::new(), Vec::new());
        };
        let examples = response
            .examples
            .iter()
            .map(|(name, value)| {
                let json = serde_json::to_string_pretty(value).unwrap_or_default();
                (name.clone(), json)
            })
            .collect();
        let Some(schema) = response.schema.as_ref().and_then(|s| self.doc.resolve(s)) else {
            return (Vec::new(), examples);
        };
        let schema = schema.clone();
        let fields = self.fields(&schema.properties, &schema.required, owner, scope);
        (fields, examples)
    }

    fn errors(&mut self, op: &openapi::Operation) -> (Vec<ErrorCase>, String) {
        let codes: Vec<String> = op.errors.iter().map(|row| row.code.value.clone()).collect();
        let mut cases = Vec::new();
        for ((row, code), name) in op.errors.iter().zip(&codes).zip(variant_names(&codes)) {
            let Some(variant_name) = name else {
                self.sink.error(
                    &row.code.at,
                    format!("error code `{code}` cannot be given a variant name distinct from the other codes"),
                );
                continue;
            };
            cases.push(ErrorCase {
                code: code.clone(),
                variant_name,
                http_status: row.http_status,
                message: row.message.clone(),
                description: row.description.clone(),
            });
        }
        let names: Vec<&str> = cases.iter().map(|c| c.variant_name.as_str()).collect();
        let catch_all = self.catch_all(
            &["Unhandled", "UnhandledError", "UndocumentedError"],
            &names,
            &op.at,
            "error codes",
        );
        (cases, catch_all)
    }

    /// The first of `candidates` that no variant in `taken` uses: the name of an enum's
    /// catch-all variant. Reports an error at `at` when `what` take them all.
    fn catch_all(
        &mut self,
        candidates: &[&str],
        taken: &[&str],
        at: &Location,
        what: &str,
    ) -> String {
        match candidates.iter().find(|c| !taken.contains(c)) {
            Some(name) => (*name).to_owned(),
            None => {
                self.sink.error(
                    at,
                    format!("{what} take every name acsgen uses for the catch-all variant"),
                );
                candidates
                    .last()
                    .map_or_else(String::new, |c| (*c).to_owned())
            }
        }
    }
}

/// The variant name of an inline union part without a title: what kind of value it is.
fn kind_name(schema: &Schema) -> &'static str {
    match schema.schema_type.as_ref().map(|t| t.value.as_str()) {
        Some("string") if schema.is_string_enum() => "Value",
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => "List",
        _ if schema.as_union().is_some() => "Union",
        _ if schema.properties.is_empty() && schema.additional_properties.is_some() => "Map",
        _ => "Object",
    }
}

/// The variant a response status is decoded into: its reason phrase (`404` → `NotFound`), its
/// class (`4XX` → `ClientError`), `Default`, or `Status<code>` for a code without a common
/// phrase.
fn status_variant(status: StatusKey) -> String {
    let phrase = match status {
        StatusKey::Default => "Default",
        StatusKey::Range(1) => "Informational",
        StatusKey::Range(2) => "Success",
        StatusKey::Range(3) => "Redirection",
        StatusKey::Range(4) => "ClientError",
        StatusKey::Range(5) => "ServerError",
        StatusKey::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            300 => "MultipleChoices",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            411 => "LengthRequired",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            414 => "UriTooLong",
            415 => "UnsupportedMediaType",
            416 => "RangeNotSatisfiable",
            417 => "ExpectationFailed",
            422 => "UnprocessableEntity",
            423 => "Locked",
            424 => "FailedDependency",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            431 => "RequestHeaderFieldsTooLarge",
            451 => "UnavailableForLegalReasons",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            other => return format!("Status{other}"),
        },
        StatusKey::Range(other) => return format!("Status{other}xx"),
    };
    phrase.to_owned()
}

/// Boxes the struct fields and union variants through which a type contains itself
/// (directly or through other types, not through a list or map), so that every type has a
/// size. One slot per cycle is boxed: struct fields before union variants (a union's variants
/// stay plain to match on), each only if the cycle is not broken already.
fn box_cycles(defs: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name().to_owned(), i))
        .collect();
    // The shared type a slot holds by value, if any.
    let held = |ty: &TypeRef| match ty {
        TypeRef::Named(path) if path.operation_module.is_none() => index.get(&path.name).copied(),
        _ => None,
    };
    // Per type, its slots that hold another type by value: (slot, target).
    let mut edges: Vec<Vec<(usize, usize)>> = defs
        .iter()
        .map(|def| {
            def.slots()
                .iter()
                .enumerate()
                .filter_map(|(slot, ty)| Some((slot, held(ty)?)))
                .collect()
        })
        .collect();
    let reaches = |edges: &[Vec<(usize, usize)>], from: usize, to: usize| {
        let mut seen = vec![false; edges.len()];
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            for &(_, next) in &edges[at] {
                if !std::mem::replace(&mut seen[next], true) {
                    stack.push(next);
                }
            }
        }
        false
    };
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by_key(|&i| matches!(defs[i], TypeDef::Union(_)));
    let mut boxed = Vec::new();
    for owner in order {
        let mut k = 0;
        while k < edges[owner].len() {
            let (slot, target) = edges[owner][k];
            if reaches(&edges, target, owner) {
                edges[owner].remove(k);
                boxed.push((owner, slot));
            } else {
                k += 1;
            }
        }
    }
    for (owner, slot) in boxed {
        let ty = match &mut defs[owner] {
            TypeDef::Struct(s) => &mut s.fields[slot].ty,
            TypeDef::Union(u) => &mut u.variants[slot].ty,
            TypeDef::Enum(_) => continue,
        };
        *ty = TypeRef::Boxed(Box::new(ty.clone()));
    }
}

/// The wire name of a REST operation's request body, as a request field.
static PAYLOAD_NAME: std::sync::LazyLock<openapi::Spanned<String>> =
    std::sync::LazyLock::new(|| openapi::Spanned {
        value: "body".to_owned(),
        at: Location::document(),
    });

/// The schema of a raw request body documented without one.
static ANY_SCHEMA: std::sync::LazyLock<SchemaOrRef> =
    std::sync::LazyLock::new(|| SchemaOrRef::Inline(Box::default()));

/// What a field's docs say about its schema beyond its type: the format the text or number
/// holds, the default the service assumes, who sends it, whether it may be `null`.
fn schema_notes(schema: &Schema) -> Vec<String> {
    let mut notes = Vec::new();
    // The formats that only size a number are said by the Rust type already.
    let sized = ["int32", "int64", "float", "double"];
    if let Some(format) = schema
        .format
        .as_ref()
        .filter(|f| !sized.contains(&f.value.as_str()))
    {
        let meaning = match format.value.as_str() {
            "date-time" => " (RFC 3339 date and time)",
            "date" => " (RFC 3339 full date, `YYYY-MM-DD`)",
            "byte" => " (base64-encoded bytes)",
            "binary" => " (bytes as text)",
            "uuid" => " (a UUID)",
            _ => "",
        };
        notes.push(format!("format `{}`{meaning}", format.value));
    }
    if let Some(default) = &schema.default {
        notes.push(format!("default: `{}`", text(default)));
    }
    if schema.read_only {
        notes.push("read-only: the service sends it, requests leave it out".to_owned());
    }
    if schema.write_only {
        notes.push("write-only: requests send it, the service does not return it".to_owned());
    }
    if schema.nullable
        || schema
            .union
            .as_ref()
            .is_some_and(openapi::Union::admits_null)
    {
        notes.push("may be `null` (read as absent)".to_owned());
    }
    notes
}

fn setter_name(rust_name: &str) -> String {
    if BUILDER_METHODS.contains(&bare(rust_name)) {
        format!("{}_value", bare(rust_name))
    } else {
        rust_name.to_owned()
    }
}

/// Marks which structs are sent (need builders and flattening) and which are received (need
/// decoding), following fields transitively from every request and response; returns every
/// type reached.
fn mark_usage(shared: &mut [TypeDef], operations: &mut [Operation]) -> BTreeSet<TypePath> {
    let mut input = BTreeSet::new();
    let mut output = BTreeSet::new();
    let mut pending: Vec<(TypePath, bool)> = Vec::new();
    for op in operations.iter() {
        for field in &op.params {
            collect_named(&field.ty, true, &mut pending);
        }
        for field in &op.response_fields {
            collect_named(&field.ty, false, &mut pending);
        }
        for body in op.outcomes.iter().filter_map(|o| o.body.as_ref()) {
            collect_named(body, false, &mut pending);
        }
    }
    let by_module: BTreeMap<&String, usize> = operations
        .iter()
        .enumerate()
        .map(|(i, op)| (&op.module_name, i))
        .collect();
    while let Some((path, is_input)) = pending.pop() {
        let set = if is_input { &mut input } else { &mut output };
        if !set.insert(path.clone()) {
            continue;
        }
        let defs: &[TypeDef] = match &path.operation_module {
            None => shared,
            Some(module) => by_module
                .get(module)
                .map_or(&[][..], |&i| &operations[i].types),
        };
        if let Some(def) = defs.iter().find(|d| d.name() == path.name) {
            for ty in def.slots() {
                collect_named(ty, is_input, &mut pending);
            }
        }
    }
    let apply = |def: &mut TypeDef, module: Option<&String>| {
        let path = TypePath {
            operation_module: module.cloned(),
            name: def.name().to_owned(),
            is_enum: false,
        };
        match def {
            TypeDef::Struct(s) => {
                s.input = input.contains(&path);
                s.output = output.contains(&path);
            }
            TypeDef::Union(u) => u.input = input.contains(&path),
            TypeDef::Enum(_) => {}
        }
    };
    for def in shared.iter_mut() {
        apply(def, None);
    }
    for op in operations.iter_mut() {
        let module = op.module_name.clone();
        for def in op.types.iter_mut() {
            apply(def, Some(&module));
        }
    }
    input.union(&output).cloned().collect()
}

fn collect_named(ty: &TypeRef, is_input: bool, out: &mut Vec<(TypePath, bool)>) {
    out.extend(ty.named().map(|path| (path.clone(), is_input)));
}
