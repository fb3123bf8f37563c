//! The schema/Go side model (§5): params, typedefs, enums, directive windows, checks.

use std::collections::BTreeMap;

use super::json::Json;
use super::lexer::{Annotation, Decl, Tag};
use super::types::{self, Ty, camel, go_type_name};
use super::yaml_value::{self, Kind, Lines, Node};
use crate::values::Error;

/// Numeric, length, pattern and item-count constraints, as written.
#[derive(Clone, Debug, Default)]
pub(crate) struct Constraints {
    pub(crate) minimum: Option<f64>,
    pub(crate) maximum: Option<f64>,
    pub(crate) exclusive_minimum: bool,
    pub(crate) exclusive_maximum: bool,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) pattern: Option<String>,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
}

/// A `@param` or `@field` with everything attached to it.
#[derive(Clone, Debug)]
pub(crate) struct Prop {
    pub(crate) name: String,
    pub(crate) ty: Ty,
    pub(crate) optional: bool,
    pub(crate) default: Option<String>,
    pub(crate) description: String,
    pub(crate) line: usize,
    pub(crate) immutable: bool,
    pub(crate) constraints: Constraints,
    pub(crate) extensions: BTreeMap<String, Json>,
    pub(crate) examples: Vec<Json>,
}

impl Prop {
    fn new(decl: &Decl, line: usize) -> Prop {
        Prop {
            name: decl.name.clone(),
            ty: Ty::parse(decl.ty.trim()),
            optional: decl.optional,
            default: decl.default.clone(),
            description: decl.description.clone(),
            line,
            immutable: false,
            constraints: Constraints::default(),
            extensions: BTreeMap::new(),
            examples: Vec::new(),
        }
    }

    /// A redeclaration: the new line's attributes, the old directives, and the old annotation
    /// default when the new line has none.
    fn redeclare(self, decl: &Decl, line: usize) -> Prop {
        let mut new = Prop::new(decl, line);
        new.default = new.default.or(self.default);
        new.immutable = self.immutable;
        new.constraints = self.constraints;
        new.extensions = self.extensions;
        new.examples = self.examples;
        new
    }

    /// Go/schema optionality: `[name]`, pointer, list or map.
    pub(crate) fn omitempty(&self) -> bool {
        self.optional || !matches!(self.ty, Ty::Atom(_))
    }
}

/// An `@enum`.
#[derive(Clone, Debug)]
pub(crate) struct EnumDef {
    pub(crate) base: String,
    pub(crate) values: Vec<String>,
}

/// A named type: typedef fields and/or enum values.
#[derive(Clone, Debug, Default)]
pub(crate) struct TypeNode {
    pub(crate) typedef: bool,
    pub(crate) enumeration: Option<EnumDef>,
    /// Fields by key (bytewise order).
    pub(crate) fields: BTreeMap<String, Prop>,
}

/// What an atom of a type expression refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Atom<'a> {
    /// A primitive or format alias.
    Builtin(&'a str),
    /// A typedef node.
    Typedef(&'a str),
    /// An enum with at least one value.
    Enum(&'a str),
    /// `resources`/`request`/`limit` without a typedef: free-form object.
    Object,
    /// Not declared.
    Undefined,
}

/// The schema/Go model of a values.yaml.
#[derive(Debug, Default)]
pub(crate) struct Model {
    /// Params in declaration order (a redeclared param sits at its last declaration).
    pub(crate) params: Vec<Prop>,
    /// Typedefs and enums by name.
    pub(crate) nodes: BTreeMap<String, TypeNode>,
}

enum Target {
    Param(String),
    Field(String, String),
}

impl Model {
    /// Builds the model from the annotations (schema-side attachment rules).
    pub(crate) fn new(annotations: &[Annotation]) -> Result<Model, Error> {
        let mut model = Model::default();
        let mut last_typedef: Option<String> = None;
        let mut open_enum: Option<String> = None;
        let mut target: Option<Target> = None;
        for annotation in annotations {
            let line = annotation.line;
            match &annotation.tag {
                Tag::Param(decl) => {
                    open_enum = None;
                    let prop = match model.params.iter().position(|p| p.name == decl.name) {
                        Some(i) => model.params.remove(i).redeclare(decl, line),
                        None => Prop::new(decl, line),
                    };
                    model.params.push(prop);
                    target = Some(Target::Param(decl.name.clone()));
                }
                Tag::Field(decl) => {
                    open_enum = None;
                    target = None;
                    let Some(typedef) = &last_typedef else { continue };
                    let fields = &mut model.nodes.entry(typedef.clone()).or_default().fields;
                    let prop = match fields.remove(&decl.name) {
                        Some(old) => old.redeclare(decl, line),
                        None => Prop::new(decl, line),
                    };
                    fields.insert(decl.name.clone(), prop);
                    target = Some(Target::Field(typedef.clone(), decl.name.clone()));
                }
                Tag::Typedef(name) => {
                    open_enum = None;
                    target = None;
                    model.nodes.entry(name.clone()).or_default().typedef = true;
                    last_typedef = Some(name.clone());
                }
                Tag::Enum { ty, name } => {
                    target = None;
                    let node = model.nodes.entry(name.clone()).or_default();
                    let base = ty.trim().to_owned();
                    match &mut node.enumeration {
                        Some(def) => def.base = base,
                        None => node.enumeration = Some(EnumDef { base, values: Vec::new() }),
                    }
                    open_enum = Some(name.clone());
                }
                Tag::Value(value) => {
                    if let Some(def) = open_enum
                        .as_ref()
                        .and_then(|name| model.nodes.get_mut(name))
                        .and_then(|node| node.enumeration.as_mut())
                    {
                        def.values.push(value.clone());
                    }
                }
                Tag::Section(_) => {}
                directive => {
                    let prop = match &target {
                        Some(Target::Param(name)) => {
                            model.params.iter_mut().rev().find(|p| &p.name == name)
                        }
                        Some(Target::Field(typedef, name)) => {
                            model.nodes.get_mut(typedef).and_then(|n| n.fields.get_mut(name))
                        }
                        None => None,
                    };
                    if let Some(prop) = prop {
                        apply_directive(prop, directive, line)?;
                    }
                }
            }
        }
        Ok(model)
    }

    /// What `name` refers to.
    pub(crate) fn atom<'a>(&'a self, name: &'a str) -> Atom<'a> {
        if types::is_builtin(name) {
            return Atom::Builtin(name);
        }
        if types::SPECIAL.contains(&name) {
            if let Some((key, _)) = self.nodes.get_key_value(name).filter(|(_, n)| n.typedef) {
                return Atom::Typedef(key);
            }
            let camel = camel(name);
            if let Some((key, _)) = self.nodes.get_key_value(&camel).filter(|(_, n)| n.typedef) {
                return Atom::Typedef(key);
            }
            return Atom::Object;
        }
        match self.nodes.get_key_value(name) {
            Some((key, node)) if node.typedef => Atom::Typedef(key),
            Some((key, node))
                if node.enumeration.as_ref().is_some_and(|e| !e.values.is_empty()) =>
            {
                Atom::Enum(key)
            }
            _ => Atom::Undefined,
        }
    }

    /// Every prop (params, then typedef fields) with the typedef it belongs to.
    pub(crate) fn props(&self) -> impl Iterator<Item = (Option<&str>, &Prop)> {
        self.params.iter().map(|p| (None, p)).chain(
            self.nodes.iter().flat_map(|(name, node)| {
                node.fields.values().map(move |f| (Some(name.as_str()), f))
            }),
        )
    }

    /// The checks that make upstream fail or produce undetermined output: undefined types,
    /// recursive typedefs, Go name collisions.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let mut props: Vec<(Option<&str>, &Prop)> = self.props().collect();
        props.sort_by_key(|(_, p)| p.line);
        for (owner, prop) in &props {
            let atom = prop.ty.atom();
            if self.atom(atom) == Atom::Undefined {
                return Err(Error::values(
                    Some(prop.line),
                    Some(&prop_key(*owner, &prop.name)),
                    format!("unknown type `{atom}`"),
                ));
            }
        }
        let mut heights = BTreeMap::new();
        for name in self.nodes.keys() {
            self.typedef_height(name, &mut Vec::new(), &mut heights)?;
        }
        check_collisions(self.params.iter().map(|p| (&p.name, p.line)), None)?;
        for (typedef, node) in &self.nodes {
            check_collisions(node.fields.values().map(|p| (&p.name, p.line)), Some(typedef))?;
        }
        let mut type_names: BTreeMap<String, &str> = BTreeMap::new();
        for name in self.go_structs().into_iter().chain(self.go_enums().into_iter().map(|(n, _)| n))
        {
            if let Some(other) = type_names.insert(go_type_name(name), name) {
                return Err(Error::values(
                    None,
                    Some(name),
                    format!("type names `{other}` and `{name}` give the same Go name"),
                ));
            }
        }
        Ok(())
    }

    /// Nesting height of typedef `name` (1 for a typedef without typedef fields); rejects
    /// cycles and chains deeper than [`types::MAX_TYPEDEF_DEPTH`].
    fn typedef_height<'a>(
        &'a self,
        name: &'a str,
        stack: &mut Vec<&'a str>,
        heights: &mut BTreeMap<&'a str, usize>,
    ) -> Result<usize, Error> {
        let Some(node) = self.nodes.get(name).filter(|n| n.typedef) else { return Ok(0) };
        if let Some(&height) = heights.get(name) {
            return Ok(height);
        }
        let line = node.fields.values().map(|f| f.line).min();
        if stack.contains(&name) {
            return Err(Error::values(line, Some(name), "recursive typedef"));
        }
        if stack.len() >= types::MAX_TYPEDEF_DEPTH {
            return Err(Error::values(line, Some(name), "typedefs nest too deeply"));
        }
        stack.push(name);
        let mut height = 1;
        for field in node.fields.values() {
            if let Atom::Typedef(key) = self.atom(field.ty.atom()) {
                height = height.max(1 + self.typedef_height(key, stack, heights)?);
            }
        }
        stack.pop();
        if height > types::MAX_TYPEDEF_DEPTH {
            return Err(Error::values(line, Some(name), "typedefs nest too deeply"));
        }
        heights.insert(name, height);
        Ok(height)
    }

    /// Struct nodes for Go, bytewise by node name: typedefs, and `emptyobject` when used.
    pub(crate) fn go_structs(&self) -> Vec<&str> {
        let mut names: Vec<&str> =
            self.nodes.iter().filter(|(_, n)| n.typedef).map(|(k, _)| k.as_str()).collect();
        if self.props().any(|(_, p)| p.ty.atom() == "emptyobject") {
            names.push("emptyobject");
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Enums with at least one value, bytewise by name.
    pub(crate) fn go_enums(&self) -> Vec<(&str, &EnumDef)> {
        self.nodes
            .iter()
            .filter_map(|(k, n)| n.enumeration.as_ref().map(|e| (k.as_str(), e)))
            .filter(|(_, e)| !e.values.is_empty())
            .collect()
    }
}

/// `Typedef.field` for a field, the name for a param.
pub(crate) fn prop_key(owner: Option<&str>, name: &str) -> String {
    match owner {
        Some(typedef) => format!("{typedef}.{name}"),
        None => name.to_owned(),
    }
}

fn check_collisions<'a>(
    names: impl Iterator<Item = (&'a String, usize)>,
    owner: Option<&str>,
) -> Result<(), Error> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut names: Vec<(&String, usize)> = names.collect();
    names.sort_by_key(|(_, line)| *line);
    for (name, line) in names {
        if let Some(other) = seen.insert(camel(name), name) {
            return Err(Error::values(
                Some(line),
                Some(&prop_key(owner, name)),
                format!("keys `{other}` and `{name}` give the same Go field name"),
            ));
        }
    }
    Ok(())
}

fn apply_directive(prop: &mut Prop, tag: &Tag, line: usize) -> Result<(), Error> {
    let c = &mut prop.constraints;
    match tag {
        Tag::Immutable => prop.immutable = true,
        Tag::Extension { key, value } => {
            let json = extension_value(value).map_err(|message| {
                Error::values(
                    Some(line),
                    Some(&prop.name),
                    format!("invalid `@{key}` value: {message}"),
                )
            })?;
            prop.extensions.insert(key.clone(), json);
        }
        Tag::Example(text) => prop.examples.push(example_value(text)),
        Tag::Minimum(n) => c.minimum = n.parse().ok(),
        Tag::Maximum(n) => c.maximum = n.parse().ok(),
        Tag::ExclusiveMinimum => c.exclusive_minimum = true,
        Tag::ExclusiveMaximum => c.exclusive_maximum = true,
        Tag::MinLength(n) => c.min_length = n.parse().ok(),
        Tag::MaxLength(n) => c.max_length = n.parse().ok(),
        Tag::Pattern(p) => c.pattern = Some(p.clone()),
        Tag::MinItems(n) => c.min_items = n.parse().ok(),
        Tag::MaxItems(n) => c.max_items = n.parse().ok(),
        _ => {}
    }
    Ok(())
}

/// An `@x-…` value: YAML 1.2 (flow or scalar) as JSON with sorted keys.
fn extension_value(text: &str) -> Result<Json, String> {
    let lines = Lines::new(text);
    let node = yaml_value::parse(text)
        .and_then(|node| yaml_value::reading_v3(&node, &lines))
        .map_err(|err| err.message)?;
    node_json(&node).ok_or_else(|| "not representable as JSON".to_owned())
}

/// A yaml.v3 value as JSON (keys sorted, non-string keys as text).
pub(crate) fn node_json(node: &Node) -> Option<Json> {
    Some(match &node.kind {
        Kind::Null => Json::Null,
        Kind::Bool(b) => Json::Bool(*b),
        Kind::Int(i) => Json::Int(*i),
        Kind::Float(f) if f.is_finite() => Json::Num(*f),
        Kind::Float(_) => return None,
        Kind::Str { text, .. } => Json::str(text.clone()),
        Kind::Seq(items) => Json::Arr(items.iter().map(node_json).collect::<Option<_>>()?),
        Kind::Map(entries) => {
            let mut map = BTreeMap::new();
            for (key, value) in entries {
                map.insert(yaml_value::key_text(key), node_json(value)?);
            }
            Json::Obj(map.into_iter().collect())
        }
    })
}

/// An `@example` value: `'text'` → string, valid JSON → that JSON, else the text.
fn example_value(text: &str) -> Json {
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return Json::str(inner);
    }
    serde_json::from_str::<serde_json::Value>(text)
        .map_or_else(|_| Json::str(text), |v| from_serde(&v))
}

fn from_serde(value: &serde_json::Value) -> Json {
    match value {
        serde_json::Value::Null => Json::Null,
        serde_json::Value::Bool(b) => Json::Bool(*b),
        serde_json::Value::Number(n) => Json::Num(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Json::str(s.clone()),
        serde_json::Value::Array(items) => Json::Arr(items.iter().map(from_serde).collect()),
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, Json)> =
                map.iter().map(|(k, v)| (k.clone(), from_serde(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Obj(entries)
        }
    }
}
