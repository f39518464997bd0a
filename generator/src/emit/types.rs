//! Structs and enums: shared types in `types/`, and types an operation defines inline.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, Doc};
use super::ident;
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
pub fn type_tokens(ty: &TypeRef, here: Here<'_>) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, here);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, here);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, here);
            quote!(Box<#inner>)
        }
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Named(path) => named(path, here),
    }
}

/// A generated type, wherever it lives.
pub fn type_def(def: &TypeDef, here: Here<'_>) -> TokenStream {
    match def {
        TypeDef::Struct(s) => struct_def(s, here),
        TypeDef::Enum(e) => enum_def(e),
        TypeDef::Union(u) => union_def(u, here),
    }
}

fn named(path: &TypePath, here: Here<'_>) -> TokenStream {
    let name = ident(&path.name);
    match (&path.operation_module, here.operation_module) {
        // Shared types live one per file, so even among themselves they are named by path.
        (None, _) => quote!(crate::types::#name),
        (Some(module), Some(current)) if module == current => quote!(#name),
        (Some(module), _) => {
            let module = ident(module);
            quote!(crate::operation::#module::#name)
        }
    }
}

/// The type a field is stored as: `T` when required and `required_is_enforced`, else
/// `Option<T>`.
pub fn stored_type(field: &Field, required_is_enforced: bool, here: Here<'_>) -> TokenStream {
    let ty = type_tokens(&field.ty, here);
    if field.required && required_is_enforced {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// The rustdoc of a field or setter: description, example, whether it is required.
pub fn field_doc(field: &Field, doc: &mut Doc) {
    if let Some(description) = &field.docs.description {
        doc.text(description);
    } else {
        doc.line(format!("The {} value.", code(&field.wire_name)));
    }
    doc.paragraph();
    let mut facts = vec![format!("Wire name: {}", code(&field.wire_name))];
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
        facts.push(format!("example: {}", code(example)));
    }
    doc.line(format!("{}.", facts.join("; ")));
    if field.docs.deprecated {
        doc.paragraph().line("Deprecated by the service.");
    }
}

/// JSON encoding and decoding of a struct whose members are `fields` (each an `Option`),
/// through the runtime's [`Members`](acs_runtime::model::Members) and
/// [`put_member`](acs_runtime::model::put_member): absent members are omitted and decode as
/// `None`, unknown ones are ignored.
pub fn json_impls(name: &str, fields: &[Field]) -> TokenStream {
    let type_name = name;
    let name = ident(name);
    let puts = fields.iter().map(|field| {
        let rust = ident(&field.rust_name);
        let wire = &field.wire_name;
        quote!(acs_runtime::model::put_member(&mut object, #wire, &self.#rust)?;)
    });
    let takes = fields.iter().map(|field| {
        let rust = ident(&field.rust_name);
        let wire = &field.wire_name;
        quote!(#rust: members.take(#wire)?,)
    });
    let count = proc_macro2::Literal::usize_unsuffixed(fields.len());
    let (object, members) = if fields.is_empty() {
        (quote!(object), quote!())
    } else {
        (quote!(mut object), quote!(let mut members =))
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #object = serializer.serialize_struct(#type_name, #count)?;
                #(#puts)*
                serde::ser::SerializeStruct::end(object)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #members acs_runtime::model::Members::read(deserializer, #type_name)?;
                Ok(Self {
                    #(#takes)*
                })
            }
        }
    }
}

/// A struct with public fields, `#[non_exhaustive]`, decodable from and encodable to JSON;
/// with a builder and query flattening when it is sent in requests.
pub fn struct_def(def: &StructDef, here: Here<'_>) -> TokenStream {
    let mut doc = Doc::new();
    match &def.description {
        Some(description) => doc.text(description),
        None => doc.line(format!("The {} object.", code(&def.wire_name))),
    };
    let name = ident(&def.name);
    let fields = def.fields.iter().map(|field| {
        let mut field_docs = Doc::new();
        field_doc(field, &mut field_docs);
        let field_docs = field_docs.outer();
        let rust = ident(&field.rust_name);
        let ty = stored_type(field, false, here);
        quote! {
            #field_docs
            pub #rust: #ty,
        }
    });
    let doc = doc.outer();
    let json = json_impls(&def.name, &def.fields);
    let mut out = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #json
    };
    if def.input {
        out.extend(struct_builder(def, here));
        out.extend(struct_flatten(def));
    }
    out
}

fn struct_builder(def: &StructDef, here: Here<'_>) -> TokenStream {
    let name = ident(&def.name);
    let builder_ident = ident(&def.builder_name);
    let build_doc = if def.fields.iter().any(|f| f.required) {
        " Builds the value, checking that every required member is set."
    } else {
        " Builds the value. Every member is optional, so this does not fail today; it returns a\n `Result` so that a member becoming required later is not a breaking change."
    };
    let build_doc: Vec<String> = build_doc.lines().map(str::to_owned).collect();
    let builder_fn_doc = format!(" Starts building a [`{}`].", def.name);
    // Members stay optional in the struct; a missing required one is named `Struct.Member`.
    let required = |field: &Field| {
        let rust = ident(&field.rust_name);
        let wire = format!("{}.{}", def.wire_name, field.wire_name);
        quote!(Some(self.#rust.ok_or_else(|| acs_runtime::BuildError::missing_field(#wire))?))
    };
    let builder = builder_type(
        &def.name,
        &def.builder_name,
        &def.fields,
        &build_doc,
        &required,
        here,
    );
    quote! {
        impl #name {
            #[doc = #builder_fn_doc]
            pub fn builder() -> #builder_ident {
                #builder_ident::default()
            }
        }

        #builder
    }
}

/// The builder type `builder_name` of `target`: an `Option` and a setter per field, and
/// `build`, which takes each optional field as it is and each required one as `required`
/// says (the expression reporting it missing).
pub fn builder_type(
    target: &str,
    builder_name: &str,
    fields: &[Field],
    build_doc: &[String],
    required: &dyn Fn(&Field) -> TokenStream,
    here: Here<'_>,
) -> TokenStream {
    let name = ident(target);
    let builder = ident(builder_name);
    let builder_doc = format!(" Builds a [`{target}`].");
    let builder_fields = fields.iter().map(|field| {
        let rust = ident(&field.rust_name);
        let ty = type_tokens(&field.ty, here);
        quote!(#rust: Option<#ty>,)
    });
    let setters = fields.iter().map(|field| setter(field, here));
    let members = fields.iter().map(|field| {
        let rust = ident(&field.rust_name);
        let value = if field.required {
            required(field)
        } else {
            quote!(self.#rust)
        };
        quote!(#rust: #value,)
    });
    quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone, Default)]
        pub struct #builder {
            #(#builder_fields)*
        }

        impl #builder {
            #(#setters)*

            #(#[doc = #build_doc])*
            pub fn build(self) -> Result<#name, acs_runtime::BuildError> {
                Ok(#name {
                    #(#members)*
                })
            }
        }
    }
}

/// A builder setter: `impl Into<String>` for strings and enums, any iterable for lists.
pub fn setter(field: &Field, here: Here<'_>) -> TokenStream {
    let mut doc = Doc::new();
    field_doc(field, &mut doc);
    let mut doc = doc.outer();
    // A setter keeps the field's name even where clippy expects `is_*`, `to_*`, `as_*` and
    // `from_*` methods to borrow `self` or take none.
    let bare_setter = crate::ident::bare(&field.setter_name);
    if ["is_", "to_", "as_", "from_"]
        .iter()
        .any(|p| bare_setter.starts_with(p))
    {
        doc.extend(quote!(#[allow(clippy::wrong_self_convention)]));
    }
    let rust = ident(&field.rust_name);
    let setter = ident(&field.setter_name);
    match &field.ty {
        TypeRef::String | TypeRef::Named(TypePath { is_enum: true, .. }) => {
            let ty = type_tokens(&field.ty, here);
            quote! {
                #doc
                pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                    self.#rust = Some(value.into());
                    self
                }
            }
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, here);
            quote! {
                #doc
                pub fn #setter(mut self, value: impl Into<#inner>) -> Self {
                    self.#rust = Some(Box::new(value.into()));
                    self
                }
            }
        }
        TypeRef::Bytes => quote! {
            #doc
            pub fn #setter(mut self, value: impl Into<Vec<u8>>) -> Self {
                self.#rust = Some(value.into());
                self
            }
        },
        TypeRef::List(item) => {
            let item = type_tokens(item, here);
            quote! {
                #doc
                pub fn #setter<I>(mut self, values: I) -> Self
                where
                    I: IntoIterator,
                    I::Item: Into<#item>,
                {
                    self.#rust = Some(values.into_iter().map(Into::into).collect());
                    self
                }
            }
        }
        other => {
            let ty = type_tokens(other, here);
            quote! {
                #doc
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#rust = Some(value);
                    self
                }
            }
        }
    }
}

fn struct_flatten(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let puts = def.fields.iter().map(|field| {
        let rust = ident(&field.rust_name);
        let member = format!("{{key}}.{}", field.wire_name);
        quote!(params.put(&format!(#member), &self.#rust);)
    });
    let params = if def.fields.is_empty() {
        quote!(_params)
    } else {
        quote!(params)
    };
    let key = if def.fields.is_empty() {
        quote!(_key)
    } else {
        quote!(key)
    };
    quote! {
        impl acs_runtime::QueryParam for #name {
            fn flatten(&self, #key: &str, #params: &mut acs_runtime::Params) {
                #(#puts)*
            }
        }
    }
}

/// A string enum: one variant per documented value, a catch-all keeping any other value,
/// `as_str`, `From<&str>`, JSON and query encoding.
pub fn enum_def(def: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let catch_all = ident(&def.catch_all);
    let mut doc = Doc::new();
    match &def.description {
        Some(description) => doc.text(description),
        None => doc.line(format!("Values of {}.", code(&def.wire_name))),
    };
    doc.paragraph().line("Documented values:").paragraph();
    for variant in &def.variants {
        let meaning = super::docs::colon_suffix(variant.description.as_deref());
        doc.line(format!("- {}{meaning}", code(&variant.wire_value)));
    }
    doc.paragraph().line(format!(
        "Any other value the service sends is kept as [`{}::{}`]; use [`{}::from`] to build a value from text.",
        def.name, def.catch_all, def.name
    ));
    let doc = doc.outer();
    let variants = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let mut variant_doc = Doc::new();
        variant_doc.line(code(&v.wire_value));
        if let Some(description) = &v.description {
            variant_doc.line(String::new()).text(description);
        }
        let variant_doc = variant_doc.outer();
        quote!(#variant_doc #variant,)
    });
    let as_str_arms = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(Self::#variant => #wire,)
    });
    let from_arms = def.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(#wire => Self::#variant,)
    });
    let values = def.variants.iter().map(|v| &v.wire_value);
    let catch_all_doc =
        " A value this version of the SDK does not document, kept as the service sent it.";
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #catch_all_doc]
            #catch_all(String),
        }

        impl #name {
            /// Every documented value, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::#catch_all(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::#catch_all(other.to_owned()),
                }
            }
        }

        acs_runtime::string_enum!(#name);
    }
}

/// A union (`oneOf` / `anyOf`): a variant per part and a catch-all keeping a value that fits
/// none; decoded by its discriminator member, or by trying the variants in order; encoded as
/// the value it holds.
pub fn union_def(def: &UnionDef, here: Here<'_>) -> TokenStream {
    let name = ident(&def.name);
    let catch_all = ident(&def.catch_all);
    let mut doc = Doc::new();
    match &def.description {
        Some(description) => doc.text(description),
        None => doc.line(format!(
            "One of several kinds of {} value.",
            code(&def.wire_name)
        )),
    };
    doc.paragraph();
    match &def.discriminator {
        Some(member) => {
            doc.line(format!(
                "Which kind a value is, its {} member says (`{}` with a `discriminator`):",
                code(member),
                def.keyword
            ))
            .paragraph();
            for variant in &def.variants {
                let tags: Vec<String> = variant.tags.iter().map(|t| code(t)).collect();
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
        "A value that is none of them is kept as [`{}::{}`]. A value is sent as the variant's value itself.",
        def.name, def.catch_all
    ));
    let doc = doc.outer();
    let variants = def.variants.iter().map(|variant| {
        let rust = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty, here);
        let variant_doc = variant_doc(def, variant).outer();
        quote!(#variant_doc #rust(#ty),)
    });
    let catch_all_doc = " A value none of the variants fits, kept as the service sent it.";
    let decode = union_decode(def, here);
    let conversions = union_conversions(def, here);
    let flatten = def.input.then(|| union_flatten(def));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #[doc = #catch_all_doc]
            #catch_all(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                #decode
            }
        }

        #conversions
        #flatten
    }
}

/// A union variant's rustdoc: the part's description, or the schema it refers to; with a
/// discriminator, the values that select it.
fn variant_doc(def: &UnionDef, variant: &UnionVariant) -> Doc {
    let mut doc = Doc::new();
    match (&variant.description, &variant.schema_name) {
        (Some(description), _) => doc.text(description),
        (None, Some(schema)) => doc.line(format!("A {} value.", code(schema))),
        (None, None) => doc.line(format!("A value of the `{}` kind.", variant.rust_name)),
    };
    if let Some(member) = &def.discriminator {
        let tags: Vec<String> = variant.tags.iter().map(|t| code(t)).collect();
        doc.paragraph().line(format!(
            "Its {} member is {}.",
            code(member),
            tags.join(" or ")
        ));
    }
    doc
}

/// The body of a union's `deserialize`, `value` holding the JSON value: by the
/// discriminator's value, or the variants in the order the runtime ranks them.
fn union_decode(def: &UnionDef, here: Here<'_>) -> TokenStream {
    let catch_all = ident(&def.catch_all);
    let read = |variant: &UnionVariant| {
        let rust = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty, here);
        quote!(<#ty as serde::Deserialize>::deserialize(&value).map(Self::#rust))
    };
    if let Some(member) = &def.discriminator {
        let arms = def.variants.iter().map(|variant| {
            let tags = &variant.tags;
            let read = read(variant);
            quote!(Some(#(#tags)|*) => #read,)
        });
        return quote! {
            let decoded = match value.get(#member).and_then(serde_json::Value::as_str) {
                #(#arms)*
                _ => return Ok(Self::#catch_all(value)),
            };
            decoded.map_err(serde::de::Error::custom)
        };
    }
    let shapes = def.variants.iter().map(|variant| match &variant.shape {
        Some(shape) => {
            let required = &shape.required;
            let members = &shape.members;
            let open = shape.open;
            quote! {
                acs_runtime::Shape::Object {
                    required: &[#(#required),*],
                    members: &[#(#members),*],
                    open: #open,
                }
            }
        }
        None => quote!(acs_runtime::Shape::Any),
    });
    let arms = def.variants.iter().enumerate().map(|(index, variant)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let read = read(variant);
        quote!(#index => #read,)
    });
    quote! {
        const SHAPES: &[acs_runtime::Shape] = &[#(#shapes),*];
        for variant in acs_runtime::Shape::candidates(&value, SHAPES) {
            let decoded = match variant {
                #(#arms)*
                _ => continue,
            };
            if let Ok(decoded) = decoded {
                return Ok(decoded);
            }
        }
        Ok(Self::#catch_all(value))
    }
}

/// `From` each variant's type, for the types only one variant holds (a boxed variant from
/// the type it boxes).
fn union_conversions(def: &UnionDef, here: Here<'_>) -> TokenStream {
    let name = ident(&def.name);
    let unboxed = |ty: &TypeRef| match ty {
        TypeRef::Boxed(inner) => (inner.as_ref().clone(), true),
        other => (other.clone(), false),
    };
    let types: Vec<TypeRef> = def.variants.iter().map(|v| unboxed(&v.ty).0).collect();
    let impls = def.variants.iter().filter_map(|variant| {
        let (ty, boxed) = unboxed(&variant.ty);
        if ty == TypeRef::Any || types.iter().filter(|t| **t == ty).count() > 1 {
            return None;
        }
        let rust = ident(&variant.rust_name);
        let ty = type_tokens(&ty, here);
        let value = if boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        Some(quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#rust(#value)
                }
            }
        })
    });
    quote!(#(#impls)*)
}

/// Query flattening of a union sent in requests: that of the value it holds.
fn union_flatten(def: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let variants: Vec<TokenStream> = def
        .variants
        .iter()
        .map(|v| {
            let rust = ident(&v.rust_name);
            quote!(Self::#rust(value))
        })
        .chain([{
            let catch_all = ident(&def.catch_all);
            quote!(Self::#catch_all(value))
        }])
        .collect();
    quote! {
        impl acs_runtime::QueryParam for #name {
            fn flatten(&self, key: &str, params: &mut acs_runtime::Params) {
                match self {
                    #(#variants => acs_runtime::QueryParam::flatten(value, key, params),)*
                }
            }

            fn to_scalar(&self) -> Option<String> {
                match self {
                    #(#variants => acs_runtime::QueryParam::to_scalar(value),)*
                }
            }
        }
    }
}
