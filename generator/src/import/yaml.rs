//! A small YAML writer for the imported documents: block mappings and lists indented by two
//! spaces, keys in the order they were inserted, multi-line text as literal blocks (`|-`), and
//! double quotes on every string a YAML 1.1 or 1.2 reader could take for something else
//! (numbers, dates, booleans, `null`, text starting with punctuation). The output reads like
//! the hand-written documents in `spec/` and is the same for the same value, byte for byte.

use serde_json::Value;

/// The YAML text of `value` (a mapping at the top), ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_mapping(&mut out, map, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_mapping(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (key, value) in map {
        indent(out, level);
        out.push_str(&string(key, level, false));
        out.push(':');
        write_value(out, value, level);
    }
}

/// Writes what follows a `key:` or `-`: a nested block on the next lines, or a scalar.
fn write_value(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_mapping(out, map, level + 1);
        }
        Value::Array(list) if !list.is_empty() => {
            out.push('\n');
            write_list(out, list, level + 1);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, level + 1));
            out.push('\n');
        }
    }
}

fn write_list(out: &mut String, list: &[Value], level: usize) {
    for item in list {
        indent(out, level);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first member on the dash's line, the others aligned under it.
                let mut first = true;
                for (key, value) in map {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(out, level + 1);
                    }
                    out.push_str(&string(key, level + 1, false));
                    out.push(':');
                    write_value(out, value, level + 1);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_list(out, inner, level + 1);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, level + 1));
                out.push('\n');
            }
        }
    }
}

fn scalar(value: &Value, level: usize) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, level, true),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// A string as a plain scalar when that is unambiguous, as a literal block when it has
/// several lines (values only), and double-quoted otherwise.
fn string(s: &str, level: usize, block_allowed: bool) -> String {
    if block_allowed && s.contains('\n') && literal_ok(s) {
        return literal_block(s, level);
    }
    if plain_ok(s) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// Words YAML 1.1 or 1.2 readers turn into booleans or null.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
];

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let starts_well = first.is_ascii_alphabetic() || matches!(first, '/' | '_' | '$') || {
        !first.is_ascii() && first.is_alphabetic()
    };
    starts_well
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(is_special_char)
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

/// Characters that never appear unquoted: control characters, and the ones some readers
/// treat as line breaks or byte-order marks.
fn is_special_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A literal block keeps every character; it cannot carry control characters (but tabs) or `\r`.
fn literal_ok(s: &str) -> bool {
    !s.chars()
        .any(|c| c != '\n' && c != '\t' && is_special_char(c))
}

fn literal_block(s: &str, level: usize) -> String {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // An explicit indentation indicator when the first line is empty or starts with a space
    // or a tab, which a reader would otherwise take for indentation.
    let indicator = if body.starts_with([' ', '\t', '\n']) {
        "2"
    } else {
        ""
    };
    let mut out = format!("|{indicator}{chomp}");
    let pad = "  ".repeat(level);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
    out
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_special_char(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ambiguous_strings_are_quoted() {
        let doc = json!({
            "version": "2020-03-31",
            "example": "123456",
            "flag": "true",
            "no": "No",
            "masked": "*****",
            "url": "https://x.aliyuncs.com",
            "name": "CancelHandshake",
            "path": "/?Action=CancelHandshake",
            "empty": "",
            "chinese": "邀请ID。",
            "colon": "a: b",
        });
        assert_eq!(
            to_yaml(&doc),
            "version: \"2020-03-31\"\nexample: \"123456\"\nflag: \"true\"\n\"no\": \"No\"\n\
             masked: \"*****\"\nurl: https://x.aliyuncs.com\nname: CancelHandshake\n\
             path: /?Action=CancelHandshake\nempty: \"\"\nchinese: 邀请ID。\ncolon: \"a: b\"\n"
        );
    }

    #[test]
    fn nesting_lists_and_blocks() {
        let doc = json!({
            "a": {"b": [{"c": 1, "d": [true]}, "x"], "e": {}, "f": []},
            "text": "line one\n\n  indented\nlast\n",
        });
        assert_eq!(
            to_yaml(&doc),
            "a:\n  b:\n    - c: 1\n      d:\n        - true\n    - x\n  e: {}\n  f: []\n\
             text: |\n  line one\n\n    indented\n  last\n"
        );
    }

    #[test]
    fn written_yaml_reads_back_as_the_same_value() {
        let doc = json!({
            "s": ["  lead", "tab\there", "\t\ntab line first", "\t lead\nx", "\nstarts with a newline", "ends\n\n", "q\"uote\\", "ＡＢ", "x #y", "- dash", "1e5", "@at"],
            "n": [1, -2.5, null],
        });
        let text = to_yaml(&doc);
        let root = crate::yaml::parse(&text).expect("valid YAML");
        let list = root.get_sequence("s").unwrap();
        let strings: Vec<&str> = list
            .iter()
            .map(|n| n.as_scalar().unwrap().as_str())
            .collect();
        assert_eq!(
            strings,
            doc["s"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect::<Vec<_>>()
        );
    }
}
