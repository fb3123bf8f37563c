//! Replacing the README's Parameters section with freshly rendered tables.
//!
//! The section is found by its header (`^(##+) <title>`, exactly one, or two in which case
//! everything between them goes); its end is the next header with the same number of `#`.
//! The old content is deleted from the line after the header through the line after the
//! last "table-like" line (any line that is not prose), so prose after the last table stays.
//! The result is joined with `\n` whatever the input used.

use regex::Regex;

use super::comments::split_lines;
use super::jsregex::{is_line_terminator, is_space};
use super::model::Resolved;
use super::table;
use crate::values::Error;

/// A section to render: title, description lines and rows (`@skip` already dropped).
pub(crate) struct RenderSection<'a> {
    pub(crate) title: &'a str,
    pub(crate) description_lines: &'a [String],
    pub(crate) rows: Vec<Resolved>,
}

/// `readme` with its Parameters section replaced by `sections`.
pub(crate) fn update(
    readme: &str,
    sections: &[RenderSection<'_>],
    header: &Regex,
) -> Result<String, Error> {
    let mut lines: Vec<String> = split_lines(readme).into_iter().map(str::to_owned).collect();
    let mut hashes = String::new();
    let mut limits: Vec<usize> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(captures) = header.captures(line) {
            captures.get(1).map_or("", |m| m.as_str()).clone_into(&mut hashes);
            limits.push(index + 1);
        }
    }
    if limits.len() == 1 {
        let start = limits[0];
        let end = lines[start..]
            .iter()
            .position(|line| starts_header(line, &hashes))
            .map_or(lines.len(), |offset| start + offset);
        let last_table_like =
            lines[start..end].iter().rposition(|line| !line.is_empty() && !is_prose(line));
        // The table-like line and the (blank) line after it go; without one, only the line
        // after the header goes.
        limits.push(last_table_like.map_or(start, |offset| start + offset + 1));
    }
    if limits.len() != 2 {
        let message = if limits.is_empty() {
            "no Parameters section header (a `## Parameters` line)".to_owned()
        } else {
            format!("{} Parameters section headers, expected one", limits.len())
        };
        return Err(Error::readme(limits.get(2).copied(), message));
    }

    let block = render_block(sections, &format!("{hashes}#"));
    let (start, last) = (limits[0], limits[1]);
    let delete_end = (last + 1).min(lines.len()).max(start);
    lines.splice(start..delete_end, block);
    Ok(lines.join("\n"))
}

/// `^#{n}\s`: a header of the same level.
fn starts_header(line: &str, hashes: &str) -> bool {
    line.strip_prefix(hashes).and_then(|rest| rest.chars().next()).is_some_and(is_space)
}

/// Prose: a line with a run (between line terminators) that has no `|` and whose first
/// non-blank character is not `#` (the tool's `/(?!.*\|).*\S(?<!\|.*)(?<!#.*)/`).
fn is_prose(line: &str) -> bool {
    line.split(is_line_terminator).any(|segment| {
        !segment.contains('|') && segment.chars().find(|&c| !is_space(c)).is_some_and(|c| c != '#')
    })
}

/// The generated lines: per section a blank line, the header, a blank line, the description
/// and a blank line if any, the table and a blank line if any rows.
fn render_block(sections: &[RenderSection<'_>], hashes: &str) -> Vec<String> {
    // Built as the tool builds it, `\r\n` included, then split the way it splits.
    let mut text = String::new();
    for section in sections {
        text.push_str("\r\n");
        text.push_str(hashes);
        text.push(' ');
        text.push_str(section.title);
        text.push_str("\r\n\n");
        let description = section.description_lines.join("\r\n");
        if !description.is_empty() {
            text.push_str(&description);
            text.push_str("\r\n\n");
        }
        if !section.rows.is_empty() {
            text.push_str(&table::render(&section.rows));
            text.push_str("\r\n");
        }
    }
    split_lines(&text).into_iter().map(str::to_owned).collect()
}
