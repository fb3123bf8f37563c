//! `dashboards/dashboards.toml`: Grafana dashboards fetched from upstream and edited
//! declaratively (replacing the jq and sed filters of `hack/download-dashboards.sh`). Pure:
//! parsing the list and applying edits; the command fetches and writes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::yaml_edit::Segment;

/// The file.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dashboards {
    /// One entry per dashboard (`[[dashboard]]`).
    #[serde(default, rename = "dashboard")]
    pub dashboards: Vec<Dashboard>,
}

/// One dashboard.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    /// Where to fetch it.
    pub url: String,
    /// Where to write it, relative to `dashboards/`.
    pub dest: String,
    /// Edits, applied in order.
    #[serde(default)]
    pub edits: Vec<Edit>,
}

/// A JSON edit.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Edit {
    /// Set the value at `path` (created when missing).
    Set {
        /// Dot path (`a.b[0]`).
        path: String,
        /// The JSON value.
        value: serde_json::Value,
    },
    /// Delete the key or list item at `path` (missing is fine).
    Delete {
        /// Dot path.
        path: String,
    },
    /// Replace text in every string value (like the sed filters).
    Replace {
        /// Text to find.
        find: String,
        /// Replacement.
        with: String,
    },
    /// Put `value` first in the list at `path`.
    Prepend {
        /// Dot path of a list.
        path: String,
        /// The JSON value.
        value: serde_json::Value,
    },
}

impl Dashboards {
    /// Parses `dashboards.toml`.
    pub fn parse(text: &str) -> Result<Dashboards, crate::manifest::Error> {
        crate::manifest::parse_toml(text)
    }
}

/// `json` after the edits, pretty-printed with a trailing newline.
pub fn apply(json: &str, edits: &[Edit]) -> Result<String, String> {
    let mut value: Value = serde_json::from_str(json).map_err(|err| format!("not JSON: {err}"))?;
    for edit in edits {
        match edit {
            Edit::Set { path, value: new } => {
                if let Some(target) = slot(&mut value, path, true)? {
                    *target = new.clone();
                }
            }
            Edit::Delete { path } => delete(&mut value, path)?,
            Edit::Replace { find, with } => replace_strings(&mut value, find, with),
            Edit::Prepend { path, value: new } => match slot(&mut value, path, false)? {
                Some(Value::Array(items)) => items.insert(0, new.clone()),
                _ => return Err(format!("`{path}` is not a list")),
            },
        }
    }
    let mut text = serde_json::to_string_pretty(&value).map_err(|err| err.to_string())?;
    text.push('\n');
    Ok(text)
}

fn segments(path: &str) -> Result<Vec<Segment>, String> {
    crate::yaml_edit::parse_path(path).map_err(|err| err.message)
}

/// The value at `path`; with `create`, missing keys are created.
fn slot<'v>(
    value: &'v mut Value,
    path: &str,
    create: bool,
) -> Result<Option<&'v mut Value>, String> {
    let mut node = value;
    for segment in segments(path)? {
        node = match (node, segment) {
            (Value::Object(map), Segment::Key(key)) => {
                if create {
                    map.entry(key).or_insert(Value::Null)
                } else {
                    match map.get_mut(&key) {
                        Some(next) => next,
                        None => return Ok(None),
                    }
                }
            }
            (Value::Array(items), Segment::Index(index)) => match items.get_mut(index) {
                Some(next) => next,
                None => return Err(format!("`{path}`: index {index} is out of range")),
            },
            (node @ Value::Null, Segment::Key(key)) if create => {
                *node = Value::Object(serde_json::Map::new());
                let Value::Object(map) = node else { unreachable!("made an object above") };
                map.entry(key).or_insert(Value::Null)
            }
            _ => return Err(format!("`{path}` does not fit the document")),
        };
    }
    Ok(Some(node))
}

fn delete(value: &mut Value, path: &str) -> Result<(), String> {
    let mut all = segments(path)?;
    let last = all.pop().ok_or_else(|| format!("`{path}` is empty"))?;
    let parent_path = crate::yaml_edit::display_path(&all);
    let parent = if all.is_empty() { Some(value) } else { slot(value, &parent_path, false)? };
    match (parent, last) {
        (Some(Value::Object(map)), Segment::Key(key)) => {
            map.shift_remove(&key);
        }
        (Some(Value::Array(items)), Segment::Index(index)) if index < items.len() => {
            items.remove(index);
        }
        _ => {}
    }
    Ok(())
}

fn replace_strings(value: &mut Value, find: &str, with: &str) {
    match value {
        Value::String(text) if text.contains(find) => *text = text.replace(find, with),
        Value::Array(items) => items.iter_mut().for_each(|item| replace_strings(item, find, with)),
        Value::Object(map) => map.values_mut().for_each(|item| replace_strings(item, find, with)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_like_the_jq_filters() {
        let json = r#"{"id": 12, "uid": "abc", "title": "Nodes", "__inputs": [{"name": "DS_PROMETHEUS"}], "panels": [{"datasource": "${DS_PROMETHEUS}"}], "templating": {"list": [{"name": "job"}]}}"#;
        let edits = vec![
            Edit::Delete { path: "id".into() },
            Edit::Delete { path: "__inputs".into() },
            Edit::Set { path: "uid".into(), value: serde_json::json!("cozy-nodes") },
            Edit::Set { path: "meta.folder".into(), value: serde_json::json!("cozystack") },
            Edit::Replace { find: "${DS_PROMETHEUS}".into(), with: "${datasource}".into() },
            Edit::Prepend {
                path: "templating.list".into(),
                value: serde_json::json!({"name": "datasource", "type": "datasource"}),
            },
        ];
        assert_eq!(
            apply(json, &edits).unwrap(),
            "{\n  \"uid\": \"cozy-nodes\",\n  \"title\": \"Nodes\",\n  \"panels\": [\n    {\n      \"datasource\": \"${datasource}\"\n    }\n  ],\n  \"templating\": {\n    \"list\": [\n      {\n        \"name\": \"datasource\",\n        \"type\": \"datasource\"\n      },\n      {\n        \"name\": \"job\"\n      }\n    ]\n  },\n  \"meta\": {\n    \"folder\": \"cozystack\"\n  }\n}\n"
        );
        assert_eq!(
            apply("{\"a\": 1}", &[Edit::Prepend { path: "a".into(), value: Value::Null }])
                .unwrap_err(),
            "`a` is not a list"
        );
        assert!(apply("not json", &[]).unwrap_err().starts_with("not JSON"));
    }
}
