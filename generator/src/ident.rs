//! Rust names from wire names: case conversion (heck), keyword escaping, and the rules for
//! names that are not identifiers at all (`zh-cn`, `5xx`, `""`).

use heck::{ToKebabCase, ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers as they are (strict and reserved keywords of every
/// edition, and `gen`, reserved in 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names that would shadow the prelude or the derives generated code relies on.
const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Extend",
];

/// Splits on anything that is not an ASCII letter or digit, so `Channels.SMS`, `zh-cn` and
/// `a-+1` become words heck can case.
fn ascii_words(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
}

/// `snake_case` field, module or method name for a wire name. Keywords become raw
/// identifiers (`r#type`) or get a trailing underscore (`self_`); names that start with a
/// digit get a leading `n`; names with no ASCII letters or digits become `value`.
pub fn snake(wire: &str) -> String {
    let mut name = ascii_words(wire).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    escape_keyword(name)
}

/// The name of a module kept in its own file: `snake`, except that `mod` (whose file would be
/// the parent's `mod.rs`) becomes `mod_`.
pub fn module_name(wire: &str) -> String {
    let name = snake(wire);
    if bare(&name) == "mod" {
        "mod_".to_owned()
    } else {
        name
    }
}

/// A Cargo package name (`kebab-case`) for a name such as a file stem: `petstore-expanded`
/// stays, `My API v2` becomes `my-api-v2`; a name that does not start with a letter gets an
/// `api-` prefix.
pub fn package_name(name: &str) -> String {
    let name = ascii_words(name).to_kebab_case();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api-{name}")
    }
}

/// `lowerCamelCase` of the ASCII words of `text`: `get pets By petId` → `getPetsByPetId`.
pub fn lower_camel(text: &str) -> String {
    ascii_words(text).to_lower_camel_case()
}

/// `UpperCamelCase` type or variant name for a wire name. `Self` becomes `Self_`; names that
/// start with a digit get a leading `V`; names with no ASCII letters or digits become `Empty`
/// (for the empty string) or `Value`.
pub fn camel(wire: &str) -> String {
    let mut name = ascii_words(wire).to_upper_camel_case();
    if name.is_empty() {
        name = if wire.is_empty() { "Empty" } else { "Value" }.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    escape_keyword(name)
}

/// A type name that stays clear of the prelude: `String` becomes `StringValue`.
pub fn type_name(wire: &str) -> String {
    let name = camel(wire);
    if PRELUDE_TYPES.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Checks a `snake_case` name given by the spec author (`x-rust-name` on an operation, a
/// parameter or a property): ASCII lowercase letters, digits and `_`, not starting with a
/// digit, not a keyword. The error says what is wrong.
pub fn check_snake(name: &str) -> Result<(), String> {
    let shaped = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name != "_";
    if !shaped {
        Err(format!(
            "`{name}` is not a snake_case Rust name (lowercase ASCII letters, digits and `_`)"
        ))
    } else if KEYWORDS.contains(&name) {
        Err(format!("`{name}` is a Rust keyword"))
    } else {
        Ok(())
    }
}

/// Checks an `UpperCamelCase` type name given by the spec author (`x-rust-name` on an object
/// or enum schema): ASCII letters and digits, starting with an uppercase letter, not `Self`
/// and not a name the generated code relies on (`Option`, `String`, ...).
pub fn check_camel(name: &str) -> Result<(), String> {
    let shaped = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if !shaped {
        Err(format!(
            "`{name}` is not an UpperCamelCase Rust type name (ASCII letters and digits)"
        ))
    } else if KEYWORDS.contains(&name) || PRELUDE_TYPES.contains(&name) {
        Err(format!(
            "`{name}` is a name Rust or the generated code already uses"
        ))
    } else {
        Ok(())
    }
}

/// The name without a raw-identifier prefix, for composing other names from it.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_and_derived_operation_names() {
        assert_eq!(package_name("petstore-expanded"), "petstore-expanded");
        assert_eq!(package_name("My API v2"), "my-api-v2");
        assert_eq!(package_name("3d"), "api-3d");
        assert_eq!(lower_camel("get pets by petId"), "getPetsByPetId");
        assert_eq!(
            lower_camel("delete users by user_id"),
            "deleteUsersByUserId"
        );
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake("MessageTypes"), "message_types");
        assert_eq!(snake("DingWebHook"), "ding_web_hook");
        assert_eq!(snake("AliIM"), "ali_im");
        assert_eq!(snake("Channels.SMS"), "channels_sms");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("match"), "r#match");
        assert_eq!(snake("5xx"), "n5xx");
        assert_eq!(snake("名字"), "value");
    }

    #[test]
    fn names_given_by_the_spec_are_checked() {
        assert!(check_snake("self_type").is_ok());
        assert!(check_snake("self_type@").is_err());
        assert!(check_snake("type").is_err());
        assert!(check_snake("../../escape").is_err());
        assert!(check_snake("Contact").is_err());
        assert!(check_camel("ContactInfo").is_ok());
        assert!(check_camel("my-type").is_err());
        assert!(check_camel("Self").is_err());
        assert!(check_camel("Option").is_err());
    }

    #[test]
    fn module_names_stay_clear_of_mod_rs() {
        assert_eq!(module_name("Mod"), "mod_");
        assert_eq!(module_name("DescribeThing"), "describe_thing");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("zh-cn"), "ZhCn");
        assert_eq!(camel("5xx"), "V5xx");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("a-+1"), "A1");
        assert_eq!(camel("a--1"), "A1");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("EntityNotExists.Contact"), "EntityNotExistsContact");
        assert_eq!(type_name("String"), "StringValue");
    }
}
