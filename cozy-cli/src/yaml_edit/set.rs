//! `set_scalar`: replacing one scalar's bytes, or adding the missing keys that lead to it.

use saphyr_parser::ScalarStyle;

use super::locate::{Located, Target, describe, locate, parent_line};
use super::path::{Segment, parse_path};
use super::render::{Style, double_quoted, render, render_key};
use super::splice::{self, Splice};
use super::tree::{self, Kind, Node};
use super::verify::{self, Change};
use super::{Error, scan};

/// See [`super::set_scalar`].
pub(super) fn set_scalar(
    text: &str,
    path: &str,
    value: &str,
    create: bool,
) -> Result<String, Error> {
    let segments = parse_path(path)?;
    let doc = tree::parse(text)?;
    let not_found =
        |line: Option<usize>| Error { line, message: format!("key `{path}` not found") };
    let Some(root) = &doc.root else {
        if !create {
            return Err(not_found(None));
        }
        return create_document(text, &segments, value, path);
    };
    match locate(root, &segments, path)? {
        Located::Found(target) => {
            let splices = replace(text, &target, value, path)?;
            let new = splice::apply(text, &splices)?;
            verify::check(
                text,
                &new,
                &Change::Set { steps: &target.steps, created: &[], value },
                path,
                Some(target.node.line),
            )?;
            Ok(new)
        }
        Located::Missing { parent, depth } => {
            if !create {
                return Err(not_found(Some(parent_line(&parent))));
            }
            let keys = keys_to_create(&segments[depth..], path)?;
            let step = tree::indent_step(text, root);
            let splices = create_keys(text, &parent, &segments[..depth], &keys, value, step, path)?;
            let new = splice::apply(text, &splices)?;
            let change = Change::Set { steps: &parent.steps, created: &keys, value };
            verify::check(text, &new, &change, path, Some(parent_line(&parent)))?;
            Ok(new)
        }
    }
}

/// A text without a document (empty, or only comments) with the keys appended at its end.
fn create_document(
    text: &str,
    segments: &[Segment],
    value: &str,
    path: &str,
) -> Result<String, Error> {
    let keys = keys_to_create(segments, path)?;
    let eol = scan::eol(text);
    let separator = if text.is_empty() || text.ends_with('\n') { "" } else { eol };
    let block = new_keys(&keys, value, eol, 0, 2);
    let body = block.strip_prefix(eol).unwrap_or(&block);
    let insert = Splice::insert(text.len(), format!("{separator}{body}{eol}"));
    let new = splice::apply(text, &[insert])?;
    verify::check(text, &new, &Change::Set { steps: &[], created: &keys, value }, path, None)?;
    Ok(new)
}

/// The keys of the missing segments; list items are never created.
fn keys_to_create<'s>(missing: &'s [Segment], path: &str) -> Result<Vec<&'s str>, Error> {
    missing
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => Ok(key.as_str()),
            Segment::Index(_) => Err(Error::nowhere(format!(
                "cannot create `{path}`: list items are never created, only mapping keys"
            ))),
        })
        .collect()
}

/// The edits that replace the scalar at `target` with `value`.
fn replace(text: &str, target: &Target<'_>, value: &str, path: &str) -> Result<Vec<Splice>, Error> {
    let node = target.node;
    let refuse = |what: &str| Error::at(node.line, format!("cannot set `{path}`: {what}"));
    let Kind::Scalar { value: old, style } = &node.kind else {
        return Err(match node.kind {
            Kind::Alias => refuse("the value is an alias; edit the anchored node instead"),
            _ => refuse(&format!("the value is {}, not a scalar", node.noun())),
        });
    };
    let flow = target.in_flow;
    Ok(match style {
        ScalarStyle::Plain if old.is_empty() => vec![fill_empty(text, node, value, flow)],
        ScalarStyle::Plain => {
            vec![Splice::new(node.content_start..node.end, render(value, Style::Plain, flow))]
        }
        ScalarStyle::SingleQuoted => {
            vec![Splice::new(node.content_start..node.end, render(value, Style::Single, flow))]
        }
        ScalarStyle::DoubleQuoted => {
            vec![Splice::new(node.content_start..node.end, render(value, Style::Double, flow))]
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            // The header becomes a double-quoted scalar on the same line (keeping any comment
            // after the header); the content lines go, trailing blank lines stay.
            let header = node.content_start;
            let mut splices =
                vec![Splice::new(header..scan::header_end(text, header), double_quoted(value))];
            let header_line_end = scan::line_end(text, header);
            if node.end > header_line_end {
                splices.push(Splice::new(header_line_end..scan::line_end(text, node.end), ""));
            }
            splices
        }
    })
}

/// The edit that writes `value` where an empty scalar is (`key:`, `- `, `&anchor`).
fn fill_empty(text: &str, node: &Node, value: &str, flow: bool) -> Splice {
    let rendered = render(value, Style::Plain, flow);
    let at = node.end;
    let bytes = text.as_bytes();
    if !node.props && bytes.get(at) == Some(&b':') {
        Splice::insert(at + 1, format!(" {rendered}"))
    } else if node.props || at == 0 || !matches!(bytes.get(at - 1), Some(b' ' | b'\t')) {
        Splice::insert(at, format!(" {rendered}"))
    } else {
        Splice::insert(at, rendered)
    }
}

/// `keys` as new block mapping lines, each after a line break, the first at `indent` columns
/// and each next one `step` deeper; the last holds `value`.
fn new_keys(keys: &[&str], value: &str, eol: &str, indent: usize, step: usize) -> String {
    let mut out = String::new();
    for (depth, key) in keys.iter().enumerate() {
        out.push_str(eol);
        out.push_str(&" ".repeat(indent + depth * step));
        out.push_str(&render_key(key));
        out.push(':');
    }
    out.push(' ');
    out.push_str(&render(value, Style::Plain, false));
    out
}

/// `keys` as one flow mapping entry, nesting deeper keys in braces: `b: {c: v}`.
fn new_flow_keys(keys: &[&str], value: &str) -> String {
    let mut out = String::new();
    for (depth, key) in keys.iter().enumerate() {
        if depth > 0 {
            out.push('{');
        }
        out.push_str(&render(key, Style::Plain, true));
        out.push_str(": ");
    }
    out.push_str(&render(value, Style::Plain, true));
    out.push_str(&"}".repeat(keys.len().saturating_sub(1)));
    out
}

/// The edits that add `keys` (nested, the last holding `value`) below `parent`: appended after
/// the last entry of a block mapping (or of a flow mapping, inside its braces), or below a bare
/// null block mapping value (`key:`, `key: ~`).
fn create_keys(
    text: &str,
    parent: &Target<'_>,
    existing: &[Segment],
    keys: &[&str],
    value: &str,
    step: usize,
    path: &str,
) -> Result<Vec<Splice>, Error> {
    let node = parent.node;
    let eol = scan::eol(text);
    let refuse = |why: String| Error::at(node.line, format!("cannot create `{path}`: {why}"));
    match &node.kind {
        Kind::Mapping { entries, flow: true } => {
            // `{a: 1}` → `{a: 1, b: v}`; `{}` → `{b: v}`; deeper levels nest as `{c: v}`.
            let entry = new_flow_keys(keys, value);
            Ok(vec![match entries.last() {
                Some(last) => Splice::insert(last.0.end.max(last.1.end), format!(", {entry}")),
                None => Splice::insert(node.end.saturating_sub(1), entry),
            }])
        }
        Kind::Mapping { entries, flow: false } => {
            let indent = entries.first().map_or(0, |(key, _)| scan::column(text, key.start));
            let at = scan::line_end(text, node.end);
            Ok(vec![Splice::insert(at, new_keys(keys, value, eol, indent, step))])
        }
        _ => {
            let (Some(key), Some(Node { kind: Kind::Mapping { flow: false, .. }, .. })) =
                (parent.key, parent.container)
            else {
                return Err(refuse(format!(
                    "{} is an empty value outside a block mapping",
                    describe(existing)
                )));
            };
            let indent = scan::column(text, key.start) + step;
            let mut splices = Vec::new();
            if node.end > node.content_start {
                // `key: ~` or `key: null`: drop the null and the blanks before it.
                let from = scan::trim_ws_back(text, key.end, node.content_start);
                splices.push(Splice::new(from..node.end, ""));
            }
            let at = scan::line_end(text, node.end.max(key.end));
            splices.push(Splice::insert(at, new_keys(keys, value, eol, indent, step)));
            Ok(splices)
        }
    }
}
