//! A read-only view of the metadata's JSON that knows where it is: every node carries its
//! JSON path, so a problem in the metadata names the place it was found.

use serde_json::{Map, Value};

/// A problem in the metadata: the JSON path of the node and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON path, e.g. `$.apis.CancelHandshake.parameters[0].schema`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// A JSON value together with its JSON path.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The value.
    pub value: &'a Value,
    /// Where it is, e.g. `$.apis.CancelHandshake`.
    pub path: String,
}

/// What a JSON value is, for messages: `a string`, `an object`, ...
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Text as written in a document: line breaks as `\n` (the metadata has some `\r\n`).
pub fn text(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// `path.key`, or `path["key"]` when the key is not a plain name.
pub fn child_path(path: &str, key: &str) -> String {
    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_owned()))
    }
}

impl<'a> Node<'a> {
    /// The document root, `$`.
    pub fn root(value: &'a Value) -> Self {
        Node {
            value,
            path: "$".to_owned(),
        }
    }

    /// A problem at this node.
    pub fn problem(&self, message: impl Into<String>) -> Problem {
        Problem {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    /// The member `key` of an object; `None` when absent, null, or this is not an object.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Node {
                value,
                path: child_path(&self.path, key),
            }),
        }
    }

    /// The member `key`, which must be present.
    pub fn require(&self, key: &str) -> Result<Node<'a>, Problem> {
        self.get(key)
            .ok_or_else(|| self.problem(format!("`{key}` is missing")))
    }

    /// This node as an object.
    pub fn object(&self) -> Result<&'a Map<String, Value>, Problem> {
        self.value
            .as_object()
            .ok_or_else(|| self.problem(format!("expected an object, found {}", kind(self.value))))
    }

    /// The members of an object, in document order, skipping null values. An empty list
    /// counts as an empty object: some captures of the metadata were converted from a
    /// serialisation that writes both as `[]`.
    pub fn entries(&self) -> Result<Vec<(&'a str, Node<'a>)>, Problem> {
        if self.value.as_array().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        Ok(self
            .object()?
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, value)| {
                (
                    k.as_str(),
                    Node {
                        value,
                        path: child_path(&self.path, k),
                    },
                )
            })
            .collect())
    }

    /// The elements of a list.
    pub fn items(&self) -> Result<Vec<Node<'a>>, Problem> {
        let list = self
            .value
            .as_array()
            .ok_or_else(|| self.problem(format!("expected a list, found {}", kind(self.value))))?;
        Ok(list
            .iter()
            .enumerate()
            .map(|(i, value)| Node {
                value,
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    /// This node as a string.
    pub fn str(&self) -> Result<&'a str, Problem> {
        self.value
            .as_str()
            .ok_or_else(|| self.problem(format!("expected a string, found {}", kind(self.value))))
    }

    /// The string member `key`, if present.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, Problem> {
        self.get(key).map(|n| n.str()).transpose()
    }

    /// The member `key` read as a flag: `true`/`false`, or the strings `"true"`/`"false"`.
    pub fn flag(&self, key: &str) -> bool {
        match self.value.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_become_newlines() {
        assert_eq!(text("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn paths_quote_keys_that_are_not_plain_names() {
        assert_eq!(child_path("$", "apis"), "$.apis");
        assert_eq!(child_path("$.x", "Channels.SMS"), "$.x[\"Channels.SMS\"]");
        assert_eq!(child_path("$.x", "200"), "$.x[\"200\"]");
    }

    #[test]
    fn a_wrong_kind_names_the_path() {
        let value = serde_json::json!({"apis": []});
        let root = Node::root(&value);
        let problem = root.require("apis").unwrap().object().unwrap_err();
        assert_eq!(problem.path, "$.apis");
        assert_eq!(problem.message, "expected an object, found a list");
        assert_eq!(
            root.require("info").unwrap_err().message,
            "`info` is missing"
        );
    }
}
