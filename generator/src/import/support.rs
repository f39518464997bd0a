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
    /// The product is not RPC-style (`ROA`, `V3`, ...); acsgen generates RPC APIs.
    ProductStyle {
        /// `info.style` of the metadata.
        style: String,
    },
    /// The operation accepts neither POST nor GET (only PUT, DELETE, ...).
    NoRpcMethod {
        /// The methods it accepts.
        methods: String,
    },
    /// A parameter is a request body (`in: body`).
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
                format!("{style}-style product (acsgen generates RPC APIs)")
            }
            SkipReason::NoRpcMethod { methods } => {
                format!("neither POST nor GET (methods: {methods})")
            }
            SkipReason::BodyParameter { .. } => "body parameters".to_owned(),
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
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::BodyParameter { name }
            | SkipReason::PathParameter { name }
            | SkipReason::HeaderParameter { name }
            | SkipReason::HostParameter { name }
            | SkipReason::UnknownLocation { name, .. }
            | SkipReason::WireStyle { name, .. }
            | SkipReason::FileParameter { name } => write!(f, "{}: `{name}`", self.group()),
            SkipReason::DottedNames { prefix } => write!(f, "{}: `{prefix}.*`", self.group()),
            SkipReason::NameCollision { names } => write!(f, "{}: {names}", self.group()),
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

/// Whether acsgen can generate `op` today.
pub fn check_operation(op: &OperationFacts) -> Result<(), SkipReason> {
    if op.product_style != "RPC" {
        return Err(SkipReason::ProductStyle {
            style: op.product_style.to_owned(),
        });
    }
    if method_for(&op.methods).is_none() {
        return Err(SkipReason::NoRpcMethod {
            methods: op.methods.join(", "),
        });
    }
    if !op.security.is_empty() && !op.security.contains(&"AK") {
        return Err(SkipReason::NoAccessKeyAuth {
            schemes: op.security.join(", "),
        });
    }
    for param in &op.parameters {
        let name = param.name.to_owned();
        match param.location {
            "query" | "formData" => {}
            "body" => return Err(SkipReason::BodyParameter { name }),
            "path" => return Err(SkipReason::PathParameter { name }),
            "header" => return Err(SkipReason::HeaderParameter { name }),
            "host" => return Err(SkipReason::HostParameter { name }),
            other => {
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
        let mut roa = op(&["post"], vec![]);
        roa.product_style = "ROA";
        assert!(matches!(
            check_operation(&roa),
            Err(SkipReason::ProductStyle { .. })
        ));
    }
}
