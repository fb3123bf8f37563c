//! Defaults (§7.5): annotation or YAML 1.1 source, classification, and the marker round trip.

use std::collections::HashMap;

use super::json::{self, Json};
use super::model::{Model, Prop, prop_key};
use super::types::{self, Ty};
use super::yaml_value;
use crate::values::Error;

/// A computed default.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Default {
    /// A string-like property: the text with surrounding `"` removed.
    Text(String),
    /// A typedef with fields given a mapping: `{}` (the content goes to the fields).
    EmptyObject,
    /// Anything else: the YAML 1.1 value that becomes the marker literal.
    Value(Json),
}

impl Default {
    /// The JSON the schema shows; `array` when the property's schema type is array.
    pub(crate) fn json(&self, array: bool) -> Json {
        match self {
            Default::Text(text) => Json::str(text.clone()),
            Default::EmptyObject => Json::Obj(Vec::new()),
            Default::Value(value) => {
                let json = marker_json(value, true);
                let empty = matches!(&json, Json::Obj(e) if e.is_empty())
                    || matches!(&json, Json::Arr(e) if e.is_empty());
                match (empty, array) {
                    (true, true) => Json::Arr(Vec::new()),
                    (true, false) => Json::Obj(Vec::new()),
                    _ => json,
                }
            }
        }
    }

    /// The `+kubebuilder:default:=` literal.
    pub(crate) fn go_literal(&self) -> String {
        match self {
            Default::Text(text) => json::go_quote(text),
            Default::EmptyObject => "{}".to_owned(),
            Default::Value(value) => go_literal(value, true),
        }
    }
}

/// What the marker parser makes of the Go literal of `value`.
fn marker_json(value: &Json, top: bool) -> Json {
    match value {
        Json::Null if !top => Json::str("<nil>"),
        Json::Obj(entries) => {
            let mut out: Vec<(String, Json)> =
                entries.iter().map(|(k, v)| (k.clone(), marker_json(v, false))).collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Obj(out)
        }
        Json::Arr(items) if items.is_empty() => Json::Obj(Vec::new()),
        Json::Arr(items) => {
            let strings = matches!(items.first(), Some(Json::Str(_)));
            Json::Arr(
                items
                    .iter()
                    .map(|item| match item {
                        Json::Str(_) | Json::Obj(_) | Json::Arr(_) => marker_json(item, false),
                        scalar if strings => Json::str(go_v(scalar)),
                        scalar => marker_json(scalar, false),
                    })
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// The Go literal cozyvalues-gen writes for a parsed value.
fn go_literal(value: &Json, top: bool) -> String {
    match value {
        Json::Null if top => String::new(),
        Json::Null => "<nil>".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Int(i) => i.to_string(),
        Json::Num(f) => json::go_float_v(*f),
        Json::Str(s) => json::go_quote(s),
        Json::Arr(items) => {
            let parts: Vec<String> = items.iter().map(|i| go_literal(i, false)).collect();
            format!("{{{}}}", parts.join(","))
        }
        Json::Obj(entries) => {
            let mut entries: Vec<&(String, Json)> = entries.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", json::go_quote(k), go_literal(v, false)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
    }
}

/// Go `%v` of a YAML 1.1 (JSON) scalar.
fn go_v(value: &Json) -> String {
    match value {
        Json::Null => "<nil>".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Int(i) => i.to_string(),
        Json::Num(f) => json::go_float_v(*f),
        Json::Str(s) => s.clone(),
        Json::Arr(_) | Json::Obj(_) => yaml_dump(value),
    }
}

/// A rough YAML dump of a collection (what a mapping on a string key would show).
fn yaml_dump(value: &Json) -> String {
    match value {
        Json::Obj(entries) => {
            entries.iter().map(|(k, v)| [k.as_str(), ": ", &go_v(v), "\n"].concat()).collect()
        }
        Json::Arr(items) => items.iter().map(|v| ["- ", &go_v(v), "\n"].concat()).collect(),
        scalar => go_v(scalar),
    }
}

/// Parses text as YAML 1.1 (any document kind).
fn parse_v11(text: &str) -> Option<Json> {
    let node = yaml_value::parse(text).ok()?;
    yaml_value::to_v11(&node)
}

/// Where a default comes from.
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    Annotation(&'a str),
    Yaml(&'a Json),
}

/// Typedef field defaults fed from mapping values, by (typedef, field).
pub(crate) type FieldValues = HashMap<(String, String), Json>;

/// Walks param values (declaration order) and collects typedef field values (§7.5).
pub(crate) fn field_values(model: &Model, yaml: &Json) -> FieldValues {
    let mut out = FieldValues::new();
    for param in &model.params {
        if let Some(value @ Json::Obj(_)) = get(yaml, &param.name) {
            feed(model, &param.ty, value, &mut out, 0);
        }
    }
    out
}

fn feed(model: &Model, ty: &Ty, value: &Json, out: &mut FieldValues, depth: usize) {
    if depth > 64 {
        return;
    }
    let Some(name) = typedef_name(model, ty) else { return };
    let Some(node) = model.nodes.get(name) else { return };
    for (field_name, field) in &node.fields {
        let Some(field_value) = get(value, field_name) else { continue };
        if matches!(field_value, Json::Null) {
            continue;
        }
        out.entry((name.to_owned(), field_name.clone())).or_insert_with(|| field_value.clone());
        if matches!(field_value, Json::Obj(_)) {
            feed(model, &field.ty, field_value, out, depth + 1);
        }
    }
}

/// The typedef (with fields) a type names after one pointer.
pub(crate) fn typedef_name<'a>(model: &'a Model, ty: &'a Ty) -> Option<&'a str> {
    let Ty::Atom(atom) = ty.deref() else { return None };
    match model.atom(atom) {
        super::model::Atom::Typedef(key) => {
            model.nodes.get(key).filter(|n| !n.fields.is_empty()).map(|_| key)
        }
        _ => None,
    }
}

/// A key of a JSON object.
pub(crate) fn get<'a>(value: &'a Json, key: &str) -> Option<&'a Json> {
    match value {
        Json::Obj(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// The default of a param or field from its annotation, else from `yaml`.
pub(crate) fn compute(
    model: &Model,
    owner: Option<&str>,
    prop: &Prop,
    yaml: Option<&Json>,
) -> Result<Option<Default>, Error> {
    let source = match (&prop.default, yaml) {
        (Some(text), _) => Source::Annotation(text),
        (None, Some(value)) => Source::Yaml(value),
        (None, None) => return Ok(None),
    };
    let atom = match prop.ty.deref() {
        Ty::Atom(atom) => Some(atom.as_str()),
        _ => None,
    };
    if atom.is_some_and(|a| a == "string" || types::is_format(a)) {
        let text = match source {
            Source::Annotation(text) => text.to_owned(),
            Source::Yaml(Json::Null) => return Ok(None),
            Source::Yaml(value) => go_v(value),
        };
        return Ok(Some(Default::Text(text.trim_matches('"').to_owned())));
    }
    if atom == Some("emptyobject") {
        return Ok(None);
    }
    let value = match source {
        Source::Annotation(text) => parse_v11(text).ok_or_else(|| {
            Error::values(
                Some(prop.line),
                Some(&prop_key(owner, &prop.name)),
                format!("default `{text}` is not valid YAML"),
            )
        })?,
        Source::Yaml(Json::Null) => return Ok(None),
        Source::Yaml(Json::Str(text)) if text.is_empty() => return Ok(None),
        Source::Yaml(value @ (Json::Obj(_) | Json::Arr(_))) => value.clone(),
        Source::Yaml(scalar) => {
            let text = go_v(scalar);
            parse_v11(&text).unwrap_or(Json::Str(text))
        }
    };
    if matches!(value, Json::Null) {
        return Ok(None);
    }
    if matches!(value, Json::Obj(_)) && typedef_name(model, &prop.ty).is_some() {
        return Ok(Some(Default::EmptyObject));
    }
    Ok(Some(Default::Value(value)))
}
