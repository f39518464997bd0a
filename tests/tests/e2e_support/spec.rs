//! Reads the documented sample responses and error rows from `spec/*.yaml`, so that the tests
//! answer with exactly what the reference pages print instead of hand-copied values.

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

use super::workspace_root;

/// One documented error row (`x-acs-errors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub code: String,
    pub http_status: u16,
    pub message: String,
}

/// What the spec documents for one operation.
#[derive(Debug, Clone)]
pub struct SpecOperation {
    /// The page's JSON sample response (`responses.'200'...examples.*.value`), if any.
    pub sample: Option<Value>,
    /// The example of the `RequestId` response field.
    pub request_id_example: Option<String>,
    /// The documented error rows, in page order.
    pub errors: Vec<SpecError>,
}

impl SpecOperation {
    /// The body the service double answers a successful call with: the page's sample, or,
    /// when the page shows none, an object holding only the documented `RequestId` example.
    pub fn success_body(&self) -> Value {
        match (&self.sample, &self.request_id_example) {
            (Some(sample), _) => sample.clone(),
            (None, Some(id)) => serde_json::json!({ "RequestId": id }),
            (None, None) => serde_json::json!({ "RequestId": "E2E-NO-EXAMPLE" }),
        }
    }

    /// The documented message of `code`.
    pub fn message_of(&self, code: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.code == code)
            .map(|e| e.message.as_str())
    }
}

fn load(spec_file: &str) -> Yaml {
    let path = workspace_root().join("spec").join(spec_file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{spec_file} holds one YAML document");
    docs.remove(0)
}

/// Converts a YAML value into JSON (scalars keep their YAML type: `"200"` stays a string).
pub fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(r) => r
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(r.clone())),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        other => panic!("unexpected YAML key {other:?}"),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Yaml::Null | Yaml::BadValue => Value::Null,
        other => panic!("unexpected YAML value {other:?}"),
    }
}

/// The operation `operation_id` of `spec_file` (e.g. `cms-2019-01-01.yaml`, `PutContact`).
pub fn operation(spec_file: &str, operation_id: &str) -> SpecOperation {
    let doc = load(spec_file);
    let paths = doc["paths"]
        .as_hash()
        .unwrap_or_else(|| panic!("{spec_file} has no paths"));
    let op = paths
        .values()
        .map(|item| &item["post"])
        .find(|op| op["operationId"].as_str() == Some(operation_id))
        .unwrap_or_else(|| panic!("{spec_file} has no operation {operation_id}"));

    let json = &op["responses"]["200"]["content"]["application/json"];
    let sample = json["examples"]
        .as_hash()
        .and_then(|examples| examples.values().next())
        .map(|example| to_json(&example["value"]));
    let request_id_example = json["schema"]["properties"]["RequestId"]["example"]
        .as_str()
        .map(str::to_string);
    let errors = op["x-acs-errors"]
        .as_vec()
        .map(|rows| {
            rows.iter()
                .map(|row| SpecError {
                    code: row["code"].as_str().expect("error row code").to_string(),
                    http_status: row["http-status"]
                        .as_i64()
                        .and_then(|s| u16::try_from(s).ok())
                        .expect("error row http-status"),
                    message: row["message"].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    SpecOperation {
        sample,
        request_id_example,
        errors,
    }
}

/// Spec file names.
pub const RESOURCE_MANAGER_SPEC: &str = "resourcemanager-2020-03-31.yaml";
pub const RESOURCE_DIRECTORY_MASTER_SPEC: &str = "resourcedirectorymaster-2022-04-19.yaml";
pub const CMS_SPEC: &str = "cms-2019-01-01.yaml";
