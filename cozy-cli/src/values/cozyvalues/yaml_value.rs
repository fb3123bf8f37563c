//! values.yaml as a tree with source offsets, and its two Go readings (yaml.v3, YAML 1.1).
//!
//! yaml_serde does the parsing. A custom visitor keeps, for every string scalar that the parser
//! hands over borrowed from the input, its byte offset: that gives the line of a mapping key
//! and tells plain scalars (`yes`) from quoted ones (`"yes"`), which the YAML 1.1 reading needs.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

use super::json::{self, Json};

/// A parsed YAML node. Strings remember whether they were plain and where they started.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    /// What the node is.
    pub(crate) kind: Kind,
    /// Byte offset of the scalar text in the input, when the parser lent it.
    pub(crate) offset: Option<usize>,
}

/// Node kinds after yaml_serde's (YAML 1.2 core) resolution.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    /// A string; `plain` when it was written without quotes on one line.
    Str {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    fn new(kind: Kind) -> Node {
        Node { kind, offset: None }
    }

    /// The mapping entries, if this is a mapping.
    pub(crate) fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The string text if this is a string scalar.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value under string key `key` of a mapping (last one wins).
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?.iter().rev().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)
    }
}

/// Line numbers of byte offsets.
#[derive(Debug)]
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes the line starts of `text`.
    pub(crate) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// A YAML syntax error: 1-based line (if known) and the parser's message.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub(crate) line: Option<usize>,
    pub(crate) message: String,
}

/// Parses the first document of `text` (yaml.v3 and yaml.v2 read only the first one).
/// An empty stream is `null`.
pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut documents = serde_yaml::Deserializer::from_str(text);
    let Some(document) = documents.next() else {
        return Ok(Node::new(Kind::Null));
    };
    NodeSeed { input: text }.deserialize(document).map_err(|err| SyntaxError {
        line: err.location().map(|location| location.line()),
        message: strip_location(&err.to_string()),
    })
}

/// yaml_serde appends ` at line L column C`; the caller reports the line itself.
fn strip_location(message: &str) -> String {
    let first = message.split(", while").next().unwrap_or(message);
    match first.find(" at line ") {
        Some(i) => first[..i].to_owned(),
        None => first.to_owned(),
    }
}

#[derive(Clone, Copy)]
struct NodeSeed<'a> {
    input: &'a str,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::new(Kind::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::new(Kind::Int(i128::from(v))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::new(Kind::Int(i128::from(v))))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::new(Kind::Int(v)))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::new(i128::try_from(v).map_or_else(|_| Kind::Float(u128_to_f64(v)), Kind::Int)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::new(Kind::Float(v)))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Node, E> {
        let start = v.as_ptr().addr().wrapping_sub(self.input.as_ptr().addr());
        if start > self.input.len() {
            return self.visit_str(v);
        }
        // A quoted scalar is lent without its quotes, so the byte before it is the quote.
        let quoted = start
            .checked_sub(1)
            .and_then(|before| self.input.as_bytes().get(before))
            .is_some_and(|b| matches!(b, b'"' | b'\''));
        Ok(Node { kind: Kind::Str { text: v.to_owned(), plain: !quoted }, offset: Some(start) })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::new(Kind::Str { text: v.to_owned(), plain: false }))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::new(Kind::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::new(Kind::Null))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Node::new(Kind::Seq(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key_seed(self)? {
            let value = map.next_value_seed(self)?;
            entries.push((key, value));
        }
        Ok(Node::new(Kind::Map(entries)))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        // A local tag (`!foo value`): Go keeps the value.
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

#[allow(clippy::cast_precision_loss)]
fn u128_to_f64(v: u128) -> f64 {
    v as f64
}

#[allow(clippy::cast_precision_loss)]
fn i128_to_f64(v: i128) -> f64 {
    v as f64
}

/// Go's `strconv.ParseInt(s, 0, 64)` after yaml's removal of `_`.
fn go_int(text: &str) -> Option<i128> {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match plain.as_bytes().first()? {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(body, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    // ParseInt is 64-bit; yaml then tries ParseUint for large positives.
    (i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&value).then_some(value)
}

/// yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn go_float(text: &str) -> Option<f64> {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let b = plain.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return None;
        }
    } else if int_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    plain.parse().ok()
}

/// Go's resolution of a plain scalar that yaml_serde left as a string: numbers yaml_serde does
/// not know (`1_000`, `0777`), and with `v1_1` the YAML 1.1 booleans.
fn resolve_plain(text: &str, v1_1: bool) -> Option<Kind> {
    if v1_1 {
        match text {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                return Some(Kind::Bool(true));
            }
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
                return Some(Kind::Bool(false));
            }
            _ => {}
        }
    }
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) {
        return None;
    }
    if let Some(int) = go_int(text) {
        return Some(Kind::Int(int));
    }
    go_float(text).map(Kind::Float)
}

/// The yaml.v3 reading used by the README: Go number syntax, merge keys applied, duplicate
/// keys rejected. Positions are kept.
pub(crate) fn reading_v3(node: &Node, lines: &Lines) -> Result<Node, SyntaxError> {
    Ok(match &node.kind {
        Kind::Str { text, plain: true } => match resolve_plain(text, false) {
            Some(kind) => Node { kind, offset: node.offset },
            None => node.clone(),
        },
        Kind::Seq(items) => Node {
            kind: Kind::Seq(
                items.iter().map(|item| reading_v3(item, lines)).collect::<Result<_, _>>()?,
            ),
            offset: node.offset,
        },
        Kind::Map(entries) => {
            let mut out: Vec<(Node, Node)> = Vec::new();
            for (key, value) in entries {
                let key = reading_v3(key, lines)?;
                if let Some((first, _)) = out.iter().find(|(k, _)| key_text(k) == key_text(&key)) {
                    let at = |n: &Node| n.offset.map(|o| lines.line_of(o));
                    let first_line = at(first).map(|l| format!(" at line {l}")).unwrap_or_default();
                    return Err(SyntaxError {
                        line: at(&key),
                        message: format!(
                            "mapping key \"{}\" already defined{first_line}",
                            key_text(&key)
                        ),
                    });
                }
                out.push((key, reading_v3(value, lines)?));
            }
            Node { kind: Kind::Map(merge(out)), offset: node.offset }
        }
        _ => node.clone(),
    })
}

/// Applies `<<` merge keys: keys of the merged mapping(s) that the mapping does not set itself.
fn merge(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let is_merge = |k: &Node| matches!(&k.kind, Kind::Str { text, plain: true } if text == "<<");
    if !entries.iter().any(|(k, _)| is_merge(k)) {
        return entries;
    }
    let mut own: Vec<(Node, Node)> = Vec::new();
    let mut merged: Vec<(Node, Node)> = Vec::new();
    for (key, value) in entries {
        if is_merge(&key) {
            let sources = match &value.kind {
                Kind::Seq(items) => items.clone(),
                _ => vec![value],
            };
            for source in sources {
                if let Kind::Map(inner) = source.kind {
                    for (k, v) in inner {
                        if !merged.iter().any(|(m, _)| key_text(m) == key_text(&k)) {
                            merged.push((k, v));
                        }
                    }
                }
            }
        } else {
            own.push((key, value));
        }
    }
    merged.retain(|(k, _)| !own.iter().any(|(o, _)| key_text(o) == key_text(k)));
    own.extend(merged);
    own
}

/// The text of a mapping key as Go sees it (non-string keys become their text).
pub(crate) fn key_text(key: &Node) -> String {
    match &key.kind {
        Kind::Null => "null".to_owned(),
        Kind::Bool(b) => b.to_string(),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => json::go_float_v(*f),
        Kind::Str { text, .. } => text.clone(),
        Kind::Seq(_) | Kind::Map(_) => format!("{key:?}"),
    }
}

/// The YAML 1.1 reading used for schema defaults (go-yaml v2 through JSON): 1.1 booleans,
/// every number a float, keys strings, later duplicate keys win. `None` where that
/// conversion fails in Go (a non-mapping document, NaN or infinity).
pub(crate) fn reading_v11(node: &Node) -> Option<Json> {
    match &node.kind {
        Kind::Null => Some(Json::Obj(Vec::new())),
        Kind::Map(_) => to_v11(node),
        _ => None,
    }
}

/// One value in the YAML 1.1 reading (see [`reading_v11`]).
pub(crate) fn to_v11(node: &Node) -> Option<Json> {
    Some(match &node.kind {
        Kind::Null => Json::Null,
        Kind::Bool(b) => Json::Bool(*b),
        Kind::Int(i) => Json::Num(i128_to_f64(*i)),
        Kind::Float(f) if f.is_finite() => Json::Num(*f),
        Kind::Float(_) => return None,
        Kind::Str { text, plain } => match plain.then(|| resolve_plain(text, true)).flatten() {
            Some(Kind::Bool(b)) => Json::Bool(b),
            Some(Kind::Int(i)) => Json::Num(i128_to_f64(i)),
            Some(Kind::Float(f)) if f.is_finite() => Json::Num(f),
            Some(_) => return None,
            None => Json::Str(text.clone()),
        },
        Kind::Seq(items) => Json::Arr(items.iter().map(to_v11).collect::<Option<_>>()?),
        Kind::Map(entries) => {
            let mut map = BTreeMap::new();
            for (key, value) in merge(entries.clone()) {
                let key = match to_v11(&key)? {
                    Json::Str(s) => s,
                    Json::Bool(b) => b.to_string(),
                    Json::Num(f) => json::go_float_v(f),
                    Json::Null => "null".to_owned(),
                    _ => return None,
                };
                map.insert(key, to_v11(&value)?);
            }
            Json::Obj(map.into_iter().collect())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "a: yes\nb: 'yes'\nc: \"on\"\nd: 0777\ne: 1_000\nf: {g: off}\n\"h\": 2020-01-01\n";

    #[test]
    fn readings_differ_only_where_go_differs() {
        let node = parse(TEXT).expect("parses");
        let lines = Lines::new(TEXT);
        let v3 = reading_v3(&node, &lines).expect("v3");
        let kind = |k: &str| v3.get(k).map(|n| n.kind.clone());
        assert_eq!(kind("a"), Some(Kind::Str { text: "yes".into(), plain: true }));
        assert_eq!(kind("d"), Some(Kind::Int(511)));
        assert_eq!(kind("e"), Some(Kind::Int(1000)));
        let v11 = reading_v11(&node).expect("v1.1");
        let expected = Json::Obj(vec![
            ("a".into(), Json::Bool(true)),
            ("b".into(), Json::str("yes")),
            ("c".into(), Json::str("on")),
            ("d".into(), Json::Num(511.0)),
            ("e".into(), Json::Num(1000.0)),
            ("f".into(), Json::Obj(vec![("g".into(), Json::Bool(false))])),
            ("h".into(), Json::str("2020-01-01")),
        ]);
        assert_eq!(v11, expected);
    }

    #[test]
    fn keys_know_their_lines() {
        let node = parse(TEXT).expect("parses");
        let lines = Lines::new(TEXT);
        let line_of = |key: &str| {
            node.entries()
                .and_then(|e| e.iter().find(|(k, _)| k.as_str() == Some(key)))
                .and_then(|(k, _)| k.offset)
                .map(|o| lines.line_of(o))
        };
        assert_eq!((line_of("a"), line_of("f"), line_of("h")), (Some(1), Some(6), Some(7)));
    }

    #[test]
    fn only_the_first_document_counts_and_errors_have_lines() {
        let node = parse("a: 1\n---\n: [\n").expect("first document only");
        assert!(node.get("a").is_some());
        assert!(matches!(parse("").map(|n| n.kind), Ok(Kind::Null)));
        let err = parse("a: 1\nb: [\n").expect_err("unclosed flow sequence");
        assert_eq!(err.line, Some(3));
    }
}
