//! Diagnostics: every problem found in a spec, with the file, line, column and JSON path of
//! the node it concerns, rendered the way compiler diagnostics are.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

/// How serious a diagnostic is. Errors stop generation; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The document cannot be generated as it is.
    Error,
    /// The document can be generated, but something deserves a look.
    Warning,
}

/// Where a node sits in a source document: 1-based line and column, and its JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub column: usize,
    /// JSON path of the node, e.g. `$.paths["/?Action=X"].post.parameters[0]`.
    pub path: String,
}

impl Location {
    /// The location of a whole document.
    pub fn document() -> Self {
        Location {
            line: 0,
            column: 0,
            path: "$".to_owned(),
        }
    }
}

/// One problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in.
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it, where there is a known fix.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: error: message (at $.json.path)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file.display())?;
        if self.location.line > 0 {
            write!(f, ":{}:{}", self.location.line, self.location.column)?;
        }
        write!(f, ": {severity}: {}", self.message)?;
        if self.location.path != "$" && !self.location.path.is_empty() {
            write!(f, " (at {})", self.location.path)?;
        }
        if let Some(help) = &self.help {
            write!(f, "; help: {help}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics for one file, so a whole run reports every problem, not the first.
#[derive(Debug)]
pub struct Sink {
    file: PathBuf,
    items: Vec<Diagnostic>,
}

impl Sink {
    /// A sink for diagnostics about `file`.
    pub fn new(file: &Path) -> Self {
        Sink {
            file: file.to_path_buf(),
            items: Vec::new(),
        }
    }

    /// The file these diagnostics are about.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Records an error.
    pub fn error(&mut self, at: &Location, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Error, at, message.into())
    }

    /// Records a warning.
    pub fn warning(&mut self, at: &Location, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Severity::Warning, at, message.into())
    }

    fn push(&mut self, severity: Severity, at: &Location, message: String) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            severity,
            file: self.file.clone(),
            location: at.clone(),
            message,
            help: None,
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The diagnostics recorded so far, in the order they appear in the file (those about
    /// the whole file first); diagnostics at one place keep the order they were found in.
    pub fn into_vec(mut self) -> Vec<Diagnostic> {
        self.items
            .sort_by_key(|d| (d.location.line, d.location.column));
        self.items
    }
}

impl Diagnostic {
    /// Adds a suggested fix.
    pub fn help(&mut self, help: impl Into<String>) {
        self.help = Some(help.into());
    }
}

/// Renders diagnostics with the offending source line shown, colored when `color` is set.
/// `source_of` returns the text of a file, when it could be read.
pub fn render(
    diagnostics: &[Diagnostic],
    color: bool,
    source_of: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let mut files = SimpleFiles::new();
    let mut ids: Vec<(PathBuf, usize, String)> = Vec::new();
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for diagnostic in diagnostics {
        let known = ids.iter().position(|(path, _, _)| path == &diagnostic.file);
        let index = match known {
            Some(index) => index,
            None => {
                let text = source_of(&diagnostic.file).unwrap_or_default();
                let id = files.add(diagnostic.file.display().to_string(), text.clone());
                ids.push((diagnostic.file.clone(), id, text));
                ids.len() - 1
            }
        };
        let (_, file_id, text) = &ids[index];
        let mut report = match diagnostic.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&diagnostic.message);
        if diagnostic.location.line > 0 && !text.is_empty() {
            let start = byte_offset(text, diagnostic.location.line, diagnostic.location.column);
            let end = token_end(text, start);
            report = report.with_labels(vec![Label::primary(*file_id, start..end)
                .with_message(format!("at {}", diagnostic.location.path))]);
        } else {
            report = report.with_notes(vec![format!(
                "in {} at {}",
                diagnostic.file.display(),
                diagnostic.location.path
            )]);
        }
        if let Some(help) = &diagnostic.help {
            report.notes.push(format!("help: {help}"));
        }
        if term::emit(&mut buffer, &config, &files, &report).is_err() {
            // The label could not be placed (e.g. the file changed since it was read):
            // fall back to the one-line form rather than lose a diagnostic.
            return diagnostics.iter().map(|d| format!("{d}\n")).collect();
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Byte offset of a 1-based line and character column in `text`, clamped to the text.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        .min(text.len());
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(offset, _)| offset);
    line_start + within
}

/// End of the token starting at `start`: up to the next whitespace or line end, at least one
/// character, so the label underlines something.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let len = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(rest.len(), |(offset, _)| offset);
    start + len.max(rest.chars().next().map_or(0, char::len_utf8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offset_counts_characters_not_bytes() {
        let text = "a: 1\nb: 张三 x\n";
        assert_eq!(byte_offset(text, 2, 1), 5);
        assert_eq!(&text[byte_offset(text, 2, 7)..], "x\n");
    }
}
