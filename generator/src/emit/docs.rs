//! Rustdoc from spec text. Spec text is data: it reaches the output only inside doc
//! comments, one line of it per `///` line (a line break in it starts a new comment line), and
//! is escaped so that nothing in it can open a code block (and so a doctest), an HTML tag, a
//! link, or a heading.

/// Builds doc lines; empty lines separate paragraphs.
#[derive(Default)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    /// A new, empty doc.
    pub fn new() -> Self {
        Doc::default()
    }

    /// Adds a line of Markdown written by the generator itself (trusted).
    pub fn line(&mut self, line: impl Into<String>) -> &mut Self {
        self.lines.push(line.into());
        self
    }

    /// Adds spec text as escaped paragraphs. Lists in it stay lists; a line of text right
    /// after a list item starts a new paragraph, so that it is not read as the item's lazy
    /// continuation (which clippy rejects).
    pub fn text(&mut self, text: &str) -> &mut Self {
        let mut in_list = false;
        for line in text.lines() {
            let line = escape(line.trim());
            let item = is_list_item(&line);
            if in_list && !item && !line.is_empty() {
                self.lines.push(String::new());
            }
            in_list = item;
            self.lines.push(line);
        }
        self
    }

    /// Starts a new paragraph, unless the doc is empty or already ends with one.
    pub fn paragraph(&mut self) -> &mut Self {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
        self
    }

    /// The lines as Markdown text.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for line in self.lines() {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The lines, without trailing empty ones.
    pub fn lines(&self) -> &[String] {
        let end = self
            .lines
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(0, |i| i + 1);
        &self.lines[..end]
    }
}

/// Escapes one line of spec text for Markdown: leading indentation is already gone (so no
/// indented code block), every character that could start markup is escaped, and bare
/// `http(s)://` URLs are wrapped in `<...>` so rustdoc links them instead of warning.
pub fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(start) = find_url(rest) {
        escape_into(&rest[..start], &mut out);
        let tail = &rest[start..];
        let len = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
            .unwrap_or(tail.len());
        let url = tail[..len].trim_end_matches(['.', ',', ';', ':', ')', ']']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &tail[url.len()..];
    }
    escape_into(rest, &mut out);
    out
}

/// Whether `line` starts a Markdown list item: `-`, `+` or `*` (escaped `*` is not), or a
/// number followed by `.` or `)`, then a space or the end of the line.
fn is_list_item(line: &str) -> bool {
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let marker_end = match bytes.first() {
        Some(b'-' | b'+') => 0,
        Some(b) if b.is_ascii_digit() && matches!(bytes.get(digits), Some(b'.' | b')')) => digits,
        _ => return false,
    };
    matches!(bytes.get(marker_end + 1), None | Some(b' '))
}

fn find_url(text: &str) -> Option<usize> {
    match (text.find("http://"), text.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' | '`' | '[' | ']' | '*' | '_' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// `": <text>"` with `text` escaped, or nothing when there is no text: the tail of a list
/// line such as ``- `Code`: message``.
pub fn colon_suffix(text: Option<&str>) -> String {
    text.map_or_else(String::new, |t| format!(": {}", escape(t.trim())))
}

/// An inline code span holding `value` verbatim (on one line), fenced with enough backticks.
pub fn code(value: &str) -> String {
    let value: String = value
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in value.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if value.is_empty() {
        return "`\"\"`".to_owned();
    }
    let pad = if value.starts_with('`') || value.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("<Country code>-x"), "&lt;Country code&gt;-x");
        assert_eq!(escape("a `b` [c]"), "a \\`b\\` \\[c\\]");
        assert_eq!(
            escape("see https://example.com/a?b=1."),
            "see <https://example.com/a?b=1>."
        );
        assert_eq!(
            escape("x https://a.b/send?access_token=7d_1 y"),
            "x <https://a.b/send?access_token=7d_1> y"
        );
    }

    #[test]
    fn a_line_after_a_list_item_starts_a_paragraph() {
        let mut doc = Doc::new();
        doc.text("Values:\n- A: first\n1. one\nThe end.\n-x stays\n3.5 stays");
        assert_eq!(
            doc.markdown(),
            "Values:\n- A: first\n1. one\n\nThe end.\n-x stays\n3.5 stays\n"
        );
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("plain"), "`plain`");
    }
}
