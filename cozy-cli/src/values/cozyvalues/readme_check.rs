//! The README side's checks of values.yaml against the declarations (§6.8).

use super::readme_model::Model;
use super::types::readme_primitive;
use super::yaml_value::{Kind, Lines, Node, key_text};
use crate::values::Error;

/// Checks the YAML against the declarations (§6.8).
pub(super) struct Checker<'a> {
    pub(super) model: &'a Model,
    pub(super) lines: &'a Lines,
    pub(super) depth: usize,
}

impl Checker<'_> {
    fn line(&self, key: &Node) -> Option<usize> {
        key.offset.map(|o| self.lines.line_of(o))
    }

    pub(super) fn top(&mut self, root: &Node) -> Result<(), Error> {
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
