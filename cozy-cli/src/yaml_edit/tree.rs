//! The first YAML document of a text as a tree of nodes with byte positions, built from
//! `saphyr-parser` events (whose spans count characters; they are mapped to byte offsets here).

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::{Error, scan};

/// Deepest nesting accepted; deeper documents are refused rather than risking the stack.
const MAX_DEPTH: usize = 256;

/// A node of the document with the byte range of its own text.
pub(super) struct Node {
    pub(super) kind: Kind,
    /// Where the node's text starts, properties (anchor, tag) included.
    pub(super) start: usize,
    /// Where the content starts after the properties: the first character of a plain scalar,
    /// the opening quote, the `|`/`>` header of a block scalar, the bracket of a flow
    /// collection. For an empty scalar: the end of its properties, else the parser's position.
    pub(super) content_start: usize,
    /// Just past the node's last character: the closing quote or bracket, the last character of
    /// a plain scalar or of a block scalar's last content line, the end of a block
    /// collection's last child.
    pub(super) end: usize,
    /// 1-based line of `start`.
    pub(super) line: usize,
    /// Whether the node has an anchor or a tag.
    pub(super) props: bool,
}

/// What a node is.
pub(super) enum Kind {
    Scalar { value: String, style: ScalarStyle },
    Mapping { entries: Vec<(Node, Node)>, flow: bool },
    Sequence { items: Vec<Node>, flow: bool },
    Alias,
}

impl Node {
    /// Whether this is a plain scalar without properties that reads as null and can be turned
    /// into a mapping: empty, `~` or `null`.
    pub(super) fn is_bare_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { value, style: ScalarStyle::Plain }
            if !self.props && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What the node is, for messages.
    pub(super) fn noun(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { .. } => "a scalar",
            Kind::Mapping { .. } => "a mapping",
            Kind::Sequence { .. } => "a list",
            Kind::Alias => "an alias",
        }
    }
}

/// The first document's root node, if the text has a document at all.
pub(super) struct Document {
    pub(super) root: Option<Node>,
}

/// Character index to byte offset.
struct Offsets {
    len: usize,
    /// Byte offset of every character, plus the length; `None` for ASCII text.
    map: Option<Vec<usize>>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let map = (!text.is_ascii()).then(|| {
            text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
        });
        Offsets { len: text.len(), map }
    }

    fn byte(&self, index: usize) -> usize {
        match &self.map {
            None => index.min(self.len),
            Some(map) => map.get(index).copied().unwrap_or(self.len),
        }
    }
}

/// A collection being filled, and the key waiting for its value.
struct Frame {
    node: Node,
    key: Option<Node>,
}

/// The error for a parser error.
pub(super) fn scan_error(err: &ScanError) -> Error {
    Error::at(err.marker().line(), format!("invalid YAML: {}", err.info()))
}

/// Parses `text` and builds the tree of its first document. Later documents are parsed (so
/// their syntax errors are reported) but not kept.
pub(super) fn parse(text: &str) -> Result<Document, Error> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    // End of the last event that can precede a block scalar header.
    let mut prev_end = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|err| scan_error(&err))?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        let line = span.start.line();
        if let Event::DocumentStart(_) = event {
            documents += 1;
            prev_end = end;
            continue;
        }
        if documents != 1 {
            continue;
        }
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let props = anchor != 0 || tag.is_some();
                let node = scalar(text, value, style, props, (start, end, line), prev_end)?;
                prev_end = node.end.max(end);
                attach(&mut stack, &mut root, node);
            }
            Event::Alias(_) => {
                let node = Node {
                    kind: Kind::Alias,
                    start,
                    content_start: start,
                    end: scan::trim_ws_back(text, start, end),
                    line,
                    props: false,
                };
                prev_end = end;
                attach(&mut stack, &mut root, node);
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::at(line, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let props = anchor != 0 || tag.is_some();
                let content_start = if props { scan::skip_props(text, start).1 } else { start };
                let kind = if matches!(event, Event::MappingStart(..)) {
                    Kind::Mapping { entries: Vec::new(), flow: false }
                } else {
                    Kind::Sequence { items: Vec::new(), flow: false }
                };
                // A flow collection's start event covers its bracket.
                if end > start {
                    prev_end = end;
                }
                let node = Node { kind, start, content_start, end: content_start, line, props };
                stack.push(Frame { node, key: None });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(Frame { mut node, .. }) = stack.pop() else { continue };
                // Only a flow collection's end event covers text (its bracket).
                let flow = end > start;
                let last_end = match &mut node.kind {
                    Kind::Mapping { entries, flow: f } => {
                        *f = flow;
                        entries.last().map(|(key, value)| key.end.max(value.end))
                    }
                    Kind::Sequence { items, flow: f } => {
                        *f = flow;
                        items.last().map(|item| item.end)
                    }
                    _ => None,
                };
                node.end = if flow { end } else { last_end.unwrap_or(node.content_start) };
                if flow {
                    prev_end = end;
                }
                attach(&mut stack, &mut root, node);
            }
            _ => {}
        }
    }
    Ok(Document { root })
}

/// Builds a scalar node, locating its content and end in the text.
fn scalar(
    text: &str,
    value: Cow<'_, str>,
    style: ScalarStyle,
    props: bool,
    (start, span_end, line): (usize, usize, usize),
    prev_end: usize,
) -> Result<Node, Error> {
    let lost = || Error::at(line, "could not locate a scalar in the text".to_owned());
    let (props_end, after_props) =
        if props { scan::skip_props(text, start) } else { (start, start) };
    let (content_start, end) = match style {
        ScalarStyle::Plain if value.is_empty() => (props_end, props_end),
        ScalarStyle::Plain => {
            let end = scan::trim_ws_back(text, after_props, span_end);
            let first = value.chars().next();
            if text.get(after_props..).and_then(|s| s.chars().next()) != first {
                return Err(lost());
            }
            (after_props, end)
        }
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let quote = if style == ScalarStyle::SingleQuoted { b'\'' } else { b'"' };
            if text.as_bytes().get(after_props) != Some(&quote) {
                return Err(lost());
            }
            (after_props, scan::quoted_end(text, after_props).ok_or_else(lost)?)
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let header = scan::block_header(text, prev_end.min(start)).ok_or_else(lost)?;
            let end = scan::block_content_end(text, header, span_end)
                .unwrap_or_else(|| scan::header_end(text, header));
            (header, end)
        }
    };
    let kind = Kind::Scalar { value: value.into_owned(), style };
    Ok(Node { kind, start: start.min(content_start), content_start, end, line, props })
}

/// Adds a finished node to the collection on top of the stack (or makes it the root).
fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
    let Some(frame) = stack.last_mut() else {
        if root.is_none() {
            *root = Some(node);
        }
        return;
    };
    match &mut frame.node.kind {
        Kind::Mapping { entries, .. } => match frame.key.take() {
            None => frame.key = Some(node),
            Some(key) => entries.push((key, node)),
        },
        Kind::Sequence { items, .. } => items.push(node),
        Kind::Scalar { .. } | Kind::Alias => {}
    }
}

/// The indentation step of the document: how much deeper the first nested block mapping sits
/// than its key (2 when there is none).
pub(super) fn indent_step(text: &str, root: &Node) -> usize {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        match &node.kind {
            Kind::Mapping { entries, flow: false } => {
                for (key, value) in entries {
                    if let Kind::Mapping { entries: inner, flow: false } = &value.kind
                        && let Some((first, _)) = inner.first()
                    {
                        let (outer, nested) =
                            (scan::column(text, key.start), scan::column(text, first.start));
                        if nested > outer && scan::first_on_line(text, first.start) {
                            return nested - outer;
                        }
                    }
                    pending.push(value);
                }
            }
            Kind::Sequence { items, flow: false } => pending.extend(items),
            _ => {}
        }
    }
    2
}
