//! What one operation sends, before signing: method, action, path, query, headers and body.
//!
//! Generated request types build an [`OperationRequest`] (`to_request()`), placing each field
//! where the API's protocol binding puts it; [`ServiceClient::send`](crate::ServiceClient::send)
//! resolves the endpoint, adds the protocol's own headers and parameters, signs and sends it.

use std::fmt;

use crate::params::Params;
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

/// The body of an operation request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Form parameters, sent as `application/x-www-form-urlencoded`.
    Form(Params),
}

impl Body {
    /// The `content-type` the body is sent with; `None` for no body.
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            Body::Empty => None,
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
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
        }
    }

    /// The form parameters, when the body is a form.
    pub fn form(&self) -> Option<&Params> {
        match self {
            Body::Form(params) => Some(params),
            Body::Empty => None,
        }
    }
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
}

impl OperationRequest {
    /// An Alibaba Cloud RPC operation: path `/`, the operation named by its action, no
    /// parameters yet.
    pub fn rpc(method: Method, action: impl Into<String>) -> Self {
        Self {
            method,
            action: action.into(),
            path: "/".to_owned(),
            query: Params::new(),
            headers: Params::new(),
            body: Body::Empty,
        }
    }

    /// Every operation parameter with its value, wherever it goes: the query's first, then the
    /// form body's, then the headers'.
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
        self.query
            .invalid()
            .or_else(|| self.body.form().and_then(Params::invalid))
            .or_else(|| self.headers.invalid())
    }
}
