//! values.schema.json: a JSON schema tree built from the parameters' dotted names.
//!
//! Every parameter with a value (not `@extra`, not `object`-modified, not read through a
//! dotted key) becomes a property at its path; `name[N]` components turn into arrays whose
//! items describe the rest of the path without defaults. Types come from the leaf, overridden
//! by the `array`/`object`/`string` modifiers; serialisation is `JSON.stringify(schema, null, 4)`.

use super::comments::Kind;
use super::config::Config;
use super::js::{Js, JsObject};
use super::json::json_pretty;
use super::model::Resolved;
use crate::values::Error;

/// A parameter as the schema sees it.
struct SchemaParam<'a> {
    name: &'a str,
    line: usize,
    description: &'a str,
    type_name: String,
    value: Js,
    nullable: bool,
}

/// The schema for `params` (modifiers applied, `@skip` dropped, in file order).
pub(crate) fn render(params: &[Resolved], config: &Config) -> Result<String, Error> {
    let names = &config.modifiers;
    let has = |param: &Resolved, name: &super::config::ModifierName| {
        param.modifiers.iter().any(|m| name.is(m))
    };
    let nil: Vec<&Resolved> = params
        .iter()
        .filter(|param| is_nil(param.value.as_ref()) && !has(param, &names.nullable))
        .collect();
    if let Some(first) = nil.first() {
        let all: Vec<&str> = nil.iter().map(|param| param.name.as_str()).collect();
        return Err(Error::values(
            Some(first.line),
            Some(&first.name),
            format!(
                "a null value needs the `nullable` modifier (invalid type 'nil' for: {})",
                all.join(", ")
            ),
        ));
    }

    let mut selected = Vec::new();
    for param in params {
        let nullable = has(param, &names.nullable);
        let mut value = param.value.clone();
        if nullable && is_nil(value.as_ref()) {
            value = Some(Js::Str("null".to_owned()));
        }
        let mut type_name = param.type_name.clone();
        for modifier in &param.modifiers {
            if *modifier == names.array.text {
                "array".clone_into(&mut type_name);
            } else if *modifier == names.object.text {
                "object".clone_into(&mut type_name);
            } else if *modifier == names.string.text {
                "string".clone_into(&mut type_name);
            }
        }
        let Some(value) = value else { continue };
        if param.kind == Kind::Extra || has(param, &names.object) || !param.schema {
            continue;
        }
        selected.push(SchemaParam {
            name: &param.name,
            line: param.line,
            description: &param.description,
            type_name,
            value,
            nullable,
        });
    }

    let mut properties = JsObject::default();
    for param in &selected {
        let tree: Vec<&str> = param.name.split('.').collect();
        place(param, &tree, &mut properties, false).map_err(|()| {
            Error::values(
                Some(param.line),
                Some(param.name),
                "an earlier parameter already describes a value on this path, \
                 which makes readme-generator crash",
            )
        })?;
    }
    let mut root = JsObject::default();
    root.insert("title", Js::Str("Chart Values".to_owned()));
    root.insert("type", Js::Str("object".to_owned()));
    root.insert("properties", Js::Obj(properties));
    Ok(json_pretty(&Js::Obj(root)))
}

fn is_nil(value: Option<&Js>) -> bool {
    matches!(value, Some(Js::Str(text)) if text == "nil")
}

/// The tool's `generateSchema`; `Err` where it would crash (a path through a described value).
fn place(
    param: &SchemaParam<'_>,
    tree: &[&str],
    properties: &mut JsObject,
    ignore_default: bool,
) -> Result<(), ()> {
    let Some((last, parents)) = tree.split_last() else { return Ok(()) };
    let mut properties = properties;
    for (position, component) in parents.iter().enumerate() {
        if let Some(key) = array_component(component) {
            if !properties.contains(key) {
                let mut items = JsObject::default();
                items.insert("type", Js::Str("object".to_owned()));
                items.insert("properties", Js::Obj(JsObject::default()));
                let mut node = JsObject::default();
                node.insert("type", Js::Str("array".to_owned()));
                node.insert("description", Js::Str(param.description.to_owned()));
                node.insert("items", Js::Obj(items));
                properties.insert(key, Js::Obj(node));
            }
            let items = child_object(properties, key, "items")?;
            let Some(Js::Obj(item_properties)) = items.get_mut("properties") else {
                return Err(());
            };
            return place(param, &tree[position + 1..], item_properties, true);
        }
        if !properties.contains(component) {
            let mut node = JsObject::default();
            node.insert("type", Js::Str("object".to_owned()));
            node.insert("properties", Js::Obj(JsObject::default()));
            properties.insert(component, Js::Obj(node));
        }
        properties = child_object(properties, component, "properties")?;
    }
    properties.insert(last, Js::Obj(leaf(param, ignore_default)));
    Ok(())
}

/// `properties[key][field]` when it is an object.
fn child_object<'a>(
    properties: &'a mut JsObject,
    key: &str,
    field: &str,
) -> Result<&'a mut JsObject, ()> {
    match properties.get_mut(key) {
        Some(Js::Obj(node)) => match node.get_mut(field) {
            Some(Js::Obj(child)) => Ok(child),
            _ => Err(()),
        },
        _ => Err(()),
    }
}

/// `name[N]` (`/^(.+)\[.+\]$/`, greedy): the array's name.
fn array_component(component: &str) -> Option<&str> {
    let body = component.strip_suffix(']')?;
    let open = body.rfind('[')?;
    // Greedy `(.+)` takes the last `[` that still leaves a non-empty `.+` inside.
    let open = if open + 1 == body.len() { body[..open].rfind('[')? } else { open };
    (open > 0).then(|| &component[..open])
}

/// The property describing one parameter.
fn leaf(param: &SchemaParam<'_>, ignore_default: bool) -> JsObject {
    let mut node = JsObject::default();
    node.insert("type", Js::Str(param.type_name.clone()));
    node.insert("description", Js::Str(param.description.to_owned()));
    let mut value = param.value.clone();
    if !ignore_default {
        if matches!(&value, Js::Str(text) if text == "null") {
            value = Js::Null;
        }
        node.insert("default", value.clone());
    }
    if param.nullable {
        node.insert("nullable", Js::Bool(true));
    }
    if param.type_name == "array" {
        node.insert("items", Js::Obj(items(&value)));
    }
    node
}

/// `items` of an array property: `{}` for null or empty values, else the `typeof` of `value[0]`.
fn items(value: &Js) -> JsObject {
    let mut items = JsObject::default();
    let empty = match value {
        Js::Null => true,
        #[allow(clippy::float_cmp)] // `value.length === 0`.
        other => other.property("length").is_some_and(|length| *length == Js::Num(0.0)),
    };
    if !empty {
        let first = value.property("0").map_or("undefined", |first| first.type_of());
        items.insert("type", Js::Str(first.to_owned()));
    }
    items
}
