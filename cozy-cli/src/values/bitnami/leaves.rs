//! The real keys of values.yaml: leaf paths with their value and type (the tool's values object).
//!
//! Paths come from flattening the document the way `dot-object` does (`a.b[0].c`, empty maps
//! and lists are leaves), in JavaScript key order. Each value is then read back through the
//! path with lodash semantics, a list of plain strings collapses into one leaf, and null
//! becomes the string `nil`.

use std::borrow::Cow;
use std::collections::HashSet;

use super::js::{Js, JsObject};
use super::lodash;
use crate::values::Error;

/// One real key of values.yaml.
#[derive(Clone, Debug)]
pub(crate) struct Leaf {
    /// Dotted path (`a.b[0].c`, or `a.b` for a collapsed string list).
    pub(crate) name: String,
    /// The value read back through the path; `None` is `undefined`.
    pub(crate) value: Option<Js>,
    /// `typeof` the value, or `array`.
    pub(crate) type_name: String,
    /// Whether the schema may describe it (false when the path needed the dotted-key fallback).
    pub(crate) schema: bool,
    /// Line of the key in values.yaml.
    pub(crate) line: Option<usize>,
}

/// Flattens the document into its leaves.
pub(crate) fn leaves(root: &Js) -> Result<Vec<Leaf>, Error> {
    let Some(_) = root.own_keys() else {
        return Err(crash(None, None, "the document is empty or null"));
    };
    let mut paths = JsObject::default();
    flatten(root, &[], None, &mut paths);

    let mut result = Vec::new();
    let mut seen = HashSet::new();
    for path in paths.keys() {
        let line = paths.line(path);
        let (mut value, schema) = if let Some(value) = lodash::get(root, path) {
            (Some(value.into_owned()), true)
        } else {
            // A path that only exists through keys with dots in them.
            let keys = lodash::array_path(root, path)
                .ok_or_else(|| crash(line, Some(path), "a key with dots leads to a null value"))?;
            (lodash::get_keys(root, &keys).map(Cow::into_owned), false)
        };
        let mut type_name = value.as_ref().map_or("undefined", Js::type_of).to_owned();
        let mut name = path.to_owned();
        if path.contains('[') {
            let prefix = array_prefix(path);
            match lodash::get(root, prefix).as_deref() {
                Some(Js::Arr(array)) => {
                    if array.items.iter().all(|item| matches!(item, Js::Str(_))) {
                        value = Some(Js::Arr(array.clone()));
                        prefix.clone_into(&mut name);
                    }
                }
                _ if prefix.is_empty() => {
                    return Err(crash(line, Some(path), "the document is a list"));
                }
                _ => {
                    return Err(crash(
                        line,
                        Some(path),
                        &format!("`{prefix}` does not read back as a list"),
                    ));
                }
            }
        }
        if value == Some(Js::Null) {
            value = Some(Js::Str("nil".to_owned()));
        }
        if matches!(value, Some(Js::Arr(_))) {
            "array".clone_into(&mut type_name);
        }
        if seen.insert(name.clone()) {
            result.push(Leaf { name, value, type_name, schema, line });
        }
    }
    Ok(result)
}

/// Everything before the last `[` (`a.b[0].c[1]` → `a.b[0].c`).
pub(crate) fn array_prefix(path: &str) -> &str {
    path.rfind('[').map_or("", |at| &path[..at])
}

/// An error where the tool itself would crash with a JavaScript TypeError.
pub(crate) fn crash(line: Option<usize>, key: Option<&str>, what: &str) -> Error {
    Error::values(line, key, format!("{what}, which makes readme-generator crash"))
}

/// `dot-object`'s `dot()`: leaf paths into `out`, with the line of each.
fn flatten(node: &Js, path: &[String], line: Option<usize>, out: &mut JsObject) {
    let is_array = matches!(node, Js::Arr(_));
    let Some(keys) = node.own_keys() else { return };
    for key in keys {
        let Some(child) = node.property(&key) else { continue };
        let child_line = match node {
            Js::Obj(object) => object.line(&key).or(line),
            Js::Arr(array) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| array.lines.get(i).copied().flatten())
                .or(line),
            _ => line,
        };
        let index = if is_array { format!("[{key}]") } else { key.clone() };
        let descend = match &*child {
            Js::Obj(object) => !object.is_empty(),
            Js::Arr(array) => !array.items.is_empty(),
            _ => false,
        };
        if descend {
            let mut child_path = path.to_vec();
            if is_array {
                let previous = child_path.pop().unwrap_or_default();
                child_path.push(format!("{previous}{index}"));
            } else {
                child_path.push(index);
            }
            flatten(&child, &child_path, child_line, out);
        } else {
            let name = if is_array {
                format!("{}[{key}]", path.join("."))
            } else {
                let mut parts = path.to_vec();
                parts.push(index);
                parts.join(".")
            };
            if !out.contains(&name) {
                out.insert_at_line(&name, Js::Null, child_line);
            }
        }
    }
}
