//! Two lowered crates compared item by item. Items are matched by their identity in the
//! generated crate (operation by wire name, field by Rust name, type by path), so reordering
//! and reformatting a spec change nothing.
//!
//! The verdicts follow the generated API: request structs have public fields (`T` when
//! required, `Option<T>` when not) and a builder whose `build()` checks required fields;
//! response structs, struct members of shared types and error enums are
//! `#[non_exhaustive]`, response fields and struct members are always `Option<T>`, enums
//! have a catch-all variant.

use std::collections::BTreeMap;

use crate::binding::ParamStyle;
use crate::ir::{
    Crate, EnumDef, Field, Operation, StructDef, TypeDef, TypePath, TypeRef, UnionDef,
};

use super::change::{Change, Kind, Member, Verdict};

/// The changes from `old` to `new`, crates matched by library name, in report order.
pub fn compare_crates(old: &[Crate], new: &[Crate]) -> Vec<Change> {
    let old_by_name: BTreeMap<&str, &Crate> =
        old.iter().map(|c| (c.lib_name.as_str(), c)).collect();
    let new_by_name: BTreeMap<&str, &Crate> =
        new.iter().map(|c| (c.lib_name.as_str(), c)).collect();
    let mut changes = Vec::new();
    for (name, old_crate) in &old_by_name {
        match new_by_name.get(name) {
            Some(new_crate) => changes.extend(compare(old_crate, new_crate)),
            None => changes.push(Change {
                crate_name: (*name).to_owned(),
                operation: None,
                kind: Kind::CrateRemoved,
                subject: format!(
                    "{} API version {}",
                    old_crate.product, old_crate.api_version
                ),
                item: (*name).to_owned(),
                member: None,
                old: None,
                new: None,
                verdict: Verdict::Breaking,
                reason: "the crate is no longer generated".to_owned(),
            }),
        }
    }
    for (name, new_crate) in &new_by_name {
        if !old_by_name.contains_key(name) {
            changes.push(Change {
                crate_name: (*name).to_owned(),
                operation: None,
                kind: Kind::CrateAdded,
                subject: format!(
                    "{} API version {}",
                    new_crate.product, new_crate.api_version
                ),
                item: (*name).to_owned(),
                member: None,
                old: None,
                new: None,
                verdict: Verdict::Compatible,
                reason: "a new crate".to_owned(),
            });
        }
    }
    sort(&mut changes);
    changes
}

/// Sorts changes for reports: by crate, operation (crate-wide changes last), verdict
/// (breaking first), kind, item and member.
pub fn sort(changes: &mut [Change]) {
    changes.sort_by(|a, b| {
        let key = |c: &Change| {
            (
                c.crate_name.clone(),
                c.operation.is_none(),
                c.operation.clone(),
                c.verdict,
                c.kind,
                c.item.clone(),
                c.member.as_ref().map(|m| m.name.clone()),
                c.subject.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// The changes from one version of a crate to the next, in report order.
pub fn compare(old: &Crate, new: &Crate) -> Vec<Change> {
    let mut diff = Diff {
        krate: &new.lib_name,
        operation: None,
        changes: Vec::new(),
    };
    diff.endpoints(old, new);
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.wire_name.as_str(), o))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.wire_name.as_str(), o))
        .collect();
    for (name, old_op) in &old_ops {
        diff.operation = Some(name.to_string());
        match new_ops.get(name) {
            Some(new_op) => diff.operation_changes(old_op, new_op),
            None => diff.push(
                Kind::OperationRemoved,
                format!("operation `{name}`"),
                format!("{}::Client", diff.krate),
                Member::method(&old_op.method_name),
                None,
                None,
                Verdict::Breaking,
                format!(
                    "the client method and the module `operation::{}` are gone",
                    old_op.module_name
                ),
            ),
        }
    }
    for (name, new_op) in &new_ops {
        if !old_ops.contains_key(name) {
            diff.operation = Some(name.to_string());
            diff.push(
                Kind::OperationAdded,
                format!("operation `{name}`"),
                format!("{}::Client", diff.krate),
                Member::method(&new_op.method_name),
                None,
                None,
                Verdict::Compatible,
                "a new client method".to_owned(),
            );
        }
    }
    diff.operation = None;
    diff.types(&old.types, &new.types, None);
    sort(&mut diff.changes);
    diff.changes
}

/// The state of one comparison: where changes are found, and what was found.
struct Diff<'a> {
    krate: &'a str,
    operation: Option<String>,
    changes: Vec<Change>,
}

/// What a list of fields belongs to, which decides the verdicts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The request of an operation: public fields, `T` when required.
    Request,
    /// The successful response: every field `Option<T>`.
    Response,
    /// A generated struct; `input` when requests carry it (it has a builder).
    Struct { input: bool },
}

impl Diff<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: Kind,
        subject: String,
        item: String,
        member: Option<Member>,
        old: Option<String>,
        new: Option<String>,
        verdict: Verdict,
        reason: String,
    ) {
        self.changes.push(Change {
            crate_name: self.krate.to_owned(),
            operation: self.operation.clone(),
            kind,
            subject,
            item,
            member,
            old,
            new,
            verdict,
            reason,
        });
    }

    fn endpoints(&mut self, old: &Crate, new: &Crate) {
        let mut hosts = vec![
            (
                "endpoint rule".to_owned(),
                Some(old.endpoint.rule().to_owned()),
                Some(new.endpoint.rule().to_owned()),
            ),
            (
                "VPC endpoint".to_owned(),
                old.vpc_endpoint.clone(),
                new.vpc_endpoint.clone(),
            ),
        ];
        let (old_regions, new_regions) =
            (by_key(&old.region_endpoints), by_key(&new.region_endpoints));
        for region in union(&old_regions, &new_regions) {
            // A region without its own entry is reached through the rule.
            let host = |c: &Crate, own: &BTreeMap<&str, &str>| {
                own.get(region)
                    .map_or_else(|| c.endpoint.host_in(region), |h| (*h).to_owned())
            };
            hosts.push((
                format!("endpoint of region `{region}`"),
                Some(host(old, &old_regions)),
                Some(host(new, &new_regions)),
            ));
        }
        for (subject, before, after) in hosts {
            if before != after {
                let (verdict, reason) = match &after {
                    Some(_) => (
                        Verdict::Compatible,
                        "requests go to the new host; the Rust API is unchanged",
                    ),
                    None => (
                        Verdict::Runtime,
                        "`Network::Vpc` is refused with `ConfigError::NoVpcEndpoint`",
                    ),
                };
                self.push(
                    Kind::EndpointChanged,
                    subject,
                    format!("{}::SERVICE", self.krate),
                    None,
                    before,
                    after,
                    verdict,
                    reason.to_owned(),
                );
            }
        }
    }

    fn operation_changes(&mut self, old: &Operation, new: &Operation) {
        let module = format!("{}::operation::{}", self.krate, new.module_name);
        if old.method_name != new.method_name {
            self.push(
                Kind::OperationRemoved,
                format!("client method of `{}`", new.wire_name),
                format!("{}::Client", self.krate),
                Member::method(&old.method_name),
                Some(old.method_name.clone()),
                Some(new.method_name.clone()),
                Verdict::Breaking,
                format!("the method is now named `{}`", new.method_name),
            );
        }
        if old.docs.deprecated != new.docs.deprecated {
            let now = deprecation(new.docs.deprecated);
            self.push(
                Kind::OperationDeprecated,
                format!("operation `{}`", new.wire_name),
                format!("{}::Client", self.krate),
                Member::method(&new.method_name),
                None,
                Some(now.to_owned()),
                Verdict::Compatible,
                format!("the operation is {now}; calls still compile and are sent"),
            );
        }
        let binding = |op: &Operation| {
            format!(
                "{} {} {}",
                op.binding.protocol.name(),
                op.binding.method.key().to_ascii_uppercase(),
                op.binding.path_template()
            )
        };
        let (old_binding, new_binding) = (binding(old), binding(new));
        if old_binding != new_binding {
            self.push(
                Kind::OperationBindingChanged,
                format!("operation `{}`", new.wire_name),
                format!("{}::Client", self.krate),
                Member::method(&new.method_name),
                Some(old_binding),
                Some(new_binding),
                Verdict::Compatible,
                "the client sends it the new way; the Rust API is unchanged".to_owned(),
            );
        }
        let request = format!("{module}::{}", new.request_name);
        if old.request_name != new.request_name {
            self.push(
                Kind::TypeRemoved,
                format!("request of `{}`", new.wire_name),
                format!("{module}::{}", old.request_name),
                None,
                None,
                None,
                Verdict::Breaking,
                format!("the request type is now `{}`", new.request_name),
            );
        }
        self.fields(&old.params, &new.params, &request, Owner::Request);
        let response = format!("{module}::{}", new.response_name);
        self.fields(
            &old.response_fields,
            &new.response_fields,
            &response,
            Owner::Response,
        );
        self.errors(old, new, &format!("{module}::{}", new.error_name));
        self.types(&old.types, &new.types, Some(&module));
    }

    fn errors(&mut self, old: &Operation, new: &Operation, item: &str) {
        for case in &old.errors {
            match new.errors.iter().find(|c| c.code == case.code) {
                None => self.push(
                    Kind::ErrorCodeRemoved,
                    format!("error code `{}`", case.code),
                    item.to_owned(),
                    Member::variant(&case.variant_name),
                    None,
                    None,
                    Verdict::Breaking,
                    format!(
                        "the variant is gone; the code, if the service still answers it, is `{}`",
                        new.error_catch_all
                    ),
                ),
                Some(now) if now.http_status != case.http_status => self.push(
                    Kind::ErrorStatusChanged,
                    format!("error code `{}`", case.code),
                    item.to_owned(),
                    Member::variant(&now.variant_name),
                    Some(case.http_status.to_string()),
                    Some(now.http_status.to_string()),
                    Verdict::Compatible,
                    "only the documented HTTP status changes".to_owned(),
                ),
                Some(now) if now.variant_name != case.variant_name => self.push(
                    Kind::ErrorCodeRemoved,
                    format!("error code `{}`", case.code),
                    item.to_owned(),
                    Member::variant(&case.variant_name),
                    Some(case.variant_name.clone()),
                    Some(now.variant_name.clone()),
                    Verdict::Breaking,
                    format!("the variant is now named `{}`", now.variant_name),
                ),
                Some(_) => {}
            }
        }
        for case in &new.errors {
            if !old.errors.iter().any(|c| c.code == case.code) {
                self.push(
                    Kind::ErrorCodeAdded,
                    format!("error code `{}`", case.code),
                    item.to_owned(),
                    Member::variant(&case.variant_name),
                    None,
                    Some(case.http_status.to_string()),
                    Verdict::Compatible,
                    format!(
                        "a new variant of a #[non_exhaustive] enum; this code was `{}` before",
                        old.error_catch_all
                    ),
                );
            }
        }
    }

    /// Compares the fields of a request, response or struct, matched by Rust name; a field
    /// that keeps its Rust name under another wire name is a rename on the wire.
    fn fields(&mut self, old: &[Field], new: &[Field], item: &str, owner: Owner) {
        let (added, removed, retyped) = match owner {
            Owner::Request => (
                Kind::ParameterAdded,
                Kind::ParameterRemoved,
                Kind::ParameterRetyped,
            ),
            Owner::Response => (
                Kind::ResponseFieldAdded,
                Kind::ResponseFieldRemoved,
                Kind::ResponseFieldRetyped,
            ),
            Owner::Struct { .. } => (Kind::MemberAdded, Kind::MemberRemoved, Kind::MemberRetyped),
        };
        let noun = match owner {
            Owner::Request => "parameter",
            Owner::Response => "response field",
            Owner::Struct { .. } => "member",
        };
        for field in old {
            let subject = format!("{noun} `{}`", field.wire_name);
            let Some(now) = new.iter().find(|f| f.rust_name == field.rust_name) else {
                let reason = match owner {
                    Owner::Request => "the field and its builder method are gone",
                    Owner::Response => "the field is gone",
                    Owner::Struct { .. } => "the field and its builder method are gone",
                };
                self.push(
                    removed,
                    subject,
                    item.to_owned(),
                    Member::field(&field.rust_name),
                    Some(type_text(&field.ty)),
                    None,
                    Verdict::Breaking,
                    reason.to_owned(),
                );
                continue;
            };
            self.field_changes(field, now, item, owner, retyped, &subject);
        }
        for field in new {
            if old.iter().any(|f| f.rust_name == field.rust_name) {
                continue;
            }
            let subject = format!("{noun} `{}`", field.wire_name);
            let (verdict, reason) = match owner {
                Owner::Request if field.required => (
                    Verdict::Runtime,
                    "a required parameter: `build()` fails until it is set",
                ),
                Owner::Request => (
                    Verdict::Compatible,
                    "an optional parameter of a #[non_exhaustive] request built with a builder",
                ),
                Owner::Response => (
                    Verdict::Compatible,
                    "a new field of a #[non_exhaustive] response",
                ),
                Owner::Struct { input: true } if field.required => (
                    Verdict::Runtime,
                    "a required member: the struct's `build()` fails until it is set",
                ),
                Owner::Struct { .. } => (
                    Verdict::Compatible,
                    "a new optional field of a #[non_exhaustive] struct",
                ),
            };
            self.push(
                added,
                subject,
                item.to_owned(),
                Member::field(&field.rust_name),
                None,
                Some(type_text(&field.ty)),
                verdict,
                reason.to_owned(),
            );
        }
    }

    fn field_changes(
        &mut self,
        old: &Field,
        new: &Field,
        item: &str,
        owner: Owner,
        retyped: Kind,
        subject: &str,
    ) {
        let member = || Member::field(&new.rust_name);
        if old.wire_name != new.wire_name {
            self.push(
                Kind::ParameterRenamed,
                subject.to_owned(),
                item.to_owned(),
                member(),
                Some(old.wire_name.clone()),
                Some(new.wire_name.clone()),
                Verdict::Compatible,
                "the Rust name is the same; the client sends the new wire name".to_owned(),
            );
        }
        if old.ty != new.ty {
            self.push(
                retyped,
                subject.to_owned(),
                item.to_owned(),
                member(),
                Some(type_text(&old.ty)),
                Some(type_text(&new.ty)),
                Verdict::Breaking,
                "the field and its builder method take the new type".to_owned(),
            );
        }
        if old.required != new.required {
            let ty = type_text(&new.ty);
            match owner {
                Owner::Request => {
                    let (kind, before, after, reason) = if new.required {
                        (
                            Kind::ParameterMadeRequired,
                            format!("Option<{ty}>"),
                            ty.clone(),
                            "the field is no longer an `Option`, and `build()` fails until it is set",
                        )
                    } else {
                        (
                            Kind::ParameterMadeOptional,
                            ty.clone(),
                            format!("Option<{ty}>"),
                            "the field becomes an `Option`; the builder is unchanged",
                        )
                    };
                    self.push(
                        kind,
                        subject.to_owned(),
                        item.to_owned(),
                        member(),
                        Some(before),
                        Some(after),
                        Verdict::Breaking,
                        reason.to_owned(),
                    );
                }
                Owner::Struct { input } => {
                    let (verdict, reason) = if new.required && input {
                        (
                            Verdict::Runtime,
                            "the struct's `build()` fails until it is set; the field stays an `Option`",
                        )
                    } else {
                        (Verdict::Compatible, "the field stays an `Option`")
                    };
                    let now = if new.required { "required" } else { "optional" };
                    self.push(
                        Kind::MemberRequirementChanged,
                        subject.to_owned(),
                        item.to_owned(),
                        member(),
                        None,
                        Some(now.to_owned()),
                        verdict,
                        reason.to_owned(),
                    );
                }
                // Response fields are optional in Rust whatever the spec says.
                Owner::Response => {}
            }
        }
        if owner == Owner::Request && old.location != new.location {
            self.push(
                Kind::ParameterMoved,
                subject.to_owned(),
                item.to_owned(),
                member(),
                Some(old.location.spec_name().to_owned()),
                Some(new.location.spec_name().to_owned()),
                Verdict::Compatible,
                "the client sends it in its new place; the Rust API is unchanged".to_owned(),
            );
        }
        if owner == Owner::Request && old.style != new.style {
            self.push(
                Kind::ParameterRestyled,
                subject.to_owned(),
                item.to_owned(),
                member(),
                Some(style_name(old.style).to_owned()),
                Some(style_name(new.style).to_owned()),
                Verdict::Compatible,
                "the client writes it the new way; the Rust API is unchanged".to_owned(),
            );
        }
        if old.docs.deprecated != new.docs.deprecated {
            let now = deprecation(new.docs.deprecated);
            self.push(
                Kind::FieldDeprecated,
                subject.to_owned(),
                item.to_owned(),
                member(),
                None,
                Some(now.to_owned()),
                Verdict::Compatible,
                format!("the field is {now}"),
            );
        }
        if owner != Owner::Response {
            self.constraints(old, new, item, subject);
        }
    }

    /// Changed validation keywords of a value that requests carry.
    fn constraints(&mut self, old: &Field, new: &Field, item: &str, subject: &str) {
        let (old_set, new_set) = (by_key(&old.constraints), by_key(&new.constraints));
        let keywords = union(&old_set, &new_set);
        for keyword in keywords {
            let (before, after) = (old_set.get(keyword).copied(), new_set.get(keyword).copied());
            if before == after {
                continue;
            }
            let verdict = if tightens(keyword, before, after) {
                Verdict::Runtime
            } else {
                Verdict::Compatible
            };
            let reason = if verdict == Verdict::Runtime {
                format!("`{keyword}` is stricter: values the service accepted may now be rejected")
            } else {
                format!("`{keyword}` is looser: every value accepted before still is")
            };
            self.push(
                Kind::ConstraintChanged,
                format!("{subject}: `{keyword}`"),
                item.to_owned(),
                Member::field(&new.rust_name),
                before.map(str::to_owned),
                after.map(str::to_owned),
                verdict,
                reason,
            );
        }
    }

    /// Compares the generated types of a crate (`module` `None`) or of an operation module.
    fn types(&mut self, old: &[TypeDef], new: &[TypeDef], module: Option<&str>) {
        let base = module.map_or_else(|| format!("{}::types", self.krate), str::to_owned);
        for def in old {
            let item = format!("{base}::{}", def.name());
            match new.iter().find(|d| d.name() == def.name()) {
                None => self.push(
                    Kind::TypeRemoved,
                    format!("schema `{}`", wire_of(def)),
                    item,
                    None,
                    None,
                    None,
                    Verdict::Breaking,
                    "the type is gone".to_owned(),
                ),
                Some(now) => match (def, now) {
                    (TypeDef::Struct(a), TypeDef::Struct(b)) => self.struct_changes(a, b, &item),
                    (TypeDef::Enum(a), TypeDef::Enum(b)) => self.enum_changes(a, b, &item),
                    (TypeDef::Union(a), TypeDef::Union(b)) => self.union_changes(a, b, &item),
                    _ => self.push(
                        Kind::TypeRemoved,
                        format!("schema `{}`", wire_of(def)),
                        item,
                        None,
                        Some(kind_of(def).to_owned()),
                        Some(kind_of(now).to_owned()),
                        Verdict::Breaking,
                        format!("the {} is now a {}", kind_of(def), kind_of(now)),
                    ),
                },
            }
        }
        for def in new {
            if !old.iter().any(|d| d.name() == def.name()) {
                self.push(
                    Kind::TypeAdded,
                    format!("schema `{}`", wire_of(def)),
                    format!("{base}::{}", def.name()),
                    None,
                    None,
                    None,
                    Verdict::Compatible,
                    format!("a new {}", kind_of(def)),
                );
            }
        }
    }

    fn struct_changes(&mut self, old: &StructDef, new: &StructDef, item: &str) {
        self.fields(
            &old.fields,
            &new.fields,
            item,
            Owner::Struct {
                input: old.input && new.input,
            },
        );
    }

    fn enum_changes(&mut self, old: &EnumDef, new: &EnumDef, item: &str) {
        for variant in &old.variants {
            let now = new
                .variants
                .iter()
                .find(|v| v.wire_value == variant.wire_value);
            if now.is_none_or(|v| v.rust_name != variant.rust_name) {
                self.push(
                    Kind::EnumValueRemoved,
                    format!("value `{}` of `{}`", variant.wire_value, new.wire_name),
                    item.to_owned(),
                    Member::variant(&variant.rust_name),
                    None,
                    None,
                    Verdict::Breaking,
                    format!(
                        "the variant is gone; the value, if the service still sends it, is `{}`",
                        new.catch_all
                    ),
                );
            }
        }
        for variant in &new.variants {
            if !old
                .variants
                .iter()
                .any(|v| v.wire_value == variant.wire_value && v.rust_name == variant.rust_name)
            {
                self.push(
                    Kind::EnumValueAdded,
                    format!("value `{}` of `{}`", variant.wire_value, new.wire_name),
                    item.to_owned(),
                    Member::variant(&variant.rust_name),
                    None,
                    None,
                    Verdict::Compatible,
                    format!(
                        "a new variant of a #[non_exhaustive] enum; this value was `{}` before",
                        old.catch_all
                    ),
                );
            }
        }
    }
}

impl Diff<'_> {
    /// A union's variants: one gone or holding another type breaks code that names it; a new
    /// one is a new variant of a `#[non_exhaustive]` enum, but values that were decoded as
    /// another variant (or kept as the catch-all) may now be decoded as it.
    fn union_changes(&mut self, old: &UnionDef, new: &UnionDef, item: &str) {
        for variant in &old.variants {
            let now = new
                .variants
                .iter()
                .find(|v| v.rust_name == variant.rust_name);
            let (before, after) = (type_text(&variant.ty), now.map(|v| type_text(&v.ty)));
            if after.as_ref() == Some(&before) {
                continue;
            }
            let reason = match &after {
                None => format!(
                    "the variant is gone; such values are now another variant or `{}`",
                    new.catch_all
                ),
                Some(_) => "the variant holds another type".to_owned(),
            };
            self.push(
                Kind::EnumValueRemoved,
                format!("part `{}` of `{}`", variant.rust_name, new.wire_name),
                item.to_owned(),
                Member::variant(&variant.rust_name),
                Some(before),
                after,
                Verdict::Breaking,
                reason,
            );
        }
        for variant in &new.variants {
            if !old
                .variants
                .iter()
                .any(|v| v.rust_name == variant.rust_name)
            {
                self.push(
                    Kind::EnumValueAdded,
                    format!("part `{}` of `{}`", variant.rust_name, new.wire_name),
                    item.to_owned(),
                    Member::variant(&variant.rust_name),
                    None,
                    Some(type_text(&variant.ty)),
                    Verdict::Runtime,
                    format!(
                        "a new variant of a #[non_exhaustive] enum; values that were another variant or `{}` may now be this one",
                        old.catch_all
                    ),
                );
            }
        }
    }
}

/// Whether a validation keyword going from `before` to `after` can reject a value that was
/// accepted. A keyword added is stricter, one removed looser; a changed `pattern` may be
/// either and counts as stricter.
fn tightens(keyword: &str, before: Option<&str>, after: Option<&str>) -> bool {
    let (Some(before), Some(after)) = (before, after) else {
        return after.is_some();
    };
    let base = keyword.strip_prefix("items.").unwrap_or(keyword);
    let (Ok(before), Ok(after)) = (before.parse::<f64>(), after.parse::<f64>()) else {
        // `pattern`, `uniqueItems`, or numbers written oddly: a change may reject values.
        return !(base == "uniqueItems" && after == "false");
    };
    match base {
        "minimum" | "exclusiveMinimum" | "minLength" | "minItems" => after > before,
        "maximum" | "exclusiveMaximum" | "maxLength" | "maxItems" => after < before,
        // A new `multipleOf` accepts every value of the old only when it divides it.
        "multipleOf" => (before / after).fract() != 0.0,
        _ => true,
    }
}

/// A list of (key, value) pairs as a map, borrowed.
fn by_key(pairs: &[(String, String)]) -> BTreeMap<&str, &str> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The keys of either map, sorted, each once.
fn union<'a>(a: &BTreeMap<&'a str, &str>, b: &BTreeMap<&'a str, &str>) -> Vec<&'a str> {
    let keys: std::collections::BTreeSet<&'a str> = a.keys().chain(b.keys()).copied().collect();
    keys.into_iter().collect()
}

fn style_name(style: ParamStyle) -> &'static str {
    ParamStyle::DECLARED
        .iter()
        .find(|(_, s)| *s == style)
        .map_or("scalar", |(name, _)| name)
}

fn wire_of(def: &TypeDef) -> &str {
    match def {
        TypeDef::Struct(s) => &s.wire_name,
        TypeDef::Enum(e) => &e.wire_name,
        TypeDef::Union(u) => &u.wire_name,
    }
}

fn kind_of(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Struct(_) => "struct",
        TypeDef::Enum(_) => "enum",
        TypeDef::Union(_) => "union",
    }
}

/// A field type as the generated code spells it, without the `Option` of optional fields.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::List(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_text(inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_text(inner)),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::Named(TypePath {
            operation_module,
            name,
            ..
        }) => match operation_module {
            None => format!("types::{name}"),
            Some(module) => format!("operation::{module}::{name}"),
        },
    }
}

/// How a change of deprecation reads: `deprecated` or `no longer deprecated`.
fn deprecation(deprecated: bool) -> &'static str {
    if deprecated {
        "deprecated"
    } else {
        "no longer deprecated"
    }
}
