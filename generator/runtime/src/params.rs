//! Operation parameters and their flattening into query keys.

use std::collections::{BTreeMap, HashMap};

/// Operation parameters, in insertion order; absent values are never added.
///
/// Generated request types fill a `Params` with one call per field, choosing the method by the
/// parameter's style in the API metadata:
///
/// | style | method | wire keys |
/// |---|---|---|
/// | scalar, `flat`, `repeatList` | [`put`](Params::put) | `Name`, `Name.1`, `Name.Member`, `Name.1.Key` |
/// | `json` | [`put_json`](Params::put_json) | `Name` = compact JSON |
/// | `simple` | [`put_simple`](Params::put_simple) | `Name` = values joined by a separator |
///
/// ```
/// use acs_runtime::Params;
/// let mut params = Params::new();
/// params.put("ContactId", "c-1");
/// params.put("MessageTypes", &vec!["AccountExpenses", "SecurityMessage"]);
/// params.put("Title", &None::<String>);
/// let pairs: Vec<_> = params.iter().collect();
/// assert_eq!(
///     pairs,
///     [
///         ("ContactId", "c-1"),
///         ("MessageTypes.1", "AccountExpenses"),
///         ("MessageTypes.2", "SecurityMessage"),
///     ]
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
    invalid: Option<(String, String)>,
}

impl Params {
    /// An empty parameter list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one parameter with an already-flattened name and a raw (not yet encoded) value.
    ///
    /// A second insert under the same name replaces the first value and keeps its position.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        match self.pairs.iter_mut().find(|(n, _)| *n == name) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((name, value)),
        }
    }

    /// Adds one parameter after the others, even when one of that name is there already: the
    /// `form` style with `explode` writes each list item so (`tags=a&tags=b`).
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs.push((name.into(), value.into()));
    }

    /// Adds each scalar of `values` under `name`, one parameter per item (OpenAPI `form`
    /// style with `explode: true`, the default for query lists).
    ///
    /// ```
    /// use acs_runtime::Params;
    /// let mut params = Params::new();
    /// params.put_exploded("tags", &["dog", "cat"]);
    /// let pairs: Vec<_> = params.iter().collect();
    /// assert_eq!(pairs, [("tags", "dog"), ("tags", "cat")]);
    /// ```
    pub fn put_exploded<V: QueryParam>(&mut self, name: &str, values: &[V]) {
        for value in values {
            if let Some(text) = value.to_scalar() {
                self.append(name, text);
            }
        }
    }

    /// Adds the members of `value` (an object) as `name[member]=value`, one parameter per
    /// member (OpenAPI `deepObject` style), in member-name order. Members that are lists or
    /// objects are written as JSON text.
    ///
    /// ```
    /// use acs_runtime::Params;
    /// let mut params = Params::new();
    /// params.put_deep_object("filter", &serde_json::json!({"kind": "dog", "age": 3}));
    /// let pairs: Vec<_> = params.iter().collect();
    /// assert_eq!(pairs, [("filter[age]", "3"), ("filter[kind]", "dog")]);
    /// ```
    pub fn put_deep_object<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(members)) => {
                // In member-name order, whatever map type serde_json was built with.
                let mut members: Vec<_> = members.into_iter().collect();
                members.sort_by(|a, b| a.0.cmp(&b.0));
                for (member, value) in members {
                    let text = match value {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(text) => text,
                        other => other.to_string(),
                    };
                    self.append(format!("{name}[{member}]"), text);
                }
            }
            Ok(serde_json::Value::Null) => {}
            Ok(other) => self.remember_invalid(name, format!("expected an object, got {other}")),
            Err(err) => self.remember_invalid(name, err.to_string()),
        }
    }

    /// Adds `value` under `name` in the `flat` / `repeatList` style (both give the same keys).
    ///
    /// Scalars become `Name=value`; lists `Name.1`, `Name.2`, … (1-based); objects
    /// `Name.Member`, recursively and through lists (`Name.1.Key`). `None` adds nothing, and an
    /// empty list adds nothing.
    pub fn put<V: QueryParam + ?Sized>(&mut self, name: &str, value: &V) {
        value.flatten(name, self);
    }

    /// Adds `value` under `name` in the `json` style: one parameter holding compact JSON
    /// (no spaces, non-ASCII characters kept as UTF-8).
    ///
    /// A value that serializes to `null` (such as `None`) adds nothing. A value that cannot be
    /// serialized at all (a map with non-string keys, a failing `Serialize` impl) adds nothing
    /// and is remembered: [`ServiceClient::call`](crate::ServiceClient::call) then fails with
    /// [`ConfigError::InvalidParameter`](crate::ConfigError::InvalidParameter) before sending.
    ///
    /// ```
    /// use acs_runtime::Params;
    /// let mut params = Params::new();
    /// params.put_json("AbandonableCheckId", &["rd-1", "张"]);
    /// assert_eq!(params.get("AbandonableCheckId"), Some(r#"["rd-1","张"]"#));
    /// ```
    pub fn put_json<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        match serde_json::to_string(value) {
            Ok(json) if json == "null" => {}
            Ok(json) => self.insert(name, json),
            Err(err) => self.remember_invalid(name, err.to_string()),
        }
    }

    /// Remembers the first parameter that could not be serialized.
    fn remember_invalid(&mut self, name: &str, reason: String) {
        if self.invalid.is_none() {
            self.invalid = Some((name.to_string(), reason));
        }
    }

    /// Adds `values` under `name` in the `simple` style: the scalar values joined by
    /// `separator` (`,` for `simple`, ` ` for `spaceDelimited`, `|` for `pipeDelimited`).
    ///
    /// Values without a scalar form (`None`, lists, objects) are skipped; if none is left,
    /// nothing is added.
    ///
    /// ```
    /// use acs_runtime::Params;
    /// let mut params = Params::new();
    /// params.put_simple("Ids", &[1, 2, 3], ',');
    /// assert_eq!(params.get("Ids"), Some("1,2,3"));
    /// ```
    pub fn put_simple<V: QueryParam>(&mut self, name: &str, values: &[V], separator: char) {
        let mut joined = String::new();
        let mut any = false;
        for value in values {
            if let Some(scalar) = value.to_scalar() {
                if any {
                    joined.push(separator);
                }
                joined.push_str(&scalar);
                any = true;
            }
        }
        if any {
            self.insert(name, joined);
        }
    }

    /// The value stored under an exact (flattened) name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The parameters as `(name, raw value)` pairs, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The parameters as a slice of `(name, raw value)` pairs, in insertion order.
    pub fn as_pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no parameter was added.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The first value [`put_json`](Params::put_json) could not serialize, as
    /// `(name, reason)`.
    pub fn invalid(&self) -> Option<(&str, &str)> {
        self.invalid
            .as_ref()
            .map(|(name, reason)| (name.as_str(), reason.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut params = Params::new();
        for (k, v) in iter {
            params.insert(k, v);
        }
        params
    }
}

/// A value that can be written into [`Params`] under a key.
///
/// Implemented for strings, `bool` (`true` / `false`), integers, floats, `Option<T>`, lists
/// (`Vec<T>`, `[T]`, `[T; N]`), string-keyed maps, and references. Generated structs implement
/// [`flatten`](QueryParam::flatten) by calling `params.put(&format!("{key}.Member"), &self.member)`
/// for each field; generated enums insert their wire string.
pub trait QueryParam {
    /// Adds this value to `params` under `key`, flattening lists and objects.
    fn flatten(&self, key: &str, params: &mut Params);

    /// The value as one scalar string (for `simple` style); None for lists/objects.
    fn to_scalar(&self) -> Option<String> {
        None
    }
}

impl QueryParam for str {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.insert(key, self);
    }
    fn to_scalar(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl QueryParam for String {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.insert(key, self.as_str());
    }
    fn to_scalar(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl QueryParam for bool {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.insert(key, if *self { "true" } else { "false" });
    }
    fn to_scalar(&self) -> Option<String> {
        Some(if *self { "true" } else { "false" }.to_string())
    }
}

macro_rules! display_scalar {
    ($($t:ty),*) => {$(
        impl QueryParam for $t {
            fn flatten(&self, key: &str, params: &mut Params) {
                params.insert(key, self.to_string());
            }
            fn to_scalar(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}

display_scalar!(i8, i16, i32, i64, u8, u16, u32, u64);

/// A number as the official SDKs write a float parameter (Python's `str(float)`): always with
/// a fraction or an exponent, `1.0`, `1.5`, `1e-05`, `1.5e+16`.
///
/// ```
/// use acs_runtime::params::float_text;
/// assert_eq!(float_text(1.0), "1.0");
/// assert_eq!(float_text(0.25), "0.25");
/// assert_eq!(float_text(-3.0), "-3.0");
/// assert_eq!(float_text(1e-5), "1e-05");
/// assert_eq!(float_text(1.5e16), "1.5e+16");
/// ```
pub fn float_text(value: f64) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "nan".to_owned()
        } else if value > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    let magnitude = value.abs();
    if value == 0.0 || (1e-4..1e16).contains(&magnitude) {
        let text = value.to_string();
        return if text.contains('.') {
            text
        } else {
            text + ".0"
        };
    }
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(digits) => ('-', digits),
        None => ('+', exponent),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

impl QueryParam for f64 {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.insert(key, float_text(*self));
    }
    fn to_scalar(&self) -> Option<String> {
        Some(float_text(*self))
    }
}

impl QueryParam for f32 {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.insert(key, float_text(shortest_f64(*self)));
    }
    fn to_scalar(&self) -> Option<String> {
        Some(float_text(shortest_f64(*self)))
    }
}

/// The `f64` with the shortest decimal form of `value` (`0.1f32` is `0.1`, not
/// `0.10000000149011612`).
fn shortest_f64(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

impl<T: QueryParam> QueryParam for Option<T> {
    fn flatten(&self, key: &str, params: &mut Params) {
        if let Some(value) = self {
            value.flatten(key, params);
        }
    }
    fn to_scalar(&self) -> Option<String> {
        self.as_ref().and_then(QueryParam::to_scalar)
    }
}

impl<T: QueryParam + ?Sized> QueryParam for &T {
    fn flatten(&self, key: &str, params: &mut Params) {
        (**self).flatten(key, params);
    }
    fn to_scalar(&self) -> Option<String> {
        (**self).to_scalar()
    }
}

impl<T: QueryParam + ?Sized> QueryParam for Box<T> {
    fn flatten(&self, key: &str, params: &mut Params) {
        (**self).flatten(key, params);
    }
    fn to_scalar(&self) -> Option<String> {
        (**self).to_scalar()
    }
}

impl<T: QueryParam> QueryParam for [T] {
    /// Items go under `key.1`, `key.2`, …; an item that adds nothing (`None`) still uses up
    /// its index.
    fn flatten(&self, key: &str, params: &mut Params) {
        for (i, item) in self.iter().enumerate() {
            item.flatten(&format!("{key}.{}", i + 1), params);
        }
    }
}

impl<T: QueryParam> QueryParam for Vec<T> {
    fn flatten(&self, key: &str, params: &mut Params) {
        self.as_slice().flatten(key, params);
    }
}

impl<T: QueryParam, const N: usize> QueryParam for [T; N] {
    fn flatten(&self, key: &str, params: &mut Params) {
        self.as_slice().flatten(key, params);
    }
}

impl<K: AsRef<str>, V: QueryParam> QueryParam for BTreeMap<K, V> {
    /// Entries go under `key.<entry key>`.
    fn flatten(&self, key: &str, params: &mut Params) {
        for (k, v) in self {
            v.flatten(&format!("{key}.{}", k.as_ref()), params);
        }
    }
}

impl QueryParam for serde_json::Value {
    /// A free-form value: `null` adds nothing, scalars are one parameter (numbers and
    /// booleans as JSON writes them), lists `key.1`, `key.2`, …, objects `key.Member`.
    fn flatten(&self, key: &str, params: &mut Params) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => items.as_slice().flatten(key, params),
            serde_json::Value::Object(members) => {
                for (name, value) in members {
                    value.flatten(&format!("{key}.{name}"), params);
                }
            }
            scalar => {
                if let Some(text) = scalar.to_scalar() {
                    params.insert(key, text);
                }
            }
        }
    }
    fn to_scalar(&self) -> Option<String> {
        match self {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            serde_json::Value::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }
    }
}

impl<K: AsRef<str>, V: QueryParam, S> QueryParam for HashMap<K, V, S> {
    /// Entries go under `key.<entry key>` (order does not matter: signing sorts the keys).
    fn flatten(&self, key: &str, params: &mut Params) {
        for (k, v) in self {
            v.flatten(&format!("{key}.{}", k.as_ref()), params);
        }
    }
}
