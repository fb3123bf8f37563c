//! Object-by-object comparison of two rendered releases (lifecycle.md §12): both sides are
//! normalised to canonical YAML (sorted keys, comments dropped), Secret data is masked unless
//! asked for, values that a chart renders randomly can be masked, and each changed object gets
//! a unified diff. Pure.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_yaml::{Mapping, Value};
use sha2::{Digest as _, Sha256};

use crate::render::manifest::Object;

/// How an object changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Only on the new side.
    Added,
    /// On both sides, different.
    Changed,
    /// Only on the old side.
    Removed,
}

impl Change {
    /// `added`, `changed`, `removed`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
        }
    }
}

/// One object that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The helm-diff key.
    pub key: String,
    /// How it changed.
    pub change: Change,
    /// Unified diff of the canonical YAML of both sides.
    pub diff: String,
}

/// Options for [`compare`].
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Lines of context; `None` shows whole objects.
    pub context: Option<usize>,
    /// Show Secret `data`/`stringData` values instead of their digests.
    pub show_secrets: bool,
}

/// Compares two sets of objects (hooks excluded), sorted by key.
#[must_use]
pub fn compare(old: &[Object], new: &[Object], options: Options) -> Vec<Entry> {
    let side = |objects: &[Object]| -> BTreeMap<String, String> {
        objects
            .iter()
            .filter(|object| !object.hook)
            .map(|object| {
                let mut value = sorted(&object.value);
                if object.kind == "Secret" && !options.show_secrets {
                    mask_secret(&mut value);
                }
                (object.key.clone(), canonical(&value))
            })
            .collect()
    };
    let (old, new) = (side(old), side(new));
    let mut entries = Vec::new();
    for key in old.keys().chain(new.keys().filter(|key| !old.contains_key(*key))) {
        let (before, after) = (old.get(key), new.get(key));
        let change = match (before, after) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(_), Some(_)) => Change::Changed,
            (None, Some(_)) => Change::Added,
            _ => Change::Removed,
        };
        let (a, b) = (before.map_or("", String::as_str), after.map_or("", String::as_str));
        let diff = similar::TextDiff::from_lines(a, b);
        let radius = options.context.unwrap_or(usize::MAX / 4);
        let text = diff.unified_diff().context_radius(radius).to_string();
        entries.push(Entry { key: key.clone(), change, diff: text });
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    entries
}

/// The text report: `<key> has been added:` … then `N added, N changed, N removed`.
#[must_use]
pub fn report(entries: &[Entry]) -> String {
    let mut text = String::new();
    for entry in entries {
        let verb = match entry.change {
            Change::Added => "has been added",
            Change::Changed => "has changed",
            Change::Removed => "has been removed",
        };
        let _ = write!(text, "{} {verb}:\n{}", entry.key, entry.diff);
    }
    let count = |change| entries.iter().filter(|entry| entry.change == change).count();
    let _ = writeln!(
        text,
        "{} added, {} changed, {} removed",
        count(Change::Added),
        count(Change::Changed),
        count(Change::Removed)
    );
    text
}

/// Masks, in both `a` and `b`, every scalar that differs between two renders `a` and `again`
/// of the same input (random passwords, generated certificates), so only real changes remain.
pub fn mask_volatile(a: &mut [Object], again: &[Object], b: &mut [Object]) {
    let again: BTreeMap<&str, &Value> =
        again.iter().map(|object| (object.key.as_str(), &object.value)).collect();
    let mut volatile: Vec<(String, Vec<Value>)> = Vec::new();
    for object in a.iter() {
        if let Some(other) = again.get(object.key.as_str()) {
            let mut path = Vec::new();
            differing_paths(&object.value, other, &mut path, &mut |path| {
                volatile.push((object.key.clone(), path.to_vec()));
            });
        }
    }
    for (key, path) in volatile {
        for object in a.iter_mut().chain(b.iter_mut()).filter(|object| object.key == key) {
            if let Some(slot) = at_path(&mut object.value, &path) {
                *slot = Value::String("~ <nondeterministic>".to_owned());
            }
        }
    }
}

fn differing_paths(a: &Value, b: &Value, path: &mut Vec<Value>, found: &mut dyn FnMut(&[Value])) {
    match (a, b) {
        (Value::Mapping(a), Value::Mapping(b)) => {
            for (key, value) in a {
                if let Some(other) = b.get(key) {
                    path.push(key.clone());
                    differing_paths(value, other, path, found);
                    path.pop();
                }
            }
        }
        (Value::Sequence(a), Value::Sequence(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(Value::Number(index.into()));
                differing_paths(x, y, path, found);
                path.pop();
            }
        }
        (a, b) if a != b => found(path),
        _ => {}
    }
}

fn at_path<'v>(value: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut node = value;
    for step in path {
        node = match (node, step) {
            (Value::Mapping(map), key) => map.get_mut(key)?,
            (Value::Sequence(items), Value::Number(index)) => {
                items.get_mut(usize::try_from(index.as_u64()?).ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

fn mask_secret(value: &mut Value) {
    for field in ["data", "stringData"] {
        if let Some(Value::Mapping(entries)) = value.get_mut(field) {
            for (_, entry) in entries.iter_mut() {
                let text = match &*entry {
                    Value::String(text) => text.clone(),
                    other => serde_yaml::to_string(other).unwrap_or_default(),
                };
                let digest = format!("{:x}", Sha256::digest(text.as_bytes()));
                *entry = Value::String(format!("<redacted sha256:{}>", &digest[..16]));
            }
        }
    }
}

/// A copy with every mapping's keys sorted.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => {
            let mut entries: Vec<(&Value, &Value)> = map.iter().collect();
            entries.sort_by_key(|entry| key_text(entry.0));
            Value::Mapping(
                entries.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect::<Mapping>(),
            )
        }
        Value::Sequence(items) => Value::Sequence(items.iter().map(sorted).collect()),
        Value::Tagged(tagged) => sorted(&tagged.value),
        other => other.clone(),
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default(),
    }
}

fn canonical(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::manifest::parse;

    const OPTIONS: Options = Options { context: Some(3), show_secrets: false };

    #[test]
    fn reordering_is_not_a_change_and_real_changes_are() {
        let old = parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1', y: '2'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone}\n", "ns").unwrap();
        let new = parse("kind: ConfigMap\napiVersion: v1\ndata:\n  y: '2'\n  x: '1'\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: new}\n", "ns").unwrap();
        let entries = compare(&old, &new, OPTIONS);
        let summary: Vec<(&str, Change)> =
            entries.iter().map(|entry| (entry.key.as_str(), entry.change)).collect();
        assert_eq!(
            summary,
            [
                ("ns, gone, ConfigMap (v1)", Change::Removed),
                ("ns, new, Service (v1)", Change::Added)
            ]
        );
        assert!(report(&entries).ends_with("1 added, 0 changed, 1 removed\n"));
    }

    #[test]
    fn secrets_are_masked_unless_shown() {
        let old = parse(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: b2xk}\n",
            "ns",
        )
        .unwrap();
        let new = parse(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: bmV3}\n",
            "ns",
        )
        .unwrap();
        let masked = compare(&old, &new, OPTIONS);
        assert_eq!(masked.len(), 1);
        assert!(masked[0].diff.contains("<redacted sha256:"), "{}", masked[0].diff);
        assert!(!masked[0].diff.contains("bmV3"));
        let shown = compare(&old, &new, Options { show_secrets: true, ..OPTIONS });
        assert!(shown[0].diff.contains("+  password: bmV3"), "{}", shown[0].diff);
    }

    #[test]
    fn random_values_are_masked_on_both_sides() {
        let stream = |password: &str, replicas: u32| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\ndata: {{password: {password}, replicas: '{replicas}'}}\n"
            )
        };
        let mut a = parse(&stream("Xq1", 1), "ns").unwrap();
        let again = parse(&stream("Zr9", 1), "ns").unwrap();
        let mut b = parse(&stream("Kp4", 2), "ns").unwrap();
        mask_volatile(&mut a, &again, &mut b);
        let entries = compare(&a, &b, OPTIONS);
        assert_eq!(entries.len(), 1);
        assert!(
            !entries[0].diff.contains("Kp4") && !entries[0].diff.contains("password: Xq1"),
            "{}",
            entries[0].diff
        );
        assert!(
            entries[0].diff.contains("-  replicas: '1'\n+  replicas: '2'\n"),
            "{}",
            entries[0].diff
        );
    }
}
