//! The Markdown parameter table (markdown-table v2 with default options).
//!
//! Columns are as wide as their longest cell counted in UTF-16 code units, cells are padded
//! on the right, the delimiter row is all dashes, nothing in a cell is escaped.

use super::comments::Kind;
use super::js::{Js, utf16_len};
use super::json::json_compact;
use super::model::Resolved;

/// The table for a section's rows, lines joined with `\n`, no final newline.
pub(crate) fn render(rows: &[Resolved]) -> String {
    let mut cells: Vec<[String; 3]> =
        vec![["Name".to_owned(), "Description".to_owned(), "Value".to_owned()]];
    cells.extend(
        rows.iter()
            .map(|row| [format!("`{}`", row.name), row.description.clone(), value_cell(row)]),
    );
    let mut widths = [1usize; 3];
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(utf16_len(cell));
        }
    }
    let delimiter = widths.map(|width| "-".repeat(width));
    let mut lines = Vec::with_capacity(cells.len() + 1);
    for (index, row) in cells.iter().enumerate() {
        lines.push(line(row, &widths));
        if index == 0 {
            lines.push(line(&delimiter, &widths));
        }
    }
    lines.join("\n")
}

fn line(row: &[String; 3], widths: &[usize; 3]) -> String {
    let mut out = String::from("|");
    for (cell, width) in row.iter().zip(widths) {
        out.push(' ');
        out.push_str(cell);
        out.push_str(&" ".repeat(width.saturating_sub(utf16_len(cell))));
        out.push_str(" |");
    }
    out
}

/// The Value cell: empty for `@extra`, else the value in backticks.
fn value_cell(row: &Resolved) -> String {
    if row.kind == Kind::Extra {
        return String::new();
    }
    let text = match &row.value {
        None => "undefined".to_owned(),
        Some(Js::Str(text)) if text.is_empty() => "\"\"".to_owned(),
        Some(value @ (Js::Null | Js::Arr(_) | Js::Obj(_))) => json_compact(value),
        Some(value) => value.to_js_string(),
    };
    format!("`{text}`")
}
