//! Rust source written as text, line by line, in the layout rustfmt gives it (default
//! configuration). Going straight to text, rather than through tokens, a parser and a
//! pretty-printer, is what keeps generation fast; the layout rules generated code needs are
//! the few below, and a test runs rustfmt over the generated crates to hold them to it.

use super::docs::Doc;

/// rustfmt's `max_width`.
pub const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`: the longest argument list kept on the call's line.
pub const FN_CALL_WIDTH: usize = 60;
/// How many nested one-argument calls rustfmt keeps on the line of the call they are the
/// argument of.
const OVERFLOW_DEPTH: usize = 2;
/// rustfmt's `struct_lit_width`: the longest field list of a struct literal on one line.
pub const STRUCT_LIT_WIDTH: usize = 18;
/// rustfmt's `array_width`: the longest array literal kept on one line.
pub const ARRAY_WIDTH: usize = 60;
/// rustfmt's `chain_width`: the longest method chain kept on one line.
pub const CHAIN_WIDTH: usize = 60;
/// rustfmt's `attr_fn_like_width`: the longest argument list of an attribute on one line.
const ATTR_FN_LIKE_WIDTH: usize = 70;
/// rustfmt's `short_array_element_width_threshold`: arrays of items this short are packed.
const SHORT_ITEM_WIDTH: usize = 10;

const INDENT: usize = 4;

/// A Rust file being written.
#[derive(Default)]
pub struct Code {
    text: String,
    indent: usize,
}

impl Code {
    /// An empty file.
    pub fn new() -> Self {
        Code {
            text: String::with_capacity(16 * 1024),
            indent: 0,
        }
    }

    /// The text written so far.
    pub fn finish(self) -> String {
        self.text
    }

    /// The column the next line starts at.
    pub fn column(&self) -> usize {
        self.indent * INDENT
    }

    /// Whether `line` fits on one line at the current indentation.
    pub fn fits(&self, line: &str) -> bool {
        self.column() + width(line) <= MAX_WIDTH
    }

    /// Writes one line at the current indentation (an empty `line` writes an empty line).
    pub fn line(&mut self, line: &str) {
        if !line.is_empty() {
            for _ in 0..self.indent {
                self.text.push_str("    ");
            }
            self.text.push_str(line);
        }
        self.text.push('\n');
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.text.push('\n');
    }

    /// Writes `line` (which opens a block) and indents what follows.
    pub fn open(&mut self, line: &str) {
        self.line(line);
        self.indent += 1;
    }

    /// Opens `impl {trait_} for {ty} {`; too long for one line, `for {ty}` goes on the next
    /// line and the brace on its own.
    pub fn open_impl(&mut self, trait_: &str, ty: &str) {
        let line = format!("{trait_} for {ty} {{");
        if self.fits(&line) {
            self.open(&line);
        } else {
            self.line(trait_);
            self.indent();
            self.line(&format!("for {ty}"));
            self.dedent();
            self.open("{");
        }
    }

    /// Ends the indentation [`Code::open`] started and writes `line` (which closes the block).
    pub fn close(&mut self, line: &str) {
        self.indent = self.indent.saturating_sub(1);
        self.line(line);
    }

    /// Indents the lines that follow by one level more, as the body of a construct split over
    /// lines (`where` bounds, a long right-hand side).
    pub fn indent(&mut self) {
        self.indent += 1;
    }

    /// Ends an [`Code::indent`].
    pub fn dedent(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }

    /// Outer doc comments (`///`).
    pub fn doc(&mut self, doc: &Doc) {
        for line in doc.lines() {
            self.doc_line("///", line);
        }
    }

    /// Inner doc comments (`//!`).
    pub fn inner_doc(&mut self, doc: &Doc) {
        for line in doc.lines() {
            self.doc_line("//!", line);
        }
    }

    /// One `///` line of text written by the generator itself.
    pub fn doc_text(&mut self, text: &str) {
        self.doc_line("///", text);
    }

    /// One doc comment line per line of `text`: a line break in it never ends the comment.
    fn doc_line(&mut self, marker: &str, text: &str) {
        for line in text.split(['\n', '\r']) {
            for _ in 0..self.indent {
                self.text.push_str("    ");
            }
            self.text.push_str(marker);
            let line = line.trim_end();
            if !line.is_empty() {
                self.text.push(' ');
                self.text.push_str(line);
            }
            self.text.push('\n');
        }
    }

    /// A call whose arguments go on its line when they fit rustfmt's widths, else one per
    /// line: `head(args)tail`, where `head` ends before the parenthesis (`let x = f`, `f`) and
    /// `tail` follows it (`?;`, `,`). A `let` whose call does not fit moves the call to the
    /// next line when it fits there whole.
    pub fn call(&mut self, head: &str, args: &[String], tail: &str) {
        let joined = args.join(", ");
        let one_line = format!("{head}({joined}){tail}");
        // rustfmt keeps two more columns free on the line of a method call ending in `?`.
        let callee = head.split_once(" = ").map_or(head, |(_, callee)| callee);
        let try_width = 2 * usize::from(tail.starts_with('?') && callee.contains('.'));
        if width(&joined) <= FN_CALL_WIDTH
            && self.column() + width(&one_line) + try_width <= MAX_WIDTH
        {
            self.line(&one_line);
            return;
        }
        if width(&joined) <= FN_CALL_WIDTH && self.after_binding(&one_line) {
            return;
        }
        // Macro arguments get no trailing comma.
        let is_macro = head.ends_with('!');
        self.open(&format!("{head}("));
        for (i, arg) in args.iter().enumerate() {
            if is_macro && i + 1 == args.len() {
                self.line(arg);
            } else {
                self.line(&format!("{arg},"));
            }
        }
        self.close(&format!("){tail}"));
    }
}

impl Code {
    /// A method call on a path of fields, `root.field.method(args)tail`, kept on one line
    /// when it fits (within rustfmt's `chain_width` when there is more than the method after
    /// the root), else one link of the chain per line.
    pub fn method_call(&mut self, receiver: &str, method: &str, args: &[String], tail: &str) {
        let joined = args.join(", ");
        let links = receiver.matches('.').count() + 1;
        let chain = format!("{receiver}.{method}({joined})");
        let chain_fits = links == 1 || width(&chain) <= CHAIN_WIDTH;
        if chain_fits && width(&joined) <= FN_CALL_WIDTH && self.fits(&format!("{chain}{tail}")) {
            self.line(&format!("{chain}{tail}"));
            return;
        }
        // Arguments too wide for one line are split whatever the chain does, and the chain
        // then stays on the call's line.
        if links == 1 || width(&joined) > FN_CALL_WIDTH {
            self.call(&format!("{receiver}.{method}"), args, tail);
            return;
        }
        let mut parts = receiver.split('.');
        self.line(parts.next().unwrap_or_default());
        self.indent();
        for part in parts {
            self.line(&format!(".{part}"));
        }
        self.call(&format!(".{method}"), args, tail);
        self.dedent();
    }
}

impl Code {
    /// Writes `let x = value` as `let x =` and `value` on the next line, indented, when
    /// `line` is a binding and its value fits there; says whether it did.
    fn after_binding(&mut self, line: &str) -> bool {
        let Some((binding, value)) = line.split_once(" = ") else {
            return false;
        };
        if self.column() + INDENT + width(value) > MAX_WIDTH {
            return false;
        }
        self.line(&format!("{binding} ="));
        self.indent();
        self.line(value);
        self.dedent();
        true
    }

    /// Opens a function whose signature is `signature` (ending in `{`), its parameters on
    /// lines of their own when it does not fit.
    pub fn signature(&mut self, signature: &str) {
        if self.fits(signature) {
            self.open(signature);
            return;
        }
        let (head, rest) = signature.split_once('(').unwrap_or((signature, ""));
        let (params, tail) = rest.rsplit_once(')').unwrap_or((rest, ""));
        self.open(&format!("{head}("));
        for param in split_params(params) {
            self.line(&format!("{param},"));
        }
        self.dedent();
        let close = format!("){tail}");
        let Some(head) = close.strip_suffix(" {") else {
            self.open(&close);
            return;
        };
        // rustfmt keeps two columns free on the line that ends with the body's `{`.
        if self.fits(&format!("{close}  ")) {
            self.open(&close);
        } else if self.fits(head) {
            self.line(head);
            self.open("{");
        } else if let Some(generics) = head
            .strip_prefix(") -> Result<")
            .and_then(|g| g.strip_suffix('>'))
        {
            // A return type too long even alone: its generic arguments one per line.
            self.open(") -> Result<");
            for arg in split_params(generics) {
                self.generic_arg(arg);
            }
            self.dedent();
            self.open("> {");
        } else {
            self.line(head);
            self.open("{");
        }
    }

    /// One generic argument on a line of its own, its own arguments split when it is too
    /// long.
    fn generic_arg(&mut self, arg: &str) {
        let line = format!("{arg},");
        match arg.split_once('<') {
            Some((outer, inner)) if !self.fits(&line) && inner.ends_with('>') => {
                self.open(&format!("{outer}<"));
                for inner_arg in split_params(&inner[..inner.len() - 1]) {
                    self.generic_arg(inner_arg);
                }
                self.close(">,");
            }
            _ => self.line(&line),
        }
    }

    /// An array literal `head[items]tail` of text items: see [`Code::array_of`].
    pub fn array(&mut self, head: &str, items: &[String], tail: &str) {
        let items: Vec<Expr> = items.iter().map(|item| Expr::Atom(item.clone())).collect();
        self.array_of(head, &items, tail);
    }

    /// An array literal `head[items]tail`: on one line when it fits rustfmt's `array_width`,
    /// else on the next line after a binding's `=`, else one item per line (several per line
    /// when every item is short, as rustfmt packs them), each split as rustfmt splits it.
    pub fn array_of(&mut self, head: &str, items: &[Expr], tail: &str) {
        let flat: Vec<String> = items.iter().map(Expr::flat).collect();
        let joined = flat.join(", ");
        let one_line = format!("{head}[{joined}]{tail}");
        if width(&joined) <= ARRAY_WIDTH {
            if self.fits(&one_line) {
                self.line(&one_line);
                return;
            }
            if self.after_binding(&one_line) {
                return;
            }
        }
        // A lone struct keeps its opening on the array's line.
        if let [item @ Expr::Struct(..)] = items {
            self.expr(&format!("{head}["), item, &format!("]{tail}"));
            return;
        }
        self.open(&format!("{head}["));
        if flat.iter().all(|item| width(item) <= SHORT_ITEM_WIDTH) {
            let mut row = String::new();
            for item in &flat {
                let candidate = if row.is_empty() {
                    format!("{item},")
                } else {
                    format!("{row} {item},")
                };
                if self.fits(&candidate) {
                    row = candidate;
                } else {
                    self.line(&row);
                    row = format!("{item},");
                }
            }
            self.line(&row);
        } else {
            for item in items {
                self.expr("", item, ",");
            }
        }
        // A method called on the array goes on the line after it.
        if tail.starts_with('.') {
            self.close("]");
            self.line(tail);
        } else {
            self.close(&format!("]{tail}"));
        }
    }

    /// An attribute whose argument list is `items` between `open` and `close` (`#[cfg_attr(`
    /// and `)]`): on one line when the list is within rustfmt's `attr_fn_like_width`, else
    /// one item per line, without a trailing comma.
    pub fn attribute(&mut self, open: &str, items: &[String], close: &str) {
        let joined = items.join(", ");
        let line = format!("{open}{joined}{close}");
        if width(&joined) <= ATTR_FN_LIKE_WIDTH && self.fits(&line) {
            self.line(&line);
            return;
        }
        self.open(open);
        for (i, item) in items.iter().enumerate() {
            let comma = if i + 1 < items.len() { "," } else { "" };
            self.line(&format!("{item}{comma}"));
        }
        self.close(close);
    }
}

/// Splits a parameter list at its top-level commas.
fn split_params(params: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in params.char_indices() {
        match ch {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(params[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = params[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// An expression whose layout depends on its width: calls and struct literals, which rustfmt
/// keeps on one line when they fit its widths and otherwise splits.
pub enum Expr {
    /// Text that is never split (a path, a literal, a short call).
    Atom(String),
    /// `callee(args)`.
    Call(String, Vec<Expr>),
    /// `Name { field: value, .. }`; a field whose value is the same name is written
    /// shorthand.
    Struct(String, Vec<(String, Expr)>),
    /// `expr?`.
    Try(Box<Expr>),
}

impl Expr {
    /// The expression on one line.
    pub fn flat(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call(callee, args) => format!("{callee}({})", flat_args(args)),
            Expr::Struct(name, fields) => format!("{name} {{ {} }}", flat_fields(fields)),
            Expr::Try(inner) => format!("{}?", inner.flat()),
        }
    }

    /// Whether rustfmt's widths let the expression stay on one line.
    fn within_widths(&self) -> bool {
        match self {
            Expr::Atom(_) => true,
            Expr::Call(_, args) => {
                width(&flat_args(args)) <= FN_CALL_WIDTH && args.iter().all(Expr::within_widths)
            }
            Expr::Struct(_, fields) => {
                width(&flat_fields(fields)) <= STRUCT_LIT_WIDTH
                    && fields.iter().all(|(_, value)| value.within_widths())
            }
            Expr::Try(inner) => inner.within_widths(),
        }
    }
}

fn flat_args(args: &[Expr]) -> String {
    args.iter().map(Expr::flat).collect::<Vec<_>>().join(", ")
}

fn flat_fields(fields: &[(String, Expr)]) -> String {
    fields
        .iter()
        .map(|(name, value)| match value {
            Expr::Atom(text) if text == name => name.clone(),
            value => format!("{name}: {}", value.flat()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Code {
    /// Writes `prefix expr suffix`: on one line when it fits, else split as rustfmt splits it
    /// (the single call or struct argument of a call stays on the call's line).
    pub fn expr(&mut self, prefix: &str, expr: &Expr, suffix: &str) {
        let flat = format!("{prefix}{}{suffix}", expr.flat());
        if expr.within_widths() && self.fits(&flat) {
            self.line(&flat);
        } else {
            self.split_expr(prefix, expr, suffix, OVERFLOW_DEPTH);
        }
    }

    /// A match arm whose value is text that is never split: see [`Code::arm_expr`].
    pub fn arm(&mut self, pattern: &str, value: &str) {
        self.arm_expr(pattern, &Expr::Atom(value.to_owned()));
    }

    /// A match arm `pattern => expr,`: on one line, in a block when the expression fits on a
    /// line of its own, else split on the arm's line.
    pub fn arm_expr(&mut self, pattern: &str, expr: &Expr) {
        let flat = expr.flat();
        if expr.within_widths() && self.fits(&format!("{pattern} => {flat},")) {
            self.line(&format!("{pattern} => {flat},"));
        } else if expr.within_widths() && self.column() + INDENT + width(&flat) <= MAX_WIDTH {
            self.open(&format!("{pattern} => {{"));
            self.line(&flat);
            self.close("}");
        } else {
            self.split_expr(&format!("{pattern} => "), expr, ",", OVERFLOW_DEPTH);
        }
    }

    /// Splits `expr`. A call whose one argument cannot stay on a line of its own keeps that
    /// argument's opening on its line ("overflows" it, when `overflow` allows), as rustfmt
    /// does; the argument may overflow in turn when its own opening is within
    /// `fn_call_width`.
    fn split_expr(&mut self, prefix: &str, expr: &Expr, suffix: &str, overflow: usize) {
        match expr {
            Expr::Atom(text) => self.line(&format!("{prefix}{text}{suffix}")),
            Expr::Call(callee, args) => {
                if let [arg @ (Expr::Call(..) | Expr::Struct(..) | Expr::Try(..))] = args.as_slice()
                {
                    if overflow > 0 {
                        // rustfmt lets the argument overflow in turn when its opening is
                        // within `fn_call_width`, two levels deep at most.
                        let nested = if width(&arg.opening()) <= FN_CALL_WIDTH {
                            overflow - 1
                        } else {
                            0
                        };
                        let prefix = format!("{prefix}{callee}(");
                        self.split_expr(&prefix, arg, &format!("){suffix}"), nested);
                        return;
                    }
                }
                self.open(&format!("{prefix}{callee}("));
                for arg in args {
                    self.expr("", arg, ",");
                }
                self.close(&format!("){suffix}"));
            }
            Expr::Struct(name, fields) => {
                self.open(&format!("{prefix}{name} {{"));
                for (field, value) in fields {
                    match value {
                        Expr::Atom(text) if text == field => self.line(&format!("{field},")),
                        value => self.expr(&format!("{field}: "), value, ","),
                    }
                }
                self.close(&format!("}}{suffix}"));
            }
            Expr::Try(inner) => self.split_expr(prefix, inner, &format!("?{suffix}"), overflow),
        }
    }
}

impl Expr {
    /// The opening of the expression when it is split with its one argument overflowed:
    /// `f(Name {`, `f(g(`.
    fn opening(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call(callee, args) => match args.as_slice() {
                [arg @ (Expr::Struct(..) | Expr::Call(..) | Expr::Try(..))] => {
                    format!("{callee}({}", arg.head())
                }
                _ => format!("{callee}("),
            },
            Expr::Struct(name, _) => format!("{name} {{"),
            Expr::Try(inner) => inner.opening(),
        }
    }

    /// The first line of the expression split: `f(`, `Name {`.
    fn head(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call(callee, _) => format!("{callee}("),
            Expr::Struct(name, _) => format!("{name} {{"),
            Expr::Try(inner) => inner.head(),
        }
    }
}

/// The width of `text` in columns (characters).
pub fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// A Rust string literal holding `value`, escaped as `quote!` escapes one.
pub fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\'' => out.push(c),
            '\0' => out.push_str("\\0"),
            c => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
    out
}

/// A Rust character literal holding `value`.
pub fn char_literal(value: char) -> String {
    match value {
        '\'' => "'\\''".to_owned(),
        '\\' => "'\\\\'".to_owned(),
        c => format!("'{}'", c.escape_debug()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_break_as_rustfmt_breaks_them() {
        let mut code = Code::new();
        code.open("fn f() {");
        code.open("{");
        code.call("let x = g", &["a".to_owned(), "b".to_owned()], ";");
        code.call(
            "let mut members = acs_runtime::model::Members::read",
            &[
                "deserializer".to_owned(),
                "\"DescribeThing0000Response\"".to_owned(),
            ],
            "?;",
        );
        code.call("h", &["x".repeat(50), "y".repeat(20)], ";");
        code.close("}");
        code.close("}");
        assert_eq!(
            code.finish(),
            format!(
                "fn f() {{\n    {{\n        let x = g(a, b);\n        let mut members =\n            acs_runtime::model::Members::read(deserializer, \"DescribeThing0000Response\")?;\n        h(\n            {},\n            {},\n        );\n    }}\n}}\n",
                "x".repeat(50),
                "y".repeat(20)
            )
        );
    }

    #[test]
    fn a_line_break_in_doc_text_stays_inside_the_comment() {
        let mut code = Code::new();
        code.doc_text("first\n}\nfn injected() {}\r#[doc = 1]");
        assert_eq!(
            code.finish(),
            "/// first\n/// }\n/// fn injected() {}\n/// #[doc = 1]\n"
        );
    }

    #[test]
    fn literals_are_escaped() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(char_literal('|'), "'|'");
        assert_eq!(char_literal('\''), "'\\''");
    }
}
