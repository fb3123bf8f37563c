//! README `## Parameters` tables (cozyvalues-gen `-r`): section text, layout, replacement.

use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

use super::lexer::Annotation;
use super::readme_check::Checker;
use super::readme_model::Model;
use super::readme_rows::Renderer;
use super::yaml_value::{self, Kind, Lines, Node};
use crate::values::Error;

/// One table row, cells already formatted.
pub(super) struct Row {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) ty: String,
    pub(super) value: String,
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
