//! README `## Parameters` tables (cozyvalues-gen `-r`): the README-side parser, row expansion,
//! the Type and Value columns, the YAML checks, table layout and section replacement.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

use super::json::{self, Json};
use super::lexer::{Annotation, Tag};
use super::types::{MAX_TYPEDEF_DEPTH, readme_elem, readme_primitive};
use super::yaml_value::{self, Kind, Lines, Node, key_text};
use crate::values::Error;

/// A `@param` as the README parser records it.
#[derive(Debug)]
struct Param {
    name: String,
    ty: String,
    description: String,
}

/// A typedef field as the README parser records it; `ty` carries ` default=X` when annotated.
#[derive(Debug)]
struct Field {
    name: String,
    ty: String,
    description: String,
    line: usize,
}

/// The README parser's view of the annotations.
#[derive(Debug, Default)]
struct Model {
    sections: Vec<(String, Vec<usize>)>,
    params: Vec<Param>,
    typedefs: HashMap<String, Vec<Field>>,
    enums: HashMap<String, String>,
}

impl Model {
    fn new(annotations: &[Annotation]) -> Model {
        let mut model = Model::default();
        let mut current: Option<String> = None;
        for annotation in annotations {
            match &annotation.tag {
                Tag::Section(title) => {
                    model.sections.push((title.clone(), Vec::new()));
                    current = None;
                }
                Tag::Param(decl) => {
                    if model.sections.is_empty() {
                        model.sections.push(("Parameters".to_owned(), Vec::new()));
                    }
                    let index = model.params.len();
                    model.params.push(Param {
                        name: decl.name.clone(),
                        ty: decl.ty.clone(),
                        description: decl.description.clone(),
                    });
                    if let Some((_, params)) = model.sections.last_mut() {
                        params.push(index);
                    }
                    current = None;
                }
                Tag::Typedef(name) => {
                    model.typedefs.entry(name.clone()).or_default();
                    current = Some(name.clone());
                }
                Tag::Field(decl) => {
                    let Some(fields) = current.as_ref().and_then(|t| model.typedefs.get_mut(t))
                    else {
                        continue;
                    };
                    if fields.iter().any(|f| f.name == decl.name) {
                        continue;
                    }
                    let ty = match &decl.default {
                        Some(default) => format!("{} default={default}", decl.ty),
                        None => decl.ty.clone(),
                    };
                    fields.push(Field {
                        name: decl.name.clone(),
                        ty,
                        description: decl.description.clone(),
                        line: annotation.line,
                    });
                }
                Tag::Enum { ty, name } => {
                    model.enums.insert(name.clone(), ty.clone());
                    current = None;
                }
                _ => {}
            }
        }
        model
    }

    fn fields(&self, typedef: &str) -> &[Field] {
        self.typedefs.get(typedef).map_or(&[], Vec::as_slice)
    }

    fn has_fields(&self, typedef: &str) -> bool {
        !self.fields(typedef).is_empty()
    }

    fn is_enum(&self, name: &str) -> bool {
        self.enums.contains_key(name)
    }

    /// The Type column (§6.4) for a type text.
    fn type_column(&self, text: &str) -> String {
        let t = text.split([' ', '\t']).next().unwrap_or("");
        if t == "emptyobject" {
            return "object".to_owned();
        }
        if t == "*emptyobject" {
            return "*object".to_owned();
        }
        if let Some(x) = t.strip_prefix('*') {
            if x.starts_with("[]") || x.starts_with("map[") {
                return self.type_column(x);
            }
            if let Some(base) = self.enums.get(x) {
                return format!("*{base}");
            }
            if !readme_primitive(x) {
                return "*object".to_owned();
            }
            return t.to_owned();
        }
        if readme_primitive(readme_elem(t)) {
            return t.replace("emptyobject", "object");
        }
        if let Some(x) = t.strip_prefix("[]") {
            return match self.enums.get(x) {
                Some(base) => format!("[]{base}"),
                None => "[]object".to_owned(),
            };
        }
        if t.starts_with("map[") {
            return "map[string]object".to_owned();
        }
        self.enums.get(t).cloned().unwrap_or_else(|| "object".to_owned())
    }
}

/// One table row, cells already formatted.
struct Row {
    name: String,
    description: String,
    ty: String,
    value: String,
}

/// `Z(t)`: the zero text of a type.
fn zero(t: &str) -> String {
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
fn value_text(node: &Node, t: &str) -> String {
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
fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned()
    } else if f.fract() == 0.0 {
        format!("{f:.0}")
    } else {
        format!("{f:.6}")
    }
}

/// Go's `%v` of a yaml.v3 value (`map[k:v]`, `[a b]`, `<nil>`).
fn go_v(node: &Node) -> String {
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
fn to_json(node: &Node) -> Option<Json> {
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
fn field_default(t: &str) -> Option<String> {
    let caps = FIELD_DEFAULT.captures(t)?;
    caps.get(1).or_else(|| caps.get(2)).map(|m| m.as_str().to_owned())
}

/// Parses a default text as YAML (yaml.v3); unparsable text counts as null.
fn parse_default(text: &str) -> Node {
    let lines = Lines::new(text);
    yaml_value::parse(text)
        .and_then(|node| yaml_value::reading_v3(&node, &lines))
        .unwrap_or(Node { kind: Kind::Null, offset: None })
}

fn rendered_default(text: &str, t: &str) -> String {
    match text {
        "{}" => "`{}`".to_owned(),
        "[]" => "`[]`".to_owned(),
        _ => value_text(&parse_default(text), t),
    }
}

fn non_empty_list(node: Option<&Node>) -> bool {
    matches!(node.map(|n| &n.kind), Some(Kind::Seq(items)) if !items.is_empty())
}

/// The row generator.
struct Renderer<'a> {
    model: &'a Model,
    stack: Vec<String>,
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

    fn params(&mut self, indices: &[usize], yaml: &Node) -> Result<Vec<Row>, Error> {
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

/// Table text (ends with `\n`), column widths in bytes.
fn table(rows: &[Row]) -> String {
    let header = ["Name", "Description", "Type", "Value"];
    let mut widths = header.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(cells(row)) {
            *width = (*width).max(cell.len());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 4]| {
        out.push('|');
        for (cell, width) in cells.iter().zip(widths) {
            // Widths count bytes, as upstream does.
            out.push(' ');
            out.push_str(cell);
            out.push_str(&" ".repeat(width.saturating_sub(cell.len())));
            out.push_str(" |");
        }
        out.push('\n');
    };
    line(&mut out, header);
    let dashes = widths.map(|w| "-".repeat(w));
    line(&mut out, [&dashes[0], &dashes[1], &dashes[2], &dashes[3]]);
    for row in rows {
        line(&mut out, cells(row));
    }
    out
}

fn cells(row: &Row) -> [&str; 4] {
    [&row.name, &row.description, &row.ty, &row.value]
}

/// Checks the YAML against the declarations (§6.8).
struct Checker<'a> {
    model: &'a Model,
    lines: &'a Lines,
    depth: usize,
}

impl Checker<'_> {
    fn line(&self, key: &Node) -> Option<usize> {
        key.offset.map(|o| self.lines.line_of(o))
    }

    fn top(&mut self, root: &Node) -> Result<(), Error> {
        let Some(entries) = root.entries() else { return Ok(()) };
        for (key, value) in sorted(entries) {
            let name = key_text(key);
            let Some(param) = self.model.params.iter().rev().find(|p| p.name == name) else {
                return Err(Error::values(
                    self.line(key),
                    Some(&name),
                    "parameter is not defined in schema",
                ));
            };
            self.check(value, &param.ty, &name, self.line(key))?;
        }
        Ok(())
    }

    fn check(
        &mut self,
        value: &Node,
        ty: &str,
        path: &str,
        line: Option<usize>,
    ) -> Result<(), Error> {
        if matches!(value.kind, Kind::Null) {
            return Ok(());
        }
        let t = ty.split_whitespace().next().unwrap_or("");
        let t = t.strip_prefix('*').unwrap_or(t);
        self.depth += 1;
        if self.depth > 64 {
            return Err(Error::values(line, Some(path), "types nest too deeply"));
        }
        let result = self.check_inner(value, t, path, line);
        self.depth -= 1;
        result
    }

    fn check_inner(
        &mut self,
        value: &Node,
        t: &str,
        path: &str,
        line: Option<usize>,
    ) -> Result<(), Error> {
        let model = self.model;
        if let Some(elem) = t.strip_prefix("[]") {
            if let Kind::Seq(items) = &value.kind {
                for (i, item) in items.iter().enumerate() {
                    self.check(item, elem, &format!("{path}[{i}]"), line)?;
                }
            }
            return Ok(());
        }
        if let Some(after) = t.strip_prefix("map[")
            && let Some(close) = after.find(']')
        {
            let elem = &after[close + 1..];
            if let Some(entries) = value.entries() {
                for (key, item) in sorted(entries) {
                    let path = format!("{path}.{}", key_text(key));
                    self.check(item, elem, &path, self.line(key).or(line))?;
                }
            }
            return Ok(());
        }
        if readme_primitive(t) || t == "object" || t.contains("quantity") || model.is_enum(t) {
            return Ok(());
        }
        let Some(fields) = model.typedefs.get(t) else {
            return Err(Error::values(line, Some(path), format!("type `{t}` has no schema")));
        };
        if fields.is_empty() {
            return Ok(());
        }
        if let Some(entries) = value.entries() {
            for (key, item) in sorted(entries) {
                let name = key_text(key);
                let path = format!("{path}.{name}");
                let line = self.line(key).or(line);
                let Some(field) = fields.iter().find(|f| f.name == name) else {
                    return Err(Error::values(line, Some(&path), "field is not defined in schema"));
                };
                self.check(item, &field.ty, &path, line)?;
            }
        }
        Ok(())
    }
}

fn sorted(entries: &[(Node, Node)]) -> Vec<(&Node, &Node)> {
    let mut out: Vec<(&Node, &Node)> = entries.iter().map(|(k, v)| (k, v)).collect();
    out.sort_by_key(|(k, _)| key_text(k));
    out
}

/// Reads values.yaml the way the README side does (yaml.v3), as a mapping or null.
pub(super) fn load_yaml(values: &str) -> Result<(Node, Lines), Error> {
    let lines = Lines::new(values);
    let node = yaml_value::parse(values)
        .and_then(|node| yaml_value::reading_v3(&node, &lines))
        .map_err(|err| Error::values(err.line, None, format!("invalid YAML: {}", err.message)))?;
    match node.kind {
        Kind::Map(_) | Kind::Null => Ok((node, lines)),
        _ => Err(Error::values(Some(1), None, "the document is not a mapping")),
    }
}

/// The generated Parameters body (§6.1): one `### title` and table per section.
fn generate(model: &Model, yaml: &Node) -> Result<String, Error> {
    let mut renderer = Renderer { model, stack: Vec::new() };
    let mut out = String::new();
    for (title, params) in &model.sections {
        let rows = renderer.params(params, yaml)?;
        let _ = write!(out, "\n### {title}\n\n{}\n", table(&rows));
    }
    Ok(out)
}

static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^(##+) Parameters").expect("valid pattern"));

/// The whole README with its Parameters section regenerated.
pub(super) fn update(
    annotations: &[Annotation],
    values: &str,
    readme: &str,
) -> Result<String, Error> {
    let model = Model::new(annotations);
    let (yaml, lines) = load_yaml(values)?;
    Checker { model: &model, lines: &lines, depth: 0 }.top(&yaml)?;
    let body = generate(&model, &yaml)?;

    let readme_lines: Vec<&str> = readme.split('\n').collect();
    let Some((heading, level)) = readme_lines
        .iter()
        .enumerate()
        .find_map(|(i, line)| HEADING.captures(line).map(|caps| (i, caps[1].len())))
    else {
        return Err(Error::readme(None, "no `## Parameters` section"));
    };
    let end = readme_lines
        .iter()
        .enumerate()
        .skip(heading + 1)
        .find(|(_, line)| {
            let bytes = line.as_bytes();
            bytes.len() > level && bytes[..level].iter().all(|&b| b == b'#') && bytes[level] != b'#'
        })
        .map_or(readme_lines.len(), |(i, _)| i);
    let mut out: Vec<&str> = readme_lines[..=heading].to_vec();
    out.extend(body.split('\n'));
    out.extend(&readme_lines[end..]);
    Ok(out.join("\n"))
}
