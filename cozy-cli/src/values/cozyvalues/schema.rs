//! values.schema.json (§7): property schemas in the fixed key order.

use super::defaults::{self, FieldValues};
use super::json::Json;
use super::model::{Atom, Model, Prop};
use super::types::{self, Ty};
use crate::values::Error;

/// The Kubernetes quantity pattern.
const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

/// A property schema with every key the generator can emit, printed in the fixed order.
#[derive(Debug, Default)]
#[allow(clippy::struct_excessive_bools, reason = "one flag per schema key")]
struct Schema {
    description: Option<String>,
    ty: Option<String>,
    format: Option<String>,
    default: Option<Json>,
    maximum: Option<f64>,
    exclusive_maximum: bool,
    minimum: Option<f64>,
    exclusive_minimum: bool,
    max_length: Option<u64>,
    min_length: Option<u64>,
    pattern: Option<String>,
    max_items: Option<u64>,
    min_items: Option<u64>,
    enumeration: Option<Vec<String>>,
    required: Vec<String>,
    items: Option<Box<Schema>>,
    int_or_string_any_of: bool,
    properties: Option<Vec<(String, Schema)>>,
    additional_properties: Option<Box<Schema>>,
    preserve_unknown_fields: bool,
    int_or_string: bool,
    validations: Vec<(String, String)>,
    examples: Vec<Json>,
    extensions: Vec<(String, Json)>,
}

fn typed(ty: &str) -> Schema {
    Schema { ty: Some(ty.to_owned()), ..Schema::default() }
}

fn count(n: u64) -> Json {
    Json::Int(i128::from(n))
}

impl Schema {
    fn json(&self) -> Json {
        let mut out: Vec<(String, Json)> = Vec::new();
        let mut put = |key: &str, value: Json| out.push((key.to_owned(), value));
        if let Some(d) = &self.description {
            put("description", Json::str(d.clone()));
        }
        if let Some(t) = &self.ty {
            put("type", Json::str(t.clone()));
        }
        if let Some(f) = &self.format {
            put("format", Json::str(f.clone()));
        }
        if let Some(d) = &self.default {
            put("default", d.clone());
        }
        if let Some(m) = self.maximum {
            put("maximum", Json::Num(m));
        }
        if self.exclusive_maximum {
            put("exclusiveMaximum", Json::Bool(true));
        }
        if let Some(m) = self.minimum {
            put("minimum", Json::Num(m));
        }
        if self.exclusive_minimum {
            put("exclusiveMinimum", Json::Bool(true));
        }
        if let Some(n) = self.max_length {
            put("maxLength", count(n));
        }
        if let Some(n) = self.min_length {
            put("minLength", count(n));
        }
        if let Some(p) = &self.pattern {
            put("pattern", Json::str(p.clone()));
        }
        if let Some(n) = self.max_items {
            put("maxItems", count(n));
        }
        if let Some(n) = self.min_items {
            put("minItems", count(n));
        }
        if let Some(values) = &self.enumeration {
            put("enum", Json::Arr(values.iter().map(|v| Json::str(v.clone())).collect()));
        }
        if !self.required.is_empty() {
            put(
                "required",
                Json::Arr(self.required.iter().map(|r| Json::str(r.clone())).collect()),
            );
        }
        if let Some(items) = &self.items {
            put("items", items.json());
        }
        if self.int_or_string_any_of {
            let any_of = vec![
                Json::Obj(vec![("type".to_owned(), Json::str("integer"))]),
                Json::Obj(vec![("type".to_owned(), Json::str("string"))]),
            ];
            put("anyOf", Json::Arr(any_of));
        }
        if let Some(properties) = &self.properties {
            put(
                "properties",
                Json::Obj(properties.iter().map(|(k, s)| (k.clone(), s.json())).collect()),
            );
        }
        if let Some(additional) = &self.additional_properties {
            put("additionalProperties", additional.json());
        }
        if self.preserve_unknown_fields {
            put("x-kubernetes-preserve-unknown-fields", Json::Bool(true));
        }
        if self.int_or_string {
            put("x-kubernetes-int-or-string", Json::Bool(true));
        }
        if !self.validations.is_empty() {
            let rules = self
                .validations
                .iter()
                .map(|(rule, message)| {
                    Json::Obj(vec![
                        ("rule".to_owned(), Json::str(rule.clone())),
                        ("message".to_owned(), Json::str(message.clone())),
                    ])
                })
                .collect();
            put("x-kubernetes-validations", Json::Arr(rules));
        }
        if !self.examples.is_empty() {
            put("examples", Json::Arr(self.examples.clone()));
        }
        for (key, value) in &self.extensions {
            match out.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value.clone(),
                None => out.push((key.clone(), value.clone())),
            }
        }
        Json::Obj(out)
    }
}

/// Schema builder over a checked model.
struct Builder<'a> {
    model: &'a Model,
    yaml: &'a Json,
    fields: FieldValues,
    stack: Vec<&'a str>,
}

impl<'a> Builder<'a> {
    fn of_type(&mut self, ty: &'a Ty) -> Result<Schema, Error> {
        Ok(match ty {
            Ty::Ptr(inner) => self.of_type(inner)?,
            Ty::List(inner) => {
                Schema { items: Some(Box::new(self.of_type(inner)?)), ..typed("array") }
            }
            Ty::Map(inner) => Schema {
                additional_properties: Some(Box::new(self.of_type(inner)?)),
                ..typed("object")
            },
            Ty::Atom(name) => match self.model.atom(name) {
                Atom::Builtin(builtin) => builtin_schema(builtin),
                Atom::Typedef(typedef) => self.typedef(typedef)?,
                Atom::Enum(enumeration) => self.enumeration(enumeration),
                Atom::Object => builtin_schema("object"),
                Atom::Undefined => {
                    return Err(Error::values(None, Some(name), format!("unknown type `{name}`")));
                }
            },
        })
    }

    fn enumeration(&self, name: &str) -> Schema {
        let Some(def) = self.model.nodes.get(name).and_then(|n| n.enumeration.as_ref()) else {
            return Schema::default();
        };
        let base = match self.model.atom(&def.base) {
            Atom::Builtin(builtin) => builtin_schema(builtin).ty,
            Atom::Object => Some("object".to_owned()),
            _ => None,
        };
        Schema { ty: base, enumeration: Some(def.values.clone()), ..Schema::default() }
    }

    fn typedef(&mut self, name: &'a str) -> Result<Schema, Error> {
        let Some(node) = self.model.nodes.get(name) else { return Ok(typed("object")) };
        if self.stack.contains(&name) {
            return Err(Error::values(None, Some(name), "recursive typedef"));
        }
        self.stack.push(name);
        let mut schema = typed("object");
        let mut required: Vec<String> =
            node.fields.values().filter(|f| !f.omitempty()).map(|f| f.name.clone()).collect();
        required.sort();
        required.dedup();
        schema.required = required;
        if !node.fields.is_empty() {
            let mut properties = Vec::new();
            for (key, field) in &node.fields {
                properties.push((key.clone(), self.property(Some(name), field)?));
            }
            schema.properties = Some(properties);
        }
        self.stack.pop();
        Ok(schema)
    }

    fn property(&mut self, owner: Option<&'a str>, prop: &'a Prop) -> Result<Schema, Error> {
        let mut schema = self.of_type(&prop.ty)?;
        schema.description = description(&prop.description);
        if let Ty::Atom(atom) = prop.ty.deref()
            && types::is_format(atom)
        {
            schema.format = Some(atom.clone());
        }
        let yaml = match owner {
            None => defaults::get(self.yaml, &prop.name),
            Some(typedef) => self.fields.get(&(typedef.to_owned(), prop.name.clone())),
        };
        let array = schema.ty.as_deref() == Some("array");
        schema.default = defaults::compute(self.model, owner, prop, yaml)?.map(|d| d.json(array));
        apply_constraints(&mut schema, prop);
        if prop.immutable {
            schema
                .validations
                .push(("self == oldSelf".to_owned(), format!("{} is immutable", prop.name)));
        }
        schema.examples.clone_from(&prop.examples);
        schema.extensions = prop.extensions.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Ok(schema)
    }
}

/// The schema-side kind a constraint needs: `integer`, `number`, `string` or `array`.
pub(crate) fn constraint_kind(ty: &Ty) -> Option<&'static str> {
    match ty.deref() {
        Ty::List(_) => Some("array"),
        Ty::Atom(atom) => match atom.as_str() {
            "int" | "int32" | "int64" => Some("integer"),
            "float32" | "float64" => Some("number"),
            "string" => Some("string"),
            other if types::is_format(other) => Some("string"),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a numeric bound fits the kind (`integer` needs an integral bound).
pub(crate) fn bound_fits(kind: Option<&str>, bound: f64) -> bool {
    match kind {
        Some("integer") => bound.fract() == 0.0,
        Some("number") => true,
        _ => false,
    }
}

fn apply_constraints(schema: &mut Schema, prop: &Prop) {
    let c = &prop.constraints;
    let kind = constraint_kind(&prop.ty);
    let numeric = matches!(kind, Some("integer" | "number"));
    schema.maximum = c.maximum.filter(|&m| bound_fits(kind, m));
    schema.minimum = c.minimum.filter(|&m| bound_fits(kind, m));
    schema.exclusive_maximum = c.exclusive_maximum && numeric;
    schema.exclusive_minimum = c.exclusive_minimum && numeric;
    if kind == Some("string") {
        schema.max_length = c.max_length;
        schema.min_length = c.min_length;
        schema.pattern.clone_from(&c.pattern);
    }
    if kind == Some("array") {
        schema.max_items = c.max_items;
        schema.min_items = c.min_items;
    }
}

/// The description as controller-tools keeps it: omitted when empty, `TODO…`, `---…` or a
/// marker-looking `+…`.
fn description(text: &str) -> Option<String> {
    let text = text.trim();
    let omit = text.is_empty()
        || text.starts_with("TODO")
        || text.starts_with("---")
        || text.trim_start().starts_with('+');
    (!omit).then(|| text.to_owned())
}

fn builtin_schema(name: &str) -> Schema {
    match name {
        "bool" => typed("boolean"),
        "int" => typed("integer"),
        "int32" | "int64" => Schema { format: Some(name.to_owned()), ..typed("integer") },
        "float32" | "float64" => typed("number"),
        "quantity" => Schema {
            pattern: Some(QUANTITY_PATTERN.to_owned()),
            int_or_string_any_of: true,
            int_or_string: true,
            ..Schema::default()
        },
        "intOrString" => {
            Schema { int_or_string_any_of: true, int_or_string: true, ..Schema::default() }
        }
        "time" => Schema { format: Some("date-time".to_owned()), ..typed("string") },
        "object" => Schema { preserve_unknown_fields: true, ..typed("object") },
        "emptyobject" => typed("object"),
        _ => typed("string"),
    }
}

/// The values.schema.json text for a checked model and the YAML 1.1 reading of values.yaml.
pub(super) fn generate(model: &Model, yaml: &Json) -> Result<String, Error> {
    let mut builder =
        Builder { model, yaml, fields: defaults::field_values(model, yaml), stack: Vec::new() };
    let mut properties = Vec::new();
    for param in &model.params {
        properties.push((param.name.clone(), builder.property(None, param)?.json()));
    }
    if properties.is_empty() {
        return Ok("{\n  \"title\": \"Chart Values\",\n  \"type\": \"object\",\n  \"properties\": {\n\n  }\n}\n"
            .to_owned());
    }
    let root = Json::Obj(vec![
        ("title".to_owned(), Json::str("Chart Values")),
        ("type".to_owned(), Json::str("object")),
        ("properties".to_owned(), Json::Obj(properties)),
    ]);
    let mut text = root.pretty();
    text.push('\n');
    Ok(text)
}
