//! What acsgen can generate today, decided in one place: [`check_operation`]. An operation
//! that needs more is skipped with a [`SkipReason`], the rest of the product is imported.
//!
//! Today's importer writes RPC operations, sent with POST (or GET where that is the only
//! method) and signed with an AccessKey, their parameters in the query or a form body.
//! Widening it (ROA paths and bodies, headers) means removing the matching arm below once the
//! importer writes what the generator sends.
//!
//! Three reasons come from looking closer at the data, where it is converted: dotted names
//! that fold into no parameter ([`SkipReason::DottedNames`], `params.rs`), Rust names no
//! `x-rust-name` can separate ([`SkipReason::NameCollision`], `names.rs`) and a product
//! without endpoints ([`SkipReason::NoEndpoint`], `mod.rs`).

use std::fmt;

/// Why an operation is not imported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// The product is neither RPC- nor ROA-style (`V3`, `PDS`, ...).
    ProductStyle {
        /// `info.style` of the metadata.
        style: String,
    },
    /// The operation is sent with no method acsgen sends for its style (an RPC operation
    /// without POST or GET).
    NoRpcMethod {
        /// The methods it accepts.
        methods: String,
    },
    /// Form-body and JSON-body parameters in one ROA operation, which sends one body.
    FormDataOnRoa {
        /// The parameter's wire name.
        name: String,
    },
    /// A request body acsgen cannot send: in an RPC operation, or in an ROA operation one
    /// that is not a single JSON object (a list, several bodies).
    BodyParameter {
        /// The parameter's wire name.
        name: String,
    },
    /// A parameter is part of the path (`in: path`).
    PathParameter {
        /// The parameter's wire name.
        name: String,
    },
    /// A parameter is an HTTP header (`in: header`).
    HeaderParameter {
        /// The parameter's wire name.
        name: String,
    },
    /// A parameter is a host prefix (`in: host`).
    HostParameter {
        /// The parameter's wire name.
        name: String,
    },
    /// A parameter has a location the metadata format does not define.
    UnknownLocation {
        /// The parameter's wire name.
        name: String,
        /// Its `in`.
        location: String,
    },
    /// A parameter uses a wire style acsgen does not write (`xml`, ...).
    WireStyle {
        /// The parameter's wire name.
        name: String,
        /// Its `style`.
        style: String,
    },
    /// A parameter carries a file (`format: binary`).
    FileParameter {
        /// The parameter's wire name.
        name: String,
    },
    /// The operation cannot be called with an AccessKey signature (only bearer tokens,
    /// anonymous calls, ...).
    NoAccessKeyAuth {
        /// The security schemes it lists.
        schemes: String,
    },
    /// Dotted parameter names that cannot be folded into one object or list parameter
    /// (the prefix is also a parameter of its own, or the parts disagree).
    DottedNames {
        /// The prefix, e.g. `Channels`.
        prefix: String,
    },
    /// A path parameter the path template does not name (`/x/[Id]` for `Id`).
    PathTemplate {
        /// The parameter's wire name.
        name: String,
    },
    /// A type the operation reaches contains itself through object members.
    RecursiveType {
        /// The schema.
        name: String,
    },
    /// A success response is not a JSON object (a list, a string...).
    ResponseNotObject {
        /// Its HTTP status.
        status: String,
    },
    /// Another operation is already written under the same path and method.
    SameRoute {
        /// That operation.
        other: String,
    },
    /// The metadata lists no endpoint for the product, so there is no host to send to.
    NoEndpoint,
    /// Two names would become the same Rust name and no `x-rust-name` can tell them apart
    /// (both are object or enum members, whose field names acsgen always derives).
    NameCollision {
        /// The wire names.
        names: String,
    },
}

impl SkipReason {
    /// The reason without the particular parameter, for grouping operations skipped alike.
    pub fn group(&self) -> String {
        match self {
            SkipReason::ProductStyle { style } => {
                format!("{style}-style product (acsgen generates RPC and ROA APIs)")
            }
            SkipReason::NoRpcMethod { methods } => {
                format!("neither POST nor GET (methods: {methods})")
            }
            SkipReason::BodyParameter { .. } => {
                "body parameters other than one JSON object".to_owned()
            }
            SkipReason::FormDataOnRoa { .. } => {
                "both form-body and JSON-body parameters in an ROA operation".to_owned()
            }
            SkipReason::PathParameter { .. } => "path parameters".to_owned(),
            SkipReason::HeaderParameter { .. } => "header parameters".to_owned(),
            SkipReason::HostParameter { .. } => "host parameters".to_owned(),
            SkipReason::UnknownLocation { location, .. } => format!("parameters `in: {location}`"),
            SkipReason::WireStyle { style, .. } => format!("wire style `{style}`"),
            SkipReason::FileParameter { .. } => "file (binary) parameters".to_owned(),
            SkipReason::NoAccessKeyAuth { schemes } => {
                format!("no AccessKey authentication (security: {schemes})")
            }
            SkipReason::DottedNames { .. } => {
                "dotted parameter names that fold into no one parameter".to_owned()
            }
            SkipReason::NameCollision { .. } => "names that collide in Rust".to_owned(),
            SkipReason::NoEndpoint => "the product lists no endpoint".to_owned(),
            SkipReason::PathTemplate { .. } => {
                "a path parameter its path template does not name".to_owned()
            }
            SkipReason::RecursiveType { .. } => {
                "a type that contains itself (recursive types are not generated yet)".to_owned()
            }
            SkipReason::ResponseNotObject { .. } => {
                "a success response that is not a JSON object".to_owned()
            }
            SkipReason::SameRoute { .. } => "the path and method of another operation".to_owned(),
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::BodyParameter { name }
            | SkipReason::PathTemplate { name }
            | SkipReason::RecursiveType { name }
            | SkipReason::FormDataOnRoa { name }
            | SkipReason::PathParameter { name }
            | SkipReason::HeaderParameter { name }
            | SkipReason::HostParameter { name }
            | SkipReason::UnknownLocation { name, .. }
            | SkipReason::WireStyle { name, .. }
            | SkipReason::FileParameter { name } => write!(f, "{}: `{name}`", self.group()),
            SkipReason::DottedNames { prefix } => write!(f, "{}: `{prefix}.*`", self.group()),
            SkipReason::NameCollision { names } => write!(f, "{}: {names}", self.group()),
            SkipReason::SameRoute { other } => write!(f, "{}: `{other}`", self.group()),
            SkipReason::ResponseNotObject { status } => {
                write!(f, "{}: HTTP {status}", self.group())
            }
            _ => f.write_str(&self.group()),
        }
    }
}

/// One parameter as far as [`check_operation`] needs it.
#[derive(Debug, Clone)]
pub struct ParameterFacts<'a> {
    /// Wire name.
    pub name: &'a str,
    /// `in`.
    pub location: &'a str,
    /// `style`, when given.
    pub style: Option<&'a str>,
    /// `schema.format`, when given.
    pub format: Option<&'a str>,
    /// `schema.type`, when given.
    pub schema_type: Option<&'a str>,
}

/// One operation as far as [`check_operation`] needs it.
#[derive(Debug, Clone)]
pub struct OperationFacts<'a> {
    /// `info.style` of the product: `RPC`, `ROA`, ...
    pub product_style: &'a str,
    /// `methods`, lower-case, in metadata order.
    pub methods: Vec<&'a str>,
    /// The names of the security schemes listed (`AK`, `BearerToken`, ...).
    pub security: Vec<&'a str>,
    /// Every parameter.
    pub parameters: Vec<ParameterFacts<'a>>,
}

/// The method an RPC operation accepting `methods` is sent with, as the official SDKs send it:
/// POST whenever it is listed, whatever the order (`MoveResources` of ResourceManager lists
/// `get, post` and the official Python SDK sends POST), else GET; `None` for neither.
pub fn method_for(methods: &[&str]) -> Option<&'static str> {
    if methods.contains(&"post") {
        Some("post")
    } else if methods.contains(&"get") {
        Some("get")
    } else {
        None
    }
}

/// The method an ROA operation accepting `methods` is sent with: the first listed, as the
/// official SDKs send it (`post, delete` goes out as POST).
pub fn roa_method_for(methods: &[&str]) -> Option<&'static str> {
    let first = methods.first()?;
    ["get", "post", "put", "delete", "patch", "head"]
        .into_iter()
        .find(|m| m == first)
}

/// The method an operation of a product of `style` is written under, if acsgen sends it.
pub fn method_of(style: &str, methods: &[&str]) -> Option<&'static str> {
    match style {
        "RPC" => method_for(methods),
        "ROA" => roa_method_for(methods),
        _ => None,
    }
}

/// Whether acsgen can generate `op` today.
pub fn check_operation(op: &OperationFacts) -> Result<(), SkipReason> {
    let roa = match op.product_style {
        "RPC" => false,
        "ROA" => true,
        other => {
            return Err(SkipReason::ProductStyle {
                style: other.to_owned(),
            })
        }
    };
    if method_of(op.product_style, &op.methods).is_none() {
        return Err(SkipReason::NoRpcMethod {
            methods: op.methods.join(", "),
        });
    }
    if !op.security.is_empty() && !op.security.contains(&"AK") {
        return Err(SkipReason::NoAccessKeyAuth {
            schemes: op.security.join(", "),
        });
    }
    let bodies = op
        .parameters
        .iter()
        .filter(|p| p.location == "body")
        .count();
    let forms = op
        .parameters
        .iter()
        .filter(|p| p.location == "formData")
        .count();
    for param in &op.parameters {
        let name = param.name.to_owned();
        match (param.location, roa) {
            ("query", _) | ("formData", false) | ("path" | "header", true) => {}
            // A form body, unless a JSON body is sent too.
            ("formData", true) if bodies == 0 => {}
            ("body", true) if forms > 0 => return Err(SkipReason::FormDataOnRoa { name }),
            ("body", true) if bodies == 1 && param.schema_type == Some("object") => {
                // A JSON body: its members are written as JSON whatever `style` says.
                continue;
            }
            ("body", _) => return Err(SkipReason::BodyParameter { name }),
            ("path", false) => return Err(SkipReason::PathParameter { name }),
            ("header", false) => return Err(SkipReason::HeaderParameter { name }),
            ("formData", true) => return Err(SkipReason::FormDataOnRoa { name }),
            ("host", _) => return Err(SkipReason::HostParameter { name }),
            (other, _) => {
                return Err(SkipReason::UnknownLocation {
                    name,
                    location: other.to_owned(),
                })
            }
        }
        if let Some(style) = param.style {
            if crate::binding::ParamStyle::named(style).is_none() {
                return Err(SkipReason::WireStyle {
                    name,
                    style: style.to_owned(),
                });
            }
        }
        if param.format == Some("binary") {
            return Err(SkipReason::FileParameter { name });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op<'a>(methods: &[&'a str], parameters: Vec<ParameterFacts<'a>>) -> OperationFacts<'a> {
        OperationFacts {
            product_style: "RPC",
            methods: methods.to_vec(),
            security: vec!["AK"],
            parameters,
        }
    }

    fn param<'a>(location: &'a str, style: Option<&'a str>) -> ParameterFacts<'a> {
        ParameterFacts {
            name: "P",
            location,
            style,
            format: None,
            schema_type: None,
        }
    }

    #[test]
    fn post_with_query_parameters_is_generated() {
        assert_eq!(
            check_operation(&op(&["get", "post"], vec![param("query", Some("flat"))])),
            Ok(())
        );
    }

    #[test]
    fn each_unsupported_feature_has_its_reason() {
        assert_eq!(check_operation(&op(&["get"], vec![])), Ok(()));
        assert_eq!(method_for(&["get", "post"]), Some("post"));
        assert_eq!(method_for(&["get"]), Some("get"));
        assert!(matches!(
            check_operation(&op(&["put"], vec![])),
            Err(SkipReason::NoRpcMethod { .. })
        ));
        assert_eq!(
            check_operation(&op(&["post"], vec![param("formData", None)])),
            Ok(())
        );
        assert!(matches!(
            check_operation(&op(&["post"], vec![param("header", None)])),
            Err(SkipReason::HeaderParameter { .. })
        ));
        assert!(matches!(
            check_operation(&op(&["post"], vec![param("query", Some("xml"))])),
            Err(SkipReason::WireStyle { .. })
        ));
        let mut v3 = op(&["post"], vec![]);
        v3.product_style = "V3";
        assert!(matches!(
            check_operation(&v3),
            Err(SkipReason::ProductStyle { .. })
        ));
    }

    #[test]
    fn roa_operations_take_path_header_and_one_json_object_body_or_a_form() {
        let mut body = param("body", Some("json"));
        body.schema_type = Some("object");
        let mut roa = op(
            &["put", "post"],
            vec![param("path", None), param("header", None), body.clone()],
        );
        roa.product_style = "ROA";
        assert_eq!(check_operation(&roa), Ok(()));
        assert_eq!(method_of("ROA", &roa.methods), Some("put"));
        roa.parameters.push(body.clone());
        assert!(matches!(
            check_operation(&roa),
            Err(SkipReason::BodyParameter { .. })
        ));
        body.schema_type = Some("array");
        roa.parameters = vec![body];
        assert!(matches!(
            check_operation(&roa),
            Err(SkipReason::BodyParameter { .. })
        ));
        roa.parameters = vec![param("formData", None)];
        assert_eq!(check_operation(&roa), Ok(()));
        let mut json = param("body", Some("json"));
        json.schema_type = Some("object");
        roa.parameters = vec![param("formData", None), json];
        assert!(matches!(
            check_operation(&roa),
            Err(SkipReason::FormDataOnRoa { .. })
        ));
    }
}
