//! README Value column text (§6.5, §6.6): `Z(t)`, `V(x)` and recognised field defaults.

use std::sync::LazyLock;

use regex::Regex;

use super::json::{self, Json};
use super::yaml_value::{self, Kind, Lines, Node, key_text};

/// `Z(t)`: the zero text of a type.
pub(super) fn zero(t: &str) -> String {
    let text = if t.starts_with('*') {
        "null"
    } else if t.starts_with("[]") {
        "[]"
    } else if t.starts_with("map[") {
        "{}"
    } else {
        match t {
            "string" | "quantity" => "\"\"",
            "int" => "0",
            "bool" => "false",
            _ => "{}",
        }
    };
    format!("`{text}`")
}

/// `V(x)`: a YAML value in the Value column; null is `Z(t)`.
pub(super) fn value_text(node: &Node, t: &str) -> String {
    match &node.kind {
        Kind::Null => zero(t),
        Kind::Str { text, .. } if text.is_empty() => "`\"\"`".to_owned(),
        Kind::Str { text, .. } => format!("`{text}`"),
        Kind::Bool(b) => format!("`{b}`"),
        Kind::Int(i) => format!("`{i}`"),
        Kind::Float(f) => format!("`{}`", float_text(*f)),
        Kind::Seq(items) if items.is_empty() => "`[]`".to_owned(),
        Kind::Seq(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|item| match &item.kind {
                    Kind::Str { text, .. } => text.clone(),
                    _ => go_v(item),
                })
                .collect();
            format!("`[{}]`", parts.join(", "))
        }
        Kind::Map(_) => match to_json(node) {
            Some(json) => format!("`{}`", json.compact()),
            None => "`{}`".to_owned(),
        },
    }
}

/// A float in the Value column: integral values as integers, others with six decimals.
pub(super) fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned()
    } else if f == 0.0 {
        "0".to_owned()
    } else if f.fract() == 0.0 {
        format!("{f:.0}")
    } else {
        format!("{f:.6}")
    }
}

/// Go's `%v` of a yaml.v3 value (`map[k:v]`, `[a b]`, `<nil>`).
pub(super) fn go_v(node: &Node) -> String {
    match &node.kind {
        Kind::Null => "<nil>".to_owned(),
        Kind::Bool(b) => b.to_string(),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => json::go_float_v(*f),
        Kind::Str { text, .. } => text.clone(),
        Kind::Seq(items) => {
            format!("[{}]", items.iter().map(go_v).collect::<Vec<_>>().join(" "))
        }
        Kind::Map(entries) => {
            let mut parts: Vec<(String, String)> =
                entries.iter().map(|(k, v)| (key_text(k), go_v(v))).collect();
            parts.sort();
            let parts: Vec<String> = parts.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// encoding/json of a yaml.v3 value; `None` where Go fails (non-string keys, NaN).
pub(super) fn to_json(node: &Node) -> Option<Json> {
    Some(match &node.kind {
        Kind::Null => Json::Null,
        Kind::Bool(b) => Json::Bool(*b),
        Kind::Int(i) => Json::Int(*i),
        Kind::Float(f) if f.is_finite() => Json::Num(*f),
        Kind::Float(_) => return None,
        Kind::Str { text, .. } => Json::str(text.clone()),
        Kind::Seq(items) => Json::Arr(items.iter().map(to_json).collect::<Option<_>>()?),
        Kind::Map(entries) => {
            let mut out = Vec::new();
            for (key, value) in entries {
                let Kind::Str { text, .. } = &key.kind else { return None };
                out.push((text.clone(), to_json(value)?));
            }
            out.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Obj(out)
        }
    })
}

static FIELD_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?-u:\b)default[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|(\{[^}]*\}|true|false|-?[0-9]+(?:\.[0-9]+)?))"#,
    )
    .expect("valid pattern")
});

/// The annotation default of a field type text, as the README recognises it.
pub(super) fn field_default(t: &str) -> Option<String> {
    let caps = FIELD_DEFAULT.captures(t)?;
    caps.get(1).or_else(|| caps.get(2)).map(|m| m.as_str().to_owned())
}

/// Parses a default text as YAML (yaml.v3); unparsable text counts as null.
pub(super) fn parse_default(text: &str) -> Node {
    let lines = Lines::new(text);
    yaml_value::parse(text)
        .and_then(|node| yaml_value::reading_v3(&node, &lines))
        .unwrap_or(Node { kind: Kind::Null, offset: None })
}

pub(super) fn rendered_default(text: &str, t: &str) -> String {
    match text {
        "{}" => "`{}`".to_owned(),
        "[]" => "`[]`".to_owned(),
        _ => value_text(&parse_default(text), t),
    }
}

pub(super) fn non_empty_list(node: Option<&Node>) -> bool {
    matches!(node.map(|n| &n.kind), Some(Kind::Seq(items)) if !items.is_empty())
}
