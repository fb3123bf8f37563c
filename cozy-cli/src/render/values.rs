//! Values composition as Flux's helm-controller does it (lifecycle.md §3.3, decision §17.1):
//! the HelmRelease's valuesFiles become the chart defaults (the first replaces values.yaml,
//! later ones merge into it); the user values are the `valuesFrom` references merged in order,
//! then `spec.values`, then extra `-f` files. A map merged into a map recurses; anything else
//! (scalar, list, null) replaces. Pure.

use serde_yaml::Value;

/// Merges `overlay` into `base`: maps recurse, everything else replaces.
pub fn merge_maps(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Mapping(base), Value::Mapping(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing @ Value::Mapping(_)) if value.is_mapping() => {
                        merge_maps(existing, value);
                    }
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

/// The chart defaults for a HelmRelease with `values_files` (already parsed, in order): the
/// first replaces the package's values.yaml, the others merge into it. `None` when the list is
/// empty (the package's values.yaml stays).
#[must_use]
pub fn chart_defaults(values_files: Vec<Value>) -> Option<Value> {
    let mut files = values_files.into_iter();
    let mut defaults = files.next()?;
    for file in files {
        merge_maps(&mut defaults, file);
    }
    Some(defaults)
}

/// The user values: `values_from` in order, then `spec_values`, then `extra` files.
#[must_use]
pub fn user_values(
    values_from: Vec<Value>,
    spec_values: Option<Value>,
    extra: Vec<Value>,
) -> Value {
    let mut result = Value::Mapping(serde_yaml::Mapping::new());
    for layer in values_from.into_iter().chain(spec_values).chain(extra) {
        if layer.is_null() {
            continue;
        }
        merge_maps(&mut result, layer);
    }
    result
}

/// A Helm `--set` value: quoted text stays a string; `true`/`false`/`null` and integers are
/// typed; anything else is a string.
#[must_use]
pub fn set_value(text: &str) -> Value {
    let trimmed = text.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = trimmed.strip_prefix(quote).and_then(|rest| rest.strip_suffix(quote)) {
            return Value::String(inner.to_owned());
        }
    }
    match trimmed {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => trimmed.parse::<i64>().map_or_else(
            |_| Value::String(trimmed.to_owned()),
            |number| Value::Number(number.into()),
        ),
    }
}

/// Sets `value` at a dot path (`a.b[0].c`) in `target`, creating maps on the way.
pub fn set_path(target: &mut Value, path: &str, value: Value) -> Result<(), String> {
    use crate::yaml_edit::Segment;
    let segments = crate::yaml_edit::parse_path(path).map_err(|err| err.message)?;
    let mut node = target;
    for segment in segments {
        node = match segment {
            Segment::Key(key) => {
                if !node.is_mapping() {
                    *node = Value::Mapping(serde_yaml::Mapping::new());
                }
                let Value::Mapping(map) = node else { unreachable!("made a mapping above") };
                map.entry(Value::String(key)).or_insert(Value::Null)
            }
            Segment::Index(index) => {
                if !node.is_sequence() {
                    *node = Value::Sequence(Vec::new());
                }
                let Value::Sequence(items) = node else { unreachable!("made a sequence above") };
                if items.len() <= index {
                    items.resize(index + 1, Value::Null);
                }
                &mut items[index]
            }
        };
    }
    *node = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn maps_recurse_and_the_rest_replaces() {
        let mut base = yaml("a: {b: 1, c: [1, 2]}\nd: x\nkeep: 1\n");
        merge_maps(&mut base, yaml("a: {c: [3], e: null}\nd: {nested: true}\n"));
        assert_eq!(base, yaml("a: {b: 1, c: [3], e: null}\nd: {nested: true}\nkeep: 1\n"));
    }

    #[test]
    fn spec_values_beat_values_from_and_extra_files_beat_both() {
        let composed = user_values(
            vec![yaml("_cluster: {domain: cozy.local}\nreplicas: 1\n"), yaml("replicas: 2\n")],
            Some(yaml("replicas: 3\nimage: {tag: v1}\n")),
            vec![yaml("image: {tag: v2}\n")],
        );
        assert_eq!(
            composed,
            yaml("_cluster: {domain: cozy.local}\nreplicas: 3\nimage: {tag: v2}\n")
        );
    }

    #[test]
    fn values_files_become_the_defaults() {
        assert_eq!(chart_defaults(vec![]), None);
        let defaults =
            chart_defaults(vec![yaml("a: 1\nb: {c: 1}\n"), yaml("b: {d: 2}\n")]).unwrap();
        assert_eq!(defaults, yaml("a: 1\nb: {c: 1, d: 2}\n"));
    }

    #[test]
    fn target_paths_set_typed_values() {
        let mut values = yaml("a: {b: 1}\n");
        set_path(&mut values, "a.c[1].d", set_value("\"42\"")).unwrap();
        set_path(&mut values, "a.b", set_value("true")).unwrap();
        set_path(&mut values, "e", set_value("7")).unwrap();
        assert_eq!(values, yaml("a: {b: true, c: [null, {d: '42'}]}\ne: 7\n"));
    }
}
