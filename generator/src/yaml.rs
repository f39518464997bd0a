//! YAML (and JSON) text → a tree of mappings, lists and strings, each node with the line and
//! column where it starts. The parser's events are assembled here under the rules an OpenAPI
//! document follows: one document, a mapping at the top, plain string keys, no anchors,
//! aliases or tags, no key twice in one mapping. Scalars stay text (`"true"` and `true` are
//! both the string `true`); whether a scalar was written plain is kept for `load::to_json`.
//!
//! The tree is compact on purpose: a mapping is a vector of entries, a position two `u32`s. A
//! spec of 5000 operations is a 10 MB file of about a million nodes, and the tree is the
//! largest thing acsgen holds.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Where a node starts: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
}

impl Mark {
    fn of(marker: Marker) -> Mark {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Mark {
            line: narrow(marker.line()),
            column: narrow(marker.col() + 1),
        }
    }
}

/// A node of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar(Scalar),
    Sequence(Sequence),
    Mapping(Mapping),
}

/// A scalar, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    text: String,
    at: Mark,
    plain: bool,
}

/// A list.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    items: Vec<Node>,
    at: Mark,
}

/// A mapping with string keys, in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    entries: Vec<(Scalar, Node)>,
    at: Mark,
}

impl Node {
    /// Where the parser marked the node. For a block mapping that is the `:` after its first
    /// key; see `load::start`.
    pub fn mark(&self) -> Mark {
        match self {
            Node::Scalar(s) => s.at,
            Node::Sequence(s) => s.at,
            Node::Mapping(m) => m.at,
        }
    }

    pub fn as_mapping(&self) -> Option<&Mapping> {
        match self {
            Node::Mapping(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

impl Scalar {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn mark(&self) -> Mark {
        self.at
    }

    /// Whether it was written without quotes or a block indicator, so that `true`, `12` or
    /// `null` mean a boolean, number or null in free-form data.
    pub fn is_plain(&self) -> bool {
        self.plain
    }
}

impl std::ops::Deref for Scalar {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for Sequence {
    type Target = [Node];

    fn deref(&self) -> &[Node] {
        &self.items
    }
}

impl Mapping {
    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }

    /// The value under `key`, when it is a mapping.
    pub fn get_mapping(&self, key: &str) -> Option<&Mapping> {
        self.get(key).and_then(Node::as_mapping)
    }

    /// The value under `key`, when it is a scalar.
    pub fn get_scalar(&self, key: &str) -> Option<&Scalar> {
        self.get(key).and_then(Node::as_scalar)
    }

    /// The value under `key`, when it is a list.
    pub fn get_sequence(&self, key: &str) -> Option<&Sequence> {
        match self.get(key) {
            Some(Node::Sequence(seq)) => Some(seq),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Scalar, &Node)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Takes the value under `key` out of the mapping.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let position = self.entries.iter().position(|(k, _)| k.text == key)?;
        Some(self.entries.remove(position).1)
    }

    /// The entries, in document order, by value.
    pub fn into_entries(self) -> Vec<(Scalar, Node)> {
        self.entries
    }

    pub fn keys(&self) -> impl Iterator<Item = &Scalar> {
        self.entries.iter().map(|(k, _)| k)
    }
}

/// Why the text is not a document `parse` accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// The top level is a list or a scalar.
    TopLevelNotMapping(Mark),
    /// An anchor (`&name`) or alias (`*name`).
    Anchor(Mark),
    /// A list or mapping used as a mapping key.
    KeyNotScalar(Mark),
    /// A tag (`!name`).
    Tag(Mark),
    /// Not YAML: the parser's description of the problem.
    Syntax(Mark, String),
    /// A key written twice in one mapping.
    DuplicateKey {
        key: String,
        first: Mark,
        second: Mark,
    },
}

/// Parses the first document in `text`; its top level must be a mapping (an empty text is an
/// empty one).
pub fn parse(text: &str) -> Result<Mapping, ParseError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut builder, false)
        .map_err(|err| ParseError::Syntax(Mark::of(*err.marker()), err.info().to_owned()))?;
    if let Some(err) = builder.error {
        return Err(err);
    }
    Ok(builder.root.unwrap_or(Mapping {
        entries: Vec::new(),
        at: Mark { line: 1, column: 1 },
    }))
}

/// Assembles the tree from the parser's events; after the first problem it ignores the rest
/// (the parser still reads on, so a later syntax error is what gets reported).
#[derive(Default)]
struct Builder {
    open: Vec<Open>,
    root: Option<Mapping>,
    error: Option<ParseError>,
}

/// A list or mapping whose end has not been read yet.
enum Open {
    Sequence(Sequence),
    Mapping {
        map: Mapping,
        /// The key read whose value is still to come.
        key: Option<Scalar>,
        /// Positions of the keys by name, kept once the mapping is large enough that looking
        /// each new key up in the entries would be slow.
        index: Option<HashMap<String, usize>>,
    },
}

/// Mappings with more entries than this keep an index for the duplicate-key check.
const INDEXED_FROM: usize = 16;

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, marker: Marker) {
        if self.error.is_some() {
            return;
        }
        let at = Mark::of(marker);
        let result = match event {
            Event::Nothing
            | Event::StreamStart
            | Event::DocumentStart
            | Event::DocumentEnd
            | Event::StreamEnd => Ok(()),
            Event::Alias(_) => Err(ParseError::Anchor(at)),
            Event::MappingStart(anchor, tag) => self.start(anchor, tag.is_some(), at, true),
            Event::SequenceStart(anchor, tag) => self.start(anchor, tag.is_some(), at, false),
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 {
                    Err(ParseError::Anchor(at))
                } else if tag.is_some() {
                    Err(ParseError::Tag(at))
                } else {
                    let plain = matches!(style, TScalarStyle::Plain);
                    self.scalar(Scalar { text, at, plain })
                }
            }
            Event::MappingEnd | Event::SequenceEnd => match self.open.pop() {
                Some(Open::Mapping { map, .. }) => self.add(Node::Mapping(map)),
                Some(Open::Sequence(seq)) => self.add(Node::Sequence(seq)),
                None => Ok(()),
            },
        };
        if let Err(err) = result {
            self.error = Some(err);
        }
    }
}

impl Builder {
    fn start(
        &mut self,
        anchor: usize,
        tagged: bool,
        at: Mark,
        mapping: bool,
    ) -> Result<(), ParseError> {
        if tagged {
            return Err(ParseError::Tag(at));
        }
        if anchor != 0 {
            return Err(ParseError::Anchor(at));
        }
        match self.open.last() {
            None if !mapping || self.root.is_some() => {
                return Err(ParseError::TopLevelNotMapping(at));
            }
            Some(Open::Mapping { key: None, .. }) => return Err(ParseError::KeyNotScalar(at)),
            _ => {}
        }
        self.open.push(if mapping {
            Open::Mapping {
                map: Mapping {
                    entries: Vec::new(),
                    at,
                },
                key: None,
                index: None,
            }
        } else {
            Open::Sequence(Sequence {
                items: Vec::new(),
                at,
            })
        });
        Ok(())
    }

    fn scalar(&mut self, scalar: Scalar) -> Result<(), ParseError> {
        match self.open.last_mut() {
            None => Err(ParseError::TopLevelNotMapping(scalar.at)),
            Some(Open::Mapping {
                key: key @ None, ..
            }) => {
                *key = Some(scalar);
                Ok(())
            }
            Some(_) => self.add(Node::Scalar(scalar)),
        }
    }

    /// Adds a finished node to the list or mapping it is in.
    fn add(&mut self, node: Node) -> Result<(), ParseError> {
        match self.open.last_mut() {
            None => {
                if let Node::Mapping(map) = node {
                    self.root = Some(map);
                }
                Ok(())
            }
            Some(Open::Sequence(seq)) => {
                seq.items.push(node);
                Ok(())
            }
            Some(Open::Mapping { map, key, index }) => {
                let Some(key) = key.take() else {
                    return Err(ParseError::KeyNotScalar(node.mark()));
                };
                if let Some(first) = existing(map, index, &key.text) {
                    return Err(ParseError::DuplicateKey {
                        first: map.entries[first].0.at,
                        second: key.at,
                        key: key.text,
                    });
                }
                if let Some(index) = index {
                    index.insert(key.text.clone(), map.entries.len());
                }
                map.entries.push((key, node));
                Ok(())
            }
        }
    }
}

/// The position of `key` among the entries of `map`, building the index once the mapping has
/// grown past `INDEXED_FROM` entries.
fn existing(map: &Mapping, index: &mut Option<HashMap<String, usize>>, key: &str) -> Option<usize> {
    if index.is_none() && map.entries.len() >= INDEXED_FROM {
        *index = Some(
            map.entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.text.clone(), i))
                .collect(),
        );
    }
    match index {
        Some(index) => index.get(key).copied(),
        None => map.entries.iter().position(|(k, _)| k.text == key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Mark {
        Mark { line, column }
    }

    #[test]
    fn reads_mappings_lists_and_scalars_with_positions() {
        let root = parse("a: 1\nb:\n  - x\n  - 'y'\nc: {d: e}\n").unwrap();
        let keys: Vec<&str> = root.keys().map(Scalar::as_str).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        let a = root.get("a").unwrap().as_scalar().unwrap();
        assert_eq!((a.as_str(), a.is_plain(), a.mark()), ("1", true, at(1, 4)));
        let Some(Node::Sequence(b)) = root.get("b") else {
            panic!("b is a list")
        };
        let items: Vec<(&str, bool)> = b
            .iter()
            .map(|n| n.as_scalar().map(|s| (s.as_str(), s.is_plain())).unwrap())
            .collect();
        assert_eq!(items, [("x", true), ("y", false)]);
        assert_eq!(b[1].mark(), at(4, 5));
        let c = root.get("c").unwrap().as_mapping().unwrap();
        assert_eq!(c.get("d").unwrap().as_scalar().unwrap().as_str(), "e");
        assert_eq!(c.keys().count(), 1);
    }

    #[test]
    fn an_empty_text_is_an_empty_mapping() {
        assert!(parse("").unwrap().keys().next().is_none());
        assert!(parse("{}").unwrap().keys().next().is_none());
    }

    #[test]
    fn rejects_what_openapi_documents_do_not_use() {
        assert_eq!(
            parse("- a\n"),
            Err(ParseError::TopLevelNotMapping(at(1, 1)))
        );
        assert_eq!(
            parse("just text"),
            Err(ParseError::TopLevelNotMapping(at(1, 1)))
        );
        assert!(matches!(
            parse("a: &x 1\nb: *x\n"),
            Err(ParseError::Anchor(_))
        ));
        assert!(matches!(parse("a: !custom 1\n"), Err(ParseError::Tag(_))));
        assert!(matches!(
            parse("? [a, b]\n: c\n"),
            Err(ParseError::KeyNotScalar(_))
        ));
        assert!(matches!(parse("a: [b\n"), Err(ParseError::Syntax(..))));
    }

    #[test]
    fn a_key_twice_is_an_error_in_small_and_large_mappings() {
        assert_eq!(
            parse("a: 1\nb: 2\na: 3\n"),
            Err(ParseError::DuplicateKey {
                key: "a".to_owned(),
                first: at(1, 1),
                second: at(3, 1),
            })
        );
        let mut large: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        large.push_str("k7: again\n");
        let Err(ParseError::DuplicateKey { key, first, second }) = parse(&large) else {
            panic!("the duplicate key is found");
        };
        assert_eq!((key.as_str(), first.line, second.line), ("k7", 8, 41));
    }
}
