//! One difference between two versions of an API, and what it means for code that uses the
//! generated crate.

/// What a change means for code written against the old generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Code that uses the item no longer compiles.
    Breaking,
    /// Code still compiles, but calls that worked can now fail: a new required parameter,
    /// a tighter limit on a value.
    Runtime,
    /// Code that uses the crate keeps compiling and working.
    Compatible,
}

impl Verdict {
    /// The name used in reports and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Breaking => "breaking",
            Verdict::Runtime => "runtime",
            Verdict::Compatible => "compatible",
        }
    }

    /// Whether `--fail-on-breaking` fails on it.
    pub fn breaks_users(self) -> bool {
        self != Verdict::Compatible
    }
}

/// What changed. The JSON name is the snake-case name ([`Kind::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A whole product version (crate) appears.
    CrateAdded,
    /// A whole product version (crate) disappears.
    CrateRemoved,
    /// An operation appears.
    OperationAdded,
    /// An operation disappears.
    OperationRemoved,
    /// An operation is still in the API, but acsgen cannot generate its new version, so the
    /// generated crate loses it.
    OperationNotGenerated,
    /// An operation is marked deprecated, or no longer is.
    OperationDeprecated,
    /// The HTTP method, path or protocol an operation is sent with changes.
    OperationBindingChanged,
    /// A request parameter appears.
    ParameterAdded,
    /// A request parameter disappears.
    ParameterRemoved,
    /// A request parameter keeps its Rust name but has another name on the wire.
    ParameterRenamed,
    /// A request parameter becomes required.
    ParameterMadeRequired,
    /// A request parameter becomes optional.
    ParameterMadeOptional,
    /// A request parameter has another type.
    ParameterRetyped,
    /// A request parameter is sent in another place (query, body, path, header...).
    ParameterMoved,
    /// A request parameter is serialized in another style (flat, JSON, repeat list...).
    ParameterRestyled,
    /// A request parameter, response field or struct member is marked deprecated, or no
    /// longer is.
    FieldDeprecated,
    /// A validation keyword (`maxLength`, `maximum`, `pattern`...) of a value changes.
    ConstraintChanged,
    /// A field of a successful response appears.
    ResponseFieldAdded,
    /// A field of a successful response disappears.
    ResponseFieldRemoved,
    /// A field of a successful response has another type.
    ResponseFieldRetyped,
    /// A member of a generated struct appears.
    MemberAdded,
    /// A member of a generated struct disappears.
    MemberRemoved,
    /// A member of a generated struct has another type.
    MemberRetyped,
    /// A member of a generated struct becomes required or optional.
    MemberRequirementChanged,
    /// A generated struct or enum appears.
    TypeAdded,
    /// A generated struct or enum disappears.
    TypeRemoved,
    /// A documented enum value appears.
    EnumValueAdded,
    /// A documented enum value disappears.
    EnumValueRemoved,
    /// A documented error code appears.
    ErrorCodeAdded,
    /// A documented error code disappears.
    ErrorCodeRemoved,
    /// A documented error code is answered with another HTTP status.
    ErrorStatusChanged,
    /// Where the product is reached changes: its endpoint rule, a region's host, its VPC
    /// host. Not an API change; reported apart.
    EndpointChanged,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: &'static [Kind] = &[
        Kind::CrateAdded,
        Kind::CrateRemoved,
        Kind::OperationAdded,
        Kind::OperationRemoved,
        Kind::OperationNotGenerated,
        Kind::OperationDeprecated,
        Kind::OperationBindingChanged,
        Kind::ParameterAdded,
        Kind::ParameterRemoved,
        Kind::ParameterRenamed,
        Kind::ParameterMadeRequired,
        Kind::ParameterMadeOptional,
        Kind::ParameterRetyped,
        Kind::ParameterMoved,
        Kind::ParameterRestyled,
        Kind::FieldDeprecated,
        Kind::ConstraintChanged,
        Kind::ResponseFieldAdded,
        Kind::ResponseFieldRemoved,
        Kind::ResponseFieldRetyped,
        Kind::MemberAdded,
        Kind::MemberRemoved,
        Kind::MemberRetyped,
        Kind::MemberRequirementChanged,
        Kind::TypeAdded,
        Kind::TypeRemoved,
        Kind::EnumValueAdded,
        Kind::EnumValueRemoved,
        Kind::ErrorCodeAdded,
        Kind::ErrorCodeRemoved,
        Kind::ErrorStatusChanged,
        Kind::EndpointChanged,
    ];

    /// The snake-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CrateAdded => "crate_added",
            Kind::CrateRemoved => "crate_removed",
            Kind::OperationAdded => "operation_added",
            Kind::OperationRemoved => "operation_removed",
            Kind::OperationNotGenerated => "operation_not_generated",
            Kind::OperationDeprecated => "operation_deprecated",
            Kind::OperationBindingChanged => "operation_binding_changed",
            Kind::ParameterAdded => "parameter_added",
            Kind::ParameterRemoved => "parameter_removed",
            Kind::ParameterRenamed => "parameter_renamed",
            Kind::ParameterMadeRequired => "parameter_made_required",
            Kind::ParameterMadeOptional => "parameter_made_optional",
            Kind::ParameterRetyped => "parameter_retyped",
            Kind::ParameterMoved => "parameter_moved",
            Kind::ParameterRestyled => "parameter_restyled",
            Kind::FieldDeprecated => "field_deprecated",
            Kind::ConstraintChanged => "constraint_changed",
            Kind::ResponseFieldAdded => "response_field_added",
            Kind::ResponseFieldRemoved => "response_field_removed",
            Kind::ResponseFieldRetyped => "response_field_retyped",
            Kind::MemberAdded => "member_added",
            Kind::MemberRemoved => "member_removed",
            Kind::MemberRetyped => "member_retyped",
            Kind::MemberRequirementChanged => "member_requirement_changed",
            Kind::TypeAdded => "type_added",
            Kind::TypeRemoved => "type_removed",
            Kind::EnumValueAdded => "enum_value_added",
            Kind::EnumValueRemoved => "enum_value_removed",
            Kind::ErrorCodeAdded => "error_code_added",
            Kind::ErrorCodeRemoved => "error_code_removed",
            Kind::ErrorStatusChanged => "error_status_changed",
            Kind::EndpointChanged => "endpoint_changed",
        }
    }
}

/// One difference, located in the API and in the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The generated crate's library name, e.g. `acs_cms_20190101`.
    pub crate_name: String,
    /// The operation's wire name, when the change is within one (or is one).
    pub operation: Option<String>,
    /// What changed.
    pub kind: Kind,
    /// What changed on the wire, e.g. ``parameter `Lang` `` or ``error code `Throttling` ``.
    pub subject: String,
    /// The generated Rust item it touches, by path, e.g.
    /// `acs_cms_20190101::operation::put_contact::PutContactRequest`.
    pub item: String,
    /// The member of `item` it touches.
    pub member: Option<Member>,
    /// The value before, where one is meaningful (a type, a location, a limit).
    pub old: Option<String>,
    /// The value after.
    pub new: Option<String>,
    /// What it means for code that uses the crate.
    pub verdict: Verdict,
    /// Why, in one line.
    pub reason: String,
}

impl Change {
    /// The Rust item with its member, as the report prints it:
    /// ``acs_cms_20190101::operation::put_contact::PutContactRequest, field `lang` ``.
    pub fn target(&self) -> String {
        match &self.member {
            Some(member) => format!("{}, {} `{}`", self.item, member.kind, member.name),
            None => self.item.clone(),
        }
    }
}

/// A member of a generated item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// `field`, `variant` or `method`.
    pub kind: &'static str,
    /// Its Rust name.
    pub name: String,
}

impl Member {
    fn new(kind: &'static str, name: &str) -> Option<Member> {
        Some(Member {
            kind,
            name: name.to_owned(),
        })
    }

    /// A struct field.
    pub fn field(name: &str) -> Option<Member> {
        Self::new("field", name)
    }

    /// An enum variant.
    pub fn variant(name: &str) -> Option<Member> {
        Self::new("variant", name)
    }

    /// A method.
    pub fn method(name: &str) -> Option<Member> {
        Self::new("method", name)
    }
}
