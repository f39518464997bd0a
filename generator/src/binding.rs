//! The protocol binding: how an operation goes on the wire. The one place that knows which API
//! styles, HTTP methods, parameter locations and wire styles exist and which a protocol
//! accepts; `validate` checks specs against it, `lower` records each operation's binding in
//! the IR, and the emitter writes requests that the runtime sends accordingly.
//!
//! Alibaba Cloud RPC is one binding: the operation named by its action, path `/`, parameters
//! in the query (lists and objects flattened by their `x-acs-style`) or in a form body
//! (`requestBody` with [`FORM_CONTENT_TYPE`], each member with its own `x-acs-style`).
//! Alibaba Cloud ROA is another: a path template per operation, parameters in the path
//! (percent-encoded per segment), the query and headers, members of a JSON body.
//! Plain REST (any OpenAPI 3 document without `x-acs-style`) is the third: a path template,
//! parameters in the path, the query (in their OpenAPI `style`) and headers, and the request
//! body as one value; nothing is signed, and each answer is decoded by its status.

use crate::openapi::ValueKind;

/// An API style, as `info.x-acs-style` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Alibaba Cloud RPC: `Action` and `Version` name the operation; path `/`.
    Rpc,
    /// Alibaba Cloud ROA (REST): a path template per operation, parameters in the path, the
    /// query and headers, a JSON body; the action and version travel as headers.
    Roa,
    /// A plain REST API described by any OpenAPI 3 document: a path template per operation,
    /// parameters in the path, the query and headers, the request body as one value, a
    /// response type per status.
    Rest,
}

impl Protocol {
    /// Every protocol acsgen generates, with its name in `info.x-acs-style`.
    pub const ALL: &'static [(&'static str, Protocol)] = &[
        ("rpc", Protocol::Rpc),
        ("roa", Protocol::Roa),
        ("rest", Protocol::Rest),
    ];

    /// The protocol `info.x-acs-style` names.
    pub fn named(name: &str) -> Option<Protocol> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    /// Its name in `info.x-acs-style`.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("", |(n, _)| n)
    }

    /// The protocol of `doc` (`info.x-acs-style`): a document without `x-acs-style` and
    /// `x-acs-product` is a plain REST API. An unknown style, or a product without a style, is
    /// reported by validation; the document is then read as RPC, so that its other problems
    /// are found in the same run.
    pub fn of(doc: &crate::openapi::Document) -> Protocol {
        match (&doc.info.style, &doc.info.product) {
            (None, None) => Protocol::Rest,
            (style, _) => style
                .as_ref()
                .and_then(|s| Protocol::named(&s.value))
                .unwrap_or(Protocol::Rpc),
        }
    }

    /// Whether the API is an Alibaba Cloud one (signed with Alibaba Cloud credentials, its
    /// endpoint chosen by region).
    pub fn is_alibaba(self) -> bool {
        matches!(self, Protocol::Rpc | Protocol::Roa)
    }

    /// The HTTP methods operations of this protocol are sent with.
    pub fn methods(self) -> &'static [Method] {
        match self {
            Protocol::Rpc => &[Method::Post, Method::Get],
            Protocol::Roa | Protocol::Rest => &[
                Method::Get,
                Method::Post,
                Method::Put,
                Method::Delete,
                Method::Patch,
                Method::Head,
            ],
        }
    }

    /// Where operations of this protocol take parameters.
    pub fn locations(self) -> &'static [ParamLocation] {
        match self {
            Protocol::Rpc => &[ParamLocation::Query, ParamLocation::Form],
            Protocol::Roa => &[
                ParamLocation::Path,
                ParamLocation::Query,
                ParamLocation::Header,
                ParamLocation::Body,
                ParamLocation::Form,
            ],
            Protocol::Rest => &[
                ParamLocation::Path,
                ParamLocation::Query,
                ParamLocation::Header,
                ParamLocation::Payload,
                ParamLocation::Form,
                ParamLocation::Multipart,
            ],
        }
    }

    /// The media types this protocol sends request bodies in, each with where the body's
    /// members go: RPC sends forms; ROA sends JSON objects or forms.
    pub fn body_media_types(self) -> &'static [(&'static str, ParamLocation)] {
        match self {
            Protocol::Rpc => &[(FORM_CONTENT_TYPE, ParamLocation::Form)],
            Protocol::Roa => &[
                (JSON_CONTENT_TYPE, ParamLocation::Body),
                (FORM_CONTENT_TYPE, ParamLocation::Form),
            ],
            Protocol::Rest => &[
                (JSON_CONTENT_TYPE, ParamLocation::Payload),
                (FORM_CONTENT_TYPE, ParamLocation::Form),
                (MULTIPART_CONTENT_TYPE, ParamLocation::Multipart),
                (RAW_CONTENT_TYPE, ParamLocation::Payload),
            ],
        }
    }

    /// Where the members of a request body in `media_type` go, if this protocol sends it.
    pub fn body_location(self, media_type: &str) -> Option<ParamLocation> {
        self.body_media_types()
            .iter()
            .find(|(media, _)| *media == media_type)
            .map(|(_, location)| *location)
    }

    /// Parameters the protocol sends itself; they are never operation fields.
    pub fn own_parameters(self) -> &'static [&'static str] {
        match self {
            Protocol::Rpc => &[
                "Action",
                "Version",
                "Format",
                "AccessKeyId",
                "Signature",
                "SignatureMethod",
                "SignatureVersion",
                "SignatureNonce",
                "Timestamp",
                "SecurityToken",
            ],
            Protocol::Roa | Protocol::Rest => &[],
        }
    }
}

/// A media type without its parameters: `application/json; charset=utf-8` → `application/json`.
pub fn media_essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

/// The media type of a request body the REST binding sends, when `media_type` is one: JSON
/// (also `application/<x>+json` and a `charset`), a form, a multipart form, or raw bytes
/// ([`RAW_CONTENT_TYPE`]).
pub fn rest_body_media(media_type: &str) -> Option<&'static str> {
    let essence = media_essence(media_type);
    if essence == JSON_CONTENT_TYPE
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Some(JSON_CONTENT_TYPE)
    } else if essence == FORM_CONTENT_TYPE {
        Some(FORM_CONTENT_TYPE)
    } else if essence == MULTIPART_CONTENT_TYPE {
        Some(MULTIPART_CONTENT_TYPE)
    } else if is_raw_media(essence) {
        Some(RAW_CONTENT_TYPE)
    } else {
        None
    }
}

/// Whether a body in `media_type` (without parameters) is bytes sent or kept as they are:
/// `application/octet-stream`, images, audio, video, PDF, archives. Text formats (XML,
/// multipart forms) are not: they have a structure acsgen does not write.
pub fn is_raw_media(essence: &str) -> bool {
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence, ""));
    matches!(kind, "image" | "audio" | "video")
        || (kind == "application"
            && matches!(
                subtype,
                "octet-stream" | "pdf" | "zip" | "gzip" | "x-tar" | "x-gzip"
            ))
}

/// How an answer in `media_type` is read: JSON (see [`is_json_response`]), bytes (see
/// [`is_raw_media`]) or text (`text/*`, XML); `None` for other media (multipart).
pub fn response_encoding(media_type: &str) -> Option<crate::ir::BodyEncoding> {
    use crate::ir::BodyEncoding;
    let essence = media_essence(media_type);
    if is_json_response(essence) {
        Some(BodyEncoding::Json)
    } else if is_raw_media(essence) {
        Some(BodyEncoding::Bytes)
    } else if essence.starts_with("text/") || essence.ends_with("/xml") || essence.ends_with("+xml")
    {
        Some(BodyEncoding::Text)
    } else {
        None
    }
}

/// Whether a response in `media_type` is decoded as JSON: JSON, `application/<x>+json`, or
/// any type (`*/*`, as many documents write for JSON answers).
pub fn is_json_response(media_type: &str) -> bool {
    let essence = media_essence(media_type);
    rest_body_media(essence) == Some(JSON_CONTENT_TYPE) || essence == "*/*"
}

/// The media type of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The media type of a multipart form body (fields and files).
pub const MULTIPART_CONTENT_TYPE: &str = "multipart/form-data";

/// Stands for any media type whose body is sent as raw bytes ([`is_raw_media`]); the
/// operation's own media type is kept in [`Binding::raw_body_media`].
pub const RAW_CONTENT_TYPE: &str = "application/octet-stream";

/// The media type of a JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
    /// `PATCH`.
    Patch,
    /// `HEAD`.
    Head,
}

impl Method {
    /// Every method, with its key in an OpenAPI path item.
    pub const ALL: &'static [(&'static str, Method)] = &[
        ("get", Method::Get),
        ("post", Method::Post),
        ("put", Method::Put),
        ("delete", Method::Delete),
        ("patch", Method::Patch),
        ("head", Method::Head),
    ];

    /// The method an OpenAPI path item key (`post`) stands for.
    pub fn named(key: &str) -> Option<Method> {
        Self::ALL.iter().find(|(k, _)| *k == key).map(|(_, m)| *m)
    }

    /// The key in an OpenAPI path item, e.g. `post`.
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("", |(k, _)| k)
    }

    /// The name of the runtime's `acs_runtime::Method` variant, e.g. `Post`.
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Delete => "Delete",
            Method::Patch => "Patch",
            Method::Head => "Head",
        }
    }
}

/// Where a request parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// Query string (`in: query`).
    Query,
    /// HTTP header (`in: header`).
    Header,
    /// Path segment (`in: path`).
    Path,
    /// A member of a form body (`application/x-www-form-urlencoded`).
    Form,
    /// A member of a JSON body; also every response field and struct member.
    Body,
    /// The whole request body, one JSON value (REST).
    Payload,
    /// A field of a `multipart/form-data` body: text, or a file's bytes (REST).
    Multipart,
}

impl ParamLocation {
    /// The locations a parameter's `in` names, with that name.
    pub const PARAMETER_IN: &'static [(&'static str, ParamLocation)] = &[
        ("query", ParamLocation::Query),
        ("header", ParamLocation::Header),
        ("path", ParamLocation::Path),
    ];

    /// The location a parameter's `in` names (`cookie` and unknown names are `None`).
    pub fn from_parameter_in(name: &str) -> Option<ParamLocation> {
        Self::PARAMETER_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, l)| *l)
    }

    /// How a spec writes this location, e.g. `in: query`.
    pub fn spec_name(self) -> &'static str {
        match self {
            ParamLocation::Query => "in: query",
            ParamLocation::Header => "in: header",
            ParamLocation::Path => "in: path",
            ParamLocation::Form => "a form body",
            ParamLocation::Body => "a JSON body",
            ParamLocation::Payload => "the request body",
            ParamLocation::Multipart => "a multipart form body",
        }
    }
}

/// How a list or object parameter is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// A scalar: `Name=value`.
    Scalar,
    /// `flat`: `Name.Member`, `Name.1`, recursively.
    Flat,
    /// `repeatList`: `Name.1`, `Name.2` (same keys as `flat`).
    RepeatList,
    /// `json`: the value as one JSON string.
    Json,
    /// `simple` (and OpenAPI `form` with `explode: false`): list values joined with commas.
    Simple,
    /// OpenAPI `form` with `explode: true`: a list as one parameter per item, `tags=a&tags=b`.
    Exploded,
    /// OpenAPI `spaceDelimited`: list values joined with spaces.
    SpaceDelimited,
    /// OpenAPI `pipeDelimited`: list values joined with `|`.
    PipeDelimited,
    /// OpenAPI `deepObject`: an object's members as `name[member]=value`.
    DeepObject,
}

impl ParamStyle {
    /// The styles a list or object parameter may declare in `x-acs-style`, with that name.
    pub const DECLARED: &'static [(&'static str, ParamStyle)] = &[
        ("repeatList", ParamStyle::RepeatList),
        ("flat", ParamStyle::Flat),
        ("json", ParamStyle::Json),
        ("simple", ParamStyle::Simple),
    ];

    /// How a REST parameter at `location` holding a `kind` value is written, by its OpenAPI
    /// `style` and `explode`; `None` when acsgen cannot send that combination. Query
    /// parameters: scalars and lists in `form` (lists exploded, `tag=a&tag=b`, or joined with
    /// commas), lists in `spaceDelimited` or `pipeDelimited`, objects in `deepObject`; path and
    /// header parameters: scalars (and, in a header, lists) in `simple`.
    pub fn rest(
        location: ParamLocation,
        style: Option<&str>,
        explode: Option<bool>,
        kind: ValueKind,
    ) -> Option<ParamStyle> {
        use ParamLocation::{Header, Path, Query};
        Some(match (location, style, kind) {
            (Query, None | Some("form"), ValueKind::Scalar) => ParamStyle::Scalar,
            (Path | Header, None | Some("simple"), ValueKind::Scalar) => ParamStyle::Scalar,
            (Query, None | Some("form"), ValueKind::List) if explode != Some(false) => {
                ParamStyle::Exploded
            }
            (Query, None | Some("form"), ValueKind::List) => ParamStyle::Simple,
            (Query, Some("spaceDelimited"), ValueKind::List) => ParamStyle::SpaceDelimited,
            (Query, Some("pipeDelimited"), ValueKind::List) => ParamStyle::PipeDelimited,
            (Query, Some("deepObject"), ValueKind::Object) => ParamStyle::DeepObject,
            (Header, None | Some("simple"), ValueKind::List) => ParamStyle::Simple,
            _ => return None,
        })
    }

    /// The separator a joined list style puts between values.
    pub fn separator(self) -> Option<char> {
        match self {
            ParamStyle::Simple => Some(','),
            ParamStyle::SpaceDelimited => Some(' '),
            ParamStyle::PipeDelimited => Some('|'),
            _ => None,
        }
    }

    /// The style `x-acs-style` names.
    pub fn named(name: &str) -> Option<ParamStyle> {
        Self::DECLARED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
    }

    /// The names of every declarable style, for messages: `repeatList, flat, json, simple`.
    pub fn declared_names() -> String {
        Self::DECLARED
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How one operation is bound to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The protocol.
    pub protocol: Protocol,
    /// The HTTP method.
    pub method: Method,
    /// The operation's name on the wire (`Action`, `x-acs-action`).
    pub action: String,
    /// The request path: `/` for RPC; for ROA the template, literal text and parameters.
    pub path: Vec<PathPart>,
    /// Whether sending it twice is harmless because it only reads: sent with GET or HEAD, or
    /// classified as `get` or `list` (`x-acs-operation-type`, or the access level of
    /// `x-acs-ram`). Timeouts and server errors are retried only for such operations and
    /// those with an idempotency token.
    pub read_only: bool,
    /// The wire name of the parameter that makes a retry safe (`ClientToken`), which the
    /// client fills once per call when the caller leaves it unset.
    pub idempotency_token: Option<String>,
    /// The media type a raw request body is sent with (`application/octet-stream`,
    /// `image/png`...), when the operation's body is bytes.
    pub raw_body_media: Option<String>,
    /// The `accept` header of an operation that answers with something else than JSON (bytes
    /// or text): the media types of its success responses. `None`: JSON, the default.
    pub accept: Option<String>,
}

impl Binding {
    /// The request path as a template, parameters in braces: `/clusters/{ClusterId}`.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|part| match part {
                PathPart::Literal(text) => text.clone(),
                PathPart::Param(name) => format!("{{{name}}}"),
            })
            .collect()
    }
}

/// The operation types (`x-acs-operation-type`, RAM access levels) that only read.
pub const READ_ONLY_OPERATION_TYPES: [&str; 3] = ["get", "list", "read"];

/// Every value `x-acs-operation-type` may take.
pub const OPERATION_TYPES: [&str; 6] = ["get", "list", "create", "update", "delete", "none"];

/// The wire name of the idempotency token parameter, matched ignoring ASCII case.
pub const IDEMPOTENCY_TOKEN: &str = "ClientToken";

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is, e.g. `/clusters/`.
    Literal(String),
    /// A path parameter, by wire name, percent-encoded as one segment.
    Param(String),
}

/// Splits a path template (`/clusters/{ClusterId}/nodepools`) into its parts; `None` when a
/// brace is unbalanced or a parameter name is empty.
pub fn parse_path(template: &str) -> Option<Vec<PathPart>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (literal, after) = rest.split_at(open);
        if literal.contains('}') {
            return None;
        }
        if !literal.is_empty() {
            parts.push(PathPart::Literal(literal.to_owned()));
        }
        let close = after.find('}')?;
        let name = &after[1..close];
        if name.is_empty() || name.contains('{') {
            return None;
        }
        parts.push(PathPart::Param(name.to_owned()));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return None;
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    Some(parts)
}
