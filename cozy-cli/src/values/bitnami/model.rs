//! Parameters with their values: metadata joined with the real keys, modifiers applied (2.7.0 rules).
//!
//! A parameter takes the value of the leaf with exactly its name (`undefined` otherwise, `""`
//! for `@extra`). Modifiers then replace it left to right (`array` → the string `[]`, `object`
//! → `{}`, `string` → `""`, `default: X` → `X`), except that nothing is applied at all when the
//! first `nullable` is the last modifier.

use std::collections::HashMap;

use super::comments::{Kind, Param};
use super::config::Config;
use super::js::Js;
use super::leaves::Leaf;
use super::patterns::DefaultModifier;
use crate::values::Error;

/// A parameter ready to render.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub(crate) kind: Kind,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) modifiers: Vec<String>,
    pub(crate) line: usize,
    /// The value; `None` is `undefined`.
    pub(crate) value: Option<Js>,
    /// The leaf's type (`""` when the name is not a leaf).
    pub(crate) type_name: String,
    /// Whether the schema may describe it.
    pub(crate) schema: bool,
}

/// Joins every parameter with the leaf of the same name.
pub(crate) fn combine(params: &[Param], leaves: &[Leaf]) -> Vec<Resolved> {
    let by_name: HashMap<&str, &Leaf> =
        leaves.iter().rev().map(|leaf| (leaf.name.as_str(), leaf)).collect();
    params
        .iter()
        .map(|param| {
            let mut resolved = Resolved {
                kind: param.kind,
                name: param.name.clone(),
                description: param.description.clone(),
                modifiers: param.modifiers.clone(),
                line: param.line,
                value: None,
                type_name: String::new(),
                schema: true,
            };
            if param.kind == Kind::Extra {
                resolved.value = Some(Js::Str(String::new()));
            } else if let Some(leaf) = by_name.get(param.name.as_str()) {
                resolved.value.clone_from(&leaf.value);
                resolved.type_name.clone_from(&leaf.type_name);
                resolved.schema = leaf.schema;
            }
            resolved
        })
        .collect()
}

/// Applies the modifiers of every non-skipped parameter, then drops `@skip` entries.
pub(crate) fn apply_modifiers(
    params: &[Resolved],
    config: &Config,
    default: &DefaultModifier,
) -> Result<Vec<Resolved>, Error> {
    let mut out = Vec::new();
    for param in params {
        let mut param = param.clone();
        apply(&mut param, config, default)?;
        if param.kind != Kind::Skip {
            out.push(param);
        }
    }
    Ok(out)
}

fn apply(param: &mut Resolved, config: &Config, default: &DefaultModifier) -> Result<(), Error> {
    let names = &config.modifiers;
    let first_nullable =
        param.modifiers.iter().position(|m| names.nullable.is(m)).map_or(0, |i| i + 1);
    if first_nullable == param.modifiers.len() {
        return Ok(());
    }
    for modifier in &param.modifiers {
        if *modifier == names.array.text {
            param.value = Some(Js::Str("[]".to_owned()));
        } else if *modifier == names.object.text {
            param.value = Some(Js::Str("{}".to_owned()));
        } else if *modifier == names.string.text {
            param.value = Some(Js::Str("\"\"".to_owned()));
        } else if *modifier == names.nullable.text {
            // Keeps the value.
        } else if default.matches.is_match(modifier) {
            param.value = Some(Js::Str(default.prefix.replace(modifier, "").into_owned()));
        } else {
            return Err(Error::values(
                Some(param.line),
                Some(&param.name),
                format!("unknown modifier `{modifier}`"),
            ));
        }
    }
    Ok(())
}
