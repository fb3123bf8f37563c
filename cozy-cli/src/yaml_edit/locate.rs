//! Following a path through the node tree.

use super::Error;
use super::path::{Segment, display_path};
use super::tree::{Kind, Node};

/// One step taken: the n-th entry of a mapping or the n-th item of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Entry(usize),
    Item(usize),
}

/// A node reached by a path, with how it was reached.
pub(super) struct Target<'d> {
    pub(super) node: &'d Node,
    pub(super) steps: Vec<Step>,
    /// The collection holding the node (`None` for the root).
    pub(super) container: Option<&'d Node>,
    /// The key node when the node is a mapping value.
    pub(super) key: Option<&'d Node>,
    /// Whether the node sits inside a flow collection.
    pub(super) in_flow: bool,
}

/// Where a path leads.
pub(super) enum Located<'d> {
    /// Every segment exists.
    Found(Target<'d>),
    /// The first `depth` segments exist and lead to `parent`: a mapping without the next key,
    /// or a bare null value that could become a mapping.
    Missing { parent: Target<'d>, depth: usize },
}

/// Follows `segments` from `root`. `path` is the path as given, for messages.
pub(super) fn locate<'d>(
    root: &'d Node,
    segments: &[Segment],
    path: &str,
) -> Result<Located<'d>, Error> {
    let mut target =
        Target { node: root, steps: Vec::new(), container: None, key: None, in_flow: false };
    for (depth, segment) in segments.iter().enumerate() {
        let node = target.node;
        let here = || describe(&segments[..depth]);
        match (segment, &node.kind) {
            (Segment::Key(name), Kind::Mapping { entries, flow }) => {
                let found = entries.iter().position(
                    |(key, _)| matches!(&key.kind, Kind::Scalar { value, .. } if value == name),
                );
                let Some(index) = found else {
                    return Ok(Located::Missing { parent: target, depth });
                };
                let (key, value) = &entries[index];
                target.steps.push(Step::Entry(index));
                target = Target {
                    node: value,
                    steps: target.steps,
                    container: Some(node),
                    key: Some(key),
                    in_flow: target.in_flow || *flow,
                };
            }
            (Segment::Index(index), Kind::Sequence { items, flow }) => {
                let Some(item) = items.get(*index) else {
                    let message = format!(
                        "index `{}` not found: {} has {} item{}",
                        display_path(&segments[..=depth]),
                        here(),
                        items.len(),
                        if items.len() == 1 { "" } else { "s" }
                    );
                    return Err(Error::at(node.line, message));
                };
                target.steps.push(Step::Item(*index));
                target = Target {
                    node: item,
                    steps: target.steps,
                    container: Some(node),
                    key: None,
                    in_flow: target.in_flow || *flow,
                };
            }
            (Segment::Key(_), _) if node.is_bare_null() => {
                return Ok(Located::Missing { parent: target, depth });
            }
            (_, Kind::Alias) => {
                let message = format!(
                    "cannot follow `{path}`: {} is an alias; edit the anchored node instead",
                    here()
                );
                return Err(Error::at(node.line, message));
            }
            (Segment::Key(_), _) => {
                let message =
                    format!("cannot follow `{path}`: {} is {}, not a mapping", here(), node.noun());
                return Err(Error::at(node.line, message));
            }
            (Segment::Index(_), _) => {
                let message =
                    format!("cannot follow `{path}`: {} is {}, not a list", here(), node.noun());
                return Err(Error::at(node.line, message));
            }
        }
    }
    Ok(Located::Found(target))
}

/// `` `a.b` `` for a path prefix, or "the document" for the empty prefix.
pub(super) fn describe(segments: &[Segment]) -> String {
    if segments.is_empty() {
        "the document".to_owned()
    } else {
        format!("`{}`", display_path(segments))
    }
}

/// The line naming `target`: its key's line for a mapping value, else its own.
pub(super) fn parent_line(target: &Target<'_>) -> usize {
    target.key.map_or(target.node.line, |key| key.line)
}
