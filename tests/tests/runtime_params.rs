//! Parameter flattening in `acs_runtime::Params` (ALIBABA_RPC.md §7).

use std::collections::BTreeMap;

use acs_runtime::signing::canonical_query;
use acs_runtime::{Params, QueryParam};
use serde::Serialize;

fn pairs(params: &Params) -> Vec<(&str, &str)> {
    params.iter().collect()
}

/// Shaped like a generated struct: `flatten` puts each member under `key.Member`.
struct Channels {
    sms: Option<String>,
    mail: Option<String>,
    ali_im: Option<String>,
    ding_web_hook: Option<String>,
}

impl QueryParam for Channels {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.put(&format!("{key}.SMS"), &self.sms);
        params.put(&format!("{key}.Mail"), &self.mail);
        params.put(&format!("{key}.AliIM"), &self.ali_im);
        params.put(&format!("{key}.DingWebHook"), &self.ding_web_hook);
    }
}

struct Tag {
    key: String,
    value: Option<String>,
}

impl QueryParam for Tag {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.put(&format!("{key}.Key"), &self.key);
        params.put(&format!("{key}.Value"), &self.value);
    }
}

/// Shaped like a generated enum.
#[derive(Clone, Copy)]
enum MessageType {
    AccountExpenses,
    SecurityMessage,
}

impl MessageType {
    fn as_str(&self) -> &'static str {
        match self {
            MessageType::AccountExpenses => "AccountExpenses",
            MessageType::SecurityMessage => "SecurityMessage",
        }
    }
}

impl QueryParam for MessageType {
    fn flatten(&self, key: &str, params: &mut Params) {
        params.insert(key, self.as_str());
    }
    fn to_scalar(&self) -> Option<String> {
        Some(self.as_str().to_string())
    }
}

#[test]
fn scalars_keep_insertion_order_and_booleans_are_lowercase() {
    let mut p = Params::new();
    p.put("Name", "张三");
    p.put("Owner", &String::from("o"));
    p.put("Enabled", &true);
    p.put("Disabled", &false);
    p.put("Count", &10i32);
    p.put("Big", &9_007_199_254_740_993i64);
    p.put("Unsigned", &7u32);
    p.put("Ratio", &1.5f64);
    p.put("Small", &0.25f32);
    assert_eq!(
        pairs(&p),
        [
            ("Name", "张三"),
            ("Owner", "o"),
            ("Enabled", "true"),
            ("Disabled", "false"),
            ("Count", "10"),
            ("Big", "9007199254740993"),
            ("Unsigned", "7"),
            ("Ratio", "1.5"),
            ("Small", "0.25"),
        ]
    );
    assert_eq!(p.len(), 9);
    assert!(!p.is_empty());
}

#[test]
fn absent_values_are_never_added() {
    let mut p = Params::new();
    p.put("Title", &None::<String>);
    p.put("Types", &None::<Vec<String>>);
    p.put("Empty", &Vec::<String>::new());
    p.put(
        "Channels",
        &Channels {
            sms: None,
            mail: None,
            ali_im: None,
            ding_web_hook: None,
        },
    );
    assert!(p.is_empty(), "{:?}", pairs(&p));
    assert_eq!(p.len(), 0);

    // An empty string is a value, not an absence.
    p.put("Describe", &Some(String::new()));
    assert_eq!(pairs(&p), [("Describe", "")]);
}

#[test]
fn lists_are_one_based_and_ten_sorts_canonically_before_two() {
    let types: Vec<String> = (1..=10).map(|i| format!("T{i}")).collect();
    let mut p = Params::new();
    p.put("MessageTypes", &types);
    let keys: Vec<&str> = p.iter().map(|(k, _)| k).collect();
    assert_eq!(keys[0], "MessageTypes.1");
    assert_eq!(keys[8], "MessageTypes.9");
    assert_eq!(keys[9], "MessageTypes.10", "insertion order: .10 after .9");
    assert_eq!(p.get("MessageTypes.10"), Some("T10"));

    let canonical = canonical_query(p.iter());
    assert!(
        canonical.starts_with("MessageTypes.1=T1&MessageTypes.10=T10&MessageTypes.2=T2&"),
        "{canonical}"
    );
}

#[test]
fn enums_slices_and_arrays_flatten_like_vecs() {
    let mut p = Params::new();
    p.put(
        "MessageTypes",
        &[MessageType::AccountExpenses, MessageType::SecurityMessage],
    );
    p.put("Ids", &["a", "b"][..]);
    let borrowed = vec![MessageType::SecurityMessage];
    p.put("Refs", &&borrowed);
    assert_eq!(
        pairs(&p),
        [
            ("MessageTypes.1", "AccountExpenses"),
            ("MessageTypes.2", "SecurityMessage"),
            ("Ids.1", "a"),
            ("Ids.2", "b"),
            ("Refs.1", "SecurityMessage"),
        ]
    );
}

#[test]
fn none_list_elements_are_skipped_but_later_indices_keep_their_numbers() {
    let mut p = Params::new();
    p.put("B", &vec![Some("x"), None, Some("z")]);
    assert_eq!(pairs(&p), [("B.1", "x"), ("B.3", "z")]);
}

#[test]
fn nested_objects_use_dotted_member_names() {
    let mut p = Params::new();
    p.put("ContactName", "Alice");
    p.put(
        "Channels",
        &Some(Channels {
            sms: Some("13900001234".into()),
            mail: Some("alice@example.com".into()),
            ali_im: None,
            ding_web_hook: Some("https://oapi.dingtalk.com/robot/send?access_token=abc".into()),
        }),
    );
    assert_eq!(
        pairs(&p),
        [
            ("ContactName", "Alice"),
            ("Channels.SMS", "13900001234"),
            ("Channels.Mail", "alice@example.com"),
            (
                "Channels.DingWebHook",
                "https://oapi.dingtalk.com/robot/send?access_token=abc"
            ),
        ]
    );
}

#[test]
fn objects_inside_lists_and_lists_inside_objects_nest() {
    struct Filter {
        name: String,
        values: Vec<String>,
        tags: Vec<Tag>,
    }
    impl QueryParam for Filter {
        fn flatten(&self, key: &str, params: &mut Params) {
            params.put(&format!("{key}.Name"), &self.name);
            params.put(&format!("{key}.Values"), &self.values);
            params.put(&format!("{key}.Tag"), &self.tags);
        }
    }

    let mut p = Params::new();
    p.put(
        "Tag",
        &vec![
            Tag {
                key: "env".into(),
                value: Some("prod".into()),
            },
            Tag {
                key: "team".into(),
                value: None,
            },
        ],
    );
    p.put(
        "Filter",
        &vec![Filter {
            name: "n".into(),
            values: vec!["v1".into(), "v2".into()],
            tags: vec![Tag {
                key: "k".into(),
                value: Some("v".into()),
            }],
        }],
    );
    assert_eq!(
        pairs(&p),
        [
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "team"),
            ("Filter.1.Name", "n"),
            ("Filter.1.Values.1", "v1"),
            ("Filter.1.Values.2", "v2"),
            ("Filter.1.Tag.1.Key", "k"),
            ("Filter.1.Tag.1.Value", "v"),
        ]
    );
}

#[test]
fn maps_flatten_under_their_keys() {
    let mut map = BTreeMap::new();
    map.insert("b", 2u64);
    map.insert("a", 1u64);
    let mut p = Params::new();
    p.put("Labels", &map);
    assert_eq!(pairs(&p), [("Labels.a", "1"), ("Labels.b", "2")]);
}

#[test]
fn json_style_is_compact_and_keeps_non_ascii() {
    #[derive(Serialize)]
    struct Matcher {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Value")]
        value: String,
    }

    let mut p = Params::new();
    p.put_json("AbandonableCheckId", &vec!["rd-1", "rd-2"]);
    p.put_json(
        "Matchers",
        &[Matcher {
            key: "名字".into(),
            value: "a b\"c".into(),
        }],
    );
    p.put_json("Absent", &None::<Vec<String>>);
    p.put_json("Text", "plain");
    assert_eq!(
        pairs(&p),
        [
            ("AbandonableCheckId", r#"["rd-1","rd-2"]"#),
            ("Matchers", r#"[{"Key":"名字","Value":"a b\"c"}]"#),
            ("Text", r#""plain""#),
        ]
    );
    assert_eq!(p.invalid(), None);
}

#[test]
fn json_style_records_values_that_cannot_be_serialized() {
    let mut map = std::collections::HashMap::new();
    map.insert(vec![1u8], "composite keys are not JSON");
    let mut p = Params::new();
    p.put_json("Bad", &map);
    assert!(p.get("Bad").is_none());
    let (name, reason) = p.invalid().expect("failure recorded");
    assert_eq!(name, "Bad");
    assert!(!reason.is_empty());
}

#[test]
fn simple_style_joins_scalars() {
    let mut p = Params::new();
    p.put_simple("Ids", &["a", "b", "c"], ',');
    p.put_simple("Numbers", &[1u32, 2, 3], ' ');
    p.put_simple(
        "Types",
        &[MessageType::AccountExpenses, MessageType::SecurityMessage],
        '|',
    );
    p.put_simple("Sparse", &[Some("x"), None, Some("y")], ',');
    p.put_simple("Flags", &[true, false], ',');
    p.put_simple("None", &[None::<String>], ',');
    p.put_simple::<String>("Nothing", &[], ',');
    assert_eq!(
        pairs(&p),
        [
            ("Ids", "a,b,c"),
            ("Numbers", "1 2 3"),
            ("Types", "AccountExpenses|SecurityMessage"),
            ("Sparse", "x,y"),
            ("Flags", "true,false"),
        ]
    );
}

#[test]
fn insert_replaces_an_existing_name_in_place() {
    let mut p = Params::new();
    p.insert("A", "1");
    p.insert("B", "2");
    p.insert("A", "3");
    assert_eq!(pairs(&p), [("A", "3"), ("B", "2")]);
    assert_eq!(p.as_pairs().len(), 2);
}

#[test]
fn params_collect_from_pairs() {
    let p: Params = [("X", "1"), ("Y", "2")].into_iter().collect();
    assert_eq!(pairs(&p), [("X", "1"), ("Y", "2")]);
}

#[test]
fn to_scalar_is_none_for_lists_and_absent_values() {
    assert_eq!(vec!["a"].to_scalar(), None);
    assert_eq!(None::<String>.to_scalar(), None);
    assert_eq!(Some(5i64).to_scalar(), Some("5".to_string()));
    assert_eq!("s".to_scalar(), Some("s".to_string()));
}

#[test]
fn free_form_values_flatten_like_lists_and_objects() {
    let mut p = Params::new();
    p.put(
        "Config",
        &serde_json::json!({"Size": 40, "Tags": ["a", "b"], "On": true, "None": null}),
    );
    let mut pairs: Vec<(&str, &str)> = p.iter().collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("Config.On", "true"),
            ("Config.Size", "40"),
            ("Config.Tags.1", "a"),
            ("Config.Tags.2", "b"),
        ]
    );
}
