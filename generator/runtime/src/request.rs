//! What one operation sends, before signing: method, action, path, query, headers and body.
//!
//! Generated request types build an [`OperationRequest`] (`to_request()`), placing each field
//! where the API's protocol binding puts it; [`ServiceClient::send`](crate::ServiceClient::send)
//! resolves the endpoint, adds the protocol's own headers and parameters, signs and sends it.

use std::fmt;

use crate::params::{Params, QueryParam};
use crate::signing;

/// An HTTP method an operation is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    /// The method as it is written in a request line, e.g. `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the API names and signs its operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiStyle {
    /// RPC: path `/`, the action names the operation; V1 signs the query.
    Rpc,
    /// ROA (REST): a path per operation; V1 signs headers and the resource.
    Roa,
    /// A plain REST API: a path per operation, nothing signed; authenticated, if at all, by
    /// the secrets of [`Config`](crate::Config) (bearer token, basic, API key).
    Rest,
}

/// The body of an operation request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Form parameters, sent as `application/x-www-form-urlencoded`.
    Form(Params),
    /// A JSON object, sent as `application/json`.
    Json(JsonObject),
    /// A JSON value already serialized (members in the order their type declares them), sent
    /// as `application/json`: a REST operation's whole body.
    JsonText(Vec<u8>),
    /// Bytes sent as they are (a file, an image...), with their media type.
    Raw {
        /// The `content-type`, e.g. `application/octet-stream` or `image/png`.
        media_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl Body {
    /// The `content-type` the body is sent with; `None` for no body.
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Body::Empty => None,
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
            Body::Json(_) | Body::JsonText(_) => Some("application/json; charset=utf-8"),
            Body::Raw { media_type, .. } => Some(media_type),
        }
    }

    /// The body's bytes, as they are sent.
    ///
    /// ```
    /// use acs_runtime::{Body, Params};
    /// let mut form = Params::new();
    /// form.put("Name", "a b&c");
    /// assert_eq!(Body::Form(form).to_bytes(), b"Name=a%20b%26c");
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Empty => Vec::new(),
            Body::Form(params) => signing::encode_query(params.iter()).into_bytes(),
            Body::Json(object) => object.to_bytes(),
            Body::JsonText(bytes) => bytes.clone(),
            Body::Raw { bytes, .. } => bytes.clone(),
        }
    }

    /// A `multipart/form-data` body: each of `fields` a text field, in order, then each of
    /// `files` (field name and bytes) a file, sent as `application/octet-stream` with the
    /// field name as its file name. The boundary is derived from the content, so the same
    /// fields give the same bytes, and it never occurs in the content.
    ///
    /// ```
    /// use acs_runtime::{Body, Params};
    /// let mut fields = Params::new();
    /// fields.put("note", "a \"b\"");
    /// let body = Body::multipart(&fields, &[("photo", b"PNG".to_vec())]);
    /// let content_type = body.content_type().unwrap().to_owned();
    /// let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
    /// let expected = format!(
    ///     "--{boundary}\r\ncontent-disposition: form-data; name=\"note\"\r\n\r\na \"b\"\r\n\
    ///      --{boundary}\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"photo\"\r\n\
    ///      content-type: application/octet-stream\r\n\r\nPNG\r\n--{boundary}--\r\n"
    /// );
    /// assert_eq!(String::from_utf8(body.to_bytes()).unwrap(), expected);
    /// ```
    pub fn multipart(fields: &Params, files: &[(&str, Vec<u8>)]) -> Body {
        let parts: Vec<(String, &[u8], bool)> = fields
            .iter()
            .map(|(name, value)| (disposition_name(name), value.as_bytes(), false))
            .chain(
                files
                    .iter()
                    .map(|(name, bytes)| (disposition_name(name), bytes.as_slice(), true)),
            )
            .collect();
        let boundary = boundary_for(parts.iter().map(|(_, data, _)| *data));
        let mut bytes = Vec::new();
        for (name, data, is_file) in &parts {
            bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let header = if *is_file {
                format!("content-disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\ncontent-type: application/octet-stream\r\n\r\n")
            } else {
                format!("content-disposition: form-data; name=\"{name}\"\r\n\r\n")
            };
            bytes.extend_from_slice(header.as_bytes());
            bytes.extend_from_slice(data);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Body::Raw {
            media_type: format!("multipart/form-data; boundary={boundary}"),
            bytes,
        }
    }

    /// The form parameters, when the body is a form.
    pub fn form(&self) -> Option<&Params> {
        match self {
            Body::Form(params) => Some(params),
            _ => None,
        }
    }
}

/// The members of a JSON body, in insertion order; absent values are never added.
///
/// ```
/// use acs_runtime::JsonObject;
/// let mut body = JsonObject::new();
/// body.put("name", "np-1");
/// body.put("count", &3);
/// body.put("tags", &None::<Vec<String>>);
/// assert_eq!(body.to_bytes(), br#"{"name":"np-1","count":3}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonObject {
    members: Vec<(String, serde_json::Value)>,
    invalid: Option<(String, String)>,
}

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the member `name`. A value that serializes to `null` (such as `None`) adds
    /// nothing; one that cannot be serialized adds nothing and is remembered, so that the
    /// request fails before it is sent.
    pub fn put<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(value) => match self.members.iter_mut().find(|(n, _)| n == name) {
                Some(member) => member.1 = value,
                None => self.members.push((name.to_owned(), value)),
            },
            Err(err) => {
                if self.invalid.is_none() {
                    self.invalid = Some((name.to_owned(), err.to_string()));
                }
            }
        }
    }

    /// The member `name`.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The members, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.members.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// The first member that could not be serialized, with the reason.
    pub fn invalid(&self) -> Option<(&str, &str)> {
        self.invalid.as_ref().map(|(n, r)| (n.as_str(), r.as_str()))
    }

    /// The object as compact JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = b"{".to_vec();
        for (i, (name, value)) in self.members.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // Strings and values always serialize; the fallbacks cannot be reached.
            out.extend(serde_json::to_vec(name).unwrap_or_default());
            out.push(b':');
            out.extend(serde_json::to_vec(value).unwrap_or_default());
        }
        out.push(b'}');
        out
    }
}

/// A path parameter's value as one percent-encoded path segment: every byte but the unreserved
/// `A-Z a-z 0-9 - _ . ~` is escaped, `/` included.
///
/// ```
/// assert_eq!(acs_runtime::path_segment("c a/b%2F集"), "c%20a%2Fb%252F%E9%9B%86");
/// assert_eq!(acs_runtime::path_segment(&42), "42");
/// ```
pub fn path_segment<V: QueryParam + ?Sized>(value: &V) -> String {
    signing::percent_encode(&value.to_scalar().unwrap_or_default())
}

/// Where an operation's idempotency token goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenLocation {
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A member of the form body.
    Form,
    /// A member of the JSON body.
    Json,
}

/// The parameter that makes an operation safe to repeat: the service acts once per token
/// value (`ClientToken` in Alibaba Cloud APIs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdempotencyToken {
    /// The parameter's wire name, e.g. `ClientToken`.
    pub name: &'static str,
    /// Where it goes.
    pub location: TokenLocation,
}

/// One operation's request as the API describes it, before the protocol adds its own headers
/// and parameters (date, nonce, version, signature).
///
/// ```
/// use acs_runtime::{Method, OperationRequest};
/// let mut request = OperationRequest::rpc(Method::Post, "CancelHandshake");
/// request.query.put("HandshakeId", "h-1");
/// assert_eq!(request.path, "/");
/// assert_eq!(request.params().get("HandshakeId"), Some("h-1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationRequest {
    /// RPC or ROA.
    pub style: ApiStyle,
    /// The HTTP method.
    pub method: Method,
    /// The operation's name on the wire (`Action`, `x-acs-action`).
    pub action: String,
    /// The request path, percent-encoded, starting with `/` (`/` for RPC operations).
    pub path: String,
    /// Query parameters, flattened.
    pub query: Params,
    /// Header parameters of the operation (not the protocol's own headers).
    pub headers: Params,
    /// The body.
    pub body: Body,
    /// Whether sending the request twice is harmless, because the operation only reads (by
    /// its access level or its method). Timeouts, connection failures after sending and
    /// server errors are retried only for such requests, or when they carry an
    /// [`idempotency_token`](Self::idempotency_token). `GET` and `HEAD` requests start as
    /// idempotent.
    pub idempotent: bool,
    /// The operation's idempotency token. When the request leaves it unset, the client fills
    /// it with a fresh value once per call, so that every retry carries the same token.
    pub idempotency_token: Option<IdempotencyToken>,
    /// A body that could not be serialized: its name and the reason.
    invalid_body: Option<(String, String)>,
}

impl OperationRequest {
    /// An Alibaba Cloud RPC operation: path `/`, the operation named by its action, no
    /// parameters yet.
    pub fn rpc(method: Method, action: impl Into<String>) -> Self {
        Self::new(ApiStyle::Rpc, method, action.into(), "/".to_owned())
    }

    /// An Alibaba Cloud ROA operation: `path` already holds its parameters, percent-encoded
    /// (see [`path_segment`]).
    pub fn roa(method: Method, action: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(ApiStyle::Roa, method, action.into(), path.into())
    }

    /// An operation of a plain REST API, named `operation_id`: `path` (relative to the API's
    /// base URL) already holds its parameters, percent-encoded (see [`path_segment`]).
    ///
    /// ```
    /// use acs_runtime::{Body, Method, OperationRequest};
    /// let mut request = OperationRequest::rest(Method::Post, "addPet", "/pets");
    /// request.put_json_body("body", &serde_json::json!({"name": "Rex"}));
    /// assert_eq!(request.body.to_bytes(), br#"{"name":"Rex"}"#);
    /// ```
    pub fn rest(method: Method, operation_id: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(ApiStyle::Rest, method, operation_id.into(), path.into())
    }

    /// Sets the whole body to `value` as JSON. A value that cannot be serialized leaves the
    /// body empty and is remembered under `name`: the request then fails before it is sent.
    pub fn put_json_body<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.body = Body::JsonText(bytes),
            Err(err) => {
                self.body = Body::Empty;
                self.invalid_body = Some((name.to_owned(), err.to_string()));
            }
        }
    }

    /// Sets the whole body to `bytes`, sent as they are with the `content-type` `media_type`.
    ///
    /// ```
    /// use acs_runtime::{Method, OperationRequest};
    /// let mut request = OperationRequest::rest(Method::Put, "uploadLogo", "/logo");
    /// request.put_raw_body("image/png", b"\x89PNG".to_vec());
    /// assert_eq!(request.body.content_type(), Some("image/png"));
    /// assert_eq!(request.body.to_bytes(), b"\x89PNG");
    /// ```
    pub fn put_raw_body(&mut self, media_type: &str, bytes: Vec<u8>) {
        self.body = Body::Raw {
            media_type: media_type.to_owned(),
            bytes,
        };
    }

    fn new(style: ApiStyle, method: Method, action: String, path: String) -> Self {
        Self {
            invalid_body: None,
            style,
            method,
            action,
            path,
            query: Params::new(),
            headers: Params::new(),
            body: Body::Empty,
            idempotent: matches!(method, Method::Get | Method::Head),
            idempotency_token: None,
        }
    }

    /// Whether a retry after the request may have reached the service is harmless: the
    /// request is [`idempotent`](Self::idempotent) or carries an idempotency token.
    pub fn is_safe_to_retry(&self) -> bool {
        self.idempotent || self.idempotency_token.is_some()
    }

    /// The value of the idempotency token, if the request has one and it is set.
    pub fn idempotency_token_value(&self) -> Option<String> {
        let token = self.idempotency_token?;
        match token.location {
            TokenLocation::Query => self.query.get(token.name).map(str::to_owned),
            TokenLocation::Header => self.headers.get(token.name).map(str::to_owned),
            TokenLocation::Form => self.body.form()?.get(token.name).map(str::to_owned),
            TokenLocation::Json => match &self.body {
                Body::Json(object) => object
                    .get(token.name)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
                _ => None,
            },
        }
    }

    /// Sets the idempotency token to `value` where the request leaves it unset; a token the
    /// caller set is kept. Does nothing for a request without a token.
    pub fn fill_idempotency_token(&mut self, value: &str) {
        let Some(token) = self.idempotency_token else {
            return;
        };
        if self.idempotency_token_value().is_some() {
            return;
        }
        match token.location {
            TokenLocation::Query => self.query.put(token.name, value),
            TokenLocation::Header => self.headers.put(token.name, value),
            TokenLocation::Form => {
                if !matches!(self.body, Body::Form(_)) {
                    self.body = Body::Form(Params::new());
                }
                if let Body::Form(form) = &mut self.body {
                    form.put(token.name, value);
                }
            }
            TokenLocation::Json => {
                if !matches!(self.body, Body::Json(_)) {
                    self.body = Body::Json(JsonObject::new());
                }
                if let Body::Json(object) = &mut self.body {
                    object.put(token.name, value);
                }
            }
        }
    }

    /// Every flattened operation parameter with its value: the query's first, then the form
    /// body's, then the headers' (path parameters are in [`path`](Self::path), JSON members in
    /// [`body`](Self::body)).
    pub fn params(&self) -> Params {
        let mut all = self.query.clone();
        for params in self.body.form().into_iter().chain([&self.headers]) {
            for (name, value) in params.iter() {
                all.insert(name, value);
            }
        }
        all
    }

    /// The first parameter that could not be serialized, with the reason: the request cannot
    /// be sent.
    pub fn invalid(&self) -> Option<(&str, &str)> {
        let body = match &self.body {
            Body::Form(params) => params.invalid(),
            Body::Json(object) => object.invalid(),
            _ => self
                .invalid_body
                .as_ref()
                .map(|(n, r)| (n.as_str(), r.as_str())),
        };
        self.query
            .invalid()
            .or(body)
            .or_else(|| self.headers.invalid())
    }
}

/// A field name as a quoted `content-disposition` parameter writes it: quotes and line breaks
/// percent-encoded, as browsers do.
fn disposition_name(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A multipart boundary that occurs in none of `parts`: `acsgen-` and a hash of the content
/// (FNV-1a), rehashed with a counter in the unlikely case it does occur.
fn boundary_for<'a>(parts: impl Iterator<Item = &'a [u8]> + Clone) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.clone().flatten() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    loop {
        let boundary = format!("acsgen-{hash:016x}");
        let found = parts.clone().any(|part| {
            part.windows(boundary.len())
                .any(|w| w == boundary.as_bytes())
        });
        if !found {
            return boundary;
        }
        hash = hash.wrapping_add(1).wrapping_mul(0x0000_0100_0000_01b3);
    }
}
