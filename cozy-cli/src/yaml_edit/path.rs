//! The dot-path syntax (`a.b[0]."example.com/x"`): parsing and display.

use std::fmt::Write as _;

use super::Error;

/// One step of a path: a mapping key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A mapping key, matched against the key's string value whatever its quoting in the file.
    Key(String),
    /// A 0-based list index.
    Index(usize),
}

/// Splits a path into segments.
///
/// Syntax: keys separated by `.`; a key containing `.`, `[`, `]` or `"` is written in double
/// quotes (`\"` and `\\` escape inside them); `[n]` after a key (or at the start) indexes a list,
/// and indices chain (`a[0][1]`). One leading `.` is accepted, as in yq (`.a.b`).
pub fn parse_path(path: &str) -> Result<Vec<Segment>, Error> {
    let invalid = |why: &str| Error::nowhere(format!("invalid path `{path}`: {why}"));
    let mut rest = path.strip_prefix('.').unwrap_or(path);
    if rest.is_empty() {
        return Err(invalid("it is empty"));
    }
    let mut segments = Vec::new();
    // Whether the next segment must be a key (start of path, or right after a dot).
    let mut expect_key = !rest.starts_with('[');
    loop {
        if expect_key {
            let (key, after) = if let Some(quoted) = rest.strip_prefix('"') {
                parse_quoted(quoted).ok_or_else(|| invalid("unterminated quoted key"))?
            } else {
                let stop = rest.find(['.', '[']).unwrap_or(rest.len());
                let key = &rest[..stop];
                if key.is_empty() {
                    return Err(invalid("empty key"));
                }
                if key.contains([']', '"']) {
                    return Err(invalid("a key containing `]` or `\"` must be double-quoted"));
                }
                (key.to_owned(), &rest[stop..])
            };
            segments.push(Segment::Key(key));
            rest = after;
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']').ok_or_else(|| invalid("unterminated `[`"))?;
            let digits = &inner[..close];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid("a list index must be a non-negative number"));
            }
            let index = digits.parse().map_err(|_| invalid("list index too large"))?;
            segments.push(Segment::Index(index));
            rest = &inner[close + 1..];
        }
        if rest.is_empty() {
            return Ok(segments);
        }
        rest = rest.strip_prefix('.').ok_or_else(|| invalid("expected `.` or `[` after a key"))?;
        if rest.is_empty() {
            return Err(invalid("empty key at the end"));
        }
        expect_key = true;
    }
}

/// The key of a double-quoted segment (text after the opening quote) and the rest of the path.
fn parse_quoted(text: &str) -> Option<(String, &str)> {
    let mut key = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((key, &text[i + 1..])),
            '\\' => key.push(chars.next()?.1),
            _ => key.push(c),
        }
    }
    None
}

/// The path text for `segments`, quoting keys that need it.
#[must_use]
pub fn display_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                if key.is_empty() || key.contains(['.', '[', ']', '"']) {
                    out.push('"');
                    for c in key.chars() {
                        if matches!(c, '"' | '\\') {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push('"');
                } else {
                    out.push_str(key);
                }
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}
