//! The metadata check: every real key needs a `@param`, every `@param` needs a real key.
//!
//! `@skip` names, and the names of parameters that carry modifiers (cut at their last `[`),
//! exempt the key and its subtree; declared names are only exempt when they equal a skip key
//! exactly, so a `@param` below a skipped subtree is reported as non-existing.

use std::collections::HashSet;

use super::comments::{Kind, Param};
use super::leaves::{Leaf, array_prefix};
use crate::values::Error;

/// One metadata problem, in the tool's order.
struct Problem<'a> {
    line: Option<usize>,
    key: &'a str,
    message: &'static str,
}

/// Fails with the first problem, listing the others in the message.
pub(crate) fn check(leaves: &[Leaf], params: &[Param]) -> Result<(), Error> {
    let skip_keys: Vec<&str> = params
        .iter()
        .filter_map(|param| match param.kind {
            Kind::Skip => Some(param.name.as_str()),
            Kind::Param if !param.modifiers.is_empty() => Some(sanitize(&param.name)),
            Kind::Param | Kind::Extra => None,
        })
        .collect();
    let skipped = |name: &str| {
        skip_keys.iter().any(|skip| {
            name == *skip
                || name
                    .strip_prefix(skip)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    };
    let real: Vec<&Leaf> = leaves.iter().filter(|leaf| !skipped(&leaf.name)).collect();
    let declared: Vec<&Param> = params
        .iter()
        .filter(|param| {
            !param.name.is_empty()
                && param.kind != Kind::Extra
                && !skip_keys.contains(&param.name.as_str())
        })
        .collect();

    let declared_names: HashSet<&str> = declared.iter().map(|param| param.name.as_str()).collect();
    let real_names: HashSet<&str> = real.iter().map(|leaf| leaf.name.as_str()).collect();
    let mut problems: Vec<Problem<'_>> = real
        .iter()
        .filter(|leaf| !declared_names.contains(leaf.name.as_str()))
        .map(|leaf| Problem { line: leaf.line, key: &leaf.name, message: "missing metadata" })
        .collect();
    problems.extend(declared.iter().filter(|param| !real_names.contains(param.name.as_str())).map(
        |param| Problem {
            line: Some(param.line),
            key: &param.name,
            message: "metadata provided for non existing key",
        },
    ));

    let Some(first) = problems.first() else { return Ok(()) };
    let mut message = first.message.to_owned();
    if problems.len() > 1 {
        let others: Vec<String> = problems[1..]
            .iter()
            .map(|problem| {
                let line = problem.line.map(|line| format!("line {line}: ")).unwrap_or_default();
                format!("{line}`{}`: {}", problem.key, problem.message)
            })
            .collect();
        message = format!("{message} (and {} more: {})", others.len(), others.join("; "));
    }
    Err(Error::values(first.line, Some(first.key), message))
}

/// The tool's `sanitizeProperty`: a name with a `[` is cut at its last `[`.
fn sanitize(name: &str) -> &str {
    if name.contains('[') { array_prefix(name) } else { name }
}
