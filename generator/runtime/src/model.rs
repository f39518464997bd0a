//! What generated types are built on: JSON encoding and decoding of structs, and the impls
//! every string enum and every operation error enum share.
//!
//! A generated crate has hundreds of these types; the code they share lives here, compiled
//! once, so that each type adds only what is its own (its members, values or error codes).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserializer, Serialize};

/// The members of a JSON object being decoded into a generated struct, taken out one by one.
///
/// A member that is absent or `null` is `None`; members the struct does not declare are
/// ignored (the service may add some), and a member that does not decode is an error naming
/// it.
///
/// ```
/// use acs_runtime::model::Members;
/// use serde::de::Error;
///
/// let body = br#"{"Name":"web-1","Cores":4,"Zone":null,"Added":true}"#;
/// let mut de = serde_json::Deserializer::from_slice(body);
/// let mut members = Members::read(&mut de, "Instance").unwrap();
/// assert_eq!(members.take::<String>("Name").unwrap().as_deref(), Some("web-1"));
/// assert_eq!(members.take::<i32>("Cores").unwrap(), Some(4));
/// assert_eq!(members.take::<String>("Zone").unwrap(), None);
/// assert_eq!(members.take::<String>("Missing").unwrap(), None);
///
/// let mut de = serde_json::Deserializer::from_slice(br#"{"Cores":"four"}"#);
/// let mut members = Members::read(&mut de, "Instance").unwrap();
/// let err = members.take::<i32>("Cores").unwrap_err();
/// assert!(err.to_string().starts_with("`Cores`: invalid type: string"), "{err}");
/// ```
pub struct Members<E> {
    members: serde_json::Map<String, serde_json::Value>,
    error: PhantomData<fn() -> E>,
}

impl<E: de::Error> Members<E> {
    /// Reads a JSON object; `name` (the struct's) is in the error when it is something else.
    pub fn read<'de, D>(deserializer: D, name: &'static str) -> Result<Self, E>
    where
        D: Deserializer<'de, Error = E>,
    {
        let members = deserializer.deserialize_map(ObjectVisitor { name })?;
        Ok(Members {
            members,
            error: PhantomData,
        })
    }

    /// Takes the member `wire_name` out, decoded as `T`.
    pub fn take<T: DeserializeOwned>(&mut self, wire_name: &str) -> Result<Option<T>, E> {
        match self.members.remove(wire_name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => T::deserialize(value)
                .map(Some)
                .map_err(|err| E::custom(format_args!("`{wire_name}`: {err}"))),
        }
    }
}

struct ObjectVisitor {
    name: &'static str,
}

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = serde_json::Map<String, serde_json::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut members = serde_json::Map::new();
        while let Some((key, value)) = access.next_entry::<String, serde_json::Value>()? {
            members.insert(key, value);
        }
        Ok(members)
    }
}

/// Writes one member of a generated struct: its value under `wire_name`, or nothing when it
/// is `None`.
///
/// ```
/// use acs_runtime::model::put_member;
/// use serde::ser::{SerializeStruct, Serializer};
///
/// let mut out = Vec::new();
/// let mut serializer = serde_json::Serializer::new(&mut out);
/// let mut object = (&mut serializer).serialize_struct("Instance", 2).unwrap();
/// put_member(&mut object, "Name", &Some("web-1")).unwrap();
/// put_member(&mut object, "Zone", &None::<String>).unwrap();
/// object.end().unwrap();
/// assert_eq!(out, br#"{"Name":"web-1"}"#);
/// ```
pub fn put_member<S, T>(
    object: &mut S,
    wire_name: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error>
where
    S: SerializeStruct,
    T: Serialize,
{
    match value {
        Some(value) => object.serialize_field(wire_name, value),
        None => object.skip_field(wire_name),
    }
}

/// The impls every generated string enum shares, from its `as_str` and `From<&str>`:
/// `From<String>`, `AsRef<str>`, `Display`, comparison and hashing by wire value (a value
/// kept in the catch-all equals the documented variant with the same text), JSON encoding
/// as a string, and query encoding.
///
/// ```
/// #[derive(Debug, Clone)]
/// pub enum Mode {
///     Fast,
///     Other(String),
/// }
///
/// impl Mode {
///     pub fn as_str(&self) -> &str {
///         match self {
///             Self::Fast => "fast",
///             Self::Other(value) => value,
///         }
///     }
/// }
///
/// impl From<&str> for Mode {
///     fn from(value: &str) -> Self {
///         match value {
///             "fast" => Self::Fast,
///             other => Self::Other(other.to_owned()),
///         }
///     }
/// }
///
/// acs_runtime::string_enum!(Mode);
///
/// assert_eq!(Mode::from("fast".to_string()), Mode::Fast);
/// assert_eq!(Mode::Other("fast".into()), Mode::Fast);
/// assert_eq!(serde_json::to_string(&Mode::Fast).unwrap(), r#""fast""#);
/// let other: Mode = serde_json::from_str(r#""slow""#).unwrap();
/// assert_eq!(other.to_string(), "slow");
/// ```
#[macro_export]
macro_rules! string_enum {
    ($name:ident) => {
        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::core::cmp::Eq for $name {}

        impl ::core::hash::Hash for $name {
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(self.as_str(), state)
            }
        }

        impl ::core::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
                ::core::option::Option::Some(::core::cmp::Ord::cmp(self, other))
            }
        }

        impl ::core::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::core::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(
                    deserializer,
                )
                .map(Self::from)
            }
        }

        impl $crate::QueryParam for $name {
            fn flatten(&self, key: &str, params: &mut $crate::Params) {
                params.insert(key, self.as_str());
            }

            fn to_scalar(&self) -> ::core::option::Option<::std::string::String> {
                ::core::option::Option::Some(self.as_str().to_owned())
            }
        }
    };
}

/// The impls every generated operation error enum shares, from its `meta()`: the accessors
/// `code`, `message`, `request_id` and `http_status`, `Display` (the service's error) and
/// `std::error::Error`.
///
/// ```
/// use acs_runtime::ErrorMeta;
///
/// #[derive(Debug)]
/// pub enum DeleteError {
///     NotFound(ErrorMeta),
///     Unhandled(ErrorMeta),
/// }
///
/// impl DeleteError {
///     pub fn meta(&self) -> &ErrorMeta {
///         match self {
///             Self::NotFound(meta) | Self::Unhandled(meta) => meta,
///         }
///     }
/// }
///
/// acs_runtime::operation_error!(DeleteError);
///
/// let err = DeleteError::NotFound(ErrorMeta::new(404, "NotFound", "No such thing"));
/// assert_eq!((err.code(), err.http_status()), ("NotFound", 404));
/// assert!(err.to_string().contains("No such thing"));
/// ```
#[macro_export]
macro_rules! operation_error {
    ($name:ident) => {
        impl $name {
            /// The error code, e.g. `InvalidParameter`.
            pub fn code(&self) -> &str {
                self.meta().code()
            }

            /// The error message.
            pub fn message(&self) -> &str {
                self.meta().message()
            }

            /// The ID of the request, for support tickets.
            pub fn request_id(&self) -> ::core::option::Option<&str> {
                self.meta().request_id()
            }

            /// The HTTP status of the answer.
            pub fn http_status(&self) -> u16 {
                self.meta().http_status()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(self.meta(), f)
            }
        }

        impl ::std::error::Error for $name {}
    };
}
