//! `delete_key`: removing one mapping entry, its value block and the deeper comments below it.

use super::locate::{Located, Step, locate, parent_line};
use super::path::{Segment, parse_path};
use super::splice::{self, Splice};
use super::tree::{self, Kind, Node};
use super::verify::{self, Change};
use super::{Error, scan};

/// See [`super::delete_key`].
pub(super) fn delete_key(text: &str, path: &str) -> Result<String, Error> {
    let segments = parse_path(path)?;
    if !matches!(segments.last(), Some(Segment::Key(_))) {
        return Err(Error::nowhere(format!(
            "cannot delete `{path}`: it names a list item; only mapping keys are deleted"
        )));
    }
    let doc = tree::parse(text)?;
    let not_found =
        |line: Option<usize>| Error { line, message: format!("key `{path}` not found") };
    let Some(root) = &doc.root else { return Err(not_found(None)) };
    let target = match locate(root, &segments, path)? {
        Located::Found(target) => target,
        Located::Missing { parent, .. } => return Err(not_found(Some(parent_line(&parent)))),
    };
    let (Some(Step::Entry(index)), Some(container)) = (target.steps.last(), target.container)
    else {
        return Err(not_found(None));
    };
    let Kind::Mapping { entries, flow } = &container.kind else { return Err(not_found(None)) };
    let splice = if *flow {
        delete_flow_entry(entries, *index)
    } else {
        delete_block_entry(text, entries, *index, path)?
    };
    let new = splice::apply(text, &[splice])?;
    let line = target.key.map(|key| key.line);
    verify::check(text, &new, &Change::Delete { steps: &target.steps }, path, line)?;
    Ok(new)
}

/// End of an entry's text (its value, or its key when the value is empty).
fn entry_end((key, value): &(Node, Node)) -> usize {
    key.end.max(value.end)
}

/// The edit that removes entry `index` of a block mapping.
///
/// - The only entry: the entry's text becomes `{}` (the mapping stays, empty).
/// - A key first on its line: its lines go, from the key's line through the value's last line,
///   plus the comment lines right after them indented deeper than the key (blank lines between
///   such comments included). Comment lines above the key stay.
/// - A key sharing its line with `- ` (first entry of a list item): the text from the key to
///   the next key goes, so the next key moves up behind the `- `.
fn delete_block_entry(
    text: &str,
    entries: &[(Node, Node)],
    index: usize,
    path: &str,
) -> Result<Splice, Error> {
    let Some(entry) = entries.get(index) else {
        return Err(Error::nowhere(format!("key `{path}` not found")));
    };
    let key = &entry.0;
    let end = entry_end(entry);
    let refuse = |why: &str| Error::at(key.line, format!("cannot delete `{path}`: {why}"));
    let prefix = text.get(scan::line_start(text, key.start)..key.start).unwrap_or_default();
    if prefix.trim_end().ends_with('?') {
        return Err(refuse("explicit `?` keys are not supported"));
    }
    if entries.len() == 1 {
        return Ok(Splice::new(key.start..end, "{}"));
    }
    if scan::first_on_line(text, key.start) {
        let start = scan::line_start(text, key.start);
        let stop = deeper_comments_end(
            text,
            scan::next_line_start(text, end),
            scan::column(text, key.start),
        );
        if stop == text.len() && !text.ends_with('\n') && start > 0 {
            // The last line has no line break: end the text where the previous non-blank line
            // ends instead (dropping the blank lines between).
            let previous = scan::trim_ws_back(text, 0, start);
            return Ok(Splice::new(scan::line_end(text, previous)..stop, ""));
        }
        return Ok(Splice::new(start..stop, ""));
    }
    match entries.get(index + 1) {
        Some((next, _)) => Ok(Splice::new(key.start..next.start, "")),
        None => Err(refuse("the key shares its line with another node")),
    }
}

/// Where the comment lines starting at `from` that are indented deeper than `column` end
/// (blank lines count only when such a comment follows them).
fn deeper_comments_end(text: &str, from: usize, column: usize) -> usize {
    let (mut pos, mut end) = (from, from);
    while pos < text.len() {
        let line = text.get(pos..scan::line_end(text, pos)).unwrap_or_default();
        let body = line.trim_start_matches([' ', '\t']);
        let next = scan::next_line_start(text, pos);
        if body.is_empty() {
            pos = next;
        } else if body.starts_with('#') && line.len() - body.len() > column {
            pos = next;
            end = next;
        } else {
            break;
        }
    }
    end
}

/// The edit that removes entry `index` of a flow mapping with the separator before it (after
/// it, for the first entry).
fn delete_flow_entry(entries: &[(Node, Node)], index: usize) -> Splice {
    let start = match index.checked_sub(1).and_then(|i| entries.get(i)) {
        Some(previous) => entry_end(previous),
        None => entries.get(index).map_or(0, |(key, _)| key.start),
    };
    let end = if index == 0 && entries.len() > 1 {
        entries[1].0.start
    } else {
        entries.get(index).map_or(start, entry_end)
    };
    Splice::new(start..end.max(start), "")
}
