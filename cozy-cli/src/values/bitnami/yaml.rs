//! values.yaml → JavaScript value, the way the npm `yaml` package (YAML 1.2 core schema) reads it.
//!
//! `serde_yaml` does the parsing, in two passes over the same document. The first pass records
//! the shape of the document and its own reading of each scalar. The second walks that shape
//! and asks for every scalar as a string: a plain scalar then comes back as a slice of the
//! input, which gives its position (for line numbers) and its raw text, so the core schema can
//! be applied exactly (`017` is 17, `0b1` and `-0x1` are strings, `1e400` is Infinity).
//! Quoted scalars stay strings; a scalar with an explicit tag (`!!int "5"`, `!foo 1`) passes
//! only that tag's tests and is a string otherwise, as an unresolved tag is for the npm parser.
//! Scalars that do not come back as a slice (folded, escaped, block) keep the first reading.
//!
//! Map keys become object keys the JavaScript way (`1` → `"1"`, `null` → `""`); keys that are
//! equal scalars are duplicates (an error), keys that only stringify alike overwrite.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use super::core_schema::{core_scalar, tagged_scalar};
use super::js::{Js, JsArray, JsObject};
use crate::values::Error;

/// Parses values.yaml; `Js::Null` for an empty document.
pub(crate) fn load(text: &str) -> Result<Js, Error> {
    let shape =
        Shape::deserialize_from(serde_yaml::Deserializer::from_str(text)).map_err(yaml_error)?;
    if matches!(shape, Shape::Empty) {
        return Ok(Js::Null);
    }
    let line_starts =
        std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
    let context = Context { input: text, line_starts };
    let loaded = NodeSeed { shape: &shape, context: &context }
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(yaml_error)?;
    loaded.map(|node| node.value)
}

fn yaml_error(err: serde_yaml::Error) -> Error {
    let line = err.location().map(|location| location.line());
    Error::values(line, None, format!("invalid YAML: {err}"))
}

/// What the first pass saw: the document's structure and `serde_yaml`'s scalar values.
#[derive(Debug)]
enum Shape {
    Empty,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<Shape>),
    Map(Vec<(Shape, Shape)>),
    Tagged(Box<Shape>),
}

impl Shape {
    fn deserialize_from<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

impl<'de> de::Deserialize<'de> for Shape {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
        Shape::deserialize_from(deserializer)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any YAML node")
    }

    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::Empty)
    }

    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Shape, E> {
        Ok(Shape::Bool(value))
    }

    #[allow(clippy::cast_precision_loss)] // JavaScript numbers are doubles: precision loss is the point.
    fn visit_i64<E>(self, value: i64) -> Result<Shape, E> {
        Ok(Shape::Num(value as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E>(self, value: u64) -> Result<Shape, E> {
        Ok(Shape::Num(value as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E>(self, value: i128) -> Result<Shape, E> {
        Ok(Shape::Num(value as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E>(self, value: u128) -> Result<Shape, E> {
        Ok(Shape::Num(value as f64))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Shape, E> {
        Ok(Shape::Num(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Shape, E> {
        Ok(Shape::Str(value.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Shape>()? {
            items.push(item);
        }
        Ok(Shape::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Shape, Shape>()? {
            entries.push(entry);
        }
        Ok(Shape::Map(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Shape, A::Error> {
        // A custom tag (`!foo value`): the npm parser warns and keeps the node.
        let (_tag, variant) = data.variant::<IgnoredAny>()?;
        Ok(Shape::Tagged(Box::new(variant.newtype_variant::<Shape>()?)))
    }
}

struct Context<'a> {
    input: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
}

/// A loaded node, or the reason the JavaScript side would not accept it.
type Loaded = Result<Node, Error>;

struct Node {
    value: Js,
    line: Option<usize>,
}

/// The second pass: the shape tells which `deserialize_*` to call for each node.
struct NodeSeed<'s, 'c> {
    shape: &'s Shape,
    context: &'c Context<'c>,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = Loaded;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Loaded, D::Error> {
        match self.shape {
            Shape::Seq(items) => {
                deserializer.deserialize_seq(SeqNodeVisitor { items, context: self.context })
            }
            Shape::Map(entries) => {
                deserializer.deserialize_map(MapNodeVisitor { entries, context: self.context })
            }
            // A custom tag (`!foo`): the node reads as if untagged, a scalar as its text.
            Shape::Tagged(inner) => {
                NodeSeed { shape: inner, context: self.context }.deserialize(deserializer)
            }
            Shape::Empty | Shape::Null | Shape::Bool(_) | Shape::Num(_) | Shape::Str(_) => {
                let raw = deserializer.deserialize_str(RawVisitor)?;
                Ok(Ok(self.context.scalar(self.shape, &raw)))
            }
        }
    }
}

struct SeqNodeVisitor<'s, 'c> {
    items: &'s [Shape],
    context: &'c Context<'c>,
}

impl<'de> Visitor<'de> for SeqNodeVisitor<'_, '_> {
    type Value = Loaded;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loaded, A::Error> {
        let mut array = JsArray::default();
        let mut first_line = None;
        for shape in self.items {
            let Some(item) = seq.next_element_seed(NodeSeed { shape, context: self.context })?
            else {
                break;
            };
            let item = match item {
                Ok(item) => item,
                Err(err) => return Ok(Err(err)),
            };
            first_line = first_line.or(item.line);
            array.push(item.value, item.line);
        }
        Ok(Ok(Node { value: Js::Arr(array), line: first_line }))
    }
}

struct MapNodeVisitor<'s, 'c> {
    entries: &'s [(Shape, Shape)],
    context: &'c Context<'c>,
}

impl<'de> Visitor<'de> for MapNodeVisitor<'_, '_> {
    type Value = Loaded;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loaded, A::Error> {
        let mut object = JsObject::default();
        let mut seen_keys: Vec<Js> = Vec::new();
        let mut first_line = None;
        for (key_shape, value_shape) in self.entries {
            let Some(key) =
                map.next_key_seed(NodeSeed { shape: key_shape, context: self.context })?
            else {
                break;
            };
            let value =
                map.next_value_seed(NodeSeed { shape: value_shape, context: self.context })?;
            let (key, value) = match (key, value) {
                (Ok(key), Ok(value)) => (key, value),
                (Err(err), _) | (_, Err(err)) => return Ok(Err(err)),
            };
            let line = key.line.or(value.line);
            first_line = first_line.or(line);
            let name = key_string(&key.value);
            if seen_keys.iter().any(|seen| same_key(seen, &key.value)) {
                let message = "invalid YAML: map keys must be unique";
                return Ok(Err(Error::values(line, name.as_deref(), message)));
            }
            let Some(name) = name else {
                return Ok(Err(Error::values(
                    line,
                    None,
                    "a collection as a map key is not supported (the tool stringifies it)",
                )));
            };
            seen_keys.push(key.value);
            object.insert_at_line(&name, value.value, line);
        }
        Ok(Ok(Node { value: Js::Obj(object), line: first_line }))
    }
}

/// A scalar as `deserialize_str` returns it: borrowed from the input when it can be.
enum Raw<'de> {
    Borrowed(&'de str),
    Owned,
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a scalar")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Borrowed(value))
    }

    fn visit_str<E>(self, _value: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Owned)
    }
}

impl Context<'_> {
    /// The scalar's value under the core schema, and its line.
    fn scalar(&self, shape: &Shape, raw: &Raw<'_>) -> Node {
        let Raw::Borrowed(text) = raw else {
            // Folded, escaped or block scalars: always strings, `serde_yaml` already has them.
            return Node { value: plain_value(shape), line: None };
        };
        let Some(offset) = self.offset_of(text) else {
            return Node { value: plain_value(shape), line: None };
        };
        let line = Some(self.line_starts.partition_point(|&start| start <= offset));
        let before = self.input[..offset].chars().next_back();
        let after = self.input[offset + text.len()..].chars().next();
        let quoted = matches!(before, Some('"' | '\'')) && before == after;
        let value = match self.tag_before(offset, quoted) {
            Some(tag) => tagged_scalar(tag, text),
            None if quoted => Js::Str((*text).to_owned()),
            None => core_scalar(text),
        };
        Node { value, line }
    }

    /// Where `text`, a slice of the input, starts in it.
    fn offset_of(&self, text: &str) -> Option<usize> {
        let base = self.input.as_ptr() as usize;
        let start = (text.as_ptr() as usize).checked_sub(base)?;
        (start + text.len() <= self.input.len() && self.input.is_char_boundary(start))
            .then_some(start)
    }

    /// The tag in the node properties (`!!str`, `&anchor !foo`) before the scalar at `offset`.
    fn tag_before(&self, offset: usize, quoted: bool) -> Option<&str> {
        let mut before = &self.input[..offset];
        if quoted {
            before = &before[..before.len() - 1];
        }
        loop {
            before = before.trim_end_matches([' ', '\t', '\r', '\n']);
            let start = before.rfind([' ', '\t', '\r', '\n', ',', '[', '{']).map_or(0, |i| i + 1);
            let token = &before[start..];
            if token.starts_with('!') {
                return Some(token);
            }
            if !token.starts_with('&') || token.is_empty() {
                return None;
            }
            before = &before[..start];
        }
    }
}

/// The first pass's value, for scalars whose raw text is not at hand.
fn plain_value(shape: &Shape) -> Js {
    match shape {
        Shape::Empty | Shape::Null => Js::Null,
        Shape::Bool(value) => Js::Bool(*value),
        Shape::Num(number) => Js::Num(*number),
        Shape::Str(text) => Js::Str(text.clone()),
        Shape::Seq(items) => {
            let mut array = JsArray::default();
            for item in items {
                array.push(plain_value(item), None);
            }
            Js::Arr(array)
        }
        Shape::Map(entries) => {
            let mut object = JsObject::default();
            for (key, value) in entries {
                if let Some(name) = key_string(&plain_value(key)) {
                    object.insert(&name, plain_value(value));
                }
            }
            Js::Obj(object)
        }
        Shape::Tagged(inner) => plain_value(inner),
    }
}

/// Whether two keys of one map are duplicates for the npm parser (equal scalar values).
fn same_key(a: &Js, b: &Js) -> bool {
    match (a, b) {
        (Js::Null, Js::Null) => true,
        (Js::Bool(a), Js::Bool(b)) => a == b,
        #[allow(clippy::float_cmp)] // JavaScript's `===` on numbers.
        (Js::Num(a), Js::Num(b)) => a == b,
        (Js::Str(a), Js::Str(b)) => a == b,
        _ => false,
    }
}

/// The object key a scalar map key becomes (`String(key)`, `""` for null).
fn key_string(key: &Js) -> Option<String> {
    match key {
        Js::Null => Some(String::new()),
        Js::Bool(_) | Js::Num(_) | Js::Str(_) => Some(key.to_js_string()),
        Js::Arr(_) | Js::Obj(_) => None,
    }
}
