//! README rows (§6.3, §6.5): param rows, typedef expansion rows and their Value rules.

use super::readme::Row;
use super::readme_model::{Field, Model};
use super::readme_values::{
    field_default, non_empty_list, parse_default, rendered_default, value_text, zero,
};
use super::types::{MAX_TYPEDEF_DEPTH, readme_elem, readme_primitive};
use super::yaml_value::{Kind, Node, key_text};
use crate::values::Error;

/// The row generator.
pub(super) struct Renderer<'a> {
    pub(super) model: &'a Model,
    pub(super) stack: Vec<String>,
}

impl Renderer<'_> {
    fn param_value(&self, t: &str, yaml: Option<&Node>) -> String {
        let model = self.model;
        let bare = t.strip_prefix('*').unwrap_or(t);
        let b = readme_elem(t);
        let present_or = |otherwise: String| yaml.map_or(otherwise, |node| value_text(node, t));
        if bare.starts_with("[]") {
            if readme_primitive(b) || model.is_enum(b) {
                present_or(zero(t))
            } else if non_empty_list(yaml) {
                "`[...]`".to_owned()
            } else {
                "`[]`".to_owned()
            }
        } else if bare.starts_with("map[") {
            if matches!(yaml.map(|n| &n.kind), Some(Kind::Map(entries)) if entries.is_empty()) {
                "`{}`".to_owned()
            } else if !readme_primitive(b) && model.has_fields(b) {
                "`{...}`".to_owned()
            } else {
                "`{}`".to_owned()
            }
        } else if t.starts_with('*') {
            if readme_primitive(b) { present_or("`null`".to_owned()) } else { "`null`".to_owned() }
        } else if model.is_enum(b) {
            present_or(zero(t))
        } else if model.has_fields(b) {
            "`{}`".to_owned()
        } else {
            present_or(zero(t))
        }
    }

    fn field_value(&self, field: &Field, mapping: Option<&Node>) -> String {
        let model = self.model;
        let t = field.ty.as_str();
        let star = t.starts_with('*');
        let f = t.strip_prefix('*').unwrap_or(t);
        let b = readme_elem(f);
        let value = mapping.and_then(|m| m.get(&field.name));
        let default = field_default(t).map(|d| rendered_default(&d, t));
        let absent = |fallback: String| default.clone().unwrap_or(fallback);
        let star_or =
            |otherwise: &str| if star { "`null`".to_owned() } else { otherwise.to_owned() };
        if f.starts_with("[]") {
            match value {
                Some(v) if readme_primitive(b) || model.is_enum(b) => value_text(v, t),
                Some(v) if non_empty_list(Some(v)) => "`[...]`".to_owned(),
                Some(_) => "`[]`".to_owned(),
                None => absent(star_or("`[]`")),
            }
        } else if f.starts_with("map[") {
            match value {
                Some(_) => "`{}`".to_owned(),
                None => absent(star_or("`{}`")),
            }
        } else if model.is_enum(b) {
            match value {
                Some(v) => value_text(v, t),
                None => absent(star_or(&zero(t))),
            }
        } else if readme_primitive(b) || b.contains("quantity") {
            match value {
                Some(v) => value_text(v, t),
                None => absent(zero(t)),
            }
        } else {
            absent(star_or("`{}`"))
        }
    }

    pub(super) fn params(&mut self, indices: &[usize], yaml: &Node) -> Result<Vec<Row>, Error> {
        let mut rows = Vec::new();
        for &index in indices {
            let Some(param) = self.model.params.get(index) else { continue };
            let value = yaml.get(&param.name);
            rows.push(Row {
                name: format!("`{}`", param.name),
                description: param.description.clone(),
                ty: format!("`{}`", self.model.type_column(&param.ty)),
                value: self.param_value(&param.ty, value),
            });
            let t = param.ty.as_str();
            let bare = t.strip_prefix('*').unwrap_or(t);
            if bare.starts_with("[]") {
                let e = readme_elem(bare);
                if !readme_primitive(e) {
                    self.expand(e, &format!("{}[i]", param.name), None, &mut rows)?;
                }
            } else if bare.starts_with("map[") {
                self.expand(readme_elem(bare), &format!("{}[name]", param.name), None, &mut rows)?;
            } else {
                let mapping = value.filter(|v| matches!(v.kind, Kind::Map(_)));
                self.expand(readme_elem(t), &param.name, mapping, &mut rows)?;
            }
        }
        Ok(rows)
    }

    fn expand(
        &mut self,
        typedef: &str,
        prefix: &str,
        mapping: Option<&Node>,
        rows: &mut Vec<Row>,
    ) -> Result<(), Error> {
        let model = self.model;
        let fields = model.fields(typedef);
        if fields.is_empty() {
            return Ok(());
        }
        if self.stack.iter().any(|t| t == typedef) {
            let line = fields.first().map(|f| f.line);
            return Err(Error::values(line, Some(typedef), "recursive typedef"));
        }
        if self.stack.len() >= MAX_TYPEDEF_DEPTH {
            let line = fields.first().map(|f| f.line);
            return Err(Error::values(line, Some(typedef), "typedefs nest too deeply"));
        }
        self.stack.push(typedef.to_owned());
        for field in fields {
            let name = format!("{prefix}.{}", field.name);
            rows.push(Row {
                name: format!("`{name}`"),
                description: field.description.clone(),
                ty: format!("`{}`", model.type_column(&field.ty)),
                value: self.field_value(field, mapping),
            });
            let f = field.ty.strip_prefix('*').unwrap_or(&field.ty);
            let e = readme_elem(f);
            if f.starts_with("[]") {
                if model.has_fields(e) {
                    self.expand(e, &format!("{name}[i]"), None, rows)?;
                } else if let Some(default) = field_default(&field.ty) {
                    synthetic_rows(&format!("{name}[i]"), &parse_default(&default), rows);
                }
            } else if f.starts_with("map[") {
                if model.has_fields(e) {
                    self.expand(e, &format!("{name}[name]"), None, rows)?;
                }
            } else if model.has_fields(e) {
                let inner = mapping
                    .and_then(|m| m.get(&field.name))
                    .filter(|v| matches!(v.kind, Kind::Map(_)));
                self.expand(e, &name, inner, rows)?;
            }
        }
        self.stack.pop();
        Ok(())
    }
}

/// Rows for the keys of a mapping default of a list of a field-less element type.
fn synthetic_rows(prefix: &str, default: &Node, rows: &mut Vec<Row>) {
    let Some(entries) = default.entries() else { return };
    let mut entries: Vec<(String, &Node)> = entries.iter().map(|(k, v)| (key_text(k), v)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, value) in entries {
        let ty = match value.kind {
            Kind::Str { .. } => "string",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int",
            _ => "object",
        };
        rows.push(Row {
            name: format!("`{prefix}.{key}`"),
            description: String::new(),
            ty: format!("`{ty}`"),
            value: value_text(value, ty),
        });
    }
}
