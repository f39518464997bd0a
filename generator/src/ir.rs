//! The intermediate representation: what to generate, with every Rust name decided, each next
//! to the wire name it stands for. Plain data; it knows nothing of YAML or of tokens.
//!
//! The IR describes operations in protocol-neutral terms (parameters with a location and a
//! serialization style, a response shape, documented errors); how an operation is sent is one
//! field of it ([`Binding`], from [`crate::binding`]), so REST operations fit beside RPC ones.

use std::collections::{BTreeMap, BTreeSet};

pub use crate::binding::{Binding, Method, ParamLocation, ParamStyle, PathPart, Protocol};

/// The Cargo feature that enables every operation of a generated crate (the default).
pub const ALL_OPERATIONS_FEATURE: &str = "all-operations";

/// Cargo feature names an operation cannot have: its feature gets an `_operation` suffix.
pub const RESERVED_FEATURES: &[&str] = &["default"];

/// Methods the emitted request and struct builders define besides one setter per field
/// (`Default::default` and `Clone::clone` included): a field with one of these names gets a
/// setter with a `_value` suffix.
pub const BUILDER_METHODS: &[&str] = &["build", "new", "default", "clone"];

/// Methods the emitted `Client` defines or derives besides one per operation: an operation
/// with one of these names gets a method with an `_operation` suffix.
pub const CLIENT_METHODS: &[&str] = &["new", "config", "clone", "fmt", "eq"];

/// One SDK crate, generated from one spec document.
#[derive(Debug, Clone)]
pub struct Crate {
    /// The document this crate is generated from, as given on the command line.
    pub source_file: String,
    /// Directory name under the output directory, e.g. `cms-2019-01-01`.
    pub dir_name: String,
    /// Cargo package name, e.g. `acs-cms-20190101`.
    pub package_name: String,
    /// Rust library name, e.g. `acs_cms_20190101`.
    pub lib_name: String,
    /// Product title, e.g. `CloudMonitor API`.
    pub title: String,
    /// Product description.
    pub description: Option<String>,
    /// Product code on the wire (`Cms`).
    pub product: String,
    /// API version on the wire (`2019-01-01`).
    pub api_version: String,
    /// How the endpoint is found.
    pub endpoint: Endpoint,
    /// The regions whose host is not the one `endpoint` gives them, with their host, sorted
    /// by region ID.
    pub region_endpoints: Vec<(String, String)>,
    /// The host reached from inside a VPC (`{regionId}` for the region), if the product has
    /// one.
    pub vpc_endpoint: Option<String>,
    /// The member of a successful JSON answer that is `false` when the service reports a
    /// failure in the body (`x-acs-success-flag`).
    pub success_flag: Option<String>,
    /// Operations, sorted by wire name.
    pub operations: Vec<Operation>,
    /// Types shared by operations (from `components.schemas`), sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// How a plain REST API authenticates callers, in the order its document prefers them
    /// (empty for Alibaba Cloud APIs).
    pub auth: Vec<AuthScheme>,
    /// The API style of its operations.
    pub protocol: Protocol,
}

/// How a plain REST API authenticates callers (`components.securitySchemes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// An API key in a header or query parameter.
    ApiKey {
        /// The header or query parameter name.
        name: String,
        /// Whether it goes in the query (else a header).
        in_query: bool,
    },
}

impl Crate {
    /// The generated type `path` names.
    pub fn find_type(&self, path: &TypePath) -> Option<&TypeDef> {
        let defs = match &path.operation_module {
            None => &self.types,
            Some(module) => {
                &self
                    .operations
                    .iter()
                    .find(|o| &o.module_name == module)?
                    .types
            }
        };
        defs.iter().find(|d| d.name() == path.name)
    }

    /// The shared types `op` reaches, by Rust name: through its parameters and responses,
    /// and through the types those hold, its own module's types included.
    pub fn shared_types_reached<'a>(&'a self, op: &'a Operation) -> BTreeSet<&'a str> {
        let mut pending: Vec<&TypeRef> = op
            .params
            .iter()
            .chain(&op.response_fields)
            .map(|f| &f.ty)
            .chain(op.outcomes.iter().filter_map(|o| o.body.as_ref()))
            .collect();
        let mut seen: BTreeSet<&TypePath> = BTreeSet::new();
        while let Some(ty) = pending.pop() {
            let Some(path) = ty.named() else {
                continue;
            };
            if !seen.insert(path) {
                continue;
            }
            let def = match &path.operation_module {
                Some(module) if *module == op.module_name => {
                    op.types.iter().find(|d| d.name() == path.name)
                }
                _ => self.find_type(path),
            };
            pending.extend(def.into_iter().flat_map(TypeDef::slots));
        }
        seen.into_iter()
            .filter(|path| path.operation_module.is_none())
            .map(|path| path.name.as_str())
            .collect()
    }

    /// For each shared type, by Rust name, the features of the operations that reach it.
    pub fn features_by_shared_type(&self) -> BTreeMap<&str, BTreeSet<&str>> {
        let mut features: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for op in &self.operations {
            for name in self.shared_types_reached(op) {
                features.entry(name).or_default().insert(&op.feature);
            }
        }
        features
    }

    /// Keeps the operations `keep` selects, and the shared types they reach.
    pub fn retain_operations(&mut self, keep: impl Fn(&Operation) -> bool) {
        self.operations.retain(keep);
        let reached: BTreeSet<String> = self
            .operations
            .iter()
            .flat_map(|op| self.shared_types_reached(op))
            .map(str::to_owned)
            .collect();
        self.types.retain(|def| reached.contains(def.name()));
    }
}

/// How a product's endpoint is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// One host whatever the region.
    Global {
        /// e.g. `resourcemanager.aliyuncs.com`.
        host: String,
    },
    /// A host per region, e.g. `metrics.{regionId}.aliyuncs.com`.
    Regional {
        /// Host template with a `{regionId}` placeholder.
        template: String,
    },
    /// A plain REST API's base URL, path included.
    Url {
        /// e.g. `https://petstore.swagger.io/v2`.
        base: String,
    },
    /// No absolute server URL is known: callers configure one.
    Unlisted,
}

impl Endpoint {
    /// The rule as written: the global host, or the template with `{regionId}`.
    pub fn rule(&self) -> &str {
        match self {
            Endpoint::Global { host } => host,
            Endpoint::Regional { template } => template,
            Endpoint::Url { base } => base,
            Endpoint::Unlisted => "",
        }
    }

    /// The host this rule gives `region`.
    pub fn host_in(&self, region: &str) -> String {
        match self {
            Endpoint::Regional { template } => template.replace("{regionId}", region),
            other => other.rule().to_owned(),
        }
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name (`Action`), e.g. `UpdateMessageContact`.
    pub wire_name: String,
    /// Module and client method name, e.g. `update_message_contact`.
    pub module_name: String,
    /// Client method name (usually equal to `module_name`).
    pub method_name: String,
    /// The Cargo feature that compiles it (usually `module_name` without `r#`).
    pub feature: String,
    /// Request type name, e.g. `UpdateMessageContactRequest`.
    pub request_name: String,
    /// Request builder type name.
    pub builder_name: String,
    /// Response type name.
    pub response_name: String,
    /// Error enum name.
    pub error_name: String,
    /// How it is sent: protocol, method, action.
    pub binding: Binding,
    /// Request parameters, in the order of the spec.
    pub params: Vec<Field>,
    /// Fields of the successful response, in the order of the spec.
    pub response_fields: Vec<Field>,
    /// Sample successful responses from the spec (JSON text), by example name.
    pub response_examples: Vec<(String, String)>,
    /// Documented errors, in the order of the spec.
    pub errors: Vec<ErrorCase>,
    /// REST: what each documented status is decoded into, in status order (codes, then
    /// ranges, then `default`); empty for Alibaba Cloud operations, which decode every
    /// success into the response struct and every error by its code.
    pub outcomes: Vec<Outcome>,
    /// Name of the error enum's catch-all variant.
    pub error_catch_all: String,
    /// Types defined inline by this operation, living in its module, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Documentation.
    pub docs: OperationDocs,
}

/// What the rustdoc of an operation says.
#[derive(Debug, Clone, Default)]
pub struct OperationDocs {
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// RAM authorization.
    pub ram: Option<Ram>,
    /// Rate limit: requests per window of seconds.
    pub rate_limit: Option<(u64, u64)>,
    /// Change history: date and what changed.
    pub change_history: Vec<(String, Vec<String>)>,
    /// The source page's title, language and date.
    pub source: Vec<String>,
    /// What the source page leaves out.
    pub gaps: Vec<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
}

/// The authorization row of an operation.
#[derive(Debug, Clone, Default)]
pub struct Ram {
    /// RAM action, e.g. `resourcemanager:UpdateMessageContact`.
    pub action: Option<String>,
    /// Access level, e.g. `update`.
    pub access_level: Option<String>,
    /// Resource type.
    pub resource_type: Option<String>,
    /// Resource ARN pattern.
    pub resource_arn: Option<String>,
    /// Condition keys.
    pub condition_keys: Vec<String>,
    /// Associated operations.
    pub associated_operations: Vec<String>,
}

/// A field of a request, response or struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire, e.g. `MessageTypes`.
    pub wire_name: String,
    /// Rust field name, e.g. `message_types` (raw identifiers written `r#type`).
    pub rust_name: String,
    /// Builder setter name (differs from `rust_name` when that is a builder method).
    pub setter_name: String,
    /// The type.
    pub ty: TypeRef,
    /// Whether the field must be set.
    pub required: bool,
    /// Where a request parameter goes (responses and struct members: `Body`).
    pub location: ParamLocation,
    /// How lists and objects are written on the wire.
    pub style: ParamStyle,
    /// Validation keywords of its schema and, prefixed `items.`, of its list items, with
    /// their values as text (`maxLength` → `64`).
    pub constraints: Vec<(String, String)>,
    /// Documentation.
    pub docs: FieldDocs,
}

/// What the rustdoc of a field says.
#[derive(Debug, Clone, Default)]
pub struct FieldDocs {
    /// Description.
    pub description: Option<String>,
    /// Example value, as text.
    pub example: Option<String>,
    /// Whether the source does not say if the field is required.
    pub required_unknown: bool,
    /// Whether the field is deprecated.
    pub deprecated: bool,
    /// What the schema says beyond the type: format, default, read-only, nullable.
    pub notes: Vec<String>,
}

/// A field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Free-form JSON (`serde_json::Value`).
    Any,
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Box<T>`: a type that contains itself through this field.
    Boxed(Box<TypeRef>),
    /// `Vec<u8>`: a body sent or received as it is (`application/octet-stream`, images...).
    Bytes,
    /// A generated struct or enum.
    Named(TypePath),
}

impl TypeRef {
    /// The generated type it holds, through lists, maps and boxes.
    pub fn named(&self) -> Option<&TypePath> {
        match self {
            TypeRef::Named(path) => Some(path),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => inner.named(),
            _ => None,
        }
    }
}

/// Where a generated type lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypePath {
    /// `None` for shared types (`crate::types`), or the operation module.
    pub operation_module: Option<String>,
    /// The Rust type name.
    pub name: String,
    /// Whether it is an enum (string with documented values) rather than a struct.
    pub is_enum: bool,
}

/// A generated type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// An object.
    Struct(StructDef),
    /// A string with documented values.
    Enum(EnumDef),
    /// A value of one of several types (`oneOf` / `anyOf`).
    Union(UnionDef),
}

impl TypeDef {
    /// The Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
        }
    }

    /// The types it holds: its fields' or its variants', in order.
    pub fn slots(&self) -> Vec<&TypeRef> {
        match self {
            TypeDef::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeDef::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeDef::Enum(_) => Vec::new(),
        }
    }

    /// File stem for a shared type, e.g. `message_type`.
    pub fn file_stem(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.file_stem,
            TypeDef::Enum(e) => &e.file_stem,
            TypeDef::Union(u) => &u.file_stem,
        }
    }
}

/// An object type.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Rust name.
    pub name: String,
    /// Snake-case name for its file.
    pub file_stem: String,
    /// Builder type name (only used when `input` is set).
    pub builder_name: String,
    /// The schema's name or the property it was found under.
    pub wire_name: String,
    /// Description.
    pub description: Option<String>,
    /// Members.
    pub fields: Vec<Field>,
    /// Whether it is sent in requests (needs a builder and flattening).
    pub input: bool,
    /// Whether it is received in responses (needs decoding).
    pub output: bool,
}

/// A string with documented values, and a catch-all for any other value.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Rust name.
    pub name: String,
    /// Snake-case name for its file.
    pub file_stem: String,
    /// The schema's name or the field it was found under.
    pub wire_name: String,
    /// Description.
    pub description: Option<String>,
    /// Documented values.
    pub variants: Vec<Variant>,
    /// Name of the catch-all variant holding undocumented values.
    pub catch_all: String,
}

/// One documented value of an enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The value on the wire, e.g. `zh-cn`.
    pub wire_value: String,
    /// Rust variant name, e.g. `ZhCn`.
    pub rust_name: String,
    /// What the value means, when documented.
    pub description: Option<String>,
}

/// A value that is one of several types (`oneOf` / `anyOf`), and a catch-all keeping a value
/// that is none of them.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// Rust name.
    pub name: String,
    /// Snake-case name for its file.
    pub file_stem: String,
    /// The schema's name or the member it was found under.
    pub wire_name: String,
    /// `oneOf` or `anyOf`.
    pub keyword: String,
    /// Description.
    pub description: Option<String>,
    /// The member whose value says which variant a value is (`discriminator.propertyName`);
    /// without one, variants are tried in order.
    pub discriminator: Option<String>,
    /// The variants, in the order of the spec.
    pub variants: Vec<UnionVariant>,
    /// Name of the catch-all variant holding a value no variant fits.
    pub catch_all: String,
    /// Whether it is sent in requests (needs query flattening).
    pub input: bool,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name, e.g. `Cat`.
    pub rust_name: String,
    /// The schema it refers to (`Cat` for `$ref: '#/components/schemas/Cat'`); `None` for an
    /// inline part.
    pub schema_name: Option<String>,
    /// The part's description.
    pub description: Option<String>,
    /// What it holds.
    pub ty: TypeRef,
    /// The discriminator values that select it (empty without a discriminator).
    pub tags: Vec<String>,
    /// When it holds an object: the members the object must have to be this variant, and,
    /// unless the object may have others, every member it declares. `None` for other values.
    pub shape: Option<ObjectShape>,
}

/// What an object must look like to be read as a given union variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectShape {
    /// Wire names of the members it must have.
    pub required: Vec<String>,
    /// Wire names of every member it declares.
    pub members: Vec<String>,
    /// Whether it takes members it does not declare (a map, or `additionalProperties`).
    pub open: bool,
}

/// How the body of an answer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON, decoded into the body type.
    Json,
    /// Text (`text/plain`, XML...), kept as a `String`.
    Text,
    /// Bytes (`application/octet-stream`, images...), kept as they came.
    Bytes,
}

/// One documented response status of a REST operation, and what its body is decoded into.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The status (or range, or `default`) it documents.
    pub status: StatusKey,
    /// Its variant in the response enum (successes) or the error enum (the others), e.g.
    /// `NotFound`.
    pub variant_name: String,
    /// The type of its body; `None` when it documents no body.
    pub body: Option<TypeRef>,
    /// How the body is read.
    pub encoding: BodyEncoding,
    /// Media types it documents that are not decoded (an XML or binary body), for the docs.
    pub undecoded: Vec<String>,
    /// The response's description.
    pub description: Option<String>,
}

impl Outcome {
    /// Whether the status is a success (2xx).
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }
}

/// A key of an operation's `responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKey {
    /// One status, e.g. `404`.
    Code(u16),
    /// A class of statuses, e.g. `4XX` (its first digit).
    Range(u16),
    /// `default`: every status not documented otherwise.
    Default,
}

impl StatusKey {
    /// Whether it is a success (2xx); `default` is read as the failures.
    pub fn is_success(self) -> bool {
        match self {
            StatusKey::Code(code) => (200..300).contains(&code),
            StatusKey::Range(class) => class == 2,
            StatusKey::Default => false,
        }
    }

    /// The key as the spec writes it: `404`, `4XX`, `default`.
    pub fn spec_key(self) -> String {
        match self {
            StatusKey::Code(code) => code.to_string(),
            StatusKey::Range(class) => format!("{class}XX"),
            StatusKey::Default => "default".to_owned(),
        }
    }

    /// Reads a key of `responses`.
    pub fn parse(key: &str) -> Option<StatusKey> {
        if key == "default" {
            return Some(StatusKey::Default);
        }
        let bytes = key.as_bytes();
        if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) {
            if key[1..].eq_ignore_ascii_case("XX") {
                return Some(StatusKey::Range(u16::from(bytes[0] - b'0')));
            }
            if let Ok(code) = key.parse::<u16>() {
                return Some(StatusKey::Code(code));
            }
        }
        None
    }
}

/// One documented error code of an operation.
#[derive(Debug, Clone)]
pub struct ErrorCase {
    /// The code on the wire, e.g. `EntityNotExists.Contact`.
    pub code: String,
    /// Rust variant name, e.g. `EntityNotExistsContact`.
    pub variant_name: String,
    /// HTTP status the service answers with.
    pub http_status: u16,
    /// Documented message.
    pub message: Option<String>,
    /// Documented description.
    pub description: Option<String>,
}
