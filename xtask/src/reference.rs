//! `docs/manifest-reference.md`: a readable reference of the TOML files, generated from their
//! JSON Schemas (the schemas come from the serde types, so the reference cannot drift).
//!
//! Every table of a file gets a section with one row per key: the key's full path (`[release]
//! mode`, `[[update.step]] kind`, `<name>` where the key is chosen by the user), its type, whether
//! it is required, its default and its description. Tagged unions (`kind = "…"`) get a section per
//! variant, values that may also be written as a table get a section per table form, and every
//! named enum is listed once, with the meaning of each value, at the end of its file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context as _, bail};
use serde_json::{Map, Value};

/// One TOML file and its schema.
pub(crate) struct SchemaFile<'a> {
    /// The file as users know it, e.g. `PKG/cozy.toml`.
    pub(crate) file: &'a str,
    /// The schema's file name next to the reference, e.g. `cozy.schema.json`.
    pub(crate) schema_name: &'a str,
    /// The command printing the schema, e.g. `cozy schema --talos`.
    pub(crate) command: &'a str,
    /// The schema (JSON text).
    pub(crate) schema: &'a str,
}

/// The whole reference; `preamble` goes into the leading HTML comment.
pub(crate) fn render(preamble: &str, files: &[SchemaFile<'_>]) -> anyhow::Result<String> {
    let mut text = format!(
        "<!-- {preamble} -->\n\n# Manifest reference\n\n\
         Generated from the JSON Schemas of the files cozy reads. Each table lists every key with \
         its full path (`[table] key`; `[[table]] key` for arrays of tables; `<name>` where you \
         choose the key), its type, whether it is required, its default when it has one, and what \
         it means. A value marked \"table\" may also be written inline (`key = {{ a = 1 }}`).\n"
    );
    for file in files {
        text.push('\n');
        let schema: Value = serde_json::from_str(file.schema)
            .with_context(|| format!("the schema of {} is not JSON", file.file))?;
        text.push_str(
            &Doc::new(&schema)
                .with_context(|| format!("the schema of {}", file.file))?
                .render(file)
                .with_context(|| format!("the schema of {}", file.file))?,
        );
    }
    Ok(text)
}

/// A table waiting for its section.
struct Pending {
    /// Heading text (markdown).
    title: String,
    /// The TOML header rows are written under (`[release]`, `[[update.step]]`; empty for the top).
    header: String,
    /// The dotted name of the header's table (`update.step`; empty for the top).
    dotted: String,
    /// Dotted keys inside the header's table for inline tables (`version.`), else empty.
    prefix: String,
    /// An object schema with `properties`.
    schema: Value,
    description: Option<String>,
}

impl Pending {
    fn key_path(&self, name: &str) -> String {
        if self.header.is_empty() {
            format!("{}{name}", self.prefix)
        } else {
            format!("{} {}{name}", self.header, self.prefix)
        }
    }

    /// Where a table value of key `name` goes: its own header, or dotted keys when inline.
    fn child_table(&self, name: &str, array: bool) -> (String, String, String) {
        // A table inside an array of tables reads best as dotted keys (`version.git_tags`).
        if !self.prefix.is_empty() || (!array && self.header.starts_with("[[")) {
            let suffix = if array { "[]." } else { "." };
            return (
                self.header.clone(),
                self.dotted.clone(),
                format!("{}{name}{suffix}", self.prefix),
            );
        }
        let dotted = if self.dotted.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.dotted)
        };
        let header = if array { format!("[[{dotted}]]") } else { format!("[{dotted}]") };
        (header, dotted, String::new())
    }
}

/// One row of a section.
struct Row {
    key: String,
    ty: String,
    required: bool,
    default: Option<String>,
    description: String,
}

/// What a value's schema turned into: its type text, a note for the description, and the
/// sections it needs.
struct Described {
    ty: String,
    note: Option<String>,
    pending: Vec<Pending>,
}

impl Described {
    fn new(ty: String) -> Described {
        Described { ty, note: None, pending: Vec::new() }
    }

    fn note(self, note: String) -> Described {
        Described { note: Some(note), ..self }
    }

    fn sections(self, pending: Vec<Pending>) -> Described {
        Described { pending, ..self }
    }
}

struct Doc<'a> {
    root: &'a Value,
    defs: Option<&'a Map<String, Value>>,
    /// Table-like definitions already documented, with where.
    documented: BTreeMap<String, String>,
    /// Named enums in first-use order: name, schema, the keys using it.
    enums: Vec<(String, Value, Vec<String>)>,
}

impl<'a> Doc<'a> {
    fn new(root: &'a Value) -> anyhow::Result<Doc<'a>> {
        if !root.is_object() {
            bail!("expected a JSON object");
        }
        Ok(Doc {
            root,
            defs: root.get("$defs").and_then(Value::as_object),
            documented: BTreeMap::new(),
            enums: Vec::new(),
        })
    }

    fn render(mut self, file: &SchemaFile<'_>) -> anyhow::Result<String> {
        let mut text = format!("## `{}`\n\n", file.file);
        if let Some(description) = self.root.get("description").and_then(Value::as_str) {
            let _ = write!(text, "{} ", one_line(description));
        }
        let _ = writeln!(text, "Schema: [`{0}`]({0}) (`{1}`).", file.schema_name, file.command);
        if !has_properties(self.root) {
            bail!("the top level is not a table with properties");
        }
        let mut queue = vec![Pending {
            title: "Top level".to_owned(),
            header: String::new(),
            dotted: String::new(),
            prefix: String::new(),
            schema: self.root.clone(),
            description: None,
        }];
        // Depth first: a table's sections follow it, in key order.
        while !queue.is_empty() {
            let table = queue.remove(0);
            let children = self.section(&mut text, &table)?;
            for (index, child) in children.into_iter().enumerate() {
                queue.insert(index, child);
            }
        }
        if !self.enums.is_empty() {
            text.push_str("\n### Values\n");
            for (name, schema, used_by) in &self.enums {
                let _ = write!(text, "\n#### `{name}`\n\n");
                if let Some(description) = own_description(schema).filter(|d| !names_only(d)) {
                    let _ = write!(text, "{} ", one_line(&description));
                }
                let keys: Vec<String> = used_by.iter().map(|key| format!("`{key}`")).collect();
                let _ = writeln!(text, "Used by {}.\n", keys.join(", "));
                for variant in variants(schema) {
                    let value = variant.get("const").map(toml_value).unwrap_or_default();
                    match variant.get("description").and_then(Value::as_str) {
                        Some(description) => {
                            let _ = writeln!(text, "- `{value}`: {}", one_line(description));
                        }
                        None => {
                            let _ = writeln!(text, "- `{value}`");
                        }
                    }
                }
            }
        }
        Ok(text)
    }

    /// Writes one table's section; returns the sections of its sub-tables.
    fn section(&mut self, text: &mut String, table: &Pending) -> anyhow::Result<Vec<Pending>> {
        let _ = write!(text, "\n### {}\n\n", table.title);
        if let Some(description) = &table.description {
            let _ = write!(text, "{}\n\n", one_line(description));
        }
        let required: Vec<&str> = table
            .schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = table
            .schema
            .get("properties")
            .and_then(Value::as_object)
            .context("a table without properties")?;
        let mut rows = Vec::new();
        let mut children = Vec::new();
        for (name, schema) in properties {
            let described = self.describe(table, name, schema)?;
            let mut description = own_description(schema)
                .or_else(|| self.resolve(schema).ok().and_then(|(s, _)| own_description(&s)))
                .map(|d| one_line(&d))
                .unwrap_or_default();
            if let Some(note) = described.note {
                if !description.is_empty() {
                    description.push(' ');
                }
                description.push_str(&note);
            }
            rows.push(Row {
                key: table.key_path(name),
                ty: described.ty,
                required: required.contains(&name.as_str()),
                default: schema.get("default").map(toml_value),
                description,
            });
            children.extend(described.pending);
        }
        text.push_str("| Key | Type | Required | Default | Description |\n|---|---|---|---|---|\n");
        for row in rows {
            let _ = writeln!(
                text,
                "| `{}` | {} | {} | {} | {} |",
                row.key,
                cell(&row.ty),
                if row.required { "yes" } else { "" },
                row.default.map(|d| format!("`{}`", cell(&d))).unwrap_or_default(),
                cell(&row.description),
            );
        }
        Ok(children)
    }

    /// Follows `$ref`s and drops the `null` of optional values; returns the schema and the name
    /// of the definition it came from.
    fn resolve(&self, schema: &Value) -> anyhow::Result<(Value, Option<String>)> {
        let mut schema = schema.clone();
        let mut name = None;
        for _ in 0..32 {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                let def = reference
                    .strip_prefix("#/$defs/")
                    .with_context(|| format!("unsupported $ref `{reference}`"))?;
                let target = self
                    .defs
                    .and_then(|defs| defs.get(def))
                    .with_context(|| format!("$ref `{reference}` has no definition"))?;
                name = Some(def.to_owned());
                schema = target.clone();
                continue;
            }
            if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
                let non_null: Vec<&Value> = any.iter().filter(|s| !is_null(s)).collect();
                if non_null.len() == 1 && any.len() == 2 {
                    schema = non_null[0].clone();
                    continue;
                }
            }
            if let Some(types) = schema.get("type").and_then(Value::as_array) {
                let non_null: Vec<Value> =
                    types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
                let single =
                    if non_null.len() == 1 { non_null[0].clone() } else { Value::Array(non_null) };
                schema
                    .as_object_mut()
                    .context("a schema with `type` is an object")?
                    .insert("type".to_owned(), single);
            }
            return Ok((schema, name));
        }
        bail!("$ref chain too long")
    }

    /// The type text of a value at key `name` of `table`, and the sections it needs.
    fn describe(&mut self, table: &Pending, name: &str, raw: &Value) -> anyhow::Result<Described> {
        let (schema, def) = self.resolve(raw)?;
        let said = own_description(raw);
        let key = table.key_path(name);
        let done = def.as_ref().and_then(|def| self.documented.get(def)).cloned();
        if let Some(done) = done.filter(|_| self.is_table_like(&schema)) {
            let ty = self.type_name(&schema)?;
            return Ok(Described::new(ty).note(format!("Same keys as {done}.")));
        }
        if has_properties(&schema) {
            let (header, dotted, prefix) = table.child_table(name, false);
            let at = if prefix.is_empty() { format!("`{header}`") } else { format!("`{key}`") };
            self.remember(def.as_deref(), &at);
            let description = combine(said, own_description(&schema));
            let section = Pending { title: at, header, dotted, prefix, description, schema };
            return Ok(Described::new("table".to_owned()).sections(vec![section]));
        }
        if let Some(items) = schema.get("items").filter(|_| type_is(&schema, "array")) {
            let (items, items_def) = self.resolve(items)?;
            if !self.is_table_like(&items) {
                let ty = self.value_type(&items, items_def.as_deref(), &key)?;
                return Ok(Described::new(format!("array of {ty}")));
            }
            let described = Described::new("array of tables".to_owned());
            let (header, dotted, prefix) = table.child_table(name, true);
            let at = format!("`{header}`");
            if let Some(done) = items_def.as_ref().and_then(|def| self.documented.get(def)) {
                return Ok(described.note(format!("Each item has the keys of {done}.")));
            }
            self.remember(items_def.as_deref(), &at);
            let description = combine(said, own_description(&items));
            let place = Pending { title: at, header, dotted, prefix, schema: items, description };
            return Ok(described.sections(self.table_sections(place, "with")?));
        }
        if let Some(values) = map_values(&schema) {
            let (values, values_def) = self.resolve(values)?;
            if !self.is_table_like(&values) {
                let ty = self.value_type(&values, values_def.as_deref(), &key)?;
                return Ok(Described::new(format!("table of {ty}")));
            }
            // A table whose keys the user chooses: a section with one `<name>` row.
            let (header, dotted, prefix) = table.child_table(name, false);
            let at = if prefix.is_empty() { format!("`{header}`") } else { format!("`{key}`") };
            let mut properties = Map::new();
            properties.insert(
                "<name>".to_owned(),
                values_def
                    .map_or(values, |def| serde_json::json!({ "$ref": format!("#/$defs/{def}") })),
            );
            let section = Pending {
                title: at,
                header,
                dotted,
                prefix,
                schema: serde_json::json!({ "type": "object", "properties": properties }),
                description: said,
            };
            return Ok(Described::new("table".to_owned()).sections(vec![section]));
        }
        if self.is_table_like(&schema) {
            // A union with table forms, written inline at this key.
            let ty = self.type_name(&schema)?;
            let (header, dotted, prefix) = table.child_table(name, false);
            let at = if prefix.is_empty() { format!("`{header}`") } else { format!("`{key}`") };
            self.remember(def.as_deref(), &at);
            let place = Pending { title: at, header, dotted, prefix, schema, description: None };
            return Ok(Described::new(ty).sections(self.table_sections(place, "as a table with")?));
        }
        Ok(Described::new(self.value_type(&schema, def.as_deref(), &key)?))
    }

    /// A table with named keys, or a union with at least one such form.
    fn is_table_like(&self, schema: &Value) -> bool {
        has_properties(schema)
            || variants(schema)
                .into_iter()
                .any(|v| self.resolve(v).is_ok_and(|(v, _)| has_properties(&v)))
    }

    fn remember(&mut self, def: Option<&str>, at: &str) {
        if let Some(def) = def {
            self.documented.entry(def.to_owned()).or_insert_with(|| at.to_owned());
        }
    }

    /// The sections of a table-like schema at `place`: one table, a section per variant of a
    /// tagged union (`kind = "…"`), or a section per table form of an untagged one.
    /// Untagged forms are titled `<title> <with> <the keys only this form requires>`.
    fn table_sections(&mut self, place: Pending, with: &str) -> anyhow::Result<Vec<Pending>> {
        if has_properties(&place.schema) {
            return Ok(vec![place]);
        }
        let all = variants(&place.schema);
        let mut forms = Vec::new();
        for variant in &all {
            let (variant, _) = self.resolve(variant)?;
            if has_properties(&variant) {
                forms.push(variant);
            }
        }
        let tag = tag_of(&forms);
        let mut sections = Vec::new();
        for (index, form) in forms.iter().enumerate() {
            let title = if let Some(tag) = &tag {
                let value = form["properties"][tag]["const"].clone();
                format!("{} with `{tag} = {}`", place.title, toml_value(&value))
            } else {
                let only = required_only_here(&forms, index);
                if only.is_empty() {
                    format!("{} (form {} of {})", place.title, index + 1, forms.len())
                } else {
                    let keys: Vec<String> = only.iter().map(|k| format!("`{k}`")).collect();
                    format!("{} {with} {}", place.title, keys.join(", "))
                }
            };
            sections.push(Pending {
                title,
                header: place.header.clone(),
                dotted: place.dotted.clone(),
                prefix: place.prefix.clone(),
                description: own_description(form),
                schema: form.clone(),
            });
        }
        Ok(sections)
    }

    /// The type text of a schema that needs no section of its own.
    fn value_type(
        &mut self,
        schema: &Value,
        def: Option<&str>,
        key: &str,
    ) -> anyhow::Result<String> {
        let all = variants(schema);
        if !all.is_empty() && all.iter().all(|v| v.get("const").is_some()) {
            let values: Vec<String> =
                all.iter().map(|v| format!("`{}`", toml_value(&v["const"]))).collect();
            let mut ty = format!("one of {}", values.join(", "));
            if let Some(def) = def {
                match self.enums.iter_mut().find(|(name, _, _)| name == def) {
                    Some((_, _, keys)) => keys.push(key.to_owned()),
                    None => self.enums.push((def.to_owned(), schema.clone(), vec![key.to_owned()])),
                }
                let _ = write!(ty, " (`{def}`)");
            }
            return Ok(ty);
        }
        self.type_name(schema)
    }

    /// A short type name: `string`, `array of string`, `string or table`, …
    fn type_name(&self, schema: &Value) -> anyhow::Result<String> {
        let (schema, _) = self.resolve(schema)?;
        if let Some(value) = schema.get("const") {
            return Ok(format!("`{}`", toml_value(value)));
        }
        let all = variants(&schema);
        if !all.is_empty() {
            if all.iter().all(|v| v.get("const").is_some()) {
                let values: Vec<String> =
                    all.iter().map(|v| format!("`{}`", toml_value(&v["const"]))).collect();
                return Ok(format!("one of {}", values.join(", ")));
            }
            let mut names: Vec<String> = Vec::new();
            for variant in all {
                let name = self.type_name(variant)?;
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            return Ok(names.join(" or "));
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.is_empty() {
            return Ok("any".to_owned());
        }
        let mut names = Vec::new();
        for ty in types {
            names.push(match ty {
                "array" => match schema.get("items") {
                    Some(items) if self.is_table_like(&self.resolve(items)?.0) => {
                        "array of tables".to_owned()
                    }
                    Some(items) => format!("array of {}", self.type_name(items)?),
                    None => "array".to_owned(),
                },
                "object" => match map_values(&schema) {
                    Some(values)
                        if !has_properties(&schema)
                            && !self.is_table_like(&self.resolve(values)?.0) =>
                    {
                        format!("table of {}", self.type_name(values)?)
                    }
                    _ => "table".to_owned(),
                },
                other => other.to_owned(),
            });
        }
        Ok(names.join(" or "))
    }
}

/// The `oneOf`/`anyOf` alternatives of a union (without `null`), or nothing.
fn variants(schema: &Value) -> Vec<&Value> {
    schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .map(|all| all.iter().filter(|s| !is_null(s)).collect())
        .unwrap_or_default()
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn type_is(schema: &Value, name: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(one)) => one == name,
        Some(Value::Array(many)) => many.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

fn has_properties(schema: &Value) -> bool {
    schema.get("properties").and_then(Value::as_object).is_some()
}

/// The value schema of a table with user-chosen keys.
fn map_values(schema: &Value) -> Option<&Value> {
    if !type_is(schema, "object") || has_properties(schema) {
        return None;
    }
    schema.get("additionalProperties").filter(|values| values.is_object())
}

/// The key whose `const` tells the forms apart (`kind`), when every form has one.
fn tag_of(forms: &[Value]) -> Option<String> {
    let first = forms.first()?.get("properties")?.as_object()?;
    first
        .iter()
        .filter(|(_, schema)| schema.get("const").is_some())
        .map(|(name, _)| name)
        .find(|name| {
            forms.iter().all(|form| form["properties"][name.as_str()].get("const").is_some())
        })
        .cloned()
}

/// The required keys of form `index` that no other form requires.
fn required_only_here(forms: &[Value], index: usize) -> Vec<String> {
    let required = |form: &Value| -> Vec<String> {
        form.get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let others: Vec<String> = forms
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .flat_map(|(_, form)| required(form))
        .collect();
    required(&forms[index]).into_iter().filter(|name| !others.contains(name)).collect()
}

/// A section's description: what the key says, then what its type says unless that only names
/// the table (`` `[release]`. ``, ``One `[[image]]`.``).
fn combine(said: Option<String>, type_says: Option<String>) -> Option<String> {
    let type_says = type_says.filter(|text| !names_only(text) && Some(text) != said.as_ref());
    match (said, type_says) {
        (Some(said), Some(type_says)) => Some(format!("{said} {type_says}")),
        (said, type_says) => said.or(type_says),
    }
}

/// Whether a description says nothing beyond code spans (and "One").
fn names_only(text: &str) -> bool {
    let prose: String = text.split('`').step_by(2).collect();
    prose
        .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .trim_start_matches("One")
        .trim()
        .is_empty()
}

fn own_description(schema: &Value) -> Option<String> {
    schema.get("description").and_then(Value::as_str).map(str::to_owned)
}

/// Doc comments may wrap; a table cell may not.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A markdown table cell: pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A JSON value written as TOML (defaults and enum values).
fn toml_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => value.to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => {
            let entries: Vec<String> =
                map.iter().map(|(key, value)| format!("{key} = {}", toml_value(value))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r##"{
      "description": "A demo file.",
      "type": "object",
      "properties": {
        "schema": { "description": "Format version.", "type": "integer" },
        "opts": { "description": "Options.", "anyOf": [{ "$ref": "#/$defs/Opts" }, { "type": "null" }] },
        "step": { "description": "Steps.", "type": "array", "items": { "$ref": "#/$defs/Step" } }
      },
      "required": ["schema"],
      "$defs": {
        "Opts": {
          "description": "`[opts]`.",
          "type": "object",
          "properties": {
            "mode": { "description": "How.", "$ref": "#/$defs/Mode", "default": "fast" },
            "env": { "description": "Variables.", "type": "object", "additionalProperties": { "type": "string" } },
            "header": { "description": "Lines | text.", "type": "array", "items": { "type": "string" }, "default": ["a", "b"] }
          }
        },
        "Mode": {
          "description": "Speed.",
          "oneOf": [
            { "description": "Quick.", "type": "string", "const": "fast" },
            { "description": "Careful.", "type": "string", "const": "slow" }
          ]
        },
        "Step": {
          "oneOf": [
            { "description": "Copy.", "type": "object", "required": ["kind", "from"],
              "properties": { "kind": { "type": "string", "const": "copy" },
                              "from": { "description": "Source.", "type": "string" },
                              "version": { "description": "Version.", "$ref": "#/$defs/Version" } } },
            { "description": "Run.", "type": "object", "required": ["kind"],
              "properties": { "kind": { "type": "string", "const": "run" },
                              "opts": { "description": "Its options.", "$ref": "#/$defs/Opts" } } }
          ]
        },
        "Version": {
          "anyOf": [
            { "type": "string" },
            { "description": "From git.", "type": "object", "required": ["git"], "properties": { "git": { "type": "string" } } }
          ]
        }
      }
    }"##;

    fn demo() -> String {
        let file = SchemaFile {
            file: "demo.toml",
            schema_name: "demo.schema.json",
            command: "cozy schema --demo",
            schema: SCHEMA,
        };
        render("generated", &[file]).unwrap()
    }

    #[test]
    fn rows_carry_the_key_path_type_default_and_description() {
        let text = demo();
        for line in [
            "## `demo.toml`",
            "A demo file. Schema: [`demo.schema.json`](demo.schema.json) (`cozy schema --demo`).",
            "| `schema` | integer | yes |  | Format version. |",
            "| `opts` | table |  |  | Options. |",
            "### `[opts]`\n\nOptions.\n",
            "| `[opts] mode` | one of `\"fast\"`, `\"slow\"` (`Mode`) |  | `\"fast\"` | How. |",
            "| `[opts] env` | table of string |  |  | Variables. |",
            "| `[opts] header` | array of string |  | `[\"a\", \"b\"]` | Lines \\| text. |",
        ] {
            assert!(text.contains(line), "missing {line:?} in:\n{text}");
        }
    }

    #[test]
    fn tagged_unions_get_a_section_per_kind_and_inline_forms_use_dotted_keys() {
        let text = demo();
        for line in [
            "### `[[step]]` with `kind = \"copy\"`\n\nCopy.\n",
            "| `[[step]] kind` | `\"copy\"` | yes |  |  |",
            "| `[[step]] from` | string | yes |  | Source. |",
            "| `[[step]] version` | string or table |  |  | Version. |",
            "### `[[step]] version` as a table with `git`\n\nFrom git.\n",
            "| `[[step]] version.git` | string | yes |  |  |",
            "### `[[step]]` with `kind = \"run\"`",
            "| `[[step]] opts` | table |  |  | Its options. Same keys as `[opts]`. |",
        ] {
            assert!(text.contains(line), "missing {line:?} in:\n{text}");
        }
        // Sections follow their parent table, depth first.
        let copy = text.find("`[[step]]` with `kind = \"copy\"`").unwrap();
        let form = text.find("`[[step]] version` as a table").unwrap();
        let run = text.find("`[[step]]` with `kind = \"run\"`").unwrap();
        assert!(copy < form && form < run);
    }

    #[test]
    fn enums_are_listed_once_with_their_values() {
        let text = demo();
        assert!(text.contains(
            "#### `Mode`\n\nSpeed. Used by `[opts] mode`.\n\n- `\"fast\"`: Quick.\n- `\"slow\"`: Careful.\n"
        ));
        assert_eq!(text.matches("#### `Mode`").count(), 1);
    }

    #[test]
    fn a_dangling_reference_is_an_error_naming_the_file() {
        let broken = SCHEMA.replace("#/$defs/Mode", "#/$defs/Nope");
        let file =
            SchemaFile { file: "demo.toml", schema_name: "x", command: "x", schema: &broken };
        let err = format!("{:#}", render("generated", &[file]).unwrap_err());
        assert!(err.contains("demo.toml") && err.contains("#/$defs/Nope"), "{err}");
    }
}
