//! The typed OpenAPI 3 model the loader produces: only what acsgen reads, each node with its
//! source location. Alibaba-specific `x-acs-*` extensions are typed here too.

use serde_json::Value;

use crate::diag::Location;

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub at: Location,
}

/// One OpenAPI document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The `openapi` version string (`3.0.3`, `3.1.0`, ...).
    pub openapi: Option<Spanned<String>>,
    /// The `info` object.
    pub info: Info,
    /// The `servers` list, first one is the default endpoint.
    pub servers: Vec<Server>,
    /// Operations in document order, with the path key and method they were found under.
    pub operations: Vec<Operation>,
    /// `components.schemas`, in document order.
    pub schemas: Vec<(Spanned<String>, Schema)>,
    /// `components.responses`, in document order.
    pub responses: Vec<(Spanned<String>, Response)>,
    /// `components.parameters`, in document order.
    pub parameters: Vec<(Spanned<String>, Parameter)>,
    /// `components.securitySchemes`, in document order.
    pub security_schemes: Vec<(Spanned<String>, SecurityScheme)>,
    /// The top-level `security`: each requirement as the names of its schemes.
    pub security: Vec<Vec<Spanned<String>>>,
    /// Location of the `paths` object, for diagnostics about it as a whole.
    pub paths_at: Location,
}

/// A `components.securitySchemes` entry.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// `type`: `http`, `apiKey`, `oauth2`, `openIdConnect`, `mutualTLS`.
    pub kind: Option<Spanned<String>>,
    /// `scheme` of an `http` scheme: `bearer`, `basic`, ...
    pub scheme: Option<Spanned<String>>,
    /// `name` of an `apiKey` scheme: the header or query parameter.
    pub name: Option<Spanned<String>>,
    /// `in` of an `apiKey` scheme: `header`, `query` or `cookie`.
    pub location: Option<Spanned<String>>,
    /// Where the scheme is.
    pub at: Location,
}

/// The `info` object with the `x-acs-*` product facts.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// `info.title`.
    pub title: Option<Spanned<String>>,
    /// `info.version`.
    pub version: Option<Spanned<String>>,
    /// `info.description`.
    pub description: Option<String>,
    /// `x-acs-product`: the product code (`ResourceManager`, `Cms`).
    pub product: Option<Spanned<String>>,
    /// `x-acs-api-version`.
    pub api_version: Option<Spanned<String>>,
    /// `x-acs-style`: `rpc` for Action/Version operations on one endpoint.
    pub style: Option<Spanned<String>>,
    /// `x-acs-endpoint-rule`: `central` or `regional`.
    pub endpoint_rule: Option<Spanned<String>>,
    /// `x-acs-endpoints`: the host of each region, as published (region ID → host).
    pub endpoints: Vec<(Spanned<String>, Spanned<String>)>,
    /// `x-acs-vpc-endpoint`: the host reached from inside a VPC, with `{regionId}` for a
    /// regional product.
    pub vpc_endpoint: Option<Spanned<String>>,
    /// `x-acs-success-flag`: the member of a successful (2xx) JSON answer that is `false` when
    /// the service reports a failure in the body, e.g. `Success`.
    pub success_flag: Option<Spanned<String>>,
    /// Where `info` is.
    pub at: Location,
}

/// A `servers` entry.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL, possibly with `{variable}` templates.
    pub url: Spanned<String>,
    /// `description`.
    pub description: Option<String>,
    /// The `default` of each of `variables`, by name.
    pub variables: Vec<(String, String)>,
}

/// An operation object with the path key and method it sits under.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The path key, e.g. `/?Action=CancelHandshake` or `/users/{id}`.
    pub path: Spanned<String>,
    /// HTTP method, lowercase.
    pub method: String,
    /// `operationId`.
    pub operation_id: Option<Spanned<String>>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Parameters: path-level ones first, then the operation's own.
    pub parameters: Vec<ParameterOrRef>,
    /// `requestBody`, when present.
    pub request_body: Option<RequestBody>,
    /// Responses by status key, in document order.
    pub responses: Vec<(Spanned<String>, ResponseOrRef)>,
    /// `x-acs-ram`.
    pub ram: Option<Ram>,
    /// `x-acs-rate-limit`.
    pub rate_limit: Option<RateLimit>,
    /// `x-acs-change-history`.
    pub change_history: Vec<Change>,
    /// `x-acs-errors`.
    pub errors: Vec<ErrorRow>,
    /// `x-acs-source`: the page the operation was transcribed from.
    pub source: Option<Source>,
    /// `x-acs-gaps`: what the source page left out.
    pub gaps: Vec<String>,
    /// `x-rust-name`: overrides the Rust name derived from `operationId`.
    pub rust_name: Option<Spanned<String>>,
    /// `security`, when the operation sets its own: each requirement as the names of its
    /// schemes (an empty list: no authentication).
    pub security: Option<Vec<Vec<Spanned<String>>>>,
    /// `x-acs-operation-type`: what the operation does (`get`, `list`, `create`, `update`,
    /// `delete`, `none`), as the official metadata classifies it.
    pub operation_type: Option<Spanned<String>>,
    /// Where the operation object is.
    pub at: Location,
}

impl Operation {
    /// The operation's name on the wire: its `operationId`; a REST operation without one is
    /// named after its method and path (`GET /pets/{petId}` → `getPetsByPetId`).
    pub fn wire_id(&self, protocol: crate::binding::Protocol) -> Option<Spanned<String>> {
        if let Some(id) = &self.operation_id {
            return Some(id.clone());
        }
        if protocol != crate::binding::Protocol::Rest {
            return None;
        }
        let mut words = self.method.clone();
        for segment in self.path.value.split('/').filter(|s| !s.is_empty()) {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => words.push_str(&format!(" by {param}")),
                None => words.push_str(&format!(" {segment}")),
            }
        }
        let name = crate::ident::lower_camel(&words);
        Some(Spanned {
            value: name,
            at: self.at.clone(),
        })
    }
}

/// A parameter, or a `$ref` to one.
#[derive(Debug, Clone)]
pub enum ParameterOrRef {
    /// `$ref: '#/components/parameters/X'`.
    Ref(Spanned<String>),
    /// An inline parameter.
    Inline(Box<Parameter>),
}

/// A parameter object.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The wire name.
    pub name: Spanned<String>,
    /// `in`: `query`, `header`, `path`, `cookie`.
    pub location: Spanned<String>,
    /// `required`, when written.
    pub required: Option<bool>,
    /// `description`.
    pub description: Option<String>,
    /// `example`.
    pub example: Option<Value>,
    /// `schema`.
    pub schema: Option<SchemaOrRef>,
    /// `x-acs-style`: wire serialization of lists and objects.
    pub acs_style: Option<Spanned<String>>,
    /// `style`: OpenAPI serialization (`form`, `simple`, `spaceDelimited`, ...).
    pub style: Option<Spanned<String>>,
    /// `explode`, when written.
    pub explode: Option<bool>,
    /// Whether the parameter describes its value with `content` instead of `schema`.
    pub has_content: bool,
    /// `x-rust-name`: overrides the Rust name derived from the wire name.
    pub rust_name: Option<Spanned<String>>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `x-acs-required: unknown`: the source does not say whether the parameter is required.
    pub required_unknown: bool,
    /// Where the parameter object is.
    pub at: Location,
}

/// A schema, or a `$ref` to one.
#[derive(Debug, Clone)]
pub enum SchemaOrRef {
    /// `$ref: '#/components/schemas/X'`.
    Ref(Spanned<String>),
    /// An inline schema.
    Inline(Box<Schema>),
}

/// A schema object.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// `type` (the first non-`null` one when 3.1 lists several).
    pub schema_type: Option<Spanned<String>>,
    /// `format`.
    pub format: Option<Spanned<String>>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `example` (or the first of 3.1 `examples`).
    pub example: Option<Value>,
    /// `enum` values.
    pub enum_values: Vec<Spanned<Value>>,
    /// `items` of an array.
    pub items: Option<SchemaOrRef>,
    /// `properties` of an object, in document order.
    pub properties: Vec<(Spanned<String>, SchemaOrRef)>,
    /// `required` property names.
    pub required: Vec<String>,
    /// `additionalProperties`, when it is a schema.
    pub additional_properties: Option<SchemaOrRef>,
    /// The further non-null types of a 3.1 `type` list (`[string, integer]`: `integer`).
    pub other_types: Vec<String>,
    /// `allOf`: schemas whose members this one has too.
    pub all_of: Vec<SchemaOrRef>,
    /// `nullable: true` (3.0), or `null` among the types of a 3.1 `type` list.
    pub nullable: bool,
    /// `readOnly`: sent by the service only.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only.
    pub write_only: bool,
    /// `default`: the value the service assumes when the member is absent.
    pub default: Option<Value>,
    /// `oneOf` or `anyOf`: the value is one of several schemas.
    pub union: Option<Union>,
    /// A composition keyword acsgen does not generate (`not`, or `anyOf` beside `oneOf`),
    /// when present.
    pub unsupported_composition: Option<Spanned<String>>,
    /// `x-rust-name`: overrides the derived Rust name.
    pub rust_name: Option<Spanned<String>>,
    /// `x-acs-style`: how a form body member is written on the wire.
    pub acs_style: Option<Spanned<String>>,
    /// `x-acs-enum-descriptions`: description per enum value.
    pub enum_descriptions: Vec<(String, String)>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Validation keywords (`minimum`, `maxLength`, `pattern`, ...) with their values as
    /// text, in [`CONSTRAINT_KEYWORDS`] order.
    pub constraints: Vec<(String, String)>,
    /// Where the schema object is.
    pub at: Location,
}

/// `oneOf` or `anyOf`: the schemas a value may match.
#[derive(Debug, Clone)]
pub struct Union {
    /// `oneOf` or `anyOf`, where it is written.
    pub keyword: Spanned<String>,
    /// The schemas, in document order.
    pub parts: Vec<SchemaOrRef>,
    /// `discriminator`: the member whose value says which part a value is.
    pub discriminator: Option<Discriminator>,
}

/// A `discriminator` object.
#[derive(Debug, Clone)]
pub struct Discriminator {
    /// `propertyName`.
    pub property: Spanned<String>,
    /// `mapping`: member value → `$ref` of the part it selects, in document order.
    pub mapping: Vec<(String, Spanned<String>)>,
    /// Where the discriminator object is.
    pub at: Location,
}

impl Union {
    /// The parts that describe a value: not `{type: 'null'}`, and not a part that only adds
    /// constraints (`{required: [a]}`, as `anyOf` is used to say "a or b must be present").
    pub fn value_parts(&self) -> impl Iterator<Item = &SchemaOrRef> {
        self.parts.iter().filter(|part| match part {
            SchemaOrRef::Ref(_) => true,
            SchemaOrRef::Inline(s) => s.describes_a_value(),
        })
    }

    /// Whether one of the parts is `{type: 'null'}`: the value may be `null`.
    pub fn admits_null(&self) -> bool {
        self.parts.iter().any(|part| match part {
            SchemaOrRef::Inline(s) => s.is_null_type(),
            SchemaOrRef::Ref(_) => false,
        })
    }
}

/// The validation keywords kept from schemas: they do not change the generated types, but
/// they are part of the API (a tighter limit rejects requests that were accepted).
pub const CONSTRAINT_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// What a value is, for how it is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A string, number or boolean.
    Scalar,
    /// An array.
    List,
    /// An object.
    Object,
}

impl ValueKind {
    /// The kind with its article, for messages: `a list`.
    pub fn describe(self) -> &'static str {
        match self {
            ValueKind::Scalar => "a scalar",
            ValueKind::List => "a list",
            ValueKind::Object => "an object",
        }
    }
}

impl Schema {
    /// Whether its values are scalars, lists or objects (`type: object`, or no type with
    /// properties or `allOf` parts).
    pub fn value_kind(&self) -> ValueKind {
        match self.schema_type.as_ref().map(|t| t.value.as_str()) {
            Some("array") => ValueKind::List,
            Some("object") => ValueKind::Object,
            None if !self.properties.is_empty()
                || !self.all_of.is_empty()
                || self.as_union().is_some() =>
            {
                ValueKind::Object
            }
            _ => ValueKind::Scalar,
        }
    }

    /// Whether it is `{type: 'null'}` (3.1), or `{nullable: true}` and nothing else (3.0).
    pub fn is_null_type(&self) -> bool {
        self.schema_type.as_ref().is_some_and(|t| t.value == "null")
            || (self.nullable && !self.describes_a_value_itself())
    }

    /// Whether it says what a value is (a type, members, items, values, parts), rather than
    /// only constraining a value described elsewhere; a `null` type describes nothing.
    pub fn describes_a_value(&self) -> bool {
        !self.is_null_type() && self.describes_a_value_itself()
    }

    fn describes_a_value_itself(&self) -> bool {
        self.schema_type.as_ref().is_some_and(|t| t.value != "null")
            || !self.properties.is_empty()
            || self.items.is_some()
            || self.additional_properties.is_some()
            || !self.all_of.is_empty()
            || !self.enum_values.is_empty()
            || self.union.is_some()
    }

    /// The union this schema is, when it is one: `oneOf`/`anyOf` with at least two parts
    /// that describe values. (With one, the schema is that part, perhaps nullable.)
    pub fn as_union(&self) -> Option<&Union> {
        self.union
            .as_ref()
            .filter(|u| u.value_parts().nth(1).is_some())
    }

    /// The one part a `oneOf`/`anyOf` with a single value part stands for
    /// (`anyOf: [{$ref: X}, {type: 'null'}]` is a nullable `X`).
    pub fn single_part(&self) -> Option<&SchemaOrRef> {
        let union = self.union.as_ref()?;
        let mut parts = union.value_parts();
        let first = parts.next()?;
        parts.next().is_none().then_some(first)
    }

    /// Whether it is `type: string, format: binary`: bytes (a file, in a multipart body).
    pub fn is_binary(&self) -> bool {
        self.schema_type
            .as_ref()
            .is_some_and(|t| t.value == "string")
            && self.format.as_ref().is_some_and(|f| f.value == "binary")
    }

    /// Whether it is a string with documented values (a generated enum).
    pub fn is_string_enum(&self) -> bool {
        self.schema_type.as_ref().map(|t| t.value.as_str()) == Some("string")
            && !self.enum_values.is_empty()
    }

    /// Whether it becomes a named Rust type: a string enum, a union, or an object with
    /// properties.
    pub fn is_named_kind(&self) -> bool {
        self.is_string_enum()
            || self.as_union().is_some()
            || ((!self.properties.is_empty() || !self.all_of.is_empty())
                && matches!(
                    self.schema_type.as_ref().map(|t| t.value.as_str()),
                    None | Some("object")
                ))
    }
}

/// An operation's `requestBody`.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Media types with their schemas, in document order.
    pub content: Vec<(Spanned<String>, Option<SchemaOrRef>)>,
    /// `required`.
    pub required: bool,
    /// Where the request body object is.
    pub at: Location,
}

/// A response, or a `$ref` to one.
#[derive(Debug, Clone)]
pub enum ResponseOrRef {
    /// `$ref: '#/components/responses/X'`.
    Ref(Spanned<String>),
    /// An inline response.
    Inline(Response),
}

/// A response object (its JSON content only).
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// `description`.
    pub description: Option<String>,
    /// The schema of its JSON content (`application/json`, `application/<x>+json`, `*/*`).
    pub schema: Option<SchemaOrRef>,
    /// Every media type under `content`, in document order.
    pub media_types: Vec<Spanned<String>>,
    /// `content.application/json.examples` values (or `example`), by name.
    pub examples: Vec<(String, Value)>,
    /// Where the response object is.
    pub at: Location,
}

/// `x-acs-ram`: the authorization row of the page.
#[derive(Debug, Clone, Default)]
pub struct Ram {
    /// The RAM action, e.g. `resourcemanager:CancelHandshake`.
    pub action: Option<String>,
    /// The access level as printed (`read`, `update`, `create`, ...).
    pub access_level: Option<String>,
    /// The resource type.
    pub resource_type: Option<String>,
    /// The resource ARN pattern.
    pub resource_arn: Option<String>,
    /// Condition keys.
    pub condition_keys: Vec<String>,
    /// Associated operations.
    pub associated_operations: Vec<String>,
}

/// `x-acs-rate-limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u64,
    /// Window length in seconds.
    pub per_seconds: u64,
}

/// One `x-acs-change-history` entry.
#[derive(Debug, Clone)]
pub struct Change {
    /// The date as printed, `YYYY-MM-DD`.
    pub date: String,
    /// What changed.
    pub changes: Vec<String>,
}

/// One row of the page's error table (`x-acs-errors`).
#[derive(Debug, Clone)]
pub struct ErrorRow {
    /// HTTP status.
    pub http_status: u16,
    /// The error code, e.g. `EntityNotExists.Contact`.
    pub code: Spanned<String>,
    /// The error message.
    pub message: Option<String>,
    /// The description.
    pub description: Option<String>,
}

/// `x-acs-source`: the page an operation was transcribed from.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The page title.
    pub title: Option<String>,
    /// The page's language.
    pub language: Option<String>,
    /// When the page was last updated, as printed.
    pub last_updated: Option<String>,
}

impl Document {
    /// The schema a local `$ref` (`#/components/schemas/Name`) points to, with its name.
    pub fn schema(&self, reference: &str) -> Option<(&Spanned<String>, &Schema)> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        self.schemas
            .iter()
            .find(|(n, _)| n.value == name)
            .map(|(n, s)| (n, s))
    }

    /// Whether values of `schema` are scalars, lists or objects, looking through `$ref`s: a
    /// union whose parts are all scalars (`anyOf: [integer, string]`) is a scalar, any other
    /// union an object.
    pub fn value_kind(&self, schema: &Schema) -> ValueKind {
        let Some(union) = schema.as_union() else {
            return schema.value_kind();
        };
        let scalar = union.value_parts().all(|part| {
            self.resolve(part)
                .is_some_and(|s| s.as_union().is_none() && s.value_kind() == ValueKind::Scalar)
        });
        if scalar {
            ValueKind::Scalar
        } else {
            ValueKind::Object
        }
    }

    /// The response a local `$ref` (`#/components/responses/Name`) points to.
    pub fn response(&self, reference: &str) -> Option<&Response> {
        let name = reference.strip_prefix("#/components/responses/")?;
        self.responses
            .iter()
            .find(|(n, _)| n.value == name)
            .map(|(_, r)| r)
    }

    /// The schema `schema` stands for: itself, or what its `$ref` points to (`None` for a
    /// reference that points nowhere, which validation reports).
    pub fn resolve<'a>(&'a self, schema: &'a SchemaOrRef) -> Option<&'a Schema> {
        match schema {
            SchemaOrRef::Inline(s) => Some(s),
            SchemaOrRef::Ref(r) => self.schema(&r.value).map(|(_, s)| s),
        }
    }

    /// The parameter an entry of `parameters` stands for: itself, or what its `$ref` points
    /// to (`None` for a reference that points nowhere, which validation reports).
    pub fn resolve_parameter<'a>(&'a self, entry: &'a ParameterOrRef) -> Option<&'a Parameter> {
        match entry {
            ParameterOrRef::Inline(p) => Some(p),
            ParameterOrRef::Ref(r) => self.parameter(&r.value),
        }
    }

    /// The parameter a local `$ref` (`#/components/parameters/Name`) points to.
    pub fn parameter(&self, reference: &str) -> Option<&Parameter> {
        let name = reference.strip_prefix("#/components/parameters/")?;
        self.parameters
            .iter()
            .find(|(n, _)| n.value == name)
            .map(|(_, p)| p)
    }
}
