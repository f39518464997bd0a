//! Structs and enums: shared types in `types/`, and types an operation defines inline.

use super::code::{string, width, Code, Expr, MAX_WIDTH};
use super::docs::{code as code_span, Doc};
use crate::ir::{
    EnumDef, Field, ParamLocation, StructDef, TypeDef, TypePath, TypeRef, UnionDef, UnionVariant,
};

/// Where the code being emitted lives, so type paths can be written relative to it.
#[derive(Clone, Copy)]
pub struct Here<'a> {
    /// `None` in `types/`, or the operation module.
    pub operation_module: Option<&'a str>,
}

/// The Rust type of a field value (without the `Option` of an optional field).
pub fn rust_type(ty: &TypeRef, here: Here<'_>) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::List(inner) => format!("Vec<{}>", rust_type(inner, here)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            rust_type(inner, here)
        ),
        TypeRef::Boxed(inner) => format!("Box<{}>", rust_type(inner, here)),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::Named(path) => named(path, here),
    }
}

/// A generated type, wherever it lives.
pub fn type_def(def: &TypeDef, here: Here<'_>, c: &mut Code) {
    match def {
        TypeDef::Struct(s) => struct_def(s, here, c),
        TypeDef::Enum(e) => enum_def(e, c),
        TypeDef::Union(u) => union_def(u, here, c),
    }
}

fn named(path: &TypePath, here: Here<'_>) -> String {
    let name = &path.name;
    match (&path.operation_module, here.operation_module) {
        // Shared types live one per file, so even among themselves they are named by path.
        (None, _) => format!("crate::types::{name}"),
        (Some(module), Some(current)) if module == current => name.clone(),
        (Some(module), _) => format!("crate::operation::{module}::{name}"),
    }
}

/// The type a field is stored as: `T` when required and `required_is_enforced`, else
/// `Option<T>`.
pub fn stored_type(field: &Field, required_is_enforced: bool, here: Here<'_>) -> String {
    let ty = rust_type(&field.ty, here);
    if field.required && required_is_enforced {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// The rustdoc of a field or setter: description, example, whether it is required.
pub fn field_doc(field: &Field, doc: &mut Doc) {
    if let Some(description) = &field.docs.description {
        doc.text(description);
    } else {
        doc.line(format!("The {} value.", code_span(&field.wire_name)));
    }
    doc.paragraph();
    let mut facts = vec![format!("Wire name: {}", code_span(&field.wire_name))];
    match field.location {
        ParamLocation::Form => facts.push("sent in the form body".to_owned()),
        ParamLocation::Header => facts.push("sent as a header".to_owned()),
        ParamLocation::Path => facts.push("part of the path".to_owned()),
        ParamLocation::Payload => facts.push("the whole request body".to_owned()),
        ParamLocation::Multipart if field.ty == TypeRef::Bytes => {
            facts.push("a file of the multipart form body".to_owned())
        }
        ParamLocation::Multipart => facts.push("sent in the multipart form body".to_owned()),
        ParamLocation::Query | ParamLocation::Body => {}
    }
    if field.required {
        facts.push("required".to_owned());
    } else if field.docs.required_unknown {
        facts.push("the source does not say whether it is required".to_owned());
    }
    facts.extend(field.docs.notes.iter().cloned());
    if let Some(example) = &field.docs.example {
        facts.push(format!("example: {}", code_span(example)));
    }
    doc.line(format!("{}.", facts.join("; ")));
    if field.docs.deprecated {
        doc.paragraph().line("Deprecated by the service.");
    }
}

/// A documented public field declaration: `pub name: Type,`.
pub fn field_declaration(field: &Field, ty: &str, c: &mut Code) {
    let mut doc = Doc::new();
    field_doc(field, &mut doc);
    c.doc(&doc);
    let line = format!("pub {}: {ty},", field.rust_name);
    if c.fits(&line) {
        c.line(&line);
    } else {
        c.line(&format!("pub {}:", field.rust_name));
        c.indent();
        c.line(&format!("{ty},"));
        c.dedent();
    }
}

/// The `struct` item: `doc`, derives and `#[non_exhaustive]`, and its documented fields.
pub fn struct_item(
    doc: &Doc,
    derives: &str,
    name: &str,
    fields: &[Field],
    here: Here<'_>,
    c: &mut Code,
) {
    c.doc(doc);
    c.line(&format!("#[derive({derives})]"));
    c.line("#[non_exhaustive]");
    if fields.is_empty() {
        c.line(&format!("pub struct {name} {{}}"));
        return;
    }
    c.open(&format!("pub struct {name} {{"));
    for field in fields {
        field_declaration(field, &stored_type(field, false, here), c);
    }
    c.close("}");
}

/// JSON encoding and decoding of a struct whose members are `fields` (each an `Option`),
/// through the runtime's [`Members`](acs_runtime::model::Members) and
/// [`put_member`](acs_runtime::model::put_member): absent members are omitted and decode as
/// `None`, unknown ones are ignored.
pub fn json_impls(name: &str, fields: &[Field], c: &mut Code) {
    let object = if fields.is_empty() {
        "object"
    } else {
        "mut object"
    };
    c.open_impl("impl serde::Serialize", name);
    c.open("fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {");
    c.call(
        &format!("let {object} = serializer.serialize_struct"),
        &[string(name), fields.len().to_string()],
        "?;",
    );
    for field in fields {
        c.call(
            "acs_runtime::model::put_member",
            &[
                "&mut object".to_owned(),
                string(&field.wire_name),
                format!("&self.{}", field.rust_name),
            ],
            "?;",
        );
    }
    c.line("serde::ser::SerializeStruct::end(object)");
    c.close("}");
    c.close("}");
    c.blank();
    c.open_impl("impl<'de> serde::Deserialize<'de>", name);
    c.open(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    let read = "acs_runtime::model::Members::read";
    let read_args = ["deserializer".to_owned(), string(name)];
    if fields.is_empty() {
        c.call(read, &read_args, "?;");
        c.line("Ok(Self {})");
    } else {
        c.call(&format!("let mut members = {read}"), &read_args, "?;");
        c.open("Ok(Self {");
        for field in fields {
            let take = format!(".take({})?,", string(&field.wire_name));
            let line = format!("{}: members{take}", field.rust_name);
            // rustfmt keeps two more columns free on the line of a method call ending in `?`.
            if c.fits(&format!("{line}??")) {
                c.line(&line);
            } else {
                c.line(&format!("{}: members", field.rust_name));
                c.indent();
                c.line(&take);
                c.dedent();
            }
        }
        c.close("})");
    }
    c.close("}");
    c.close("}");
}

/// A struct with public fields, `#[non_exhaustive]`, decodable from and encodable to JSON;
/// with a builder and query flattening when it is sent in requests.
pub fn struct_def(def: &StructDef, here: Here<'_>, c: &mut Code) {
    let mut doc = Doc::new();
    match &def.description {
        Some(description) => doc.text(description),
        None => doc.line(format!("The {} object.", code_span(&def.wire_name))),
    };
    struct_item(
        &doc,
        "Debug, Clone, PartialEq, Default",
        &def.name,
        &def.fields,
        here,
        c,
    );
    c.blank();
    json_impls(&def.name, &def.fields, c);
    if def.input {
        c.blank();
        struct_builder(def, here, c);
        c.blank();
        struct_flatten(def, c);
    }
}

fn struct_builder(def: &StructDef, here: Here<'_>, c: &mut Code) {
    let build_doc: &[&str] = if def.fields.iter().any(|f| f.required) {
        &["Builds the value, checking that every required member is set."]
    } else {
        &[
            "Builds the value. Every member is optional, so this does not fail today; it returns a",
            "`Result` so that a member becoming required later is not a breaking change.",
        ]
    };
    c.open(&format!("impl {} {{", def.name));
    c.doc_text(&format!("Starts building a [`{}`].", def.name));
    c.open(&format!("pub fn builder() -> {} {{", def.builder_name));
    c.line(&format!("{}::default()", def.builder_name));
    c.close("}");
    c.close("}");
    c.blank();
    // Members stay optional in the struct; a missing required one is named `Struct.Member`.
    builder_type(
        &def.name,
        &def.builder_name,
        &def.fields,
        build_doc,
        RequiredMember::Wrapped(&def.wire_name),
        here,
        c,
    );
}

/// How `build` takes a required member from the builder.
#[derive(Clone, Copy)]
pub enum RequiredMember<'a> {
    /// As the value itself (a request parameter, stored as `T`); missing, it is named by its
    /// wire name.
    Bare,
    /// In `Some` (a struct member, stored as `Option<T>`); missing, it is named
    /// `Struct.Member`, the struct's wire name given.
    Wrapped(&'a str),
}

/// The builder type `builder_name` of `target`: an `Option` and a setter per field, and
/// `build`, which takes each optional field as it is and each required one as `required`
/// says.
pub fn builder_type(
    target: &str,
    builder_name: &str,
    fields: &[Field],
    build_doc: &[&str],
    required: RequiredMember<'_>,
    here: Here<'_>,
    c: &mut Code,
) {
    c.doc_text(&format!("Builds a [`{target}`]."));
    c.line("#[derive(Debug, Clone, Default)]");
    if fields.is_empty() {
        c.line(&format!("pub struct {builder_name} {{}}"));
    } else {
        c.open(&format!("pub struct {builder_name} {{"));
        for field in fields {
            c.line(&format!(
                "{}: Option<{}>,",
                field.rust_name,
                rust_type(&field.ty, here)
            ));
        }
        c.close("}");
    }
    c.blank();
    c.open(&format!("impl {builder_name} {{"));
    for field in fields {
        setter(field, here, c);
        c.blank();
    }
    for line in build_doc {
        c.doc_text(line);
    }
    c.signature(&format!(
        "pub fn build(self) -> Result<{target}, acs_runtime::BuildError> {{"
    ));
    if fields.is_empty() {
        c.line(&format!("Ok({target} {{}})"));
    } else if !fields.iter().any(|f| f.required) {
        let members = fields
            .iter()
            .map(|f| {
                let value = Expr::Atom(format!("self.{}", f.rust_name));
                (f.rust_name.clone(), value)
            })
            .collect();
        let literal = Expr::Struct(target.to_owned(), members);
        c.expr("", &Expr::Call("Ok".to_owned(), vec![literal]), "");
    } else {
        c.open(&format!("Ok({target} {{"));
        for field in fields {
            if field.required {
                required_member(field, required, c);
            } else {
                c.line(&format!("{0}: self.{0},", field.rust_name));
            }
        }
        c.close("})");
    }
    c.close("}");
    c.close("}");
}

/// `name: self.name.ok_or_else(..)?,` for a required member, as rustfmt breaks the chain:
/// one link per line, or, when the `ok_or_else` line would be too long, the closure on a
/// line of its own (a request parameter) or in a block (a struct member). rustfmt counts the
/// `?` twice when it measures the `ok_or_else` line, hence the extra column.
fn required_member(field: &Field, required: RequiredMember<'_>, c: &mut Code) {
    let rust = &field.rust_name;
    let wire = match required {
        RequiredMember::Bare => string(&field.wire_name),
        RequiredMember::Wrapped(struct_wire) => {
            string(&format!("{struct_wire}.{}", field.wire_name))
        }
    };
    let closure = format!("|| acs_runtime::BuildError::missing_field({wire})");
    let missing = format!(".ok_or_else({closure})?");
    match required {
        RequiredMember::Bare => {
            if c.fits(&format!("    {missing},?")) {
                c.line(&format!("{rust}: self"));
                c.indent();
                c.line(&format!(".{rust}"));
                c.line(&format!("{missing},"));
                c.dedent();
            } else {
                c.open(&format!("{rust}: self.{rust}.ok_or_else("));
                c.line(&format!("{closure},"));
                c.close(")?,");
            }
        }
        RequiredMember::Wrapped(_) => {
            // Which of three layouts rustfmt settles on depends on how far the chain's
            // `ok_or_else` line is from fitting: one link per line while it fits (counting
            // the `?` twice), the chain on a line of its own with the closure in a block while
            // it is at most two columns too long, else `Some(` keeps the chain on its line.
            // Measured with rustfmt over every wire-name length (unit test below).
            let link = format!("        {missing},");
            if c.fits(&format!("{link}?")) {
                c.open(&format!("{rust}: Some("));
                c.line(&format!("self.{rust}"));
                c.indent();
                c.line(&format!("{missing},"));
                c.dedent();
                c.close("),");
            } else if c.column() + width(&link) <= MAX_WIDTH + 2 {
                c.open(&format!("{rust}: Some("));
                c.open(&format!("self.{rust}.ok_or_else(|| {{"));
                c.call("acs_runtime::BuildError::missing_field", &[wire], "");
                c.close("})?,");
                c.close("),");
            } else {
                c.open(&format!("{rust}: Some(self.{rust}.ok_or_else(|| {{"));
                c.call("acs_runtime::BuildError::missing_field", &[wire], "");
                c.close("})?),");
            }
        }
    }
}

/// A builder setter: `impl Into<String>` for strings and enums, any iterable for lists.
pub fn setter(field: &Field, here: Here<'_>, c: &mut Code) {
    let mut doc = Doc::new();
    field_doc(field, &mut doc);
    c.doc(&doc);
    // A setter keeps the field's name even where clippy expects `is_*`, `to_*`, `as_*` and
    // `from_*` methods to borrow `self` or take none.
    let bare_setter = crate::ident::bare(&field.setter_name);
    if ["is_", "to_", "as_", "from_"]
        .iter()
        .any(|p| bare_setter.starts_with(p))
    {
        c.line("#[allow(clippy::wrong_self_convention)]");
    }
    let rust = &field.rust_name;
    let setter = &field.setter_name;
    let (signature, body) = match &field.ty {
        TypeRef::String | TypeRef::Named(TypePath { is_enum: true, .. }) => (
            format!(
                "pub fn {setter}(mut self, value: impl Into<{}>) -> Self {{",
                rust_type(&field.ty, here)
            ),
            format!("self.{rust} = Some(value.into());"),
        ),
        TypeRef::Boxed(inner) => (
            format!(
                "pub fn {setter}(mut self, value: impl Into<{}>) -> Self {{",
                rust_type(inner, here)
            ),
            format!("self.{rust} = Some(Box::new(value.into()));"),
        ),
        TypeRef::Bytes => (
            format!("pub fn {setter}(mut self, value: impl Into<Vec<u8>>) -> Self {{"),
            format!("self.{rust} = Some(value.into());"),
        ),
        TypeRef::List(item) => {
            c.line(&format!("pub fn {setter}<I>(mut self, values: I) -> Self"));
            c.line("where");
            c.indent();
            c.line("I: IntoIterator,");
            c.line(&format!("I::Item: Into<{}>,", rust_type(item, here)));
            c.dedent();
            c.open("{");
            c.line(&format!(
                "self.{rust} = Some(values.into_iter().map(Into::into).collect());"
            ));
            c.line("self");
            c.close("}");
            return;
        }
        other => (
            format!(
                "pub fn {setter}(mut self, value: {}) -> Self {{",
                rust_type(other, here)
            ),
            format!("self.{rust} = Some(value);"),
        ),
    };
    c.signature(&signature);
    c.line(&body);
    c.line("self");
    c.close("}");
}

fn struct_flatten(def: &StructDef, c: &mut Code) {
    let (key, params) = if def.fields.is_empty() {
        ("_key", "_params")
    } else {
        ("key", "params")
    };
    c.open(&format!("impl acs_runtime::QueryParam for {} {{", def.name));
    let signature =
        format!("fn flatten(&self, {key}: &str, {params}: &mut acs_runtime::Params) {{");
    if def.fields.is_empty() {
        c.line(&format!("{}}}", signature));
    } else {
        c.open(&signature);
        for field in &def.fields {
            c.call(
                "params.put",
                &[
                    format!(
                        "&format!({})",
                        string(&format!("{{key}}.{}", field.wire_name))
                    ),
                    format!("&self.{}", field.rust_name),
                ],
                ";",
            );
        }
        c.close("}");
    }
    c.close("}");
}

/// A string enum: one variant per documented value, a catch-all keeping any other value,
/// `as_str`, `From<&str>`, JSON and query encoding.
pub fn enum_def(def: &EnumDef, c: &mut Code) {
    let name = &def.name;
    let catch_all = &def.catch_all;
    let mut doc = Doc::new();
    match &def.description {
        Some(description) => doc.text(description),
        None => doc.line(format!("Values of {}.", code_span(&def.wire_name))),
    };
    doc.paragraph().line("Documented values:").paragraph();
    for variant in &def.variants {
        let meaning = super::docs::colon_suffix(variant.description.as_deref());
        doc.line(format!("- {}{meaning}", code_span(&variant.wire_value)));
    }
    doc.paragraph().line(format!(
        "Any other value the service sends is kept as [`{name}::{catch_all}`]; use [`{name}::from`] to build a value from text."
    ));
    c.doc(&doc);
    c.line("#[derive(Debug, Clone)]");
    c.line("#[non_exhaustive]");
    c.open(&format!("pub enum {name} {{"));
    for v in &def.variants {
        let mut variant_doc = Doc::new();
        variant_doc.line(code_span(&v.wire_value));
        if let Some(description) = &v.description {
            variant_doc.line(String::new()).text(description);
        }
        c.doc(&variant_doc);
        c.line(&format!("{},", v.rust_name));
    }
    c.doc_text("A value this version of the SDK does not document, kept as the service sent it.");
    c.line(&format!("{catch_all}(String),"));
    c.close("}");
    c.blank();
    c.open(&format!("impl {name} {{"));
    c.doc_text("Every documented value, as sent on the wire.");
    let values: Vec<String> = def.variants.iter().map(|v| string(&v.wire_value)).collect();
    c.array(
        "pub const VALUES: &'static [&'static str] = &",
        &values,
        ";",
    );
    c.doc_text("The value as sent on the wire.");
    c.open("pub fn as_str(&self) -> &str {");
    c.open("match self {");
    for v in &def.variants {
        c.arm(&format!("Self::{}", v.rust_name), &string(&v.wire_value));
    }
    c.line(&format!("Self::{catch_all}(value) => value,"));
    c.close("}");
    c.close("}");
    c.close("}");
    c.blank();
    c.open_impl("impl From<&str>", name);
    c.open("fn from(value: &str) -> Self {");
    c.open("match value {");
    for v in &def.variants {
        c.arm(&string(&v.wire_value), &format!("Self::{}", v.rust_name));
    }
    c.line(&format!("other => Self::{catch_all}(other.to_owned()),"));
    c.close("}");
    c.close("}");
    c.close("}");
    c.line(&format!("acs_runtime::string_enum!({name});"));
}

/// A union (`oneOf` / `anyOf`): a variant per part and a catch-all keeping a value that fits
/// none; decoded by its discriminator member, or by trying the variants in order; encoded as
/// the value it holds.
pub fn union_def(def: &UnionDef, here: Here<'_>, c: &mut Code) {
    let name = &def.name;
    let catch_all = &def.catch_all;
    let mut doc = Doc::new();
    match &def.description {
        Some(description) => doc.text(description),
        None => doc.line(format!(
            "One of several kinds of {} value.",
            code_span(&def.wire_name)
        )),
    };
    doc.paragraph();
    match &def.discriminator {
        Some(member) => {
            doc.line(format!(
                "Which kind a value is, its {} member says (`{}` with a `discriminator`):",
                code_span(member),
                def.keyword
            ))
            .paragraph();
            for variant in &def.variants {
                let tags: Vec<String> = variant.tags.iter().map(|t| code_span(t)).collect();
                doc.line(format!(
                    "- {}: [`{}::{}`]",
                    tags.join(", "),
                    def.name,
                    variant.rust_name
                ));
            }
        }
        None => {
            doc.line(format!(
                "A value is read as the first variant it fits, in the order of the spec's `{}`. An object fits a variant when it has the members the variant requires; a variant that declares every member of the object is tried before one that does not.",
                def.keyword
            ));
        }
    }
    doc.paragraph().line(format!(
        "A value that is none of them is kept as [`{name}::{catch_all}`]. A value is sent as the variant's value itself."
    ));
    c.doc(&doc);
    c.line("#[derive(Debug, Clone, PartialEq, serde::Serialize)]");
    c.line("#[serde(untagged)]");
    c.line("#[non_exhaustive]");
    c.line("#[allow(clippy::large_enum_variant)]");
    c.open(&format!("pub enum {name} {{"));
    for variant in &def.variants {
        c.doc(&variant_doc(def, variant));
        c.line(&format!(
            "{}({}),",
            variant.rust_name,
            rust_type(&variant.ty, here)
        ));
    }
    c.doc_text("A value none of the variants fits, kept as the service sent it.");
    c.line(&format!("{catch_all}(serde_json::Value),"));
    c.close("}");
    c.blank();
    c.open_impl("impl<'de> serde::Deserialize<'de>", name);
    c.open(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    c.line("let value = serde_json::Value::deserialize(deserializer)?;");
    union_decode(def, here, c);
    c.close("}");
    c.close("}");
    union_conversions(def, here, c);
    if def.input {
        c.blank();
        union_flatten(def, c);
    }
}

/// A union variant's rustdoc: the part's description, or the schema it refers to; with a
/// discriminator, the values that select it.
fn variant_doc(def: &UnionDef, variant: &UnionVariant) -> Doc {
    let mut doc = Doc::new();
    match (&variant.description, &variant.schema_name) {
        (Some(description), _) => doc.text(description),
        (None, Some(schema)) => doc.line(format!("A {} value.", code_span(schema))),
        (None, None) => doc.line(format!("A value of the `{}` kind.", variant.rust_name)),
    };
    if let Some(member) = &def.discriminator {
        let tags: Vec<String> = variant.tags.iter().map(|t| code_span(t)).collect();
        doc.paragraph().line(format!(
            "Its {} member is {}.",
            code_span(member),
            tags.join(" or ")
        ));
    }
    doc
}

/// The rest of a union's `deserialize`, `value` holding the JSON value: by the
/// discriminator's value, or the variants in the order the runtime ranks them.
fn union_decode(def: &UnionDef, here: Here<'_>, c: &mut Code) {
    let catch_all = &def.catch_all;
    let read = |variant: &UnionVariant| {
        (
            format!(
                "<{} as serde::Deserialize>::deserialize(&value)",
                rust_type(&variant.ty, here)
            ),
            format!(".map(Self::{})", variant.rust_name),
        )
    };
    if let Some(member) = &def.discriminator {
        c.open(&format!(
            "let decoded = match value.get({}).and_then(serde_json::Value::as_str) {{",
            string(member)
        ));
        for variant in &def.variants {
            let tags: Vec<String> = variant.tags.iter().map(|t| string(t)).collect();
            chain_arm(&format!("Some({})", tags.join(" | ")), read(variant), c);
        }
        c.line(&format!("_ => return Ok(Self::{catch_all}(value)),"));
        c.close("};");
        c.line("decoded.map_err(serde::de::Error::custom)");
        return;
    }
    if def.variants.iter().all(|v| v.shape.is_none()) {
        let shapes = vec![ANY_SHAPE.to_owned(); def.variants.len()];
        c.array("const SHAPES: &[acs_runtime::Shape] = &", &shapes, ";");
    } else {
        object_shapes(def, c);
    }
    c.open("for variant in acs_runtime::Shape::candidates(&value, SHAPES) {");
    c.open("let decoded = match variant {");
    for (index, variant) in def.variants.iter().enumerate() {
        chain_arm(&index.to_string(), read(variant), c);
    }
    c.line("_ => continue,");
    c.close("};");
    c.open("if let Ok(decoded) = decoded {");
    c.line("return Ok(decoded);");
    c.close("}");
    c.close("}");
    c.line(&format!("Ok(Self::{catch_all}(value))"));
}

/// `SHAPES` of a union one of whose variants is an object, one shape per line.
fn object_shapes(def: &UnionDef, c: &mut Code) {
    c.open("const SHAPES: &[acs_runtime::Shape] = &[");
    for variant in &def.variants {
        match &variant.shape {
            Some(shape) => {
                c.open("acs_runtime::Shape::Object {");
                let required: Vec<String> = shape.required.iter().map(|s| string(s)).collect();
                c.array("required: &", &required, ",");
                let members: Vec<String> = shape.members.iter().map(|s| string(s)).collect();
                c.array("members: &", &members, ",");
                c.line(&format!("open: {},", shape.open));
                c.close("},");
            }
            None => c.line(&format!("{ANY_SHAPE},")),
        }
    }
    c.close("];");
}

/// The shape of a union variant that is not an object.
const ANY_SHAPE: &str = "acs_runtime::Shape::Any";

/// A match arm whose value is `receiver.method(..)`: on the arm's line when it fits, else in
/// a block when it fits there, else with the method call on the next line.
fn chain_arm(pattern: &str, (receiver, method): (String, String), c: &mut Code) {
    let value = format!("{receiver}{method}");
    let line = format!("{pattern} => {value},");
    if c.fits(&line) {
        c.line(&line);
    } else if c.fits(&format!("    {value}")) {
        c.open(&format!("{pattern} => {{"));
        c.line(&value);
        c.close("}");
    } else if c.fits(&format!("{pattern} => {receiver}")) {
        c.line(&format!("{pattern} => {receiver}"));
        c.indent();
        c.line(&format!("{method},"));
        c.dedent();
    } else if c.fits(&format!("    {receiver}")) {
        c.open(&format!("{pattern} => {{"));
        c.line(&receiver);
        c.indent();
        c.line(&method);
        c.dedent();
        c.close("}");
    } else {
        // `<T as serde::Deserialize>::deserialize(&value)`, its argument on a line of its own.
        let head = receiver.trim_end_matches("(&value)");
        c.line(&format!("{pattern} => {head}("));
        c.indent();
        c.line("&value,");
        c.dedent();
        c.line(")");
        c.line(&format!("{method},"));
    }
}

/// `From` each variant's type, for the types only one variant holds (a boxed variant from
/// the type it boxes).
fn union_conversions(def: &UnionDef, here: Here<'_>, c: &mut Code) {
    let unboxed = |ty: &TypeRef| match ty {
        TypeRef::Boxed(inner) => (inner.as_ref().clone(), true),
        other => (other.clone(), false),
    };
    let types: Vec<TypeRef> = def.variants.iter().map(|v| unboxed(&v.ty).0).collect();
    for variant in &def.variants {
        let (ty, boxed) = unboxed(&variant.ty);
        if ty == TypeRef::Any || types.iter().filter(|t| **t == ty).count() > 1 {
            continue;
        }
        let ty = rust_type(&ty, here);
        let value = if boxed { "Box::new(value)" } else { "value" };
        c.blank();
        c.open(&format!("impl From<{ty}> for {} {{", def.name));
        c.open(&format!("fn from(value: {ty}) -> Self {{"));
        c.line(&format!("Self::{}({value})", variant.rust_name));
        c.close("}");
        c.close("}");
    }
}

/// Query flattening of a union sent in requests: that of the value it holds.
fn union_flatten(def: &UnionDef, c: &mut Code) {
    let variants: Vec<String> = def
        .variants
        .iter()
        .map(|v| format!("Self::{}(value)", v.rust_name))
        .chain([format!("Self::{}(value)", def.catch_all)])
        .collect();
    c.open(&format!("impl acs_runtime::QueryParam for {} {{", def.name));
    c.open("fn flatten(&self, key: &str, params: &mut acs_runtime::Params) {");
    c.open("match self {");
    for variant in &variants {
        c.arm(
            variant,
            "acs_runtime::QueryParam::flatten(value, key, params)",
        );
    }
    c.close("}");
    c.close("}");
    c.blank();
    c.open("fn to_scalar(&self) -> Option<String> {");
    c.open("match self {");
    for variant in &variants {
        c.arm(variant, "acs_runtime::QueryParam::to_scalar(value)");
    }
    c.close("}");
    c.close("}");
    c.close("}");
}
