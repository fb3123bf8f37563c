//! Byte-level helpers over YAML text: lines, whitespace, comments, node properties, quoted and
//! block scalar extents. Every position is a byte offset on a char boundary; helpers clamp to
//! the text instead of panicking.

/// Whether `b` is YAML white space or a line break byte.
pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The line break used by `text`: `\r\n` when its first line ends that way, else `\n`.
pub(super) fn eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Start of the line holding `pos`.
pub(super) fn line_start(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.as_bytes()[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// End of the line holding `pos`: the position of its line break (`\r` of `\r\n`), or the text
/// length on the last line.
pub(super) fn line_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let pos = pos.min(bytes.len());
    match bytes[pos..].iter().position(|&b| b == b'\n') {
        Some(i) => {
            let newline = pos + i;
            if newline > pos && bytes[newline - 1] == b'\r' { newline - 1 } else { newline }
        }
        None => bytes.len(),
    }
}

/// Start of the line after the one holding `pos` (the text length on the last line).
pub(super) fn next_line_start(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let pos = pos.min(bytes.len());
    bytes[pos..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| pos + i + 1)
}

/// Column of `pos` in characters (indentation is spaces, so this is also the indent width); a
/// byte order mark does not count.
pub(super) fn column(text: &str, pos: usize) -> usize {
    let start = line_start(text, pos);
    text.get(start..pos.min(text.len()))
        .map_or(0, |s| s.chars().filter(|&c| c != '\u{feff}').count())
}

/// Whether only spaces and tabs precede `pos` on its line.
pub(super) fn first_on_line(text: &str, pos: usize) -> bool {
    let start = line_start(text, pos);
    text.as_bytes()[start..pos.min(text.len())].iter().all(|&b| b == b' ' || b == b'\t')
}

/// `pos` moved forward over white space, line breaks and `#` comments.
pub(super) fn skip_ws_comments(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(pos) {
        if is_ws(b) {
            pos += 1;
        } else if b == b'#' {
            pos = line_end(text, pos);
        } else {
            break;
        }
    }
    pos
}

/// `end` moved back over white space, but not before `floor`.
pub(super) fn trim_ws_back(text: &str, floor: usize, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    end = end.min(bytes.len());
    while end > floor && is_ws(bytes[end - 1]) {
        end -= 1;
    }
    end
}

/// End of the token (anchor, tag, alias) starting at `pos`: the next white space or flow
/// indicator.
fn token_end(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(pos) {
        if is_ws(b) || matches!(b, b',' | b'[' | b']' | b'{' | b'}') {
            break;
        }
        pos += 1;
    }
    pos
}

/// Skips node properties (`&anchor`, `!tag`) at `pos`: returns the end of the last property
/// (`pos` when there is none) and where the content starts after them.
pub(super) fn skip_props(text: &str, pos: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut props_end, mut content) = (pos, pos);
    while matches!(bytes.get(content), Some(b'&' | b'!')) {
        props_end = token_end(text, content);
        content = skip_ws_comments(text, props_end);
    }
    (props_end, content)
}

/// End (just past the closing quote) of the quoted scalar whose opening quote is at `start`.
pub(super) fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(start)?;
    let mut pos = start + 1;
    while let Some(&b) = bytes.get(pos) {
        if quote == b'"' && b == b'\\' {
            pos += 2;
        } else if b == quote {
            if quote == b'\'' && bytes.get(pos + 1) == Some(&b'\'') {
                pos += 2;
            } else {
                return Some(pos + 1);
            }
        } else {
            pos += 1;
        }
    }
    None
}

/// Position of the `|` or `>` header of a block scalar, searching forward from `from` (the end
/// of the event before the scalar) over white space, comments, `:`/`-`/`?` indicators and
/// properties.
pub(super) fn block_header(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = from;
    loop {
        pos = skip_ws_comments(text, pos);
        match *bytes.get(pos)? {
            b'|' | b'>' => return Some(pos),
            b'-' | b'?' | b':' if bytes.get(pos + 1).is_none_or(|&b| is_ws(b)) => pos += 1,
            b'&' | b'!' => pos = token_end(text, pos),
            _ => return None,
        }
    }
}

/// End of a block scalar header (`|`, `>`, then indentation and chomping indicators).
pub(super) fn header_end(text: &str, header: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = header + 1;
    while bytes.get(pos).is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-')) {
        pos += 1;
    }
    pos.min(bytes.len())
}

/// End of the last content line of a block scalar (just past its last non-blank character),
/// or `None` when the scalar has no content lines. `span_end` is where the parser says the
/// scalar ends (the next token, after trailing blank lines).
pub(super) fn block_content_end(text: &str, header: usize, span_end: usize) -> Option<usize> {
    let header_line_end = line_end(text, header);
    let end = trim_ws_back(text, header_line_end, span_end);
    (end > header_line_end).then_some(end)
}
