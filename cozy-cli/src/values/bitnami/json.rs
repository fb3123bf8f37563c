//! `JSON.stringify`: compact for README cells, four-space indented for values.schema.json.
//!
//! Keys in JavaScript order, Infinity and NaN as `null`, strings escaped only where JSON
//! requires it (quotes, backslashes, control characters; `/`, `<`, non-ASCII stay raw).

use std::fmt::Write as _;

use super::js::{Js, number_to_string};

/// `JSON.stringify(value)`: compact, as in README value cells.
pub(crate) fn json_compact(value: &Js) -> String {
    let mut out = String::new();
    write_json(&mut out, value, None, 0);
    out
}

/// `JSON.stringify(value, null, 4)`: four-space indentation, no final newline.
pub(crate) fn json_pretty(value: &Js) -> String {
    let mut out = String::new();
    write_json(&mut out, value, Some(4), 0);
    out
}

fn write_json(out: &mut String, value: &Js, indent: Option<usize>, depth: usize) {
    match value {
        Js::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Js::Num(number) if number.is_finite() => out.push_str(&number_to_string(*number)),
        // Infinity and NaN become null.
        Js::Null | Js::Num(_) => out.push_str("null"),
        Js::Str(text) => write_json_string(out, text),
        Js::Arr(array) => {
            let items: Vec<&Js> = array.items.iter().collect();
            write_container(out, ('[', ']'), &items, indent, depth, |out, item, depth| {
                write_json(out, item, indent, depth);
            });
        }
        Js::Obj(object) => {
            let keys = object.keys();
            write_container(out, ('{', '}'), &keys, indent, depth, |out, key, depth| {
                write_json_string(out, key);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                if let Some(item) = object.get(key) {
                    write_json(out, item, indent, depth);
                }
            });
        }
    }
}

fn write_container<T: Copy>(
    out: &mut String,
    (open, close): (char, char),
    items: &[T],
    indent: Option<usize>,
    depth: usize,
    mut write_item: impl FnMut(&mut String, T, usize),
) {
    out.push(open);
    if items.is_empty() {
        out.push(close);
        return;
    }
    for (position, &item) in items.iter().enumerate() {
        if position > 0 {
            out.push(',');
        }
        if let Some(width) = indent {
            out.push('\n');
            out.push_str(&" ".repeat(width * (depth + 1)));
        }
        write_item(out, item, depth + 1);
    }
    if let Some(width) = indent {
        out.push('\n');
        out.push_str(&" ".repeat(width * depth));
    }
    out.push(close);
}

/// A JSON string literal escaped like `JSON.stringify`.
fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            control if u32::from(control) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(control));
            }
            other => out.push(other),
        }
    }
    out.push('"');
}
