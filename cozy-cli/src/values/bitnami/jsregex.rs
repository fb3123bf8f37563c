//! JavaScript regular-expression semantics on top of the `regex` crate.
//!
//! The tool builds its patterns by splicing config.json strings into JavaScript regular
//! expressions. `regex` picks the same leftmost-first match and captures as a backtracking
//! engine for the constructs both support, so a pattern only needs JavaScript's character
//! classes spelled out: `\s` (which includes U+FEFF but not U+0085), `.` (which stops at `\r`,
//! U+2028 and U+2029) and the ASCII-only `\d`, `\w`, `\b`. [`translate`] does that for config
//! fragments and rejects what `regex` cannot do (lookaround, back-references).

use regex::Regex;

/// The members of JavaScript's `\s`, for use inside a character class.
pub(crate) const SPACE_SET: &str = r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// JavaScript's `\s`.
pub(crate) fn space() -> String {
    format!("[{SPACE_SET}]")
}

/// JavaScript's `\S`.
pub(crate) fn non_space() -> String {
    format!("[^{SPACE_SET}]")
}

/// JavaScript's `.` without the `s` flag.
pub(crate) const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";

/// Whether `c` is in JavaScript's `\s`.
pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Whether `c` ends a line for JavaScript's `.`.
pub(crate) fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// Compiles a pattern built from [`translate`]d pieces.
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|err| format!("invalid regular expression `{pattern}`: {err}"))
}

/// Rewrites a JavaScript regular-expression fragment (from config.json) for the `regex` crate,
/// keeping its capture groups and their numbering.
pub(crate) fn translate(fragment: &str) -> Result<String, String> {
    let chars: Vec<char> = fragment.chars().collect();
    let mut out = String::new();
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err(format!("`{fragment}` ends with a lone backslash"));
                };
                i += 1;
                translate_escape(&chars, &mut i, next, in_class, &mut out, fragment)?;
            }
            '[' if in_class => out.push_str(r"\["),
            '[' => {
                in_class = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    return Err(format!("`{fragment}` has an empty character class"));
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class => {
                // `&&`, `~~` and `--` are set operations in `regex` classes.
                if c == '-' && chars.get(i + 1) != Some(&'-') {
                    out.push('-');
                } else {
                    out.push('\\');
                    out.push(c);
                }
            }
            _ if in_class => out.push(c),
            '.' => out.push_str(DOT),
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    let rest: String = chars[i..].iter().take(4).collect();
                    let lookaround = rest.starts_with("(?=")
                        || rest.starts_with("(?!")
                        || rest.starts_with("(?<=")
                        || rest.starts_with("(?<!");
                    let supported = rest.starts_with("(?:") || rest.starts_with("(?<");
                    if lookaround || !supported {
                        return Err(format!("`{fragment}` uses a group `regex` cannot match"));
                    }
                }
                out.push('(');
            }
            '{' => {
                if quantifier_at(&chars, i) {
                    out.push('{');
                } else {
                    out.push_str(r"\{");
                }
            }
            '}' => {
                // Closing a real quantifier is copied with it; a lone one is a literal.
                if out.ends_with(|ch: char| ch.is_ascii_digit() || ch == ',')
                    && open_quantifier(&out)
                {
                    out.push('}');
                } else {
                    out.push_str(r"\}");
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err(format!("`{fragment}` has an unterminated character class"));
    }
    Ok(out)
}

fn translate_escape(
    chars: &[char],
    i: &mut usize,
    next: char,
    in_class: bool,
    out: &mut String,
    fragment: &str,
) -> Result<(), String> {
    match next {
        's' => out.push_str(&space()),
        'S' => out.push_str(&non_space()),
        'd' => out.push_str("[0-9]"),
        'D' => out.push_str("[^0-9]"),
        'w' => out.push_str("[A-Za-z0-9_]"),
        'W' => out.push_str("[^A-Za-z0-9_]"),
        'b' if in_class => out.push_str(r"\x08"),
        'b' => out.push_str(r"(?-u:\b)"),
        'B' => out.push_str(r"(?-u:\B)"),
        'n' | 'r' | 't' | 'f' | 'v' => {
            out.push('\\');
            out.push(next);
        }
        '0' => out.push_str(r"\x00"),
        'x' | 'u' => {
            let width = if next == 'x' { 2 } else { 4 };
            let digits: String = chars.iter().skip(*i + 1).take(width).collect();
            if digits.len() == width && digits.chars().all(|d| d.is_ascii_hexdigit()) {
                out.push_str(r"\x{");
                out.push_str(&digits);
                out.push('}');
                *i += width;
            } else {
                out.push(next);
            }
        }
        '1'..='9' => return Err(format!("`{fragment}` uses a back-reference")),
        _ if next.is_ascii_alphanumeric() => out.push(next),
        _ => out.push_str(&regex::escape(&next.to_string())),
    }
    Ok(())
}

/// Whether `{` at `start` opens a `{n}`, `{n,}` or `{n,m}` quantifier.
fn quantifier_at(chars: &[char], start: usize) -> bool {
    let mut i = start + 1;
    let digits_start = i;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    if i == digits_start {
        return false;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    chars.get(i) == Some(&'}')
}

fn open_quantifier(out: &str) -> bool {
    let Some(open) = out.rfind('{') else { return false };
    if out[..open].ends_with('\\') {
        return false;
    }
    out[open + 1..].chars().all(|c| c.is_ascii_digit() || c == ',')
}
