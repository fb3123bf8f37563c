//! The safety net after every edit: parse the old and new text with `serde_yaml`, apply the
//! intended change to the old documents in memory, and require the new documents to equal
//! them exactly.

use serde::Deserialize as _;
use serde_yaml::{Mapping, Value};

use super::Error;
use super::locate::Step;

/// The change an edit meant to make, in terms of the old document's structure.
pub(super) enum Change<'a> {
    /// Follow `steps`, create the mapping keys `created` (in order) below, and set the string.
    Set { steps: &'a [Step], created: &'a [&'a str], value: &'a str },
    /// Follow `steps`; the last one names the mapping entry removed.
    Delete { steps: &'a [Step] },
}

/// Checks that `new` is `old` with exactly `change` applied (the first document only; later
/// documents must be unchanged). `path` names the edit in messages, `line` is the target's.
pub(super) fn check(
    old: &str,
    new: &str,
    change: &Change<'_>,
    path: &str,
    line: Option<usize>,
) -> Result<(), Error> {
    let mut expected = documents(old).map_err(|err| parse_error(&err, "invalid YAML"))?;
    if expected.is_empty() {
        expected.push(Value::Null);
    }
    let unverifiable =
        || Error { line, message: format!("the edit of `{path}` could not be verified") };
    apply(&mut expected[0], change).ok_or_else(unverifiable)?;
    let actual = documents(new).map_err(|err| {
        parse_error(&err, &format!("the edit of `{path}` would produce invalid YAML"))
    })?;
    if actual != expected {
        let message = format!(
            "the edit of `{path}` would change other values (an alias of the node, a tag or \
             an unusual layout); the text was left as it is"
        );
        return Err(Error { line, message });
    }
    Ok(())
}

/// Every document of `text`.
fn documents(text: &str) -> Result<Vec<Value>, serde_yaml::Error> {
    serde_yaml::Deserializer::from_str(text).map(Value::deserialize).collect()
}

/// An `Error` for a `serde_yaml` error, with its line.
fn parse_error(err: &serde_yaml::Error, what: &str) -> Error {
    let (location, message) = crate::yaml_error::split(err);
    Error { line: location.map(|(line, _)| line), message: format!("{what}: {message}") }
}

/// The value itself, or the value inside a tag.
fn untagged(value: &mut Value) -> &mut Value {
    match value {
        Value::Tagged(tagged) => untagged(&mut tagged.value),
        other => other,
    }
}

/// The node one step below `value`.
fn step(value: &mut Value, step: Step) -> Option<&mut Value> {
    match (untagged(value), step) {
        (Value::Mapping(mapping), Step::Entry(index)) => {
            mapping.iter_mut().nth(index).map(|(_, value)| value)
        }
        (Value::Sequence(items), Step::Item(index)) => items.get_mut(index),
        _ => None,
    }
}

/// Applies `change` to `root`; `None` when its structure does not match the steps.
fn apply(root: &mut Value, change: &Change<'_>) -> Option<()> {
    match change {
        Change::Set { steps, created, value } => {
            let mut node = root;
            for &s in *steps {
                node = step(node, s)?;
            }
            for key in *created {
                if node.is_null() {
                    *node = Value::Mapping(Mapping::new());
                }
                let Value::Mapping(mapping) = untagged(node) else { return None };
                node = mapping.entry(Value::String((*key).to_owned())).or_insert(Value::Null);
            }
            *node = Value::String((*value).to_owned());
        }
        Change::Delete { steps } => {
            let (&last, parents) = steps.split_last()?;
            let mut node = root;
            for &s in parents {
                node = step(node, s)?;
            }
            let (Value::Mapping(mapping), Step::Entry(index)) = (untagged(node), last) else {
                return None;
            };
            let key = mapping.iter().nth(index)?.0.clone();
            mapping.shift_remove(&key)?;
        }
    }
    Some(())
}
